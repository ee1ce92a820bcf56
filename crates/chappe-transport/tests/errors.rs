//! Streams a server or client must refuse, and the limits that protect
//! memory: each error is reported once, then the transport stays failed.

mod common;

use chappe_transport::{
    mtproxy_secret_from_bytes, ClientConfig, ClientEvent, ClientTransport, ObfuscationConfig,
    ServerTransport, TransportConfig, TransportError, TransportKind,
};
use common::{client, client_decode, hex, server_config, server_decode, TestRng};

fn first_error(config: TransportConfig, bytes: &[u8]) -> Option<TransportError> {
    server_decode(&mut ServerTransport::new(config), [bytes]).1
}

fn default_error(bytes: &[u8]) -> Option<TransportError> {
    first_error(TransportConfig::default(), bytes)
}

#[test]
fn http_and_tls_are_refused_by_their_first_four_bytes() {
    for request in [
        "GET /apiws HTTP/1.1\r\n",
        "POST /api HTTP/1.1",
        "HEAD / HTTP/1.0",
        "OPTIONS *",
    ] {
        assert_eq!(
            default_error(request.as_bytes()),
            Some(TransportError::HttpRequest),
            "{request}"
        );
    }
    assert_eq!(
        default_error(&hex("16030102")),
        Some(TransportError::TlsHandshake)
    );
    // Three bytes are not enough to tell.
    assert_eq!(default_error(b"GET"), None);
}

#[test]
fn unknown_64_byte_header_is_refused() {
    let noise: Vec<u8> = (0..64u32).map(|i| (i * 13 + 1) as u8).collect();
    assert_eq!(default_error(&noise[..63]), None);
    assert_eq!(default_error(&noise), Some(TransportError::UnknownProtocol));
}

#[test]
fn mtproxy_secrets_are_tried_and_can_be_required() {
    let secret_client =
        ClientConfig::new(TransportKind::PaddedIntermediate).obfuscated(ObfuscationConfig {
            secret: Some([7; 16]),
            dc_id: Some(2),
        });
    let mut opening = Vec::new();
    ClientTransport::new(secret_client, &mut TestRng(5))
        .unwrap()
        .write_preamble(&mut opening);
    let plain_obfuscated = {
        let mut out = Vec::new();
        client(
            TransportKind::Intermediate,
            Some(ObfuscationConfig::default()),
            5,
        )
        .write_preamble(&mut out);
        out
    };
    let required = TransportConfig {
        mtproxy_secrets: vec![[1; 16], [7; 16]],
        require_secret: true,
        ..TransportConfig::default()
    };

    // Without the secret configured the header reads as noise.
    assert_eq!(
        default_error(&opening),
        Some(TransportError::UnknownProtocol)
    );
    let mut server = ServerTransport::new(required.clone());
    server.feed(&opening).unwrap();
    assert_eq!(server.kind(), Some(TransportKind::PaddedIntermediate));
    assert_eq!(server.mtproxy_secret_index(), Some(1));
    assert_eq!(server.header_dc_id(), Some(2));

    assert_eq!(
        first_error(required.clone(), &plain_obfuscated),
        Some(TransportError::UnknownProtocol)
    );
    assert_eq!(
        first_error(required, &[0xef, 1]),
        Some(TransportError::SecretRequired)
    );
}

#[test]
fn zero_and_misaligned_lengths_are_refused() {
    assert_eq!(
        default_error(&[0xef, 0x00]),
        Some(TransportError::InvalidFrameLength { len: 0 })
    );
    assert_eq!(
        default_error(&[0xef, 0x7f, 0, 0, 0]),
        Some(TransportError::InvalidFrameLength { len: 0 })
    );
    assert_eq!(
        default_error(&hex("eeeeeeee00000000")),
        Some(TransportError::InvalidFrameLength { len: 0 })
    );
    assert_eq!(
        default_error(&hex("eeeeeeee05000000")),
        Some(TransportError::InvalidFrameLength { len: 5 })
    );
    assert_eq!(
        default_error(&hex("dddddddd03000000")),
        Some(TransportError::InvalidFrameLength { len: 3 })
    );
    // Full: shorter than length + seqno + one word + crc.
    assert_eq!(
        default_error(&hex("0c00000000000000")),
        Some(TransportError::InvalidFrameLength { len: 12 })
    );
}

#[test]
fn oversized_lengths_fail_before_the_body_arrives() {
    let small = TransportConfig {
        max_frame_len: 1024,
        ..TransportConfig::default()
    };
    let cases: [(&str, u64); 4] = [
        ("ef7f010100", 257 * 4),
        ("eeeeeeee04040000", 1028),
        ("dddddddd00100000", 4096),
        ("1000010000000000", 0x10010 - 12),
    ];
    for (header, len) in cases {
        assert_eq!(
            first_error(small.clone(), &hex(header)),
            Some(TransportError::FrameTooLarge { len, max: 1024 }),
            "{header}"
        );
    }
    // The largest abridged length: 2^24 - 1 words.
    assert!(matches!(
        default_error(&hex("efffffffff")),
        Some(TransportError::FrameTooLarge { .. })
    ));
    assert!(matches!(
        default_error(&hex("eeeeeeeefcffff7f")),
        Some(TransportError::FrameTooLarge { .. })
    ));
}

#[test]
fn feeding_past_the_buffer_limit_fails() {
    let config = TransportConfig {
        max_frame_len: 64,
        max_buffered: 100,
        ..TransportConfig::default()
    };
    let mut server = ServerTransport::new(config);
    server.feed(&[0xef]).unwrap();
    server.feed(&[0x10; 100]).unwrap();
    assert_eq!(
        server.feed(&[0]),
        Err(TransportError::BufferLimit {
            buffered: 101,
            max: 100
        })
    );
    assert_eq!(server.feed(&[]), Err(TransportError::Failed));
}

#[test]
fn a_failed_transport_stays_failed_but_can_still_send_an_error() {
    let mut server = ServerTransport::new(TransportConfig::default());
    server.feed(&hex("eeeeeeee05000000")).unwrap();
    assert!(matches!(
        server.next_frame(),
        Err(TransportError::InvalidFrameLength { .. })
    ));
    assert_eq!(server.next_frame(), Err(TransportError::Failed));
    assert_eq!(server.feed(&[1, 2, 3, 4]), Err(TransportError::Failed));
    let mut out = Vec::new();
    server
        .encode_transport_error(-404, &mut out, &mut TestRng(0))
        .unwrap();
    assert_eq!(out, hex("040000006cfeffff"));
}

#[test]
fn encoders_refuse_unframable_payloads() {
    for kind in TransportKind::ALL {
        let mut c = client(kind, None, 0);
        assert_eq!(
            c.encode_frame(&[], false, &mut Vec::new(), &mut TestRng(0)),
            Err(TransportError::UnframablePayload { len: 0 })
        );
    }
    for kind in [
        TransportKind::Abridged,
        TransportKind::Intermediate,
        TransportKind::Full,
    ] {
        let mut c = client(kind, None, 0);
        let mut out = Vec::new();
        assert_eq!(
            c.encode_frame(&[1, 2, 3], false, &mut out, &mut TestRng(0)),
            Err(TransportError::UnframablePayload { len: 3 })
        );
        // The marker is kept for the next attempt, not lost.
        c.encode_frame(&[1, 2, 3, 4], false, &mut out, &mut TestRng(0))
            .unwrap();
        assert_eq!(out[..kind.plain_marker().len()], *kind.plain_marker());
    }
    assert_eq!(
        ClientTransport::new(
            ClientConfig::new(TransportKind::Full).obfuscated(ObfuscationConfig::default()),
            &mut TestRng(0)
        )
        .unwrap_err(),
        TransportError::FullNotObfuscatable
    );
}

#[test]
fn client_reads_quick_acks_and_transport_errors() {
    // Abridged quick ACK (byte-swapped), then a transport error frame.
    let mut c = client(TransportKind::Abridged, None, 0);
    let wire = hex("8ea2fa4e016cfeffff");
    assert_eq!(
        client_decode(&mut c, [&wire[..]]),
        (
            vec![
                ClientEvent::QuickAck(0x8ea2_fa4e),
                ClientEvent::TransportError(-404)
            ],
            None
        )
    );
    // Padded transport error with padding; a non-negative 4-byte payload is
    // just a frame.
    let mut c = client(TransportKind::PaddedIntermediate, None, 0);
    let wire = hex("0700000053feffffaabbcc0400000001000000");
    assert_eq!(
        client_decode(&mut c, [&wire[..]]),
        (
            vec![
                ClientEvent::TransportError(-429),
                ClientEvent::Frame(vec![1, 0, 0, 0])
            ],
            None
        )
    );
    // A server never sets the quick-ACK request bit in padded lengths.
    let mut c = client(TransportKind::PaddedIntermediate, None, 0);
    assert!(matches!(
        client_decode(&mut c, [&hex("08000080")[..]]).1,
        Some(TransportError::InvalidFrameLength { .. })
    ));
}

#[test]
fn mtproxy_secret_forms() {
    assert_eq!(mtproxy_secret_from_bytes(&[9; 16]), Some([9; 16]));
    let mut dd = vec![0xdd];
    dd.extend_from_slice(&[9; 16]);
    assert_eq!(mtproxy_secret_from_bytes(&dd), Some([9; 16]));
    dd[0] = 0xee;
    assert_eq!(mtproxy_secret_from_bytes(&dd), None);
    assert_eq!(mtproxy_secret_from_bytes(&[9; 15]), None);
}

#[test]
fn server_config_tries_secrets_after_no_secret() {
    // Header of a plain obfuscated client is accepted with secrets configured.
    let mut opening = Vec::new();
    client(
        TransportKind::Abridged,
        Some(ObfuscationConfig::default()),
        11,
    )
    .write_preamble(&mut opening);
    let mut server = ServerTransport::new(server_config());
    server.feed(&opening).unwrap();
    assert_eq!(server.kind(), Some(TransportKind::Abridged));
    assert_eq!(server.mtproxy_secret_index(), None);
}
