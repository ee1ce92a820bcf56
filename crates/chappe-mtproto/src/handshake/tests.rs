//! Handshake tests: client and server state machines run against each other in memory.

use std::sync::Arc;

use chappe_crypto::hash::sha256;
use chappe_crypto::{RsaPadding, ServerRsaKey};
use chappe_tl::mtproto::{functions, types};
use chappe_tl::{Deserializable, Serializable};
use proptest::prelude::*;
use rand::SeedableRng;

use super::*;
use crate::HandshakeError;

const NOW: u64 = 1_700_000_000 * 1_000_000_000;

fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

fn server_key() -> ServerRsaKey {
    ServerRsaKey::from_pkcs1_pem(include_str!("../../testdata/rsa2048.pem")).expect("test key")
}

fn server_config() -> Arc<HandshakeConfig> {
    Arc::new(HandshakeConfig::new(server_key(), 2))
}

fn client_config(padding: RsaPadding, inner: InnerDataKind) -> ClientHandshakeConfig {
    let mut config = ClientHandshakeConfig::new(server_key().public_key().clone());
    config.padding = padding;
    config.inner = inner;
    config
}

fn send(output: ClientOutput) -> Vec<u8> {
    match output {
        ClientOutput::Send(body) => body,
        ClientOutput::Done { .. } => panic!("client finished early"),
    }
}

fn reply(output: HandshakeOutput) -> Vec<u8> {
    match output {
        HandshakeOutput::Reply(body) => body,
        HandshakeOutput::KeyCreated(_) => panic!("key created early"),
    }
}

struct Run {
    server_key: CreatedKey,
    client_key: CreatedKey,
    transcript: Vec<Vec<u8>>,
}

/// Runs a whole handshake with one seeded RNG shared by both sides.
fn run_pair(padding: RsaPadding, inner: InnerDataKind, seed: u64) -> Run {
    let mut rng = rng(seed);
    let mut server = ServerHandshake::new(server_config());
    let mut client = ClientHandshake::new(client_config(padding, inner));
    let mut transcript = Vec::new();

    let req_pq = client.start(&mut rng).expect("start");
    let res_pq = reply(server.handle(&req_pq, NOW, &mut rng).expect("resPQ"));
    let req_dh = send(
        client
            .handle(&res_pq, NOW, &mut rng)
            .expect("req_DH_params"),
    );
    let dh_params = reply(
        server
            .handle(&req_dh, NOW, &mut rng)
            .expect("server_DH_params"),
    );
    let set_dh = send(
        client
            .handle(&dh_params, NOW, &mut rng)
            .expect("set_client_DH"),
    );
    let HandshakeOutput::KeyCreated(server_key) =
        server.handle(&set_dh, NOW, &mut rng).expect("key")
    else {
        panic!("no key");
    };
    let dh_gen = server.key_stored().expect("dh_gen_ok");
    assert!(server.is_over());
    let ClientOutput::Done {
        key: client_key,
        server_time_offset,
    } = client.handle(&dh_gen, NOW, &mut rng).expect("done")
    else {
        panic!("client not done");
    };
    assert_eq!(server_time_offset, 0);
    transcript.extend([req_pq, res_pq, req_dh, dh_params, set_dh, dh_gen]);
    Run {
        server_key,
        client_key,
        transcript,
    }
}

#[test]
fn every_padding_and_inner_data_variant_agrees() {
    let variants = [
        (InnerDataKind::Plain, KeyKind::Perm, 2),
        (InnerDataKind::Dc(-2), KeyKind::Perm, -2),
        (
            InnerDataKind::Temp { expires_in: 3600 },
            KeyKind::Temp {
                expires_at: 1_700_003_600,
            },
            2,
        ),
        (
            InnerDataKind::TempDc {
                dc: 10002,
                expires_in: 86400,
            },
            KeyKind::Temp {
                expires_at: 1_700_086_400,
            },
            10002,
        ),
    ];
    for (seed, padding) in [RsaPadding::Old, RsaPadding::RsaPad]
        .into_iter()
        .enumerate()
    {
        for (inner, kind, dc) in variants {
            let run = run_pair(padding, inner, seed as u64);
            assert_eq!(run.server_key.auth_key, run.client_key.auth_key);
            assert_eq!(run.server_key.first_salt, run.client_key.first_salt);
            assert_eq!(run.server_key.kind, kind);
            assert_eq!(run.client_key.kind, kind);
            assert_eq!(run.server_key.dc, dc);
        }
    }
}

/// Guards against accidental changes to anything on the wire: the same seed must give
/// the same six messages, byte for byte.
#[test]
fn fixed_transcript() {
    let run = run_pair(RsaPadding::RsaPad, InnerDataKind::Dc(2), 42);
    let lengths: Vec<usize> = run.transcript.iter().map(Vec::len).collect();
    assert_eq!(lengths, [20, 64, 320, 632, 376, 52]);
    let digest = sha256(&run.transcript.iter().map(Vec::as_slice).collect::<Vec<_>>());
    assert_eq!(
        hex(&digest),
        "77b0be39321c2666add1a94621781ec70b8e2b860fbbc37774cd99caf4369149",
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_server_offers_its_fingerprint_and_a_factorisable_pq() {
    let mut rng = rng(3);
    let mut server = ServerHandshake::new(server_config());
    let body = functions::ReqPq { nonce: [5; 16] }.to_bytes();
    let res_pq = types::ResPq::from_bytes(&reply(server.handle(&body, NOW, &mut rng).expect("ok")))
        .expect("resPQ");
    assert_eq!(res_pq.nonce, [5; 16]);
    assert_eq!(
        res_pq.server_public_key_fingerprints,
        vec![server_key().fingerprint()]
    );
    let pq = chappe_crypto::pq::u64_from_be_bytes(&res_pq.pq).expect("8 bytes");
    assert!(chappe_crypto::factorize_pq(pq).is_ok());
}

/// Steps a client and server to the point where the server awaits req_DH_params and
/// returns the client's (valid) request body.
fn up_to_req_dh(
    padding: RsaPadding,
    rng: &mut rand::rngs::StdRng,
) -> (ServerHandshake, ClientHandshake, Vec<u8>) {
    let mut server = ServerHandshake::new(server_config());
    let mut client = ClientHandshake::new(client_config(padding, InnerDataKind::Plain));
    let req_pq = client.start(rng).expect("start");
    let res_pq = reply(server.handle(&req_pq, NOW, rng).expect("resPQ"));
    let req_dh = send(client.handle(&res_pq, NOW, rng).expect("req_DH_params"));
    (server, client, req_dh)
}

fn rejects(
    server: &mut ServerHandshake,
    body: &[u8],
    rng: &mut rand::rngs::StdRng,
) -> HandshakeError {
    let error = server.handle(body, NOW, rng).expect_err("must be rejected");
    assert!(matches!(
        server.handle(body, NOW, rng),
        Err(HandshakeError::Finished)
    ));
    error
}

#[test]
fn tampered_req_dh_params_are_rejected() {
    let mut rng = rng(4);
    let (_, _, good) = up_to_req_dh(RsaPadding::Old, &mut rng);
    let good = functions::ReqDhParams::from_bytes(&good).expect("decodes");
    type Tamper = fn(&mut functions::ReqDhParams);
    type Expect = fn(&HandshakeError) -> bool;
    let cases: Vec<(Tamper, Expect)> = vec![
        (
            |r| r.nonce[0] ^= 1,
            |e| matches!(e, HandshakeError::NonceMismatch),
        ),
        (
            |r| r.server_nonce[3] ^= 1,
            |e| matches!(e, HandshakeError::NonceMismatch),
        ),
        (
            |r| r.public_key_fingerprint ^= 1,
            |e| matches!(e, HandshakeError::UnknownFingerprint),
        ),
        (
            |r| r.p = vec![0, 0, 0, 7],
            |e| matches!(e, HandshakeError::PqMismatch),
        ),
        (
            |r| r.q = vec![1; 9],
            |e| matches!(e, HandshakeError::PqMismatch),
        ),
        (
            |r| r.encrypted_data[100] ^= 1,
            |e| matches!(e, HandshakeError::Crypto(_)),
        ),
        (
            |r| r.encrypted_data.truncate(0),
            |e| matches!(e, HandshakeError::Crypto(_)),
        ),
    ];
    for (tamper, expected) in cases {
        // Each case needs the server state matching `good`, so replay with the same seed.
        let mut rng = self::rng(4);
        let (mut server, _, _) = up_to_req_dh(RsaPadding::Old, &mut rng);
        let mut request = good.clone();
        tamper(&mut request);
        let error = rejects(&mut server, &request.to_bytes(), &mut rng);
        assert!(expected(&error), "{error:?}");
    }
}

#[test]
fn wrong_messages_and_truncation_are_rejected_at_every_step() {
    let mut rng = rng(5);
    let (mut server, _, req_dh) = up_to_req_dh(RsaPadding::RsaPad, &mut rng);
    for cut in [0, 3, 4, 40, req_dh.len() - 1] {
        let mut rng = self::rng(5);
        let (mut server, _, _) = up_to_req_dh(RsaPadding::RsaPad, &mut rng);
        rejects(&mut server, &req_dh[..cut], &mut rng);
    }
    // set_client_DH_params before req_DH_params.
    let early = functions::SetClientDhParams::default().to_bytes();
    assert!(matches!(
        rejects(&mut server, &early, &mut rng),
        HandshakeError::UnexpectedMessage {
            expected: "req_DH_params",
            ..
        }
    ));
    let mut fresh = ServerHandshake::new(server_config());
    assert!(matches!(
        rejects(&mut fresh, &req_dh, &mut rng),
        HandshakeError::UnexpectedMessage { .. }
    ));
}

#[test]
fn out_of_range_temp_lifetimes_are_rejected() {
    let mut rng = rng(6);
    let mut server = ServerHandshake::new(server_config());
    let mut client = ClientHandshake::new(client_config(
        RsaPadding::RsaPad,
        InnerDataKind::Temp { expires_in: 0 },
    ));
    let req_pq = client.start(&mut rng).expect("start");
    let res_pq = reply(server.handle(&req_pq, NOW, &mut rng).expect("resPQ"));
    let req_dh = send(
        client
            .handle(&res_pq, NOW, &mut rng)
            .expect("req_DH_params"),
    );
    assert_eq!(
        rejects(&mut server, &req_dh, &mut rng),
        HandshakeError::InvalidField("expires_in")
    );
}

#[path = "tests_dh.rs"]
mod dh;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_never_panic_in_any_state(
        step in 0usize..3,
        body in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let mut rng = rng(7);
        let mut server = ServerHandshake::new(server_config());
        let mut client = ClientHandshake::new(client_config(RsaPadding::RsaPad, InnerDataKind::Plain));
        let mut from_client = client.start(&mut rng).expect("start");
        for _ in 0..step {
            let to_client = reply(server.handle(&from_client, NOW, &mut rng).expect("step"));
            from_client = send(client.handle(&to_client, NOW, &mut rng).expect("step"));
        }
        let _ = server.handle(&body, NOW, &mut rng);
        let _ = client.handle(&body, NOW, &mut rng);
    }
}
