//! Managing invite links through `Api::handle`: listing one admin's links
//! with paging, reading and editing one, revoking (a revoked link lets no
//! one in), deleting revoked links, counting links per admin, and who may
//! do each in basic groups and channels.

mod common;

use chappe_tl::api::{enums, functions, types};
use common::requests::{
    channel_peer, chat_peer, create_channel, input_channel as channel, input_user as user,
};
use common::{fixture, Fixture};

const PREFIX: &str = "https://t.me/+";

/// Makes a link as `by`; answers the full link.
async fn make(f: &Fixture, key: i64, by: i64, peer: enums::InputPeer, title: &str) -> String {
    let enums::ExportedChatInvite::ChatInviteExported(link) = f
        .ok(
            key,
            Some(by),
            functions::messages::ExportChatInvite {
                legacy_revoke_permanent: false,
                request_needed: false,
                peer,
                expire_date: None,
                usage_limit: None,
                title: Some(title.into()),
                subscription_pricing: None,
            },
        )
        .await
    else {
        panic!("not chatInviteExported");
    };
    link.link
}

fn list(
    peer: enums::InputPeer,
    admin: enums::InputUser,
    revoked: bool,
    offset: Option<(i32, String)>,
    limit: i32,
) -> functions::messages::GetExportedChatInvites {
    let (offset_date, offset_link) = match offset {
        Some((date, link)) => (Some(date), Some(link)),
        None => (None, None),
    };
    functions::messages::GetExportedChatInvites {
        revoked,
        peer,
        admin_id: admin,
        offset_date,
        offset_link,
        limit,
    }
}

fn edit(
    peer: enums::InputPeer,
    link: &str,
    revoked: bool,
    usage_limit: Option<i32>,
    title: Option<&str>,
) -> functions::messages::EditExportedChatInvite {
    functions::messages::EditExportedChatInvite {
        revoked,
        peer,
        link: link.into(),
        expire_date: None,
        usage_limit,
        request_needed: None,
        title: title.map(Into::into),
    }
}

fn invites_of(
    page: &enums::messages::ExportedChatInvites,
) -> (i32, Vec<&types::ChatInviteExported>) {
    let enums::messages::ExportedChatInvites::ExportedChatInvites(page) = page;
    let links = page
        .invites
        .iter()
        .map(|i| match i {
            enums::ExportedChatInvite::ChatInviteExported(x) => x,
            other => panic!("not chatInviteExported: {other:?}"),
        })
        .collect();
    (page.count, links)
}

fn one(result: &enums::messages::ExportedChatInvite) -> &types::ChatInviteExported {
    match result {
        enums::messages::ExportedChatInvite::ExportedChatInvite(x) => match &x.invite {
            enums::ExportedChatInvite::ChatInviteExported(i) => {
                assert!(!x.users.is_empty(), "the maker comes along");
                i
            }
            other => panic!("not chatInviteExported: {other:?}"),
        },
        other => panic!("not exportedChatInvite: {other:?}"),
    }
}

/// Runs a test body on a thread with an 8 MiB stack: debug builds give
/// every temporary of a long async test (and of the dispatcher it awaits)
/// its own stack slot, which outgrows the 2 MiB test thread.
fn run<F: std::future::Future<Output = ()> + 'static>(body: fn() -> F) {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(body());
        })
        .expect("spawn")
        .join()
        .expect("test body");
}

#[test]
fn basic_group_links_are_listed_edited_revoked_and_deleted() {
    run(basic_group_links);
}

#[test]
fn channel_links_are_managed_by_inviting_admins_only() {
    run(channel_links);
}

async fn basic_group_links() {
    let f = fixture();
    let a = f.login("9996621501", 1).await;
    let b = f.login("9996621502", 2).await;
    let c = f.login("9996621503", 3).await;
    let d = f.login("9996621504", 4).await;
    let chat = f
        .create_chat(1, a, "Links", vec![user(a, b), user(a, c)])
        .await;
    let group = chat_peer(chat.id);

    let first = make(&f, 2, b, group.clone(), "one").await;
    let second = make(&f, 2, b, group.clone(), "two").await;
    let by_a = make(&f, 1, a, group.clone(), "a's").await;

    // B lists their own links, a page at a time, newest first (same date:
    // by hash).
    let all: enums::messages::ExportedChatInvites = f
        .ok(2, Some(b), list(group.clone(), user(b, b), false, None, 10))
        .await;
    let (count, links) = invites_of(&all);
    assert_eq!(count, 2);
    let mut expected = vec![first.clone(), second.clone()];
    expected.sort();
    expected.reverse();
    let got: Vec<String> = links.iter().map(|l| l.link.clone()).collect();
    assert_eq!(got, expected);
    let page1: enums::messages::ExportedChatInvites = f
        .ok(2, Some(b), list(group.clone(), user(b, b), false, None, 1))
        .await;
    let (count, page1) = invites_of(&page1);
    assert_eq!((count, page1.len()), (2, 1));
    assert_eq!(page1[0].link, expected[0]);
    let offset = Some((page1[0].date, page1[0].link.clone()));
    let page2: enums::messages::ExportedChatInvites = f
        .ok(
            2,
            Some(b),
            list(group.clone(), user(b, b), false, offset, 1),
        )
        .await;
    let (_, page2) = invites_of(&page2);
    assert_eq!(page2.len(), 1);
    assert_eq!(page2[0].link, expected[1]);
    let offset = Some((page2[0].date, page2[0].link.clone()));
    let page3: enums::messages::ExportedChatInvites = f
        .ok(
            2,
            Some(b),
            list(group.clone(), user(b, b), false, offset, 1),
        )
        .await;
    assert!(invites_of(&page3).1.is_empty());

    // A plain member sees only their own; the creator sees everyone's.
    assert_eq!(
        f.err(2, Some(b), list(group.clone(), user(b, a), false, None, 10))
            .await,
        "CHAT_ADMIN_REQUIRED"
    );
    let seen_by_a: enums::messages::ExportedChatInvites = f
        .ok(1, Some(a), list(group.clone(), user(a, b), false, None, 10))
        .await;
    assert_eq!(invites_of(&seen_by_a).0, 2);
    assert_eq!(
        f.err(
            3,
            Some(c),
            edit(group.clone(), &first, false, Some(5), None)
        )
        .await,
        "CHAT_ADMIN_REQUIRED"
    );
    assert_eq!(
        f.err(4, Some(d), list(group.clone(), user(d, d), false, None, 10))
            .await,
        "CHAT_ID_INVALID"
    );

    // The maker edits: limit and title change, the rest stays.
    let edited: enums::messages::ExportedChatInvite = f
        .ok(
            2,
            Some(b),
            edit(group.clone(), &first, false, Some(5), Some("renamed")),
        )
        .await;
    let edited = one(&edited);
    assert_eq!(edited.link, first);
    assert_eq!(edited.usage_limit, Some(5));
    assert_eq!(edited.title.as_deref(), Some("renamed"));
    assert!(!edited.revoked);
    let got: enums::messages::ExportedChatInvite = f
        .ok(
            2,
            Some(b),
            functions::messages::GetExportedChatInvite {
                peer: group.clone(),
                link: first.clone(),
            },
        )
        .await;
    assert_eq!(one(&got).usage_limit, Some(5));

    // Only revoked links are deleted.
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::messages::DeleteExportedChatInvite {
                peer: group.clone(),
                link: first.clone(),
            }
        )
        .await,
        "INVITE_REVOKED_MISSING"
    );

    // The creator revokes B's link: it lets no one in any more.
    let revoked: enums::messages::ExportedChatInvite = f
        .ok(1, Some(a), edit(group.clone(), &first, true, None, None))
        .await;
    assert!(one(&revoked).revoked);
    let hash = first.strip_prefix(PREFIX).expect("prefix").to_owned();
    assert_eq!(
        f.err(
            4,
            Some(d),
            functions::messages::CheckChatInvite { hash: hash.clone() }
        )
        .await,
        "INVITE_HASH_EXPIRED"
    );
    assert_eq!(
        f.err(4, Some(d), functions::messages::ImportChatInvite { hash })
            .await,
        "INVITE_HASH_EXPIRED"
    );
    // A revoked link is not edited back to life.
    assert_eq!(
        f.err(
            2,
            Some(b),
            edit(group.clone(), &first, false, Some(9), None)
        )
        .await,
        "INVITE_HASH_EXPIRED"
    );
    let live: enums::messages::ExportedChatInvites = f
        .ok(2, Some(b), list(group.clone(), user(b, b), false, None, 10))
        .await;
    assert_eq!(invites_of(&live).1[0].link, second);
    let dead: enums::messages::ExportedChatInvites = f
        .ok(2, Some(b), list(group.clone(), user(b, b), true, None, 10))
        .await;
    let (count, dead) = invites_of(&dead);
    assert_eq!(count, 1);
    assert!(dead[0].revoked && dead[0].link == first);

    // Links per admin, for the creator only.
    let admins: enums::messages::ChatAdminsWithInvites = f
        .ok(
            1,
            Some(a),
            functions::messages::GetAdminsWithInvites {
                peer: group.clone(),
            },
        )
        .await;
    let enums::messages::ChatAdminsWithInvites::ChatAdminsWithInvites(admins) = admins;
    let mut counts: Vec<(i64, i32, i32)> = admins
        .admins
        .iter()
        .map(|x| {
            let enums::ChatAdminWithInvites::ChatAdminWithInvites(x) = x;
            (x.admin_id, x.invites_count, x.revoked_invites_count)
        })
        .collect();
    counts.sort_unstable();
    let mut expected = vec![(a, 1, 0), (b, 1, 1)];
    expected.sort_unstable();
    assert_eq!(counts, expected);
    assert_eq!(admins.users.len(), 2);
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::messages::GetAdminsWithInvites {
                peer: group.clone()
            }
        )
        .await,
        "CHAT_ADMIN_REQUIRED"
    );

    // Deleting: one, then all of B's revoked ones.
    let deleted: bool = f
        .ok(
            2,
            Some(b),
            functions::messages::DeleteExportedChatInvite {
                peer: group.clone(),
                link: first.clone(),
            },
        )
        .await;
    assert!(deleted);
    assert_eq!(
        f.err(
            2,
            Some(b),
            functions::messages::GetExportedChatInvite {
                peer: group.clone(),
                link: first.clone(),
            }
        )
        .await,
        "INVITE_HASH_INVALID"
    );
    let _: enums::messages::ExportedChatInvite = f
        .ok(2, Some(b), edit(group.clone(), &second, true, None, None))
        .await;
    let done: bool = f
        .ok(
            2,
            Some(b),
            functions::messages::DeleteRevokedExportedChatInvites {
                peer: group.clone(),
                admin_id: user(b, b),
            },
        )
        .await;
    assert!(done);
    let dead: enums::messages::ExportedChatInvites = f
        .ok(2, Some(b), list(group.clone(), user(b, b), true, None, 10))
        .await;
    assert_eq!(invites_of(&dead).0, 0);
    // A's link was not touched.
    let hash = by_a.strip_prefix(PREFIX).expect("prefix");
    assert!(f.store.get_invite(hash).await.expect("get").is_some());
}

async fn channel_links() {
    let f = fixture();
    let a = f.login("9996631501", 1).await;
    let b = f.login("9996631502", 2).await;
    let created: enums::Updates = f.ok(1, Some(a), create_channel("Feed", true)).await;
    let enums::Updates::Updates(created) = created else {
        panic!("not updates");
    };
    let Some(enums::Chat::Channel(c)) = created.chats.first() else {
        panic!("no channel");
    };
    let id = c.id;
    let _: enums::messages::InvitedUsers = f
        .ok(
            1,
            Some(a),
            functions::channels::InviteToChannel {
                channel: channel(a, id),
                users: vec![user(a, b)],
            },
        )
        .await;
    let link = make(&f, 1, a, channel_peer(a, id), "feed").await;

    // A subscriber manages nothing.
    assert_eq!(
        f.err(
            2,
            Some(b),
            list(channel_peer(b, id), user(b, a), false, None, 10)
        )
        .await,
        "CHAT_ADMIN_REQUIRED"
    );
    assert_eq!(
        f.err(
            2,
            Some(b),
            edit(channel_peer(b, id), &link, true, None, None)
        )
        .await,
        "CHAT_ADMIN_REQUIRED"
    );
    // A link of another group is not found through this one.
    assert_eq!(
        f.err(1, Some(a), edit(chat_peer(12345), &link, true, None, None))
            .await,
        "CHAT_ID_INVALID"
    );
    // The bare hash names the link too.
    let hash = link.strip_prefix(PREFIX).expect("prefix");
    let revoked: enums::messages::ExportedChatInvite = f
        .ok(
            1,
            Some(a),
            edit(channel_peer(a, id), hash, true, None, None),
        )
        .await;
    assert!(one(&revoked).revoked);
    let stored = f.store.get_invite(hash).await.expect("get").expect("kept");
    assert!(stored.revoked);
}
