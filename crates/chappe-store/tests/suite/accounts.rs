//! Conformance checks for the account tables: users and their indexes, the
//! auth key binding, login codes and passwords.

use std::sync::Arc;

use chappe_store::{
    CodeKind, PasswordRecord, PhoneCodeRecord, Store, StoreError, UserRecord, DEFAULT_USER_ID_BASE,
};

use super::auth_key;

pub async fn users_get_ids_from_the_base_and_phones_are_unique(store: &dyn Store) {
    let ada = store
        .create_user("15550001", "Ada", "L", 10)
        .await
        .expect("ada");
    assert_eq!(ada.id, DEFAULT_USER_ID_BASE);
    assert_eq!(
        ada,
        UserRecord {
            id: DEFAULT_USER_ID_BASE,
            phone: "15550001".into(),
            first_name: "Ada".into(),
            last_name: "L".into(),
            username: None,
            about: String::new(),
            created_at: 10,
            banned: false,
            last_online_at: 10,
        }
    );
    let err = store.create_user("15550001", "Eve", "", 11).await;
    assert!(matches!(err, Err(StoreError::PhoneTaken)), "{err:?}");
    let bob = store
        .create_user("15550002", "Bob", "", 12)
        .await
        .expect("bob");
    // A failed create must not burn an id.
    assert_eq!(bob.id, ada.id + 1);
    assert_eq!(store.get_user(ada.id).await.ok(), Some(Some(ada.clone())));
    assert_eq!(
        store.user_by_phone("15550002").await.ok(),
        Some(Some(bob.clone()))
    );
    assert_eq!(store.user_by_phone("15550003").await.ok(), Some(None));
    assert_eq!(store.get_user(1).await.ok(), Some(None));
    assert_eq!(
        store.get_users(&[bob.id, 5, ada.id, bob.id]).await.ok(),
        Some(vec![bob, ada])
    );
}

pub async fn user_updates_keep_the_indexes_right(store: &dyn Store) {
    let ada = store.create_user("1001", "Ada", "", 1).await.expect("ada");
    let bob = store.create_user("1002", "Bob", "", 1).await.expect("bob");

    let named = UserRecord {
        username: Some("Ada_L".into()),
        about: "bio".into(),
        ..ada.clone()
    };
    store
        .update_user(named.clone())
        .await
        .expect("set username");
    assert_eq!(
        store.user_by_username("aDa_l").await.ok(),
        Some(Some(named.clone()))
    );

    // Usernames are unique ignoring case; a clash changes nothing.
    let clash = UserRecord {
        username: Some("ADA_L".into()),
        first_name: "Robert".into(),
        ..bob.clone()
    };
    let err = store.update_user(clash).await;
    assert!(matches!(err, Err(StoreError::UsernameTaken)), "{err:?}");
    assert_eq!(store.get_user(bob.id).await.ok(), Some(Some(bob.clone())));

    // Phones are unique too.
    let clash = UserRecord {
        phone: "1001".into(),
        ..bob.clone()
    };
    let err = store.update_user(clash).await;
    assert!(matches!(err, Err(StoreError::PhoneTaken)), "{err:?}");

    // Renaming frees the old name; changing the phone moves the index.
    let renamed = UserRecord {
        username: Some("ada2".into()),
        phone: "1003".into(),
        ..named
    };
    store.update_user(renamed.clone()).await.expect("rename");
    assert_eq!(store.user_by_username("ada_l").await.ok(), Some(None));
    assert_eq!(store.user_by_phone("1001").await.ok(), Some(None));
    assert_eq!(
        store.user_by_phone("1003").await.ok(),
        Some(Some(renamed.clone()))
    );
    let bob_named = UserRecord {
        username: Some("Ada_L".into()),
        ..bob
    };
    store
        .update_user(bob_named.clone())
        .await
        .expect("take freed name");
    assert_eq!(
        store.user_by_username("ada_l").await.ok(),
        Some(Some(bob_named))
    );

    // Removing a username frees it.
    let unnamed = UserRecord {
        username: None,
        ..renamed
    };
    store.update_user(unnamed).await.expect("clear");
    assert_eq!(store.user_by_username("ada2").await.ok(), Some(None));

    let ghost = UserRecord { id: 5, ..ada };
    let err = store.update_user(ghost).await;
    assert!(matches!(err, Err(StoreError::UserNotFound(5))), "{err:?}");
}

pub async fn users_list_and_search(store: &dyn Store) {
    let mut ids = Vec::new();
    for (i, (first, last)) in [("Ada", "Lovelace"), ("Bob", "Adams"), ("Cy", "Young")]
        .iter()
        .enumerate()
    {
        let user = store
            .create_user(&format!("20{i}"), first, last, 1)
            .await
            .expect("create");
        ids.push(user.id);
    }
    let Some(&[ada, bob, cy]) = Some(ids.as_slice()) else {
        unreachable!()
    };
    let listed: Vec<i64> = store
        .list_users(0, 10)
        .await
        .expect("list")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(listed, vec![ada, bob, cy]);
    let page: Vec<i64> = store
        .list_users(ada, 1)
        .await
        .expect("list")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(page, vec![bob]);
    assert_eq!(store.list_users(i64::MAX, 5).await.ok(), Some(vec![]));

    let cy_user = store.get_user(cy).await.expect("get").expect("cy");
    store
        .update_user(UserRecord {
            username: Some("adalike".into()),
            ..cy_user
        })
        .await
        .expect("name cy");
    let found: Vec<i64> = store
        .search_users("AD", 10)
        .await
        .expect("search")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(found, vec![ada, bob, cy]);
    let found = store.search_users("ad", 2).await.expect("search");
    assert_eq!(found.len(), 2);
    assert_eq!(store.search_users("", 10).await.ok(), Some(vec![]));
    assert_eq!(store.search_users("zz", 10).await.ok(), Some(vec![]));
}

pub async fn auth_key_binding_keeps_the_user_index(store: &dyn Store) {
    let ada = store.create_user("3001", "Ada", "", 1).await.expect("ada");
    let bob = store.create_user("3002", "Bob", "", 1).await.expect("bob");
    for id in [1, 2, 3] {
        store.put_auth_key(auth_key(id)).await.expect("key");
    }
    let err = store.bind_auth_key(9, ada.id).await;
    assert!(
        matches!(err, Err(StoreError::AuthKeyNotFound(9))),
        "{err:?}"
    );
    let err = store.bind_auth_key(1, 42).await;
    assert!(matches!(err, Err(StoreError::UserNotFound(42))), "{err:?}");

    store.bind_auth_key(2, ada.id).await.expect("bind");
    store.bind_auth_key(1, ada.id).await.expect("bind");
    store.bind_auth_key(3, bob.id).await.expect("bind");
    let of_ada: Vec<i64> = store
        .auth_keys_of_user(ada.id)
        .await
        .expect("of ada")
        .iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(of_ada, vec![1, 2]);
    let key = store.get_auth_key(1).await.expect("get").expect("key 1");
    assert_eq!(key.user_id, Some(ada.id));

    // Rebinding moves the key between users.
    store.bind_auth_key(2, bob.id).await.expect("rebind");
    assert_eq!(
        store.auth_keys_of_user(ada.id).await.map(|k| k.len()).ok(),
        Some(1)
    );
    assert_eq!(
        store.auth_keys_of_user(bob.id).await.map(|k| k.len()).ok(),
        Some(2)
    );

    assert_eq!(store.unbind_auth_key(1).await.ok(), Some(Some(ada.id)));
    assert_eq!(store.unbind_auth_key(1).await.ok(), Some(None));
    assert_eq!(store.unbind_auth_key(99).await.ok(), Some(None));
    assert_eq!(store.auth_keys_of_user(ada.id).await.ok(), Some(vec![]));
    let key = store.get_auth_key(1).await.expect("get").expect("key 1");
    assert_eq!(key.user_id, None);

    // Deleting a key, or replacing it without a user, drops its index entry.
    assert_eq!(store.delete_auth_key(3).await.ok(), Some(true));
    store.put_auth_key(auth_key(2)).await.expect("replace");
    assert_eq!(store.auth_keys_of_user(bob.id).await.ok(), Some(vec![]));
    // put_auth_key with a user indexes it as well.
    let mut bound = auth_key(3);
    bound.user_id = Some(ada.id);
    store.put_auth_key(bound.clone()).await.expect("put bound");
    assert_eq!(
        store.auth_keys_of_user(ada.id).await.ok(),
        Some(vec![bound])
    );
}

pub async fn create_user_bound_is_all_or_nothing(store: &dyn Store) {
    store.put_auth_key(auth_key(1)).await.expect("key");
    let err = store.create_user_bound("5001", "Ada", "", 1, 9).await;
    assert!(
        matches!(err, Err(StoreError::AuthKeyNotFound(9))),
        "{err:?}"
    );
    assert_eq!(store.user_by_phone("5001").await.ok(), Some(None));

    let ada = store
        .create_user_bound("5001", "Ada", "L", 7, 1)
        .await
        .expect("create bound");
    assert_eq!(
        (ada.phone.as_str(), ada.first_name.as_str(), ada.created_at),
        ("5001", "Ada", 7)
    );
    // The failed call did not use up an id.
    assert_eq!(ada.id, DEFAULT_USER_ID_BASE);
    assert_eq!(store.get_user(ada.id).await.ok(), Some(Some(ada.clone())));
    let key = store.get_auth_key(1).await.expect("get").expect("key 1");
    assert_eq!(key.user_id, Some(ada.id));
    let of_ada: Vec<i64> = store
        .auth_keys_of_user(ada.id)
        .await
        .expect("of ada")
        .iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(of_ada, vec![1]);

    // A taken phone creates nothing and leaves the key alone.
    store.put_auth_key(auth_key(2)).await.expect("key");
    let err = store.create_user_bound("5001", "Eve", "", 8, 2).await;
    assert!(matches!(err, Err(StoreError::PhoneTaken)), "{err:?}");
    let key = store.get_auth_key(2).await.expect("get").expect("key 2");
    assert_eq!(key.user_id, None);
    assert_eq!(store.list_users(0, 10).await.map(|u| u.len()).ok(), Some(1));
    let bob = store
        .create_user_bound("5002", "Bob", "", 9, 2)
        .await
        .expect("bob");
    assert_eq!(bob.id, ada.id + 1);
}

fn code(hash: &str) -> PhoneCodeRecord {
    PhoneCodeRecord {
        phone_code_hash: hash.into(),
        phone: "9996612345".into(),
        code: "11111".into(),
        created_at: 100,
        expires_at: 400,
        attempts: 0,
        kind: CodeKind::App,
    }
}

pub async fn phone_codes_round_trip_and_delete(store: &dyn Store) {
    assert_eq!(store.get_phone_code("h1").await.ok(), Some(None));
    store.put_phone_code(code("h1")).await.expect("put");
    store.put_phone_code(code("h2")).await.expect("put");
    let bumped = PhoneCodeRecord {
        attempts: 3,
        kind: CodeKind::Sms,
        ..code("h1")
    };
    store.put_phone_code(bumped.clone()).await.expect("replace");
    assert_eq!(store.get_phone_code("h1").await.ok(), Some(Some(bumped)));
    assert_eq!(store.delete_phone_code("h1").await.ok(), Some(true));
    assert_eq!(store.delete_phone_code("h1").await.ok(), Some(false));
    assert_eq!(store.get_phone_code("h1").await.ok(), Some(None));
    assert_eq!(
        store.get_phone_code("h2").await.ok(),
        Some(Some(code("h2")))
    );
}

pub fn password() -> PasswordRecord {
    PasswordRecord {
        srp_salt1: vec![1; 40],
        srp_salt2: vec![2; 16],
        srp_g: 3,
        srp_p: vec![0xc7; 256],
        verifier: vec![5; 256],
        srp_id: 77,
        hint: "cat".into(),
        email: None,
        updated_at: 9,
    }
}

pub async fn passwords_round_trip_and_delete(store: &dyn Store) {
    assert_eq!(store.get_password(1).await.ok(), Some(None));
    store.put_password(1, password()).await.expect("put");
    let changed = PasswordRecord {
        email: Some("a@example.org".into()),
        ..password()
    };
    store.put_password(2, changed.clone()).await.expect("put");
    assert_eq!(store.get_password(1).await.ok(), Some(Some(password())));
    assert_eq!(store.get_password(2).await.ok(), Some(Some(changed)));
    assert_eq!(store.delete_password(1).await.ok(), Some(true));
    assert_eq!(store.delete_password(1).await.ok(), Some(false));
    assert_eq!(store.get_password(1).await.ok(), Some(None));
}

pub async fn concurrent_creates_of_one_phone_make_one_user(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.create_user("4001", &format!("U{i}"), "", 1).await })
        })
        .collect();
    let mut made = 0;
    for task in tasks {
        match task.await.expect("join") {
            Ok(_) => made += 1,
            Err(StoreError::PhoneTaken) => {}
            Err(err) => panic!("unexpected {err:?}"),
        }
    }
    assert_eq!(made, 1);
    assert_eq!(store.list_users(0, 10).await.map(|u| u.len()).ok(), Some(1));
}

pub async fn a_permanent_key_has_one_bound_temporary_key(store: &dyn Store) {
    let temp = |id| chappe_store::AuthKeyRecord {
        kind: chappe_store::AuthKeyKind::Temp {
            expires_at: 1_700_086_400,
        },
        ..auth_key(id)
    };
    store.put_auth_key(auth_key(10)).await.expect("perm");
    store.put_auth_key(auth_key(20)).await.expect("other perm");
    for id in [11, 12, 21] {
        store.put_auth_key(temp(id)).await.expect("temp");
    }
    let err = store.bind_temp_auth_key(99, 10).await;
    assert!(
        matches!(err, Err(StoreError::AuthKeyNotFound(99))),
        "{err:?}"
    );
    let err = store.bind_temp_auth_key(11, 98).await;
    assert!(
        matches!(err, Err(StoreError::AuthKeyNotFound(98))),
        "{err:?}"
    );

    let perm_of = |id| async move {
        store
            .get_auth_key(id)
            .await
            .expect("read")
            .expect("stored")
            .perm_key_id
    };
    assert_eq!(store.bind_temp_auth_key(11, 10).await.expect("bind"), None);
    assert_eq!(store.bind_temp_auth_key(21, 20).await.expect("bind"), None);
    assert_eq!(perm_of(11).await, Some(10));
    // Binding again is no change.
    assert_eq!(store.bind_temp_auth_key(11, 10).await.expect("bind"), None);
    // A new temporary key replaces the old one, which loses its binding.
    assert_eq!(
        store.bind_temp_auth_key(12, 10).await.expect("bind"),
        Some(11)
    );
    assert_eq!(perm_of(11).await, None);
    assert_eq!(perm_of(12).await, Some(10));
    // Other permanent keys keep theirs.
    assert_eq!(perm_of(21).await, Some(20));
    // A deleted temporary key leaves nothing to unbind.
    assert!(store.delete_auth_key(12).await.expect("delete"));
    assert_eq!(store.bind_temp_auth_key(11, 10).await.expect("bind"), None);
    assert_eq!(perm_of(11).await, Some(10));
}
