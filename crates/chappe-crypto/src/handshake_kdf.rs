//! Key derivations used while creating an authorization key.

use crate::hash::sha1;

/// `tmp_aes_key` and `tmp_aes_iv`, which encrypt `server_DH_inner_data` and
/// `client_DH_inner_data` with AES-256-IGE:
///
/// ```text
/// tmp_aes_key := SHA1(new_nonce + server_nonce) + substr(SHA1(server_nonce + new_nonce), 0, 12)
/// tmp_aes_iv  := substr(SHA1(server_nonce + new_nonce), 12, 8) + SHA1(new_nonce + new_nonce)
///                + substr(new_nonce, 0, 4)
/// ```
pub fn tmp_aes_key_iv(server_nonce: &[u8; 16], new_nonce: &[u8; 32]) -> ([u8; 32], [u8; 32]) {
    let new_server = sha1(&[new_nonce, server_nonce]);
    let server_new = sha1(&[server_nonce, new_nonce]);
    let new_new = sha1(&[new_nonce, new_nonce]);
    let mut key = [0u8; 32];
    key[..20].copy_from_slice(&new_server);
    key[20..].copy_from_slice(&server_new[..12]);
    let mut iv = [0u8; 32];
    iv[..8].copy_from_slice(&server_new[12..]);
    iv[8..28].copy_from_slice(&new_new);
    iv[28..].copy_from_slice(&new_nonce[..4]);
    (key, iv)
}

/// `new_nonce_hash1/2/3`: the 128 lower-order bits of
/// `SHA1(new_nonce + [number] + auth_key_aux_hash)`, sent in dh_gen_ok (1), dh_gen_retry (2)
/// and dh_gen_fail (3).
pub fn new_nonce_hash(new_nonce: &[u8; 32], number: u8, aux_hash: &[u8; 8]) -> [u8; 16] {
    let digest = sha1(&[new_nonce, &[number], aux_hash]);
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[4..]);
    out
}

/// The first server salt: `substr(new_nonce, 0, 8) XOR substr(server_nonce, 0, 8)`, read as
/// a little-endian long.
pub fn server_salt(new_nonce: &[u8; 32], server_nonce: &[u8; 16]) -> i64 {
    let mut salt = [0u8; 8];
    for (i, byte) in salt.iter_mut().enumerate() {
        *byte = new_nonce[i] ^ server_nonce[i];
    }
    i64::from_le_bytes(salt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuthKey;

    // Vector from grammers-crypto's tests (nonces 0, 1, 2, …).
    #[test]
    fn tmp_aes_vector() {
        let server_nonce: [u8; 16] = std::array::from_fn(|i| i as u8);
        let new_nonce: [u8; 32] = std::array::from_fn(|i| i as u8);
        let (key, iv) = tmp_aes_key_iv(&server_nonce, &new_nonce);
        assert_eq!(
            key,
            [
                7, 88, 241, 83, 59, 97, 93, 36, 246, 232, 169, 74, 111, 203, 238, 10, 85, 234, 171,
                34, 23, 215, 41, 92, 169, 33, 61, 26, 45, 125, 22, 166
            ]
        );
        assert_eq!(
            iv,
            [
                90, 132, 16, 142, 152, 5, 101, 108, 232, 100, 7, 14, 22, 110, 98, 24, 246, 120, 62,
                133, 17, 71, 26, 90, 183, 128, 44, 242, 0, 1, 2, 3
            ]
        );
    }

    #[test]
    fn new_nonce_hashes_differ_by_number() {
        let key = AuthKey::from_bytes([3u8; 256]);
        let nonce = [9u8; 32];
        let hashes: Vec<_> = (1..=3)
            .map(|n| new_nonce_hash(&nonce, n, &key.aux_hash()))
            .collect();
        assert_ne!(hashes[0], hashes[1]);
        assert_ne!(hashes[1], hashes[2]);
        let digest = sha1(&[&nonce, &[1], &key.aux_hash()]);
        assert_eq!(&hashes[0][..], &digest[4..]);
    }

    #[test]
    fn salt_is_xor_of_nonce_prefixes() {
        let mut new_nonce = [0u8; 32];
        new_nonce[..8].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let mut server_nonce = [0u8; 16];
        server_nonce[..8].copy_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0xff]);
        assert_eq!(
            server_salt(&new_nonce, &server_nonce),
            i64::from_le_bytes([0, 2, 3, 4, 5, 6, 7, 0xf7])
        );
    }
}
