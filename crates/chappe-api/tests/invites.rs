//! Invite links through `Api::handle`: who may make one, what a link
//! shows to outsiders and members, joining basic groups and supergroups
//! through it, and the limits (uses, expiry, unknown hashes).

mod common;

use chappe_store::invites::InviteRecord;
use chappe_store::Peer;
use chappe_tl::api::{enums, functions, types};
use common::requests::{channel_peer, chat_peer, create_channel, input_user as user};
use common::{fixture, Fixture, NOW};

fn export(
    peer: enums::InputPeer,
    usage_limit: Option<i32>,
) -> functions::messages::ExportChatInvite {
    functions::messages::ExportChatInvite {
        legacy_revoke_permanent: false,
        request_needed: false,
        peer,
        expire_date: None,
        usage_limit,
        title: Some("friends".into()),
        subscription_pricing: None,
    }
}

/// The hash of an exported link (after `https://t.me/+`).
async fn exported(
    f: &Fixture,
    key: i64,
    by: i64,
    req: functions::messages::ExportChatInvite,
) -> String {
    let enums::ExportedChatInvite::ChatInviteExported(link) = f.ok(key, Some(by), req).await else {
        panic!("not chatInviteExported");
    };
    assert_eq!(link.admin_id, by);
    assert_eq!(i64::from(link.date), NOW);
    assert_eq!(link.title.as_deref(), Some("friends"));
    let hash = link
        .link
        .strip_prefix("https://t.me/+")
        .expect("link prefix")
        .to_owned();
    assert_eq!(hash.len(), 22);
    assert!(hash
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    hash
}

async fn check(f: &Fixture, key: i64, viewer: i64, hash: &str) -> enums::ChatInvite {
    f.ok(
        key,
        Some(viewer),
        functions::messages::CheckChatInvite { hash: hash.into() },
    )
    .await
}

async fn import(f: &Fixture, key: i64, viewer: i64, hash: &str) -> types::Updates {
    let joined: enums::messages::ChatInviteJoinResult = f
        .ok(
            key,
            Some(viewer),
            functions::messages::ImportChatInvite { hash: hash.into() },
        )
        .await;
    match joined {
        enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(ok) => match ok.updates {
            enums::Updates::Updates(u) => u,
            other => panic!("not updates: {other:?}"),
        },
        other => panic!("not ok: {other:?}"),
    }
}

async fn import_err(f: &Fixture, key: i64, viewer: i64, hash: &str) -> String {
    f.err(
        key,
        Some(viewer),
        functions::messages::ImportChatInvite { hash: hash.into() },
    )
    .await
}

#[tokio::test]
async fn basic_group_link_lets_outsiders_in_up_to_its_limit() {
    let f = fixture();
    let a = f.login("9996631001", 1).await;
    let b = f.login("9996631002", 2).await;
    let c = f.login("9996631003", 3).await;
    let d = f.login("9996631004", 4).await;
    let chat = f.create_chat(1, a, "Club", vec![user(a, b)]).await;
    let chat_id = chat.id;

    // Any member may make a link (members add people in basic groups);
    // an outsider may not.
    assert_eq!(
        f.err(3, Some(c), export(chat_peer(chat_id), Some(1))).await,
        "CHAT_ID_INVALID"
    );
    let hash = exported(&f, 2, b, export(chat_peer(chat_id), Some(1))).await;

    match check(&f, 3, c, &hash).await {
        enums::ChatInvite::ChatInvite(i) => {
            assert_eq!(i.title, "Club");
            assert_eq!(i.participants_count, 2);
            assert!(!i.channel && !i.megagroup && !i.broadcast);
        }
        other => panic!("not chatInvite: {other:?}"),
    }
    match check(&f, 1, a, &hash).await {
        enums::ChatInvite::ChatInviteAlready(already) => {
            assert!(matches!(already.chat, enums::Chat::Chat(ref x) if x.id == chat_id));
        }
        other => panic!("not chatInviteAlready: {other:?}"),
    }
    assert_eq!(
        import_err(&f, 1, a, &hash).await,
        "USER_ALREADY_PARTICIPANT"
    );

    let joined = import(&f, 3, c, &hash).await;
    assert!(joined.chats.iter().any(
        |x| matches!(x, enums::Chat::Chat(x) if x.id == chat_id && x.participants_count == 3)
    ));
    assert!(joined
        .updates
        .iter()
        .any(|u| matches!(u, enums::Update::UpdateChatParticipants(_))));
    let members = f.store.chat_participants(chat_id).await.expect("members");
    assert!(members.iter().any(|p| p.user_id == c));
    // The other members were told.
    assert!(!f.fanout.take().is_empty());

    // The one use is spent.
    assert_eq!(import_err(&f, 4, d, &hash).await, "INVITE_HASH_EXPIRED");
    assert_eq!(
        f.err(
            4,
            Some(d),
            functions::messages::CheckChatInvite { hash: hash.clone() }
        )
        .await,
        "INVITE_HASH_EXPIRED"
    );
    let stored = f.store.get_invite(&hash).await.expect("get").expect("kept");
    assert_eq!((stored.usage, stored.usage_limit), (1, Some(1)));
}

#[tokio::test]
async fn supergroup_link_needs_an_admin_and_joins_private_groups() {
    let f = fixture();
    let a = f.login("9996632001", 1).await;
    let b = f.login("9996632002", 2).await;
    let c = f.login("9996632003", 3).await;
    let created: enums::Updates = f.ok(1, Some(a), create_channel("Team", false)).await;
    let enums::Updates::Updates(created) = created else {
        panic!("not updates");
    };
    let Some(enums::Chat::Channel(channel)) = created.chats.first() else {
        panic!("no channel");
    };
    let id = channel.id;

    let hash = exported(&f, 1, a, export(channel_peer(a, id), None)).await;
    match check(&f, 2, b, &hash).await {
        enums::ChatInvite::ChatInvite(i) => {
            assert_eq!(i.title, "Team");
            assert!(i.channel && i.megagroup && !i.broadcast && !i.public);
            assert_eq!(i.participants_count, 1);
        }
        other => panic!("not chatInvite: {other:?}"),
    }

    // The channel has no username, so only the link lets b in.
    let joined = import(&f, 2, b, &hash).await;
    assert!(joined
        .chats
        .iter()
        .any(|x| matches!(x, enums::Chat::Channel(x) if x.id == id && !x.left)));
    assert!(matches!(
        check(&f, 2, b, &hash).await,
        enums::ChatInvite::ChatInviteAlready(_)
    ));
    assert_eq!(
        import_err(&f, 2, b, &hash).await,
        "USER_ALREADY_PARTICIPANT"
    );

    // A plain member is not an admin allowed to make links.
    assert_eq!(
        f.err(2, Some(b), export(channel_peer(b, id), None)).await,
        "CHAT_ADMIN_REQUIRED"
    );
    // Nor is an outsider, who cannot even see the private group.
    assert_eq!(
        f.err(3, Some(c), export(channel_peer(c, id), None)).await,
        "CHANNEL_PRIVATE"
    );
    let participant = f
        .store
        .channel_participant(id, b)
        .await
        .expect("read")
        .expect("member");
    assert!(participant.is_member());
    let stored = f.store.get_invite(&hash).await.expect("get").expect("kept");
    assert_eq!(stored.usage, 1);
}

#[tokio::test]
async fn expired_unknown_and_unsupported_links_are_refused() {
    let f = fixture();
    let a = f.login("9996633001", 1).await;
    let b = f.login("9996633002", 2).await;
    assert_eq!(
        import_err(&f, 2, b, "nosuchhash").await,
        "INVITE_HASH_INVALID"
    );
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::messages::CheckChatInvite {
                hash: "nosuchhash".into()
            }
        )
        .await,
        "INVITE_HASH_INVALID"
    );

    let chat = f.create_chat(1, a, "Old", vec![]).await;
    f.store
        .put_invite(InviteRecord {
            hash: "expiredlink".into(),
            peer: Peer::Chat(chat.id),
            admin_id: a,
            date: NOW - 100,
            expire_date: Some(NOW - 1),
            usage_limit: None,
            usage: 0,
            revoked: false,
            title: String::new(),
        })
        .await
        .expect("put");
    assert_eq!(
        import_err(&f, 2, b, "expiredlink").await,
        "INVITE_HASH_EXPIRED"
    );
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::messages::CheckChatInvite {
                hash: "expiredlink".into()
            }
        )
        .await,
        "INVITE_HASH_EXPIRED"
    );

    // A link that expired before it is made, and join requests, are refused.
    let past = functions::messages::ExportChatInvite {
        expire_date: Some((NOW - 5) as i32),
        ..export(chat_peer(chat.id), None)
    };
    assert_eq!(f.err(1, Some(a), past).await, "EXPIRE_DATE_INVALID");
    let requests = functions::messages::ExportChatInvite {
        request_needed: true,
        ..export(chat_peer(chat.id), None)
    };
    assert_eq!(f.err(1, Some(a), requests).await, "METHOD_NOT_IMPLEMENTED");
    // Both need a login.
    assert_eq!(
        f.err(
            2,
            None,
            functions::messages::CheckChatInvite {
                hash: "expiredlink".into()
            }
        )
        .await,
        "AUTH_KEY_UNREGISTERED"
    );
}
