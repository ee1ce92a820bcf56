//! Framing: cutting a (decrypted) byte stream into MTProto payloads and
//! wrapping payloads for sending, one module per transport kind.
//!
//! Decoders look at the buffered bytes without consuming them and report how
//! many bytes a complete unit took, so the caller owns the buffer. A length is
//! checked against the limit as soon as its header is readable, before any
//! byte of the body is waited for.

mod abridged;
mod full;
mod intermediate;
mod padded;

use rand_core::Rng;

use crate::error::TransportError;
use crate::kind::TransportKind;

/// Which end of the connection a codec sits on; it decides which way the
/// quick-ACK bits are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Reads client frames (which may request quick ACKs), writes server frames.
    Server,
    /// Reads server frames (which may be quick ACKs), writes client frames.
    Client,
}

/// One complete unit found at the front of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// An MTProto payload at `start..end` of the buffer.
    Payload {
        start: usize,
        end: usize,
        quick_ack_requested: bool,
    },
    /// A quick ACK token sent by the server.
    QuickAck(u32),
}

/// A decoded unit and how many buffered bytes it used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub(crate) unit: Unit,
    pub(crate) consumed: usize,
}

/// The framing state of one connection.
#[derive(Debug)]
pub(crate) enum Framing {
    Abridged,
    Intermediate,
    Padded,
    Full(full::Seqnos),
}

impl Framing {
    pub(crate) fn new(kind: TransportKind) -> Self {
        match kind {
            TransportKind::Abridged => Framing::Abridged,
            TransportKind::Intermediate => Framing::Intermediate,
            TransportKind::PaddedIntermediate => Framing::Padded,
            TransportKind::Full => Framing::Full(full::Seqnos::default()),
        }
    }

    pub(crate) fn kind(&self) -> TransportKind {
        match self {
            Framing::Abridged => TransportKind::Abridged,
            Framing::Intermediate => TransportKind::Intermediate,
            Framing::Padded => TransportKind::PaddedIntermediate,
            Framing::Full(_) => TransportKind::Full,
        }
    }

    /// Finds the next complete unit at the front of `input`, or `None` if more
    /// bytes are needed.
    pub(crate) fn decode(
        &mut self,
        role: Role,
        input: &[u8],
        max_frame_len: usize,
    ) -> Result<Option<Decoded>, TransportError> {
        match self {
            Framing::Abridged => abridged::decode(role, input, max_frame_len),
            Framing::Intermediate => intermediate::decode(role, input, max_frame_len),
            Framing::Padded => padded::decode(role, input, max_frame_len),
            Framing::Full(seqnos) => full::decode(seqnos, input, max_frame_len),
        }
    }

    /// Appends `payload` framed for sending to `out`.
    pub(crate) fn encode(
        &mut self,
        payload: &[u8],
        request_quick_ack: bool,
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        if payload.is_empty() {
            return Err(TransportError::UnframablePayload { len: 0 });
        }
        match self {
            Framing::Abridged => abridged::encode(payload, request_quick_ack, out),
            Framing::Intermediate => intermediate::encode(payload, request_quick_ack, out),
            Framing::Padded => padded::encode(payload, request_quick_ack, out, rng),
            Framing::Full(seqnos) => full::encode(seqnos, payload, out),
        }
    }

    /// Appends a server-to-client quick ACK carrying `token` to `out`.
    pub(crate) fn encode_quick_ack(
        &self,
        token: u32,
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        // The top bit is what tells a quick ACK apart from a length on the
        // wire; a token without it would desynchronise the client's decoder.
        let token = token | QUICK_ACK_BIT;
        match self {
            Framing::Abridged => abridged::encode_quick_ack(token, out),
            Framing::Intermediate => intermediate::encode_quick_ack(token, out),
            Framing::Padded => padded::encode_quick_ack(token, out, rng),
            Framing::Full(_) => Err(TransportError::QuickAckUnsupported),
        }
    }
}

/// The bit that marks quick-ACK requests in lengths and quick-ACK tokens.
pub(crate) const QUICK_ACK_BIT: u32 = 0x8000_0000;

/// Little-endian u32 at `offset`, if that many bytes are there.
fn u32_le_at(input: &[u8], offset: usize) -> Option<u32> {
    let bytes = input.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes(bytes.try_into().ok()?))
}

/// Rejects a declared payload length above the configured limit.
fn check_limit(len: u64, max_frame_len: usize) -> Result<usize, TransportError> {
    match usize::try_from(len) {
        Ok(n) if n <= max_frame_len => Ok(n),
        _ => Err(TransportError::FrameTooLarge {
            len,
            max: max_frame_len,
        }),
    }
}
