//! Conformance checks for contacts, their reverse index and blocks.

use chappe_store::{BlockedRecord, ContactRecord, Store};

fn contact(user_id: i64, name: &str) -> ContactRecord {
    ContactRecord {
        user_id,
        first_name: name.into(),
        last_name: String::new(),
        added_at: 50,
    }
}

pub async fn contacts_and_their_reverse_index(store: &dyn Store) {
    assert_eq!(store.list_contacts(1).await.ok(), Some(vec![]));
    store.put_contact(1, contact(30, "C")).await.expect("put");
    store.put_contact(1, contact(20, "B")).await.expect("put");
    store.put_contact(2, contact(20, "Bee")).await.expect("put");
    store
        .put_contact(1, contact(20, "Bo"))
        .await
        .expect("rename");
    assert_eq!(
        store.list_contacts(1).await.ok(),
        Some(vec![contact(20, "Bo"), contact(30, "C")])
    );
    assert_eq!(store.contact_owners_of(20).await.ok(), Some(vec![1, 2]));
    assert_eq!(store.contact_owners_of(30).await.ok(), Some(vec![1]));

    assert_eq!(store.delete_contact(1, 20).await.ok(), Some(true));
    assert_eq!(store.delete_contact(1, 20).await.ok(), Some(false));
    assert_eq!(store.contact_owners_of(20).await.ok(), Some(vec![2]));
    assert_eq!(
        store.list_contacts(1).await.ok(),
        Some(vec![contact(30, "C")])
    );
}

pub async fn blocks_page_and_check(store: &dyn Store) {
    assert_eq!(store.block(1, 30, 100).await.ok(), Some(true));
    assert_eq!(store.block(1, 10, 101).await.ok(), Some(true));
    assert_eq!(store.block(1, 20, 102).await.ok(), Some(true));
    // Blocking again keeps the first time.
    assert_eq!(store.block(1, 10, 500).await.ok(), Some(false));
    assert_eq!(store.block(2, 10, 103).await.ok(), Some(true));
    assert_eq!(store.is_blocked(1, 10).await.ok(), Some(true));
    assert_eq!(store.is_blocked(10, 1).await.ok(), Some(false));

    let (page, total) = store.list_blocked(1, 1, 1).await.expect("page");
    assert_eq!(total, 3);
    assert_eq!(
        page,
        vec![BlockedRecord {
            user_id: 20,
            blocked_at: 102
        }]
    );
    let (all, _) = store.list_blocked(1, 0, 10).await.expect("all");
    assert_eq!(
        all.first(),
        Some(&BlockedRecord {
            user_id: 10,
            blocked_at: 101
        })
    );
    assert_eq!(store.list_blocked(1, 5, 10).await.ok(), Some((vec![], 3)));

    assert_eq!(store.unblock(1, 10).await.ok(), Some(true));
    assert_eq!(store.unblock(1, 10).await.ok(), Some(false));
    assert_eq!(store.is_blocked(1, 10).await.ok(), Some(false));
    assert_eq!(store.is_blocked(2, 10).await.ok(), Some(true));
}

pub async fn private_send_check_reads_the_recipient_and_both_blocks(store: &dyn Store) {
    let ada = store
        .create_user("5001", "Ada", "", 1)
        .await
        .expect("ada")
        .id;
    let bob = store
        .create_user("5002", "Bob", "", 1)
        .await
        .expect("bob")
        .id;
    let check = |from, to| async move { store.private_send_check(from, to).await.expect("read") };
    let clear = check(ada, bob).await;
    assert!(clear.recipient_exists);
    assert!(!clear.sender_blocked_recipient && !clear.recipient_blocked_sender);
    assert!(!check(ada, 999_999_999).await.recipient_exists);

    store.block(ada, bob, 2).await.expect("block");
    let blocked = check(ada, bob).await;
    assert!(blocked.sender_blocked_recipient && !blocked.recipient_blocked_sender);
    let other_way = check(bob, ada).await;
    assert!(!other_way.sender_blocked_recipient && other_way.recipient_blocked_sender);
}
