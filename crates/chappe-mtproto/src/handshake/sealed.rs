//! `SHA1(data) + data + padding`, AES-256-IGE encrypted with the temporary key: the shape
//! of both `server_DH_inner_data` and `client_DH_inner_data` on the wire.

use chappe_crypto::hash::{ct_eq, sha1};
use chappe_crypto::{ige_decrypt, ige_encrypt};
use chappe_tl::Deserializable;
use rand_core::CryptoRng;

use super::decode_prefix;
use crate::HandshakeError;

const SHA1_LEN: usize = 20;

/// Hashes, pads with 0..15 random bytes to a multiple of 16, and encrypts.
pub(super) fn seal<R: CryptoRng + ?Sized>(
    data: &[u8],
    key: &[u8; 32],
    iv: &[u8; 32],
    rng: &mut R,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(SHA1_LEN + data.len() + 15);
    out.extend_from_slice(&sha1(&[data]));
    out.extend_from_slice(data);
    let padding = (16 - out.len() % 16) % 16;
    let start = out.len();
    out.resize(start + padding, 0);
    rng.fill_bytes(&mut out[start..]);
    // A multiple of 16 by construction.
    let _ = ige_encrypt(&mut out, key, iv);
    out
}

/// Decrypts, decodes the value after the hash, and checks the SHA1 over exactly the
/// bytes the value used and that fewer than 16 bytes of padding follow.
pub(super) fn open<T: Deserializable>(
    encrypted: &[u8],
    key: &[u8; 32],
    iv: &[u8; 32],
) -> Result<T, HandshakeError> {
    if encrypted.len() < 2 * 16 || !encrypted.len().is_multiple_of(16) {
        return Err(HandshakeError::InvalidField("encrypted data length"));
    }
    let mut plain = encrypted.to_vec();
    ige_decrypt(&mut plain, key, iv)?;
    let (hash, data) = plain.split_at(SHA1_LEN);
    let (value, used) = decode_prefix::<T>(data)?;
    if data.len() - used >= 16 {
        return Err(HandshakeError::InvalidField("padding longer than 15 bytes"));
    }
    if !ct_eq(&sha1(&[&data[..used]]), hash) {
        return Err(HandshakeError::HashMismatch);
    }
    Ok(value)
}
