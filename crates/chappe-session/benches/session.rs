//! Throughput of the session layer: one RPC round trip between a client and a server
//! session (encryption included), and the server's handling of a ping.

use std::hint::black_box;

use chappe_crypto::{decrypt_message, Side};
use chappe_session::{
    AuthKey, ClientConfig, ClientSession, ServerConfig, ServerSalts, ServerSession, SessionEvent,
    Timestamp,
};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::rngs::StdRng;
use rand::SeedableRng;

const SESSION_ID: i64 = 42;

fn pair(now: Timestamp) -> (AuthKey, ClientSession, ServerSession) {
    let key = AuthKey::from_bytes([5; 256]);
    let salts = ServerSalts::new([1; 32]);
    let salt = salts.current(key.id(), now);
    let client = ClientSession::new(ClientConfig::default(), key.clone(), SESSION_ID, salt, 0);
    let server = ServerSession::new(
        ServerConfig::default(),
        salts,
        key.clone(),
        SESSION_ID,
        1,
        false,
    );
    (key, client, server)
}

fn rpc_round_trip(c: &mut Criterion) {
    let mut now = Timestamp::from_secs(1_700_000_000);
    let (key, mut client, mut server) = pair(now);
    let mut rng = StdRng::seed_from_u64(1);
    let query = vec![0x11u8; 64];
    c.bench_function("rpc_round_trip_64b", |b| {
        b.iter(|| {
            now = now.saturating_add(std::time::Duration::from_micros(10));
            client.invoke(query.clone());
            while let Some(packet) = client.poll_transmit(now, &mut rng) {
                let message = decrypt_message(&key, Side::Client, &packet).unwrap();
                server.handle_message(&message, now).unwrap();
            }
            while let Some(event) = server.poll_event() {
                if let SessionEvent::Call(call) = event {
                    server.push_result(call.req_msg_id, Ok(call.body));
                }
            }
            while let Some(packet) = server.poll_transmit(now, &mut rng) {
                client.handle_packet(&packet, now).unwrap();
            }
            while let Some(event) = client.poll_event() {
                black_box(event);
            }
        })
    });
}

criterion_group!(benches, rpc_round_trip);
criterion_main!(benches);
