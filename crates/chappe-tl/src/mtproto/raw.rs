//! MTProto envelopes that TL cannot describe as ordinary types, because they
//! carry an arbitrary `Object`: `message` (inside containers), `msg_container`,
//! `msg_copy`, `rpc_result` and `gzip_packed`. Their payloads stay raw bytes;
//! the session layer decodes them with the right schema (and inflates gzip,
//! which this crate deliberately does not do).

use crate::wire;
use crate::{DecodeError, Deserializable, Identifiable, Reader, Serializable};

/// `message msg_id:long seqno:int bytes:int body:Object` (bare, in containers).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawMessage {
    pub msg_id: i64,
    pub seqno: i32,
    pub body: Vec<u8>,
}

impl RawMessage {
    /// Bare form: no constructor id (that is how containers hold messages).
    pub fn serialize_bare(&self, out: &mut Vec<u8>) {
        wire::write_i64(out, self.msg_id);
        wire::write_i32(out, self.seqno);
        wire::write_i32(out, i32::try_from(self.body.len()).unwrap_or(i32::MAX));
        out.extend_from_slice(&self.body);
    }

    pub fn deserialize_bare(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let msg_id = r.read_i64()?;
        let seqno = r.read_i32()?;
        let len = usize::try_from(r.read_i32()?).map_err(|_| DecodeError::NegativeLength)?;
        let body = r.read_raw(len)?.to_vec();
        Ok(RawMessage {
            msg_id,
            seqno,
            body,
        })
    }
}

/// `msg_container#73f1f8dc messages:vector<message>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MsgContainer {
    pub messages: Vec<RawMessage>,
}

impl Identifiable for MsgContainer {
    const CONSTRUCTOR_ID: u32 = 0x73f1_f8dc;
}

impl Serializable for MsgContainer {
    fn serialize(&self, out: &mut Vec<u8>) {
        wire::write_u32(out, Self::CONSTRUCTOR_ID);
        wire::write_vector_len(out, false, self.messages.len());
        for m in &self.messages {
            m.serialize_bare(out);
        }
    }
}

impl Deserializable for MsgContainer {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.expect_constructor(Self::CONSTRUCTOR_ID, "MessageContainer")?;
        // msg_id + seqno + length: 16 bytes per message at least.
        let n = r.read_vector_len(false, 16)?;
        let mut messages = Vec::with_capacity(wire::capped_capacity::<RawMessage>(n));
        for _ in 0..n {
            messages.push(RawMessage::deserialize_bare(r)?);
        }
        Ok(MsgContainer { messages })
    }
}

/// `msg_copy#e06046b2 orig_message:Message` (obsolete, accepted for completeness).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MsgCopy {
    pub orig_message: RawMessage,
}

impl Identifiable for MsgCopy {
    const CONSTRUCTOR_ID: u32 = 0xe060_46b2;
}

impl Serializable for MsgCopy {
    fn serialize(&self, out: &mut Vec<u8>) {
        wire::write_u32(out, Self::CONSTRUCTOR_ID);
        self.orig_message.serialize_bare(out);
    }
}

impl Deserializable for MsgCopy {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.expect_constructor(Self::CONSTRUCTOR_ID, "MessageCopy")?;
        Ok(MsgCopy {
            orig_message: RawMessage::deserialize_bare(r)?,
        })
    }
}

/// `rpc_result#f35c6d01 req_msg_id:long result:Object`; `result` is the
/// boxed answer (possibly `rpc_error` or `gzip_packed`), kept raw and taken
/// as the rest of the input on decode.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RpcResult {
    pub req_msg_id: i64,
    pub result: Vec<u8>,
}

impl Identifiable for RpcResult {
    const CONSTRUCTOR_ID: u32 = 0xf35c_6d01;
}

impl Serializable for RpcResult {
    fn serialize(&self, out: &mut Vec<u8>) {
        wire::write_u32(out, Self::CONSTRUCTOR_ID);
        wire::write_i64(out, self.req_msg_id);
        out.extend_from_slice(&self.result);
    }
}

impl Deserializable for RpcResult {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.expect_constructor(Self::CONSTRUCTOR_ID, "RpcResult")?;
        Ok(RpcResult {
            req_msg_id: r.read_i64()?,
            result: r.read_rest(),
        })
    }
}

/// `gzip_packed#3072cfa1 packed_data:bytes`; the data stays compressed here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GzipPacked {
    pub packed_data: Vec<u8>,
}

impl Identifiable for GzipPacked {
    const CONSTRUCTOR_ID: u32 = 0x3072_cfa1;
}

impl Serializable for GzipPacked {
    fn serialize(&self, out: &mut Vec<u8>) {
        wire::write_u32(out, Self::CONSTRUCTOR_ID);
        wire::write_bytes(out, &self.packed_data);
    }
}

impl Deserializable for GzipPacked {
    fn deserialize(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.expect_constructor(Self::CONSTRUCTOR_ID, "Object")?;
        Ok(GzipPacked {
            packed_data: r.read_bytes()?,
        })
    }
}

/// The constructor id at the start of a boxed value, without consuming it;
/// lets the session layer dispatch between the types above and generated ones.
pub fn peek_constructor(body: &[u8]) -> Result<u32, DecodeError> {
    Reader::new(body, crate::Limits::default()).peek_u32()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_round_trip() {
        let c = MsgContainer {
            messages: vec![
                RawMessage {
                    msg_id: 1,
                    seqno: 1,
                    body: vec![1, 2, 3, 4],
                },
                RawMessage {
                    msg_id: 2,
                    seqno: 3,
                    body: vec![],
                },
            ],
        };
        let bytes = c.to_bytes();
        assert_eq!(MsgContainer::from_bytes(&bytes).unwrap(), c);
    }

    #[test]
    fn container_with_lying_lengths_fails() {
        let mut bytes = MsgContainer::CONSTRUCTOR_ID.to_le_bytes().to_vec();
        bytes.extend(1000i32.to_le_bytes());
        assert_eq!(
            MsgContainer::from_bytes(&bytes),
            Err(DecodeError::UnexpectedEof)
        );
        let mut bytes = MsgContainer::CONSTRUCTOR_ID.to_le_bytes().to_vec();
        bytes.extend(1i32.to_le_bytes());
        bytes.extend(5i64.to_le_bytes());
        bytes.extend(1i32.to_le_bytes());
        bytes.extend(i32::MAX.to_le_bytes());
        assert_eq!(
            MsgContainer::from_bytes(&bytes),
            Err(DecodeError::UnexpectedEof)
        );
    }

    #[test]
    fn rpc_result_and_gzip_round_trip() {
        let r = RpcResult {
            req_msg_id: 42,
            result: vec![9, 9, 9, 9],
        };
        assert_eq!(RpcResult::from_bytes(&r.to_bytes()).unwrap(), r);
        let g = GzipPacked {
            packed_data: vec![0x1f, 0x8b, 8],
        };
        assert_eq!(GzipPacked::from_bytes(&g.to_bytes()).unwrap(), g);
    }
}
