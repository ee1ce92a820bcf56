//! The client role: the password hash `x`, the verifier sent as `new_password_hash`, and
//! the `A`/`M1` proof for `inputCheckPasswordSRP`.
//!
//! The PBKDF2 step (100 000 rounds of HMAC-SHA512) dominates; callers that check the same
//! password more than once can keep the result of [`compute_password_hash`] and use
//! [`compute_check_with_hash`].

use crypto_bigint::{BoxedUint, ConcatenatingMul};
use rand_core::CryptoRng;
use sha2::Sha512;
use zeroize::Zeroizing;

use super::math::{self, NUM_LEN};
use super::server::SrpVerifier;
use super::{SrpError, PBKDF2_ITERATIONS};
use crate::check_dh_value;
use crate::dh::check_dh_params;
use crate::hash::sha256;

/// The fields of `passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow`.
#[derive(Debug, Clone, Copy)]
pub struct SrpAlgo<'a> {
    pub salt1: &'a [u8],
    pub salt2: &'a [u8],
    pub g: u32,
    pub p: &'a [u8],
}

impl SrpAlgo<'_> {
    fn check_group(&self) -> Result<(), SrpError> {
        check_dh_params(self.p, self.g).map_err(|_| SrpError::UnsupportedParameters)
    }
}

/// What goes into `inputCheckPasswordSRP`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrpCheck {
    pub srp_id: i64,
    pub a: [u8; NUM_LEN],
    pub m1: [u8; 32],
}

/// `x = PH2(password, salt1, salt2)`, where `SH(data, salt) = SHA256(salt | data | salt)`,
/// `PH1 = SH(SH(password, salt1), salt2)` and
/// `PH2 = SH(PBKDF2-HMAC-SHA512(PH1, salt1, 100000), salt2)`. The password is its UTF-8 bytes.
pub fn compute_password_hash(password: &[u8], salt1: &[u8], salt2: &[u8]) -> Zeroizing<[u8; 32]> {
    let inner = Zeroizing::new(sha256(&[salt1, password, salt1]));
    let ph1 = Zeroizing::new(sha256(&[salt2, &inner[..], salt2]));
    let mut stretched = Zeroizing::new([0u8; 64]);
    pbkdf2::pbkdf2_hmac::<Sha512>(&ph1[..], salt1, PBKDF2_ITERATIONS, &mut stretched[..]);
    Zeroizing::new(sha256(&[salt2, &stretched[..], salt2]))
}

/// The verifier `v = g^x mod p` for `new_password_hash` (use salts whose `salt1` already has
/// the client's 32 random bytes appended).
pub fn compute_verifier(algo: &SrpAlgo<'_>, password: &[u8]) -> Result<SrpVerifier, SrpError> {
    algo.check_group()?;
    let x = compute_password_hash(password, algo.salt1, algo.salt2);
    Ok(verifier_from_hash(algo.g, &x))
}

/// [`compute_verifier`] from a password hash `x` computed earlier.
pub fn compute_verifier_with_hash(
    algo: &SrpAlgo<'_>,
    password_hash: &[u8; 32],
) -> Result<SrpVerifier, SrpError> {
    algo.check_group()?;
    Ok(verifier_from_hash(algo.g, password_hash))
}

fn verifier_from_hash(g: u32, x: &[u8; 32]) -> SrpVerifier {
    let exponent = Zeroizing::new(BoxedUint::from_be_slice_vartime(x));
    let generator = math::residue(&math::generator(g));
    // g generates a subgroup of order (p-1)/2 and x < 2^256, so 1 < g^x < p.
    SrpVerifier::from_valid(math::to_bytes(&math::pow(&generator, &exponent)))
}

/// The proof for `inputCheckPasswordSRP` from the password and `account.password`
/// (`current_algo`, `srp_id`, `srp_B`).
pub fn compute_check<R: CryptoRng + ?Sized>(
    algo: &SrpAlgo<'_>,
    password: &[u8],
    srp_id: i64,
    srp_b: &[u8],
    rng: &mut R,
) -> Result<SrpCheck, SrpError> {
    algo.check_group()?;
    let x = compute_password_hash(password, algo.salt1, algo.salt2);
    compute_check_with_hash(algo, &x, srp_id, srp_b, rng)
}

/// [`compute_check`] from a password hash `x` computed earlier. Draws a 2048-bit `a`,
/// redrawing while `A = g^a` is outside the DH range or `u = H(A | B)` is zero.
pub fn compute_check_with_hash<R: CryptoRng + ?Sized>(
    algo: &SrpAlgo<'_>,
    password_hash: &[u8; 32],
    srp_id: i64,
    srp_b: &[u8],
    rng: &mut R,
) -> Result<SrpCheck, SrpError> {
    algo.check_group()?;
    let srp_b = math::pad(srp_b).ok_or(SrpError::InvalidB)?;
    if !math::is_nonzero_element(&srp_b) {
        return Err(SrpError::InvalidB);
    }
    let verifier = verifier_from_hash(algo.g, password_hash);
    let k_v = math::multiplier(algo.g).mul(&math::residue(verifier.as_bytes()));
    // t = B - k*v is the server's g^b; a server that did its job keeps it in range.
    let g_b = math::residue(&srp_b).sub(&k_v);
    check_dh_value(&math::to_bytes(&g_b)).map_err(|_| SrpError::InvalidB)?;

    let generator = math::residue(&math::generator(algo.g));
    let (secret, a, u) = loop {
        let mut bytes = Zeroizing::new([0u8; NUM_LEN]);
        rng.fill_bytes(&mut bytes[..]);
        let secret = Zeroizing::new(math::to_uint(&bytes));
        let a = math::to_bytes(&math::pow(&generator, &secret));
        if check_dh_value(&a).is_err() {
            continue;
        }
        let u = math::scrambler(&a, &srp_b);
        if !bool::from(u.is_zero()) {
            break (secret, a, u);
        }
    };

    // S = t^(a + u*x); the exponent is computed exactly (2048 + 1 bits), not reduced.
    let x = Zeroizing::new(BoxedUint::from_be_slice_vartime(&password_hash[..]));
    let u_x = Zeroizing::new(u.concatenating_mul(&*x));
    let exponent = Zeroizing::new(secret.concatenating_add(&*u_x));
    let shared = Zeroizing::new(math::to_bytes(&math::pow(&g_b, &exponent)));
    let m1 = math::proof(algo.g, algo.salt1, algo.salt2, &a, &srp_b, &shared);
    Ok(SrpCheck { srp_id, a, m1 })
}
