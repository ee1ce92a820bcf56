//! Login flows: test numbers, sign-up, bad codes, flood limits, passwords,
//! bans.

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use chappe_core::{AccountError, AccountsConfig, CodeKind, FloodRule, SignInOutcome};
use chappe_store::{MemoryStore, PasswordRecord, RedbStore, Store};
use common::{fixture, fixture_with, rpc, NOW};

#[tokio::test]
async fn test_number_login_creates_the_account_once() {
    let f = fixture();
    let sent = f
        .accounts
        .send_code("+999 66 1 0001", None, NOW)
        .await
        .expect("send");
    assert_eq!(sent.code_kind, CodeKind::App);
    assert_eq!(f.delivery.count(), 0, "test numbers get no delivery");

    let first = f.login_test_number("9996610001", 1).await;
    assert_eq!(first.first_name, "Test 0001");
    assert_eq!(first.phone, "9996610001");
    let again = f.login_test_number("+9996610001", 2).await;
    assert_eq!(again, first);
    assert_eq!(
        f.accounts.user_of_auth_key(1).await.ok(),
        Some(Some(first.id))
    );
    assert_eq!(
        f.accounts.user_of_auth_key(2).await.ok(),
        Some(Some(first.id))
    );
    assert_eq!(
        f.store.list_users(0, 10).await.map(|u| u.len()).ok(),
        Some(1)
    );
}

#[tokio::test]
async fn test_number_codes_are_not_stored_and_work_once() {
    let f = fixture();
    f.add_key(1).await;
    let sent = f
        .accounts
        .send_code("9996610007", None, NOW)
        .await
        .expect("send");
    let hash = sent.phone_code_hash;
    assert_eq!(f.store.get_phone_code(&hash).await.ok(), Some(None));
    let sign_in = |phone: &'static str, hash: String, code: &'static str, at: i64| {
        let accounts = &f.accounts;
        async move { accounts.sign_in(phone, &hash, code, 1, None, at).await }
    };
    assert_eq!(
        rpc(sign_in("9996610007", hash.clone(), "22222", NOW).await),
        "PHONE_CODE_INVALID"
    );
    assert_eq!(
        rpc(sign_in("9996610008", hash.clone(), "11111", NOW).await),
        "PHONE_CODE_EXPIRED",
        "issued for another number"
    );
    assert_eq!(
        rpc(sign_in("9996610007", hash.clone(), "11111", NOW + 300).await),
        "PHONE_CODE_EXPIRED",
        "past its lifetime"
    );
    let user = match sign_in("9996610007", hash.clone(), "11111", NOW + 1).await {
        Ok(SignInOutcome::Authorized(user)) => user,
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(
        f.accounts.user_of_auth_key(1).await.ok(),
        Some(Some(user.id))
    );
    let bound = f.store.get_auth_key(1).await.expect("get").expect("key");
    assert_eq!(bound.user_id, Some(user.id), "bound in the store");
    assert_eq!(
        rpc(sign_in("9996610007", hash.clone(), "11111", NOW + 2).await),
        "PHONE_CODE_EXPIRED",
        "used up"
    );

    let resend = f.accounts.resend_code("9996610007", &hash, NOW + 3).await;
    assert_eq!(rpc(resend), "PHONE_CODE_EXPIRED", "used up");

    // Every send is a new hash; resend gives one with a new lifetime;
    // cancel uses a hash up.
    let first = f
        .accounts
        .send_code("9996610007", None, NOW)
        .await
        .expect("send");
    let second = f
        .accounts
        .send_code("9996610007", None, NOW)
        .await
        .expect("send");
    assert_ne!(first.phone_code_hash, second.phone_code_hash);
    let again = f
        .accounts
        .resend_code("9996610007", &first.phone_code_hash, NOW + 200)
        .await
        .expect("resend");
    assert_ne!(again.phone_code_hash, first.phone_code_hash);
    assert_eq!(
        f.accounts
            .cancel_code("9996610007", &again.phone_code_hash)
            .await
            .ok(),
        Some(true)
    );
    assert_eq!(
        f.accounts
            .cancel_code("9996610007", &again.phone_code_hash)
            .await
            .ok(),
        Some(false)
    );
    let cancelled = f
        .accounts
        .sign_in(
            "9996610007",
            &again.phone_code_hash,
            "11111",
            1,
            None,
            NOW + 201,
        )
        .await;
    assert_eq!(rpc(cancelled), "PHONE_CODE_EXPIRED");
}

#[tokio::test]
async fn test_numbers_can_be_turned_off() {
    let config = AccountsConfig {
        test_numbers: false,
        ..AccountsConfig::default()
    };
    let f = fixture_with(config, Arc::new(MemoryStore::new()));
    let (sent, _) = f.send_code("9996610001", NOW).await;
    assert_eq!(sent.code_kind, CodeKind::Sms);
    assert_eq!(f.delivery.count(), 1);
    f.add_key(1).await;
    let err = f
        .sign_in("9996610001", &sent.phone_code_hash, "11111", 1, NOW)
        .await;
    assert_eq!(rpc(err), "PHONE_CODE_INVALID");
}

#[tokio::test]
async fn new_number_needs_sign_up_then_logs_in() {
    let f = fixture();
    f.add_key(1).await;
    let (sent, code) = f.send_code("+1 555 000 1", NOW).await;
    assert_eq!(sent.code_kind, CodeKind::Sms);
    assert_eq!(sent.timeout_secs, 60);
    assert_eq!(code.len(), 5);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let hash = sent.phone_code_hash;
    let outcome = f.sign_in("15550001", &hash, &code, 1, NOW).await;
    assert_eq!(outcome.ok(), Some(SignInOutcome::SignUpRequired));
    assert_eq!(f.accounts.user_of_auth_key(1).await.ok(), Some(None));

    let sign_up = |first: &'static str, key: i64| {
        let (accounts, hash) = (&f.accounts, hash.clone());
        async move {
            accounts
                .sign_up("15550001", &hash, first, "Lovelace", key, NOW + 1)
                .await
        }
    };
    assert_eq!(rpc(sign_up("  ", 1).await), "FIRSTNAME_INVALID");
    assert_eq!(
        rpc(sign_up("A", 2).await),
        "PHONE_CODE_EXPIRED",
        "other auth key"
    );
    let long = f
        .accounts
        .sign_up("15550001", &hash, &"x".repeat(65), "", 1, NOW)
        .await;
    assert_eq!(rpc(long), "FIRSTNAME_INVALID");
    let wrong_phone = f
        .accounts
        .sign_up("15550002", &hash, "Ada", "", 1, NOW)
        .await;
    assert_eq!(rpc(wrong_phone), "PHONE_CODE_INVALID");

    let user = sign_up("Ada", 1).await.expect("sign up");
    assert_eq!(
        (user.first_name.as_str(), user.last_name.as_str()),
        ("Ada", "Lovelace")
    );
    assert_eq!(
        f.accounts.user_of_auth_key(1).await.ok(),
        Some(Some(user.id))
    );
    assert_eq!(
        rpc(sign_up("Ada", 1).await),
        "PHONE_CODE_EXPIRED",
        "used up"
    );

    // The next login of that number goes straight in, and delivery is told
    // the number has an account.
    f.add_key(3).await;
    let (sent, code) = f.send_code("15550001", NOW + 5).await;
    let delivered = f.delivery.sent.lock().expect("lock").last().cloned();
    assert_eq!(delivered.and_then(|(_, _, user)| user), Some(user.id));
    let outcome = f
        .sign_in("15550001", &sent.phone_code_hash, &code, 3, NOW + 6)
        .await;
    assert_eq!(outcome.ok(), Some(SignInOutcome::Authorized(user)));
}

#[tokio::test]
async fn sign_up_of_a_taken_number_is_occupied() {
    let f = fixture();
    // Two devices both get "sign up required" for the same new number.
    let mut hashes = Vec::new();
    for key in [1, 2] {
        let (sent, outcome) = f.start_login("15550009", key).await;
        assert_eq!(outcome, SignInOutcome::SignUpRequired);
        hashes.push(sent.phone_code_hash);
    }
    f.accounts
        .sign_up("15550009", &hashes[0], "A", "", 1, NOW)
        .await
        .expect("first");
    let second = f
        .accounts
        .sign_up("15550009", &hashes[1], "B", "", 2, NOW)
        .await;
    assert_eq!(rpc(second), "PHONE_NUMBER_OCCUPIED");
}

#[tokio::test]
async fn wrong_expired_and_used_codes() {
    let f = fixture();
    f.add_key(1).await;
    let (sent, code) = f.send_code("15550001", NOW).await;
    let hash = sent.phone_code_hash;
    let wrong = if code == "00000" { "00001" } else { "00000" };

    let sign_in = |phone: &'static str, hash: String, code: String, at: i64| {
        let accounts = &f.accounts;
        async move { accounts.sign_in(phone, &hash, &code, 1, None, at).await }
    };
    assert_eq!(
        rpc(sign_in("15550001", hash.clone(), wrong.into(), NOW).await),
        "PHONE_CODE_INVALID"
    );
    assert_eq!(
        rpc(sign_in("15550001", String::new(), code.clone(), NOW).await),
        "PHONE_CODE_HASH_EMPTY"
    );
    assert_eq!(
        rpc(sign_in("15550001", hash.clone(), String::new(), NOW).await),
        "PHONE_CODE_EMPTY"
    );
    assert_eq!(
        rpc(sign_in("12ab", hash.clone(), code.clone(), NOW).await),
        "PHONE_NUMBER_INVALID"
    );
    assert_eq!(
        rpc(sign_in("15550002", hash.clone(), code.clone(), NOW).await),
        "PHONE_CODE_INVALID"
    );
    assert_eq!(
        rpc(sign_in("15550001", "nope".into(), code.clone(), NOW).await),
        "PHONE_CODE_EXPIRED"
    );

    // Right code after a wrong one still works; then it is used up.
    let outcome = sign_in("15550001", hash.clone(), code.clone(), NOW + 10).await;
    assert_eq!(outcome.ok(), Some(SignInOutcome::SignUpRequired));
    assert_eq!(
        rpc(sign_in("15550001", hash, code, NOW + 11).await),
        "PHONE_CODE_EXPIRED"
    );

    // A code is dead from its expiry on.
    let (sent, code) = f.send_code("15550001", NOW).await;
    let late = sign_in("15550001", sent.phone_code_hash.clone(), code, NOW + 300).await;
    assert_eq!(rpc(late), "PHONE_CODE_EXPIRED");
    assert_eq!(
        f.store.get_phone_code(&sent.phone_code_hash).await.ok(),
        Some(None)
    );
}

#[tokio::test]
async fn too_many_wrong_guesses_kill_the_code() {
    let f = fixture();
    f.add_key(1).await;
    let (sent, code) = f.send_code("15550001", NOW).await;
    let wrong = if code == "00000" { "00001" } else { "00000" };
    for _ in 0..5 {
        let err = f
            .sign_in("15550001", &sent.phone_code_hash, wrong, 1, NOW)
            .await;
        assert_eq!(rpc(err), "PHONE_CODE_INVALID");
    }
    let err = f
        .sign_in("15550001", &sent.phone_code_hash, &code, 1, NOW)
        .await;
    assert_eq!(rpc(err), "PHONE_CODE_EXPIRED");
}

#[tokio::test]
async fn send_code_is_flood_limited_per_phone_and_ip() {
    let f = fixture();
    for i in 0..5 {
        f.accounts
            .send_code("15550001", None, NOW + i)
            .await
            .expect("send");
    }
    let err = f.accounts.send_code("15550001", None, NOW + 10).await;
    assert!(matches!(err, Err(AccountError::FloodWait(3590))), "{err:?}");
    assert_eq!(rpc(err), "FLOOD_WAIT_3590");
    // Other numbers and, after the window, the same one are fine again.
    f.accounts
        .send_code("15550002", None, NOW + 10)
        .await
        .expect("other phone");
    f.accounts
        .send_code("15550001", None, NOW + 3600)
        .await
        .expect("later");
    // Test numbers are exempt by default.
    for _ in 0..20 {
        f.accounts
            .send_code("9996610001", None, NOW)
            .await
            .expect("test number");
    }

    let config = AccountsConfig {
        send_code_per_ip: FloodRule {
            limit: 2,
            window_secs: 60,
        },
        ..AccountsConfig::default()
    };
    let f = fixture_with(config, Arc::new(MemoryStore::new()));
    let ip = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
    f.accounts.send_code("15550001", ip, NOW).await.expect("1");
    f.accounts.send_code("15550002", ip, NOW).await.expect("2");
    assert_eq!(
        rpc(f.accounts.send_code("15550003", ip, NOW).await),
        "FLOOD_WAIT_60"
    );
    let other_ip = Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)));
    f.accounts
        .send_code("15550003", other_ip, NOW)
        .await
        .expect("other ip");
}

#[tokio::test]
async fn sign_in_is_flood_limited_per_ip() {
    let config = AccountsConfig {
        sign_in_per_ip: FloodRule {
            limit: 3,
            window_secs: 60,
        },
        ..AccountsConfig::default()
    };
    let f = fixture_with(config, Arc::new(MemoryStore::new()));
    f.add_key(1).await;
    let (sent, _) = f.send_code("15550001", NOW).await;
    let ip = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
    for _ in 0..3 {
        let err = f
            .accounts
            .sign_in("15550001", &sent.phone_code_hash, "x", 1, ip, NOW)
            .await;
        assert_eq!(rpc(err), "PHONE_CODE_INVALID");
    }
    let err = f
        .accounts
        .sign_in("15550001", &sent.phone_code_hash, "x", 1, ip, NOW + 1)
        .await;
    assert_eq!(rpc(err), "FLOOD_WAIT_59");
}

#[tokio::test]
async fn failed_delivery_is_reported() {
    let f = fixture();
    *f.delivery.fail.lock().expect("lock") = true;
    let err = f.accounts.send_code("15550001", None, NOW).await;
    assert_eq!(
        err.as_ref().map_err(AccountError::rpc_name).err(),
        Some((406, "SEND_CODE_UNAVAILABLE".into()))
    );
}

#[tokio::test]
async fn resend_and_cancel() {
    let f = fixture();
    f.add_key(1).await;
    let (sent, code) = f.send_code("15550001", NOW).await;
    let again = f
        .accounts
        .resend_code("15550001", &sent.phone_code_hash, NOW + 200)
        .await
        .expect("resend");
    assert_eq!(again.phone_code_hash, sent.phone_code_hash);
    assert_eq!(f.delivery.count(), 2);
    assert_eq!(f.delivery.last_code(), code);
    // The resend restarted the lifetime.
    let outcome = f
        .sign_in("15550001", &sent.phone_code_hash, &code, 1, NOW + 400)
        .await;
    assert_eq!(outcome.ok(), Some(SignInOutcome::SignUpRequired));

    let (sent, _) = f.send_code("15550001", NOW).await;
    let wrong_phone = f
        .accounts
        .cancel_code("15550002", &sent.phone_code_hash)
        .await;
    assert_eq!(rpc(wrong_phone), "PHONE_CODE_INVALID");
    assert_eq!(
        f.accounts
            .cancel_code("15550001", &sent.phone_code_hash)
            .await
            .ok(),
        Some(true)
    );
    assert_eq!(
        f.accounts
            .cancel_code("15550001", &sent.phone_code_hash)
            .await
            .ok(),
        Some(false)
    );
    let resend = f
        .accounts
        .resend_code("15550001", &sent.phone_code_hash, NOW)
        .await;
    assert_eq!(rpc(resend), "PHONE_CODE_EXPIRED");
}

fn password() -> PasswordRecord {
    PasswordRecord {
        srp_salt1: vec![1; 40],
        srp_salt2: vec![2; 16],
        srp_g: 3,
        srp_p: vec![0xc7; 256],
        verifier: vec![5; 256],
        srp_id: 1,
        hint: "hint".into(),
        email: None,
        updated_at: NOW,
    }
}

#[tokio::test]
async fn password_needed_binds_only_after_the_password_check() {
    let f = fixture();
    let user = f.login_test_number("9996620002", 1).await;
    f.accounts
        .set_password(user.id, password())
        .await
        .expect("set");

    f.add_key(2).await;
    let (sent, code) = f.send_code("9996620002", NOW).await;
    let outcome = f
        .sign_in("9996620002", &sent.phone_code_hash, &code, 2, NOW)
        .await;
    assert_eq!(outcome.ok(), Some(SignInOutcome::PasswordNeeded(user.id)));
    assert_eq!(f.accounts.user_of_auth_key(2).await.ok(), Some(None));
    assert_eq!(f.accounts.pending_password_user(2, NOW), Some(user.id));
    assert_eq!(f.accounts.pending_password_user(3, NOW), None);
    // The pending state expires.
    assert_eq!(f.accounts.pending_password_user(2, NOW + 900), None);

    let (sent, code) = f.send_code("9996620002", NOW).await;
    f.sign_in("9996620002", &sent.phone_code_hash, &code, 2, NOW)
        .await
        .expect("sign in");
    let done = f
        .accounts
        .complete_password_login(2, NOW + 1)
        .await
        .expect("complete");
    assert_eq!(done.id, user.id);
    assert_eq!(
        f.accounts.user_of_auth_key(2).await.ok(),
        Some(Some(user.id))
    );
    assert_eq!(
        rpc(f.accounts.complete_password_login(2, NOW + 2).await),
        "AUTH_RESTART"
    );
}

#[tokio::test]
async fn banned_users_are_logged_out_and_kept_out() {
    let f = fixture();
    let user = f.login_test_number("9996610003", 1).await;
    f.login_test_number("9996610003", 2).await;
    let banned = f.accounts.ban_user("+9996610003").await.expect("ban");
    assert!(banned.banned);
    assert_eq!(f.accounts.user_of_auth_key(1).await.ok(), Some(None));
    assert_eq!(f.accounts.user_of_auth_key(2).await.ok(), Some(None));
    assert_eq!(f.store.auth_keys_of_user(user.id).await.ok(), Some(vec![]));
    assert_eq!(
        rpc(f.accounts.send_code("9996610003", None, NOW).await),
        "PHONE_NUMBER_BANNED"
    );
    assert_eq!(
        rpc(f.accounts.ban_user("15550000").await),
        "PHONE_NUMBER_UNOCCUPIED"
    );

    f.accounts.unban_user("9996610003").await.expect("unban");
    let again = f.login_test_number("9996610003", 3).await;
    assert_eq!(again.id, user.id);
}

#[tokio::test]
async fn redb_smoke_login() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = RedbStore::open(dir.path().join("chappe.redb")).expect("open");
    let store: Arc<dyn Store> = Arc::new(store);
    let f = fixture_with(AccountsConfig::default(), store);
    let user = f.login_test_number("9996630004", 1).await;
    assert_eq!(
        f.accounts.user_of_auth_key(1).await.ok(),
        Some(Some(user.id))
    );
    let signed = f.sign_up("15550001", "Ada", 2).await;
    assert_eq!(signed.id, user.id + 1);
    f.accounts
        .update_username(signed.id, "ada_l")
        .await
        .expect("username");
    assert_eq!(
        f.accounts
            .resolve_username("ADA_L")
            .await
            .ok()
            .map(|u| u.id),
        Some(signed.id)
    );
}

/// The API layer runs these futures on tokio's multi-threaded runtime, so
/// they must be `Send` (no lock guard held across an await).
#[test]
fn service_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<chappe_core::Accounts>();
    let f = fixture();
    let a = &f.accounts;
    assert_send(&a.send_code("1", None, 0));
    assert_send(&a.resend_code("1", "h", 0));
    assert_send(&a.sign_in("1", "h", "c", 1, None, 0));
    assert_send(&a.sign_up("1", "h", "f", "l", 1, 0));
    assert_send(&a.complete_password_login(1, 0));
    assert_send(&a.user_of_auth_key(1));
    assert_send(&a.log_out(1));
    assert_send(&a.authorizations(1, 1));
    assert_send(&a.reset_authorization(1, 1));
    assert_send(&a.ban_user("1"));
    assert_send(&a.update_username(1, "x"));
    assert_send(&a.import_contacts(1, Vec::new(), 0));
    assert_send(&a.blocked(1, 0, 1));
}
