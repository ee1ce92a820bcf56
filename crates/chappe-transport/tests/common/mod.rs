//! Helpers shared by the integration tests: deterministic RNGs and drivers
//! that push bytes through a transport and collect what comes out.
#![allow(dead_code)]

use chappe_transport::{
    ClientConfig, ClientEvent, ClientTransport, Frame, ObfuscationConfig, ServerTransport,
    TransportConfig, TransportError, TransportKind,
};
use rand_core::{Infallible, TryRng};

/// The shared SplitMix64, under the name the tests use.
pub use chappe_transport::testing::SplitMix64 as TestRng;

/// Hands out a fixed byte sequence (then zeros), to pin an obfuscated2
/// header to a known value.
#[derive(Debug, Clone)]
pub struct ReplayRng(pub Vec<u8>);

impl TryRng for ReplayRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Infallible> {
        for d in dest {
            *d = if self.0.is_empty() {
                0
            } else {
                self.0.remove(0)
            };
        }
        Ok(())
    }
}

pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// An unencrypted MTProto message (auth_key_id 0) with a `body_len`-byte body.
pub fn unencrypted_message(body_len: usize, fill: u8) -> Vec<u8> {
    let mut m = vec![0u8; 8];
    m.extend_from_slice(&0x6000_0000_0000_0004u64.to_le_bytes());
    m.extend_from_slice(&(body_len as u32).to_le_bytes());
    m.extend(std::iter::repeat_n(fill, body_len));
    m
}

/// An encrypted-looking MTProto message: a nonzero auth_key_id, msg_key and
/// `blocks` AES blocks.
pub fn encrypted_message(blocks: usize, fill: u8) -> Vec<u8> {
    let mut m = vec![0x11u8; 8];
    m.extend(std::iter::repeat_n(0x22, 16));
    m.extend(std::iter::repeat_n(fill, blocks * 16));
    m
}

/// Every combination the tests cover: each kind, plain and obfuscated (with
/// and without a secret), except obfuscated full which does not exist.
pub fn setups() -> Vec<(TransportKind, Option<ObfuscationConfig>)> {
    let mut out = Vec::new();
    for kind in TransportKind::ALL {
        out.push((kind, None));
        if kind != TransportKind::Full {
            out.push((kind, Some(ObfuscationConfig::default())));
            out.push((
                kind,
                Some(ObfuscationConfig {
                    secret: Some(SECRET),
                    dc_id: Some(-2),
                }),
            ));
        }
    }
    out
}

pub const SECRET: [u8; 16] = [0x99; 16];

pub fn server_config() -> TransportConfig {
    TransportConfig {
        mtproxy_secrets: vec![[0x42; 16], SECRET],
        ..TransportConfig::default()
    }
}

pub fn client(kind: TransportKind, obf: Option<ObfuscationConfig>, seed: u64) -> ClientTransport {
    let mut config = ClientConfig::new(kind);
    config.obfuscation = obf;
    ClientTransport::new(config, &mut TestRng(seed)).unwrap()
}

/// Frames yielded by a server fed `chunks` one by one (draining between
/// feeds), and the first error if any.
pub fn server_decode<'a>(
    server: &mut ServerTransport,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<Frame>, Option<TransportError>) {
    let mut frames = Vec::new();
    for chunk in chunks {
        if let Err(e) = server.feed(chunk) {
            return (frames, Some(e));
        }
        loop {
            match server.next_frame() {
                Ok(Some(f)) => frames.push(f),
                Ok(None) => break,
                Err(e) => return (frames, Some(e)),
            }
        }
    }
    (frames, None)
}

/// The same for a client.
pub fn client_decode<'a>(
    client: &mut ClientTransport,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Vec<ClientEvent>, Option<TransportError>) {
    let mut events = Vec::new();
    for chunk in chunks {
        if let Err(e) = client.feed(chunk) {
            return (events, Some(e));
        }
        loop {
            match client.next_event() {
                Ok(Some(ev)) => events.push(ev),
                Ok(None) => break,
                Err(e) => return (events, Some(e)),
            }
        }
    }
    (events, None)
}
