//! Abridged framing: the length in 4-byte words in one byte, or `0x7f` and
//! three little-endian bytes when it is 127 words or more.
//!
//! Client frames set the top bit of the first byte to request a quick ACK.
//! Server lengths never have it, so a server byte with the top bit set starts
//! a bare 4-byte quick ACK, sent byte-swapped so that bit comes first.

use super::{check_limit, Decoded, Role, Unit};
use crate::error::TransportError;

/// First-byte value announcing a 3-byte length.
const EXTENDED: u8 = 0x7f;
/// Largest length in words the 3-byte form can carry.
const MAX_WORDS: usize = (1 << 24) - 1;

pub(super) fn decode(
    role: Role,
    input: &[u8],
    max_frame_len: usize,
) -> Result<Option<Decoded>, TransportError> {
    let Some(&first) = input.first() else {
        return Ok(None);
    };
    let top_bit = first & 0x80 != 0;
    if role == Role::Client && top_bit {
        let Some(bytes) = input.get(..4) else {
            return Ok(None);
        };
        let token = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        return Ok(Some(Decoded {
            unit: Unit::QuickAck(token),
            consumed: 4,
        }));
    }
    let (words, header_len) = match first & 0x7f {
        EXTENDED => {
            let Some(bytes) = input.get(1..4) else {
                return Ok(None);
            };
            (u32::from_le_bytes([bytes[0], bytes[1], bytes[2], 0]), 4)
        }
        short => (u32::from(short), 1),
    };
    if words == 0 {
        return Err(TransportError::InvalidFrameLength { len: 0 });
    }
    let len = check_limit(u64::from(words) * 4, max_frame_len)?;
    let end = header_len + len;
    if input.len() < end {
        return Ok(None);
    }
    Ok(Some(Decoded {
        unit: Unit::Payload {
            start: header_len,
            end,
            quick_ack_requested: top_bit,
        },
        consumed: end,
    }))
}

pub(super) fn encode(
    payload: &[u8],
    request_quick_ack: bool,
    out: &mut Vec<u8>,
) -> Result<(), TransportError> {
    let len = payload.len();
    if !len.is_multiple_of(4) {
        return Err(TransportError::UnframablePayload { len });
    }
    let words = len / 4;
    if words > MAX_WORDS {
        return Err(TransportError::PayloadTooLarge { len });
    }
    let quick_ack_bit = if request_quick_ack { 0x80 } else { 0 };
    let [w0, w1, w2, _] = (words as u32).to_le_bytes();
    out.reserve(4 + len);
    if words < usize::from(EXTENDED) {
        out.push(w0 | quick_ack_bit);
    } else {
        out.extend_from_slice(&[EXTENDED | quick_ack_bit, w0, w1, w2]);
    }
    out.extend_from_slice(payload);
    Ok(())
}

pub(super) fn encode_quick_ack(token: u32, out: &mut Vec<u8>) -> Result<(), TransportError> {
    out.extend_from_slice(&token.to_be_bytes());
    Ok(())
}
