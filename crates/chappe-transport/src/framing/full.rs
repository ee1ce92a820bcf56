//! Full framing: total length (4), per-connection sequence number (4),
//! payload, CRC32 of everything before it (4); all little-endian.
//!
//! Each direction numbers its frames from 0; a skipped or repeated number or
//! a bad checksum means the stream is corrupt and the connection must end.

use super::{check_limit, u32_le_at, Decoded, Unit};
use crate::error::TransportError;

/// length + seqno + crc.
const OVERHEAD: usize = 12;

/// The next sequence number to send and the next one expected.
#[derive(Debug, Default)]
pub(crate) struct Seqnos {
    send: u32,
    receive: u32,
}

pub(super) fn decode(
    seqnos: &mut Seqnos,
    input: &[u8],
    max_frame_len: usize,
) -> Result<Option<Decoded>, TransportError> {
    let Some(declared) = u32_le_at(input, 0) else {
        return Ok(None);
    };
    let total = declared as usize;
    // A payload is at least one 4-byte word, and whole words.
    if total < OVERHEAD + 4 || !total.is_multiple_of(4) {
        return Err(TransportError::InvalidFrameLength {
            len: u64::from(declared),
        });
    }
    check_limit((total - OVERHEAD) as u64, max_frame_len)?;
    let Some(frame) = input.get(..total) else {
        return Ok(None);
    };
    let crc_offset = total - 4;
    let computed = crc32fast::hash(&frame[..crc_offset]);
    let got = u32_le_at(frame, crc_offset).unwrap_or_default();
    if got != computed {
        return Err(TransportError::BadCrc { got, computed });
    }
    let seqno = u32_le_at(frame, 4).unwrap_or_default();
    if seqno != seqnos.receive {
        return Err(TransportError::BadSeqno {
            expected: seqnos.receive,
            got: seqno,
        });
    }
    seqnos.receive = seqnos.receive.wrapping_add(1);
    Ok(Some(Decoded {
        unit: Unit::Payload {
            start: 8,
            end: crc_offset,
            quick_ack_requested: false,
        },
        consumed: total,
    }))
}

pub(super) fn encode(
    seqnos: &mut Seqnos,
    payload: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), TransportError> {
    let len = payload.len();
    if !len.is_multiple_of(4) {
        return Err(TransportError::UnframablePayload { len });
    }
    let total = len
        .checked_add(OVERHEAD)
        .and_then(|t| u32::try_from(t).ok())
        .ok_or(TransportError::PayloadTooLarge { len })?;
    let start = out.len();
    out.reserve(len + OVERHEAD);
    out.extend_from_slice(&total.to_le_bytes());
    out.extend_from_slice(&seqnos.send.to_le_bytes());
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(out.get(start..).unwrap_or_default());
    out.extend_from_slice(&crc.to_le_bytes());
    seqnos.send = seqnos.send.wrapping_add(1);
    Ok(())
}
