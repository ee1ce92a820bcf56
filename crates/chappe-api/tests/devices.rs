//! `account.registerDevice` / `unregisterDevice` (tokens stored per user and auth key,
//! dropped on log-out) and `help.acceptTermsOfService`.

mod common;

use chappe_tl::api::{enums, functions, types};
use common::{fixture, NOW};

const PHONE: &str = "9996613456";

fn register(token_type: i32, token: &str) -> functions::account::RegisterDevice {
    functions::account::RegisterDevice {
        no_muted: false,
        token_type,
        token: token.into(),
        app_sandbox: false,
        secret: vec![1; 32],
        other_uids: vec![],
    }
}

fn unregister(token_type: i32, token: &str) -> functions::account::UnregisterDevice {
    functions::account::UnregisterDevice {
        token_type,
        token: token.into(),
        other_uids: vec![],
    }
}

#[tokio::test]
async fn tokens_are_stored_checked_and_unregistered() {
    let f = fixture();
    f.add_key(1).await;
    assert_eq!(
        f.err(1, None, register(2, "t")).await,
        "AUTH_KEY_UNREGISTERED"
    );
    let user = f.login(PHONE, 1).await;
    assert_eq!(
        f.err(1, Some(user), register(0, "t")).await,
        "TOKEN_TYPE_INVALID"
    );
    assert_eq!(
        f.err(1, Some(user), register(99, "t")).await,
        "TOKEN_TYPE_INVALID"
    );
    assert_eq!(f.err(1, Some(user), register(2, "")).await, "TOKEN_EMPTY");
    assert_eq!(f.err(1, Some(user), unregister(2, "")).await, "TOKEN_EMPTY");
    assert!(f
        .store
        .devices_of_user(user)
        .await
        .expect("devices_of_user")
        .is_empty());

    assert!(f.ok::<bool>(1, Some(user), register(2, "fcm-1")).await);
    assert!(f.ok::<bool>(1, Some(user), register(9, "voip-1")).await);
    let stored = f
        .store
        .devices_of_user(user)
        .await
        .expect("devices_of_user");
    assert_eq!(stored.len(), 2);
    assert!(stored
        .iter()
        .all(|d| d.auth_key_id == 1 && d.registered_at == NOW));
    assert_eq!(stored[0].token, "fcm-1");
    assert_eq!(stored[0].secret, vec![1; 32]);

    // A wrong token leaves the registration alone; the right one removes it.
    assert!(f.ok::<bool>(1, Some(user), unregister(2, "other")).await);
    assert_eq!(
        f.store
            .devices_of_user(user)
            .await
            .expect("devices_of_user")
            .len(),
        2
    );
    assert!(f.ok::<bool>(1, Some(user), unregister(2, "fcm-1")).await);
    let left = f
        .store
        .devices_of_user(user)
        .await
        .expect("devices_of_user");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].token_type, 9);
}

#[tokio::test]
async fn logging_out_drops_the_keys_tokens() {
    let f = fixture();
    let user = f.login(PHONE, 1).await;
    assert_eq!(f.login(PHONE, 2).await, user);
    assert!(f.ok::<bool>(1, Some(user), register(2, "one")).await);
    assert!(f.ok::<bool>(2, Some(user), register(2, "two")).await);

    let _: enums::auth::LoggedOut = f.ok(1, Some(user), functions::auth::LogOut).await;
    let left = f
        .store
        .devices_of_user(user)
        .await
        .expect("devices_of_user");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].auth_key_id, 2);

    // Key 2 logged out from elsewhere (terminated by another session).
    assert_eq!(f.login(PHONE, 3).await, user);
    assert!(
        f.ok::<bool>(3, Some(user), functions::auth::ResetAuthorizations)
            .await
    );
    assert!(f
        .store
        .devices_of_user(user)
        .await
        .expect("devices_of_user")
        .is_empty());
}

#[tokio::test]
async fn terms_acceptance_is_recorded_and_nothing_stays_pending() {
    let f = fixture();
    let accept = |data: &str| functions::help::AcceptTermsOfService {
        id: enums::DataJson::DataJson(types::DataJson { data: data.into() }),
    };
    f.add_key(1).await;
    assert_eq!(
        f.err(1, None, accept("tos-1")).await,
        "AUTH_KEY_UNREGISTERED"
    );
    let user = f.login(PHONE, 1).await;
    assert_eq!(f.err(1, Some(user), accept("")).await, "DATA_JSON_INVALID");
    assert!(f
        .store
        .terms_acceptance(user)
        .await
        .expect("terms_acceptance")
        .is_none());
    assert!(f.ok::<bool>(1, Some(user), accept("tos-1")).await);
    let recorded = f
        .store
        .terms_acceptance(user)
        .await
        .expect("terms_acceptance")
        .expect("recorded");
    assert_eq!(
        (recorded.terms_id.as_str(), recorded.accepted_at),
        ("tos-1", NOW)
    );
    let update: enums::help::TermsOfServiceUpdate = f
        .ok(1, Some(user), functions::help::GetTermsOfServiceUpdate)
        .await;
    assert!(matches!(
        update,
        enums::help::TermsOfServiceUpdate::TermsOfServiceUpdateEmpty(_)
    ));
}
