//! Throughput of the obfuscated intermediate transport, the one most browser
//! and TDLib clients use: a client encodes (frames + AES-CTR) a batch of
//! payloads and a server decodes them, in 16 KiB reads.

use chappe_transport::{
    ClientConfig, ClientTransport, ObfuscationConfig, ServerTransport, TransportConfig,
    TransportKind,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand_core::{Infallible, TryRng};

/// SplitMix64; the bench needs repeatable bytes, not good ones.
struct BenchRng(u64);

impl TryRng for BenchRng {
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
                let mut rng = BenchRng(1);
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
