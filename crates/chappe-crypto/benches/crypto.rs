//! Kernel benchmarks: AES-IGE throughput, RSA-2048 decryption in both req_DH_params
//! paddings, and the 2048-bit DH exponentiation with our exponent size.

use chappe_crypto::{ige_decrypt, ige_encrypt, AuthKey, DhSecret, ServerRsaKey, Side, DH_G};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::SeedableRng;
use std::hint::black_box;

fn rng() -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(1)
}

fn aes_ige(c: &mut Criterion) {
    let mut group = c.benchmark_group("aes_ige");
    let mut data = vec![0x5au8; 1 << 20];
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function("encrypt_1MiB", |b| {
        b.iter(|| ige_encrypt(black_box(&mut data), &[1; 32], &[2; 32]))
    });
    group.bench_function("decrypt_1MiB", |b| {
        b.iter(|| ige_decrypt(black_box(&mut data), &[1; 32], &[2; 32]))
    });
    group.finish();
}

fn message(c: &mut Criterion) {
    let key = AuthKey::from_bytes([7; 256]);
    let plaintext = vec![0u8; 32 + 1024];
    let mut rng = rng();
    let packet = chappe_crypto::encrypt_message(&key, Side::Server, &plaintext, &mut rng);
    let mut group = c.benchmark_group("mtproto2_message_1KiB");
    group.throughput(Throughput::Bytes(plaintext.len() as u64));
    group.bench_function("encrypt", |b| {
        b.iter(|| {
            chappe_crypto::encrypt_message(&key, Side::Server, black_box(&plaintext), &mut rng)
        })
    });
    group.bench_function("decrypt", |b| {
        b.iter(|| chappe_crypto::decrypt_message(&key, Side::Server, black_box(&packet)))
    });
    group.finish();
}

fn rsa(c: &mut Criterion) {
    let key =
        ServerRsaKey::from_pkcs1_pem(include_str!("../testdata/rsa2048.pem")).expect("test key");
    let mut rng = rng();
    let data = [3u8; 96];
    let old = key.public_key().encrypt_old(&data, &mut rng).expect("fits");
    let pad = key
        .public_key()
        .encrypt_rsa_pad(&data, &mut rng)
        .expect("fits");
    let mut group = c.benchmark_group("rsa2048_decrypt_req_dh");
    group.bench_function("old_padding", |b| {
        b.iter(|| key.decrypt_req_dh(black_box(&old)))
    });
    group.bench_function("rsa_pad", |b| {
        b.iter(|| key.decrypt_req_dh(black_box(&pad)))
    });
    group.finish();
}

fn dh(c: &mut Criterion) {
    let mut rng = rng();
    let peer = DhSecret::generate(&mut rng, DH_G);
    let mut group = c.benchmark_group("dh2048_exp320");
    group.bench_function("generate_g_a", |b| {
        b.iter(|| DhSecret::generate(&mut rng, DH_G))
    });
    let mine = DhSecret::generate(&mut rng, DH_G);
    group.bench_function("shared_secret", |b| {
        b.iter(|| mine.shared_secret(black_box(peer.public())))
    });
    group.finish();
}

criterion_group!(benches, aes_ige, message, rsa, dh);
criterion_main!(benches);
