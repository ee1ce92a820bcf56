//! The two ways clients pad `p_q_inner_data` before RSA in `req_DH_params`.
//!
//! - Old (Telethon, Pyrogram and forks, @mtproto/core): `SHA1(data) + data + random`, 255
//!   bytes, encrypted as a number (so the 256-byte block starts with a zero byte).
//! - RSA_PAD (GramJS, grammers, TDLib): `data` padded with random bytes to 192, reversed,
//!   followed by `SHA256(temp_key + data_with_padding)`, AES-256-IGE encrypted with a random
//!   `temp_key` and zero IV, prefixed with `temp_key XOR SHA256(aes_encrypted)`.
//!
//! The server tries both on every block and does the same work whichever one matches, so
//! timing does not tell an attacker which check failed (for instance whether the first
//! byte of the plaintext was zero, which would be a Manger-style oracle).

use rand_core::CryptoRng;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::hash::sha256;
use crate::ige::{ige_decrypt, ige_encrypt};
use crate::rsa_key::{RsaPublicKey, RSA_BYTES};
use crate::CryptoError;
use sha1::{Digest, Sha1};

/// Longest `data` the old padding holds (255 - 20 bytes of SHA1).
pub const OLD_MAX_DATA: usize = 235;
/// Longest `data` RSA_PAD holds.
pub const RSA_PAD_MAX_DATA: usize = 144;
const RSA_PAD_DATA_WITH_PADDING: usize = 192;

/// Which padding a client used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaPadding {
    /// `SHA1(data) + data + random` (MTProto before RSA_PAD).
    Old,
    /// The RSA_PAD scheme.
    RsaPad,
}

/// Decrypted `req_DH_params.encrypted_data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecryptedReqDh {
    /// The padding the client used.
    pub padding: RsaPadding,
    /// With [`RsaPadding::Old`] exactly the TL-serialized inner data (its length is pinned
    /// down by the SHA1); with [`RsaPadding::RsaPad`] the 192 bytes `data + random padding`,
    /// so the caller decodes a TL prefix.
    pub data: Vec<u8>,
}

impl RsaPublicKey {
    /// Client side: old-style padding and raw RSA. `data` is at most 235 bytes.
    pub fn encrypt_old<R: CryptoRng + ?Sized>(
        &self,
        data: &[u8],
        rng: &mut R,
    ) -> Result<[u8; RSA_BYTES], CryptoError> {
        if data.len() > OLD_MAX_DATA {
            return Err(CryptoError::RsaDataTooLong);
        }
        let mut block = Zeroizing::new([0u8; RSA_BYTES]);
        // block[0] stays zero: the padded data is a 255-byte number, below any 2048-bit n.
        block[1..21].copy_from_slice(&crate::hash::sha1(&[data]));
        block[21..21 + data.len()].copy_from_slice(data);
        rng.fill_bytes(&mut block[21 + data.len()..]);
        self.raw_encrypt(&block)
    }

    /// Client side: RSA_PAD. `data` is at most 144 bytes.
    pub fn encrypt_rsa_pad<R: CryptoRng + ?Sized>(
        &self,
        data: &[u8],
        rng: &mut R,
    ) -> Result<[u8; RSA_BYTES], CryptoError> {
        if data.len() > RSA_PAD_MAX_DATA {
            return Err(CryptoError::RsaDataTooLong);
        }
        let mut with_padding = Zeroizing::new([0u8; RSA_PAD_DATA_WITH_PADDING]);
        with_padding[..data.len()].copy_from_slice(data);
        rng.fill_bytes(&mut with_padding[data.len()..]);
        loop {
            let mut temp_key = Zeroizing::new([0u8; 32]);
            rng.fill_bytes(&mut temp_key[..]);
            let block = rsa_pad_block(&with_padding, &temp_key);
            // A block at or above the modulus cannot be encrypted; the spec says to retry
            // with a new temp_key.
            if self.block_below_modulus(&block) {
                return self.raw_encrypt(&block);
            }
        }
    }
}

/// `key_aes_encrypted` for one temp_key.
fn rsa_pad_block(
    with_padding: &[u8; RSA_PAD_DATA_WITH_PADDING],
    temp_key: &[u8; 32],
) -> Zeroizing<[u8; RSA_BYTES]> {
    let mut block = Zeroizing::new([0u8; RSA_BYTES]);
    let (key_xor, aes_part) = block.split_at_mut(32);
    aes_part[..RSA_PAD_DATA_WITH_PADDING].copy_from_slice(with_padding);
    aes_part[..RSA_PAD_DATA_WITH_PADDING].reverse();
    aes_part[RSA_PAD_DATA_WITH_PADDING..].copy_from_slice(&sha256(&[temp_key, with_padding]));
    // 224 bytes, a multiple of 16: cannot fail.
    let _ = ige_encrypt(aes_part, temp_key, &[0u8; 32]);
    let aes_hash = sha256(&[aes_part]);
    for ((out, key), hash) in key_xor.iter_mut().zip(temp_key).zip(aes_hash) {
        *out = key ^ hash;
    }
    block
}

/// Server side: recognises either padding in a raw-decrypted block.
pub(crate) fn unpad(block: &[u8; RSA_BYTES]) -> Result<DecryptedReqDh, CryptoError> {
    let (old_ok, old_len) = check_old(block);
    let (pad_ok, with_padding) = check_rsa_pad(block);
    // Both checks ran in full; only now branch on the (public) outcome.
    if bool::from(old_ok) {
        return Ok(DecryptedReqDh {
            padding: RsaPadding::Old,
            data: block[21..21 + old_len as usize].to_vec(),
        });
    }
    if bool::from(pad_ok) {
        return Ok(DecryptedReqDh {
            padding: RsaPadding::RsaPad,
            data: with_padding.to_vec(),
        });
    }
    Err(CryptoError::RsaDecryption)
}

/// Old padding: the first byte is zero and SHA1 of some prefix of the remaining data
/// (a multiple of 4 bytes, as all TL is) equals bytes 1..21. Every candidate length is
/// hashed, incrementally, so the work does not depend on the contents.
fn check_old(block: &[u8; RSA_BYTES]) -> (Choice, u32) {
    let expected = &block[1..21];
    let payload = &block[21..];
    let mut found = Choice::from(0);
    let mut found_len = 0u32;
    let mut hasher = Sha1::new();
    for (index, word) in payload.chunks_exact(4).enumerate() {
        hasher.update(word);
        let digest: [u8; 20] = hasher.clone().finalize().into();
        let matches = digest.ct_eq(expected) & !found;
        found_len.conditional_assign(&(4 * (index as u32 + 1)), matches);
        found |= matches;
    }
    (block[0].ct_eq(&0) & found, found_len)
}

/// RSA_PAD: recover temp_key, decrypt, and compare the SHA256 inside.
fn check_rsa_pad(block: &[u8; RSA_BYTES]) -> (Choice, Zeroizing<[u8; RSA_PAD_DATA_WITH_PADDING]>) {
    let (key_xor, aes_encrypted) = block.split_at(32);
    let aes_hash = sha256(&[aes_encrypted]);
    let mut temp_key = Zeroizing::new([0u8; 32]);
    for ((out, x), h) in temp_key.iter_mut().zip(key_xor).zip(aes_hash) {
        *out = x ^ h;
    }
    let mut data_with_hash = Zeroizing::new([0u8; RSA_BYTES - 32]);
    data_with_hash.copy_from_slice(aes_encrypted);
    // 224 bytes, a multiple of 16: cannot fail.
    let _ = ige_decrypt(&mut data_with_hash[..], &temp_key, &[0u8; 32]);
    let mut with_padding = Zeroizing::new([0u8; RSA_PAD_DATA_WITH_PADDING]);
    with_padding.copy_from_slice(&data_with_hash[..RSA_PAD_DATA_WITH_PADDING]);
    with_padding.reverse();
    let hash = sha256(&[&temp_key[..], &with_padding[..]]);
    (
        hash.ct_eq(&data_with_hash[RSA_PAD_DATA_WITH_PADDING..]),
        with_padding,
    )
}
