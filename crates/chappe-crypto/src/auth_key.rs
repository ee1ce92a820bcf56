//! The 2048-bit authorization key shared by a client and the server.

use zeroize::Zeroize;

use crate::hash::sha1;

/// Length of an authorization key in bytes.
pub const AUTH_KEY_LEN: usize = 256;

/// A 256-byte authorization key with its derived identifiers.
///
/// The key bytes live on the heap (so the value is cheap to move) and are wiped when it
/// is dropped; `Debug` shows only the id.
#[derive(Clone)]
pub struct AuthKey {
    data: Box<[u8; AUTH_KEY_LEN]>,
    id: i64,
    aux_hash: [u8; 8],
}

impl AuthKey {
    /// Wraps the raw key (the DH shared secret as a 256-byte big-endian number).
    pub fn from_bytes(data: [u8; AUTH_KEY_LEN]) -> Self {
        let digest = sha1(&[&data]);
        // auth_key_id: the 64 lower-order bits of SHA1(auth_key), i.e. the last 8 bytes,
        // read little-endian like every other TL long.
        let mut id_bytes = [0u8; 8];
        id_bytes.copy_from_slice(&digest[12..20]);
        // auth_key_aux_hash: the 64 higher-order bits.
        let mut aux_hash = [0u8; 8];
        aux_hash.copy_from_slice(&digest[..8]);
        Self {
            data: Box::new(data),
            id: i64::from_le_bytes(id_bytes),
            aux_hash,
        }
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8; AUTH_KEY_LEN] {
        &self.data
    }

    /// `auth_key_id`: the lower 64 bits of SHA1(auth_key) as a little-endian i64.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// `auth_key_aux_hash`: the higher 64 bits of SHA1(auth_key), used in `new_nonce_hash`.
    pub fn aux_hash(&self) -> [u8; 8] {
        self.aux_hash
    }
}

impl Drop for AuthKey {
    fn drop(&mut self) {
        self.data.as_mut_slice().zeroize();
    }
}

impl PartialEq for AuthKey {
    fn eq(&self, other: &Self) -> bool {
        crate::hash::ct_eq(&self.data[..], &other.data[..])
    }
}

impl Eq for AuthKey {}

impl std::fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors from grammers-crypto's tests: key bytes 0, 1, 2, … 255.
    #[test]
    fn id_and_aux_hash_of_counting_key() {
        let key = AuthKey::from_bytes(std::array::from_fn(|i| i as u8));
        assert_eq!(
            key.id().to_le_bytes(),
            [50, 209, 88, 110, 164, 87, 223, 200]
        );
        assert_eq!(key.aux_hash(), [73, 22, 214, 189, 183, 247, 142, 104]);
        assert!(!format!("{key:?}").contains("data"));
    }
}
