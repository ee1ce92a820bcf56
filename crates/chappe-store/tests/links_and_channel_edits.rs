//! Invite link management and channel post edits on every backend: links
//! listed by group and maker, edited in place, revoked ones deleted (the
//! redb index rebuilt for files written before it existed); a post edited
//! once in the channel box with one log entry, and who may edit it.

use std::sync::Arc;

use chappe_store::channel_edit::ChannelEditOutcome;
use chappe_store::channels::{
    box_owner, ChannelChange, ChannelRefusal, NewChannel, NewChannelMessage,
};
use chappe_store::invites::{InviteEdit, InviteRecord};
use chappe_store::{MemoryStore, MessageEdit, Peer, RedbStore, Store, UpdateKind};

fn backends() -> Vec<(Arc<dyn Store>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let redb = RedbStore::open(dir.path().join("chappe.redb")).expect("open");
    vec![
        (Arc::new(MemoryStore::new()), None),
        (Arc::new(redb), Some(dir)),
    ]
}

fn link(hash: &str, peer: Peer, admin_id: i64) -> InviteRecord {
    InviteRecord {
        hash: hash.into(),
        peer,
        admin_id,
        date: 10,
        expire_date: Some(99),
        usage_limit: Some(3),
        usage: 0,
        revoked: false,
        title: "t".into(),
    }
}

fn hashes(mut links: Vec<InviteRecord>) -> Vec<String> {
    let mut out: Vec<String> = links.drain(..).map(|l| l.hash).collect();
    out.sort();
    out
}

async fn links_are_listed_edited_and_deleted(store: &dyn Store) {
    let group = Peer::Chat(5);
    for record in [
        link("a1", group, 1),
        link("a2", group, 1),
        link("b1", group, 2),
        link("x1", Peer::Channel(5), 1),
    ] {
        store.put_invite(record).await.expect("put");
    }
    let all = store.invites_of(group, None).await.expect("list");
    assert_eq!(hashes(all), ["a1", "a2", "b1"]);
    let ones = store.invites_of(group, Some(1)).await.expect("list");
    assert_eq!(hashes(ones), ["a1", "a2"]);
    assert!(store
        .invites_of(group, Some(3))
        .await
        .expect("list")
        .is_empty());

    // An edit keeps the count of uses and what it does not name.
    store
        .use_invite("a1", 20)
        .await
        .expect("store")
        .expect("used");
    let edited = store
        .edit_invite(
            "a1",
            InviteEdit {
                expire_date: Some(None),
                title: Some("new".into()),
                ..InviteEdit::default()
            },
        )
        .await
        .expect("store")
        .expect("found");
    assert_eq!(edited.usage, 1);
    assert_eq!(edited.expire_date, None);
    assert_eq!(edited.usage_limit, Some(3));
    assert_eq!(edited.title, "new");
    assert_eq!(store.get_invite("a1").await.expect("get"), Some(edited));
    assert_eq!(
        store
            .edit_invite("nope", InviteEdit::default())
            .await
            .expect("store"),
        None
    );

    // Only revoked links are deleted.
    assert!(!store.delete_revoked_invite("a1").await.expect("store"));
    for hash in ["a1", "a2", "b1"] {
        let revoke = InviteEdit {
            revoke: true,
            ..InviteEdit::default()
        };
        let revoked = store.edit_invite(hash, revoke).await.expect("store");
        assert!(revoked.expect("found").revoked);
    }
    assert!(store.use_invite("a2", 20).await.expect("store").is_err());
    assert!(store.delete_revoked_invite("a1").await.expect("store"));
    assert!(!store.delete_revoked_invite("a1").await.expect("store"));
    assert_eq!(store.get_invite("a1").await.expect("get"), None);
    assert_eq!(
        store.delete_revoked_invites(group, 1).await.expect("store"),
        1
    );
    assert_eq!(
        store.delete_revoked_invites(group, 1).await.expect("store"),
        0
    );
    assert_eq!(
        hashes(store.invites_of(group, None).await.expect("list")),
        ["b1"]
    );
    assert_eq!(
        hashes(
            store
                .invites_of(Peer::Channel(5), None)
                .await
                .expect("list")
        ),
        ["x1"]
    );
}

fn edit(owner: i64, id: i32, text: &str) -> MessageEdit {
    MessageEdit {
        owner,
        id,
        text: text.into(),
        entities: Vec::new(),
        date: 300,
    }
}

async fn channel_posts_are_edited_once(store: &dyn Store) {
    let made = store
        .create_channel(NewChannel {
            creator: 1,
            title: "c".into(),
            about: String::new(),
            broadcast: true,
            date: 100,
        })
        .await
        .expect("store");
    let id = made.channel.id;
    store
        .change_channel(id, 1, ChannelChange::Invite { users: vec![2] }, 150)
        .await
        .expect("store")
        .expect("invited");
    let posted = store
        .send_channel_message(NewChannelMessage {
            channel_id: id,
            from: 1,
            random_id: None,
            date: 200,
            text: "old".into(),
            entities: Vec::new(),
            reply_to: None,
            silent: false,
        })
        .await
        .expect("store")
        .expect("posted");
    let post = posted.message.expect("post");

    let ChannelEditOutcome::Edited { channel, copy } = store
        .edit_channel_message(id, edit(1, post.message.id, "new"))
        .await
        .expect("store")
    else {
        panic!("not edited");
    };
    assert_eq!(channel.id, id);
    assert_eq!(copy.pts, post.pts + 1);
    assert_eq!(
        (copy.message.text.as_str(), copy.message.edit_date),
        ("new", Some(300))
    );
    let owner = box_owner(id);
    let stored = store
        .get_messages(owner, &[post.message.id])
        .await
        .expect("read");
    assert_eq!(stored, vec![copy.message.clone()]);
    let log = store.updates_after(owner, post.pts, 10).await.expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0].kind,
        UpdateKind::EditMessage {
            id: post.message.id
        }
    );
    assert_eq!((log[0].pts, log[0].date), (copy.pts, 300));

    let outcome = |by, msg, text: &'static str| {
        let e = edit(by, msg, text);
        async move { store.edit_channel_message(id, e).await.expect("store") }
    };
    assert_eq!(
        outcome(1, post.message.id, "new").await,
        ChannelEditOutcome::NotModified
    );
    assert_eq!(outcome(1, 1, "x").await, ChannelEditOutcome::NotFound);
    assert_eq!(outcome(1, 99, "x").await, ChannelEditOutcome::NotFound);
    assert_eq!(
        outcome(2, post.message.id, "x").await,
        ChannelEditOutcome::NotAuthor
    );
    assert_eq!(
        outcome(3, post.message.id, "x").await,
        ChannelEditOutcome::Refused(ChannelRefusal::Private)
    );
    assert_eq!(
        store.box_state(owner).await.expect("state").pts,
        copy.pts,
        "refused edits log nothing"
    );
}

#[tokio::test]
async fn every_backend_manages_links() {
    for (store, _keep) in backends() {
        links_are_listed_edited_and_deleted(&*store).await;
    }
}

#[tokio::test]
async fn every_backend_edits_channel_posts() {
    for (store, _keep) in backends() {
        channel_posts_are_edited_once(&*store).await;
    }
}

#[tokio::test]
async fn redb_rebuilds_the_link_index_of_older_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("chappe.redb");
    let store = RedbStore::open(&path).expect("open");
    store
        .put_invite(link("old", Peer::Chat(7), 1))
        .await
        .expect("put");
    drop(store);

    // A file from before the index: the links table alone.
    let db = redb::Database::create(&path).expect("raw open");
    let txn = db.begin_write().expect("begin");
    let index: redb::TableDefinition<(i64, i64, &str), ()> =
        redb::TableDefinition::new("invites_by_peer");
    assert!(txn.delete_table(index).expect("delete"));
    txn.commit().expect("commit");
    drop(db);

    let store = RedbStore::open(&path).expect("reopen");
    let found = store
        .invites_of(Peer::Chat(7), Some(1))
        .await
        .expect("list");
    assert_eq!(hashes(found), ["old"]);
}
