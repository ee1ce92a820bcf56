//! Conformance checks for contacts, their reverse index and blocks.

use chappe_store::{BlockedRecord, ContactRecord, NewPrivateMessage, PrivateSendRefusal, Store};

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

pub async fn checked_sends_read_the_recipient_and_both_blocks(store: &dyn Store) {
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
    let send = |from, to| async move {
        let message = NewPrivateMessage {
            from,
            to,
            sender_copy: true,
            // Ignored: the store decides from the blocks.
            deliver: true,
            random_id: None,
            date: 3,
            text: "hi".into(),
            entities: Vec::new(),
            reply_to: None,
            silent: false,
            fwd_from: None,
        };
        store.send_private_checked(message).await.expect("send")
    };
    let clear = send(ada, bob).await.expect("clear send");
    assert!(clear.sender.is_some() && clear.recipient.is_some());
    assert_eq!(
        send(ada, 999_999_999).await.err(),
        Some(PrivateSendRefusal::RecipientMissing)
    );

    store.block(ada, bob, 2).await.expect("block");
    assert_eq!(
        send(ada, bob).await.err(),
        Some(PrivateSendRefusal::RecipientBlocked)
    );
    // Bob, blocked by Ada, still sends, but Ada gets no copy.
    let unseen = send(bob, ada).await.expect("blocked sender's send");
    assert!(unseen.sender.is_some() && unseen.recipient.is_none());
    assert_eq!(
        store
            .box_state(ada)
            .await
            .expect("ada's box")
            .last_message_id,
        1,
        "only Ada's first send is in her box"
    );
}
