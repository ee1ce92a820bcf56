//! Runs the shared conformance suite (`suite/`) against every backend, plus
//! the checks only a durable backend can pass (reopening the file).

mod suite;

use std::sync::Arc;

use chappe_store::{MemoryStore, RedbStore, Store, StoreError};

/// Declares one test per suite function for a backend. `$make` builds a
/// fresh `Arc<dyn Store>` plus whatever must outlive it (a temp dir).
macro_rules! conformance {
    ($backend:ident, $make:expr) => {
        mod $backend {
            use super::*;

            conformance!(@tests $make;
                missing_rows_read_as_none,
                auth_keys_round_trip_and_replace,
                sessions_need_their_auth_key,
                sessions_round_trip_list_and_delete,
                deleting_a_key_deletes_only_its_sessions,
                secrets_are_made_once_and_kept,
                secret_names_are_checked,
            );

            #[tokio::test]
            async fn concurrent_first_secret_calls_agree() {
                let (store, _keep) = $make;
                suite::concurrent_first_secret_calls_agree(store).await;
            }
        }
    };
    (@tests $make:expr; $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (store, _keep) = $make;
                suite::$name(&*store).await;
            }
        )+
    };
}

fn memory() -> (Arc<dyn Store>, ()) {
    (Arc::new(MemoryStore::new()), ())
}

fn redb() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbStore::open(dir.path().join("chappe.redb")).expect("open");
    (Arc::new(store), dir)
}

conformance!(memory_backend, memory());
conformance!(redb_backend, redb());

#[tokio::test]
async fn redb_keeps_everything_across_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chappe.redb");

    let store = RedbStore::open(&path).expect("open");
    let key = suite::auth_key(42);
    let session = suite::session(42, -9);
    store.put_auth_key(key.clone()).await.expect("put key");
    store
        .put_session(session.clone())
        .await
        .expect("put session");
    store
        .put_auth_key(suite::auth_key(43))
        .await
        .expect("put key");
    store.put_session(suite::session(43, 1)).await.expect("put");
    assert_eq!(store.delete_auth_key(43).await.ok(), Some(true));
    let secret = store.get_or_init_secret("salt").await.expect("secret");
    drop(store);

    let store = RedbStore::open(&path).expect("reopen");
    assert_eq!(store.get_auth_key(42).await.ok(), Some(Some(key)));
    assert_eq!(store.list_sessions(42).await.ok(), Some(vec![session]));
    assert_eq!(store.get_auth_key(43).await.ok(), Some(None));
    assert_eq!(store.list_sessions(43).await.ok(), Some(vec![]));
    assert_eq!(store.get_or_init_secret("salt").await.ok(), Some(secret));
}

#[test]
fn redb_refuses_a_newer_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chappe.redb");
    drop(RedbStore::open(&path).expect("create"));

    // Pretend a newer chappe wrote the file.
    let meta: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("meta");
    let db = redb::Database::create(&path).expect("raw open");
    let txn = db.begin_write().expect("begin");
    txn.open_table(meta)
        .expect("meta")
        .insert("schema_version", 999)
        .expect("insert");
    txn.commit().expect("commit");
    drop(db);

    let err = RedbStore::open(&path);
    assert!(
        matches!(
            err,
            Err(StoreError::UnsupportedSchema {
                found: 999,
                supported: 1
            })
        ),
        "{err:?}"
    );
}

#[test]
fn redb_reports_an_unopenable_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = RedbStore::open(dir.path().join("missing-dir").join("chappe.redb"));
    assert!(matches!(err, Err(StoreError::Backend(_))), "{err:?}");
}
