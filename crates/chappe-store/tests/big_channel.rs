//! A channel of 200,000 members on the embedded store, as the cloud-chats issue asks:
//! members are added in invites of 1,000, then a post is stored once, every member's
//! rights and dialog are there, the member index pages through all of them, and a
//! member added last reads the post from the channel's own log.

use std::time::Instant;

use chappe_store::channels::{box_owner, ChannelChange, NewChannel, NewChannelMessage};
use chappe_store::{HistoryQuery, Peer, RedbStore, Store, UpdateKind};

const MEMBERS: i64 = 200_000;
const INVITE: i64 = 1_000;
const CREATOR: i64 = 1;
/// Member ids follow the creator's.
const FIRST_MEMBER: i64 = 1_000_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_holds_200_000_members() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbStore::open(dir.path().join("chappe.redb")).expect("open");
    let started = Instant::now();
    let channel = store
        .create_channel(NewChannel {
            creator: CREATOR,
            title: "everyone".into(),
            about: String::new(),
            broadcast: true,
            date: 100,
        })
        .await
        .expect("create")
        .channel
        .id;
    for chunk in 0..MEMBERS / INVITE {
        let users = (0..INVITE)
            .map(|i| FIRST_MEMBER + chunk * INVITE + i)
            .collect();
        store
            .change_channel(channel, CREATOR, ChannelChange::Invite { users }, 101)
            .await
            .expect("store")
            .expect("invite");
    }
    let filled = started.elapsed();

    let record = store
        .get_channel(channel)
        .await
        .expect("read")
        .expect("channel");
    assert_eq!(i64::from(record.participants_count), MEMBERS + 1);

    let post = store
        .send_channel_message(NewChannelMessage {
            channel_id: channel,
            from: CREATOR,
            random_id: Some(7),
            date: 102,
            text: "to all".into(),
            entities: Vec::new(),
            reply_to: None,
            silent: false,
        })
        .await
        .expect("store")
        .expect("post")
        .message
        .expect("stored post");

    // The member index pages through every member exactly once, in id order.
    let mut after = 0;
    let mut seen = 0i64;
    loop {
        let page = store
            .channel_member_ids(channel, after, 5_000)
            .await
            .expect("page");
        let Some(&last) = page.last() else { break };
        assert!(page.windows(2).all(|w| w[0] < w[1]));
        seen += i64::try_from(page.len()).expect("page size");
        after = last;
    }
    assert_eq!(seen, MEMBERS + 1, "creator and every invited member");

    // The last member added has a participant row and a dialog, and the post is
    // in the channel's one box and log, not copied per member.
    let last = FIRST_MEMBER + MEMBERS - 1;
    let rows = store
        .channel_participants_of(channel, &[last, FIRST_MEMBER, 42])
        .await
        .expect("rows");
    assert_eq!(rows.len(), 2, "two members, one stranger");
    assert!(rows.iter().all(|r| r.is_member()));
    let dialogs = store.list_dialogs(last).await.expect("dialogs");
    assert!(dialogs.iter().any(|d| d.peer == Peer::Channel(channel)));
    let history = store
        .history(
            box_owner(channel),
            HistoryQuery {
                peer: Peer::Channel(channel),
                above: None,
                below: None,
                limit: 10,
                newest_first: true,
            },
        )
        .await
        .expect("history");
    assert_eq!(history.first().map(|m| m.id), Some(post.message.id));
    let log = store
        .updates_after(box_owner(channel), post.pts - 1, 10)
        .await
        .expect("log");
    assert!(matches!(
        log.first().map(|e| &e.kind),
        Some(UpdateKind::NewMessage { .. })
    ));
    eprintln!(
        "200,000 members added in {filled:.1?}; everything checked in {:.1?}",
        started.elapsed()
    );
}
