//! Conformance checks for channels: one box per channel, membership and
//! rights checked inside the write, the member index and username rules.

use chappe_store::channels::{
    admin_rights, banned_rights, box_owner, ChannelChange, ChannelRefusal, NewChannel,
    NewChannelMessage,
};
use chappe_store::chats::ChatAction;
use chappe_store::{HistoryQuery, Peer, Store, UpdateKind};

fn post(channel_id: i64, from: i64, text: &str, random_id: Option<i64>) -> NewChannelMessage {
    NewChannelMessage {
        channel_id,
        from,
        random_id,
        date: 200,
        text: text.into(),
        entities: Vec::new(),
        reply_to: None,
        silent: false,
    }
}

async fn make(store: &dyn Store, broadcast: bool) -> i64 {
    let made = store
        .create_channel(NewChannel {
            creator: 1,
            title: "c".into(),
            about: String::new(),
            broadcast,
            date: 100,
        })
        .await
        .expect("store");
    let copy = made.message.expect("service message");
    assert_eq!(copy.message.id, 1);
    assert_eq!(copy.pts, 1);
    assert_eq!(
        copy.message.action,
        Some(ChatAction::ChannelCreate { title: "c".into() })
    );
    assert_eq!(made.channel.participants_count, 1);
    made.channel.id
}

async fn change(
    store: &dyn Store,
    id: i64,
    by: i64,
    change: ChannelChange,
) -> Result<chappe_store::channels::ChannelWrite, ChannelRefusal> {
    store
        .change_channel(id, by, change, 150)
        .await
        .expect("store")
}

pub async fn channels_keep_one_box_and_check_post_rights(store: &dyn Store) {
    let id = make(store, true).await;
    let second = make(store, false).await;
    assert_ne!(id, second);
    assert_eq!(
        store
            .send_channel_message(post(id, 2, "x", None))
            .await
            .ok(),
        Some(Err(ChannelRefusal::Private))
    );
    let invited = change(
        store,
        id,
        1,
        ChannelChange::Invite {
            users: vec![2, 3, 2],
        },
    )
    .await
    .expect("invited");
    assert_eq!(invited.added, vec![2, 3]);
    assert_eq!(invited.channel.participants_count, 3);
    assert_eq!(
        change(store, id, 2, ChannelChange::Invite { users: vec![4] }).await,
        Err(ChannelRefusal::AdminRequired)
    );
    // A subscriber may not post in a broadcast channel.
    assert_eq!(
        store
            .send_channel_message(post(id, 2, "x", None))
            .await
            .ok(),
        Some(Err(ChannelRefusal::WriteForbidden))
    );
    let sent = store
        .send_channel_message(post(id, 1, "hello", Some(9)))
        .await
        .expect("store")
        .expect("posted");
    let copy = sent.message.expect("copy");
    assert_eq!((copy.message.id, copy.pts), (2, 2));
    assert_eq!(copy.message.owner, box_owner(id));
    let again = store
        .send_channel_message(post(id, 1, "hello", Some(9)))
        .await
        .expect("store")
        .expect("repeat");
    assert!(again.duplicate);
    assert_eq!(again.message.map(|c| c.message.id), Some(2));

    // One copy, in the channel's box, read through the box reads.
    let state = store.box_state(box_owner(id)).await.expect("state");
    assert_eq!((state.pts, state.last_message_id), (2, 2));
    let log = store
        .updates_after(box_owner(id), 0, 10)
        .await
        .expect("log");
    assert_eq!(log.len(), 2);
    let history = store
        .history(
            box_owner(id),
            HistoryQuery {
                peer: Peer::Channel(id),
                below: None,
                above: None,
                newest_first: true,
                limit: 10,
            },
        )
        .await
        .expect("history");
    assert_eq!(history.iter().map(|m| m.id).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(store.box_state(2).await.expect("user box").pts, 0);

    // Members' dialogs exist and reads move only the reader.
    let dialog = store
        .get_dialog(2, Peer::Channel(id))
        .await
        .expect("dialog");
    assert_eq!(dialog.map(|d| d.read_inbox_max_id), Some(1));
    let read = change(store, id, 2, ChannelChange::ReadHistory { max_id: 0 })
        .await
        .expect("read");
    assert_eq!(read.read_max_id, 2);
    let dialog = store
        .get_dialog(3, Peer::Channel(id))
        .await
        .expect("dialog");
    assert_eq!(dialog.map(|d| d.read_inbox_max_id), Some(1));

    // An admin with post rights posts; deletes need the right.
    change(
        store,
        id,
        1,
        ChannelChange::EditAdmin {
            user_id: 2,
            rights: admin_rights::POST_MESSAGES,
        },
    )
    .await
    .expect("promoted");
    store
        .send_channel_message(post(id, 2, "from admin", None))
        .await
        .expect("store")
        .expect("posted");
    assert_eq!(
        change(store, id, 2, ChannelChange::DeleteMessages { ids: vec![2] }).await,
        Err(ChannelRefusal::MessageDeleteForbidden)
    );
    let deleted = change(
        store,
        id,
        2,
        ChannelChange::DeleteMessages { ids: vec![3, 77] },
    )
    .await
    .expect("own message");
    let entry = deleted.entry.expect("entry");
    assert_eq!(
        (entry.pts, entry.kind),
        (4, UpdateKind::DeleteMessages { ids: vec![3] })
    );
    assert!(store
        .get_messages(box_owner(id), &[3])
        .await
        .expect("read")
        .is_empty());
}

pub async fn channel_membership_bans_and_usernames(store: &dyn Store) {
    let id = make(store, false).await;
    assert_eq!(
        change(store, id, 2, ChannelChange::Join).await,
        Err(ChannelRefusal::Private)
    );
    change(
        store,
        id,
        1,
        ChannelChange::UpdateUsername {
            username: Some("Group".into()),
        },
    )
    .await
    .expect("named");
    let other = make(store, true).await;
    assert_eq!(
        change(
            store,
            other,
            1,
            ChannelChange::UpdateUsername {
                username: Some("gROUP".into())
            }
        )
        .await,
        Err(ChannelRefusal::UsernameOccupied)
    );
    let found = store.channel_by_username("group").await.expect("lookup");
    assert_eq!(found.map(|c| c.id), Some(id));
    let joined = change(store, id, 2, ChannelChange::Join)
        .await
        .expect("joined");
    assert_eq!(joined.channel.participants_count, 2);
    assert_eq!(
        change(store, id, 2, ChannelChange::Join).await,
        Err(ChannelRefusal::AlreadyMember)
    );
    // Supergroup members post and invite.
    store
        .send_channel_message(post(id, 2, "hi", None))
        .await
        .expect("store")
        .expect("member posts");
    change(store, id, 2, ChannelChange::Invite { users: vec![3, 4] })
        .await
        .expect("member invites");
    assert_eq!(
        store.channel_member_ids(id, 0, 10).await.expect("ids"),
        vec![1, 2, 3, 4]
    );
    assert_eq!(
        store.channel_member_ids(id, 2, 1).await.expect("page"),
        vec![3]
    );

    // Kicking: out of the member index and count, refused afterwards.
    assert_eq!(
        change(
            store,
            id,
            2,
            ChannelChange::EditBanned {
                user_id: 3,
                rights: banned_rights::VIEW_MESSAGES
            }
        )
        .await,
        Err(ChannelRefusal::AdminRequired)
    );
    let kicked = change(
        store,
        id,
        1,
        ChannelChange::EditBanned {
            user_id: 3,
            rights: banned_rights::VIEW_MESSAGES,
        },
    )
    .await
    .expect("kicked");
    assert_eq!(kicked.channel.participants_count, 3);
    assert_eq!(
        store.channel_member_ids(id, 0, 10).await.expect("ids"),
        vec![1, 2, 4]
    );
    assert_eq!(
        store
            .send_channel_message(post(id, 3, "x", None))
            .await
            .ok(),
        Some(Err(ChannelRefusal::Banned))
    );
    assert_eq!(
        change(store, id, 3, ChannelChange::Join).await,
        Err(ChannelRefusal::Banned)
    );
    assert!(store
        .get_dialog(3, Peer::Channel(id))
        .await
        .expect("dialog")
        .is_none());
    let rows = store.channel_participants(id, 0, 10).await.expect("rows");
    assert_eq!(rows.len(), 4);
    // Muting a member keeps them in.
    change(
        store,
        id,
        1,
        ChannelChange::EditBanned {
            user_id: 4,
            rights: banned_rights::SEND_MESSAGES,
        },
    )
    .await
    .expect("muted");
    assert_eq!(
        store
            .send_channel_message(post(id, 4, "x", None))
            .await
            .ok(),
        Some(Err(ChannelRefusal::WriteForbidden))
    );
    // Leaving and deleting.
    let left = change(store, id, 2, ChannelChange::Leave)
        .await
        .expect("left");
    assert_eq!(left.channel.participants_count, 2);
    assert!(store
        .channel_participant(id, 2)
        .await
        .expect("row")
        .is_none());
    assert_eq!(
        change(store, id, 4, ChannelChange::Delete).await,
        Err(ChannelRefusal::AdminRequired)
    );
    change(store, id, 1, ChannelChange::Delete)
        .await
        .expect("deleted");
    assert!(store
        .channel_by_username("group")
        .await
        .expect("lookup")
        .is_none());
    assert_eq!(
        store
            .send_channel_message(post(id, 1, "x", None))
            .await
            .ok(),
        Some(Err(ChannelRefusal::ChannelNotFound))
    );
}

/// The batched point read returns the rows that exist, banned ones
/// included, in the order asked, and nothing of another channel.
pub async fn channel_participants_of_reads_a_batch_of_rows(store: &dyn Store) {
    let id = make(store, false).await;
    let other = make(store, false).await;
    change(
        store,
        id,
        1,
        ChannelChange::Invite {
            users: vec![2, 3, 5],
        },
    )
    .await
    .expect("invited");
    change(store, other, 1, ChannelChange::Invite { users: vec![7] })
        .await
        .expect("invited elsewhere");
    change(
        store,
        id,
        1,
        ChannelChange::EditBanned {
            user_id: 3,
            rights: banned_rights::VIEW_MESSAGES,
        },
    )
    .await
    .expect("kicked");
    let rows = store
        .channel_participants_of(id, &[5, 4, 3, 7, 1])
        .await
        .expect("rows");
    let ids: Vec<i64> = rows.iter().map(|p| p.user_id).collect();
    assert_eq!(ids, vec![5, 3, 1]);
    let members: Vec<bool> = rows.iter().map(|p| p.is_member()).collect();
    assert_eq!(members, vec![true, false, true]);
    assert_eq!(
        Some(&rows[0]),
        store
            .channel_participant(id, 5)
            .await
            .expect("row")
            .as_ref()
    );
    assert!(store
        .channel_participants_of(id, &[])
        .await
        .expect("none")
        .is_empty());
}

/// Basic groups and channels share one id space, as on Telegram: clients
/// that key chats by bare id (Pyrogram's family) break on a clash.
pub async fn groups_and_channels_never_share_an_id(store: &dyn Store) {
    let mut seen = std::collections::HashSet::new();
    for round in 0..3 {
        let channel = store
            .create_channel(NewChannel {
                creator: 1,
                title: format!("c{round}"),
                about: String::new(),
                broadcast: round % 2 == 0,
                date: 100,
            })
            .await
            .expect("channel")
            .channel
            .id;
        let chat = store
            .create_chat(chappe_store::chats::NewChat {
                creator: 1,
                title: format!("g{round}"),
                invited: Vec::new(),
                date: 100,
            })
            .await
            .expect("store")
            .expect("chat")
            .chat
            .id;
        assert!(seen.insert(channel), "channel id {channel} reused");
        assert!(seen.insert(chat), "chat id {chat} reused");
    }
}
