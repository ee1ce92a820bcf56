//! [`MessagingError`]: why a messaging operation failed, one variant per
//! Telegram RPC error.

use chappe_store::StoreError;

/// Why a messaging operation failed; [`MessagingError::rpc_name`] gives the
/// Telegram code and name.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessagingError {
    /// The text is empty (or only whitespace).
    #[error("message is empty")]
    MessageEmpty,
    /// The text is longer than [`super::MAX_MESSAGE_LENGTH`].
    #[error("message is too long")]
    MessageTooLong,
    /// The peer names no chat the caller can use.
    #[error("invalid peer")]
    PeerIdInvalid,
    /// The caller blocked the recipient.
    #[error("you blocked this user")]
    YouBlockedUser,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MessagingError {
    /// The Telegram RPC error code and name for this error.
    pub fn rpc_name(&self) -> (i32, &'static str) {
        match self {
            Self::MessageEmpty => (400, "MESSAGE_EMPTY"),
            Self::MessageTooLong => (400, "MESSAGE_TOO_LONG"),
            Self::PeerIdInvalid => (400, "PEER_ID_INVALID"),
            Self::YouBlockedUser => (400, "YOU_BLOCKED_USER"),
            Self::Store(_) => (500, "INTERNAL"),
        }
    }
}
