//! RSA keys: the server's private key, public keys with Telegram fingerprints, and raw
//! 2048-bit RSA operations for `req_DH_params`.
//!
//! Raw decryption goes through the `rsa` crate's hazmat primitive, which uses the CRT
//! (two 1024-bit exponentiations instead of one 2048-bit one, about 3-4x faster) on top
//! of crypto-bigint's constant-time Montgomery arithmetic, and re-encrypts the result to
//! catch CRT faults. No blinding RNG is passed: the arithmetic is already constant-time,
//! and blinding would cost an extra inversion per handshake for no timing benefit.

use crypto_bigint::{BoxedUint, Resize};
use pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rand_core::CryptoRng;
use rsa::traits::PublicKeyParts;
use zeroize::Zeroizing;

use crate::hash::sha1;
use crate::CryptoError;

pub use crate::req_dh_padding::{DecryptedReqDh, RsaPadding};

/// Modulus size every Telegram client expects.
pub const RSA_BITS: u32 = 2048;
/// Bytes of an RSA block (`encrypted_data` in `req_DH_params`).
pub const RSA_BYTES: usize = 256;

/// An RSA public key as clients know it, with its Telegram fingerprint.
#[derive(Clone)]
pub struct RsaPublicKey {
    key: rsa::PublicKey,
    fingerprint: i64,
}

impl RsaPublicKey {
    /// Parses a PKCS#1 `-----BEGIN RSA PUBLIC KEY-----` PEM.
    pub fn from_pkcs1_pem(pem: &str) -> Result<Self, CryptoError> {
        let key = rsa::PublicKey::from_pkcs1_pem(pem).map_err(key_error)?;
        Self::from_rsa(key)
    }

    /// Builds a key from big-endian modulus and exponent bytes.
    pub fn from_n_e(n: &[u8], e: &[u8]) -> Result<Self, CryptoError> {
        let n = BoxedUint::from_be_slice_vartime(n);
        let e = BoxedUint::from_be_slice_vartime(e);
        Self::from_rsa(rsa::PublicKey::new(n, e).map_err(key_error)?)
    }

    fn from_rsa(key: rsa::PublicKey) -> Result<Self, CryptoError> {
        if key.n().bit_width_vartime() != RSA_BITS {
            return Err(CryptoError::RsaKey("the modulus must be 2048 bits".into()));
        }
        // Keep n at exactly 2048 bits of precision so raw blocks line up.
        let n = key.n().as_ref().resize(RSA_BITS);
        let key = rsa::PublicKey::new(n, key.e().clone()).map_err(key_error)?;
        let fingerprint = fingerprint_of(&key.n_bytes(), &key.e_bytes());
        Ok(Self { key, fingerprint })
    }

    /// The fingerprint clients compute: the lower 64 bits of SHA1 of the TL serialization
    /// `n:bytes e:bytes` (the `rsa_public_key` constructor without its id), little-endian.
    pub fn fingerprint(&self) -> i64 {
        self.fingerprint
    }

    /// The modulus, big-endian without leading zeros.
    pub fn n_bytes(&self) -> Vec<u8> {
        self.key.n_bytes().into_vec()
    }

    /// The public exponent, big-endian without leading zeros.
    pub fn e_bytes(&self) -> Vec<u8> {
        self.key.e_bytes().into_vec()
    }

    /// PKCS#1 `-----BEGIN RSA PUBLIC KEY-----` PEM, the form clients load.
    pub fn to_pkcs1_pem(&self) -> Result<String, CryptoError> {
        self.key
            .to_pkcs1_pem(pkcs1::LineEnding::LF)
            .map_err(key_error)
    }

    /// Raw RSA on a 256-byte big-endian block that must be below the modulus.
    pub(crate) fn raw_encrypt(
        &self,
        block: &[u8; RSA_BYTES],
    ) -> Result<[u8; RSA_BYTES], CryptoError> {
        let m = self.block_to_uint(block)?;
        let c = rsa::hazmat::rsa_encrypt(&self.key, &m).map_err(|_| CryptoError::RsaDecryption)?;
        uint_to_block(&c)
    }

    /// Whether a 256-byte big-endian block is below the modulus (RSA_PAD retries if not).
    pub(crate) fn block_below_modulus(&self, block: &[u8; RSA_BYTES]) -> bool {
        self.block_to_uint(block).is_ok()
    }

    fn block_to_uint(&self, block: &[u8; RSA_BYTES]) -> Result<BoxedUint, CryptoError> {
        let value =
            BoxedUint::from_be_slice(block, RSA_BITS).map_err(|_| CryptoError::RsaDecryption)?;
        if value >= self.key.n().as_ref() {
            return Err(CryptoError::RsaDecryption);
        }
        Ok(value)
    }
}

impl std::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RsaPublicKey {{ fingerprint: {:#018x} }}",
            self.fingerprint as u64
        )
    }
}

/// The server's 2048-bit RSA private key.
pub struct ServerRsaKey {
    private: rsa::PrivateKey,
    public: RsaPublicKey,
}

impl ServerRsaKey {
    /// Generates a fresh 2048-bit key with e = 65537 (takes a second or more).
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, CryptoError> {
        let private = rsa::PrivateKey::new(rng, RSA_BITS as usize).map_err(key_error)?;
        Self::from_private(private)
    }

    /// Parses a PKCS#1 `-----BEGIN RSA PRIVATE KEY-----` PEM.
    pub fn from_pkcs1_pem(pem: &str) -> Result<Self, CryptoError> {
        let private = rsa::PrivateKey::from_pkcs1_pem(pem).map_err(key_error)?;
        Self::from_private(private)
    }

    fn from_private(mut private: rsa::PrivateKey) -> Result<Self, CryptoError> {
        // CRT values make decryption several times faster; from_pkcs1_pem and new() keep
        // them, but precompute is idempotent and cheap next to a handshake.
        private.precompute().map_err(key_error)?;
        let public = RsaPublicKey::from_rsa(private.to_public_key())?;
        Ok(Self { private, public })
    }

    /// The private key as PKCS#1 PEM (wiped from memory when dropped).
    pub fn to_pkcs1_pem(&self) -> Result<Zeroizing<String>, CryptoError> {
        self.private
            .to_pkcs1_pem(pkcs1::LineEnding::LF)
            .map_err(key_error)
    }

    /// The public half.
    pub fn public_key(&self) -> &RsaPublicKey {
        &self.public
    }

    /// The public key as PKCS#1 `-----BEGIN RSA PUBLIC KEY-----` PEM for client configs.
    pub fn public_pem(&self) -> Result<String, CryptoError> {
        self.public.to_pkcs1_pem()
    }

    /// The fingerprint clients look the key up by.
    pub fn fingerprint(&self) -> i64 {
        self.public.fingerprint()
    }

    /// Decrypts `req_DH_params.encrypted_data` in either padding (see [`RsaPadding`]).
    pub fn decrypt_req_dh(&self, encrypted_data: &[u8]) -> Result<DecryptedReqDh, CryptoError> {
        let block = self.raw_decrypt(encrypted_data)?;
        crate::req_dh_padding::unpad(&block)
    }

    /// Raw RSA decryption of up to 256 bytes (shorter input is read as a number with its
    /// leading zero bytes dropped).
    pub(crate) fn raw_decrypt(
        &self,
        encrypted: &[u8],
    ) -> Result<Zeroizing<[u8; RSA_BYTES]>, CryptoError> {
        if encrypted.is_empty() || encrypted.len() > RSA_BYTES {
            return Err(CryptoError::RsaDecryption);
        }
        let precision = self.private.n_bits_precision();
        let c = BoxedUint::from_be_slice(encrypted, precision)
            .map_err(|_| CryptoError::RsaDecryption)?;
        let m = rsa::hazmat::rsa_decrypt_and_check(&self.private, None::<&mut NoBlinding>, &c)
            .map_err(|_| CryptoError::RsaDecryption)?;
        Ok(Zeroizing::new(uint_to_block(&m)?))
    }
}

impl std::fmt::Debug for ServerRsaKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerRsaKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// Names the RNG type for the `None` blinding argument; never called.
enum NoBlinding {}

impl rand_core::TryRng for NoBlinding {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        match *self {}
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        match *self {}
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), Self::Error> {
        match *self {}
    }
}

impl rand_core::TryCryptoRng for NoBlinding {}

fn uint_to_block(value: &BoxedUint) -> Result<[u8; RSA_BYTES], CryptoError> {
    let bytes = value.to_be_bytes();
    let start = bytes
        .len()
        .checked_sub(RSA_BYTES)
        .ok_or(CryptoError::RsaDecryption)?;
    if bytes[..start].iter().any(|&b| b != 0) {
        return Err(CryptoError::RsaDecryption);
    }
    let mut block = [0u8; RSA_BYTES];
    block.copy_from_slice(&bytes[start..]);
    Ok(block)
}

/// SHA1 over TL `bytes` serializations of n and e, lower 64 bits, little-endian.
fn fingerprint_of(n: &[u8], e: &[u8]) -> i64 {
    let serialized = [tl_bytes(n), tl_bytes(e)].concat();
    let digest = sha1(&[&serialized]);
    let mut low = [0u8; 8];
    low.copy_from_slice(&digest[12..]);
    i64::from_le_bytes(low)
}

/// TL `bytes` encoding: a 1-byte length (or 0xfe and a 3-byte length), the data, and zero
/// padding to a multiple of 4.
fn tl_bytes(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 8);
    if data.len() < 254 {
        out.push(data.len() as u8);
    } else {
        out.push(254);
        out.extend_from_slice(&(data.len() as u32).to_le_bytes()[..3]);
    }
    out.extend_from_slice(data);
    while out.len() % 4 != 0 {
        out.push(0);
    }
    out
}

fn key_error(error: impl std::fmt::Display) -> CryptoError {
    CryptoError::RsaKey(error.to_string())
}

#[cfg(test)]
#[path = "rsa_key_tests.rs"]
mod tests;
