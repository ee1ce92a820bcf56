//! How [`RedbStore`] runs its synchronous redb work: on tokio's blocking
//! pool, and for reads, answering only once what they could see is durable.

use std::sync::Arc;

use redb::Database;

use super::group_commit::{GroupCommit, Grouped};
use super::RedbStore;
use crate::StoreError;

/// What a read waits for before it answers, see [`GroupCommit`].
#[derive(Clone, Copy)]
enum Visible {
    /// Every grouped commit the read could have seen.
    All,
    /// Only grouped commits that changed `users::TABLE`.
    Users,
    /// Nothing: the tables read are changed only by immediate commits.
    Durable,
}

impl RedbStore {
    /// Runs `op` on the blocking pool with the database, and answers only
    /// once everything it could have read is durable: a read may see a
    /// grouped write that is committed but not yet fsync'd, and must not hand
    /// it out before a crash could no longer undo it (no wait when nothing
    /// is pending).
    pub(super) async fn run<T, F>(&self, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        self.read(Visible::All, op).await
    }

    /// [`RedbStore::run`] without the wait, for reads of tables that only
    /// immediate (`write_txn`) commits change: whatever they see is durable.
    pub(super) async fn run_durable_read<T, F>(&self, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        self.read(Visible::Durable, op).await
    }

    /// [`RedbStore::run`] for a read of `users::TABLE` alone, which waits
    /// only for grouped commits that changed it (`Grouped::write_users`).
    pub(super) async fn run_user_read<T, F>(&self, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        self.read(Visible::Users, op).await
    }

    /// Runs a write on the blocking pool through group commit (see
    /// [`super::group_commit`]): it returns once durable, sharing one fsync
    /// with the writes committed alongside it.
    pub(super) async fn run_write<T, F>(&self, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(Grouped<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.blocking(move |db, commits| op(Grouped { db, commits }))
            .await
    }

    async fn read<T, F>(&self, visible: Visible, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        self.blocking(move |db, commits| {
            let out = op(db);
            match visible {
                Visible::All => commits.wait_visible(db)?,
                Visible::Users => commits.wait_users_visible(db)?,
                Visible::Durable => {}
            }
            out
        })
        .await
    }

    async fn blocking<T, F>(&self, op: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database, &GroupCommit) -> Result<T, StoreError> + Send + 'static,
    {
        let (db, commits) = (Arc::clone(&self.db), Arc::clone(&self.commits));
        tokio::task::spawn_blocking(move || op(&db, &commits))
            .await
            .map_err(|e| StoreError::TaskFailed(e.to_string()))?
    }
}
