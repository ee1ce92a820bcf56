//! Intermediate framing: a 4-byte little-endian length, then the payload.
//!
//! Client frames set the length's top bit to request a quick ACK. The server
//! sends a quick ACK as a bare 4-byte token whose top bit is set, which no
//! valid length has.

use super::{check_limit, u32_le_at, Decoded, Role, Unit, QUICK_ACK_BIT};
use crate::error::TransportError;

pub(super) fn decode(
    role: Role,
    input: &[u8],
    max_frame_len: usize,
) -> Result<Option<Decoded>, TransportError> {
    let Some(word) = u32_le_at(input, 0) else {
        return Ok(None);
    };
    let top_bit = word & QUICK_ACK_BIT != 0;
    if role == Role::Client && top_bit {
        return Ok(Some(Decoded {
            unit: Unit::QuickAck(word),
            consumed: 4,
        }));
    }
    let declared = word & !QUICK_ACK_BIT;
    // MTProto payloads are whole 4-byte words; anything else means the
    // stream is not (or no longer) framed the way we think.
    if declared == 0 || !declared.is_multiple_of(4) {
        return Err(TransportError::InvalidFrameLength {
            len: u64::from(declared),
        });
    }
    let len = check_limit(u64::from(declared), max_frame_len)?;
    let end = 4 + len;
    if input.len() < end {
        return Ok(None);
    }
    Ok(Some(Decoded {
        unit: Unit::Payload {
            start: 4,
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
    let declared = u32::try_from(len)
        .ok()
        .filter(|l| l & QUICK_ACK_BIT == 0)
        .ok_or(TransportError::PayloadTooLarge { len })?;
    let header = if request_quick_ack {
        declared | QUICK_ACK_BIT
    } else {
        declared
    };
    out.reserve(4 + len);
    out.extend_from_slice(&header.to_le_bytes());
    out.extend_from_slice(payload);
    Ok(())
}

pub(super) fn encode_quick_ack(token: u32, out: &mut Vec<u8>) -> Result<(), TransportError> {
    out.extend_from_slice(&token.to_le_bytes());
    Ok(())
}
