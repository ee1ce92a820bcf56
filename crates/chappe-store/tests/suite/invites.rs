//! Invite links: stored as made, counted per use, refused once used up,
//! expired or revoked.

use chappe_store::invites::{InviteRecord, InviteRefusal};
use chappe_store::{Peer, Store};

fn link(hash: &str) -> InviteRecord {
    InviteRecord {
        hash: hash.into(),
        peer: Peer::Chat(3),
        admin_id: 10,
        date: 100,
        expire_date: None,
        usage_limit: Some(2),
        usage: 0,
        revoked: false,
        title: "friends".into(),
    }
}

pub async fn invites_are_counted_and_limited(store: &dyn Store) {
    assert_eq!(store.get_invite("nope").await.ok(), Some(None));
    assert_eq!(
        store.use_invite("nope", 100).await.ok(),
        Some(Err(InviteRefusal::Unknown))
    );
    store.put_invite(link("a")).await.expect("put");
    let channel = InviteRecord {
        peer: Peer::Channel(-9),
        expire_date: Some(200),
        usage_limit: None,
        ..link("b")
    };
    store.put_invite(channel.clone()).await.expect("put");
    assert_eq!(store.get_invite("b").await.ok(), Some(Some(channel)));

    for usage in 1..=2 {
        let used = store.use_invite("a", 150).await.expect("use");
        assert_eq!(used.map(|r| r.usage), Ok(usage));
    }
    assert_eq!(
        store.use_invite("a", 150).await.ok(),
        Some(Err(InviteRefusal::Expired))
    );
    assert_eq!(
        store.get_invite("a").await.ok().flatten().map(|r| r.usage),
        Some(2)
    );

    assert!(matches!(store.use_invite("b", 199).await, Ok(Ok(_))));
    assert_eq!(
        store.use_invite("b", 200).await.ok(),
        Some(Err(InviteRefusal::Expired))
    );
    let revoked = InviteRecord {
        revoked: true,
        ..link("c")
    };
    store.put_invite(revoked).await.expect("put");
    assert_eq!(
        store.use_invite("c", 100).await.ok(),
        Some(Err(InviteRefusal::Expired))
    );
}
