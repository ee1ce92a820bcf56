//! Conformance checks for edits, deletes, multi-message sends (forwards),
//! drafts and pinned dialogs.

use chappe_store::{
    DraftRecord, EditOutcome, ForwardHeader, MessageEdit, NewPrivateMessage, Peer, Store,
    UpdateKind,
};

fn private(from: i64, to: i64, text: &str, random_id: Option<i64>, date: i64) -> NewPrivateMessage {
    NewPrivateMessage {
        from,
        to,
        sender_copy: true,
        deliver: true,
        random_id,
        date,
        text: text.into(),
        entities: Vec::new(),
        reply_to: None,
        silent: false,
        fwd_from: None,
    }
}

fn edit(owner: i64, id: i32, text: &str) -> MessageEdit {
    MessageEdit {
        owner,
        id,
        text: text.into(),
        entities: vec![1],
        date: 500,
    }
}

async fn kinds(store: &dyn Store, owner: i64, after: i32) -> Vec<(i32, i32, UpdateKind)> {
    store
        .updates_after(owner, after, 100)
        .await
        .expect("log")
        .into_iter()
        .map(|e| (e.pts, e.pts_count, e.kind))
        .collect()
}

pub async fn edits_change_both_copies_and_log(store: &dyn Store) {
    for i in 0..2 {
        store
            .send_private_message(private(1, 2, &format!("m{i}"), None, 100 + i))
            .await
            .expect("send");
    }
    // 1's box: ids 1, 2 (pts 1, 2); 2's box the same.
    let outcome = store
        .edit_private_message(edit(1, 2, "m1 fixed"))
        .await
        .expect("edit");
    let EditOutcome::Edited { mine, theirs } = outcome else {
        panic!("not edited: {outcome:?}");
    };
    assert_eq!((mine.message.id, mine.pts), (2, 3));
    assert_eq!(mine.message.edit_date, Some(500));
    let (other, theirs) = theirs.expect("their copy");
    assert_eq!((other, theirs.message.id, theirs.pts), (2, 2, 3));
    for owner in [1, 2] {
        let m = store.get_messages(owner, &[2]).await.expect("get");
        assert_eq!(m[0].text, "m1 fixed");
        assert_eq!(m[0].entities, vec![1]);
        assert_eq!(m[0].edit_date, Some(500));
        assert_eq!(
            kinds(store, owner, 2).await,
            vec![(3, 1, UpdateKind::EditMessage { id: 2 })]
        );
    }

    let same = store.edit_private_message(edit(1, 2, "m1 fixed")).await;
    assert_eq!(same.expect("edit"), EditOutcome::NotModified);
    // 2 holds a copy of 1's message: not theirs to edit.
    let foreign = store.edit_private_message(edit(2, 1, "mine now")).await;
    assert_eq!(foreign.expect("edit"), EditOutcome::NotAuthor);
    let missing = store.edit_private_message(edit(1, 40, "x")).await;
    assert_eq!(missing.expect("edit"), EditOutcome::NotFound);
    assert_eq!(store.box_state(1).await.expect("state").pts, 3);
    assert_eq!(store.box_state(2).await.expect("state").pts, 3);
}

pub async fn deletes_move_dialogs_and_revoke(store: &dyn Store) {
    for i in 0..3 {
        store
            .send_private_message(private(1, 2, &format!("m{i}"), None, 100 + i))
            .await
            .expect("send");
    }
    // Only 1's copy of the newest goes: 1's dialog moves back, 2's stays.
    let out = store
        .delete_private_messages(1, vec![3, 3, 77], false, 200)
        .await
        .expect("delete");
    let entry = out.mine.expect("entry");
    assert_eq!((entry.pts, entry.pts_count), (4, 1));
    assert_eq!(entry.kind, UpdateKind::DeleteMessages { ids: vec![3] });
    assert!(out.others.is_empty());
    let mine = store.get_dialog(1, Peer::User(2)).await.expect("dialog");
    assert_eq!(mine.map(|d| (d.top_message, d.top_date)), Some((2, 101)));
    let theirs = store.get_dialog(2, Peer::User(1)).await.expect("dialog");
    assert_eq!(
        theirs.map(|d| (d.top_message, d.unread_count)),
        Some((3, 3))
    );

    // Revoke takes 2's copies as well, logged in 2's box, and recounts
    // 2's unread messages.
    let out = store
        .delete_private_messages(1, vec![1, 2], true, 201)
        .await
        .expect("delete");
    assert_eq!(out.mine.map(|e| (e.pts, e.pts_count)), Some((6, 2)));
    assert_eq!(out.pts, 6);
    let (other, entry) = out.others.first().cloned().expect("other");
    assert_eq!(other, 2);
    assert_eq!((entry.pts, entry.pts_count), (5, 2));
    assert_eq!(entry.kind, UpdateKind::DeleteMessages { ids: vec![1, 2] });
    assert_eq!(
        store.get_dialog(1, Peer::User(2)).await.expect("dialog"),
        None
    );
    let theirs = store.get_dialog(2, Peer::User(1)).await.expect("dialog");
    assert_eq!(
        theirs.map(|d| (d.top_message, d.unread_count)),
        Some((3, 1))
    );
    assert!(store
        .get_messages(2, &[1, 2])
        .await
        .expect("get")
        .is_empty());
    assert_eq!(store.history_count(2, Peer::User(1)).await.expect("n"), 1);

    // Nothing to delete: no entry, pts unchanged.
    let out = store
        .delete_private_messages(1, vec![1], true, 202)
        .await
        .expect("delete");
    assert_eq!((out.mine, out.pts), (None, 6));
}

pub async fn many_sends_keep_headers_and_random_ids(store: &dyn Store) {
    let header = ForwardHeader {
        from_id: 9,
        date: 50,
    };
    let batch = vec![
        NewPrivateMessage {
            fwd_from: Some(header),
            ..private(1, 2, "a", Some(11), 100)
        },
        NewPrivateMessage {
            fwd_from: Some(header),
            ..private(1, 2, "b", Some(12), 100)
        },
    ];
    let sent = store
        .send_private_messages(batch.clone())
        .await
        .expect("send");
    assert_eq!(sent.len(), 2);
    for (i, one) in sent.iter().enumerate() {
        assert!(!one.duplicate);
        let recipient = one.recipient.as_ref().expect("copy");
        assert_eq!(recipient.message.fwd_from, Some(header));
        assert_eq!(recipient.message.id, i as i32 + 1);
    }
    let stored = store.get_messages(1, &[1, 2]).await.expect("get");
    assert!(stored.iter().all(|m| m.fwd_from == Some(header)));
    let again = store.send_private_messages(batch).await.expect("send");
    assert!(again.iter().all(|one| one.duplicate));
    assert_eq!(store.box_state(2).await.expect("state").pts, 2);
}

pub async fn drafts_and_pins_round_trip(store: &dyn Store) {
    let draft = DraftRecord {
        text: "later".into(),
        entities: vec![3],
        reply_to: Some(2),
        no_webpage: true,
        date: 70,
    };
    store
        .put_draft(1, Peer::User(2), Some(draft.clone()))
        .await
        .expect("put");
    store
        .put_draft(1, Peer::User(1), Some(DraftRecord::default()))
        .await
        .expect("put");
    assert!(store.list_drafts(2).await.expect("list").is_empty());
    let all = store.list_drafts(1).await.expect("list");
    assert_eq!(all.len(), 2);
    assert!(all.contains(&(Peer::User(2), draft)));
    store
        .put_draft(1, Peer::User(2), None)
        .await
        .expect("clear");
    assert_eq!(store.list_drafts(1).await.expect("list").len(), 1);

    assert!(store.pinned_dialogs(1).await.expect("pins").is_empty());
    let order = vec![Peer::User(3), Peer::User(2)];
    store
        .set_pinned_dialogs(1, order.clone())
        .await
        .expect("pin");
    assert_eq!(store.pinned_dialogs(1).await.expect("pins"), order);
    assert!(store.pinned_dialogs(2).await.expect("pins").is_empty());
    store
        .set_pinned_dialogs(1, Vec::new())
        .await
        .expect("unpin");
    assert!(store.pinned_dialogs(1).await.expect("pins").is_empty());
}
