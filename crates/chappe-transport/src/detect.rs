//! Recognising which transport a client speaks from its first bytes.
//!
//! Decisions are made only once enough bytes are buffered to be final, so the
//! outcome never depends on how the stream was split into reads.

use crate::error::TransportError;
use crate::kind::{TransportKind, INTERMEDIATE_TAG, PADDED_TAG};
use crate::obfuscation::HEADER_LEN;

/// What the buffered prefix of a connection says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    /// Not enough bytes yet to decide.
    NeedMore,
    /// A plain transport whose marker is `marker_len` bytes long (zero for
    /// full, whose first frame starts at once).
    Plain {
        kind: TransportKind,
        marker_len: usize,
    },
    /// None of the plain markers: the first 64 bytes are an obfuscated2 header.
    Obfuscated,
}

/// First four bytes of HTTP requests. The first four are the ones the
/// obfuscation spec tells clients to avoid; the rest are kept out too since
/// a client hitting one of them by chance (2^-32 per method) just reconnects.
const HTTP_PREFIXES: [&[u8; 4]; 10] = [
    b"GET ", b"POST", b"HEAD", b"OPTI", b"PUT ", b"PATC", b"DELE", b"CONN", b"TRAC", b"PRI ",
];

/// The start of a TLS ClientHello as fake-TLS MTProxy clients send it
/// (`0x02010316` little-endian in the spec).
const TLS_PREFIX: [u8; 4] = [0x16, 0x03, 0x01, 0x02];

/// Classifies the buffered prefix of a client's stream.
pub(crate) fn detect(prefix: &[u8]) -> Result<Detected, TransportError> {
    let Some(&first) = prefix.first() else {
        return Ok(Detected::NeedMore);
    };
    if first == 0xef {
        return Ok(Detected::Plain {
            kind: TransportKind::Abridged,
            marker_len: 1,
        });
    }
    let Some(first_int) = prefix.get(..4) else {
        return Ok(Detected::NeedMore);
    };
    if first_int == INTERMEDIATE_TAG {
        return Ok(Detected::Plain {
            kind: TransportKind::Intermediate,
            marker_len: 4,
        });
    }
    if first_int == PADDED_TAG {
        return Ok(Detected::Plain {
            kind: TransportKind::PaddedIntermediate,
            marker_len: 4,
        });
    }
    if HTTP_PREFIXES.iter().any(|p| p[..] == *first_int) {
        return Err(TransportError::HttpRequest);
    }
    if first_int == TLS_PREFIX {
        return Err(TransportError::TlsHandshake);
    }
    let Some(second_int) = prefix.get(4..8) else {
        return Ok(Detected::NeedMore);
    };
    // A full-transport stream starts with its length and sequence number 0.
    if second_int == [0; 4] {
        return Ok(Detected::Plain {
            kind: TransportKind::Full,
            marker_len: 0,
        });
    }
    if prefix.len() < HEADER_LEN {
        return Ok(Detected::NeedMore);
    }
    Ok(Detected::Obfuscated)
}

/// Whether a random obfuscated2 header would be read as something else by
/// [`detect`]; clients draw again when it is.
pub(crate) fn is_reserved_prefix(header: &[u8; HEADER_LEN]) -> bool {
    !matches!(detect(header), Ok(Detected::Obfuscated))
}
