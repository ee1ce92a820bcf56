//! SRP costs: the server's `account.getPassword` challenge (one 2048-bit-exponent modexp)
//! and its `check_password` (a 256-bit and a 2048-bit exponent), plus the client's proof
//! without the PBKDF2 step (which is the password hash's deliberate cost).

use chappe_crypto::srp::{
    compute_check_with_hash, compute_verifier_with_hash, SrpAlgo, SrpChallenge,
};
use chappe_crypto::{DH_G, DH_PRIME};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use std::hint::black_box;

fn srp(c: &mut Criterion) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let (salt1, salt2) = ([1u8; 40], [2u8; 16]);
    let algo = SrpAlgo {
        salt1: &salt1,
        salt2: &salt2,
        g: DH_G,
        p: &DH_PRIME,
    };
    let password_hash = [0x42u8; 32];
    let verifier = compute_verifier_with_hash(&algo, &password_hash).expect("telegram group");
    let challenge = SrpChallenge::generate(&verifier, &mut rng);
    let proof = compute_check_with_hash(
        &algo,
        &password_hash,
        challenge.srp_id(),
        challenge.srp_b(),
        &mut rng,
    )
    .expect("valid challenge");

    let mut group = c.benchmark_group("srp");
    group.bench_function("server_challenge", |b| {
        b.iter(|| SrpChallenge::generate(black_box(&verifier), &mut rng))
    });
    group.bench_function("server_check_password", |b| {
        b.iter(|| {
            challenge.check_password(&verifier, &salt1, &salt2, black_box(&proof.a), &proof.m1)
        })
    });
    group.bench_function("client_check_without_pbkdf2", |b| {
        b.iter(|| {
            compute_check_with_hash(
                &algo,
                black_box(&password_hash),
                challenge.srp_id(),
                challenge.srp_b(),
                &mut rng,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, srp);
criterion_main!(benches);
