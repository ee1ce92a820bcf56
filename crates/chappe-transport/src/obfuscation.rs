//! obfuscated2: the 64-byte random header that hides which MTProto transport
//! a connection uses, and the AES-256-CTR stream pair keyed from it.
//!
//! The client's header carries its encryption key and IV in bytes 8..56; the
//! same bytes reversed give the key and IV for the other direction. With an
//! MTProxy secret each key becomes SHA256(key ‖ secret). Bytes 56..60 hold the
//! protocol tag and 60..62 a DC id; only those 8 bytes are sent encrypted.
//! Kept private to this crate so the transport depends on no other chappe
//! crate.

use aes::Aes256;
use ctr::cipher::{KeyIvInit, StreamCipher};
use rand_core::Rng;
use sha2::{Digest, Sha256};

use crate::detect::is_reserved_prefix;
use crate::kind::TransportKind;

/// Length of the obfuscated2 header.
pub(crate) const HEADER_LEN: usize = 64;
/// Where the protocol tag sits in the header.
const TAG_OFFSET: usize = 56;
/// Where the (MTProxy) DC id sits in the header.
const DC_OFFSET: usize = 60;

type Aes256Ctr = ctr::Ctr128BE<Aes256>;

/// The two AES-256-CTR streams of one obfuscated connection. The counters run
/// on across frames for the whole life of the connection, which is why this
/// lives as long as the connection does.
pub(crate) struct Obfuscation {
    outgoing: Aes256Ctr,
    incoming: Aes256Ctr,
}

impl std::fmt::Debug for Obfuscation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key material stays out of logs.
        f.write_str("Obfuscation { .. }")
    }
}

impl Obfuscation {
    /// Encrypts bytes about to be sent, in place.
    pub(crate) fn encrypt(&mut self, bytes: &mut [u8]) {
        self.outgoing.apply_keystream(bytes);
    }

    /// Decrypts received bytes, in place, in the order they arrived.
    pub(crate) fn decrypt(&mut self, bytes: &mut [u8]) {
        self.incoming.apply_keystream(bytes);
    }
}

/// What a server learns from a client's obfuscated2 header.
#[derive(Debug)]
pub(crate) struct AcceptedHeader {
    pub(crate) kind: TransportKind,
    /// Bytes 60..62 of the decrypted header: the target DC for MTProxy
    /// clients, random for everyone else.
    pub(crate) dc_id: i16,
    pub(crate) obfuscation: Obfuscation,
}

/// Builds a client's header for `kind` and the matching cipher pair. `None`
/// for the full transport, which has no tag to put in the header.
pub(crate) fn client_header(
    kind: TransportKind,
    dc_id: Option<i16>,
    secret: Option<&[u8; 16]>,
    rng: &mut impl Rng,
) -> Option<([u8; HEADER_LEN], Obfuscation)> {
    let tag = kind.obfuscation_tag()?;
    let mut header = [0u8; HEADER_LEN];
    loop {
        rng.fill_bytes(&mut header);
        // The plaintext prefix must not be mistaken for another transport by
        // the server's detector; the detector and this check share one rule.
        if !is_reserved_prefix(&header) {
            break;
        }
    }
    header[TAG_OFFSET..DC_OFFSET].copy_from_slice(&tag);
    if let Some(dc) = dc_id {
        header[DC_OFFSET..DC_OFFSET + 2].copy_from_slice(&dc.to_le_bytes());
    }

    let reversed = reversed(&header);
    let mut obfuscation = Obfuscation {
        outgoing: stream_from(&header, secret),
        incoming: stream_from(&reversed, secret),
    };
    // The whole header goes through the outgoing stream (advancing it by 64
    // bytes) but only its tail is sent encrypted.
    let mut encrypted = header;
    obfuscation.encrypt(&mut encrypted);
    header[TAG_OFFSET..].copy_from_slice(&encrypted[TAG_OFFSET..]);
    Some((header, obfuscation))
}

/// Tries to read a client's header with one candidate secret (or none).
/// Returns `None` when the decrypted tag is not a known protocol, which is
/// what a wrong secret looks like.
pub(crate) fn accept_header(
    header: &[u8; HEADER_LEN],
    secret: Option<&[u8; 16]>,
) -> Option<AcceptedHeader> {
    let mut incoming = stream_from(header, secret);
    let mut decrypted = *header;
    incoming.apply_keystream(&mut decrypted);
    let tag: [u8; 4] = decrypted[TAG_OFFSET..DC_OFFSET].try_into().ok()?;
    let kind = TransportKind::from_obfuscation_tag(tag)?;
    let dc_id = i16::from_le_bytes([decrypted[DC_OFFSET], decrypted[DC_OFFSET + 1]]);
    let outgoing = stream_from(&reversed(header), secret);
    Some(AcceptedHeader {
        kind,
        dc_id,
        obfuscation: Obfuscation { outgoing, incoming },
    })
}

/// The 16-byte secret inside an MTProxy secret as printed in proxy links:
/// either the bare 16 bytes or 17 bytes whose first byte `0xdd` asks for the
/// padded intermediate transport. Fake-TLS (`0xee…`) secrets are refused.
pub fn mtproxy_secret_from_bytes(bytes: &[u8]) -> Option<[u8; 16]> {
    if let Ok(secret) = <[u8; 16]>::try_from(bytes) {
        return Some(secret);
    }
    match bytes {
        [0xdd, rest @ ..] => rest.try_into().ok(),
        _ => None,
    }
}

/// AES-256-CTR keyed from bytes 8..40 and IV from 40..56 of `block`; with a
/// secret the key is SHA256(key ‖ secret).
fn stream_from(block: &[u8; HEADER_LEN], secret: Option<&[u8; 16]>) -> Aes256Ctr {
    let mut key = [0u8; 32];
    key.copy_from_slice(&block[8..40]);
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&block[40..56]);
    if let Some(secret) = secret {
        key = Sha256::new()
            .chain_update(key)
            .chain_update(secret)
            .finalize()
            .into();
    }
    Aes256Ctr::new(&key.into(), &iv.into())
}

fn reversed(block: &[u8; HEADER_LEN]) -> [u8; HEADER_LEN] {
    let mut out = *block;
    out.reverse();
    out
}
