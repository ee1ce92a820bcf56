//! Group commit in the redb backend: concurrent writers share durable
//! commits, and every write that was answered is in the file after reopening.

use std::collections::BTreeSet;

use chappe_store::{NewPrivateMessage, Peer, RedbStore, Store};

const SENDS: usize = 120;
const SIGN_UPS: usize = 40;

fn message(from: i64, to: i64, i: usize) -> NewPrivateMessage {
    NewPrivateMessage {
        from,
        to,
        sender_copy: true,
        deliver: true,
        random_id: Some(i as i64 + 1),
        date: 1_700_000_000,
        text: format!("message {i}"),
        entities: Vec::new(),
        reply_to: None,
        silent: false,
        fwd_from: None,
    }
}

#[tokio::test]
async fn concurrent_writers_share_syncs_and_survive_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chappe.redb");
    let store = RedbStore::open(&path).expect("open");
    let ada = store.create_user("100", "Ada", "", 0).await.expect("ada");
    let bob = store.create_user("200", "Bob", "", 0).await.expect("bob");
    let syncs_before = store.group_syncs();

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..SENDS {
        let store = store.clone();
        let (from, to) = (ada.id, bob.id);
        tasks.spawn(async move {
            let sent = store
                .send_private_message(message(from, to, i))
                .await
                .expect("send");
            let copy = sent.sender.expect("sender copy");
            (Some(copy.message.id), None)
        });
    }
    for i in 0..SIGN_UPS {
        let store = store.clone();
        tasks.spawn(async move {
            let phone = format!("9{i:04}");
            let user = store
                .create_user(&phone, "New", "", 0)
                .await
                .expect("create");
            (None, Some((phone, user)))
        });
    }
    let mut sent_ids = BTreeSet::new();
    let mut users = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (id, user) = done.expect("task");
        sent_ids.extend(id);
        users.extend(user);
    }
    assert_eq!(sent_ids.len(), SENDS);
    assert_eq!(users.len(), SIGN_UPS);

    let syncs = store.group_syncs() - syncs_before;
    assert!(syncs >= 1, "no durable commit ran");
    assert!(
        syncs < (SENDS + SIGN_UPS) as u64,
        "{syncs} durable commits for {} writers: nothing was grouped",
        SENDS + SIGN_UPS
    );
    drop(store);

    let store = RedbStore::open(&path).expect("reopen");
    let count = store
        .history_count(ada.id, Peer::User(bob.id))
        .await
        .expect("count");
    assert_eq!(count, SENDS);
    let ids: Vec<i32> = sent_ids.iter().copied().collect();
    let stored = store.get_messages(ada.id, &ids).await.expect("messages");
    assert_eq!(stored.len(), SENDS);
    assert_eq!(
        store
            .history_count(bob.id, Peer::User(ada.id))
            .await
            .expect("count"),
        SENDS
    );
    for (phone, user) in users {
        assert_eq!(store.user_by_phone(&phone).await.ok(), Some(Some(user)));
    }
}

#[tokio::test]
async fn a_lone_writer_gets_one_sync_per_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbStore::open(dir.path().join("chappe.redb")).expect("open");
    let before = store.group_syncs();
    store.create_user("1", "A", "", 0).await.expect("a");
    store.create_user("2", "B", "", 0).await.expect("b");
    // Nothing to share with: each answer waited for its own durable commit.
    assert_eq!(store.group_syncs() - before, 2);
}
