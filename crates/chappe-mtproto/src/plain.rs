//! The plain (unencrypted) message envelope, used only for the handshake:
//! `auth_key_id = 0 (8) | msg_id (8) | length (4) | body`.

use crate::PlainError;

/// Bytes before the body.
pub const PLAIN_HEADER_LEN: usize = 20;
/// Largest body accepted. Handshake messages are a few hundred bytes; anything much bigger
/// is not a handshake.
pub const MAX_PLAIN_BODY_LEN: usize = 16 * 1024;
/// Trailing bytes tolerated after the body: the padded intermediate transport appends up to
/// 15 random bytes that only the length field can tell apart.
const MAX_TRAILING: usize = 15;

/// A decoded plain message, borrowing its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainMessage<'a> {
    /// The message id.
    pub msg_id: i64,
    /// The TL body.
    pub body: &'a [u8],
}

/// Frames `body` as a plain message.
pub fn encode_plain(msg_id: i64, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(PLAIN_HEADER_LEN + body.len());
    out.extend_from_slice(&0i64.to_le_bytes());
    out.extend_from_slice(&msg_id.to_le_bytes());
    // Bodies we build are far below 2^31 bytes.
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// Whether a transport packet is a plain message (auth_key_id = 0), without decoding it.
pub fn is_plain(packet: &[u8]) -> bool {
    packet.get(..8) == Some(&[0u8; 8][..])
}

/// Decodes a plain message, checking the zero auth_key_id and the length field.
pub fn decode_plain(packet: &[u8]) -> Result<PlainMessage<'_>, PlainError> {
    let (Some(key_id), Some(msg_id), Some(length)) =
        (packet.get(..8), packet.get(8..16), packet.get(16..20))
    else {
        return Err(PlainError::TooShort);
    };
    if key_id != [0u8; 8] {
        return Err(PlainError::NotPlain);
    }
    let msg_id = i64::from_le_bytes(msg_id.try_into().map_err(|_| PlainError::TooShort)?);
    let length = i32::from_le_bytes(length.try_into().map_err(|_| PlainError::TooShort)?);
    let length = usize::try_from(length).map_err(|_| PlainError::BadLength)?;
    let available = packet.len() - PLAIN_HEADER_LEN;
    if length > MAX_PLAIN_BODY_LEN || length > available || available - length > MAX_TRAILING {
        return Err(PlainError::BadLength);
    }
    Ok(PlainMessage {
        msg_id,
        body: &packet[PLAIN_HEADER_LEN..PLAIN_HEADER_LEN + length],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // req_pq_multi as sent in core.telegram.org's auth key example.
    #[test]
    fn documented_example_decodes() {
        let packet = [
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78, 0xD5, 0x05, 0x00, 0x8B, 0x6E,
            0xC8, 0x68, 0x14, 0x00, 0x00, 0x00, 0xF1, 0x8E, 0x7E, 0xBE, 0x50, 0xC8, 0x61, 0x45,
            0x2D, 0xE4, 0x03, 0x32, 0x0D, 0xA6, 0x38, 0x89, 0xD4, 0xEF, 0x03, 0xAB,
        ];
        let message = decode_plain(&packet).expect("valid");
        assert_eq!(message.msg_id, 0x68C8_6E8B_0005_D578);
        assert_eq!(message.body.len(), 20);
        assert_eq!(&message.body[..4], &[0xF1, 0x8E, 0x7E, 0xBE]);
        assert_eq!(encode_plain(message.msg_id, message.body), packet);
        assert!(is_plain(&packet));
    }

    #[test]
    fn rejects_bad_envelopes() {
        assert_eq!(decode_plain(&[0; 19]), Err(PlainError::TooShort));
        let mut encrypted = encode_plain(4, &[1, 2, 3, 4]);
        encrypted[0] = 1;
        assert_eq!(decode_plain(&encrypted), Err(PlainError::NotPlain));
        let mut long = encode_plain(4, &[1, 2, 3, 4]);
        long[16] = 8;
        assert_eq!(decode_plain(&long), Err(PlainError::BadLength));
        let mut negative = encode_plain(4, &[]);
        negative[16..20].copy_from_slice(&(-4i32).to_le_bytes());
        assert_eq!(decode_plain(&negative), Err(PlainError::BadLength));
        let mut padded = encode_plain(4, &[1, 2, 3, 4]);
        padded.extend_from_slice(&[9; 15]);
        assert_eq!(decode_plain(&padded).map(|m| m.body), Ok(&[1, 2, 3, 4][..]));
        padded.push(9);
        assert_eq!(decode_plain(&padded), Err(PlainError::BadLength));
    }

    proptest! {
        #[test]
        fn round_trip(msg_id in any::<i64>(), body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let packet = encode_plain(msg_id, &body);
            let message = decode_plain(&packet).expect("valid");
            prop_assert_eq!(message.msg_id, msg_id);
            prop_assert_eq!(message.body, &body[..]);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode_plain(&bytes);
        }
    }
}
