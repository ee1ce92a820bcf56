//! `messages.editMessage` on channel peers through `Api::handle`: who may
//! edit which post in a broadcast channel and in a supergroup, the
//! caller's result, pushes to online members, and the edit in
//! `updates.getChannelDifference`.

mod common;

use chappe_api::PushTarget;
use chappe_tl::api::{enums, functions, types};
use common::requests::{
    channel_peer, create_channel, input_channel as channel, input_user as user, send,
};
use common::{fixture, Fixture, NOW};

fn edit(peer: enums::InputPeer, id: i32, text: &str) -> functions::messages::EditMessage {
    functions::messages::EditMessage {
        no_webpage: false,
        invert_media: false,
        peer,
        id,
        message: Some(text.into()),
        media: None,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        quick_reply_shortcut_id: None,
        rich_message: None,
    }
}

fn updates_of(updates: &enums::Updates) -> &types::Updates {
    match updates {
        enums::Updates::Updates(u) => u,
        other => panic!("not updates: {other:?}"),
    }
}

/// The one `updateEditChannelMessage` of `u`: its message and pts.
fn edited(u: &types::Updates) -> (&types::Message, i32) {
    let found: Vec<_> = u
        .updates
        .iter()
        .filter_map(|x| match x {
            enums::Update::UpdateEditChannelMessage(e) => match &e.message {
                enums::Message::Message(m) => Some((m, e.pts)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "{u:?}");
    found[0]
}

async fn create(f: &Fixture, key: i64, creator: i64, megagroup: bool) -> i64 {
    let created: enums::Updates = f
        .ok(key, Some(creator), create_channel("Edits", !megagroup))
        .await;
    match updates_of(&created).chats.first() {
        Some(enums::Chat::Channel(c)) => c.id,
        other => panic!("not a channel: {other:?}"),
    }
}

async fn invite(f: &Fixture, key: i64, by: i64, id: i64, users: &[i64]) {
    let _: enums::messages::InvitedUsers = f
        .ok(
            key,
            Some(by),
            functions::channels::InviteToChannel {
                channel: channel(by, id),
                users: users.iter().map(|&u| user(by, u)).collect(),
            },
        )
        .await;
}

/// Posts `text` as `by`; answers the post's id.
async fn post(f: &Fixture, key: i64, by: i64, id: i64, text: &str, random_id: i64) -> i32 {
    let sent: enums::Updates = f
        .ok(key, Some(by), send(channel_peer(by, id), text, random_id))
        .await;
    updates_of(&sent)
        .updates
        .iter()
        .find_map(|x| match x {
            enums::Update::UpdateMessageId(m) => Some(m.id),
            _ => None,
        })
        .expect("updateMessageID")
}

fn posting_admin() -> enums::ChatAdminRights {
    enums::ChatAdminRights::ChatAdminRights(types::ChatAdminRights {
        post_messages: true,
        ..types::ChatAdminRights::default()
    })
}

#[tokio::test]
async fn broadcast_posts_are_edited_by_author_or_editing_admins() {
    let f = fixture();
    let a = f.login("9996621401", 1).await;
    let b = f.login("9996621402", 2).await;
    let d = f.login("9996621404", 4).await;
    let id = create(&f, 1, a, false).await;
    invite(&f, 1, a, id, &[b, d]).await;
    let _: enums::Updates = f
        .ok(
            1,
            Some(a),
            functions::channels::EditAdmin {
                channel: channel(a, id),
                user_id: user(a, d),
                admin_rights: posting_admin(),
                rank: None,
            },
        )
        .await;

    let first = post(&f, 1, a, id, "first", 1).await;
    let by_d = post(&f, 4, d, id, "from d", 2).await;

    // The creator edits their post: one log entry, pushed to B.
    f.fanout.set_online(a);
    f.fanout.set_online(b);
    f.fanout.take();
    let pts_before = f
        .store
        .box_state(chappe_store::channels::box_owner(id))
        .await
        .expect("box state")
        .pts;
    let result: enums::Updates = f
        .ok(1, Some(a), edit(channel_peer(a, id), first, "first, fixed"))
        .await;
    let u = updates_of(&result);
    let (mine, pts) = edited(u);
    assert_eq!(pts, pts_before + 1);
    assert_eq!(mine.id, first);
    assert_eq!(mine.message, "first, fixed");
    assert_eq!(mine.edit_date, Some(NOW as i32));
    assert!(mine.out && mine.post);
    assert!(matches!(u.chats.first(), Some(enums::Chat::Channel(c)) if c.id == id));
    let pushes = f.fanout.take();
    let to_b: Vec<_> = pushes
        .iter()
        .filter(|(t, _)| matches!(t, PushTarget::User { user_id, .. } if *user_id == b))
        .collect();
    assert_eq!(to_b.len(), 1);
    let (theirs, their_pts) = edited(updates_of(&to_b[0].1));
    assert_eq!((theirs.message.as_str(), their_pts), ("first, fixed", pts));
    assert!(!theirs.out);
    // The editor's other sessions get it too, not the calling one.
    assert!(pushes.iter().any(|(t, _)| matches!(
        t,
        PushTarget::User { user_id, except: Some(_) } if *user_id == a
    )));

    // Unchanged, unknown, service message.
    assert_eq!(
        f.err(1, Some(a), edit(channel_peer(a, id), first, "first, fixed"))
            .await,
        "MESSAGE_NOT_MODIFIED"
    );
    assert_eq!(
        f.err(1, Some(a), edit(channel_peer(a, id), 999, "x")).await,
        "MESSAGE_ID_INVALID"
    );
    assert_eq!(
        f.err(1, Some(a), edit(channel_peer(a, id), 1, "x")).await,
        "MESSAGE_ID_INVALID"
    );
    // A subscriber edits nothing; a posting admin without edit_messages
    // only their own posts; the creator anyone's.
    assert_eq!(
        f.err(2, Some(b), edit(channel_peer(b, id), first, "mine now"))
            .await,
        "MESSAGE_AUTHOR_REQUIRED"
    );
    assert_eq!(
        f.err(4, Some(d), edit(channel_peer(d, id), first, "mine now"))
            .await,
        "MESSAGE_AUTHOR_REQUIRED"
    );
    let own: enums::Updates = f
        .ok(4, Some(d), edit(channel_peer(d, id), by_d, "from d, fixed"))
        .await;
    assert_eq!(edited(updates_of(&own)).0.message, "from d, fixed");
    let other: enums::Updates = f
        .ok(
            1,
            Some(a),
            edit(channel_peer(a, id), by_d, "from d, edited by a"),
        )
        .await;
    let (m, last_pts) = edited(updates_of(&other));
    assert_eq!(m.message, "from d, edited by a");

    // The difference shows edits as edits, posts as new messages.
    let diff: enums::updates::ChannelDifference = f
        .ok(
            2,
            Some(b),
            functions::updates::GetChannelDifference {
                force: false,
                channel: channel(b, id),
                filter: enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty(
                    types::ChannelMessagesFilterEmpty,
                ),
                pts: pts_before,
                limit: 100,
            },
        )
        .await;
    let enums::updates::ChannelDifference::ChannelDifference(diff) = diff else {
        panic!("not a difference: {diff:?}");
    };
    assert_eq!(diff.pts, last_pts);
    assert!(diff.new_messages.is_empty(), "{:?}", diff.new_messages);
    let edits: Vec<(i32, &str, i32)> = diff
        .other_updates
        .iter()
        .filter_map(|x| match x {
            enums::Update::UpdateEditChannelMessage(e) => match &e.message {
                enums::Message::Message(m) => Some((m.id, m.message.as_str(), e.pts)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(
        edits,
        vec![
            (first, "first, fixed", pts_before + 1),
            (by_d, "from d, edited by a", pts_before + 2),
            (by_d, "from d, edited by a", pts_before + 3),
        ]
    );
    // A later post in the same slice is a new message, not an edit.
    let _ = post(&f, 1, a, id, "third", 3).await;
    let diff: enums::updates::ChannelDifference = f
        .ok(
            2,
            Some(b),
            functions::updates::GetChannelDifference {
                force: false,
                channel: channel(b, id),
                filter: enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty(
                    types::ChannelMessagesFilterEmpty,
                ),
                pts: last_pts,
                limit: 100,
            },
        )
        .await;
    let enums::updates::ChannelDifference::ChannelDifference(diff) = diff else {
        panic!("not a difference: {diff:?}");
    };
    assert_eq!(diff.new_messages.len(), 1);
    assert!(diff.other_updates.is_empty());
}

#[tokio::test]
async fn supergroup_members_edit_only_their_own_messages() {
    let f = fixture();
    let a = f.login("9996631401", 1).await;
    let b = f.login("9996631402", 2).await;
    let c = f.login("9996631403", 3).await;
    let id = create(&f, 1, a, true).await;
    invite(&f, 1, a, id, &[b]).await;
    let from_b = post(&f, 2, b, id, "hello", 1).await;

    // Not even the creator edits someone else's message in a supergroup.
    assert_eq!(
        f.err(1, Some(a), edit(channel_peer(a, id), from_b, "hi"))
            .await,
        "MESSAGE_AUTHOR_REQUIRED"
    );
    // An outsider of a private supergroup cannot see it at all.
    assert_eq!(
        f.err(3, Some(c), edit(channel_peer(c, id), from_b, "hi"))
            .await,
        "CHANNEL_PRIVATE"
    );
    let result: enums::Updates = f
        .ok(2, Some(b), edit(channel_peer(b, id), from_b, "hello again"))
        .await;
    let (m, _) = edited(updates_of(&result));
    assert_eq!(m.message, "hello again");
    assert!(m.out && !m.post);
    assert!(m.from_id.is_some());
    // History shows the new text.
    let stored = f
        .store
        .get_messages(chappe_store::channels::box_owner(id), &[from_b])
        .await
        .expect("messages");
    assert_eq!(stored[0].text, "hello again");
    assert_eq!(stored[0].edit_date, Some(NOW));

    // After leaving, the author may edit no more.
    let _: enums::Updates = f
        .ok(
            2,
            Some(b),
            functions::channels::LeaveChannel {
                channel: channel(b, id),
            },
        )
        .await;
    assert_eq!(
        f.err(2, Some(b), edit(channel_peer(b, id), from_b, "bye"))
            .await,
        "CHANNEL_PRIVATE"
    );
}
