//! AES-256 in Infinite Garble Extension (IGE) mode, in place.
//!
//! IGE chains both ways: `c_i = E(m_i ^ c_{i-1}) ^ m_{i-1}`. The 32-byte IV holds the
//! initial `c_{-1}` (first half) and `m_{-1}` (second half), the layout OpenSSL and every
//! Telegram client use. Both directions are inherently sequential, so this works one block
//! at a time on top of the `aes` crate (which picks AES-NI at run time).

use aes::cipher::{Block, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::Aes256;

use crate::CryptoError;

const BLOCK: usize = 16;

/// Encrypts `data` in place with AES-256-IGE. `data.len()` must be a multiple of 16.
pub fn ige_encrypt(data: &mut [u8], key: &[u8; 32], iv: &[u8; 32]) -> Result<(), CryptoError> {
    let cipher = Aes256::new(key.into());
    ige_encrypt_with(&cipher, data, iv)
}

/// Decrypts `data` in place with AES-256-IGE. `data.len()` must be a multiple of 16.
pub fn ige_decrypt(data: &mut [u8], key: &[u8; 32], iv: &[u8; 32]) -> Result<(), CryptoError> {
    let cipher = Aes256::new(key.into());
    ige_decrypt_with(&cipher, data, iv)
}

/// IGE encryption over any 128-bit block cipher (generic so tests can use the published
/// AES-128 IGE vectors).
pub(crate) fn ige_encrypt_with<C: BlockCipherEncrypt<BlockSize = aes::cipher::consts::U16>>(
    cipher: &C,
    data: &mut [u8],
    iv: &[u8; 32],
) -> Result<(), CryptoError> {
    if !data.len().is_multiple_of(BLOCK) {
        return Err(CryptoError::InvalidLength(
            "IGE data must be a multiple of 16 bytes",
        ));
    }
    let (mut prev_cipher, mut prev_plain) = split_iv(iv);
    for chunk in data.chunks_exact_mut(BLOCK) {
        let mut plain = [0u8; BLOCK];
        plain.copy_from_slice(chunk);
        let mut block = Block::<C>::default();
        xor_into(&mut block, &plain, &prev_cipher);
        cipher.encrypt_block(&mut block);
        xor_into(chunk, &block, &prev_plain);
        prev_cipher.copy_from_slice(chunk);
        prev_plain = plain;
    }
    Ok(())
}

/// IGE decryption over any 128-bit block cipher.
pub(crate) fn ige_decrypt_with<C: BlockCipherDecrypt<BlockSize = aes::cipher::consts::U16>>(
    cipher: &C,
    data: &mut [u8],
    iv: &[u8; 32],
) -> Result<(), CryptoError> {
    if !data.len().is_multiple_of(BLOCK) {
        return Err(CryptoError::InvalidLength(
            "IGE data must be a multiple of 16 bytes",
        ));
    }
    let (mut prev_cipher, mut prev_plain) = split_iv(iv);
    for chunk in data.chunks_exact_mut(BLOCK) {
        let mut ciphertext = [0u8; BLOCK];
        ciphertext.copy_from_slice(chunk);
        let mut block = Block::<C>::default();
        xor_into(&mut block, &ciphertext, &prev_plain);
        cipher.decrypt_block(&mut block);
        xor_into(chunk, &block, &prev_cipher);
        prev_plain.copy_from_slice(chunk);
        prev_cipher = ciphertext;
    }
    Ok(())
}

fn split_iv(iv: &[u8; 32]) -> ([u8; BLOCK], [u8; BLOCK]) {
    let mut first = [0u8; BLOCK];
    let mut second = [0u8; BLOCK];
    first.copy_from_slice(&iv[..BLOCK]);
    second.copy_from_slice(&iv[BLOCK..]);
    (first, second)
}

fn xor_into(out: &mut [u8], a: &[u8], b: &[u8]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = x ^ y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;
    use aes::Aes128;

    fn aes128_ige(key: &str, iv: &str, plain: &str, expected: &str) {
        let key = hex(key);
        let cipher = Aes128::new_from_slice(&key).expect("16-byte key");
        let iv: [u8; 32] = hex(iv).try_into().expect("32-byte iv");
        let mut data = hex(plain);
        ige_encrypt_with(&cipher, &mut data, &iv).expect("aligned");
        assert_eq!(data, hex(expected));
        ige_decrypt_with(&cipher, &mut data, &iv).expect("aligned");
        assert_eq!(data, hex(plain));
    }

    // The AES-128 IGE vectors from OpenSSL's igetest.c (Ben Laurie's IGE paper).
    #[test]
    fn openssl_vector_zero_plaintext() {
        aes128_ige(
            "000102030405060708090A0B0C0D0E0F",
            "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "1A8519A6557BE652E9DA8E43DA4EF4453CF456B4CA488AA383C79C98B34797CB",
        );
    }

    #[test]
    fn openssl_vector_text() {
        aes128_ige(
            "5468697320697320616E20696D706C65",
            "6D656E746174696F6E206F6620494745206D6F646520666F72204F70656E5353",
            "99706487A1CDE613BC6DE0B6F24B1C7AA448C8B9C3403E3467A8CAD89340F53B",
            "4C2E204C6574277320686F70652042656E20676F74206974207269676874210A",
        );
    }

    fn counting<const N: usize>() -> [u8; N] {
        std::array::from_fn(|i| i as u8)
    }

    // AES-256-IGE vectors with key = iv = data = 0, 1, 2, … (from grammers-crypto's tests).
    #[test]
    fn aes256_counting_vector_encrypt() {
        let mut data = counting::<32>().to_vec();
        ige_encrypt(&mut data, &counting(), &counting()).expect("aligned");
        assert_eq!(
            data,
            [
                226, 129, 18, 165, 62, 92, 137, 199, 177, 234, 128, 113, 193, 51, 105, 159, 212,
                232, 107, 38, 196, 186, 201, 252, 90, 241, 171, 140, 226, 122, 68, 164,
            ]
        );
    }

    #[test]
    fn aes256_counting_vector_decrypt() {
        let mut data = counting::<32>().to_vec();
        ige_decrypt(&mut data, &counting(), &counting()).expect("aligned");
        assert_eq!(
            data,
            [
                229, 119, 122, 250, 205, 123, 44, 22, 247, 172, 64, 202, 230, 30, 246, 3, 254, 230,
                9, 143, 184, 168, 134, 10, 185, 238, 103, 44, 215, 229, 186, 204,
            ]
        );
    }

    #[test]
    fn rejects_unaligned_lengths() {
        let mut data = [0u8; 17];
        assert!(ige_encrypt(&mut data, &[0; 32], &[0; 32]).is_err());
        assert!(ige_decrypt(&mut data, &[0; 32], &[0; 32]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn round_trip(blocks in proptest::collection::vec(proptest::prelude::any::<[u8; 16]>(), 0..8),
                      key in proptest::prelude::any::<[u8; 32]>(),
                      iv in proptest::prelude::any::<[u8; 32]>()) {
            let plain: Vec<u8> = blocks.concat();
            let mut data = plain.clone();
            ige_encrypt(&mut data, &key, &iv).expect("aligned");
            ige_decrypt(&mut data, &key, &iv).expect("aligned");
            proptest::prop_assert_eq!(data, plain);
        }
    }
}
