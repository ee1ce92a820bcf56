//! Test support, built only with the `test-support` feature: a small seedable RNG that the
//! crate's tests and bench and the fuzz targets share, so a failing input replays exactly.
//! Nothing here is fit for production randomness.

use rand_core::{Infallible, TryCryptoRng, TryRng};

/// SplitMix64: seedable and repeatable; predictable, so for tests, benches and fuzzing only.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl TryRng for SplitMix64 {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dest.chunks_mut(8) {
            let word = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

/// The handshake code asks for a crypto RNG; under test a repeatable one stands in for it.
impl TryCryptoRng for SplitMix64 {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_partial_words_are_filled() {
        let (mut a, mut b) = (SplitMix64(9), SplitMix64(9));
        let (mut x, mut y) = ([0u8; 13], [0u8; 13]);
        a.try_fill_bytes(&mut x).expect("infallible");
        b.try_fill_bytes(&mut y).expect("infallible");
        assert_eq!(x, y);
        assert_ne!(x[8..], [0; 5]);
        assert_ne!(SplitMix64(1).try_next_u64(), SplitMix64(2).try_next_u64());
    }
}
