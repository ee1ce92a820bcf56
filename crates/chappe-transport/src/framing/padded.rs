//! Padded intermediate framing: a 4-byte little-endian length covering the
//! payload and 0–15 random padding bytes after it.
//!
//! The length does not say where the payload ends, so the receiver finds it
//! from the MTProto structure itself:
//! - an unencrypted message (auth_key_id 0) carries its body length at
//!   offset 16, so the payload is 20 + that many bytes;
//! - an encrypted message is auth_key_id (8) + msg_key (16) + AES blocks of
//!   16 bytes, so with under 16 bytes of padding the payload is the longest
//!   24 + 16·k prefix;
//! - anything shorter from the server is a 4-byte transport error.
//!
//! Quick ACKs from the server are short frames starting with `ff ff ff ff`,
//! then the token, then 0–8 padding bytes.

use rand_core::Rng;

use super::{check_limit, u32_le_at, Decoded, Role, Unit, QUICK_ACK_BIT};
use crate::error::TransportError;

/// Received padding is at most `PADDING_SPAN - 1` bytes.
const PADDING_SPAN: u32 = 16;
/// Sent padding is drawn from `0..SENT_PADDING_SPAN`: Telethon's padded codec strips only
/// `len % 4` bytes, so anything longer would corrupt its packets; every other client copes.
const SENT_PADDING_SPAN: u32 = 4;
/// Quick ACK frames carry `0..=QUICK_ACK_MAX_PADDING` padding bytes.
const QUICK_ACK_MAX_PADDING: u32 = 8;
const QUICK_ACK_MARKER: [u8; 4] = [0xff; 4];
/// auth_key_id + msg_id + message_data_length of an unencrypted message.
const UNENCRYPTED_HEADER_LEN: usize = 20;
/// auth_key_id + msg_key of an encrypted message.
const ENCRYPTED_HEADER_LEN: usize = 24;
const AES_BLOCK: usize = 16;
/// A transport error is one little-endian i32.
const TRANSPORT_ERROR_LEN: usize = 4;

pub(super) fn decode(
    role: Role,
    input: &[u8],
    max_frame_len: usize,
) -> Result<Option<Decoded>, TransportError> {
    let Some(word) = u32_le_at(input, 0) else {
        return Ok(None);
    };
    let quick_ack_requested = word & QUICK_ACK_BIT != 0;
    if role == Role::Client && quick_ack_requested {
        // Servers never request quick ACKs; the stream is out of step.
        return Err(TransportError::InvalidFrameLength {
            len: u64::from(word),
        });
    }
    let declared = word & !QUICK_ACK_BIT;
    if (declared as usize) < TRANSPORT_ERROR_LEN {
        return Err(TransportError::InvalidFrameLength {
            len: u64::from(declared),
        });
    }
    let max_with_padding = max_frame_len.saturating_add(PADDING_SPAN as usize - 1);
    let len = check_limit(u64::from(declared), max_with_padding).map_err(|_| {
        TransportError::FrameTooLarge {
            len: u64::from(declared),
            max: max_frame_len,
        }
    })?;
    let end = 4 + len;
    let Some(body) = input.get(4..end) else {
        return Ok(None);
    };
    if role == Role::Client && body.len() <= 8 + QUICK_ACK_MAX_PADDING as usize {
        if let (Some(QUICK_ACK_MARKER), Some(token)) = (
            body.get(..4).and_then(|m| <[u8; 4]>::try_from(m).ok()),
            u32_le_at(body, 4),
        ) {
            return Ok(Some(Decoded {
                unit: Unit::QuickAck(token),
                consumed: end,
            }));
        }
    }
    let payload_len = payload_len(role, body)?;
    if payload_len > max_frame_len {
        return Err(TransportError::FrameTooLarge {
            len: payload_len as u64,
            max: max_frame_len,
        });
    }
    Ok(Some(Decoded {
        unit: Unit::Payload {
            start: 4,
            end: 4 + payload_len,
            quick_ack_requested,
        },
        consumed: end,
    }))
}

/// Length of the MTProto payload at the front of a padded frame body.
fn payload_len(role: Role, body: &[u8]) -> Result<usize, TransportError> {
    let unrecoverable = TransportError::UnrecoverablePadding { len: body.len() };
    let is_unencrypted = body.get(..8) == Some(&[0u8; 8][..]);
    if is_unencrypted {
        let data_len = u32_le_at(body, 16).ok_or(unrecoverable.clone())?;
        let len = usize::try_from(data_len)
            .ok()
            .and_then(|n| n.checked_add(UNENCRYPTED_HEADER_LEN))
            .filter(|&n| n <= body.len() && body.len() - n < PADDING_SPAN as usize)
            .ok_or(unrecoverable)?;
        return Ok(len);
    }
    if body.len() >= ENCRYPTED_HEADER_LEN + AES_BLOCK {
        let blocks = (body.len() - ENCRYPTED_HEADER_LEN) / AES_BLOCK;
        return Ok(ENCRYPTED_HEADER_LEN + blocks * AES_BLOCK);
    }
    // Only the server sends payloads this short: transport errors.
    if role == Role::Client && body.len() < TRANSPORT_ERROR_LEN + PADDING_SPAN as usize {
        return Ok(TRANSPORT_ERROR_LEN);
    }
    Err(unrecoverable)
}

pub(super) fn encode(
    payload: &[u8],
    request_quick_ack: bool,
    out: &mut Vec<u8>,
    rng: &mut impl Rng,
) -> Result<(), TransportError> {
    let len = payload.len();
    let padding = (rng.next_u32() % SENT_PADDING_SPAN) as usize;
    let declared = u32::try_from(len + padding)
        .ok()
        .filter(|l| l & QUICK_ACK_BIT == 0)
        .ok_or(TransportError::PayloadTooLarge { len })?;
    let header = if request_quick_ack {
        declared | QUICK_ACK_BIT
    } else {
        declared
    };
    out.reserve(4 + len + padding);
    out.extend_from_slice(&header.to_le_bytes());
    out.extend_from_slice(payload);
    append_random(out, padding, rng);
    Ok(())
}

pub(super) fn encode_quick_ack(
    token: u32,
    out: &mut Vec<u8>,
    rng: &mut impl Rng,
) -> Result<(), TransportError> {
    let padding = (rng.next_u32() % (QUICK_ACK_MAX_PADDING + 1)) as usize;
    let declared = 8 + padding as u32;
    out.extend_from_slice(&declared.to_le_bytes());
    out.extend_from_slice(&QUICK_ACK_MARKER);
    out.extend_from_slice(&token.to_le_bytes());
    append_random(out, padding, rng);
    Ok(())
}

fn append_random(out: &mut Vec<u8>, count: usize, rng: &mut impl Rng) {
    let start = out.len();
    out.resize(start + count, 0);
    if let Some(tail) = out.get_mut(start..) {
        rng.fill_bytes(tail);
    }
}
