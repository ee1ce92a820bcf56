//! The `account` (sessions, profile, usernames) and `contacts` handlers through
//! `Api::handle`, with access hashes checked.

mod common;

use chappe_tl::api::{enums, functions, types};
use common::{fixture, srp_params, user_of};

#[tokio::test]
async fn authorizations_list_both_keys_and_reset_ends_the_other() {
    let f = fixture();
    let user = f.login("9996613456", 1).await;
    assert_eq!(f.login("9996613456", 2).await, user);
    let enums::account::Authorizations::Authorizations(list) = f
        .ok(1, Some(user), functions::account::GetAuthorizations)
        .await;
    assert_eq!(list.authorization_ttl_days, 180);
    assert_eq!(list.authorizations.len(), 2);
    let other = list
        .authorizations
        .iter()
        .map(|enums::Authorization::Authorization(a)| a)
        .find(|a| !a.current)
        .expect("the other key");
    assert_ne!(other.hash, 0);
    assert_eq!(
        f.err(
            1,
            Some(user),
            functions::account::ResetAuthorization { hash: 12345 }
        )
        .await,
        "HASH_INVALID"
    );
    assert!(
        f.ok::<bool>(
            1,
            Some(user),
            functions::account::ResetAuthorization { hash: other.hash }
        )
        .await
    );
    assert_eq!(f.api.accounts().user_of_auth_key(2).await.unwrap(), None);
    assert_eq!(
        f.api.accounts().user_of_auth_key(1).await.unwrap(),
        Some(user)
    );

    f.login("9996613456", 3).await;
    assert!(
        f.ok::<bool>(1, Some(user), functions::auth::ResetAuthorizations)
            .await
    );
    assert_eq!(f.api.accounts().user_of_auth_key(3).await.unwrap(), None);
    assert_eq!(
        f.api.accounts().user_of_auth_key(1).await.unwrap(),
        Some(user)
    );
}

#[tokio::test]
async fn username_rules() {
    let f = fixture();
    let alice = f.login("9996614567", 1).await;
    let bob = f.login("9996614568", 2).await;
    let check = |name: &str| functions::account::CheckUsername {
        username: name.into(),
    };
    let update = |name: &str| functions::account::UpdateUsername {
        username: name.into(),
    };
    assert_eq!(
        f.err(1, Some(alice), check("1bad")).await,
        "USERNAME_INVALID"
    );
    assert!(f.ok::<bool>(1, Some(alice), check("alice_x")).await);
    let user: enums::User = f.ok(1, Some(alice), update("alice_x")).await;
    assert_eq!(user_of(&user).username.as_deref(), Some("alice_x"));
    assert_eq!(
        f.err(1, Some(alice), update("alice_x")).await,
        "USERNAME_NOT_MODIFIED"
    );
    assert!(!f.ok::<bool>(2, Some(bob), check("alice_x")).await);
    assert_eq!(
        f.err(2, Some(bob), update("alice_x")).await,
        "USERNAME_OCCUPIED"
    );
}

#[tokio::test]
async fn contacts_import_resolve_block_with_access_hashes() {
    let f = fixture();
    let alice = f.login("9996615001", 1).await;
    let bob = f.login("9996615002", 2).await;
    let _: enums::User = f
        .ok(
            2,
            Some(bob),
            functions::account::UpdateUsername {
                username: "bobby".into(),
            },
        )
        .await;

    let enums::contacts::ImportedContacts::ImportedContacts(imported) = f
        .ok(
            1,
            Some(alice),
            functions::contacts::ImportContacts {
                contacts: vec![
                    enums::InputContact::InputPhoneContact(types::InputPhoneContact {
                        client_id: 77,
                        phone: "+999 66 15002".into(),
                        first_name: "Bob".into(),
                        last_name: String::new(),
                        note: None,
                    }),
                    enums::InputContact::InputPhoneContact(types::InputPhoneContact {
                        client_id: 78,
                        phone: "9996615999".into(),
                        first_name: "Nobody".into(),
                        last_name: String::new(),
                        note: None,
                    }),
                ],
            },
        )
        .await;
    assert_eq!(imported.imported.len(), 1);
    let bob_hash = user_of(&imported.users[0]).access_hash.expect("hash");

    let enums::contacts::Contacts::Contacts(list) = f
        .ok(1, Some(alice), functions::contacts::GetContacts { hash: 0 })
        .await
    else {
        panic!("contacts expected");
    };
    assert_eq!(list.contacts.len(), 1);
    // Telegram's hash of a one-id list is the id itself (the mixing steps of 0 give 0).
    let hash = bob;
    let not_modified: enums::contacts::Contacts = f
        .ok(1, Some(alice), functions::contacts::GetContacts { hash })
        .await;
    assert!(matches!(
        not_modified,
        enums::contacts::Contacts::ContactsNotModified(_)
    ));

    let enums::contacts::ResolvedPeer::ResolvedPeer(resolved) = f
        .ok(
            1,
            Some(alice),
            functions::contacts::ResolveUsername {
                username: "bobby".into(),
                referer: None,
            },
        )
        .await;
    assert_eq!(user_of(&resolved.users[0]).access_hash, Some(bob_hash));
    assert_eq!(
        f.err(
            1,
            Some(alice),
            functions::contacts::ResolveUsername {
                username: "nobody_here".into(),
                referer: None
            }
        )
        .await,
        "USERNAME_NOT_OCCUPIED"
    );

    let peer = |access_hash| {
        enums::InputPeer::InputPeerUser(types::InputPeerUser {
            user_id: bob,
            access_hash,
        })
    };
    let block = |access_hash| functions::contacts::Block {
        my_stories_from: false,
        id: peer(access_hash),
    };
    assert_eq!(
        f.err(1, Some(alice), block(bob_hash ^ 1)).await,
        "PEER_ID_INVALID"
    );
    assert!(f.ok::<bool>(1, Some(alice), block(bob_hash)).await);
    let blocked: enums::contacts::Blocked = f
        .ok(
            1,
            Some(alice),
            functions::contacts::GetBlocked {
                my_stories_from: false,
                offset: 0,
                limit: 10,
            },
        )
        .await;
    let enums::contacts::Blocked::Blocked(blocked) = blocked else {
        panic!("full list expected");
    };
    assert_eq!(blocked.blocked.len(), 1);

    let bad_user = enums::InputUser::InputUser(types::InputUser {
        user_id: bob,
        access_hash: bob_hash ^ 1,
    });
    assert_eq!(
        f.err(
            1,
            Some(alice),
            functions::contacts::DeleteContacts { id: vec![bad_user] }
        )
        .await,
        "USER_ID_INVALID"
    );
    let good_user = enums::InputUser::InputUser(types::InputUser {
        user_id: bob,
        access_hash: bob_hash,
    });
    let _: enums::Updates = f
        .ok(
            1,
            Some(alice),
            functions::contacts::DeleteContacts {
                id: vec![good_user],
            },
        )
        .await;
    assert_eq!(
        f.err(
            1,
            Some(alice),
            functions::contacts::ResolvePhone {
                phone: "9996615999".into()
            }
        )
        .await,
        "PHONE_NOT_OCCUPIED"
    );
}

#[tokio::test]
async fn profile_status_search_and_password_offer() {
    let f = fixture();
    let alice = f.login("9996616001", 1).await;
    let bob = f.login("9996616002", 2).await;
    let user: enums::User = f
        .ok(
            1,
            Some(alice),
            functions::account::UpdateProfile {
                first_name: Some("Alice".into()),
                last_name: Some("Liddell".into()),
                about: None,
            },
        )
        .await;
    assert_eq!(user_of(&user).first_name.as_deref(), Some("Alice"));
    let empty_name = functions::account::UpdateProfile {
        first_name: Some(" ".into()),
        last_name: None,
        about: None,
    };
    assert_eq!(f.err(1, Some(alice), empty_name).await, "FIRSTNAME_INVALID");

    let offline = functions::account::UpdateStatus { offline: true };
    assert!(f.ok::<bool>(1, Some(alice), offline).await);

    let enums::contacts::Found::Found(found) = f
        .ok(
            2,
            Some(bob),
            functions::contacts::Search {
                broadcasts: false,
                bots: false,
                q: "Alic".into(),
                limit: 10,
            },
        )
        .await;
    assert_eq!(found.results.len(), 1);
    assert!(found.my_results.is_empty());
    let seen = user_of(&found.users[0]);
    assert_eq!(seen.id, alice);
    assert!(seen.phone.is_none(), "another user's phone stays private");
    assert!(matches!(
        seen.status,
        Some(enums::UserStatus::UserStatusOffline(_))
    ));

    let offer = f.get_password(2, Some(bob)).await;
    let algo = srp_params(&Some(offer.new_algo));
    assert_eq!((algo.salt1.len(), algo.salt2.len(), algo.g), (8, 16, 3));
    assert_eq!(algo.p.len(), 256);
    assert_eq!(offer.secure_random.len(), 256);
    assert!(offer.srp_id.is_none() && offer.current_algo.is_none());
}

#[tokio::test]
async fn status_changes_reach_the_users_who_have_the_caller_as_a_contact() {
    let f = fixture();
    let alice = f.login("9996617001", 1).await;
    let bob = f.login("9996617002", 2).await;
    let _carol = f.login("9996617003", 3).await;
    let import = functions::contacts::ImportContacts {
        contacts: vec![enums::InputContact::InputPhoneContact(
            types::InputPhoneContact {
                client_id: 1,
                phone: "9996617001".into(),
                first_name: "Alice".into(),
                last_name: String::new(),
                note: None,
            },
        )],
    };
    let _: enums::contacts::ImportedContacts = f.ok(2, Some(bob), import).await;
    f.fanout.take();

    for offline in [false, true] {
        let status = functions::account::UpdateStatus { offline };
        assert!(f.ok::<bool>(1, Some(alice), status).await);
        let pushed = f.fanout.take();
        assert_eq!(
            pushed.len(),
            1,
            "only Bob has Alice as a contact: {pushed:?}"
        );
        let (target, updates) = &pushed[0];
        assert_eq!(
            *target,
            chappe_api::PushTarget::User {
                user_id: bob,
                except: None
            }
        );
        let enums::Updates::UpdateShort(short) = updates else {
            panic!("expected updateShort, got {updates:?}");
        };
        let enums::Update::UpdateUserStatus(update) = &short.update else {
            panic!("expected updateUserStatus, got {:?}", short.update);
        };
        assert_eq!(update.user_id, alice);
        let expected_online = !offline;
        assert_eq!(
            matches!(update.status, enums::UserStatus::UserStatusOnline(_)),
            expected_online
        );
        if let enums::UserStatus::UserStatusOffline(off) = &update.status {
            assert_eq!(i64::from(off.was_online), common::NOW, "last seen is now");
        }
    }

    // The runtime reports a closed last connection: an online user goes offline once.
    let online = functions::account::UpdateStatus { offline: false };
    assert!(f.ok::<bool>(1, Some(alice), online).await);
    f.fanout.take();
    f.api
        .went_offline(alice, common::NOW + 10)
        .await
        .expect("offline");
    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert!(matches!(
        &pushed[0].1,
        enums::Updates::UpdateShort(short) if matches!(
            &short.update,
            enums::Update::UpdateUserStatus(u)
                if matches!(u.status, enums::UserStatus::UserStatusOffline(_))
        )
    ));
    f.api
        .went_offline(alice, common::NOW + 20)
        .await
        .expect("offline");
    assert!(
        f.fanout.take().is_empty(),
        "already offline: nothing to tell"
    );
}
