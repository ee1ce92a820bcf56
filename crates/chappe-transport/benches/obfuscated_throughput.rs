//! Throughput of the obfuscated intermediate transport, the one most browser
//! and TDLib clients use: a client encodes (frames + AES-CTR) a batch of
//! payloads and a server decodes them, in 16 KiB reads.

use chappe_transport::testing::SplitMix64;
use chappe_transport::{
    ClientConfig, ClientTransport, ObfuscationConfig, ServerTransport, TransportConfig,
    TransportKind,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const READ_SIZE: usize = 16 * 1024;
const BATCH_BYTES: usize = 1024 * 1024;

fn encode_and_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("obfuscated_intermediate");
    for payload_len in [1024usize, 64 * 1024] {
        // auth_key_id + msg_key + AES blocks, like an encrypted message.
        let payload = vec![0x5au8; payload_len];
        let frames = BATCH_BYTES / payload_len;
        group.throughput(Throughput::Bytes((frames * payload_len) as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(payload_len),
            &payload,
            |b, payload| {
                let mut rng = SplitMix64(1);
                let mut wire = Vec::with_capacity(BATCH_BYTES + 64 * 1024);
                b.iter(|| {
                    let config = ClientConfig::new(TransportKind::Intermediate)
                        .obfuscated(ObfuscationConfig::default());
                    let mut client = ClientTransport::new(config, &mut rng).unwrap();
                    let mut server = ServerTransport::new(TransportConfig::default());
                    wire.clear();
                    for _ in 0..frames {
                        client
                            .encode_frame(payload, false, &mut wire, &mut rng)
                            .unwrap();
                    }
                    let mut decoded = 0usize;
                    for read in wire.chunks(READ_SIZE) {
                        server.feed(read).unwrap();
                        while let Some(frame) = server.next_frame().unwrap() {
                            decoded += frame.payload.len();
                        }
                    }
                    assert_eq!(decoded, frames * payload.len());
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, encode_and_decode);
criterion_main!(benches);
