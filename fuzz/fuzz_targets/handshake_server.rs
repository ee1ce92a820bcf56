//! Fuzz target: arbitrary bytes into the server side of the auth-key handshake, in each
//! state. The first input byte picks the state a well-behaved client drives the server
//! into (fresh, awaiting req_DH_params, awaiting set_client_DH_params, awaiting the key
//! check); the rest is the next plain body. Nothing may panic, and after an error the
//! handshake must refuse everything.
#![no_main]

use std::sync::{Arc, OnceLock};

use chappe_crypto::ServerRsaKey;
use chappe_mtproto::{
    decode_plain, ClientHandshake, ClientHandshakeConfig, ClientOutput, HandshakeConfig,
    HandshakeError, HandshakeOutput, ServerHandshake,
};
use chappe_transport::testing::SplitMix64;
use libfuzzer_sys::fuzz_target;

const NOW: u64 = 1_700_000_000 * 1_000_000_000;

fn config() -> &'static Arc<HandshakeConfig> {
    static CONFIG: OnceLock<Arc<HandshakeConfig>> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let pem = include_str!("../../crates/chappe-mtproto/testdata/rsa2048.pem");
        let key = ServerRsaKey::from_pkcs1_pem(pem).expect("test key");
        Arc::new(HandshakeConfig::new(key, 2))
    })
}

/// Drives a real client `steps` messages into the handshake; at step 3 the key is then
/// either stored (server done) or its id reported taken (server awaits a new g_b).
fn server_after(steps: u8, verdict_taken: bool, rng: &mut SplitMix64) -> ServerHandshake {
    let mut server = ServerHandshake::new(config().clone());
    let public = config().rsa_keys[0].public_key().clone();
    let mut client = ClientHandshake::new(ClientHandshakeConfig::new(public));
    let Ok(mut from_client) = client.start(rng) else {
        return server;
    };
    for _ in 0..steps {
        match server.handle(&from_client, NOW, rng) {
            Ok(HandshakeOutput::Reply(to_client)) => match client.handle(&to_client, NOW, rng) {
                Ok(ClientOutput::Send(next)) => from_client = next,
                _ => return server,
            },
            _ => return server,
        }
    }
    if steps == 3 {
        // Let the server compute the key, then give the caller's verdict.
        if let Ok(HandshakeOutput::KeyCreated(_)) = server.handle(&from_client, NOW, rng) {
            let _ = if verdict_taken {
                server.key_id_taken()
            } else {
                server.key_stored()
            };
        }
    }
    server
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let _ = decode_plain(body);
    let mut rng = SplitMix64(u64::from(selector));
    let mut server = server_after(selector % 4, selector & 0x40 != 0, &mut rng);
    match server.handle(body, NOW, &mut rng) {
        Ok(HandshakeOutput::KeyCreated(_)) => {
            let _ = if selector & 0x80 == 0 {
                server.key_stored()
            } else {
                server.key_id_taken()
            };
        }
        Ok(HandshakeOutput::Reply(_)) => {}
        Err(_) => {
            assert_eq!(
                server.handle(body, NOW, &mut rng).map(|_| ()),
                Err(HandshakeError::Finished)
            );
        }
    }
});
