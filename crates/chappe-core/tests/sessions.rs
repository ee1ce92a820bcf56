//! Several devices per user: listing, resetting and logging out
//! authorizations.

mod common;

use std::net::{IpAddr, Ipv4Addr};

use chappe_store::{ClientInfo, SessionRecord};
use common::{fixture, rpc, NOW};

#[tokio::test]
async fn two_devices_list_and_reset() {
    let f = fixture();
    let user = f.login_test_number("9996610001", 1).await;
    f.login_test_number("9996610001", 2).await;
    f.login_test_number("9996610001", 3).await;
    f.store
        .put_session(SessionRecord {
            auth_key_id: 2,
            session_id: 9,
            layer: Some(229),
            client: Some(ClientInfo {
                device_model: "Phone".into(),
                ..ClientInfo::default()
            }),
            ip: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            created_at: NOW,
            last_seen_at: NOW + 50,
        })
        .await
        .expect("session");

    let list = f.accounts.authorizations(user.id, 1).await.expect("list");
    assert_eq!(list.len(), 3);
    let current = &list[0];
    assert!(current.current);
    assert_eq!((current.auth_key_id, current.hash), (1, 0));
    let phone = &list[1];
    assert_eq!(phone.auth_key_id, 2);
    assert_eq!(phone.last_seen_at, NOW + 50);
    assert_eq!(
        phone.client.as_ref().map(|c| c.device_model.as_str()),
        Some("Phone")
    );
    assert_ne!(phone.hash, 0);
    assert_ne!(phone.hash, 2, "the auth key id is not exposed");

    assert_eq!(
        rpc(f.accounts.reset_authorization(user.id, 0).await),
        "HASH_INVALID"
    );
    assert_eq!(
        rpc(f.accounts.reset_authorization(user.id, 12345).await),
        "HASH_INVALID"
    );
    // Another user cannot reset this user's sessions.
    let other = f.login_test_number("9996610002", 10).await;
    assert_eq!(
        rpc(f.accounts.reset_authorization(other.id, phone.hash).await),
        "HASH_INVALID"
    );

    f.accounts
        .reset_authorization(user.id, phone.hash)
        .await
        .expect("reset");
    assert_eq!(f.accounts.user_of_auth_key(2).await.ok(), Some(None));
    assert_eq!(
        f.accounts.user_of_auth_key(1).await.ok(),
        Some(Some(user.id))
    );
    assert_eq!(
        f.accounts
            .authorizations(user.id, 1)
            .await
            .map(|l| l.len())
            .ok(),
        Some(2)
    );

    assert_eq!(
        f.accounts.reset_authorizations(user.id, 1).await.ok(),
        Some(1)
    );
    assert_eq!(f.accounts.user_of_auth_key(3).await.ok(), Some(None));
    assert_eq!(
        f.accounts.user_of_auth_key(1).await.ok(),
        Some(Some(user.id))
    );
    assert_eq!(f.accounts.require_user(1).await.ok(), Some(user.id));

    assert_eq!(f.accounts.log_out(1).await.ok(), Some(Some(user.id)));
    assert_eq!(f.accounts.log_out(1).await.ok(), Some(None));
    assert_eq!(
        rpc(f.accounts.require_user(1).await),
        "AUTH_KEY_UNREGISTERED"
    );
    assert_eq!(f.store.auth_keys_of_user(user.id).await.ok(), Some(vec![]));
}

#[tokio::test]
async fn the_cache_can_be_told_about_deleted_keys() {
    let f = fixture();
    let user = f.login_test_number("9996610001", 1).await;
    assert_eq!(
        f.accounts.user_of_auth_key(1).await.ok(),
        Some(Some(user.id))
    );
    f.store.delete_auth_key(1).await.expect("delete");
    f.accounts.forget_auth_key(1);
    assert_eq!(f.accounts.user_of_auth_key(1).await.ok(), Some(None));
    assert_eq!(f.accounts.user_of_auth_key(99).await.ok(), Some(None));
}
