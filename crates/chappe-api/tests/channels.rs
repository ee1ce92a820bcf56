//! Channels and supergroups through `Api::handle`: creating both kinds,
//! inviting, joining by username, who may post where, pushes to online
//! members, `updates.getChannelDifference`, participant paging, kicking,
//! and per-viewer access hashes.

mod common;

use chappe_api::PushTarget;
use chappe_tl::api::{enums, functions, types};
use common::requests::{
    channel_peer, hashes, history, input_channel as channel, input_user as user, send, user_peer,
};
use common::{fixture, Fixture};

fn difference(
    viewer: i64,
    id: i64,
    pts: i32,
    limit: i32,
) -> functions::updates::GetChannelDifference {
    functions::updates::GetChannelDifference {
        force: false,
        channel: channel(viewer, id),
        filter: enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty(
            types::ChannelMessagesFilterEmpty,
        ),
        pts,
        limit,
    }
}

fn updates_of(updates: &enums::Updates) -> &types::Updates {
    match updates {
        enums::Updates::Updates(u) => u,
        other => panic!("not updates: {other:?}"),
    }
}

fn channel_of(u: &types::Updates) -> &types::Channel {
    match u.chats.first() {
        Some(enums::Chat::Channel(c)) => c,
        other => panic!("not a channel: {other:?}"),
    }
}

fn new_channel_message(u: &types::Updates) -> (&enums::Message, i32) {
    u.updates
        .iter()
        .find_map(|u| match u {
            enums::Update::UpdateNewChannelMessage(m) => Some((&m.message, m.pts)),
            _ => None,
        })
        .expect("updateNewChannelMessage")
}

fn text_of(m: &enums::Message) -> &str {
    match m {
        enums::Message::Message(m) => &m.message,
        _ => "",
    }
}

fn texts(messages: &enums::messages::Messages) -> Vec<String> {
    let enums::messages::Messages::ChannelMessages(m) = messages else {
        panic!("not channel messages: {messages:?}");
    };
    m.messages
        .iter()
        .rev()
        .map(|m| text_of(m).to_owned())
        .collect()
}

async fn create(f: &Fixture, key: i64, creator: i64, megagroup: bool) -> i64 {
    let created: enums::Updates = f
        .ok(
            key,
            Some(creator),
            functions::channels::CreateChannel {
                broadcast: !megagroup,
                megagroup,
                for_import: false,
                forum: false,
                title: " News ".into(),
                about: "about".into(),
                geo_point: None,
                address: None,
                ttl_period: None,
            },
        )
        .await;
    let u = updates_of(&created);
    let c = channel_of(u);
    assert!(c.creator && !c.left);
    assert_eq!((c.broadcast, c.megagroup), (!megagroup, megagroup));
    assert_eq!(c.title, "News");
    assert_eq!(c.access_hash, Some(hashes().for_channel(creator, c.id)));
    // A user and a channel with the same id get different hashes.
    assert_ne!(
        hashes().for_channel(creator, c.id),
        hashes().for_user(creator, c.id)
    );
    assert!(u
        .updates
        .iter()
        .any(|u| matches!(u, enums::Update::UpdateChannel(x) if x.channel_id == c.id)));
    let (message, pts) = new_channel_message(u);
    assert_eq!(pts, 1);
    let enums::Message::MessageService(service) = message else {
        panic!("not a service message");
    };
    assert!(matches!(
        &service.action,
        enums::MessageAction::MessageActionChannelCreate(a) if a.title == "News"
    ));
    c.id
}

#[tokio::test]
async fn broadcast_channel_by_username_with_pushes_and_difference() {
    let f = fixture();
    let a = f.login("9996628001", 1).await;
    let b = f.login("9996628002", 2).await;
    let c = f.login("9996628003", 3).await;
    let id = create(&f, 1, a, false).await;

    // Private until it has a username.
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::channels::JoinChannel {
                channel: channel(b, id)
            }
        )
        .await,
        "CHANNEL_PRIVATE"
    );
    let free: bool = f
        .ok(
            1,
            Some(a),
            functions::channels::CheckUsername {
                channel: channel(a, id),
                username: "chappe_news".into(),
            },
        )
        .await;
    assert!(free);
    assert_eq!(
        f.err(
            1,
            Some(a),
            functions::channels::UpdateUsername {
                channel: channel(a, id),
                username: "1bad".into()
            }
        )
        .await,
        "USERNAME_INVALID"
    );
    let set: bool = f
        .ok(
            1,
            Some(a),
            functions::channels::UpdateUsername {
                channel: channel(a, id),
                username: "chappe_news".into(),
            },
        )
        .await;
    assert!(set);

    // B finds it by username and joins with their own hash.
    let resolved: enums::contacts::ResolvedPeer = f
        .ok(
            2,
            Some(b),
            functions::contacts::ResolveUsername {
                username: "Chappe_News".into(),
                referer: None,
            },
        )
        .await;
    let enums::contacts::ResolvedPeer::ResolvedPeer(resolved) = resolved;
    assert!(matches!(resolved.peer, enums::Peer::PeerChannel(p) if p.channel_id == id));
    let Some(enums::Chat::Channel(seen)) = resolved.chats.first() else {
        panic!("no channel");
    };
    assert!(seen.left && !seen.creator);
    assert_eq!(seen.access_hash, Some(hashes().for_channel(b, id)));
    // A's hash is no good to B.
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::channels::JoinChannel {
                channel: channel(a, id)
            }
        )
        .await,
        "CHANNEL_INVALID"
    );
    // Layer 229 and later answer joinChannel with messages.chatInviteJoinResultOk.
    let enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(joined) = f
        .ok(
            2,
            Some(b),
            functions::channels::JoinChannel {
                channel: channel(b, id),
            },
        )
        .await
    else {
        panic!("joining a public channel needs no approval");
    };
    let joined_channel = channel_of(updates_of(&joined.updates));
    assert!(!joined_channel.left);
    assert_eq!(joined_channel.participants_count, Some(2));

    // Subscribers may not post.
    assert_eq!(
        f.err(2, Some(b), send(channel_peer(b, id), "me too", 5))
            .await,
        "CHAT_WRITE_FORBIDDEN"
    );

    // A posts: stored once, pushed to B (online), not to C (no member).
    f.fanout.set_online(a);
    f.fanout.set_online(b);
    f.fanout.set_online(c);
    f.fanout.take();
    let sent: enums::Updates = f
        .ok(1, Some(a), send(channel_peer(a, id), "first post", 77))
        .await;
    let u = updates_of(&sent);
    assert!(u
        .updates
        .iter()
        .any(|x| matches!(x, enums::Update::UpdateMessageId(m) if m.random_id == 77 && m.id == 2)));
    let (mine, pts) = new_channel_message(u);
    assert_eq!(pts, 2);
    let enums::Message::Message(mine) = mine else {
        panic!("not a message");
    };
    assert!(mine.out && mine.post && mine.from_id.is_none());
    let pushes = f.fanout.take();
    let to_b: Vec<_> = pushes
        .iter()
        .filter(|(t, _)| matches!(t, PushTarget::User { user_id, .. } if *user_id == b))
        .collect();
    assert_eq!(to_b.len(), 1);
    let pushed = updates_of(&to_b[0].1);
    assert_eq!(text_of(new_channel_message(pushed).0), "first post");
    assert_eq!(
        channel_of(pushed).access_hash,
        Some(hashes().for_channel(b, id))
    );
    assert!(!pushes
        .iter()
        .any(|(t, _)| matches!(t, PushTarget::User { user_id, .. } if *user_id == c)));
    assert!(pushes.iter().any(|(t, _)| matches!(
        t,
        PushTarget::User { user_id, except: Some(_) } if *user_id == a
    )));

    for (text, random_id) in [("second", 78), ("third", 79)] {
        let _: enums::Updates = f
            .ok(1, Some(a), send(channel_peer(a, id), text, random_id))
            .await;
    }
    let page: enums::messages::Messages = f.ok(2, Some(b), history(channel_peer(b, id))).await;
    assert_eq!(texts(&page), vec!["", "first post", "second", "third"]);
    // A non-member reads a public channel; a wrong hash is refused.
    let page: enums::messages::Messages = f.ok(3, Some(c), history(channel_peer(c, id))).await;
    assert_eq!(texts(&page).len(), 4);
    assert_eq!(
        f.err(3, Some(c), history(channel_peer(b, id))).await,
        "PEER_ID_INVALID"
    );

    // Search in the channel box, as a subscriber.
    let found: enums::messages::Messages = f
        .ok(
            2,
            Some(b),
            functions::messages::Search {
                peer: channel_peer(b, id),
                q: "SECOND".into(),
                from_id: None,
                saved_peer_id: None,
                saved_reaction: None,
                top_msg_id: None,
                filter: enums::MessagesFilter::InputMessagesFilterEmpty(
                    types::InputMessagesFilterEmpty,
                ),
                min_date: 0,
                max_date: 0,
                offset_id: 0,
                add_offset: 0,
                limit: 20,
                max_id: 0,
                min_id: 0,
                hash: 0,
            },
        )
        .await;
    assert_eq!(texts(&found), vec!["second"]);

    // The difference: empty at the top, everything from 1, slices.
    let empty: enums::updates::ChannelDifference =
        f.ok(2, Some(b), difference(b, id, 4, 100)).await;
    assert!(matches!(
        empty,
        enums::updates::ChannelDifference::ChannelDifferenceEmpty(e) if e.pts == 4 && e.r#final
    ));
    let full: enums::updates::ChannelDifference = f.ok(2, Some(b), difference(b, id, 1, 100)).await;
    let enums::updates::ChannelDifference::ChannelDifference(full) = full else {
        panic!("not a difference: {full:?}");
    };
    assert!(full.r#final);
    assert_eq!(full.pts, 4);
    let got: Vec<&str> = full.new_messages.iter().map(text_of).collect();
    assert_eq!(got, vec!["first post", "second", "third"]);
    let slice: enums::updates::ChannelDifference = f.ok(2, Some(b), difference(b, id, 1, 2)).await;
    let enums::updates::ChannelDifference::ChannelDifference(slice) = slice else {
        panic!("not a difference");
    };
    assert!(!slice.r#final);
    assert_eq!((slice.pts, slice.new_messages.len()), (3, 2));
    let too_long: enums::updates::ChannelDifference =
        f.ok(2, Some(b), difference(b, id, 0, 100)).await;
    assert!(matches!(
        too_long,
        enums::updates::ChannelDifference::ChannelDifferenceTooLong(_)
    ));

    // The channel is in B's chat list with its pts and unread posts.
    let dialogs: enums::messages::Dialogs = f
        .ok(
            2,
            Some(b),
            functions::messages::GetDialogs {
                exclude_pinned: false,
                folder_id: None,
                offset_date: 0,
                offset_id: 0,
                offset_peer: enums::InputPeer::InputPeerEmpty(types::InputPeerEmpty),
                limit: 20,
                hash: 0,
            },
        )
        .await;
    let (list, chats) = match &dialogs {
        enums::messages::Dialogs::Dialogs(d) => (&d.dialogs, &d.chats),
        enums::messages::Dialogs::DialogsSlice(d) => (&d.dialogs, &d.chats),
        other => panic!("unexpected {other:?}"),
    };
    let dialog = list
        .iter()
        .find_map(|d| match d {
            enums::Dialog::Dialog(d)
                if matches!(&d.peer, enums::Peer::PeerChannel(p) if p.channel_id == id) =>
            {
                Some(d)
            }
            _ => None,
        })
        .expect("channel dialog");
    assert_eq!((dialog.top_message, dialog.pts), (4, Some(4)));
    assert_eq!(dialog.unread_count, 3);
    assert!(chats
        .iter()
        .any(|c| matches!(c, enums::Chat::Channel(c) if c.id == id)));
    let read: bool = f
        .ok(
            2,
            Some(b),
            functions::channels::ReadHistory {
                channel: channel(b, id),
                max_id: 3,
            },
        )
        .await;
    assert!(read);
    let pushed = f.fanout.take();
    assert!(pushed.iter().any(|(t, u)| matches!(
        t,
        PushTarget::User { user_id, except: Some(_) } if *user_id == b
    ) && updates_of(u).updates.iter().any(|x| matches!(
        x,
        enums::Update::UpdateReadChannelInbox(r)
            if r.channel_id == id && r.max_id == 3 && r.still_unread_count == 1 && r.pts == 4
    ))));
    let full: enums::messages::ChatFull = f
        .ok(
            2,
            Some(b),
            functions::channels::GetFullChannel {
                channel: channel(b, id),
            },
        )
        .await;
    let enums::messages::ChatFull::ChatFull(full) = full;
    let enums::ChatFull::ChannelFull(full) = full.full_chat else {
        panic!("not channelFull");
    };
    assert_eq!(
        (full.read_inbox_max_id, full.unread_count, full.pts),
        (3, 1, 4)
    );
    assert_eq!(full.about, "about");

    // B may not delete A's post; A may.
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::channels::DeleteMessages {
                channel: channel(b, id),
                id: vec![2]
            }
        )
        .await,
        "MESSAGE_DELETE_FORBIDDEN"
    );
    let affected: enums::messages::AffectedMessages = f
        .ok(
            1,
            Some(a),
            functions::channels::DeleteMessages {
                channel: channel(a, id),
                id: vec![2],
            },
        )
        .await;
    let enums::messages::AffectedMessages::AffectedMessages(affected) = affected;
    assert_eq!((affected.pts, affected.pts_count), (5, 1));
}

#[tokio::test]
async fn megagroup_members_post_and_admins_kick() {
    let f = fixture();
    let a = f.login("9996628011", 11).await;
    let b = f.login("9996628012", 12).await;
    let c = f.login("9996628013", 13).await;
    let id = create(&f, 11, a, true).await;
    let invited: enums::messages::InvitedUsers = f
        .ok(
            11,
            Some(a),
            functions::channels::InviteToChannel {
                channel: channel(a, id),
                users: vec![user(a, b)],
            },
        )
        .await;
    let enums::messages::InvitedUsers::InvitedUsers(invited) = invited;
    assert_eq!(
        channel_of(updates_of(&invited.updates)).participants_count,
        Some(2)
    );

    // A private supergroup: closed to C.
    assert_eq!(
        f.err(13, Some(c), history(channel_peer(c, id))).await,
        "CHANNEL_PRIVATE"
    );
    assert_eq!(
        f.err(
            13,
            Some(c),
            functions::channels::GetFullChannel {
                channel: channel(c, id)
            }
        )
        .await,
        "CHANNEL_PRIVATE"
    );
    // Members post.
    let _: enums::Updates = f
        .ok(12, Some(b), send(channel_peer(b, id), "from b", 1))
        .await;
    let _: enums::Updates = f
        .ok(11, Some(a), send(channel_peer(a, id), "from a", 2))
        .await;
    let page: enums::messages::Messages = f.ok(12, Some(b), history(channel_peer(b, id))).await;
    let enums::messages::Messages::ChannelMessages(m) = &page else {
        panic!("not channel messages");
    };
    let enums::Message::Message(from_a) = &m.messages[0] else {
        panic!("not a message");
    };
    assert!(!from_a.out && !from_a.post && from_a.from_id.is_some());
    // A member invites C (supergroups let members invite).
    let _: enums::messages::InvitedUsers = f
        .ok(
            12,
            Some(b),
            functions::channels::InviteToChannel {
                channel: channel(b, id),
                users: vec![user(b, c)],
            },
        )
        .await;
    // Participants page by offset.
    let mut seen = Vec::new();
    for offset in [0, 2] {
        let page: enums::channels::ChannelParticipants = f
            .ok(
                11,
                Some(a),
                functions::channels::GetParticipants {
                    channel: channel(a, id),
                    filter: enums::ChannelParticipantsFilter::ChannelParticipantsRecent(
                        types::ChannelParticipantsRecent,
                    ),
                    offset,
                    limit: 2,
                    hash: 0,
                },
            )
            .await;
        let enums::channels::ChannelParticipants::ChannelParticipants(page) = page else {
            panic!("not modified?");
        };
        assert_eq!(page.count, 3);
        seen.extend(page.users.iter().map(|u| match u {
            enums::User::User(u) => u.id,
            enums::User::UserEmpty(u) => u.id,
        }));
    }
    seen.sort_unstable();
    assert_eq!(seen, {
        let mut v = vec![a, b, c];
        v.sort_unstable();
        v
    });
    // B may not kick; A kicks B, who then can neither post nor read.
    let kick = |by: i64, target: i64| functions::channels::EditBanned {
        channel: channel(by, id),
        participant: user_peer(by, target),
        banned_rights: enums::ChatBannedRights::ChatBannedRights(types::ChatBannedRights {
            view_messages: true,
            ..types::ChatBannedRights::default()
        }),
    };
    assert_eq!(f.err(12, Some(b), kick(b, c)).await, "CHAT_ADMIN_REQUIRED");
    let _: enums::Updates = f.ok(11, Some(a), kick(a, b)).await;
    assert_eq!(
        f.err(12, Some(b), send(channel_peer(b, id), "still here?", 3))
            .await,
        "USER_BANNED_IN_CHANNEL"
    );
    assert_eq!(
        f.err(
            12,
            Some(b),
            functions::channels::JoinChannel {
                channel: channel(b, id)
            }
        )
        .await,
        "USER_BANNED_IN_CHANNEL"
    );
    let kicked: enums::channels::ChannelParticipants = f
        .ok(
            11,
            Some(a),
            functions::channels::GetParticipants {
                channel: channel(a, id),
                filter: enums::ChannelParticipantsFilter::ChannelParticipantsKicked(
                    types::ChannelParticipantsKicked { q: String::new() },
                ),
                offset: 0,
                limit: 10,
                hash: 0,
            },
        )
        .await;
    let enums::channels::ChannelParticipants::ChannelParticipants(kicked) = kicked else {
        panic!("not modified?");
    };
    assert_eq!(kicked.count, 1);
    assert!(matches!(
        &kicked.participants[0],
        enums::ChannelParticipant::ChannelParticipantBanned(p) if p.left
    ));
    // C leaves; the creator deletes the channel.
    let _: enums::Updates = f
        .ok(
            13,
            Some(c),
            functions::channels::LeaveChannel {
                channel: channel(c, id),
            },
        )
        .await;
    let _: enums::Updates = f
        .ok(
            11,
            Some(a),
            functions::channels::DeleteChannel {
                channel: channel(a, id),
            },
        )
        .await;
    assert_eq!(
        f.err(11, Some(a), send(channel_peer(a, id), "gone", 4))
            .await,
        "CHANNEL_INVALID"
    );
}
