//! The four MTProto TCP framings and the protocol tags that announce them.

/// Which MTProto transport framing a connection uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportKind {
    /// One-byte (or `0x7f` + 3-byte) length in 4-byte words. Tag `0xef`.
    Abridged,
    /// 4-byte little-endian length. Tag `0xeeeeeeee`.
    Intermediate,
    /// Intermediate with 0–15 random bytes appended to each frame. Tag
    /// `0xdddddddd`.
    PaddedIntermediate,
    /// Length, per-connection sequence number, payload and CRC32. No tag.
    Full,
}

impl TransportKind {
    /// Every kind, for tests and tools that cover them all.
    pub const ALL: [TransportKind; 4] = [
        TransportKind::Abridged,
        TransportKind::Intermediate,
        TransportKind::PaddedIntermediate,
        TransportKind::Full,
    ];

    /// The 4-byte tag written at offset 56 of an obfuscated2 header, or `None`
    /// for the full transport, which has no tag and so cannot be obfuscated.
    pub fn obfuscation_tag(self) -> Option<[u8; 4]> {
        match self {
            TransportKind::Abridged => Some(ABRIDGED_TAG),
            TransportKind::Intermediate => Some(INTERMEDIATE_TAG),
            TransportKind::PaddedIntermediate => Some(PADDED_TAG),
            TransportKind::Full => None,
        }
    }

    /// The bytes a client sends first on a plain (not obfuscated) connection.
    pub fn plain_marker(self) -> &'static [u8] {
        match self {
            TransportKind::Abridged => &ABRIDGED_TAG[..1],
            TransportKind::Intermediate => &INTERMEDIATE_TAG,
            TransportKind::PaddedIntermediate => &PADDED_TAG,
            TransportKind::Full => &[],
        }
    }

    /// Whether the framing has a bit to request, and a way to send, quick ACKs.
    pub fn supports_quick_ack(self) -> bool {
        !matches!(self, TransportKind::Full)
    }

    pub(crate) fn from_obfuscation_tag(tag: [u8; 4]) -> Option<TransportKind> {
        match tag {
            ABRIDGED_TAG => Some(TransportKind::Abridged),
            INTERMEDIATE_TAG => Some(TransportKind::Intermediate),
            PADDED_TAG => Some(TransportKind::PaddedIntermediate),
            _ => None,
        }
    }
}

/// Abridged's marker byte, repeated to four bytes where a 4-byte tag is needed.
pub(crate) const ABRIDGED_TAG: [u8; 4] = [0xef; 4];
pub(crate) const INTERMEDIATE_TAG: [u8; 4] = [0xee; 4];
pub(crate) const PADDED_TAG: [u8; 4] = [0xdd; 4];
