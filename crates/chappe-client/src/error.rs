//! The two ways things fail: connecting (socket, auth-key creation) and invoking a call
//! on an established connection.

use std::sync::Arc;

use chappe_transport::transport_error;

/// Why [`crate::Client::connect`] or a key creation failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ClientError {
    /// Opening, reading or writing the socket failed.
    #[error("socket: {0}")]
    Io(Arc<std::io::Error>),
    /// Connecting or creating the key took longer than the configured timeout.
    #[error("timed out while {0}")]
    Timeout(&'static str),
    /// The server closed the connection in the middle of the exchange.
    #[error("the server closed the connection")]
    Closed,
    /// The server answered with a transport error (a negative code such as −404).
    #[error("transport error {0}")]
    TransportError(i32),
    /// The server's bytes could not be deframed.
    #[error("transport: {0}")]
    Transport(#[from] chappe_transport::TransportError),
    /// A plain (handshake) message was malformed.
    #[error("plain message: {0}")]
    Plain(#[from] chappe_mtproto::PlainError),
    /// The auth-key creation failed (bad answer, refused, too many retries).
    #[error("handshake: {0}")]
    Handshake(#[from] chappe_mtproto::HandshakeError),
    /// The RSA key could not be parsed.
    #[error("RSA key: {0}")]
    Crypto(#[from] chappe_crypto::CryptoError),
}

impl From<std::io::Error> for ClientError {
    fn from(e: std::io::Error) -> Self {
        ClientError::Io(Arc::new(e))
    }
}

/// Why a call on an established [`crate::Client`] got no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvocationError {
    /// The server answered with an `rpc_error`.
    #[error("rpc error {code}: {message}")]
    Rpc {
        /// 400, 401, 420, 500 ...
        code: i32,
        /// The error name, e.g. `AUTH_KEY_UNREGISTERED`.
        message: String,
    },
    /// The server does not know our auth key (transport error −404); the connection is
    /// closed and the key must be created anew.
    #[error("the server does not know this auth key (transport error -404)")]
    AuthKeyNotFound,
    /// Another transport error ended the connection.
    #[error("transport error {0}")]
    TransportError(i32),
    /// The server refused the message with a bad_msg_notification that re-sending
    /// cannot fix (0: gave up after too many attempts).
    #[error("bad_msg_notification {0}")]
    BadMessage(i32),
    /// The answer arrived but is not the type the call returns.
    #[error("cannot decode the result: {0}")]
    Decode(#[from] chappe_tl::DecodeError),
    /// The connection failed (socket or protocol error); the message says how.
    #[error("connection failed: {0}")]
    Io(String),
    /// The connection closed (or was disconnected) before the answer came.
    #[error("the connection closed before the answer")]
    Dropped,
}

impl InvocationError {
    /// The error a transport error code stands for.
    pub(crate) fn from_transport_code(code: i32) -> Self {
        if code == transport_error::AUTH_KEY_NOT_FOUND {
            InvocationError::AuthKeyNotFound
        } else {
            InvocationError::TransportError(code)
        }
    }

    /// Whether this is an `rpc_error` with this code and name.
    pub fn is_rpc(&self, code: i32, message: &str) -> bool {
        matches!(self, InvocationError::Rpc { code: c, message: m } if *c == code && m == message)
    }
}

impl From<chappe_session::RpcError> for InvocationError {
    fn from(e: chappe_session::RpcError) -> Self {
        InvocationError::Rpc {
            code: e.code,
            message: e.message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_codes_and_rpc_errors_map_to_what_callers_match_on() {
        assert_eq!(
            InvocationError::from_transport_code(-404),
            InvocationError::AuthKeyNotFound
        );
        assert_eq!(
            InvocationError::from_transport_code(-429),
            InvocationError::TransportError(-429)
        );
        let rpc = InvocationError::from(chappe_session::RpcError::new(420, "FLOOD_WAIT_1"));
        assert!(rpc.is_rpc(420, "FLOOD_WAIT_1"));
        assert!(!rpc.is_rpc(400, "FLOOD_WAIT_1"));
        assert!(!InvocationError::Dropped.is_rpc(420, "FLOOD_WAIT_1"));
    }
}
