//! Push device tokens (replace per user, auth key and type; delete by token; list per
//! user; drop all of one auth key) and terms-of-service acceptances.

use chappe_store::{DeviceRecord, Store};

fn device(user_id: i64, auth_key_id: i64, token_type: i32, token: &str) -> DeviceRecord {
    DeviceRecord {
        user_id,
        auth_key_id,
        token_type,
        token: token.into(),
        app_sandbox: token_type == 1,
        secret: vec![token_type as u8; 32],
        no_muted: false,
        other_uids: vec![user_id + 1],
        registered_at: 1_700_000_000,
    }
}

pub async fn devices_register_replace_and_unregister(store: &dyn Store) {
    assert_eq!(store.devices_of_user(1).await.ok(), Some(vec![]));
    store.put_device(device(1, 10, 2, "a")).await.expect("put");
    store.put_device(device(1, 10, 1, "b")).await.expect("put");
    store.put_device(device(1, -5, 2, "c")).await.expect("put");
    store.put_device(device(2, 10, 2, "d")).await.expect("put");
    // Same user, key and type: replaced.
    store.put_device(device(1, 10, 2, "a2")).await.expect("put");
    let listed = store.devices_of_user(1).await.expect("list");
    assert_eq!(
        listed,
        vec![
            device(1, -5, 2, "c"),
            device(1, 10, 1, "b"),
            device(1, 10, 2, "a2")
        ]
    );
    // Unregistering needs the token that is registered.
    assert_eq!(store.delete_device(1, 10, 2, "a").await.ok(), Some(false));
    assert_eq!(store.delete_device(1, 10, 2, "a2").await.ok(), Some(true));
    assert_eq!(store.delete_device(1, 10, 2, "a2").await.ok(), Some(false));
    assert_eq!(store.devices_of_user(1).await.expect("list").len(), 2);
    assert_eq!(
        store.devices_of_user(2).await.expect("list"),
        vec![device(2, 10, 2, "d")]
    );
}

pub async fn devices_of_an_auth_key_go_together(store: &dyn Store) {
    store.put_device(device(1, 10, 2, "a")).await.expect("put");
    store.put_device(device(1, 10, 9, "b")).await.expect("put");
    store.put_device(device(1, 11, 2, "c")).await.expect("put");
    store.put_device(device(2, 10, 2, "d")).await.expect("put");
    assert_eq!(store.delete_devices_of_auth_key(1, 10).await.ok(), Some(2));
    assert_eq!(store.delete_devices_of_auth_key(1, 10).await.ok(), Some(0));
    assert_eq!(
        store.devices_of_user(1).await.expect("list"),
        vec![device(1, 11, 2, "c")]
    );
    assert_eq!(
        store.devices_of_user(2).await.expect("list").len(),
        1,
        "other user untouched"
    );
}

pub async fn terms_acceptance_is_kept_per_user(store: &dyn Store) {
    use chappe_store::TermsAcceptance;
    assert_eq!(store.terms_acceptance(1).await.ok(), Some(None));
    let first = TermsAcceptance {
        terms_id: "v1".into(),
        accepted_at: 10,
    };
    store
        .put_terms_acceptance(1, first.clone())
        .await
        .expect("put");
    assert_eq!(store.terms_acceptance(1).await.ok(), Some(Some(first)));
    let second = TermsAcceptance {
        terms_id: "v2".into(),
        accepted_at: 20,
    };
    store
        .put_terms_acceptance(1, second.clone())
        .await
        .expect("put");
    assert_eq!(store.terms_acceptance(1).await.ok(), Some(Some(second)));
    assert_eq!(store.terms_acceptance(2).await.ok(), Some(None));
}
