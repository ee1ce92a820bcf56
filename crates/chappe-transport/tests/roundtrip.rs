//! Client ↔ server round trips for every transport kind, plain and
//! obfuscated (with and without an MTProxy secret), and the same streams cut
//! at every possible point, as WebSocket messages or TCP reads may cut them.

mod common;

use chappe_transport::{ClientEvent, Frame, ServerTransport, TransportKind};
use common::{client, client_decode, server_config, server_decode, setups, TestRng};

/// Messages of the shapes MTProto sends, crossing abridged's one-byte limit
/// (126 words) in both directions.
fn messages() -> Vec<Vec<u8>> {
    vec![
        common::unencrypted_message(40, 0x01),
        common::encrypted_message(30, 0x02), // 504 bytes = 126 words
        common::encrypted_message(33, 0x03), // 552 bytes = 138 words
        common::encrypted_message(2, 0x04),
        common::unencrypted_message(1000, 0x05),
    ]
}

/// The client's whole stream (preamble included) and what the server must
/// make of it.
fn client_stream(
    kind: TransportKind,
    obf: Option<chappe_transport::ObfuscationConfig>,
    seed: u64,
) -> (Vec<u8>, Vec<Frame>) {
    let mut c = client(kind, obf, seed);
    let mut rng = TestRng(seed ^ 0xffff);
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    for (i, message) in messages().into_iter().enumerate() {
        let quick = i % 2 == 1;
        c.encode_frame(&message, quick, &mut wire, &mut rng)
            .unwrap();
        expected.push(Frame {
            payload: message,
            quick_ack_requested: quick && kind.supports_quick_ack(),
        });
    }
    (wire, expected)
}

/// A client and a server that have seen the client's first frame (the full
/// transport is recognised only from a frame).
fn open(
    kind: TransportKind,
    obf: Option<chappe_transport::ObfuscationConfig>,
    seed: u64,
) -> (chappe_transport::ClientTransport, ServerTransport) {
    let mut c = client(kind, obf, seed);
    let mut opening = Vec::new();
    let first = common::unencrypted_message(4, 0);
    c.encode_frame(&first, false, &mut opening, &mut TestRng(seed))
        .unwrap();
    let mut server = ServerTransport::new(server_config());
    let (frames, error) = server_decode(&mut server, [&opening[..]]);
    assert_eq!((frames.len(), error), (1, None));
    (c, server)
}

/// The server's replies to a client stream, and what the client must make of
/// them.
fn server_stream(server: &mut ServerTransport, seed: u64) -> (Vec<u8>, Vec<ClientEvent>) {
    let mut rng = TestRng(seed);
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    for message in messages() {
        server.encode_frame(&message, &mut wire, &mut rng).unwrap();
        expected.push(ClientEvent::Frame(message));
        if server.kind().is_some_and(TransportKind::supports_quick_ack) {
            server
                .encode_quick_ack(0x8000_1234, &mut wire, &mut rng)
                .unwrap();
            expected.push(ClientEvent::QuickAck(0x8000_1234));
        }
    }
    server
        .encode_transport_error(-404, &mut wire, &mut rng)
        .unwrap();
    expected.push(ClientEvent::TransportError(-404));
    (wire, expected)
}

#[test]
fn round_trip_every_kind_plain_and_obfuscated() {
    for (kind, obf) in setups() {
        for seed in 0..4 {
            let (wire, expected) = client_stream(kind, obf, seed);
            let mut server = ServerTransport::new(server_config());
            assert_eq!(
                server_decode(&mut server, [&wire[..]]),
                (expected, None),
                "{kind:?} {obf:?}"
            );
            assert_eq!(server.kind(), Some(kind));
            assert_eq!(server.is_obfuscated(), obf.is_some());
            assert_eq!(server.buffered_len(), 0);

            // Replies go back through the client that opened the connection.
            let (mut c, mut server) = open(kind, obf, seed);
            let (reply, expected) = server_stream(&mut server, seed);
            assert_eq!(
                client_decode(&mut c, [&reply[..]]),
                (expected, None),
                "{kind:?} {obf:?}"
            );
        }
    }
}

#[test]
fn server_decoding_is_independent_of_how_the_stream_is_cut() {
    for (kind, obf) in setups() {
        let (wire, expected) = client_stream(kind, obf, 7);
        for cut in 0..=wire.len() {
            let mut server = ServerTransport::new(server_config());
            let got = server_decode(&mut server, [&wire[..cut], &wire[cut..]]);
            assert_eq!(got, (expected.clone(), None), "{kind:?} {obf:?} cut {cut}");
        }
        let mut server = ServerTransport::new(server_config());
        let got = server_decode(&mut server, wire.chunks(1));
        assert_eq!(got, (expected.clone(), None), "{kind:?} {obf:?} bytewise");
        let mut server = ServerTransport::new(server_config());
        let got = server_decode(&mut server, wire.chunks(61));
        assert_eq!(got, (expected, None), "{kind:?} {obf:?} 61-byte chunks");
    }
}

#[test]
fn client_decoding_is_independent_of_how_the_stream_is_cut() {
    for (kind, obf) in setups() {
        let (_, mut server) = open(kind, obf, 9);
        let (wire, expected) = server_stream(&mut server, 9);
        let fresh_client = || open(kind, obf, 9).0;
        for cut in 0..=wire.len() {
            let got = client_decode(&mut fresh_client(), [&wire[..cut], &wire[cut..]]);
            assert_eq!(got, (expected.clone(), None), "{kind:?} {obf:?} cut {cut}");
        }
        let got = client_decode(&mut fresh_client(), wire.chunks(1));
        assert_eq!(got, (expected, None), "{kind:?} {obf:?} bytewise");
    }
}

#[test]
fn websocket_header_in_a_message_of_its_own() {
    // Browser clients send the 64-byte header, then each frame, as separate
    // binary messages; others join everything. Both decode alike.
    for (kind, obf) in setups().into_iter().filter(|(_, o)| o.is_some()) {
        let mut c = client(kind, obf, 3);
        let mut rng = TestRng(3);
        let mut messages_on_wire = vec![Vec::new()];
        c.write_preamble(&mut messages_on_wire[0]);
        assert_eq!(messages_on_wire[0].len(), 64);
        for message in messages() {
            let mut m = Vec::new();
            c.encode_frame(&message, false, &mut m, &mut rng).unwrap();
            messages_on_wire.push(m);
        }
        let mut server = ServerTransport::new(server_config());
        let (frames, error) =
            server_decode(&mut server, messages_on_wire.iter().map(Vec::as_slice));
        assert_eq!(error, None);
        let payloads: Vec<_> = frames.into_iter().map(|f| f.payload).collect();
        assert_eq!(payloads, messages(), "{kind:?}");
    }
}
