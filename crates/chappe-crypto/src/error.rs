//! The error type shared by every operation in this crate.

/// What went wrong in a cryptographic operation. Variants say what a caller can act on;
/// none of them carries secret material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// A buffer had a length the operation cannot accept (not a multiple of the block
    /// size, too short, too long).
    #[error("invalid length: {0}")]
    InvalidLength(&'static str),
    /// An encrypted message names another authorization key than the one given.
    #[error("auth_key_id does not match the key")]
    AuthKeyIdMismatch,
    /// The msg_key of an encrypted message does not match its decrypted contents.
    #[error("msg_key mismatch")]
    MsgKeyMismatch,
    /// The decrypted plaintext of a message is malformed (length field or padding).
    #[error("malformed plaintext: {0}")]
    MalformedPlaintext(&'static str),
    /// RSA-encrypted handshake data failed to decrypt or its hash did not verify.
    #[error("RSA decryption failed")]
    RsaDecryption,
    /// Data handed to an RSA encryption helper is too long for the padding scheme.
    #[error("data too long for RSA padding")]
    RsaDataTooLong,
    /// An RSA key could not be generated, parsed or encoded.
    #[error("RSA key error: {0}")]
    RsaKey(String),
    /// A Diffie-Hellman value is outside the range the protocol allows.
    #[error("DH value out of range")]
    DhValueOutOfRange,
    /// DH parameters other than Telegram's standard group (or an unusable generator).
    #[error("unsupported DH parameters")]
    UnsupportedDhParameters,
    /// A `pq` number that is not a product of two primes we can find.
    #[error("pq cannot be factorised")]
    PqFactorization,
}
