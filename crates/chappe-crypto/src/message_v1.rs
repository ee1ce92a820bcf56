//! MTProto 1.0 message encryption, kept for the one place the protocol still uses it:
//! the `encrypted_message` of `auth.bindTempAuthKey`, which the client encrypts with its
//! *permanent* key so the server can tell the binding really comes from that key's owner.
//!
//! Differences from MTProto 2.0 ([`crate::message`]): `msg_key` is the low 128 bits of
//! `SHA1(plaintext without padding)`, the AES key and IV come from four SHA-1 hashes of
//! slices of the auth key, and the padding is 0..=15 bytes (only to a block boundary).

use crate::auth_key::AuthKey;
use crate::hash::{ct_eq, sha1};
use crate::ige::{ige_decrypt, ige_encrypt};
use crate::message::{DecryptedMessage, Side, ENVELOPE_HEADER_LEN, PLAINTEXT_HEADER_LEN};
use crate::CryptoError;

fn x_of(sender: Side) -> usize {
    match sender {
        Side::Client => 0,
        Side::Server => 8,
    }
}

/// Derives the AES-256-IGE key and IV for a message (MTProto 1.0 KDF).
pub fn message_key_iv_v1(key: &AuthKey, msg_key: &[u8; 16], sender: Side) -> ([u8; 32], [u8; 32]) {
    let x = x_of(sender);
    let k = key.as_bytes();
    let a = sha1(&[msg_key, &k[x..x + 32]]);
    let b = sha1(&[&k[32 + x..48 + x], msg_key, &k[48 + x..64 + x]]);
    let c = sha1(&[&k[64 + x..96 + x], msg_key]);
    let d = sha1(&[msg_key, &k[96 + x..128 + x]]);
    let mut aes_key = [0u8; 32];
    aes_key[..8].copy_from_slice(&a[..8]);
    aes_key[8..20].copy_from_slice(&b[8..20]);
    aes_key[20..].copy_from_slice(&c[4..16]);
    let mut aes_iv = [0u8; 32];
    aes_iv[..12].copy_from_slice(&a[8..20]);
    aes_iv[12..20].copy_from_slice(&b[..8]);
    aes_iv[20..24].copy_from_slice(&c[16..20]);
    aes_iv[24..].copy_from_slice(&d[..8]);
    (aes_key, aes_iv)
}

/// msg_key of MTProto 1.0: the low 128 bits of SHA-1 of the unpadded plaintext.
fn msg_key_v1(unpadded: &[u8]) -> [u8; 16] {
    let digest = sha1(&[unpadded]);
    let mut msg_key = [0u8; 16];
    msg_key.copy_from_slice(&digest[4..20]);
    msg_key
}

/// Encrypts a message the MTProto 1.0 way: `plaintext` is header and body without padding;
/// `padding` must bring it to a multiple of 16 (0..=15 bytes). Returns `auth_key_id |
/// msg_key | ciphertext`. Clients (and tests) use it to build `auth.bindTempAuthKey`.
pub fn encrypt_message_v1(
    key: &AuthKey,
    sender: Side,
    plaintext: &[u8],
    padding: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    if padding.len() > 15 || !(plaintext.len() + padding.len()).is_multiple_of(16) {
        return Err(CryptoError::InvalidLength(
            "MTProto 1.0 padding must reach the next 16-byte boundary",
        ));
    }
    let msg_key = msg_key_v1(plaintext);
    let (aes_key, aes_iv) = message_key_iv_v1(key, &msg_key, sender);
    let mut body = Vec::with_capacity(plaintext.len() + padding.len());
    body.extend_from_slice(plaintext);
    body.extend_from_slice(padding);
    ige_encrypt(&mut body, &aes_key, &aes_iv)?;
    let mut packet = Vec::with_capacity(ENVELOPE_HEADER_LEN + body.len());
    packet.extend_from_slice(&key.id().to_le_bytes());
    packet.extend_from_slice(&msg_key);
    packet.extend_from_slice(&body);
    Ok(packet)
}

/// Decrypts and verifies an MTProto 1.0 packet that `sender` encrypted with `key`: the
/// auth_key_id must be `key`'s, the length field must leave 0..=15 bytes of padding, and
/// the msg_key must equal SHA-1 of the unpadded plaintext (compared in constant time).
pub fn decrypt_message_v1(
    key: &AuthKey,
    sender: Side,
    packet: &[u8],
) -> Result<DecryptedMessage, CryptoError> {
    let Some(ciphertext) = packet.get(ENVELOPE_HEADER_LEN..) else {
        return Err(CryptoError::InvalidLength(
            "packet shorter than its envelope",
        ));
    };
    if ciphertext.len() < PLAINTEXT_HEADER_LEN || !ciphertext.len().is_multiple_of(16) {
        return Err(CryptoError::InvalidLength(
            "ciphertext must be a multiple of 16 bytes and hold a header",
        ));
    }
    if !ct_eq(&packet[..8], &key.id().to_le_bytes()) {
        return Err(CryptoError::AuthKeyIdMismatch);
    }
    let mut msg_key = [0u8; 16];
    msg_key.copy_from_slice(&packet[8..24]);
    let (aes_key, aes_iv) = message_key_iv_v1(key, &msg_key, sender);
    let mut plaintext = ciphertext.to_vec();
    ige_decrypt(&mut plaintext, &aes_key, &aes_iv)?;

    let field = |at: usize, len: usize| &plaintext[at..at + len];
    let le8 = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(field(at, 8));
        i64::from_le_bytes(b)
    };
    let mut four = [0u8; 4];
    four.copy_from_slice(field(24, 4));
    let seq_no = i32::from_le_bytes(four);
    four.copy_from_slice(field(28, 4));
    let length = u32::from_le_bytes(four) as usize;
    let room = plaintext.len() - PLAINTEXT_HEADER_LEN;
    // Checked before hashing so the hashed span is in bounds; the msg_key check below
    // still rejects any tampering with the length.
    if length > room || room - length > 15 || !length.is_multiple_of(4) {
        return Err(CryptoError::MalformedPlaintext(
            "length does not fit MTProto 1.0 padding",
        ));
    }
    let unpadded = &plaintext[..PLAINTEXT_HEADER_LEN + length];
    if !ct_eq(&msg_key_v1(unpadded), &msg_key) {
        return Err(CryptoError::MsgKeyMismatch);
    }
    Ok(DecryptedMessage {
        salt: le8(0),
        session_id: le8(8),
        msg_id: le8(16),
        seq_no,
        body: unpadded[PLAINTEXT_HEADER_LEN..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{decrypt_message, encrypt_message};

    fn key() -> AuthKey {
        let mut bytes = [0u8; 256];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i * 7 + 3) as u8;
        }
        AuthKey::from_bytes(bytes)
    }

    fn plaintext(body: &[u8]) -> Vec<u8> {
        let mut p = Vec::new();
        p.extend_from_slice(&11i64.to_le_bytes());
        p.extend_from_slice(&22i64.to_le_bytes());
        p.extend_from_slice(&33i64.to_le_bytes());
        p.extend_from_slice(&0i32.to_le_bytes());
        p.extend_from_slice(&(body.len() as u32).to_le_bytes());
        p.extend_from_slice(body);
        p
    }

    #[test]
    fn round_trip_with_short_padding() {
        let key = key();
        let body = [5u8; 40];
        let plain = plaintext(&body);
        let packet = encrypt_message_v1(&key, Side::Client, &plain, &[9u8; 8]).expect("encrypt");
        assert_eq!(packet.len(), 24 + 80);
        assert_eq!(&packet[..8], &key.id().to_le_bytes());
        let msg = decrypt_message_v1(&key, Side::Client, &packet).expect("decrypt");
        assert_eq!(
            (msg.salt, msg.session_id, msg.msg_id, msg.seq_no),
            (11, 22, 33, 0)
        );
        assert_eq!(msg.body, body);
        // The msg_key is SHA-1 based, not the 2.0 one.
        assert_eq!(&packet[8..24], &sha1(&[&plain])[4..20]);
    }

    #[test]
    fn tampering_wrong_side_or_key_is_refused() {
        let key = key();
        let plain = plaintext(&[5u8; 40]);
        let packet = encrypt_message_v1(&key, Side::Client, &plain, &[0u8; 8]).expect("encrypt");

        let mut flipped = packet.clone();
        flipped[40] ^= 1;
        assert!(decrypt_message_v1(&key, Side::Client, &flipped).is_err());
        assert!(decrypt_message_v1(&key, Side::Server, &packet).is_err());
        let other = AuthKey::from_bytes([1u8; 256]);
        assert_eq!(
            decrypt_message_v1(&other, Side::Client, &packet),
            Err(CryptoError::AuthKeyIdMismatch)
        );
        assert!(decrypt_message_v1(&key, Side::Client, &packet[..40]).is_err());
        // An MTProto 2.0 packet of the same key is not accepted as 1.0.
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::from_seed([3; 32]);
        let v2 = encrypt_message(&key, Side::Client, &plain, &mut rng);
        assert!(decrypt_message(&key, Side::Client, &v2).is_ok());
        assert!(decrypt_message_v1(&key, Side::Client, &v2).is_err());
    }

    #[test]
    fn bad_padding_is_refused_on_encrypt() {
        let key = key();
        let plain = plaintext(&[5u8; 40]);
        assert!(encrypt_message_v1(&key, Side::Client, &plain, &[0u8; 24]).is_err());
        assert!(encrypt_message_v1(&key, Side::Client, &plain, &[0u8; 7]).is_err());
    }
}
