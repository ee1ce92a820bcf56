//! Tests for RSA keys and the req_DH_params paddings.

use super::*;
use crate::test_util::{hex, rng, test_server_key, Replay};
use crate::RsaPadding;
use proptest::prelude::*;

#[test]
fn fingerprint_of_telegrams_published_key() {
    let key = RsaPublicKey::from_pkcs1_pem(include_str!("../testdata/telegram_main.pub.pem"))
        .expect("valid PEM");
    assert_eq!(key.fingerprint(), 0xc3b4_2b02_6ce8_6b21_u64 as i64);
}

#[test]
fn pem_round_trips() {
    let key = test_server_key();
    let private_pem = key.to_pkcs1_pem().expect("encode");
    let again = ServerRsaKey::from_pkcs1_pem(&private_pem).expect("decode");
    assert_eq!(again.fingerprint(), key.fingerprint());
    let public_pem = key.public_pem().expect("encode");
    assert!(public_pem.starts_with("-----BEGIN RSA PUBLIC KEY-----"));
    let public = RsaPublicKey::from_pkcs1_pem(&public_pem).expect("decode");
    assert_eq!(public.fingerprint(), key.fingerprint());
    assert_eq!(public.e_bytes(), vec![1, 0, 1]);
    assert!(format!("{key:?}").contains("fingerprint"));
}

#[test]
fn rejects_keys_that_are_not_2048_bits() {
    assert!(RsaPublicKey::from_n_e(&[0xff; 128], &[1, 0, 1]).is_err());
    assert!(ServerRsaKey::from_pkcs1_pem("not a pem").is_err());
}

#[test]
fn old_padding_round_trip_returns_exact_data() {
    let key = test_server_key();
    let mut rng = rng(10);
    for len in [4usize, 96, 120, 232] {
        let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
        let encrypted = key.public_key().encrypt_old(&data, &mut rng).expect("fits");
        let decrypted = key.decrypt_req_dh(&encrypted).expect("decrypts");
        assert_eq!(decrypted.padding, RsaPadding::Old);
        assert_eq!(decrypted.data, data);
    }
    // Only TL-shaped data (a non-empty multiple of 4 bytes) is recognised.
    for len in [0usize, 5, 235] {
        let encrypted = key
            .public_key()
            .encrypt_old(&vec![1; len], &mut rng)
            .expect("fits");
        assert!(key.decrypt_req_dh(&encrypted).is_err());
    }
    assert_eq!(
        key.public_key().encrypt_old(&[0; 236], &mut rng),
        Err(CryptoError::RsaDataTooLong)
    );
}

#[test]
fn rsa_pad_round_trip_returns_data_with_padding() {
    let key = test_server_key();
    let mut rng = rng(11);
    for len in [0usize, 96, 144] {
        let data: Vec<u8> = (0..len).map(|i| (i * 3) as u8).collect();
        let encrypted = key
            .public_key()
            .encrypt_rsa_pad(&data, &mut rng)
            .expect("fits");
        let decrypted = key.decrypt_req_dh(&encrypted).expect("decrypts");
        assert_eq!(decrypted.padding, RsaPadding::RsaPad);
        assert_eq!(decrypted.data.len(), 192);
        assert_eq!(&decrypted.data[..len], &data[..]);
    }
    assert_eq!(
        key.public_key().encrypt_rsa_pad(&[0; 145], &mut rng),
        Err(CryptoError::RsaDataTooLong)
    );
}

// grammers-crypto's RSA_PAD vector: its 256 "random" bytes are the padding (first
// 192 - len bytes) and then temp_key (bytes 192..224).
#[test]
fn rsa_pad_matches_grammers_vector() {
    let n = hex(
        "c8c11d635691fac091dd9489aedced2932aa8a0bcefef05fa800892d9b52ed03200865c9e97211cb2ee6c7ae96d3fb0e\
         15aeffd66019b44a08a240cfdd2868a85e1f54d6fa5deaa041f6941ddf302690d61dc476385c2fa655142353cb4e4b59\
         f6e5b6584db76fe8b1370263246c010c93d011014113ebdf987d093f9d37c2be48352d69a1683f8f6e6c2167983c761e\
         3ab169fde5daaa12123fa1beab621e4da5935e9c198f82f35eae583a99386d8110ea6bd1abb0f568759f62694419ea5f\
         69847c43462abef858b4cb5edc84e7b9226cd7bd7e183aa974a712c079dde85b9dc063b8a5c08e8f859c0ee5dcd824c7\
         807f20153361a7f63cfd2a433a1be7f5",
    );
    let key = RsaPublicKey::from_n_e(&n, &[1, 0, 1]).expect("2048-bit key");
    let data = hex(
        "955ff5a9081a8e635f5743de9b00000004453dc27100000004622f1fcb000000f7a81627bbf511fa4afef71e94a0937474586c1add9198dda81a5df8393871c8293623c5fb968894af1be7dfe9c7be813f9307789242fd0cb0c16a5cb39a8d3e",
    );
    let random = hex(
        "12270000635593b03fee033d0672f9afddf9124de9e77df6251806cba93482e4c9e6e06e7d44e4c4baae821aff91af44789689faaee9bdfc7b2df8c08709afe57396c4638ceaa0dc30114f82447e81d3b53edc423b32660c43a5b8ad057b64500000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007dada0920c4973913229e0f881aec7b9db0c392d34f52fb0995ea493ecb4c09daaf68fe9554ec7a59c03e4035952b220b47a8d06aad71134110d8c44948901f8",
    );
    let mut replay = Replay::new([&random[..192 - data.len()], &random[192..]].concat());
    let encrypted = key.encrypt_rsa_pad(&data, &mut replay).expect("fits");
    assert_eq!(
        encrypted.to_vec(),
        hex("c6d211349fc10cda6983276250b09f4be9b39f533b5d314b732b51a6dd72234dab4224209992c894e0e4c9f30249f1dbbd1630a27b98f2f92a53c00baabbd46f380bd35f417e5ec2edb43f7644b5c81af011d736eb369265e848b553ae5e6350dd5695efc72bde0e35f3c3fc827b91eb97cf1efdbff12269b9c33f81645adebc89ed167edc19d285237a754bf629aa358ed08498863b2aec8b7139001627bbe8bdef239474a5a43e664d278f39e72d694a206d7b838fd40868a71c4bfbffa38b7679faa502b7795cbe5ae1bd05ca7eb01ff5b05107265fd39bd5b4e19d392b735a3b0b5b21473062981bff86ff9084a7b594775e3127c05fd454e19f794a4ab4")
    );
}

#[test]
fn tampered_and_malformed_blocks_are_rejected() {
    let key = test_server_key();
    let mut rng = rng(12);
    for encrypted in [
        key.public_key()
            .encrypt_old(&[1; 96], &mut rng)
            .expect("fits"),
        key.public_key()
            .encrypt_rsa_pad(&[1; 96], &mut rng)
            .expect("fits"),
    ] {
        let mut tampered = encrypted;
        tampered[200] ^= 0x40;
        assert_eq!(
            key.decrypt_req_dh(&tampered),
            Err(CryptoError::RsaDecryption)
        );
    }
    assert!(key.decrypt_req_dh(&[]).is_err());
    assert!(key.decrypt_req_dh(&[1; 257]).is_err());
    // At or above the modulus.
    assert!(key.decrypt_req_dh(&[0xff; 256]).is_err());
}

#[test]
fn shorter_blocks_are_read_as_numbers() {
    let key = test_server_key();
    let mut rng = rng(13);
    // Find an encryption whose first byte is zero, then drop it.
    for _ in 0..2000 {
        let encrypted = key
            .public_key()
            .encrypt_old(&[2; 96], &mut rng)
            .expect("fits");
        if encrypted[0] == 0 {
            let decrypted = key.decrypt_req_dh(&encrypted[1..]).expect("decrypts");
            assert_eq!(decrypted.data, vec![2; 96]);
            return;
        }
    }
    panic!("no ciphertext with a leading zero byte in 2000 tries");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn arbitrary_blocks_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..260)) {
        let key = test_server_key();
        prop_assert!(key.decrypt_req_dh(&bytes).is_err());
    }
}

#[test]
fn generated_keys_work_end_to_end() {
    let key = ServerRsaKey::generate(&mut rng(14)).expect("generates");
    let again = ServerRsaKey::from_pkcs1_pem(&key.to_pkcs1_pem().expect("encode")).expect("decode");
    assert_eq!(again.fingerprint(), key.fingerprint());
    let encrypted = key
        .public_key()
        .encrypt_rsa_pad(&[9; 100], &mut rng(15))
        .expect("fits");
    assert_eq!(
        &again.decrypt_req_dh(&encrypted).expect("decrypts").data[..100],
        &[9; 100]
    );
}
