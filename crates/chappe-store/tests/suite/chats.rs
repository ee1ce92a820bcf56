//! Conformance checks for basic groups: members, service messages in every
//! box, sends, membership changes and read receipts.

use chappe_store::chats::{ChatAction, ChatChange, ChatRefusal, NewChat, NewChatMessage};
use chappe_store::{HistoryQuery, Peer, Store};

fn text(chat_id: i64, from: i64, text: &str, random_id: Option<i64>, date: i64) -> NewChatMessage {
    NewChatMessage {
        chat_id,
        from,
        random_id,
        date,
        text: text.into(),
        entities: Vec::new(),
        reply_to: None,
        silent: false,
    }
}

async fn make_group(store: &dyn Store) -> i64 {
    let made = store
        .create_chat(NewChat {
            creator: 1,
            title: "g".into(),
            invited: vec![2, 3, 2, 1],
            date: 100,
        })
        .await
        .expect("store")
        .expect("created");
    made.chat.id
}

pub async fn chats_store_every_message_in_every_members_box(store: &dyn Store) {
    let first = store
        .create_chat(NewChat {
            creator: 1,
            title: "g".into(),
            invited: vec![2, 3, 2, 1],
            date: 100,
        })
        .await
        .expect("store")
        .expect("created");
    let chat = first.chat.id;
    assert!(chat > 0);
    assert_eq!(first.chat.version, 1);
    let members: Vec<i64> = first.participants.iter().map(|p| p.user_id).collect();
    assert_eq!(members, vec![1, 2, 3]);
    assert_eq!(first.copies.len(), 3);
    assert_eq!(first.copies[0].message.owner, 1);
    assert!(first.copies[0].message.out);
    for copy in &first.copies {
        assert_eq!(copy.message.peer, Peer::Chat(chat));
        assert_eq!(
            copy.message.action,
            Some(ChatAction::Create {
                title: "g".into(),
                users: vec![1, 2, 3]
            })
        );
    }
    let second = make_group(store).await;
    assert_ne!(second, chat);

    let sent = store
        .send_chat_message(text(chat, 2, "hello", Some(5), 101))
        .await
        .expect("store")
        .expect("sent");
    assert_eq!(sent.copies.len(), 3);
    let author = &sent.copies[0];
    assert_eq!((author.message.owner, author.message.out), (2, true));
    for copy in &sent.copies[1..] {
        assert!(!copy.message.out);
        assert_eq!(copy.message.from_id, 2);
        assert_eq!(copy.message.peer_copy_id, Some(author.message.id));
        let dialog = store
            .get_dialog(copy.message.owner, Peer::Chat(chat))
            .await
            .expect("dialog")
            .expect("exists");
        assert_eq!(dialog.top_message, copy.message.id);
        // The creator sent the "created" message; the others did not.
        let expected = if copy.message.owner == 1 { 1 } else { 2 };
        assert_eq!(dialog.unread_count, expected);
    }
    // A repeated random id stores nothing.
    let again = store
        .send_chat_message(text(chat, 2, "hello", Some(5), 102))
        .await
        .expect("store")
        .expect("answered");
    assert!(again.duplicate);
    assert_eq!(again.copies[0].message.id, author.message.id);
    assert_eq!(store.history_count(3, Peer::Chat(chat)).await.ok(), Some(2));

    // A non-member cannot write; an unknown group is refused.
    let refused = store
        .send_chat_message(text(chat, 9, "x", None, 103))
        .await
        .expect("store");
    assert_eq!(refused, Err(ChatRefusal::NotMember));
    let unknown = store
        .send_chat_message(text(9999, 1, "x", None, 103))
        .await
        .expect("store");
    assert_eq!(unknown, Err(ChatRefusal::ChatNotFound));
    assert_eq!(store.box_state(9).await.expect("state").pts, 0);
}

pub async fn chat_membership_changes(store: &dyn Store) {
    let chat = make_group(store).await;
    let add = |user_id| ChatChange::AddUser { user_id };
    assert_eq!(
        store
            .change_chat(chat, 9, add(4), 110)
            .await
            .expect("store"),
        Err(ChatRefusal::NotMember)
    );
    assert_eq!(
        store
            .change_chat(chat, 2, add(3), 110)
            .await
            .expect("store"),
        Err(ChatRefusal::AlreadyMember)
    );
    let added = store
        .change_chat(chat, 2, add(4), 111)
        .await
        .expect("store")
        .expect("added");
    assert_eq!(added.chat.version, 2);
    assert_eq!(added.copies.len(), 4);
    let new_member = added
        .participants
        .iter()
        .find(|p| p.user_id == 4)
        .expect("member");
    assert_eq!(new_member.inviter_id, 2);

    // Only the creator (or an admin) removes others.
    let remove = |user_id| ChatChange::DeleteUser { user_id };
    assert_eq!(
        store
            .change_chat(chat, 2, remove(3), 112)
            .await
            .expect("store"),
        Err(ChatRefusal::NotAdmin)
    );
    let promote = ChatChange::EditAdmin {
        user_id: 2,
        admin: true,
    };
    assert_eq!(
        store
            .change_chat(chat, 3, promote.clone(), 112)
            .await
            .expect("store"),
        Err(ChatRefusal::NotAdmin)
    );
    let promoted = store
        .change_chat(chat, 1, promote, 112)
        .await
        .expect("store")
        .expect("promoted");
    assert!(promoted.copies.is_empty());
    let removed = store
        .change_chat(chat, 2, remove(3), 113)
        .await
        .expect("store")
        .expect("removed");
    // The removed user got the message saying so, then nothing more.
    assert_eq!(removed.copies.len(), 4);
    assert!(removed.participants.iter().all(|p| p.user_id != 3));
    let before = store
        .history_count(3, Peer::Chat(chat))
        .await
        .expect("count");
    store
        .send_chat_message(text(chat, 1, "after", None, 114))
        .await
        .expect("store")
        .expect("sent");
    assert_eq!(
        store.history_count(3, Peer::Chat(chat)).await.ok(),
        Some(before)
    );
    assert_eq!(store.history_count(4, Peer::Chat(chat)).await.ok(), Some(3));

    // Leaving, and a title change.
    let left = store
        .change_chat(chat, 4, remove(4), 115)
        .await
        .expect("store")
        .expect("left");
    assert!(left.copies[0].message.out);
    assert_eq!(left.copies[0].message.owner, 4);
    let title = ChatChange::EditTitle { title: "h".into() };
    let renamed = store
        .change_chat(chat, 1, title.clone(), 116)
        .await
        .expect("store")
        .expect("renamed");
    assert_eq!(renamed.chat.title, "h");
    assert_eq!(
        store.change_chat(chat, 1, title, 117).await.expect("store"),
        Err(ChatRefusal::NotModified)
    );
    let stored = store.get_chat(chat).await.expect("get").expect("exists");
    assert_eq!(stored, renamed.chat);
    let members: Vec<i64> = store
        .chat_participants(chat)
        .await
        .expect("members")
        .iter()
        .map(|p| p.user_id)
        .collect();
    assert_eq!(members, vec![1, 2]);
}

pub async fn chat_reads_move_each_authors_outbox(store: &dyn Store) {
    let chat = make_group(store).await;
    let from_1 = store
        .send_chat_message(text(chat, 1, "a", None, 101))
        .await
        .expect("store")
        .expect("sent");
    let from_2 = store
        .send_chat_message(text(chat, 2, "b", None, 102))
        .await
        .expect("store")
        .expect("sent");
    // Replies point at each box's own copy.
    let mut reply = text(chat, 2, "re", None, 103);
    reply.reply_to = Some(from_1.copies[1].message.id);
    let replied = store
        .send_chat_message(reply)
        .await
        .expect("store")
        .expect("sent");
    for copy in &replied.copies {
        let target = from_1
            .copies
            .iter()
            .find(|c| c.message.owner == copy.message.owner)
            .expect("copy");
        assert_eq!(copy.message.reply_to, Some(target.message.id));
    }

    let read = store
        .read_chat_history(3, chat, 0, 200)
        .await
        .expect("read");
    assert!(read.reader.is_some());
    let mut authors: Vec<i64> = read.others.iter().map(|(a, _)| *a).collect();
    authors.sort_unstable();
    assert_eq!(authors, vec![1, 2]);
    let d1 = store
        .get_dialog(1, Peer::Chat(chat))
        .await
        .expect("dialog")
        .expect("exists");
    assert_eq!(d1.read_outbox_max_id, from_1.copies[0].message.id);
    let d2 = store
        .get_dialog(2, Peer::Chat(chat))
        .await
        .expect("dialog")
        .expect("exists");
    assert_eq!(d2.read_outbox_max_id, replied.copies[0].message.id);
    let d3 = store
        .get_dialog(3, Peer::Chat(chat))
        .await
        .expect("dialog")
        .expect("exists");
    assert_eq!(d3.unread_count, 0);
    // Reading again changes nothing.
    let again = store
        .read_chat_history(3, chat, 0, 201)
        .await
        .expect("read");
    assert!(again.reader.is_none() && again.others.is_empty());
    let history = store
        .history(
            3,
            HistoryQuery {
                peer: Peer::Chat(chat),
                below: None,
                above: None,
                newest_first: false,
                limit: 10,
            },
        )
        .await
        .expect("history");
    let texts: Vec<&str> = history.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, vec!["", "a", "b", "re"]);
    assert_eq!(from_2.copies.len(), 3);
}
