//! Telegram's two-step verification: SRP-6a over the 2048-bit MTProto group with the
//! `passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow` password hash.
//!
//! The server ([`server`]) keeps only the verifier `v = g^x mod p` with the account's
//! `salt1`/`salt2`; it answers `account.getPassword` with a fresh [`SrpChallenge`] (`srp_id`,
//! `srp_B`) and checks the client's `inputCheckPasswordSRP` (`A`, `M1`) against it.
//! The client ([`client`]) turns a password into `x`, the verifier (sent as
//! `new_password_hash` when setting a password) and the `A`/`M1` proof.
//!
//! Only Telegram's prime ([`DH_PRIME`](crate::DH_PRIME)) is supported; the server always
//! announces g = [`DH_G`](crate::DH_G). Numbers are hashed big-endian, padded to 256 bytes,
//! as the spec (core.telegram.org/api/srp) requires.

pub mod client;
mod math;
pub mod server;

#[cfg(test)]
mod tests;

pub use client::{
    compute_check, compute_check_with_hash, compute_password_hash, compute_verifier,
    compute_verifier_with_hash, SrpAlgo, SrpCheck,
};
pub use server::{check_new_salt, NewAlgoSalts, SrpChallenge, SrpVerifier};

/// Iterations of PBKDF2-HMAC-SHA512 in the password hash (fixed by the algorithm's name).
pub const PBKDF2_ITERATIONS: u32 = 100_000;

/// Bytes a client appends to the server's `new_algo.salt1` when it sets a password.
pub const CLIENT_SALT_SUFFIX_LEN: usize = 32;

/// Why an SRP step failed. A caller answering RPCs maps [`SrpError::PasswordMismatch`] and
/// [`SrpError::InvalidA`] to `PASSWORD_HASH_INVALID`, [`SrpError::InvalidVerifier`] to
/// `NEW_SETTINGS_INVALID` and [`SrpError::InvalidNewSalt`] to `NEW_SALT_INVALID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SrpError {
    /// `p`/`g` are not Telegram's group (or g does not generate the prime-order subgroup).
    #[error("unsupported SRP group parameters")]
    UnsupportedParameters,
    /// A verifier (`new_password_hash`) that is not 256 bytes with `1 < v < p`.
    #[error("invalid password verifier")]
    InvalidVerifier,
    /// The client's `A` is outside the allowed range (or gives a zero scrambler `u`).
    #[error("SRP A out of range")]
    InvalidA,
    /// The server's `srp_B` (or `g^b` recovered from it) is outside the allowed range.
    #[error("SRP B out of range")]
    InvalidB,
    /// `M1` does not prove knowledge of the password.
    #[error("password check failed")]
    PasswordMismatch,
    /// A new `salt1` that does not extend the server's prefix by enough bytes, or is too long.
    #[error("new salt does not extend the server's salt")]
    InvalidNewSalt,
}
