//! The [`Store`] trait every backend implements.

use async_trait::async_trait;

use crate::{AuthKeyRecord, SessionRecord, StoreError, SECRET_LEN};

/// chappe's persistence boundary.
///
/// Object-safe, so the server holds an `Arc<dyn Store>`. Every write returns
/// only once the change is durable. Lookups of missing rows answer `Ok(None)`
/// (or `Ok(false)` for deletes), never an error.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Inserts or replaces the auth key with `record.id`.
    async fn put_auth_key(&self, record: AuthKeyRecord) -> Result<(), StoreError>;

    /// The auth key with this id, if stored. Expired temporary keys are still
    /// returned; the caller decides what expiry means.
    async fn get_auth_key(&self, id: i64) -> Result<Option<AuthKeyRecord>, StoreError>;

    /// Deletes the auth key and, in the same transaction, all its sessions.
    /// Answers whether the key existed.
    async fn delete_auth_key(&self, id: i64) -> Result<bool, StoreError>;

    /// Inserts or replaces the session `(record.auth_key_id,
    /// record.session_id)`. Fails with [`StoreError::AuthKeyNotFound`] when
    /// the auth key is not stored, so no session outlives its key.
    async fn put_session(&self, record: SessionRecord) -> Result<(), StoreError>;

    /// The session, if stored.
    async fn get_session(
        &self,
        auth_key_id: i64,
        session_id: i64,
    ) -> Result<Option<SessionRecord>, StoreError>;

    /// All sessions of an auth key, ordered by session id.
    async fn list_sessions(&self, auth_key_id: i64) -> Result<Vec<SessionRecord>, StoreError>;

    /// Deletes one session. Answers whether it existed.
    async fn delete_session(&self, auth_key_id: i64, session_id: i64) -> Result<bool, StoreError>;

    /// The server secret called `name`, drawn from the OS random generator
    /// and stored durably the first time it is asked for. Concurrent first
    /// calls all get the same value.
    async fn get_or_init_secret(&self, name: &str) -> Result<[u8; SECRET_LEN], StoreError>;
}
