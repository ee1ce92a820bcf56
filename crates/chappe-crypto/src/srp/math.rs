//! The group arithmetic and hashes both SRP roles share: `k`, `u`, `M1` and conversions
//! between 256-byte big-endian numbers and Montgomery residues modulo Telegram's prime.

use std::sync::OnceLock;

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd, Resize};
use zeroize::Zeroizing;

use crate::hash::sha256;
use crate::DH_PRIME;

/// Every number on the wire and in a hash is this many bytes, big-endian.
pub(super) const NUM_LEN: usize = 256;
const BITS: u32 = 2048;

fn params() -> &'static BoxedMontyParams {
    static PARAMS: OnceLock<BoxedMontyParams> = OnceLock::new();
    PARAMS.get_or_init(|| {
        let prime = BoxedUint::from_be_slice_vartime(&DH_PRIME);
        // A constant known to be odd: this cannot fail at run time.
        let odd = Odd::new(prime).expect("dh_prime is odd");
        BoxedMontyParams::new_vartime(odd)
    })
}

/// Left-pads a big-endian number of at most 256 bytes to exactly 256.
pub(super) fn pad(value: &[u8]) -> Option<[u8; NUM_LEN]> {
    let start = NUM_LEN.checked_sub(value.len())?;
    let mut out = [0u8; NUM_LEN];
    out[start..].copy_from_slice(value);
    Some(out)
}

/// A 256-byte number as a 2048-bit integer (also used for secret exponents).
pub(super) fn to_uint(value: &[u8; NUM_LEN]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(value).resize(BITS)
}

fn prime() -> BoxedUint {
    to_uint(&DH_PRIME)
}

/// `1 < value < p`: a usable group element that is not the identity.
pub(super) fn is_nontrivial_element(value: &[u8; NUM_LEN]) -> bool {
    let value = to_uint(value);
    value > BoxedUint::one().resize(BITS) && value < prime()
}

/// `0 < value < p` (the check clients apply to `srp_B`).
pub(super) fn is_nonzero_element(value: &[u8; NUM_LEN]) -> bool {
    let value = to_uint(value);
    value > BoxedUint::zero().resize(BITS) && value < prime()
}

/// The residue of a number already known to be below `p`.
pub(super) fn residue(value: &[u8; NUM_LEN]) -> BoxedMontyForm {
    BoxedMontyForm::new(to_uint(value), params())
}

pub(super) fn to_bytes(value: &BoxedMontyForm) -> [u8; NUM_LEN] {
    let mut out = [0u8; NUM_LEN];
    out.copy_from_slice(&value.retrieve().to_be_bytes());
    out
}

/// `base^exponent mod p`, constant-time in the exponent's value (its bit length, fixed by
/// its precision, is public).
pub(super) fn pow(base: &BoxedMontyForm, exponent: &BoxedUint) -> BoxedMontyForm {
    base.pow_bounded_exp(exponent, exponent.bits_precision())
}

pub(super) fn generator(g: u32) -> [u8; NUM_LEN] {
    let mut out = [0u8; NUM_LEN];
    out[NUM_LEN - 4..].copy_from_slice(&g.to_be_bytes());
    out
}

/// `k = H(p | g)`, reduced into the group (it is 256 bits, far below `p`).
pub(super) fn multiplier(g: u32) -> BoxedMontyForm {
    let k = sha256(&[&DH_PRIME, &generator(g)]);
    let mut padded = [0u8; NUM_LEN];
    padded[NUM_LEN - 32..].copy_from_slice(&k);
    residue(&padded)
}

/// The scrambler `u = H(A | B)` as an exponent.
pub(super) fn scrambler(a: &[u8; NUM_LEN], b: &[u8; NUM_LEN]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(&sha256(&[a, b]))
}

/// `M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | A | B | H(S))`.
pub(super) fn proof(
    g: u32,
    salt1: &[u8],
    salt2: &[u8],
    a: &[u8; NUM_LEN],
    b: &[u8; NUM_LEN],
    shared: &[u8; NUM_LEN],
) -> [u8; 32] {
    let mut group_hash = sha256(&[&DH_PRIME]);
    for (out, g_byte) in group_hash.iter_mut().zip(sha256(&[&generator(g)])) {
        *out ^= g_byte;
    }
    let key = Zeroizing::new(sha256(&[shared]));
    sha256(&[
        &group_hash,
        &sha256(&[salt1]),
        &sha256(&[salt2]),
        a,
        b,
        &key[..],
    ])
}
