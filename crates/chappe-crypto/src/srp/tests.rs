//! SRP tests: a fixed vector made by a real client (Telethon 1.45, regenerate with
//! `testdata/srp_vector.py`), client/server round trips, tampering and range checks, and
//! arbitrary bytes into every server-side input.

use proptest::prelude::*;
use zeroize::Zeroizing;

use super::*;
use crate::test_util::{hex, rng, Replay};
use crate::{DH_G, DH_PRIME};

const PASSWORD: &str = "chappe-2fa-pässword";
const SALT1_PREFIX: &str = "c8d948a030290134";
const SALT1: &str =
    "c8d948a0302901348a63b2140ac29a0c464ac6660e2a7eb2f768169f1a95d3ccc5f22dd584f0be20";
const SALT2: &str = "e3e2e56fbee497d154091b841152e342";
const SRP_ID: i64 = 0x1122_3344_5566_7788;
const SERVER_B_SECRET: &str = "\
    ea5a740dac60ad3bf73fdedd4a589931dfe3de8f9ceb76b39481ae993d6696deeb62daaecd9863ab75f854484a7a40e7\
    ef4f3c5fbb38f51c4b9b624dbd3c1df85204131ceaddf1b88394efce0906ef5a10c61439b930086daf47aaf32a5a2a84\
    5d3d4efdf2dba85ffcec346a8d45e218c9ab63f6faed1d36aad1210c31dcef56fde422c28faa35e98287beeacc16f15b\
    9b752266310a062e34663f819002821c6298e23b3b5c76b1f6b6b90da6eeb427fdf6913cf8019f5975fc37ed6969cab1\
    231b487569f4526c4df5e890ebfa4f8acdd3d1ef651b6f536cfed1b08fc14f69313124e01e832a01b0151763ef580878\
    1a8cc20df9fed06fd6c1eb5ee043228d";
const CLIENT_A_SECRET: &str = "\
    e086f0887d0ddabe3696335e5b9e92d8bb64471b3a9cb029d8474272b8dd687f2c44f2c92e27183e8bc672a7ae930897\
    e65939e297b50d3664375d288b22593fab34c4fbf85e19ecfa7e6ed79c3d4c81cf6e66e6b74b765904fcf7da0fc0da42\
    dad37b46bd88740b24ccc738146f8ae2dab264b08e4ddbe266f4f2acae1ce008976e64c2516ad3f40d7408c63fb5ad2f\
    a1e89435b1539cbdf8078d999ac6a11e59bf608c5c9c25c9e9bf93d1a352c329696d0f60b57abd3d3bf0af06916ffdba\
    fd1f6859c3863a98d561628265b1c846ba8516fd86673adb1d0f589026fee5882f8de8927dc09e92afb83718ad74dd22\
    8e34be0c24e13a1bc37e26f8acdaeb60";
const PASSWORD_HASH_X: &str = "d66117474d5b8123628cb4598d5e6694d73a9da51bee1aefca7ca10aa4ba9715";
const VERIFIER: &str = "\
    b3bcc7c09b5de2fd0857c6cda70e9d1d1ebb008b29a2e275908121e08e0d4b3b5756ed6d148e8fb81a78a54215ee97de\
    03d39bc33e0dd16251ce501a43d2aaec65ef4bbe4b00d8c0f729759fa96f5025b692cd56228ffaeaaef8264bdd216b98\
    b2c99e4376d611764bb901d8fd14d0ca81a11f67d81993ca044b16947cd4fbf178870251ad6dc79e6343ac91e82a639c\
    06962148f1879b3e316587dee6ad6dee543910f03cd88f3c04e3851221c2afd5aea18b059f9740427882f264021efd10\
    5efeeecbb0568d1fa553af186e7257417fc9f237f5e584818a855b43bd9b92aa864cc8037571ded59d2287fcee99c137\
    0fbf66730cd7dc4415244a579b3ee97c";
const SRP_B: &str = "\
    c62fec82fde59b022e1b8d1ece4f977d775ad68a409f276114f59e46807e0c57541438dff56ee7e2466b9ed39d66d761\
    ef5970b5f687b64400d95d0067cd284e278aaef65d9b700556e94c4044510f418e829929c06b5b8b2bb0b7b2f385ede7\
    35c4f26515a83e7615b45b6708fe190ff1b718a4f9d8717218530a9570904c3ac75d90de19987b98307325dd46e0adfa\
    1c432b1c74091d21cbdc23c4c7bf74e9dad13f5c7cdad31891b88fa3d20876a60879f24e8c1146abc272fe146c434bbb\
    9e733428613b9768c05173617cbe4856c70216861a8627054834aa1e67b7e3d5d04b24e511e2b0df70184b1587ed82a4\
    8cc07e82acabe4f8ac850e830ed650e8";
const CHECK_A: &str = "\
    9cb19fb1904f4ae3102180b2c8a63b11fa8d12930aca8f5d9092b6c258740701bed59b3580f9dc9f13ac3168a27c2d01\
    63b3ebb29449b13ebefb1b9a5af3376f6994a90830c4b49682082ac91b4086c0fef7616d20b3bacedfb93ce0d5a5ab63\
    abb80fb56ddeb7dac6014fc254388a2bf15bc43c0bb955898acd373cffb2da93f9caf6647b72b1163b9b040648a112e3\
    67e1a1b952502ddffd5b5409e3f0cf0ebbc1c9fcce1f8730850aaf598c5eb989b317b59afedf69cddab65cc84e3422d2\
    1f0e4dadb883f7c253f9530f924576fb6ae9774f4a603769044445094e8131f5ac56707a7cb4210e2337210428712f21\
    6431ac0800085ef147fbaaaded1183a0";
const CHECK_M1: &str = "476f47d45e3f8fff474b6a3e7bebb52b534223906111a92ea99f8f9a4ed03a40";

fn bytes256(text: &str) -> [u8; 256] {
    hex(text).try_into().expect("256 bytes")
}

fn hash32(text: &str) -> [u8; 32] {
    hex(text).try_into().expect("32 bytes")
}

/// A 256-byte number with only its last byte set: a tiny exponent that makes `g^e` fall
/// outside the DH range, to drive the redraw loops.
fn tiny(value: u8) -> Vec<u8> {
    let mut out = vec![0u8; 256];
    out[255] = value;
    out
}

fn vector_verifier() -> SrpVerifier {
    SrpVerifier::from_password_hash(&hex(VERIFIER)).expect("valid verifier")
}

fn vector_challenge() -> SrpChallenge {
    SrpChallenge::from_parts(
        SRP_ID,
        Zeroizing::new(bytes256(SERVER_B_SECRET)),
        bytes256(SRP_B),
    )
}

fn check_vector(a: &[u8], m1: &[u8]) -> Result<(), SrpError> {
    vector_challenge().check_password(&vector_verifier(), &hex(SALT1), &hex(SALT2), a, m1)
}

fn flip(mut bytes: Vec<u8>, index: usize) -> Vec<u8> {
    bytes[index] ^= 0x01;
    bytes
}

#[test]
fn telethon_vector_client_side() {
    let (salt1, salt2) = (hex(SALT1), hex(SALT2));
    let algo = SrpAlgo {
        salt1: &salt1,
        salt2: &salt2,
        g: DH_G,
        p: &DH_PRIME,
    };
    let x = compute_password_hash(PASSWORD.as_bytes(), &salt1, &salt2);
    assert_eq!(*x, hash32(PASSWORD_HASH_X));
    let verifier = compute_verifier(&algo, PASSWORD.as_bytes()).expect("telegram group");
    assert_eq!(verifier.as_bytes(), &bytes256(VERIFIER));

    // a = 1 gives A = 3, out of range: the client must redraw exactly like Telethon's loop.
    let mut replay = Replay::new([tiny(1), hex(CLIENT_A_SECRET)].concat());
    let check =
        compute_check(&algo, PASSWORD.as_bytes(), SRP_ID, &hex(SRP_B), &mut replay).expect("ok");
    assert_eq!(check.srp_id, SRP_ID);
    assert_eq!(check.a, bytes256(CHECK_A));
    assert_eq!(check.m1, hash32(CHECK_M1));
}

#[test]
fn telethon_vector_server_side() {
    let verifier = vector_verifier();
    // b = 1 gives g^b = 3, out of range: the server redraws, then takes srp_id.
    let mut replay = Replay::new(
        [
            tiny(1),
            hex(SERVER_B_SECRET),
            (SRP_ID as u64).to_le_bytes().to_vec(),
        ]
        .concat(),
    );
    let challenge = SrpChallenge::generate(&verifier, &mut replay);
    assert_eq!(challenge.srp_id(), SRP_ID);
    assert_eq!(challenge.srp_b(), &bytes256(SRP_B));
    assert_eq!(challenge.secret(), &bytes256(SERVER_B_SECRET));
    assert_eq!(check_vector(&hex(CHECK_A), &hex(CHECK_M1)), Ok(()));
}

#[test]
fn tampered_proofs_are_rejected() {
    let (a, m1) = (hex(CHECK_A), hex(CHECK_M1));
    for index in [0, 100, 255] {
        assert!(check_vector(&flip(a.clone(), index), &m1).is_err());
    }
    for index in [0, 31] {
        assert_eq!(
            check_vector(&a, &flip(m1.clone(), index)),
            Err(SrpError::PasswordMismatch)
        );
    }
    assert_eq!(check_vector(&a, &m1[..31]), Err(SrpError::PasswordMismatch));
    assert_eq!(check_vector(&a, &[]), Err(SrpError::PasswordMismatch));
    assert_eq!(
        check_vector(&a, &[m1.clone(), vec![0]].concat()),
        Err(SrpError::PasswordMismatch)
    );

    // Another B (or secret), other salts or another verifier: the same proof fails.
    let mut flipped_b = bytes256(SRP_B);
    flipped_b[255] ^= 1;
    let other_b =
        SrpChallenge::from_parts(SRP_ID, Zeroizing::new(bytes256(SERVER_B_SECRET)), flipped_b);
    let verifier = vector_verifier();
    let (salt1, salt2) = (hex(SALT1), hex(SALT2));
    assert!(other_b
        .check_password(&verifier, &salt1, &salt2, &a, &m1)
        .is_err());
    let other_secret = SrpChallenge::from_parts(
        SRP_ID,
        Zeroizing::new(bytes256(CLIENT_A_SECRET)),
        bytes256(SRP_B),
    );
    assert!(other_secret
        .check_password(&verifier, &salt1, &salt2, &a, &m1)
        .is_err());
    let challenge = vector_challenge();
    assert!(challenge
        .check_password(&verifier, &salt2, &salt1, &a, &m1)
        .is_err());
    assert!(challenge
        .check_password(&verifier, &salt1[..8], &salt2, &a, &m1)
        .is_err());
    let mut other_v = bytes256(VERIFIER);
    other_v[200] ^= 1;
    let other_v = SrpVerifier::from_password_hash(&other_v).expect("in range");
    assert!(challenge
        .check_password(&other_v, &salt1, &salt2, &a, &m1)
        .is_err());
}

#[test]
fn out_of_range_a_is_rejected() {
    let m1 = hex(CHECK_M1);
    let mut p_minus_one = DH_PRIME;
    p_minus_one[255] -= 1;
    let mut p_plus_one = DH_PRIME;
    p_plus_one[255] += 1;
    let cases: [&[u8]; 10] = [
        &[],
        &[0],
        &[0; 256],
        &tiny(1),
        &tiny(2),
        &DH_PRIME,
        &p_minus_one,
        &p_plus_one,
        &[0xff; 256],
        &[1; 257],
    ];
    for a in cases {
        assert_eq!(check_vector(a, &m1), Err(SrpError::InvalidA), "{a:02x?}");
    }
}

#[test]
fn round_trip_sets_and_checks_a_password() {
    let mut rng = rng(40);
    let offered = NewAlgoSalts::generate(&mut rng);
    let mut salt1 = offered.salt1_prefix.to_vec();
    salt1.extend_from_slice(&[0x5a; CLIENT_SALT_SUFFIX_LEN]);
    assert_eq!(check_new_salt(&offered.salt1_prefix, &salt1), Ok(()));
    let algo = SrpAlgo {
        salt1: &salt1,
        salt2: &offered.salt2,
        g: DH_G,
        p: &DH_PRIME,
    };
    let sent = compute_verifier(&algo, b"hunter2").expect("telegram group");
    let stored = SrpVerifier::from_password_hash(sent.as_bytes()).expect("valid");

    let challenge = SrpChallenge::generate(&stored, &mut rng);
    let check = |password: &[u8], rng: &mut rand::rngs::StdRng| {
        let proof = compute_check(&algo, password, challenge.srp_id(), challenge.srp_b(), rng)
            .expect("valid challenge");
        challenge.check_password(&stored, &salt1, &offered.salt2, &proof.a, &proof.m1)
    };
    assert_eq!(check(b"hunter2", &mut rng), Ok(()));
    assert_eq!(check(b"hunter3", &mut rng), Err(SrpError::PasswordMismatch));
    assert_eq!(check(b"", &mut rng), Err(SrpError::PasswordMismatch));
}

#[test]
fn check_with_cached_hash_matches_the_full_computation() {
    let (salt1, salt2) = (hex(SALT1), hex(SALT2));
    let algo = SrpAlgo {
        salt1: &salt1,
        salt2: &salt2,
        g: DH_G,
        p: &DH_PRIME,
    };
    let mut replay = Replay::new(hex(CLIENT_A_SECRET));
    let verifier = compute_verifier_with_hash(&algo, &hash32(PASSWORD_HASH_X)).expect("ok");
    assert_eq!(verifier.as_bytes(), &bytes256(VERIFIER));
    let check = compute_check_with_hash(
        &algo,
        &hash32(PASSWORD_HASH_X),
        SRP_ID,
        &hex(SRP_B),
        &mut replay,
    )
    .expect("ok");
    assert_eq!(check.a, bytes256(CHECK_A));
    assert_eq!(check.m1, hash32(CHECK_M1));
}

#[test]
fn client_rejects_bad_b_and_foreign_groups() {
    let (salt1, salt2) = (hex(SALT1), hex(SALT2));
    let algo = SrpAlgo {
        salt1: &salt1,
        salt2: &salt2,
        g: DH_G,
        p: &DH_PRIME,
    };
    let x = hash32(PASSWORD_HASH_X);
    let attempt = |b: &[u8]| compute_check_with_hash(&algo, &x, SRP_ID, b, &mut rng(41));
    for b in [&[][..], &[0; 256], &DH_PRIME, &[0xff; 256], &[1; 257]] {
        assert_eq!(attempt(b).map(|_| ()), Err(SrpError::InvalidB), "{b:02x?}");
    }
    // B = k*v + 0 would make the client's g^b zero.
    let k_v = super::math::multiplier(DH_G).mul(&super::math::residue(&bytes256(VERIFIER)));
    assert_eq!(
        attempt(&super::math::to_bytes(&k_v)).map(|_| ()),
        Err(SrpError::InvalidB)
    );

    let mut other_prime = DH_PRIME;
    other_prime[255] ^= 2;
    for (g, p) in [
        (DH_G, &other_prime[..]),
        (1, &DH_PRIME[..]),
        (9, &DH_PRIME[..]),
    ] {
        let foreign = SrpAlgo { g, p, ..algo };
        assert_eq!(
            compute_check_with_hash(&foreign, &x, SRP_ID, &hex(SRP_B), &mut rng(42)).map(|_| ()),
            Err(SrpError::UnsupportedParameters)
        );
        assert_eq!(
            compute_verifier(&foreign, b"pw").map(|_| ()),
            Err(SrpError::UnsupportedParameters)
        );
    }
}

#[test]
fn verifier_must_be_256_bytes_inside_the_group() {
    let mut p_minus_one = DH_PRIME;
    p_minus_one[255] -= 1;
    assert!(SrpVerifier::from_password_hash(&p_minus_one).is_ok());
    assert!(SrpVerifier::from_password_hash(&tiny(2)).is_ok());
    for bad in [
        &[][..],
        &[0; 256],
        &tiny(1),
        &DH_PRIME,
        &[0xff; 256],
        &hex(VERIFIER)[1..],
        &[hex(VERIFIER), vec![0]].concat(),
    ] {
        assert_eq!(
            SrpVerifier::from_password_hash(bad),
            Err(SrpError::InvalidVerifier)
        );
    }
}

#[test]
fn new_salt_must_extend_the_offered_prefix() {
    let prefix = hex(SALT1_PREFIX);
    assert_eq!(check_new_salt(&prefix, &hex(SALT1)), Ok(()));
    let longer = [hex(SALT1), vec![7; 10]].concat();
    assert_eq!(check_new_salt(&prefix, &longer), Ok(()));
    for bad in [
        vec![],
        prefix.clone(),
        hex(SALT1)[..39].to_vec(),
        flip(hex(SALT1), 0),
        flip(hex(SALT1), 7),
        [prefix.clone(), vec![0; server::MAX_SALT_LEN]].concat(),
    ] {
        assert_eq!(check_new_salt(&prefix, &bad), Err(SrpError::InvalidNewSalt));
    }
}

#[test]
fn debug_output_hides_secrets() {
    let challenge = format!("{:?}", vector_challenge());
    assert!(challenge.contains("srp_id"));
    assert!(!challenge.contains("secret") && !challenge.contains("ea5a"));
    assert_eq!(format!("{:?}", vector_verifier()), "SrpVerifier { .. }");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn arbitrary_proofs_never_pass(
        a in prop::collection::vec(any::<u8>(), 0..300),
        m1 in prop::collection::vec(any::<u8>(), 0..40),
    ) {
        prop_assert!(check_vector(&a, &m1).is_err());
    }

    #[test]
    fn arbitrary_verifiers_and_salts_do_not_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        prefix in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        if let Ok(verifier) = SrpVerifier::from_password_hash(&bytes) {
            prop_assert_eq!(verifier.as_bytes().as_slice(), bytes.as_slice());
        }
        let accepted = check_new_salt(&prefix, &bytes).is_ok();
        prop_assert_eq!(
            accepted,
            bytes.starts_with(&prefix)
                && bytes.len() >= prefix.len() + CLIENT_SALT_SUFFIX_LEN
                && bytes.len() <= server::MAX_SALT_LEN
        );
    }

    #[test]
    fn arbitrary_srp_b_never_panics_the_client(b in prop::collection::vec(any::<u8>(), 0..300)) {
        let (salt1, salt2) = (hex(SALT1), hex(SALT2));
        let algo = SrpAlgo { salt1: &salt1, salt2: &salt2, g: DH_G, p: &DH_PRIME };
        let x = hash32(PASSWORD_HASH_X);
        if let Ok(check) = compute_check_with_hash(&algo, &x, 1, &b, &mut rng(43)) {
            prop_assert!(crate::check_dh_value(&check.a).is_ok());
        }
    }
}
