//! Channel pushes run after the answer: a post's RPC result comes back
//! before any member is pushed, the pushes then reach every online member
//! in order, and a member banned since gets none. A big channel with few
//! members online is pushed by walking the users online, not its members,
//! and reaches the same members.

mod common;

use std::sync::Arc;

use chappe_api::{Api, ApiConfig, PushTarget, RecordingFanout};
use chappe_core::{AccessHashes, Accounts, AccountsConfig, LoggingDelivery, Messaging};
use chappe_store::channels::ChannelChange;
use chappe_store::{MemoryStore, Store};
use chappe_tl::api::{enums, functions, types};
use common::requests::{
    channel_peer, create_channel, hashes, input_channel as channel, input_user as user, send,
    user_peer,
};
use common::Fixture;

/// The shared fixture, but with a fan-out that keeps detached pushes until
/// the test runs them.
fn deferring_fixture() -> Fixture {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let fanout = Arc::new(RecordingFanout::deferring());
    let messaging = Arc::new(Messaging::new(store.clone()));
    let accounts = Arc::new(Accounts::new(
        store.clone(),
        AccountsConfig::default(),
        AccessHashes::new([7; 32]),
        [9; 32],
        Arc::new(LoggingDelivery),
    ));
    let api = Api::new(
        ApiConfig::default(),
        store.clone(),
        accounts,
        messaging,
        fanout.clone(),
    )
    .expect("valid config");
    Fixture { api, store, fanout }
}

fn updates_of(updates: &enums::Updates) -> &types::Updates {
    match updates {
        enums::Updates::Updates(u) => u,
        other => panic!("not updates: {other:?}"),
    }
}

/// The text and pts of the post an `updates` carries, if any.
fn post_of(updates: &enums::Updates) -> Option<(String, i32)> {
    updates_of(updates).updates.iter().find_map(|u| match u {
        enums::Update::UpdateNewChannelMessage(m) => match &m.message {
            enums::Message::Message(msg) => Some((msg.message.clone(), m.pts)),
            _ => None,
        },
        _ => None,
    })
}

/// The posts pushed to `user`, in push order, with whether the pushing
/// session was excepted.
fn posts_to(pushes: &[(PushTarget, enums::Updates)], user: i64) -> Vec<(String, i32, bool)> {
    pushes
        .iter()
        .filter_map(|(target, updates)| match target {
            PushTarget::User { user_id, except } if *user_id == user => {
                post_of(updates).map(|(text, pts)| (text, pts, except.is_some()))
            }
            _ => None,
        })
        .collect()
}

/// Creates a broadcast channel owned by `owner`; returns its id.
async fn create_broadcast(f: &Fixture, owner: i64) -> i64 {
    let created: enums::Updates = f.ok(1, Some(owner), create_channel("News", true)).await;
    let Some(enums::Chat::Channel(created)) = updates_of(&created).chats.first() else {
        panic!("no channel");
    };
    created.id
}

#[tokio::test]
async fn post_is_answered_before_its_push_and_members_still_get_it() {
    let f = deferring_fixture();
    let a = f.login("9996629001", 1).await;
    let b = f.login("9996629002", 2).await;
    let c = f.login("9996629003", 3).await;
    let d = f.login("9996629004", 4).await;
    let id = create_broadcast(&f, a).await;
    let _: enums::messages::InvitedUsers = f
        .ok(
            1,
            Some(a),
            functions::channels::InviteToChannel {
                channel: channel(a, id),
                users: vec![user(a, b), user(a, c), user(a, d)],
            },
        )
        .await;
    f.fanout.run_deferred().await;
    // A, B and D are online; C is a member but offline.
    for online in [a, b, d] {
        f.fanout.set_online(online);
    }
    f.fanout.take();

    let mut answered = Vec::new();
    for (text, random_id) in [("one", 1), ("two", 2)] {
        let sent: enums::Updates = f
            .ok(1, Some(a), send(channel_peer(a, id), text, random_id))
            .await;
        answered.push(post_of(&sent).expect("the result carries the post"));
    }
    // Both answers are back and nobody was pushed yet.
    assert!(f.fanout.take().is_empty());
    assert_eq!(f.fanout.run_deferred().await, 1, "one runner per channel");
    assert!(
        f.fanout.asked_among() > 0,
        "a small channel walks its members"
    );
    let pushes = f.fanout.take();
    let expected: Vec<(String, i32, bool)> = answered
        .iter()
        .map(|(text, pts)| (text.clone(), *pts, false))
        .collect();
    assert_eq!(posts_to(&pushes, b), expected);
    assert_eq!(posts_to(&pushes, d), expected);
    assert!(posts_to(&pushes, c).is_empty(), "C is offline");
    // A's other sessions get the posts; the posting session is excepted.
    let to_a = posts_to(&pushes, a);
    assert_eq!(to_a.len(), 2);
    assert!(to_a.iter().all(|(_, _, except)| *except));
    // Each member sees the channel with their own access hash.
    for (target, updates) in &pushes {
        let PushTarget::User { user_id, .. } = target else {
            continue;
        };
        let Some(enums::Chat::Channel(seen)) = updates_of(updates).chats.first() else {
            panic!("no channel in a push");
        };
        assert_eq!(seen.access_hash, Some(hashes().for_channel(*user_id, id)));
    }

    // B is banned: the next post reaches D but not B.
    let _: enums::Updates = f
        .ok(
            1,
            Some(a),
            functions::channels::EditBanned {
                channel: channel(a, id),
                participant: user_peer(a, b),
                banned_rights: enums::ChatBannedRights::ChatBannedRights(types::ChatBannedRights {
                    view_messages: true,
                    ..types::ChatBannedRights::default()
                }),
            },
        )
        .await;
    f.fanout.run_deferred().await;
    f.fanout.take();
    let _: enums::Updates = f
        .ok(1, Some(a), send(channel_peer(a, id), "three", 3))
        .await;
    f.fanout.run_deferred().await;
    let pushes = f.fanout.take();
    assert!(posts_to(&pushes, b).is_empty(), "B is banned");
    assert_eq!(posts_to(&pushes, d).len(), 1);
}

#[tokio::test]
async fn a_big_channel_with_few_online_pushes_its_online_members_only() {
    let f = deferring_fixture();
    let a = f.login("9996629101", 1).await;
    let b = f.login("9996629102", 2).await;
    let c = f.login("9996629103", 3).await;
    let d = f.login("9996629104", 4).await;
    let e = f.login("9996629105", 5).await;
    let outsider = f.login("9996629106", 6).await;
    let id = create_broadcast(&f, a).await;
    let _: enums::messages::InvitedUsers = f
        .ok(
            1,
            Some(a),
            functions::channels::InviteToChannel {
                channel: channel(a, id),
                users: vec![user(a, b), user(a, c), user(a, d), user(a, e)],
            },
        )
        .await;
    // Thousands of members who are never online, well past one page of
    // the member walk.
    let offline: Vec<i64> = (0..3_000).map(|n| 900_000_000 + n).collect();
    f.store
        .change_channel(id, a, ChannelChange::Invite { users: offline }, 200)
        .await
        .expect("store")
        .expect("invited");
    // D is banned, E left.
    let _: enums::Updates = f
        .ok(
            1,
            Some(a),
            functions::channels::EditBanned {
                channel: channel(a, id),
                participant: user_peer(a, d),
                banned_rights: enums::ChatBannedRights::ChatBannedRights(types::ChatBannedRights {
                    view_messages: true,
                    ..types::ChatBannedRights::default()
                }),
            },
        )
        .await;
    let _: enums::Updates = f
        .ok(
            5,
            Some(e),
            functions::channels::LeaveChannel {
                channel: channel(e, id),
            },
        )
        .await;
    f.fanout.run_deferred().await;
    f.fanout.take();
    // C is a member but offline; the outsider is online but no member.
    for online in [a, b, d, e, outsider] {
        f.fanout.set_online(online);
    }
    let asked = f.fanout.asked_among();

    let sent: enums::Updates = f.ok(1, Some(a), send(channel_peer(a, id), "big", 1)).await;
    let (text, pts) = post_of(&sent).expect("the result carries the post");
    assert_eq!(f.fanout.run_deferred().await, 1);
    assert_eq!(
        f.fanout.asked_among(),
        asked,
        "the push walked the users online, not the members"
    );
    let pushes = f.fanout.take();
    assert_eq!(posts_to(&pushes, b), vec![(text.clone(), pts, false)]);
    assert_eq!(
        posts_to(&pushes, a),
        vec![(text, pts, true)],
        "the posting session is excepted"
    );
    for (who, why) in [
        (c, "C is offline"),
        (d, "D is banned"),
        (e, "E left"),
        (outsider, "the outsider is no member"),
    ] {
        assert!(posts_to(&pushes, who).is_empty(), "{why}");
    }
    assert_eq!(pushes.len(), 2, "nobody else is pushed");
    for (target, updates) in &pushes {
        let PushTarget::User { user_id, .. } = target else {
            panic!("a channel post goes to users");
        };
        let Some(enums::Chat::Channel(seen)) = updates_of(updates).chats.first() else {
            panic!("no channel in a push");
        };
        assert_eq!(seen.access_hash, Some(hashes().for_channel(*user_id, id)));
    }
}
