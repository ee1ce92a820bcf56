//! Fixed byte vectors for every framing, obfuscated2 and quick-ACK tokens.
//! Expected bytes for CRC32, AES-CTR and SHA-256 come from an independent
//! Python computation (zlib, `cryptography`, hashlib).

mod common;

use chappe_transport::{
    quick_ack_token, quick_ack_token_from_msg_key_large, ClientConfig, ClientEvent,
    ClientTransport, Frame, ObfuscationConfig, ServerTransport, TransportConfig, TransportError,
    TransportKind,
};
use common::{hex, server_decode, ReplayRng, TestRng};

fn decode_all(bytes: &[u8]) -> (Vec<Frame>, Option<TransportError>) {
    let mut server = ServerTransport::new(TransportConfig::default());
    server_decode(&mut server, [bytes])
}

fn frame(payload: &[u8], quick_ack_requested: bool) -> Frame {
    Frame {
        payload: payload.to_vec(),
        quick_ack_requested,
    }
}

fn client_bytes(kind: TransportKind, payload: &[u8], quick: bool) -> Vec<u8> {
    let mut client = ClientTransport::new(ClientConfig::new(kind), &mut TestRng(1)).unwrap();
    let mut out = Vec::new();
    client
        .encode_frame(payload, quick, &mut out, &mut TestRng(2))
        .unwrap();
    out
}

const P8: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

#[test]
fn abridged_short_and_extended_lengths() {
    let mut wire = vec![0xef, 0x02];
    wire.extend_from_slice(&P8);
    assert_eq!(client_bytes(TransportKind::Abridged, &P8, false), wire);
    assert_eq!(decode_all(&wire), (vec![frame(&P8, false)], None));

    // 127 words no longer fit in one byte.
    let big = vec![0xab; 127 * 4];
    let mut wire = vec![0xef, 0x7f, 0x7f, 0x00, 0x00];
    wire.extend_from_slice(&big);
    assert_eq!(client_bytes(TransportKind::Abridged, &big, false), wire);
    assert_eq!(decode_all(&wire), (vec![frame(&big, false)], None));

    // 126 words still do.
    let edge = vec![0xcd; 126 * 4];
    assert_eq!(
        client_bytes(TransportKind::Abridged, &edge, false)[..2],
        [0xef, 0x7e]
    );
}

#[test]
fn abridged_quick_ack_request_sets_top_bit() {
    let mut wire = vec![0xef, 0x82];
    wire.extend_from_slice(&P8);
    assert_eq!(client_bytes(TransportKind::Abridged, &P8, true), wire);
    assert_eq!(decode_all(&wire), (vec![frame(&P8, true)], None));

    let big = vec![0x5a; 300 * 4];
    let mut wire = vec![0xef, 0xff, 0x2c, 0x01, 0x00];
    wire.extend_from_slice(&big);
    assert_eq!(client_bytes(TransportKind::Abridged, &big, true), wire);
    assert_eq!(decode_all(&wire), (vec![frame(&big, true)], None));
}

#[test]
fn intermediate_length_and_quick_ack_bit() {
    let mut wire = hex("eeeeeeee08000000");
    wire.extend_from_slice(&P8);
    assert_eq!(client_bytes(TransportKind::Intermediate, &P8, false), wire);
    assert_eq!(decode_all(&wire), (vec![frame(&P8, false)], None));

    let mut wire = hex("eeeeeeee08000080");
    wire.extend_from_slice(&P8);
    assert_eq!(client_bytes(TransportKind::Intermediate, &P8, true), wire);
    assert_eq!(decode_all(&wire), (vec![frame(&P8, true)], None));
}

#[test]
fn padded_frames_carry_length_of_payload_plus_padding() {
    let message = common::encrypted_message(2, 0x33);
    for seed in 0..40 {
        let mut client = ClientTransport::new(
            ClientConfig::new(TransportKind::PaddedIntermediate),
            &mut TestRng(seed),
        )
        .unwrap();
        let mut out = Vec::new();
        client
            .encode_frame(&message, seed % 2 == 0, &mut out, &mut TestRng(seed))
            .unwrap();
        assert_eq!(out[..4], [0xdd; 4]);
        let word = u32::from_le_bytes(out[4..8].try_into().unwrap());
        assert_eq!(word & 0x8000_0000 != 0, seed % 2 == 0);
        let tlen = (word & 0x7fff_ffff) as usize;
        assert_eq!(tlen, out.len() - 8);
        assert!((message.len()..message.len() + 16).contains(&tlen));
        assert_eq!(out[8..8 + message.len()], message[..]);
        assert_eq!(
            decode_all(&out),
            (vec![frame(&message, seed % 2 == 0)], None)
        );
    }
}

#[test]
fn padded_strips_padding_from_handmade_frames() {
    // Unencrypted: payload length from message_data_length, 15 padding bytes.
    let message = common::unencrypted_message(40, 0x44);
    let mut wire = hex("dddddddd");
    wire.extend_from_slice(&((message.len() + 15) as u32).to_le_bytes());
    wire.extend_from_slice(&message);
    wire.extend_from_slice(&[0u8; 15]);
    // Encrypted: payload is the longest 24 + 16k prefix; 7 padding bytes.
    let encrypted = common::encrypted_message(3, 0x55);
    wire.extend_from_slice(&((encrypted.len() + 7) as u32).to_le_bytes());
    wire.extend_from_slice(&encrypted);
    wire.extend_from_slice(&[0xff; 7]);
    assert_eq!(
        decode_all(&wire),
        (vec![frame(&message, false), frame(&encrypted, false)], None)
    );

    // An unencrypted message claiming more body than the frame holds.
    let mut bad = hex("dddddddd");
    let mut lying = common::unencrypted_message(8, 0);
    lying[16] = 200;
    bad.extend_from_slice(&(lying.len() as u32).to_le_bytes());
    bad.extend_from_slice(&lying);
    assert_eq!(
        decode_all(&bad).1,
        Some(TransportError::UnrecoverablePadding { len: 28 })
    );
}

#[test]
fn full_frame_matches_independent_crc() {
    let payload: Vec<u8> = (0..16).collect();
    let first = hex("1c00000000000000000102030405060708090a0b0c0d0e0f21bed445");
    let second = hex("1c00000001000000000102030405060708090a0b0c0d0e0f6785b320");
    let mut client =
        ClientTransport::new(ClientConfig::new(TransportKind::Full), &mut TestRng(0)).unwrap();
    let mut out = Vec::new();
    client
        .encode_frame(&payload, true, &mut out, &mut TestRng(0))
        .unwrap();
    assert_eq!(out, first);
    out.clear();
    client
        .encode_frame(&payload, false, &mut out, &mut TestRng(0))
        .unwrap();
    assert_eq!(out, second);

    let wire = [first.clone(), second.clone()].concat();
    assert_eq!(
        decode_all(&wire),
        (vec![frame(&payload, false), frame(&payload, false)], None)
    );
}

#[test]
fn full_detects_bad_crc() {
    let mut wire = hex("1c00000000000000000102030405060708090a0b0c0d0e0f21bed445");
    wire[10] ^= 1;
    assert!(matches!(
        decode_all(&wire).1,
        Some(TransportError::BadCrc {
            got: 0x45d4be21,
            ..
        })
    ));
}

#[test]
fn full_detects_seqno_mismatch() {
    let first = hex("1c00000000000000000102030405060708090a0b0c0d0e0f21bed445");
    // The same frame twice: the second repeats seqno 0.
    let (frames, error) = decode_all(&[first.clone(), first].concat());
    assert_eq!(frames.len(), 1);
    assert_eq!(
        error,
        Some(TransportError::BadSeqno {
            expected: 1,
            got: 0
        })
    );
}

#[test]
fn server_encodes_each_framing() {
    let cases: [(&[u8], TransportKind, &str); 3] = [
        (&[0xef], TransportKind::Abridged, "020102030405060708"),
        (
            &[0xee; 4],
            TransportKind::Intermediate,
            "080000000102030405060708",
        ),
        (
            &hex("1c00000000000000000102030405060708090a0b0c0d0e0f21bed445"),
            TransportKind::Full,
            "14000000000000000102030405060708e06e4584",
        ),
    ];
    for (opening, kind, expected) in cases {
        let mut server = ServerTransport::new(TransportConfig::default());
        server.feed(opening).unwrap();
        assert_eq!(server.kind(), Some(kind));
        let mut out = Vec::new();
        server.encode_frame(&P8, &mut out, &mut TestRng(0)).unwrap();
        assert_eq!(out, hex(expected), "{kind:?}");
    }
}

#[test]
fn quick_acks_per_framing() {
    let token = 0x8ea2_fa4e;
    // Abridged: byte-swapped, top bit first. Intermediate: little-endian.
    for (opening, expected) in [
        (vec![0xef], hex("8ea2fa4e")),
        (vec![0xee; 4], hex("4efaa28e")),
    ] {
        let mut server = ServerTransport::new(TransportConfig::default());
        server.feed(&opening).unwrap();
        let mut out = Vec::new();
        server
            .encode_quick_ack(token, &mut out, &mut TestRng(0))
            .unwrap();
        assert_eq!(out, expected);
    }

    // Padded: length 8..=16, all-ones marker, token, padding.
    for seed in 0..20 {
        let mut server = ServerTransport::new(TransportConfig::default());
        server.feed(&[0xdd; 4]).unwrap();
        let mut out = Vec::new();
        server
            .encode_quick_ack(token, &mut out, &mut TestRng(seed))
            .unwrap();
        let tlen = u32::from_le_bytes(out[..4].try_into().unwrap()) as usize;
        assert!((8..=16).contains(&tlen));
        assert_eq!(out.len(), 4 + tlen);
        assert_eq!(out[4..12], hex("ffffffff4efaa28e")[..]);
    }

    let mut server = ServerTransport::new(TransportConfig::default());
    server
        .feed(&hex(
            "1c00000000000000000102030405060708090a0b0c0d0e0f21bed445",
        ))
        .unwrap();
    assert_eq!(
        server.encode_quick_ack(token, &mut Vec::new(), &mut TestRng(0)),
        Err(TransportError::QuickAckUnsupported)
    );
}

#[test]
fn quick_ack_token_matches_independent_sha256() {
    let auth_key: [u8; 256] = std::array::from_fn(|i| i as u8);
    let token = quick_ack_token(&auth_key, b"quick ack plaintext padded to 32");
    assert_eq!(token, 0x8ea2_fa4e);
    let mut large = [0u8; 32];
    large[..4].copy_from_slice(&[0x01, 0x02, 0x03, 0x04]);
    assert_eq!(quick_ack_token_from_msg_key_large(&large), 0x8403_0201);
}

#[test]
fn transport_errors_are_negative_le_ints() {
    let mut server = ServerTransport::new(TransportConfig::default());
    server.feed(&[0xee; 4]).unwrap();
    let mut out = Vec::new();
    server
        .encode_transport_error(404, &mut out, &mut TestRng(0))
        .unwrap();
    assert_eq!(out, hex("040000006cfeffff"));
    out.clear();
    server
        .encode_transport_error(-429, &mut out, &mut TestRng(0))
        .unwrap();
    assert_eq!(out, hex("0400000053feffff"));

    let mut server = ServerTransport::new(TransportConfig::default());
    assert_eq!(
        server.encode_transport_error(-404, &mut out, &mut TestRng(0)),
        Err(TransportError::NotDetected)
    );
}

/// The obfuscated2 example: header bytes `(i * 7 + 3) mod 256`, intermediate
/// tag, DC 2 (plain) or −4 with secret `99…99`.
fn obfuscation_vector(secret: Option<[u8; 16]>, dc: i16, final_header: &str, c: &str, s: &str) {
    let init: Vec<u8> = (0..64u32).map(|i| ((i * 7 + 3) % 256) as u8).collect();
    let config = ClientConfig::new(TransportKind::Intermediate).obfuscated(ObfuscationConfig {
        secret,
        dc_id: Some(dc),
    });
    let mut client = ClientTransport::new(config, &mut ReplayRng(init)).unwrap();
    let mut sent = Vec::new();
    client
        .encode_frame(
            &(100..108).collect::<Vec<u8>>(),
            false,
            &mut sent,
            &mut TestRng(0),
        )
        .unwrap();
    assert_eq!(sent[..64], hex(final_header)[..]);
    assert_eq!(sent[64..], hex(c)[..]);

    let mut server = ServerTransport::new(common::server_config());
    let (frames, error) = server_decode(&mut server, [&sent[..]]);
    assert_eq!(error, None);
    assert_eq!(frames, vec![frame(&(100..108).collect::<Vec<u8>>(), false)]);
    assert_eq!(server.kind(), Some(TransportKind::Intermediate));
    assert!(server.is_obfuscated());
    assert_eq!(server.header_dc_id(), Some(dc));
    assert_eq!(server.mtproxy_secret_index(), secret.map(|_| 1));

    let reply: Vec<u8> = (200..212).collect();
    let mut out = Vec::new();
    server
        .encode_frame(&reply, &mut out, &mut TestRng(0))
        .unwrap();
    assert_eq!(out, hex(s));
    client.feed(&out).unwrap();
    assert_eq!(client.next_event(), Ok(Some(ClientEvent::Frame(reply))));
}

#[test]
fn obfuscated_header_without_secret() {
    obfuscation_vector(
        None,
        2,
        "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d8427a3e26acbdb9f1d",
        "98a57ab4b9fbf31a0182b178",
        "2c64aaf69309dd61cc51e03bb64590ef",
    );
}

#[test]
fn obfuscated_header_with_mtproxy_secret() {
    obfuscation_vector(
        Some([0x99; 16]),
        -4,
        "030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d84e1b180a7d5ec9e15",
        "5fa60b96d0a2287dfdb44636",
        "3b275b0b56959fff71df48422e0a1664",
    );
}
