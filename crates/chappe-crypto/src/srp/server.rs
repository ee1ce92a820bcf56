//! The server role: validating a new verifier and salt, issuing `srp_B`, checking `M1`.
//!
//! Flow: when a client sets a password it sends `new_password_hash` (the verifier `v`,
//! see [`SrpVerifier::from_password_hash`]) and `new_algo` whose `salt1` must extend the
//! prefix the server offered ([`check_new_salt`]). Each `account.getPassword` then hands out
//! a fresh [`SrpChallenge`]; the caller keeps it, keyed by `srp_id`, for a short while and
//! runs [`SrpChallenge::check_password`] on the `inputCheckPasswordSRP` that names it.
//! Challenges should be single-use and dropped when the password changes (the check would
//! fail anyway: `srp_B` depends on the old verifier).

use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::math::{self, NUM_LEN};
use super::{SrpError, CLIENT_SALT_SUFFIX_LEN};
use crate::hash::ct_eq;
use crate::{check_dh_value, DH_G};

/// Longest `salt1` accepted from a client, to bound what gets stored per account
/// (real clients send the 8-byte server prefix plus 32 bytes).
pub const MAX_SALT_LEN: usize = 256;

/// The password verifier `v = g^x mod p`, 256 bytes big-endian. It is not the password, but
/// it allows an offline dictionary attack, so it is wiped on drop and never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct SrpVerifier([u8; NUM_LEN]);

impl SrpVerifier {
    /// Accepts a client's `new_password_hash` (or a stored verifier): exactly 256 bytes,
    /// as the spec requires, with `1 < v < p`.
    pub fn from_password_hash(bytes: &[u8]) -> Result<Self, SrpError> {
        let value: [u8; NUM_LEN] = bytes.try_into().map_err(|_| SrpError::InvalidVerifier)?;
        if !math::is_nontrivial_element(&value) {
            return Err(SrpError::InvalidVerifier);
        }
        Ok(Self(value))
    }

    /// The verifier as stored and as clients send it.
    pub fn as_bytes(&self) -> &[u8; NUM_LEN] {
        &self.0
    }

    /// Used by the client module, whose `g^x` is in range by construction.
    pub(super) fn from_valid(value: [u8; NUM_LEN]) -> Self {
        Self(value)
    }
}

impl Drop for SrpVerifier {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for SrpVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SrpVerifier { .. }")
    }
}

/// Checks the `salt1` of a client's `new_algo`: the server's prefix followed by at least
/// [`CLIENT_SALT_SUFFIX_LEN`] bytes of the client's own, at most [`MAX_SALT_LEN`] in all.
/// (That `salt2`, `g` and `p` are the ones offered is a plain equality for the caller.)
pub fn check_new_salt(server_salt1_prefix: &[u8], client_salt1: &[u8]) -> Result<(), SrpError> {
    let long_enough = client_salt1.len() >= server_salt1_prefix.len() + CLIENT_SALT_SUFFIX_LEN;
    if !long_enough
        || client_salt1.len() > MAX_SALT_LEN
        || !client_salt1.starts_with(server_salt1_prefix)
    {
        return Err(SrpError::InvalidNewSalt);
    }
    Ok(())
}

/// The salts a server offers in `account.password.new_algo` (Telegram's own sizes: an
/// 8-byte `salt1` prefix for the client to extend, a 16-byte `salt2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlgoSalts {
    pub salt1_prefix: [u8; 8],
    pub salt2: [u8; 16],
}

impl NewAlgoSalts {
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut salts = Self {
            salt1_prefix: [0; 8],
            salt2: [0; 16],
        };
        rng.fill_bytes(&mut salts.salt1_prefix);
        rng.fill_bytes(&mut salts.salt2);
        salts
    }
}

/// One `account.getPassword` answer: `srp_id`, `srp_B = (k*v + g^b) mod p` and the secret
/// exponent `b` needed to check the client's proof later.
pub struct SrpChallenge {
    srp_id: i64,
    secret: Zeroizing<[u8; NUM_LEN]>,
    srp_b: [u8; NUM_LEN],
}

impl SrpChallenge {
    /// Draws a 2048-bit `b` (the spec's size) and a random `srp_id`. `b` is redrawn in the
    /// (astronomically unlikely) case that `g^b` or `srp_B` falls outside the DH safety range,
    /// since clients reject a `g^b = srp_B - k*v` out of range.
    pub fn generate<R: CryptoRng + ?Sized>(verifier: &SrpVerifier, rng: &mut R) -> Self {
        let generator = math::residue(&math::generator(DH_G));
        let k_v = math::multiplier(DH_G).mul(&math::residue(verifier.as_bytes()));
        loop {
            let mut secret = Zeroizing::new([0u8; NUM_LEN]);
            rng.fill_bytes(&mut secret[..]);
            let exponent = Zeroizing::new(math::to_uint(&secret));
            let g_b = math::pow(&generator, &exponent);
            let srp_b = math::to_bytes(&k_v.add(&g_b));
            if check_dh_value(&math::to_bytes(&g_b)).is_err() || check_dh_value(&srp_b).is_err() {
                continue;
            }
            let srp_id = rng.next_u64() as i64;
            return Self {
                srp_id,
                secret,
                srp_b,
            };
        }
    }

    /// Rebuilds a challenge the caller stored (for example across a restart).
    pub fn from_parts(srp_id: i64, secret: Zeroizing<[u8; NUM_LEN]>, srp_b: [u8; NUM_LEN]) -> Self {
        Self {
            srp_id,
            secret,
            srp_b,
        }
    }

    pub fn srp_id(&self) -> i64 {
        self.srp_id
    }

    /// `srp_B` for `account.password`, 256 bytes big-endian.
    pub fn srp_b(&self) -> &[u8; NUM_LEN] {
        &self.srp_b
    }

    /// The secret exponent `b`, for callers that persist challenges.
    pub fn secret(&self) -> &[u8; NUM_LEN] {
        &self.secret
    }

    /// Checks an `inputCheckPasswordSRP` (`A`, `M1`) for the account whose verifier and
    /// current salts are given: `A` must pass the DH range checks, then
    /// `S = (A * v^u)^b mod p` and `M1` is compared in constant time.
    pub fn check_password(
        &self,
        verifier: &SrpVerifier,
        salt1: &[u8],
        salt2: &[u8],
        a: &[u8],
        m1: &[u8],
    ) -> Result<(), SrpError> {
        check_dh_value(a).map_err(|_| SrpError::InvalidA)?;
        let a = math::pad(a).ok_or(SrpError::InvalidA)?;
        let u = math::scrambler(&a, &self.srp_b);
        if bool::from(u.is_zero()) {
            return Err(SrpError::InvalidA);
        }
        let v_u = math::pow(&math::residue(verifier.as_bytes()), &u);
        let exponent = Zeroizing::new(math::to_uint(&self.secret));
        let shared = Zeroizing::new(math::to_bytes(&math::pow(
            &math::residue(&a).mul(&v_u),
            &exponent,
        )));
        let expected = math::proof(DH_G, salt1, salt2, &a, &self.srp_b, &shared);
        if ct_eq(&expected, m1) {
            Ok(())
        } else {
            Err(SrpError::PasswordMismatch)
        }
    }
}

impl std::fmt::Debug for SrpChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SrpChallenge")
            .field("srp_id", &self.srp_id)
            .finish_non_exhaustive()
    }
}
