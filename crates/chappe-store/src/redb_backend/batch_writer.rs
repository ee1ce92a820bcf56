//! Batched writes: one writer thread applies every queued write in ONE
//! durable transaction.
//!
//! The hottest write (a private message) costs little in itself; what a
//! transaction of its own costs is redb's per-commit work (copy-on-write of
//! every B-tree path it touches, page buffers, the header, the fsync) and the
//! trips through the blocking pool and the group-commit barrier. Here callers
//! queue their write and wait on a oneshot; the writer takes everything
//! queued, applies it in arrival order in one transaction, commits it with
//! immediate durability and only then answers each caller. Consecutive sends
//! touch the same leaf pages, so the pages written per message fall with the
//! batch size, and a caller makes one thread hop instead of two pool hops.
//!
//! A write must read everything it decides on before it writes anything, so
//! that an `Err` leaves nothing half-written in the shared transaction. Even
//! so, an `Err` aborts the whole batch: the other writes are then applied
//! again, each in its own transaction, so only the failing one is refused.
//! Writes are therefore `FnMut` and must give the same outcome when re-run.
//!
//! Reads elsewhere stay correct without any barrier: a batch's commit is
//! immediate, so nothing it wrote is visible before it is on disk, and its
//! fsync also persists the non-durable group commits it may have read.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;

use redb::{Database, Durability};
use tokio::sync::oneshot;

use super::box_tables::BoxTables;
use crate::StoreError;

/// The most writes one transaction takes: bounds how long the writer holds
/// redb's write lock and how late the first caller of a batch is answered.
const MAX_BATCH: usize = 512;

/// One queued write, type-erased so different writes share the queue.
trait BatchOp: Send {
    /// Applies the write to the batch's transaction, keeping its output for
    /// [`BatchOp::answer`].
    fn apply(&mut self, tables: &mut BoxTables<'_>) -> Result<(), StoreError>;
    /// Hands the caller the kept output, or `failure`.
    fn answer(self: Box<Self>, failure: Option<StoreError>);
}

struct Op<T, F> {
    body: F,
    out: Option<T>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> BatchOp for Op<T, F>
where
    T: Send,
    F: FnMut(&mut BoxTables<'_>) -> Result<T, StoreError> + Send,
{
    fn apply(&mut self, tables: &mut BoxTables<'_>) -> Result<(), StoreError> {
        self.out = Some((self.body)(tables)?);
        Ok(())
    }

    fn answer(self: Box<Self>, failure: Option<StoreError>) {
        let outcome = match (failure, self.out) {
            (Some(e), _) => Err(e),
            (None, Some(out)) => Ok(out),
            (None, None) => Err(StoreError::TaskFailed(
                "a batched write was answered before it ran".into(),
            )),
        };
        // The caller may have gone away (its connection closed): the write is
        // stored all the same, which is what a client retrying expects.
        let _ = self.reply.send(outcome);
    }
}

/// The queue of one database's batched writes and the thread that drains it.
pub(super) struct BatchWriter {
    queue: Option<mpsc::Sender<Box<dyn BatchOp>>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for BatchWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchWriter").finish_non_exhaustive()
    }
}

impl BatchWriter {
    /// Starts the writer thread of `db`.
    pub(super) fn start(db: Arc<Database>) -> Result<Self, StoreError> {
        let (queue, pending) = mpsc::channel::<Box<dyn BatchOp>>();
        let thread = std::thread::Builder::new()
            .name("chappe-store-writer".into())
            .spawn(move || drain(&db, &pending))
            .map_err(|e| StoreError::TaskFailed(format!("cannot start the writer: {e}")))?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
        })
    }

    /// Queues `body` and answers once the transaction it ran in is durable.
    pub(super) async fn write<T, F>(&self, body: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnMut(&mut BoxTables<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let op = Box::new(Op {
            body,
            out: None,
            reply,
        });
        let queue = self.queue.as_ref().ok_or_else(stopped)?;
        queue.send(op).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        // Closing the queue ends the thread once it has answered what is
        // queued; joining it releases the database before the store is gone,
        // so the same file can be opened again at once.
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn stopped() -> StoreError {
    StoreError::TaskFailed("the store's writer has stopped".into())
}

/// The writer thread: waits for a write, takes everything queued behind it
/// and commits the lot; ends when every sender is gone.
fn drain(db: &Database, pending: &mpsc::Receiver<Box<dyn BatchOp>>) {
    while let Ok(first) = pending.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match pending.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        commit_batch(db, batch);
    }
}

/// Applies `batch` in one transaction and answers everyone; if anything
/// fails, answers each write from a transaction of its own.
fn commit_batch(db: &Database, mut batch: Vec<Box<dyn BatchOp>>) {
    match apply_guarded(db, &mut batch) {
        Ok(()) => batch.into_iter().for_each(|op| op.answer(None)),
        Err(e) if batch.len() == 1 => {
            if let Some(op) = batch.pop() {
                op.answer(Some(e));
            }
        }
        Err(_) => {
            for op in batch {
                commit_batch(db, vec![op]);
            }
        }
    }
}

/// [`apply_all`], with a panic in a write turned into an error (the
/// transaction is dropped, which aborts it) so the thread lives on.
fn apply_guarded(db: &Database, batch: &mut [Box<dyn BatchOp>]) -> Result<(), StoreError> {
    catch_unwind(AssertUnwindSafe(|| apply_all(db, batch))).unwrap_or_else(|_| {
        Err(StoreError::TaskFailed(
            "a batched write panicked; its transaction was aborted".into(),
        ))
    })
}

fn apply_all(db: &Database, batch: &mut [Box<dyn BatchOp>]) -> Result<(), StoreError> {
    let mut txn = db.begin_write().map_err(StoreError::backend)?;
    txn.set_durability(Durability::Immediate)
        .map_err(StoreError::backend)?;
    {
        // The tables stay open across the batch and close before the commit.
        let mut tables = BoxTables::new(&txn);
        for op in batch.iter_mut() {
            op.apply(&mut tables)?;
        }
    }
    txn.commit().map_err(StoreError::backend)
}

#[cfg(test)]
mod tests {
    use redb::{ReadableDatabase, TableDefinition};

    use super::*;

    const T: TableDefinition<u64, u64> = TableDefinition::new("t");

    fn open() -> (tempfile::TempDir, Arc<Database>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Database::create(dir.path().join("db")).expect("create db");
        (dir, Arc::new(db))
    }

    fn read(db: &Database, key: u64) -> Option<u64> {
        let txn = db.begin_read().expect("read txn");
        let table = txn.open_table(T).ok()?;
        table.get(key).expect("get").map(|v| v.value())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_writes_all_land_and_a_failing_one_alone_is_refused() {
        let (_dir, db) = open();
        let writer = Arc::new(BatchWriter::start(Arc::clone(&db)).expect("start"));
        let mut tasks = Vec::new();
        for key in 0..200u64 {
            let writer = Arc::clone(&writer);
            tasks.push(tokio::spawn(async move {
                writer
                    .write(move |tables| {
                        let mut table = tables.txn().open_table(T).map_err(StoreError::backend)?;
                        table.insert(key, key * 10).map_err(StoreError::backend)?;
                        if key % 50 == 7 {
                            // Written, then refused: the batch must not keep it.
                            return Err(StoreError::TaskFailed("refused".into()));
                        }
                        Ok(key)
                    })
                    .await
            }));
        }
        for (key, task) in (0..200u64).zip(tasks) {
            let outcome = task.await.expect("task");
            if key % 50 == 7 {
                assert!(outcome.is_err(), "write {key} should be refused");
                assert_eq!(read(&db, key), None, "refused write {key} was kept");
            } else {
                assert_eq!(outcome.expect("write"), key);
                assert_eq!(read(&db, key), Some(key * 10));
            }
        }
    }

    #[tokio::test]
    async fn a_panicking_write_is_refused_and_the_writer_lives_on() {
        let (_dir, db) = open();
        let writer = BatchWriter::start(Arc::clone(&db)).expect("start");
        let panicked = writer
            .write(|_tables| -> Result<(), StoreError> { panic!("bug in a write") })
            .await;
        assert!(panicked.is_err());
        let after = writer
            .write(|tables| {
                let mut table = tables.txn().open_table(T).map_err(StoreError::backend)?;
                table.insert(1, 2).map_err(StoreError::backend)?;
                Ok(())
            })
            .await;
        assert!(after.is_ok());
        assert_eq!(read(&db, 1), Some(2));
    }

    #[test]
    fn dropping_the_writer_releases_the_database() {
        let (_dir, db) = open();
        let writer = BatchWriter::start(Arc::clone(&db)).expect("start");
        drop(writer);
        assert_eq!(Arc::strong_count(&db), 1);
    }
}
