//! Conformance checks for message boxes, update logs, dialogs and reads.

use chappe_store::{HistoryQuery, NewPrivateMessage, Peer, Store, UpdateEntry, UpdateKind};

fn private(from: i64, to: i64, text: &str, random_id: Option<i64>, date: i64) -> NewPrivateMessage {
    NewPrivateMessage {
        from,
        to,
        sender_copy: true,
        deliver: true,
        random_id,
        date,
        text: text.into(),
        entities: vec![9, 8],
        reply_to: None,
        silent: false,
        fwd_from: None,
    }
}

pub async fn private_messages_get_a_copy_in_each_box(store: &dyn Store) {
    let sent = store
        .send_private_message(private(1, 2, "hi", Some(77), 100))
        .await
        .expect("send");
    assert!(!sent.duplicate);
    let mine = sent.sender.expect("sender copy");
    let theirs = sent.recipient.expect("recipient copy");
    assert_eq!((mine.message.id, mine.pts, mine.message.out), (1, 1, true));
    assert_eq!(
        (theirs.message.id, theirs.pts, theirs.message.out),
        (1, 1, false)
    );
    assert_eq!(mine.message.peer, Peer::User(2));
    assert_eq!(theirs.message.peer, Peer::User(1));
    assert_eq!(mine.message.peer_copy_id, Some(1));
    assert_eq!(theirs.message.entities, vec![9, 8]);

    // User 2 now has a message from 3 too: ids and pts are per box.
    store
        .send_private_message(private(3, 2, "yo", None, 101))
        .await
        .expect("send");
    let reply = store
        .send_private_message(NewPrivateMessage {
            reply_to: Some(1),
            ..private(2, 1, "back", None, 102)
        })
        .await
        .expect("send");
    let reply_mine = reply.sender.expect("copy");
    let reply_theirs = reply.recipient.expect("copy");
    assert_eq!((reply_mine.message.id, reply_mine.pts), (3, 3));
    assert_eq!((reply_theirs.message.id, reply_theirs.pts), (2, 2));
    assert_eq!(reply_mine.message.reply_to, Some(1));
    assert_eq!(reply_theirs.message.reply_to, Some(1));

    // The same random id again stores nothing and answers the first send.
    let again = store
        .send_private_message(private(1, 2, "hi", Some(77), 500))
        .await
        .expect("send");
    assert!(again.duplicate);
    assert_eq!(again.sender, Some(mine.clone()));
    assert_eq!(again.recipient, None);
    assert_eq!(store.box_state(1).await.expect("state").pts, 2);
    assert_eq!(store.box_state(2).await.expect("state").last_message_id, 3);

    let log = store.updates_after(2, 0, 100).await.expect("log");
    let pts: Vec<i32> = log.iter().map(|e| e.pts).collect();
    assert_eq!(pts, vec![1, 2, 3]);
    assert_eq!(
        log.first(),
        Some(&UpdateEntry {
            pts: 1,
            pts_count: 1,
            date: 100,
            kind: UpdateKind::NewMessage { id: 1 }
        })
    );
    assert_eq!(store.updates_after(2, 1, 1).await.expect("log").len(), 1);
    assert_eq!(store.updates_after(2, 3, 10).await.expect("log"), vec![]);

    let dialogs = store.list_dialogs(2).await.expect("dialogs");
    let peers: Vec<Peer> = dialogs.iter().map(|d| d.peer).collect();
    assert_eq!(peers, vec![Peer::User(1), Peer::User(3)]);
    let with_3 = store.get_dialog(2, Peer::User(3)).await.expect("dialog");
    assert_eq!(
        with_3.map(|d| (d.top_message, d.unread_count)),
        Some((2, 1))
    );
    // Sending to 1 read everything before it in that chat.
    let with_1 = store.get_dialog(2, Peer::User(1)).await.expect("dialog");
    assert_eq!(
        with_1.map(|d| (d.top_message, d.read_inbox_max_id, d.unread_count)),
        Some((3, 3, 0))
    );
    let got = store.get_messages(2, &[3, 99, 1]).await.expect("get");
    let ids: Vec<i32> = got.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![3, 1]);
}

pub async fn saved_messages_and_undelivered_keep_one_copy(store: &dyn Store) {
    let saved = store
        .send_private_message(private(5, 5, "note", Some(1), 10))
        .await
        .expect("send");
    assert!(saved.recipient.is_none());
    let copy = saved.sender.expect("copy");
    assert_eq!((copy.message.id, copy.message.out), (1, true));
    assert_eq!(store.box_state(5).await.expect("state").pts, 1);

    let blocked = store
        .send_private_message(NewPrivateMessage {
            deliver: false,
            ..private(5, 6, "lost", None, 11)
        })
        .await
        .expect("send");
    assert!(blocked.sender.is_some() && blocked.recipient.is_none());
    assert_eq!(store.box_state(6).await.expect("state").pts, 0);

    let service = store
        .send_private_message(NewPrivateMessage {
            sender_copy: false,
            ..private(777_000, 6, "code", Some(3), 12)
        })
        .await
        .expect("send");
    assert!(service.sender.is_none());
    assert_eq!(service.recipient.map(|c| c.message.id), Some(1));
    assert_eq!(store.box_state(777_000).await.expect("state").pts, 0);
}

pub async fn history_ranges(store: &dyn Store) {
    for i in 0..10 {
        store
            .send_private_message(private(1, 2, &format!("m{i}"), None, 100 + i))
            .await
            .expect("send");
        store
            .send_private_message(private(1, 3, "other", None, 100 + i))
            .await
            .expect("send");
    }
    // In 1's box, the chat with 2 holds the odd ids 1..=19.
    assert_eq!(store.history_count(1, Peer::User(2)).await.ok(), Some(10));
    let query = |below, above, newest_first, limit| HistoryQuery {
        peer: Peer::User(2),
        below,
        above,
        newest_first,
        limit,
    };
    let ids = |ms: Vec<chappe_store::MessageRecord>| ms.iter().map(|m| m.id).collect::<Vec<_>>();
    let got = store
        .history(1, query(None, None, true, 3))
        .await
        .expect("h");
    assert_eq!(ids(got), vec![19, 17, 15]);
    let got = store
        .history(1, query(Some(15), Some(9), true, 10))
        .await
        .expect("h");
    assert_eq!(ids(got), vec![13, 11]);
    let got = store
        .history(1, query(None, Some(15), false, 10))
        .await
        .expect("h");
    assert_eq!(ids(got), vec![17, 19]);
    let got = store
        .history(1, query(Some(i32::MIN), None, true, 10))
        .await
        .expect("h");
    assert_eq!(ids(got), Vec::<i32>::new());
    let got = store.history(2, query(None, None, false, 2)).await;
    assert_eq!(got.map(|m| m.len()).ok(), Some(0));
}

pub async fn reads_move_both_sides(store: &dyn Store) {
    for i in 0..3 {
        store
            .send_private_message(private(1, 2, "x", None, 100 + i))
            .await
            .expect("send");
    }
    // 2's box holds ids 1..=3 from 1; 1 sends nothing back yet.
    let outcome = store
        .read_history(2, Peer::User(1), 2, 200)
        .await
        .expect("read");
    let reader = outcome.reader.expect("reader entry");
    assert_eq!(reader.pts, 4);
    assert_eq!(
        reader.kind,
        UpdateKind::ReadHistoryInbox {
            peer: Peer::User(1),
            max_id: 2,
            still_unread: 1
        }
    );
    let (other, entry) = outcome.other.expect("outbox moved");
    assert_eq!(other, 1);
    assert_eq!(entry.pts, 4);
    assert_eq!(
        entry.kind,
        UpdateKind::ReadHistoryOutbox {
            peer: Peer::User(2),
            max_id: 2
        }
    );
    let mine = store
        .get_dialog(2, Peer::User(1))
        .await
        .expect("d")
        .expect("d");
    assert_eq!((mine.read_inbox_max_id, mine.unread_count), (2, 1));
    let theirs = store
        .get_dialog(1, Peer::User(2))
        .await
        .expect("d")
        .expect("d");
    assert_eq!(theirs.read_outbox_max_id, 2);

    // Reading less than already read changes nothing.
    let again = store
        .read_history(2, Peer::User(1), 1, 201)
        .await
        .expect("read");
    assert_eq!(
        (again.reader, again.other, again.reader_pts),
        (None, None, 4)
    );
    // 0 reads all.
    let all = store
        .read_history(2, Peer::User(1), 0, 202)
        .await
        .expect("read");
    assert_eq!(all.reader.map(|e| e.pts), Some(5));
    assert_eq!(
        all.other.map(|(_, e)| e.kind),
        Some(UpdateKind::ReadHistoryOutbox {
            peer: Peer::User(2),
            max_id: 3
        })
    );
    let unknown = store
        .read_history(2, Peer::User(9), 0, 203)
        .await
        .expect("read");
    assert_eq!((unknown.reader, unknown.reader_pts), (None, 5));
}
