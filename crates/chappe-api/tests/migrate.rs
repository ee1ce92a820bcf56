//! `messages.migrateChat` through `Api::handle`: only the creator may
//! migrate, every member becomes a participant of the supergroup (admins
//! admins), both service messages with the right pts, pushes to the other
//! members, the deactivated group refusing writes while its history stays
//! readable, and `channels.getFullChannel`'s migrated fields.

mod common;

use chappe_api::PushTarget;
use chappe_tl::api::{enums, functions, types};
use common::requests::{
    channel_peer, chat_peer, create_channel, hashes, history, input_channel as channel,
    input_user as user, send,
};
use common::{fixture, Fixture};

const KEY_A: i64 = 1;
const KEY_B: i64 = 2;
const KEY_C: i64 = 3;
const KEY_D: i64 = 4;

struct Group {
    f: Fixture,
    a: i64,
    b: i64,
    c: i64,
    d: i64,
    chat: i64,
}

fn updates_of(updates: &enums::Updates) -> &types::Updates {
    match updates {
        enums::Updates::Updates(u) => u,
        other => panic!("not updates: {other:?}"),
    }
}

fn migrate(chat_id: i64) -> functions::messages::MigrateChat {
    functions::messages::MigrateChat { chat_id }
}

/// A creates "Team" with B and C and makes B an admin; D is not in it.
async fn group() -> Group {
    let f = fixture();
    let a = f.login("9996631001", KEY_A).await;
    let b = f.login("9996631002", KEY_B).await;
    let c = f.login("9996631003", KEY_C).await;
    let d = f.login("9996631004", KEY_D).await;
    let invited: enums::messages::InvitedUsers = f
        .ok(
            KEY_A,
            Some(a),
            functions::messages::CreateChat {
                users: vec![user(a, b), user(a, c)],
                title: "Team".into(),
                ttl_period: None,
            },
        )
        .await;
    let enums::messages::InvitedUsers::InvitedUsers(invited) = invited;
    let Some(enums::Chat::Chat(chat)) = updates_of(&invited.updates).chats.first() else {
        panic!("not a chat");
    };
    let chat = chat.id;
    let admin: bool = f
        .ok(
            KEY_A,
            Some(a),
            functions::messages::EditChatAdmin {
                chat_id: chat,
                user_id: user(a, b),
                is_admin: true,
            },
        )
        .await;
    assert!(admin);
    let _: enums::Updates = f
        .ok(KEY_C, Some(c), send(chat_peer(chat), "before", 7))
        .await;
    f.fanout.take();
    Group {
        f,
        a,
        b,
        c,
        d,
        chat,
    }
}

async fn pts(f: &Fixture, key: i64, user: i64) -> i32 {
    let enums::updates::State::State(state) =
        f.ok(key, Some(user), functions::updates::GetState).await;
    state.pts
}

/// The parts of a migration's `updates`, checked for shape.
struct Seen {
    channel: types::Channel,
    chat: types::Chat,
    /// (migrated from: title, chat id, id, pts)
    from: (String, i64, i32, i32),
    /// (migrated to: channel id, id, pts)
    to: (i64, i32, i32),
}

fn seen(u: &types::Updates) -> Seen {
    assert!(matches!(
        u.updates.first(),
        Some(enums::Update::UpdateChannel(_))
    ));
    let mut from = None;
    let mut to = None;
    for update in &u.updates {
        match update {
            enums::Update::UpdateNewChannelMessage(m) => {
                let enums::Message::MessageService(s) = &m.message else {
                    panic!("not a service message");
                };
                let enums::MessageAction::MessageActionChannelMigrateFrom(a) = &s.action else {
                    panic!("not migrate from: {:?}", s.action);
                };
                from = Some((a.title.clone(), a.chat_id, s.id, m.pts));
            }
            enums::Update::UpdateNewMessage(m) => {
                let enums::Message::MessageService(s) = &m.message else {
                    panic!("not a service message");
                };
                let enums::MessageAction::MessageActionChatMigrateTo(a) = &s.action else {
                    panic!("not migrate to: {:?}", s.action);
                };
                to = Some((a.channel_id, s.id, m.pts));
            }
            _ => {}
        }
    }
    let [enums::Chat::Chat(chat), enums::Chat::Channel(channel)] = u.chats.as_slice() else {
        panic!("chats are not [group, supergroup]: {:?}", u.chats);
    };
    Seen {
        channel: channel.clone(),
        chat: chat.clone(),
        from: from.expect("updateNewChannelMessage"),
        to: to.expect("updateNewMessage"),
    }
}

#[tokio::test]
async fn only_the_creator_migrates_an_active_group() {
    let g = group().await;
    // An admin is not enough, a stranger does not see the group.
    assert_eq!(
        g.f.err(KEY_B, Some(g.b), migrate(g.chat)).await,
        "CHAT_ADMIN_REQUIRED"
    );
    assert_eq!(
        g.f.err(KEY_D, Some(g.d), migrate(g.chat)).await,
        "CHAT_ID_INVALID"
    );
    assert_eq!(
        g.f.err(KEY_A, Some(g.a), migrate(g.chat + 100)).await,
        "CHAT_ID_INVALID"
    );
    assert!(g.f.fanout.take().is_empty());
    let _: enums::Updates = g.f.ok(KEY_A, Some(g.a), migrate(g.chat)).await;
    // Migrated once: the group is gone for writes.
    assert_eq!(
        g.f.err(KEY_A, Some(g.a), migrate(g.chat)).await,
        "CHAT_ID_INVALID"
    );
}

#[tokio::test]
async fn migration_moves_every_member_with_both_service_messages() {
    let g = group().await;
    let before = [
        pts(&g.f, KEY_A, g.a).await,
        pts(&g.f, KEY_B, g.b).await,
        pts(&g.f, KEY_C, g.c).await,
    ];
    let result: enums::Updates = g.f.ok(KEY_A, Some(g.a), migrate(g.chat)).await;
    let mine = seen(updates_of(&result));
    let id = mine.channel.id;
    assert!(mine.channel.megagroup && !mine.channel.broadcast && mine.channel.creator);
    assert_eq!(mine.channel.title, "Team");
    assert_eq!(mine.channel.participants_count, Some(3));
    assert_eq!(mine.from, ("Team".into(), g.chat, 1, 1));
    assert_eq!(mine.to.0, id);
    assert_eq!(mine.to.2, before[0] + 1);
    assert!(mine.chat.deactivated);
    assert_eq!(
        mine.chat.migrated_to,
        Some(enums::InputChannel::InputChannel(types::InputChannel {
            channel_id: id,
            access_hash: hashes().for_channel(g.a, id),
        }))
    );

    // Everyone else's sessions and the creator's others get the same shape.
    let pushes = g.f.fanout.take();
    let mut targets = Vec::new();
    for (target, updates) in &pushes {
        let PushTarget::User { user_id, except } = target else {
            panic!("unexpected {target:?}");
        };
        assert_eq!(except.is_some(), *user_id == g.a);
        let s = seen(updates_of(updates));
        let index = [g.a, g.b, g.c]
            .iter()
            .position(|u| u == user_id)
            .expect("a member");
        assert_eq!(s.to.2, before[index] + 1, "pts of {user_id}");
        assert_eq!(s.from.3, 1);
        assert_eq!(s.channel.id, id);
        assert_eq!(s.channel.creator, *user_id == g.a);
        assert_eq!(s.channel.admin_rights.is_some(), *user_id != g.c);
        assert_eq!(
            s.chat.migrated_to,
            Some(enums::InputChannel::InputChannel(types::InputChannel {
                channel_id: id,
                access_hash: hashes().for_channel(*user_id, id),
            }))
        );
        targets.push(*user_id);
    }
    targets.sort_unstable();
    let mut members = vec![g.a, g.b, g.c];
    members.sort_unstable();
    assert_eq!(targets, members);

    // Every member is a participant: the creator, B an admin, C plain.
    let participants: enums::channels::ChannelParticipants =
        g.f.ok(
            KEY_C,
            Some(g.c),
            functions::channels::GetParticipants {
                channel: channel(g.c, id),
                filter: enums::ChannelParticipantsFilter::ChannelParticipantsRecent(
                    types::ChannelParticipantsRecent,
                ),
                offset: 0,
                limit: 10,
                hash: 0,
            },
        )
        .await;
    let enums::channels::ChannelParticipants::ChannelParticipants(list) = participants else {
        panic!("not modified?");
    };
    assert_eq!(list.count, 3);
    for p in &list.participants {
        match p {
            enums::ChannelParticipant::ChannelParticipantCreator(p) => assert_eq!(p.user_id, g.a),
            enums::ChannelParticipant::ChannelParticipantAdmin(p) => {
                assert_eq!(p.user_id, g.b);
                let enums::ChatAdminRights::ChatAdminRights(r) = &p.admin_rights;
                assert!(r.ban_users && r.invite_users && r.delete_messages && !r.add_admins);
            }
            enums::ChannelParticipant::ChannelParticipantSelf(p) => assert_eq!(p.user_id, g.c),
            other => panic!("unexpected participant {other:?}"),
        }
    }

    // The supergroup is where the members talk now.
    let _: enums::Updates =
        g.f.ok(
            KEY_B,
            Some(g.b),
            send(channel_peer(g.b, id), "in the supergroup", 8),
        )
        .await;
    let page: enums::messages::Messages =
        g.f.ok(KEY_C, Some(g.c), history(channel_peer(g.c, id)))
            .await;
    let enums::messages::Messages::ChannelMessages(page) = page else {
        panic!("not channel messages");
    };
    assert_eq!(page.messages.len(), 2);
    assert!(matches!(
        &page.messages[0],
        enums::Message::Message(m) if m.message == "in the supergroup"
    ));
}

#[tokio::test]
async fn the_old_group_is_deactivated_but_readable() {
    let g = group().await;
    let result: enums::Updates = g.f.ok(KEY_A, Some(g.a), migrate(g.chat)).await;
    let id = seen(updates_of(&result)).channel.id;

    assert_eq!(
        g.f.err(KEY_B, Some(g.b), send(chat_peer(g.chat), "late", 9))
            .await,
        "PEER_ID_INVALID"
    );
    assert_eq!(
        g.f.err(
            KEY_A,
            Some(g.a),
            functions::messages::AddChatUser {
                chat_id: g.chat,
                user_id: user(g.a, g.d),
                fwd_limit: 0,
            },
        )
        .await,
        "CHAT_ID_INVALID"
    );
    assert_eq!(
        g.f.err(
            KEY_A,
            Some(g.a),
            functions::messages::EditChatTitle {
                chat_id: g.chat,
                title: "New".into(),
            },
        )
        .await,
        "CHAT_ID_INVALID"
    );

    // The history is still there, ending with the migration.
    let page: enums::messages::Messages =
        g.f.ok(KEY_B, Some(g.b), history(chat_peer(g.chat))).await;
    let enums::messages::Messages::Messages(page) = page else {
        panic!("unexpected page");
    };
    let newest = page.messages.first().expect("messages");
    let enums::Message::MessageService(newest) = newest else {
        panic!("not a service message");
    };
    assert!(matches!(
        &newest.action,
        enums::MessageAction::MessageActionChatMigrateTo(a) if a.channel_id == id
    ));
    assert!(page
        .messages
        .iter()
        .any(|m| matches!(m, enums::Message::Message(m) if m.message == "before")));
    let b_max_id = newest.id;

    // getChats and getFullChat show it deactivated and where it went.
    let chats: enums::messages::Chats =
        g.f.ok(
            KEY_C,
            Some(g.c),
            functions::messages::GetChats { id: vec![g.chat] },
        )
        .await;
    let enums::messages::Chats::Chats(chats) = chats else {
        panic!("slice");
    };
    let [enums::Chat::Chat(chat)] = chats.chats.as_slice() else {
        panic!("not one chat: {:?}", chats.chats);
    };
    assert!(chat.deactivated);
    assert_eq!(
        chat.migrated_to,
        Some(enums::InputChannel::InputChannel(types::InputChannel {
            channel_id: id,
            access_hash: hashes().for_channel(g.c, id),
        }))
    );
    let full: enums::messages::ChatFull =
        g.f.ok(
            KEY_B,
            Some(g.b),
            functions::messages::GetFullChat { chat_id: g.chat },
        )
        .await;
    let enums::messages::ChatFull::ChatFull(full) = full;
    assert!(matches!(
        full.chats.first(),
        Some(enums::Chat::Chat(c)) if c.deactivated && c.migrated_to.is_some()
    ));

    // The supergroup remembers the group, up to each viewer's last copy.
    let full: enums::messages::ChatFull =
        g.f.ok(
            KEY_B,
            Some(g.b),
            functions::channels::GetFullChannel {
                channel: channel(g.b, id),
            },
        )
        .await;
    let enums::messages::ChatFull::ChatFull(full) = full;
    let enums::ChatFull::ChannelFull(channel_full) = &full.full_chat else {
        panic!("not a channel full");
    };
    assert_eq!(channel_full.migrated_from_chat_id, Some(g.chat));
    assert_eq!(channel_full.migrated_from_max_id, Some(b_max_id));
    assert!(full
        .chats
        .iter()
        .any(|c| matches!(c, enums::Chat::Chat(c) if c.id == g.chat && c.deactivated)));

    // A supergroup made as one remembers nothing.
    let made: enums::Updates =
        g.f.ok(KEY_D, Some(g.d), create_channel("Fresh", false))
            .await;
    let Some(enums::Chat::Channel(fresh)) = updates_of(&made).chats.first() else {
        panic!("not a channel");
    };
    let full: enums::messages::ChatFull =
        g.f.ok(
            KEY_D,
            Some(g.d),
            functions::channels::GetFullChannel {
                channel: channel(g.d, fresh.id),
            },
        )
        .await;
    let enums::messages::ChatFull::ChatFull(full) = full;
    let enums::ChatFull::ChannelFull(channel_full) = &full.full_chat else {
        panic!("not a channel full");
    };
    assert_eq!(channel_full.migrated_from_chat_id, None);
}
