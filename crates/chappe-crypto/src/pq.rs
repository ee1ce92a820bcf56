//! The `pq` proof of work: the server hands out a product of two primes, the client
//! factorises it.
//!
//! Each prime is drawn from [2^30, 2^31): every client packs p and q into 4 bytes (Pyrogram
//! assumes that), the spec says pq normally stays at or below 2^63 - 1, and Pollard's rho
//! still needs only about 2^15 steps.

use rand_core::CryptoRng;

use crate::CryptoError;

const PRIME_LOW: u32 = 1 << 30;
const PRIME_HIGH: u32 = 1 << 31;

/// A generated `pq` with its factors, p < q.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PqPair {
    /// The product.
    pub pq: u64,
    /// The smaller prime.
    pub p: u32,
    /// The larger prime.
    pub q: u32,
}

impl PqPair {
    /// `pq` as the big-endian bytes sent in `resPQ`.
    pub fn pq_bytes(&self) -> [u8; 8] {
        self.pq.to_be_bytes()
    }
}

/// Draws two distinct random primes in [2^30, 2^31) and returns them with their product.
pub fn generate_pq<R: CryptoRng + ?Sized>(rng: &mut R) -> PqPair {
    let first = random_prime(rng);
    let second = loop {
        let candidate = random_prime(rng);
        if candidate != first {
            break candidate;
        }
    };
    let (p, q) = (first.min(second), first.max(second));
    PqPair {
        pq: u64::from(p) * u64::from(q),
        p,
        q,
    }
}

fn random_prime<R: CryptoRng + ?Sized>(rng: &mut R) -> u32 {
    loop {
        // Force the top bit of the range and oddness, then test.
        let candidate = (rng.next_u32() % (PRIME_HIGH - PRIME_LOW)) | PRIME_LOW | 1;
        if is_prime(u64::from(candidate)) {
            return candidate;
        }
    }
}

/// Reads a big-endian unsigned number of at most 8 bytes (as `pq`, `p`, `q` travel in TL).
/// Leading zero bytes are allowed; longer or empty input is rejected.
pub fn u64_from_be_bytes(bytes: &[u8]) -> Option<u64> {
    let significant = bytes
        .iter()
        .position(|&b| b != 0)
        .map_or(&[][..], |i| &bytes[i..]);
    if bytes.is_empty() || significant.len() > 8 {
        return None;
    }
    Some(
        significant
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
    )
}

/// The minimal big-endian encoding of `value` (how clients send p and q).
pub fn u64_to_min_be_bytes(value: u64) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(7);
    bytes[first..].to_vec()
}

/// Splits `pq` into its two prime factors (p < q), using Brent's variant of Pollard's rho.
pub fn factorize_pq(pq: u64) -> Result<(u64, u64), CryptoError> {
    if pq < 4 || is_prime(pq) {
        return Err(CryptoError::PqFactorization);
    }
    let factor = if pq.is_multiple_of(2) {
        2
    } else {
        brent_factor(pq)?
    };
    let (p, q) = (factor.min(pq / factor), factor.max(pq / factor));
    if p * q != pq || !is_prime(p) || !is_prime(q) {
        return Err(CryptoError::PqFactorization);
    }
    Ok((p, q))
}

fn brent_factor(n: u64) -> Result<u64, CryptoError> {
    // Batch gcds over this many steps: one gcd per batch instead of per step.
    const BATCH: u64 = 128;
    // Iteration cap per constant: far above the ~2^16 steps a 62-bit semiprime needs, so
    // only a hostile input reaches it.
    const MAX_STEPS: u64 = 1 << 20;
    for c in 1..16u64 {
        let step = |x: u64| ((u128::from(mul_mod(x, x, n)) + u128::from(c)) % u128::from(n)) as u64;
        let (mut y, mut r, mut product) = (2u64, 1u64, 1u64);
        let (mut x, mut saved_y) = (y, y);
        let mut divisor = 1;
        while divisor == 1 && r <= MAX_STEPS {
            x = y;
            for _ in 0..r {
                y = step(y);
            }
            let mut k = 0;
            while k < r && divisor == 1 {
                saved_y = y;
                for _ in 0..BATCH.min(r - k) {
                    y = step(y);
                    product = mul_mod(product, x.abs_diff(y), n);
                }
                divisor = gcd(product, n);
                k += BATCH;
            }
            r *= 2;
        }
        if divisor == n {
            // The batch overshot; redo it one step at a time.
            divisor = 1;
            while divisor == 1 {
                saved_y = step(saved_y);
                divisor = gcd(x.abs_diff(saved_y), n);
            }
        }
        if divisor != 1 && divisor != n {
            return Ok(divisor);
        }
    }
    Err(CryptoError::PqFactorization)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(m)) as u64
}

fn pow_mod(mut base: u64, mut exp: u64, m: u64) -> u64 {
    let mut result = 1 % m;
    base %= m;
    while exp > 0 {
        if exp & 1 == 1 {
            result = mul_mod(result, base, m);
        }
        base = mul_mod(base, base, m);
        exp >>= 1;
    }
    result
}

/// Deterministic Miller-Rabin for all 64-bit numbers (the first twelve primes as bases).
pub(crate) fn is_prime(n: u64) -> bool {
    const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
    if n < 2 {
        return false;
    }
    for &p in &BASES {
        if n.is_multiple_of(p) {
            return n == p;
        }
    }
    let mut d = n - 1;
    let mut s = 0;
    while d.is_multiple_of(2) {
        d /= 2;
        s += 1;
    }
    'bases: for &a in &BASES {
        let mut x = pow_mod(a, d, n);
        if x == 1 || x == n - 1 {
            continue;
        }
        for _ in 1..s {
            x = mul_mod(x, x, n);
            if x == n - 1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::rng;

    #[test]
    fn factorises_the_documented_example() {
        // pq from core.telegram.org's auth key example: 0x17ED48941A08F981.
        assert_eq!(
            factorize_pq(0x17ED_4894_1A08_F981),
            Ok((0x494C_553B, 0x5391_1073))
        );
    }

    #[test]
    fn generated_pairs_factorise_back() {
        let mut rng = rng(3);
        for _ in 0..20 {
            let pair = generate_pq(&mut rng);
            assert!(pair.p < pair.q);
            assert!(pair.pq < 1 << 62);
            assert_eq!(
                factorize_pq(pair.pq),
                Ok((u64::from(pair.p), u64::from(pair.q)))
            );
        }
    }

    #[test]
    fn rejects_primes_and_tiny_numbers() {
        assert!(factorize_pq(0).is_err());
        assert!(factorize_pq(3).is_err());
        assert!(factorize_pq(1_000_000_007).is_err());
        assert_eq!(factorize_pq(6), Ok((2, 3)));
        // Three factors is not a pq.
        assert!(factorize_pq(3 * 5 * 7).is_err());
    }

    #[test]
    fn primality_agrees_with_trial_division() {
        for n in 0..2000u64 {
            let trial = n >= 2 && (2..n).take_while(|d| d * d <= n).all(|d| n % d != 0);
            assert_eq!(is_prime(n), trial, "{n}");
        }
    }

    #[test]
    fn big_endian_helpers() {
        assert_eq!(u64_from_be_bytes(&[0, 0, 1, 2]), Some(0x102));
        assert_eq!(u64_from_be_bytes(&[]), None);
        assert_eq!(u64_from_be_bytes(&[1; 9]), None);
        assert_eq!(u64_from_be_bytes(&[0; 12]), Some(0));
        assert_eq!(
            u64_to_min_be_bytes(0x494C_553B),
            vec![0x49, 0x4C, 0x55, 0x3B]
        );
        assert_eq!(u64_to_min_be_bytes(0), vec![0]);
    }
}
