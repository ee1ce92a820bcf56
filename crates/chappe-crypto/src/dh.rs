//! Diffie-Hellman in Telegram's standard 2048-bit group.
//!
//! Every client checks `dh_prime` against this safe prime (Pyrogram and @mtproto/core accept
//! no other) and g against it; g = 3 qualifies because `dh_prime mod 3 == 2`.
//!
//! Secret exponents are 320 bits rather than 2048. In a safe-prime group the best attacks
//! on a short exponent (Pollard's kangaroo, van Oorschot-Wiener) cost about 2^(bits/2), so
//! 320 bits gives ~160-bit security, comfortably above the ~112 bits the 2048-bit modulus
//! itself offers (NFS discrete log), while making each exponentiation ~6x cheaper than a
//! full-size one. The server does two per handshake (g^a and g_b^a).

use std::sync::OnceLock;

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd, Resize};
use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use crate::CryptoError;

/// Telegram's `dh_prime`, big-endian.
pub const DH_PRIME: [u8; 256] = hex_literal(
    b"c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f\
      48198a0aa7c14058229493d22530f4dbfa336f6e0ac925139543aed44cce7c37\
      20fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64\
      2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4\
      a4a695811051907e162753b56b0f6b410dba74d8a84b2a14b3144e0ef1284754\
      fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4\
      e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f\
      0d8115f635b105ee2e4e15d04b2454bf6f4fadf034b10403119cd8e3b92fcc5b",
);

/// The generator the server announces.
pub const DH_G: u32 = 3;

/// Bits in a secret exponent (see the module docs for why).
pub const SECRET_EXPONENT_BITS: u32 = 320;

const BITS: u32 = 2048;
/// Public values must lie in [2^(2048-64), p - 2^(2048-64)] (security guidelines).
const SAFETY_MARGIN_BITS: u32 = BITS - 64;

struct Group {
    params: BoxedMontyParams,
    lower: BoxedUint,
    upper: BoxedUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let prime = BoxedUint::from_be_slice_vartime(&DH_PRIME);
        let mut lower_bytes = [0u8; 256];
        lower_bytes[(BITS - 1 - SAFETY_MARGIN_BITS) as usize / 8] = 1;
        let lower = BoxedUint::from_be_slice_vartime(&lower_bytes);
        let upper = prime.wrapping_sub(&lower);
        // A constant known to be odd: this cannot fail at run time.
        let odd = Odd::new(prime).expect("dh_prime is odd");
        Group {
            params: BoxedMontyParams::new_vartime(odd),
            lower,
            upper,
        }
    })
}

/// Checks a public value `g_a` / `g_b` (big-endian bytes, at most 256):
/// `2^(2048-64) <= value <= dh_prime - 2^(2048-64)`, which also implies `1 < value < p - 1`.
pub fn check_dh_value(value: &[u8]) -> Result<(), CryptoError> {
    let value = to_uint(value)?;
    let group = group();
    if value < group.lower || value > group.upper {
        return Err(CryptoError::DhValueOutOfRange);
    }
    Ok(())
}

/// Client side: accepts only Telegram's prime and a generator in 2..=7 that generates the
/// prime-order subgroup for it (the per-g residue conditions from the auth key docs).
pub fn check_dh_params(prime: &[u8], g: u32) -> Result<(), CryptoError> {
    let significant = prime
        .iter()
        .position(|&b| b != 0)
        .map_or(&[][..], |i| &prime[i..]);
    if significant != DH_PRIME {
        return Err(CryptoError::UnsupportedDhParameters);
    }
    let residue = |m: u32| {
        DH_PRIME
            .iter()
            .fold(0u32, |acc, &b| (acc * 256 + u32::from(b)) % m)
    };
    let ok = match g {
        2 => residue(8) == 7,
        3 => residue(3) == 2,
        4 => true,
        5 => matches!(residue(5), 1 | 4),
        6 => matches!(residue(24), 19 | 23),
        7 => matches!(residue(7), 3 | 5 | 6),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(CryptoError::UnsupportedDhParameters)
    }
}

/// One side's secret exponent with its public value `g^secret mod p`.
pub struct DhSecret {
    exponent: BoxedUint,
    public: [u8; 256],
}

impl DhSecret {
    /// Draws a secret exponent and computes `g^secret mod dh_prime`, redrawing in the
    /// (astronomically unlikely) case the public value falls outside the allowed range.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R, g: u32) -> Self {
        loop {
            let mut bytes = Zeroizing::new([0u8; (SECRET_EXPONENT_BITS / 8) as usize]);
            rng.fill_bytes(&mut bytes[..]);
            let exponent = BoxedUint::from_be_slice_vartime(&bytes[..]);
            let base = BoxedUint::from(u64::from(g)).resize(BITS);
            let public = pow_mod(&base, &exponent);
            if check_dh_value(&public).is_ok() {
                return Self { exponent, public };
            }
        }
    }

    /// The public value (`g_a` or `g_b`), big-endian, 256 bytes.
    pub fn public(&self) -> &[u8; 256] {
        &self.public
    }

    /// `other_public^secret mod dh_prime` after range-checking `other_public`: the raw
    /// authorization key (256 bytes, big-endian, left-padded with zeros).
    pub fn shared_secret(&self, other_public: &[u8]) -> Result<Zeroizing<[u8; 256]>, CryptoError> {
        check_dh_value(other_public)?;
        let base = to_uint(other_public)?;
        Ok(Zeroizing::new(pow_mod(&base, &self.exponent)))
    }
}

impl Drop for DhSecret {
    fn drop(&mut self) {
        self.exponent.zeroize();
    }
}

impl std::fmt::Debug for DhSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DhSecret { .. }")
    }
}

/// `base^exponent mod dh_prime` as 256 big-endian bytes. Constant-time in base and
/// exponent (crypto-bigint Montgomery ladder bounded to the exponent's precision).
fn pow_mod(base: &BoxedUint, exponent: &BoxedUint) -> [u8; 256] {
    let group = group();
    let result = BoxedMontyForm::new(base.clone(), &group.params)
        .pow_bounded_exp(exponent, exponent.bits_precision())
        .retrieve();
    let mut out = [0u8; 256];
    out.copy_from_slice(&result.to_be_bytes());
    out
}

fn to_uint(value: &[u8]) -> Result<BoxedUint, CryptoError> {
    if value.len() > 256 {
        return Err(CryptoError::DhValueOutOfRange);
    }
    let mut padded = [0u8; 256];
    padded[256 - value.len()..].copy_from_slice(value);
    Ok(BoxedUint::from_be_slice_vartime(&padded).resize(BITS))
}

const fn hex_literal<const N: usize>(text: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut written = 0;
    let mut high: Option<u8> = None;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        let digit = match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        if let Some(d) = digit {
            match high {
                None => high = Some(d),
                Some(h) => {
                    out[written] = h * 16 + d;
                    written += 1;
                    high = None;
                }
            }
        }
        i += 1;
    }
    assert!(written == N, "hex literal length");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::rng;

    #[test]
    fn prime_constant_is_the_documented_one() {
        assert_eq!(DH_PRIME[0], 0xc7);
        assert_eq!(DH_PRIME[255], 0x5b);
        assert!(check_dh_params(&DH_PRIME, DH_G).is_ok());
    }

    #[test]
    fn both_sides_agree() {
        let mut rng = rng(20);
        let server = DhSecret::generate(&mut rng, DH_G);
        let client = DhSecret::generate(&mut rng, DH_G);
        let a = server.shared_secret(client.public()).expect("in range");
        let b = client.shared_secret(server.public()).expect("in range");
        assert_eq!(*a, *b);
        assert_ne!(*a, [0u8; 256]);
    }

    #[test]
    fn small_exponents_match_schoolbook_results() {
        let secret = DhSecret {
            exponent: BoxedUint::from(5u64),
            public: [0; 256],
        };
        // 3^5 = 243; the range check is skipped by using pow_mod directly.
        let result = pow_mod(&BoxedUint::from(3u64).resize(BITS), &secret.exponent);
        assert_eq!(result[255], 243);
        assert!(result[..255].iter().all(|&b| b == 0));
    }

    #[test]
    fn range_checks() {
        let mut value = [0u8; 256];
        assert!(check_dh_value(&value).is_err());
        value[255] = 2;
        assert!(check_dh_value(&value).is_err());
        // Exactly 2^1984 is allowed; one below is not.
        let mut low = [0u8; 256];
        low[256 - 249] = 1;
        assert!(check_dh_value(&low).is_ok());
        let mut below = [0u8; 256];
        below[256 - 248..].fill(0xff);
        assert!(check_dh_value(&below).is_err());
        assert!(check_dh_value(&DH_PRIME).is_err());
        assert!(check_dh_value(&[0xff; 256]).is_err());
        assert!(check_dh_value(&[1; 257]).is_err());
        // p - 2^1984 is the largest allowed value.
        let mut top = DH_PRIME;
        top[7] -= 1;
        assert!(check_dh_value(&top).is_ok());
        top[255] += 1;
        assert!(check_dh_value(&top).is_err());
    }

    #[test]
    fn shared_secret_rejects_out_of_range_values() {
        let secret = DhSecret::generate(&mut rng(21), DH_G);
        assert_eq!(
            secret.shared_secret(&[1]).map(|_| ()),
            Err(CryptoError::DhValueOutOfRange)
        );
    }

    #[test]
    fn generator_checks() {
        assert!(check_dh_params(&DH_PRIME, 3).is_ok());
        assert!(check_dh_params(&DH_PRIME, 4).is_ok());
        assert!(check_dh_params(&DH_PRIME, 1).is_err());
        assert!(check_dh_params(&DH_PRIME, 8).is_err());
        let mut other = DH_PRIME;
        other[255] ^= 2;
        assert!(check_dh_params(&other, 3).is_err());
    }
}
