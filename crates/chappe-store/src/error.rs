//! The one error type every [`crate::Store`] method returns.

use std::error::Error as StdError;

/// Why a store operation failed.
///
/// Backend-specific errors are boxed so the trait never exposes a backend's
/// own types; callers act on the variant, not on the source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The backend failed (I/O error, full disk, engine error). The operation
    /// did not take effect; the caller may retry or give up.
    #[error("storage backend failed: {0}")]
    Backend(#[source] Box<dyn StdError + Send + Sync>),

    /// A stored record could not be decoded: the data on disk is damaged or
    /// was written by an incompatible version.
    #[error("corrupt record in table {table}: {reason}")]
    Corrupt {
        /// The table the record was read from.
        table: &'static str,
        /// What was wrong with it.
        reason: String,
    },

    /// The database was written by a newer chappe whose schema this build
    /// does not understand.
    #[error("unsupported store schema version {found} (this build supports {supported})")]
    UnsupportedSchema {
        /// The version found in the database.
        found: u64,
        /// The newest version this build reads.
        supported: u64,
    },

    /// A session was written for an auth key the store does not hold.
    #[error("auth key {0} does not exist")]
    AuthKeyNotFound(i64),

    /// A user was written or bound that the store does not hold.
    #[error("user {0} does not exist")]
    UserNotFound(i64),

    /// Another account already has this phone number.
    #[error("phone number is already taken")]
    PhoneTaken,

    /// Another account already has this username (ignoring case).
    #[error("username is already taken")]
    UsernameTaken,

    /// The user id counter ran out (the id space is exhausted).
    #[error("no user ids left")]
    UserIdsExhausted,

    /// A secret name was empty or longer than
    /// [`crate::SECRET_NAME_MAX_LEN`] bytes.
    #[error("invalid secret name (must be 1..={max} bytes)", max = crate::SECRET_NAME_MAX_LEN)]
    InvalidSecretName,

    /// The operating system's random number generator failed.
    #[error("random number generator failed: {0}")]
    Random(String),

    /// The blocking task that ran the operation panicked or was cancelled;
    /// whether the write took effect is unknown.
    #[error("store task failed: {0}")]
    TaskFailed(String),
}

impl StoreError {
    /// Wraps any backend error without naming its type in the public API.
    pub(crate) fn backend(err: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        StoreError::Backend(err.into())
    }
}
