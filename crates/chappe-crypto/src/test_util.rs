//! Helpers for unit tests: hex decoding and a seeded RNG.

/// Decodes a hex string (whitespace ignored). Test-only: panics on bad input.
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).expect("ascii");
            u8::from_str_radix(text, 16).expect("hex digit")
        })
        .collect()
}

/// A deterministic cryptographic RNG for tests.
pub fn rng(seed: u64) -> rand::rngs::StdRng {
    use rand::SeedableRng;
    rand::rngs::StdRng::seed_from_u64(seed)
}

/// An "RNG" that hands out fixed bytes in order, to replay other implementations' test
/// vectors. Panics when it runs out (tests only).
pub struct Replay {
    bytes: Vec<u8>,
    position: usize,
}

impl Replay {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self { bytes, position: 0 }
    }
}

impl rand_core::TryRng for Replay {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut out = [0u8; 4];
        self.try_fill_bytes(&mut out)?;
        Ok(u32::from_le_bytes(out))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut out = [0u8; 8];
        self.try_fill_bytes(&mut out)?;
        Ok(u64::from_le_bytes(out))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        let end = self.position + dst.len();
        dst.copy_from_slice(&self.bytes[self.position..end]);
        self.position = end;
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Replay {}

/// The throwaway test key in `testdata/rsa2048.pem`.
pub fn test_server_key() -> crate::ServerRsaKey {
    crate::ServerRsaKey::from_pkcs1_pem(include_str!("../testdata/rsa2048.pem")).expect("test key")
}
