//! Property tests: arbitrary bytes in arbitrary chunks never panic and decode
//! exactly as the same bytes fed at once; arbitrary MTProto-shaped payloads
//! survive a round trip through every setup however the stream is cut.

mod common;

use chappe_transport::{ServerTransport, TransportConfig, TransportKind};
use common::{client, client_decode, server_config, server_decode, setups, TestRng};
use proptest::prelude::*;

/// Cuts `bytes` into pieces of the given sizes (cycling), covering it all.
fn chunked<'a>(bytes: &'a [u8], sizes: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = bytes;
    for size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (head, tail) = rest.split_at((*size).min(rest.len()));
        out.push(head);
        rest = tail;
    }
    out
}

/// Openings that get past recognition, so the framing decoders see the
/// arbitrary bytes too.
fn opening(selector: u8, seed: u64) -> Vec<u8> {
    match selector % 7 {
        0 => Vec::new(),
        1 => vec![0xef],
        2 => vec![0xee; 4],
        3 => vec![0xdd; 4],
        4 => vec![0x20, 0, 0, 0, 0, 0, 0, 0],
        kind => {
            let kind =
                [TransportKind::Abridged, TransportKind::PaddedIntermediate][kind as usize - 5];
            let mut out = Vec::new();
            client(kind, Some(Default::default()), seed).write_preamble(&mut out);
            out
        }
    }
}

fn small_limits() -> TransportConfig {
    TransportConfig {
        max_frame_len: 256,
        ..server_config()
    }
}

/// An MTProto-shaped message: unencrypted with a whole-word body, or
/// encrypted with whole AES blocks.
fn message() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (0usize..80, any::<u8>())
            .prop_map(|(words, fill)| common::unencrypted_message(words * 4, fill)),
        (1usize..40, any::<u8>())
            .prop_map(|(blocks, fill)| common::encrypted_message(blocks, fill)),
    ]
}

proptest! {
    #[test]
    fn server_never_panics_and_ignores_chunking(
        selector in any::<u8>(),
        seed in any::<u64>(),
        data in proptest::collection::vec(any::<u8>(), 0..700),
        sizes in proptest::collection::vec(1usize..80, 1..12),
    ) {
        let mut bytes = opening(selector, seed);
        bytes.extend_from_slice(&data);
        let whole = server_decode(&mut ServerTransport::new(small_limits()), [&bytes[..]]);
        let pieces = server_decode(&mut ServerTransport::new(small_limits()), chunked(&bytes, &sizes));
        prop_assert_eq!(whole, pieces);
    }

    #[test]
    fn client_never_panics_and_ignores_chunking(
        setup in 0usize..11,
        seed in any::<u64>(),
        data in proptest::collection::vec(any::<u8>(), 0..700),
        sizes in proptest::collection::vec(1usize..80, 1..12),
    ) {
        let (kind, obf) = setups()[setup % setups().len()];
        let whole = client_decode(&mut client(kind, obf, seed), [&data[..]]);
        let pieces = client_decode(&mut client(kind, obf, seed), chunked(&data, &sizes));
        prop_assert_eq!(whole, pieces);
    }

    #[test]
    fn payloads_round_trip_through_every_setup(
        setup in 0usize..11,
        seed in any::<u64>(),
        messages in proptest::collection::vec((message(), any::<bool>()), 1..6),
        sizes in proptest::collection::vec(1usize..200, 1..12),
    ) {
        let (kind, obf) = setups()[setup % setups().len()];
        let mut c = client(kind, obf, seed);
        let mut rng = TestRng(seed);
        let mut wire = Vec::new();
        for (message, quick) in &messages {
            c.encode_frame(message, *quick, &mut wire, &mut rng).unwrap();
        }
        let mut server = ServerTransport::new(server_config());
        let (frames, error) = server_decode(&mut server, chunked(&wire, &sizes));
        prop_assert_eq!(error, None);
        prop_assert_eq!(frames.len(), messages.len());
        for (frame, (message, quick)) in frames.iter().zip(&messages) {
            prop_assert_eq!(&frame.payload, message);
            prop_assert_eq!(frame.quick_ack_requested, *quick && kind.supports_quick_ack());
        }
    }
}
