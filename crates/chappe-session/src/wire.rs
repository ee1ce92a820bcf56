//! TL wire primitives and the MTProto framing that the schema leaves to be "parsed
//! manually": the encrypted plaintext header, `message`, `msg_container`,
//! `rpc_result` and `gzip_packed`. Everything here is bounds-checked; a malformed input
//! yields [`WireError`], never a panic.

/// Constructor ids of the MTProto objects this crate encodes or looks at, taken from
/// the generated MTProto schema (`chappe_tl::mtproto`) so there is one source of truth.
pub mod ids {
    use chappe_tl::mtproto::{functions as f, raw, types as t};
    use chappe_tl::Identifiable;

    /// `msg_container#73f1f8dc messages:vector<message>`
    pub const MSG_CONTAINER: u32 = raw::MsgContainer::CONSTRUCTOR_ID;
    /// `msg_copy#e06046b2 orig_message:Message`
    pub const MSG_COPY: u32 = raw::MsgCopy::CONSTRUCTOR_ID;
    /// `gzip_packed#3072cfa1 packed_data:bytes`
    pub const GZIP_PACKED: u32 = raw::GzipPacked::CONSTRUCTOR_ID;
    /// `rpc_result#f35c6d01 req_msg_id:long result:Object`
    pub const RPC_RESULT: u32 = raw::RpcResult::CONSTRUCTOR_ID;
    /// `rpc_error#2144ca19 error_code:int error_message:string`
    pub const RPC_ERROR: u32 = t::RpcError::CONSTRUCTOR_ID;
    /// `vector#1cb5c415`
    pub const VECTOR: u32 = chappe_tl::wire::VECTOR;
    /// `boolTrue#997275b5`
    pub const BOOL_TRUE: u32 = chappe_tl::wire::BOOL_TRUE;
    /// `boolFalse#bc799737`
    pub const BOOL_FALSE: u32 = chappe_tl::wire::BOOL_FALSE;

    /// `msgs_ack`
    pub const MSGS_ACK: u32 = t::MsgsAck::CONSTRUCTOR_ID;
    /// `bad_msg_notification`
    pub const BAD_MSG_NOTIFICATION: u32 = t::BadMsgNotification::CONSTRUCTOR_ID;
    /// `bad_server_salt`
    pub const BAD_SERVER_SALT: u32 = t::BadServerSalt::CONSTRUCTOR_ID;
    /// `msgs_state_req`
    pub const MSGS_STATE_REQ: u32 = t::MsgsStateReq::CONSTRUCTOR_ID;
    /// `msgs_state_info`
    pub const MSGS_STATE_INFO: u32 = t::MsgsStateInfo::CONSTRUCTOR_ID;
    /// `msgs_all_info`
    pub const MSGS_ALL_INFO: u32 = t::MsgsAllInfo::CONSTRUCTOR_ID;
    /// `msg_detailed_info`
    pub const MSG_DETAILED_INFO: u32 = t::MsgDetailedInfo::CONSTRUCTOR_ID;
    /// `msg_new_detailed_info`
    pub const MSG_NEW_DETAILED_INFO: u32 = t::MsgNewDetailedInfo::CONSTRUCTOR_ID;
    /// `msg_resend_req`
    pub const MSG_RESEND_REQ: u32 = t::MsgResendReq::CONSTRUCTOR_ID;
    /// `msg_resend_ans_req`
    pub const MSG_RESEND_ANS_REQ: u32 = t::MsgResendAnsReq::CONSTRUCTOR_ID;
    /// `rpc_drop_answer`
    pub const RPC_DROP_ANSWER: u32 = f::RpcDropAnswer::CONSTRUCTOR_ID;
    /// `rpc_answer_unknown`
    pub const RPC_ANSWER_UNKNOWN: u32 = t::RpcAnswerUnknown::CONSTRUCTOR_ID;
    /// `rpc_answer_dropped_running`
    pub const RPC_ANSWER_DROPPED_RUNNING: u32 = t::RpcAnswerDroppedRunning::CONSTRUCTOR_ID;
    /// `rpc_answer_dropped`
    pub const RPC_ANSWER_DROPPED: u32 = t::RpcAnswerDropped::CONSTRUCTOR_ID;
    /// `get_future_salts`
    pub const GET_FUTURE_SALTS: u32 = f::GetFutureSalts::CONSTRUCTOR_ID;
    /// `future_salts`
    pub const FUTURE_SALTS: u32 = t::FutureSalts::CONSTRUCTOR_ID;
    /// `ping`
    pub const PING: u32 = f::Ping::CONSTRUCTOR_ID;
    /// `ping_delay_disconnect`
    pub const PING_DELAY_DISCONNECT: u32 = f::PingDelayDisconnect::CONSTRUCTOR_ID;
    /// `pong`
    pub const PONG: u32 = t::Pong::CONSTRUCTOR_ID;
    /// `destroy_session`
    pub const DESTROY_SESSION: u32 = f::DestroySession::CONSTRUCTOR_ID;
    /// `destroy_session_ok`
    pub const DESTROY_SESSION_OK: u32 = t::DestroySessionOk::CONSTRUCTOR_ID;
    /// `destroy_session_none`
    pub const DESTROY_SESSION_NONE: u32 = t::DestroySessionNone::CONSTRUCTOR_ID;
    /// `new_session_created`
    pub const NEW_SESSION_CREATED: u32 = t::NewSessionCreated::CONSTRUCTOR_ID;
    /// `http_wait`
    pub const HTTP_WAIT: u32 = t::HttpWait::CONSTRUCTOR_ID;
    /// `destroy_auth_key`
    pub const DESTROY_AUTH_KEY: u32 = f::DestroyAuthKey::CONSTRUCTOR_ID;
    /// `destroy_auth_key_ok`
    pub const DESTROY_AUTH_KEY_OK: u32 = t::DestroyAuthKeyOk::CONSTRUCTOR_ID;
    /// `destroy_auth_key_none`
    pub const DESTROY_AUTH_KEY_NONE: u32 = t::DestroyAuthKeyNone::CONSTRUCTOR_ID;
    /// `destroy_auth_key_fail`
    pub const DESTROY_AUTH_KEY_FAIL: u32 = t::DestroyAuthKeyFail::CONSTRUCTOR_ID;

    // The invocation wrappers are the same in every API layer; their ids are written
    // here so the session layer does not need the (large) generated API.
    /// `invokeAfterMsg#cb9f372d msg_id:long query:!X`
    pub const INVOKE_AFTER_MSG: u32 = 0xcb9f_372d;
    /// `invokeAfterMsgs#3dc4b4f0 msg_ids:Vector<long> query:!X`
    pub const INVOKE_AFTER_MSGS: u32 = 0x3dc4_b4f0;
    /// `initConnection#c1cd5ea9 flags:# api_id:int … query:!X`
    pub const INIT_CONNECTION: u32 = 0xc1cd_5ea9;
    /// `invokeWithLayer#da9b0d0d layer:int query:!X`
    pub const INVOKE_WITH_LAYER: u32 = 0xda9b_0d0d;
    /// `invokeWithoutUpdates#bf9459b7 query:!X`
    pub const INVOKE_WITHOUT_UPDATES: u32 = 0xbf94_59b7;
    /// `inputClientProxy#75588b3f address:string port:int`
    pub const INPUT_CLIENT_PROXY: u32 = 0x7558_8b3f;
}

/// Bytes of the plaintext header: salt, session_id, msg_id, seq_no, length.
pub const PLAINTEXT_HEADER_LEN: usize = 32;
/// Bytes of a `message` header inside a container: msg_id, seqno, bytes.
pub const MESSAGE_HEADER_LEN: usize = 16;
/// Most messages a container may carry (MTProto's own limit).
pub const MAX_CONTAINER_MESSAGES: usize = 1024;
/// Most ids a `msgs_ack`, `msgs_state_req` or `msg_resend_req` may carry.
pub const MAX_IDS_PER_VECTOR: usize = 8192;

/// Why some bytes are not the TL value they should be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The input ended in the middle of a value.
    #[error("unexpected end of input")]
    UnexpectedEof,
    /// A length or count outside what the field allows.
    #[error("bad length")]
    BadLength,
    /// A constructor id other than the one expected.
    #[error("unexpected constructor {0:#010x}")]
    UnexpectedConstructor(u32),
    /// Nested deeper than allowed.
    #[error("nested too deeply")]
    TooDeep,
}

/// A cursor over untrusted TL bytes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Reads `buf` from its start.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.rest().is_empty()
    }

    /// Takes the next `len` bytes.
    pub fn take(&mut self, len: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(len).ok_or(WireError::BadLength)?;
        let bytes = self
            .buf
            .get(self.pos..end)
            .ok_or(WireError::UnexpectedEof)?;
        self.pos = end;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let bytes = self.take(N)?;
        bytes.try_into().map_err(|_| WireError::UnexpectedEof)
    }

    /// A little-endian `int` read as unsigned (constructor ids).
    pub fn u32(&mut self) -> Result<u32, WireError> {
        self.array().map(u32::from_le_bytes)
    }

    /// A TL `int`.
    pub fn i32(&mut self) -> Result<i32, WireError> {
        self.array().map(i32::from_le_bytes)
    }

    /// A TL `long`.
    pub fn i64(&mut self) -> Result<i64, WireError> {
        self.array().map(i64::from_le_bytes)
    }

    /// A TL `double` (read only to skip it).
    pub fn f64(&mut self) -> Result<f64, WireError> {
        self.array().map(f64::from_le_bytes)
    }

    /// Expects the constructor id `id`.
    pub fn expect(&mut self, id: u32) -> Result<(), WireError> {
        match self.u32()? {
            found if found == id => Ok(()),
            found => Err(WireError::UnexpectedConstructor(found)),
        }
    }

    /// A TL `bytes` / `string`: a 1-byte length below 254 or 0xfe plus a 3-byte
    /// length, the data, then padding to a multiple of 4.
    pub fn bytes(&mut self) -> Result<&'a [u8], WireError> {
        let first = self.take(1)?[0];
        let (len, header) = if first < 254 {
            (usize::from(first), 1)
        } else if first == 254 {
            let l = self.take(3)?;
            (
                usize::from(l[0]) | usize::from(l[1]) << 8 | usize::from(l[2]) << 16,
                4,
            )
        } else {
            return Err(WireError::BadLength);
        };
        let data = self.take(len)?;
        let padding = (4 - (header + len) % 4) % 4;
        self.take(padding)?;
        Ok(data)
    }

    /// A TL `string` decoded lossily (invalid UTF-8 becomes U+FFFD).
    pub fn string(&mut self) -> Result<String, WireError> {
        self.bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// A boxed `Vector<long>` of at most `max` elements.
    pub fn long_vector(&mut self, max: usize) -> Result<Vec<i64>, WireError> {
        self.expect(ids::VECTOR)?;
        let count = self.vector_len(max, 8)?;
        (0..count).map(|_| self.i64()).collect()
    }

    /// A vector element count, checked against `max` and against the bytes left
    /// (each element takes at least `min_element_len` bytes) before anything is
    /// allocated.
    pub fn vector_len(&mut self, max: usize, min_element_len: usize) -> Result<usize, WireError> {
        let count = usize::try_from(self.i32()?).map_err(|_| WireError::BadLength)?;
        let fits = count.saturating_mul(min_element_len) <= self.rest().len();
        if count > max || !fits {
            return Err(WireError::BadLength);
        }
        Ok(count)
    }
}

/// Appends a TL `int`.
pub fn put_i32(out: &mut Vec<u8>, value: i32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Appends a constructor id.
pub fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Appends a TL `long`.
pub fn put_i64(out: &mut Vec<u8>, value: i64) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// Appends a TL `bytes` / `string`. Longer than 16 MiB cannot be represented; such
/// data is truncated to the largest encodable length (callers never get near it).
pub fn put_bytes(out: &mut Vec<u8>, data: &[u8]) {
    const MAX: usize = (1 << 24) - 1;
    let data = data.get(..MAX).unwrap_or(data);
    let header = if data.len() < 254 {
        out.push(data.len() as u8);
        1
    } else {
        let len = data.len() as u32;
        out.push(254);
        out.extend_from_slice(&len.to_le_bytes()[..3]);
        4
    };
    out.extend_from_slice(data);
    let padding = (4 - (header + data.len()) % 4) % 4;
    out.extend(std::iter::repeat_n(0u8, padding));
}

/// Appends a boxed `Vector<long>`.
pub fn put_long_vector(out: &mut Vec<u8>, values: &[i64]) {
    put_u32(out, ids::VECTOR);
    put_i32(out, values.len() as i32);
    for v in values {
        put_i64(out, *v);
    }
}

/// The constructor id a body starts with, if it has one.
pub fn constructor_of(body: &[u8]) -> Option<u32> {
    Reader::new(body).u32().ok()
}

/// One message of a container, borrowed from the container's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InnerMessage<'a> {
    /// The message's own id.
    pub msg_id: i64,
    /// The message's own sequence number.
    pub seq_no: i32,
    /// Its body (exactly `bytes` long).
    pub body: &'a [u8],
}

/// Splits a `msg_container` body into its messages. Fails on anything structurally
/// wrong: a count over [`MAX_CONTAINER_MESSAGES`], a length that is not a multiple of
/// 4 or overruns the container, or bytes left over.
pub fn parse_container(body: &[u8]) -> Result<Vec<InnerMessage<'_>>, WireError> {
    let mut r = Reader::new(body);
    r.expect(ids::MSG_CONTAINER)?;
    let count = r.vector_len(MAX_CONTAINER_MESSAGES, MESSAGE_HEADER_LEN)?;
    let mut messages = Vec::with_capacity(count);
    for _ in 0..count {
        let msg_id = r.i64()?;
        let seq_no = r.i32()?;
        let len = usize::try_from(r.i32()?).map_err(|_| WireError::BadLength)?;
        if len % 4 != 0 {
            return Err(WireError::BadLength);
        }
        let body = r.take(len)?;
        messages.push(InnerMessage {
            msg_id,
            seq_no,
            body,
        });
    }
    if !r.is_empty() {
        return Err(WireError::BadLength);
    }
    Ok(messages)
}

/// Appends one `message` (header and body) as it appears inside a container.
pub fn put_message(out: &mut Vec<u8>, msg_id: i64, seq_no: i32, body: &[u8]) {
    put_i64(out, msg_id);
    put_i32(out, seq_no);
    put_i32(out, body.len() as i32);
    out.extend_from_slice(body);
}

/// Builds the plaintext of an encrypted message without its padding:
/// `salt | session_id | msg_id | seq_no | length | body`.
pub fn plaintext(salt: i64, session_id: i64, msg_id: i64, seq_no: i32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(PLAINTEXT_HEADER_LEN + body.len());
    put_i64(&mut out, salt);
    put_i64(&mut out, session_id);
    put_message(&mut out, msg_id, seq_no, body);
    out
}

/// `rpc_result` carrying an already serialized result (or `rpc_error`).
pub fn rpc_result(req_msg_id: i64, result: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + result.len());
    put_u32(&mut out, ids::RPC_RESULT);
    put_i64(&mut out, req_msg_id);
    out.extend_from_slice(result);
    out
}

/// `rpc_error#2144ca19 error_code:int error_message:string`.
pub fn rpc_error(code: i32, message: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + message.len());
    put_u32(&mut out, ids::RPC_ERROR);
    put_i32(&mut out, code);
    put_bytes(&mut out, message.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_short_and_long() {
        for len in [0usize, 1, 3, 4, 253, 254, 255, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut out = Vec::new();
            put_bytes(&mut out, &data);
            assert_eq!(out.len() % 4, 0);
            let mut r = Reader::new(&out);
            assert_eq!(r.bytes().unwrap(), &data[..]);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn container_round_trip_and_rejects() {
        let mut body = Vec::new();
        put_u32(&mut body, ids::MSG_CONTAINER);
        put_i32(&mut body, 2);
        put_message(&mut body, 4, 1, &[1, 2, 3, 4]);
        put_message(&mut body, 8, 2, &[]);
        let msgs = parse_container(&body).unwrap();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].body, &[1, 2, 3, 4]);
        assert_eq!(msgs[1].msg_id, 8);

        let mut trailing = body.clone();
        trailing.push(0);
        assert!(parse_container(&trailing).is_err());
        assert!(parse_container(&body[..body.len() - 4]).is_err());

        let mut huge_count = Vec::new();
        put_u32(&mut huge_count, ids::MSG_CONTAINER);
        put_i32(&mut huge_count, i32::MAX);
        assert_eq!(parse_container(&huge_count), Err(WireError::BadLength));
    }

    #[test]
    fn long_vector_checks_count_before_allocating() {
        let mut out = Vec::new();
        put_u32(&mut out, ids::VECTOR);
        put_i32(&mut out, 1_000_000);
        assert_eq!(
            Reader::new(&out).long_vector(usize::MAX),
            Err(WireError::BadLength)
        );
        let mut ok = Vec::new();
        put_long_vector(&mut ok, &[1, -2, 3]);
        assert_eq!(Reader::new(&ok).long_vector(8).unwrap(), vec![1, -2, 3]);
    }
}
