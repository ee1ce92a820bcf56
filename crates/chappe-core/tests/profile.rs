//! Profiles, usernames, lookups and access hashes.

mod common;

use chappe_core::AccessHashes;
use common::{fixture, rpc};

#[tokio::test]
async fn usernames_follow_the_rules_and_are_unique() {
    let f = fixture();
    let ada = f.login_test_number("9996610001", 1).await;
    let bob = f.login_test_number("9996610002", 2).await;

    for bad in ["abc", "1abcde", "abc-de", "ab cde", &"a".repeat(33)] {
        assert_eq!(
            rpc(f.accounts.check_username(ada.id, bad).await),
            "USERNAME_INVALID",
            "{bad}"
        );
        assert_eq!(
            rpc(f.accounts.update_username(ada.id, bad).await),
            "USERNAME_INVALID"
        );
    }
    f.accounts
        .check_username(ada.id, "Ada_L")
        .await
        .expect("free");
    let named = f
        .accounts
        .update_username(ada.id, "Ada_L")
        .await
        .expect("set");
    assert_eq!(named.username.as_deref(), Some("Ada_L"));
    f.accounts
        .check_username(ada.id, "ada_l")
        .await
        .expect("own name is fine");
    assert_eq!(
        rpc(f.accounts.check_username(bob.id, "ADA_L").await),
        "USERNAME_OCCUPIED"
    );
    assert_eq!(
        rpc(f.accounts.update_username(bob.id, "ada_L").await),
        "USERNAME_OCCUPIED"
    );
    assert_eq!(
        rpc(f.accounts.update_username(ada.id, "Ada_L").await),
        "USERNAME_NOT_MODIFIED"
    );

    assert_eq!(
        f.accounts.resolve_username("@ada_l").await.ok(),
        Some(named.clone())
    );
    assert_eq!(
        rpc(f.accounts.resolve_username("nobody1").await),
        "USERNAME_NOT_OCCUPIED"
    );
    assert_eq!(
        rpc(f.accounts.resolve_username("no").await),
        "USERNAME_INVALID"
    );

    let cleared = f.accounts.update_username(ada.id, "").await.expect("clear");
    assert_eq!(cleared.username, None);
    f.accounts
        .update_username(bob.id, "ADA_L")
        .await
        .expect("freed");
}

#[tokio::test]
async fn profile_updates_and_lookups() {
    let f = fixture();
    let ada = f.login_test_number("9996610001", 1).await;
    let updated = f
        .accounts
        .update_profile(ada.id, Some(" Ada "), Some("Lovelace"), Some("math"))
        .await
        .expect("update");
    assert_eq!(
        (
            updated.first_name.as_str(),
            updated.last_name.as_str(),
            updated.about.as_str()
        ),
        ("Ada", "Lovelace", "math")
    );
    let only_about = f
        .accounts
        .update_profile(ada.id, None, None, Some(""))
        .await
        .expect("about");
    assert_eq!(only_about.first_name, "Ada");
    assert_eq!(
        rpc(f
            .accounts
            .update_profile(ada.id, Some(""), None, None)
            .await),
        "FIRSTNAME_INVALID"
    );
    assert_eq!(
        rpc(f
            .accounts
            .update_profile(ada.id, None, Some(&"l".repeat(65)), None)
            .await),
        "LASTNAME_INVALID"
    );
    assert_eq!(
        rpc(f
            .accounts
            .update_profile(ada.id, None, None, Some(&"a".repeat(71)))
            .await),
        "ABOUT_TOO_LONG"
    );
    assert_eq!(
        rpc(f.accounts.update_profile(5, None, None, None).await),
        "USER_ID_INVALID"
    );

    assert_eq!(
        f.accounts
            .resolve_phone("+999 661 0001")
            .await
            .ok()
            .map(|u| u.id),
        Some(ada.id)
    );
    assert_eq!(
        rpc(f.accounts.resolve_phone("15550000").await),
        "PHONE_NOT_OCCUPIED"
    );
    assert_eq!(
        f.accounts
            .get_users(&[ada.id, 5])
            .await
            .map(|u| u.len())
            .ok(),
        Some(1)
    );

    let bob = f.login_test_number("9996610002", 2).await;
    f.accounts
        .update_profile(bob.id, Some("Bob"), Some("Adams"), None)
        .await
        .expect("bob");
    let found: Vec<i64> = f
        .accounts
        .search("ad", 10)
        .await
        .expect("search")
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(found, vec![ada.id, bob.id]);
    assert_eq!(f.accounts.search("  ", 10).await.ok(), Some(vec![]));
    f.accounts.ban_user("9996610002").await.expect("ban");
    let found = f.accounts.search("ad", 10).await.expect("search");
    assert_eq!(found.len(), 1, "banned users are not found");

    f.accounts
        .set_last_online(ada.id, 99)
        .await
        .expect("online");
    assert_eq!(
        f.accounts
            .get_user(ada.id)
            .await
            .ok()
            .flatten()
            .map(|u| u.last_online_at),
        Some(99)
    );
}

#[test]
fn access_hashes_differ_per_viewer_and_verify() {
    let hashes = AccessHashes::new([1; 32]);
    let for_a = hashes.for_user(10, 30);
    let for_b = hashes.for_user(20, 30);
    assert_ne!(for_a, for_b);
    assert!(hashes.check(10, 30, for_a));
    assert!(!hashes.check(20, 30, for_a));
    assert!(hashes.check(20, 30, for_b));
    assert_ne!(hashes.for_authorization(1), 0);
}
