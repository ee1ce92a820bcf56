//! Runs the shared conformance suite (`suite/`) against every backend, plus
//! the checks only a durable backend can pass (reopening the file).

mod suite;

use std::sync::Arc;

use chappe_store::{
    MemoryStore, RedbStore, Store, StoreError, StoreOptions, DEFAULT_USER_ID_BASE, SERVICE_USER_ID,
};

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
                users_get_ids_from_the_base_and_phones_are_unique,
                user_updates_keep_the_indexes_right,
                users_list_and_search,
                auth_key_binding_keeps_the_user_index,
                create_user_bound_is_all_or_nothing,
                a_permanent_key_has_one_bound_temporary_key,
                phone_codes_round_trip_and_delete,
                passwords_round_trip_and_delete,
                devices_register_replace_and_unregister,
                devices_of_an_auth_key_go_together,
                terms_acceptance_is_kept_per_user,
                invites_are_counted_and_limited,
                contacts_and_their_reverse_index,
                blocks_page_and_check,
                checked_sends_read_the_recipient_and_both_blocks,
                private_messages_get_a_copy_in_each_box,
                saved_messages_and_undelivered_keep_one_copy,
                history_ranges,
                reads_move_both_sides,
                edits_change_both_copies_and_log,
                deletes_move_dialogs_and_revoke,
                many_sends_keep_headers_and_random_ids,
                drafts_and_pins_round_trip,
                chats_store_every_message_in_every_members_box,
                chat_membership_changes,
                chat_reads_move_each_authors_outbox,
                channels_keep_one_box_and_check_post_rights,
                channel_membership_bans_and_usernames,
                channel_participants_of_reads_a_batch_of_rows,
                groups_and_channels_never_share_an_id,
            );

            #[tokio::test]
            async fn concurrent_first_secret_calls_agree() {
                let (store, _keep) = $make;
                suite::concurrent_first_secret_calls_agree(store).await;
            }

            #[tokio::test]
            async fn concurrent_creates_of_one_phone_make_one_user() {
                let (store, _keep) = $make;
                suite::concurrent_creates_of_one_phone_make_one_user(store).await;
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
                supported: 2
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

#[tokio::test]
async fn user_ids_skip_the_service_account_and_survive_reopen() {
    let memory = MemoryStore::with_user_id_base(SERVICE_USER_ID);
    let first = memory.create_user("1", "A", "", 0).await.expect("create");
    assert_eq!(first.id, SERVICE_USER_ID + 1);

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chappe.redb");
    let options = StoreOptions { user_id_base: 5000 };
    let store = RedbStore::open_with(&path, options).expect("open");
    let a = store.create_user("1", "A", "", 0).await.expect("a");
    assert_eq!(a.id, 5000);
    drop(store);
    // The counter is durable: the base only matters for a fresh file.
    let store = RedbStore::open(&path).expect("reopen");
    let b = store.create_user("2", "B", "", 0).await.expect("b");
    assert_eq!(b.id, 5001);
    assert_eq!(store.get_user(5000).await.ok(), Some(Some(a)));
    assert_ne!(b.id, DEFAULT_USER_ID_BASE);
}

#[tokio::test]
async fn redb_migrates_a_schema_1_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chappe.redb");
    let store = RedbStore::open(&path).expect("create");
    let ada = store.create_user("1", "Ada", "", 0).await.expect("ada");
    let mut key = suite::auth_key(7);
    key.user_id = Some(ada.id);
    store.put_auth_key(key.clone()).await.expect("key");
    drop(store);

    // Turn the file back into what schema 1 looked like: no index, v1.
    let meta: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("meta");
    let index: redb::TableDefinition<(i64, i64), ()> = redb::TableDefinition::new("user_auth_keys");
    let db = redb::Database::create(&path).expect("raw open");
    let txn = db.begin_write().expect("begin");
    txn.open_table(meta)
        .expect("meta")
        .insert("schema_version", 1)
        .expect("insert");
    txn.delete_table(index).expect("drop index");
    txn.commit().expect("commit");
    drop(db);

    let store = RedbStore::open(&path).expect("migrate");
    assert_eq!(store.auth_keys_of_user(ada.id).await.ok(), Some(vec![key]));
    drop(store);
    let db = redb::Database::create(&path).expect("raw open");
    let txn = redb::ReadableDatabase::begin_read(&db).expect("read");
    let version = txn
        .open_table(meta)
        .expect("meta")
        .get("schema_version")
        .expect("get")
        .map(|v| v.value());
    assert_eq!(version, Some(2));
}
