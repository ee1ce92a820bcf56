//! [`RedbStore`]: the embedded backend, one redb file.
//!
//! redb is synchronous, so every operation runs on tokio's blocking pool;
//! each table group lives in its own sub-module with its table definition and
//! value format.

mod auth_keys;
mod codec;
mod meta;
mod secrets;
mod sessions;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use redb::{Database, Durability, WriteTransaction};

use crate::{AuthKeyRecord, SessionRecord, Store, StoreError, SECRET_LEN};

/// The embedded [`Store`]: a single redb database file.
///
/// Cheap to clone (the database handle is shared). Requires a tokio runtime,
/// since operations run on its blocking pool.
#[derive(Clone)]
pub struct RedbStore {
    db: Arc<Database>,
}

impl std::fmt::Debug for RedbStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedbStore").finish_non_exhaustive()
    }
}

impl RedbStore {
    /// Opens the database at `path`, creating the file and its tables if
    /// missing (the parent directory must exist).
    ///
    /// Blocks: it does file I/O and, after a crash, redb's recovery. Call it
    /// at startup or from `spawn_blocking`. Fails with
    /// [`StoreError::UnsupportedSchema`] on a file from a newer chappe.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let db = Database::create(path).map_err(StoreError::backend)?;
        // Creating every table up front lets readers open tables without
        // handling "table does not exist".
        write_txn(&db, |txn| {
            meta::check_or_init_schema(txn)?;
            txn.open_table(auth_keys::TABLE)
                .map_err(StoreError::backend)?;
            txn.open_table(sessions::TABLE)
                .map_err(StoreError::backend)?;
            txn.open_table(secrets::TABLE)
                .map_err(StoreError::backend)?;
            Ok(())
        })?;
        Ok(Self { db: Arc::new(db) })
    }

    /// Runs `op` on the blocking pool with the database.
    async fn run<T, F>(&self, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        tokio::task::spawn_blocking(move || op(&db))
            .await
            .map_err(|e| StoreError::TaskFailed(e.to_string()))?
    }
}

/// Runs `body` in a write transaction committed with immediate durability:
/// when this returns `Ok`, the change is on disk. On `Err` the transaction is
/// dropped, which aborts it.
fn write_txn<T>(
    db: &Database,
    body: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut txn = db.begin_write().map_err(StoreError::backend)?;
    txn.set_durability(Durability::Immediate)
        .map_err(StoreError::backend)?;
    let out = body(&txn)?;
    txn.commit().map_err(StoreError::backend)?;
    Ok(out)
}

#[async_trait]
impl Store for RedbStore {
    async fn put_auth_key(&self, record: AuthKeyRecord) -> Result<(), StoreError> {
        self.run(move |db| auth_keys::put(db, &record)).await
    }

    async fn get_auth_key(&self, id: i64) -> Result<Option<AuthKeyRecord>, StoreError> {
        self.run(move |db| auth_keys::get(db, id)).await
    }

    async fn delete_auth_key(&self, id: i64) -> Result<bool, StoreError> {
        self.run(move |db| auth_keys::delete(db, id)).await
    }

    async fn put_session(&self, record: SessionRecord) -> Result<(), StoreError> {
        self.run(move |db| sessions::put(db, &record)).await
    }

    async fn get_session(
        &self,
        auth_key_id: i64,
        session_id: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        self.run(move |db| sessions::get(db, auth_key_id, session_id))
            .await
    }

    async fn list_sessions(&self, auth_key_id: i64) -> Result<Vec<SessionRecord>, StoreError> {
        self.run(move |db| sessions::list(db, auth_key_id)).await
    }

    async fn delete_session(&self, auth_key_id: i64, session_id: i64) -> Result<bool, StoreError> {
        self.run(move |db| sessions::delete(db, auth_key_id, session_id))
            .await
    }

    async fn get_or_init_secret(&self, name: &str) -> Result<[u8; SECRET_LEN], StoreError> {
        let name = name.to_owned();
        self.run(move |db| secrets::get_or_init(db, &name)).await
    }
}
