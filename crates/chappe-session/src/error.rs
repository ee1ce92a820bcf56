//! The crate's error type. Most protocol problems are not errors to the caller: the
//! server answers them to the client (bad_msg_notification …) and the client recovers
//! from them. What is left are the cases where the caller should drop the packet and,
//! per MTProto's security guidelines, preferably the connection.

use chappe_crypto::CryptoError;

use crate::wire::WireError;

/// Why a packet was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The message belongs to another session (route it by its session_id).
    #[error("message for session {found:#x}, this is session {expected:#x}")]
    WrongSession {
        /// This session's id.
        expected: i64,
        /// The id the message carries.
        found: i64,
    },
    /// The packet failed to decrypt or verify (client role).
    #[error("packet could not be decrypted: {0}")]
    Decrypt(#[from] CryptoError),
    /// A server message whose msg_id is even (client role).
    #[error("server msg_id {0:#x} is not odd")]
    BadServerMsgId(i64),
    /// The message is structurally malformed (client role).
    #[error("malformed message: {0}")]
    Malformed(#[from] WireError),
}
