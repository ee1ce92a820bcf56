//! Group commit: concurrent writers share one fsync.
//!
//! redb runs one write transaction at a time, and a commit with
//! `Durability::Immediate` holds that lock through its fsync. A grouped write
//! instead commits with `Durability::None` (visible at once, persisted by the
//! next durable commit: redb never lets a non-durable commit overwrite a page
//! the last durable commit names, so a crash loses only the non-durable tail
//! and never corrupts) and then waits here until a durable commit covers it.
//!
//! Every non-durable commit takes a sequence number just before it commits,
//! while it still holds redb's write lock, so numbers follow commit order and
//! any commit a reader can see has a number issued before the reader began.
//! The first waiter that finds no sync running becomes the leader: it notes the
//! highest number issued, S, runs an empty write transaction with immediate
//! durability (whose begin waits for any commit still in flight, and whose
//! fsync persists every earlier commit), marks S durable and wakes everyone.
//! Waiters above S elect the next leader. A caller therefore answers only
//! once its own commit, and everything it read, is on disk.
//!
//! A write with no other write in flight has nobody to share a sync with, so
//! it commits durably itself (as the leader of a round of one) rather than
//! paying for a second, empty commit.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use redb::{Database, Durability, WriteTransaction};

use crate::StoreError;

/// The sync barrier shared by every write of one database.
#[derive(Debug, Default)]
pub(super) struct GroupCommit {
    state: Mutex<State>,
    changed: Condvar,
    /// Durable commits run by leaders (for tests and benchmarks).
    syncs: AtomicU64,
}

#[derive(Debug, Default)]
struct State {
    /// Highest sequence number handed to a committing transaction.
    issued: u64,
    /// Number of the latest commit that changed `users::TABLE`.
    users: u64,
    /// Every commit numbered up to this is on disk.
    durable: u64,
    /// A leader is running a durable commit.
    syncing: bool,
    /// Grouped writes between their start and their commit.
    writers: usize,
}

/// What a grouped write does with its commit.
enum Plan {
    /// Commit non-durably, then wait for a sync to cover this number.
    Join(u64),
    /// No other write is in flight, so there is nobody to share a sync
    /// with: commit durably, as the leader of a round of one.
    Lead(u64),
}

impl GroupCommit {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is plain fields updated together under the lock, so
        // a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Numbers a commit about to happen and picks its [`Plan`]. Call with
    /// the write transaction still open, right before `commit`.
    fn plan(&self, touches_users: bool) -> Plan {
        let mut state = self.lock();
        state.issued += 1;
        if touches_users {
            state.users = state.issued;
        }
        if state.writers == 1 && !state.syncing {
            state.syncing = true;
            Plan::Lead(state.issued)
        } else {
            Plan::Join(state.issued)
        }
    }

    /// Counts a grouped write in flight until the guard drops.
    fn enter(&self) -> InFlight<'_> {
        self.lock().writers += 1;
        InFlight { owner: self }
    }

    /// How many durable commits leaders have run.
    pub(super) fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }

    /// Blocks until everything a read that has already begun could see is
    /// durable. Returns at once when nothing is pending.
    pub(super) fn wait_visible(&self, db: &Database) -> Result<(), StoreError> {
        let latest = self.lock().issued;
        self.wait_durable(db, latest)
    }

    /// [`GroupCommit::wait_visible`] for a read of `users::TABLE` alone:
    /// only commits that changed them matter, so the peer check on every
    /// send does not wait for the sends in flight.
    pub(super) fn wait_users_visible(&self, db: &Database) -> Result<(), StoreError> {
        let latest = self.lock().users;
        self.wait_durable(db, latest)
    }

    /// Blocks until commit `seq` is durable, running the sync itself when no
    /// other caller is.
    fn wait_durable(&self, db: &Database, seq: u64) -> Result<(), StoreError> {
        let mut state = self.lock();
        loop {
            if state.durable >= seq {
                return Ok(());
            }
            if !state.syncing {
                state.syncing = true;
                let target = state.issued;
                drop(state);
                let round = Round { owner: self };
                let outcome = durable_commit(db);
                round.finish(outcome.is_ok().then_some(target));
                // On failure every waiter of this round wakes up still
                // uncovered, leads a retry itself and sees the error too:
                // nobody is answered on a commit that did not reach disk.
                outcome?;
                state = self.lock();
                continue;
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// A grouped write between its start and its commit.
struct InFlight<'a> {
    owner: &'a GroupCommit,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.owner.lock().writers -= 1;
    }
}

/// A leader's sync in progress. Dropping it (a panic in redb included)
/// ends the round, so waiters can never sleep on a leader that is gone.
struct Round<'a> {
    owner: &'a GroupCommit,
}

impl Round<'_> {
    fn finish(self, durable: Option<u64>) {
        {
            let mut state = self.owner.lock();
            if let Some(target) = durable {
                state.durable = state.durable.max(target);
                self.owner.syncs.fetch_add(1, Ordering::Relaxed);
            }
            state.syncing = false;
        }
        self.owner.changed.notify_all();
        std::mem::forget(self);
    }
}

impl Drop for Round<'_> {
    fn drop(&mut self) {
        self.owner.lock().syncing = false;
        self.owner.changed.notify_all();
    }
}

/// An empty write transaction committed durably: redb's fsync persists every
/// non-durable commit before it.
fn durable_commit(db: &Database) -> Result<(), StoreError> {
    let mut txn = db.begin_write().map_err(StoreError::backend)?;
    txn.set_durability(Durability::Immediate)
        .map_err(StoreError::backend)?;
    txn.commit().map_err(StoreError::backend)
}

/// A database handle whose writes go through group commit.
#[derive(Clone, Copy)]
pub(super) struct Grouped<'a> {
    pub(super) db: &'a Database,
    pub(super) commits: &'a GroupCommit,
}

impl Grouped<'_> {
    /// Runs `body` in a write transaction and returns once the change is
    /// durable, like [`super::write_txn`], sharing the fsync with concurrent
    /// writers. On `Err` the transaction is aborted.
    pub(super) fn write<T>(
        &self,
        body: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.commit(false, body)
    }

    /// [`Grouped::write`] for a body that changes `users::TABLE` (the user
    /// records), so that the reads of that table alone wait for it.
    pub(super) fn write_users<T>(
        &self,
        body: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.commit(true, body)
    }

    fn commit<T>(
        &self,
        touches_users: bool,
        body: impl FnOnce(&WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let in_flight = self.commits.enter();
        let mut txn = self.db.begin_write().map_err(StoreError::backend)?;
        txn.set_durability(Durability::None)
            .map_err(StoreError::backend)?;
        let out = match body(&txn) {
            Ok(out) => out,
            Err(e) => {
                drop(txn);
                drop(in_flight);
                // The refusal may rest on rows not yet durable (a phone number
                // another sign-up is committing): answer it only once they are.
                self.commits.wait_visible(self.db)?;
                return Err(e);
            }
        };
        match self.commits.plan(touches_users) {
            Plan::Join(seq) => {
                txn.commit().map_err(StoreError::backend)?;
                drop(in_flight);
                self.commits.wait_durable(self.db, seq)?;
            }
            Plan::Lead(seq) => {
                let round = Round {
                    owner: self.commits,
                };
                let outcome = match txn.set_durability(Durability::Immediate) {
                    Ok(()) => txn.commit().map_err(StoreError::backend),
                    Err(e) => Err(StoreError::backend(e)),
                };
                round.finish(outcome.is_ok().then_some(seq));
                outcome?;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A non-durable commit left pending, as a grouped write looks between
    /// its commit and its wait.
    fn pending_commit(db: &Database, commits: &GroupCommit, touches_users: bool) {
        let mut txn = db.begin_write().expect("begin");
        txn.set_durability(Durability::None).expect("durability");
        let _ = commits.plan(touches_users);
        txn.commit().expect("commit");
    }

    #[test]
    fn reads_wait_only_for_what_is_pending() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Database::create(dir.path().join("t.redb")).expect("db");
        let commits = GroupCommit::default();

        commits.wait_visible(&db).expect("idle");
        assert_eq!(commits.syncs(), 0, "nothing pending, nothing to sync");

        pending_commit(&db, &commits, false);
        commits.wait_users_visible(&db).expect("users");
        assert_eq!(commits.syncs(), 0, "a user read ignores other tables");
        commits.wait_visible(&db).expect("any");
        assert_eq!(commits.syncs(), 1);

        pending_commit(&db, &commits, true);
        pending_commit(&db, &commits, false);
        commits.wait_users_visible(&db).expect("users");
        assert_eq!(commits.syncs(), 2, "one sync covers both commits");
        commits.wait_visible(&db).expect("any");
        assert_eq!(commits.syncs(), 2);
    }
}
