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
    /// No message with that id in the chat.
    #[error("invalid message id")]
    MessageIdInvalid,
    /// No message ids were given.
    #[error("no message ids")]
    MessageIdsEmpty,
    /// The edit changes nothing.
    #[error("message not modified")]
    MessageNotModified,
    /// Only the author may do this.
    #[error("message author required")]
    MessageAuthorRequired,
    /// The random ids do not match the messages one to one.
    #[error("invalid random ids")]
    RandomIdInvalid,
    /// More pinned dialogs than allowed.
    #[error("too many pinned dialogs")]
    PinnedDialogsTooMuch,
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
            Self::MessageIdInvalid => (400, "MESSAGE_ID_INVALID"),
            Self::MessageIdsEmpty => (400, "MESSAGE_IDS_EMPTY"),
            Self::MessageNotModified => (400, "MESSAGE_NOT_MODIFIED"),
            Self::MessageAuthorRequired => (403, "MESSAGE_AUTHOR_REQUIRED"),
            Self::RandomIdInvalid => (400, "RANDOM_ID_INVALID"),
            Self::PinnedDialogsTooMuch => (400, "PINNED_DIALOGS_TOO_MUCH"),
            Self::Store(_) => (500, "INTERNAL"),
        }
    }
}
