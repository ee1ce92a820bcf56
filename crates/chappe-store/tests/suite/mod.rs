//! The conformance suite: one set of generic checks every [`Store`] backend
//! must pass. `tests/conformance.rs` runs it against each backend.

mod accounts;
mod channels;
mod chats;
mod contacts;
mod devices;
mod edits;
mod invites;
mod messages;

pub use accounts::*;
pub use channels::*;
pub use chats::*;
pub use contacts::*;
pub use devices::*;
pub use edits::*;
pub use invites::*;
pub use messages::*;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use chappe_store::{
    AuthKeyKind, AuthKeyRecord, ClientInfo, SessionRecord, Store, StoreError, AUTH_KEY_LEN,
    SECRET_NAME_MAX_LEN,
};

pub fn auth_key(id: i64) -> AuthKeyRecord {
    AuthKeyRecord {
        id,
        // Vary the key with the id so a mix-up between rows shows.
        key: std::array::from_fn(|i| (i as u8) ^ (id as u8)),
        kind: AuthKeyKind::Perm,
        created_at: 1_700_000_000,
        perm_key_id: None,
        user_id: None,
    }
}

pub fn session(auth_key_id: i64, session_id: i64) -> SessionRecord {
    SessionRecord {
        auth_key_id,
        session_id,
        layer: Some(229),
        client: Some(ClientInfo {
            api_id: 4,
            device_model: "PC 64bit".into(),
            system_version: "Linux 6.1".into(),
            app_version: "1.45.0".into(),
            system_lang_code: "en-US".into(),
            lang_pack: String::new(),
            lang_code: "en".into(),
        }),
        ip: Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        created_at: 1_700_000_001,
        last_seen_at: 1_700_000_002,
    }
}

pub async fn missing_rows_read_as_none(store: &dyn Store) {
    assert_eq!(store.get_auth_key(1).await.ok(), Some(None));
    assert_eq!(store.get_session(1, 1).await.ok(), Some(None));
    assert_eq!(store.list_sessions(1).await.ok(), Some(vec![]));
    assert_eq!(store.delete_auth_key(1).await.ok(), Some(false));
    assert_eq!(store.delete_session(1, 1).await.ok(), Some(false));
}

pub async fn auth_keys_round_trip_and_replace(store: &dyn Store) {
    let perm = auth_key(i64::MIN);
    let temp = AuthKeyRecord {
        kind: AuthKeyKind::Temp {
            expires_at: 1_700_086_400,
        },
        perm_key_id: Some(i64::MIN),
        user_id: Some(777),
        ..auth_key(-1)
    };
    store.put_auth_key(perm.clone()).await.expect("put perm");
    store.put_auth_key(temp.clone()).await.expect("put temp");
    assert_eq!(store.get_auth_key(i64::MIN).await.ok(), Some(Some(perm)));
    assert_eq!(store.get_auth_key(-1).await.ok(), Some(Some(temp.clone())));

    let logged_in = AuthKeyRecord {
        user_id: Some(888),
        key: [0xab; AUTH_KEY_LEN],
        ..temp
    };
    store
        .put_auth_key(logged_in.clone())
        .await
        .expect("replace");
    assert_eq!(store.get_auth_key(-1).await.ok(), Some(Some(logged_in)));
}

pub async fn sessions_need_their_auth_key(store: &dyn Store) {
    let err = store.put_session(session(5, 1)).await;
    assert!(
        matches!(err, Err(StoreError::AuthKeyNotFound(5))),
        "{err:?}"
    );
    assert_eq!(store.get_session(5, 1).await.ok(), Some(None));
}

pub async fn sessions_round_trip_list_and_delete(store: &dyn Store) {
    for id in [i64::MIN, 10, i64::MAX] {
        store.put_auth_key(auth_key(id)).await.expect("put key");
    }
    // Boundary session ids and neighbouring keys catch range-scan mistakes.
    for session_id in [i64::MAX, 0, -3, i64::MIN] {
        store
            .put_session(session(10, session_id))
            .await
            .expect("put session");
    }
    store
        .put_session(session(i64::MIN, i64::MAX))
        .await
        .expect("put");
    store
        .put_session(session(i64::MAX, i64::MIN))
        .await
        .expect("put");

    let bare = SessionRecord {
        layer: None,
        client: None,
        ip: None,
        ..session(10, 0)
    };
    store
        .put_session(bare.clone())
        .await
        .expect("replace session");
    assert_eq!(
        store.get_session(10, 0).await.ok(),
        Some(Some(bare.clone()))
    );

    let listed = store.list_sessions(10).await.expect("list");
    let ids: Vec<i64> = listed.iter().map(|s| s.session_id).collect();
    assert_eq!(ids, vec![i64::MIN, -3, 0, i64::MAX]);
    assert_eq!(listed.get(2), Some(&bare));
    assert_eq!(listed.first(), Some(&session(10, i64::MIN)));

    assert_eq!(store.delete_session(10, -3).await.ok(), Some(true));
    assert_eq!(store.delete_session(10, -3).await.ok(), Some(false));
    assert_eq!(store.get_session(10, -3).await.ok(), Some(None));
    assert_eq!(store.list_sessions(10).await.map(|l| l.len()).ok(), Some(3));
    assert_eq!(
        store.list_sessions(i64::MIN).await.map(|l| l.len()).ok(),
        Some(1)
    );
}

pub async fn deleting_a_key_deletes_only_its_sessions(store: &dyn Store) {
    for id in [-1, 0, 1] {
        store.put_auth_key(auth_key(id)).await.expect("put key");
        for session_id in [i64::MIN, 7, i64::MAX] {
            store
                .put_session(session(id, session_id))
                .await
                .expect("put");
        }
    }
    assert_eq!(store.delete_auth_key(0).await.ok(), Some(true));
    assert_eq!(store.get_auth_key(0).await.ok(), Some(None));
    assert_eq!(store.list_sessions(0).await.ok(), Some(vec![]));
    assert_eq!(store.get_session(0, 7).await.ok(), Some(None));
    for id in [-1, 1] {
        assert!(store.get_auth_key(id).await.expect("get").is_some());
        assert_eq!(store.list_sessions(id).await.map(|l| l.len()).ok(), Some(3));
    }
    // A re-created key starts with no sessions.
    store
        .put_auth_key(auth_key(0))
        .await
        .expect("put key again");
    assert_eq!(store.list_sessions(0).await.ok(), Some(vec![]));
}

pub async fn secrets_are_made_once_and_kept(store: &dyn Store) {
    let salt = store.get_or_init_secret("salt").await.expect("salt");
    let other = store.get_or_init_secret("other").await.expect("other");
    assert_eq!(store.get_or_init_secret("salt").await.ok(), Some(salt));
    // 256 random bits colliding would mean the generator is broken.
    assert_ne!(salt, other);
    assert_ne!(salt, [0u8; 32]);
}

pub async fn secret_names_are_checked(store: &dyn Store) {
    let longest = "n".repeat(SECRET_NAME_MAX_LEN);
    assert!(store.get_or_init_secret(&longest).await.is_ok());
    for bad in [String::new(), "n".repeat(SECRET_NAME_MAX_LEN + 1)] {
        let err = store.get_or_init_secret(&bad).await;
        assert!(matches!(err, Err(StoreError::InvalidSecretName)), "{err:?}");
    }
}

pub async fn concurrent_first_secret_calls_agree(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.get_or_init_secret("race").await })
        })
        .collect();
    let mut seen = Vec::new();
    for task in tasks {
        seen.push(task.await.expect("join").expect("secret"));
    }
    seen.dedup();
    assert_eq!(seen.len(), 1);
}
