//! `Store::migrate_chat` on every backend: the refusals, the supergroup it
//! makes (participants, rights, member index, first post, dialogs), the
//! message in every member's box, the deactivated group, and (redb) that
//! all of it survives a reopen.

use std::sync::Arc;

use chappe_store::channels::{admin_rights, box_owner};
use chappe_store::chats::{ChatAction, ChatChange, ChatRefusal, NewChat, NewChatMessage};
use chappe_store::{MemoryStore, Peer, RedbStore, Store};

async fn group(store: &dyn Store) -> i64 {
    let made = store
        .create_chat(NewChat {
            creator: 1,
            title: "Team".into(),
            invited: vec![2, 3],
            date: 100,
        })
        .await
        .expect("store")
        .expect("created");
    let chat = made.chat.id;
    store
        .change_chat(
            chat,
            1,
            ChatChange::EditAdmin {
                user_id: 2,
                admin: true,
            },
            101,
        )
        .await
        .expect("store")
        .expect("promoted");
    chat
}

/// Migrates and checks everything; answers the channel id.
async fn migrate_and_check(store: &dyn Store) -> (i64, i64) {
    let chat = group(store).await;
    let refused = |r: Result<_, ChatRefusal>| r.err();
    assert_eq!(
        refused(store.migrate_chat(chat, 2, 200).await.expect("store")),
        Some(ChatRefusal::NotAdmin)
    );
    assert_eq!(
        refused(store.migrate_chat(chat, 9, 200).await.expect("store")),
        Some(ChatRefusal::NotMember)
    );
    assert_eq!(
        refused(store.migrate_chat(chat + 1, 1, 200).await.expect("store")),
        Some(ChatRefusal::ChatNotFound)
    );
    let before: Vec<i32> = {
        let mut v = Vec::new();
        for u in [1, 2, 3] {
            v.push(store.box_state(u).await.expect("state").pts);
        }
        v
    };
    let m = store
        .migrate_chat(chat, 1, 200)
        .await
        .expect("store")
        .expect("migrated");
    let id = m.channel.id;
    // Never the group's own id: clients key chats by bare id.
    assert_ne!(id, chat);
    assert!(m.chat.deactivated);
    assert_eq!(m.chat.migrated_to, Some(id));
    assert!(!m.channel.broadcast);
    assert_eq!((m.channel.title.as_str(), m.channel.creator), ("Team", 1));
    assert_eq!(m.channel.participants_count, 3);
    assert_eq!(m.channel_message.pts, 1);
    assert_eq!(m.channel_message.message.id, 1);
    assert_eq!(
        m.channel_message.message.action,
        Some(ChatAction::ChannelMigrateFrom {
            title: "Team".into(),
            chat_id: chat,
        })
    );

    // One copy per member, the creator's first, each at the next pts.
    let owners: Vec<i64> = m.copies.iter().map(|c| c.message.owner).collect();
    assert_eq!(owners, vec![1, 2, 3]);
    let creator_copy = m.copies[0].message.id;
    for (copy, pts) in m.copies.iter().zip(&before) {
        assert_eq!(copy.pts, pts + 1);
        assert_eq!(copy.message.peer, Peer::Chat(chat));
        assert_eq!(copy.message.from_id, 1);
        assert_eq!(copy.message.out, copy.message.owner == 1);
        assert_eq!(
            copy.message.action,
            Some(ChatAction::ChatMigrateTo { channel_id: id })
        );
        if copy.message.owner != 1 {
            assert_eq!(copy.message.peer_copy_id, Some(creator_copy));
        }
    }

    // What was stored is what was answered.
    assert_eq!(
        store.get_chat(chat).await.expect("chat"),
        Some(m.chat.clone())
    );
    assert_eq!(
        store.get_channel(id).await.expect("channel"),
        Some(m.channel.clone())
    );
    let rows = store.channel_participants(id, 0, 10).await.expect("rows");
    let rights: Vec<(i64, u32)> = rows.iter().map(|p| (p.user_id, p.admin_rights)).collect();
    assert_eq!(rights.len(), 3);
    assert_eq!(rights[0], (1, admin_rights::ALL));
    assert_eq!(rights[1].0, 2);
    assert!(rights[1].1 & admin_rights::BAN_USERS != 0);
    assert!(rights[1].1 & admin_rights::ADD_ADMINS == 0);
    assert_eq!(rights[2], (3, 0));
    assert_eq!(
        store.channel_member_ids(id, 0, 10).await.expect("ids"),
        vec![1, 2, 3]
    );
    let posts = store.get_messages(box_owner(id), &[1]).await.expect("post");
    assert_eq!(posts, vec![m.channel_message.message.clone()]);
    for u in [1, 2, 3] {
        let dialog = store
            .get_dialog(u, Peer::Channel(id))
            .await
            .expect("dialog")
            .expect("a dialog for the supergroup");
        assert_eq!((dialog.top_message, dialog.read_inbox_max_id), (1, 1));
        assert_eq!(dialog.unread_count, 0);
    }

    // The group takes no more writes.
    assert_eq!(
        refused(store.migrate_chat(chat, 1, 300).await.expect("store")),
        Some(ChatRefusal::ChatNotFound)
    );
    let late = NewChatMessage {
        chat_id: chat,
        from: 2,
        random_id: None,
        date: 300,
        text: "late".into(),
        entities: Vec::new(),
        reply_to: None,
        silent: false,
    };
    assert_eq!(
        store.send_chat_message(late).await.expect("store").err(),
        Some(ChatRefusal::ChatNotFound)
    );
    (chat, id)
}

#[tokio::test]
async fn memory_backend_migrates() {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    migrate_and_check(&*store).await;
}

#[tokio::test]
async fn redb_backend_migrates_durably() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chappe.redb");
    let store = RedbStore::open(&path).expect("open");
    let (chat, id) = migrate_and_check(&store).await;
    drop(store);

    let store = RedbStore::open(&path).expect("reopen");
    let record = store.get_chat(chat).await.expect("chat").expect("kept");
    assert!(record.deactivated);
    assert_eq!(record.migrated_to, Some(id));
    assert_eq!(
        store
            .get_channel(id)
            .await
            .expect("channel")
            .map(|c| c.participants_count),
        Some(3)
    );
    let last = store.box_state(3).await.expect("state").last_message_id;
    let copies = store.get_messages(3, &[last]).await.expect("copy");
    assert_eq!(
        copies.first().and_then(|m| m.action.clone()),
        Some(ChatAction::ChatMigrateTo { channel_id: id })
    );
}
