//! Fuzz target: arbitrary bytes, cut into arbitrary chunks, into the server
//! transport (and into a client transport of each kind). Decoding must never
//! panic and must give the same frames and error however the bytes are cut.
#![no_main]

use chappe_transport::testing::SplitMix64;
use chappe_transport::{
    ClientConfig, ClientEvent, ClientTransport, Frame, ObfuscationConfig, ServerTransport,
    TransportConfig, TransportError, TransportKind,
};
use libfuzzer_sys::fuzz_target;

/// Splits `stream` into pieces whose sizes cycle through `sizes` (+1 each).
fn chunks<'a>(stream: &'a [u8], sizes: &[u8]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = stream;
    let mut i = 0;
    while !rest.is_empty() {
        let size = sizes
            .get(i % sizes.len().max(1))
            .map_or(rest.len(), |s| usize::from(*s) + 1);
        let (head, tail) = rest.split_at(size.min(rest.len()));
        out.push(head);
        rest = tail;
        i += 1;
    }
    out
}

fn run_server(config: &TransportConfig, pieces: &[&[u8]]) -> (Vec<Frame>, Option<TransportError>) {
    let mut server = ServerTransport::new(config.clone());
    let mut frames = Vec::new();
    for piece in pieces {
        if let Err(e) = server.feed(piece) {
            return (frames, Some(e));
        }
        loop {
            match server.next_frame() {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => break,
                Err(e) => return (frames, Some(e)),
            }
        }
    }
    (frames, None)
}

fn run_client(
    config: &ClientConfig,
    pieces: &[&[u8]],
) -> (Vec<ClientEvent>, Option<TransportError>) {
    let Ok(mut client) = ClientTransport::new(config.clone(), &mut SplitMix64(7)) else {
        return (Vec::new(), None);
    };
    let mut events = Vec::new();
    for piece in pieces {
        if let Err(e) = client.feed(piece) {
            return (events, Some(e));
        }
        loop {
            match client.next_event() {
                Ok(Some(event)) => events.push(event),
                Ok(None) => break,
                Err(e) => return (events, Some(e)),
            }
        }
    }
    (events, None)
}

fuzz_target!(|data: &[u8]| {
    let [flags, s0, s1, s2, s3, stream @ ..] = data else {
        return;
    };
    let sizes = [*s0, *s1, *s2, *s3];
    let pieces = chunks(stream, &sizes);
    let max_frame_len = if flags & 1 == 0 { 1024 } else { 1 << 20 };

    if flags & 2 == 0 {
        let config = TransportConfig {
            max_frame_len,
            max_buffered: 4 * max_frame_len,
            mtproxy_secrets: vec![[0x99; 16]],
            require_secret: flags & 4 != 0,
        };
        let whole = run_server(&config, &[stream]);
        let cut = run_server(&config, &pieces);
        assert_eq!(whole, cut);
    } else {
        let kind = TransportKind::ALL[usize::from(flags >> 4) % 4];
        let mut config = ClientConfig::new(kind);
        config.max_frame_len = max_frame_len;
        config.max_buffered = 4 * max_frame_len;
        if flags & 8 != 0 {
            config = config.obfuscated(ObfuscationConfig::default());
        }
        let whole = run_client(&config, &[stream]);
        let cut = run_client(&config, &pieces);
        assert_eq!(whole, cut);
    }
});
