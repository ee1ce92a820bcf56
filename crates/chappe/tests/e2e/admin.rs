//! `chappe user ...` on a stopped server's data directory: an added account is the one a
//! client then signs in to, `sessions` lists that login, `ban` ends it and locks the
//! account out across a restart, and every command refuses while the server runs.

use std::path::Path;
use std::process::{Command, Output};

use chappe_tl::api::{enums, functions, types};

use super::support::{within, TestServer, CHAPPE};

/// A Telegram test number: its login code is always 11111, so no code delivery is needed.
const PHONE: &str = "9996610001";
const TEST_CODE: &str = "11111";

/// Runs `chappe user <args> --data <data>`.
fn user(data: &Path, args: &[&str]) -> Output {
    Command::new(CHAPPE)
        .arg("user")
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .expect("chappe user runs")
}

/// Runs a `chappe user` command that must succeed and returns its stdout.
fn user_ok(data: &Path, args: &[&str]) -> String {
    let output = user(data, args);
    assert!(output.status.success(), "chappe user {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Runs a `chappe user` command that must fail and returns its stderr.
fn user_err(data: &Path, args: &[&str]) -> String {
    let output = user(data, args);
    assert!(
        !output.status.success(),
        "chappe user {args:?} should fail: {output:?}"
    );
    String::from_utf8(output.stderr).expect("UTF-8 output")
}

fn get_self() -> functions::users::GetUsers {
    functions::users::GetUsers {
        id: vec![enums::InputUser::InputUserSelf(types::InputUserSelf)],
    }
}

fn send_code() -> functions::auth::SendCode {
    functions::auth::SendCode {
        phone_number: format!("+{PHONE}"),
        api_id: 1,
        api_hash: "0123456789abcdef0123456789abcdef".into(),
        settings: types::CodeSettings::default().into(),
    }
}

#[test]
fn add_list_and_refuse_duplicates_and_bad_input() {
    let data = tempfile::tempdir().expect("temp dir");
    let id: i64 = user_ok(
        data.path(),
        &["add", "--phone", "+1 (555) 010-0001", "--first-name", "Ada"],
    )
    .trim()
    .parse()
    .expect("user add prints the id");
    let second: i64 = user_ok(
        data.path(),
        &[
            "add",
            "--phone",
            "15550100002",
            "--first-name",
            "Grace",
            "--last-name",
            "Hopper",
        ],
    )
    .trim()
    .parse()
    .expect("user add prints the id");
    assert!(second > id);

    // The same number written differently is the same number.
    let err = user_err(
        data.path(),
        &["add", "--phone", "15550100001", "--first-name", "Eve"],
    );
    assert!(err.contains("already registered"), "{err}");
    let err = user_err(
        data.path(),
        &["add", "--phone", "12ab", "--first-name", "X"],
    );
    assert!(err.contains("invalid phone number"), "{err}");
    let err = user_err(
        data.path(),
        &["add", "--phone", "15550100003", "--first-name", "  "],
    );
    assert!(err.contains("first name"), "{err}");
    let err = user_err(data.path(), &["ban", "15550109999"]);
    assert!(err.contains("no account"), "{err}");

    let list = user_ok(data.path(), &["list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{id}\t+15550100001\tAda\t-\tactive"),
            format!("{second}\t+15550100002\tGrace Hopper\t-\tactive"),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_added_account_signs_in_and_a_ban_ends_its_session() {
    let data = tempfile::tempdir().expect("temp dir");
    let id: i64 = user_ok(
        data.path(),
        &[
            "add",
            "--phone",
            PHONE,
            "--first-name",
            "Ada",
            "--last-name",
            "L",
        ],
    )
    .trim()
    .parse()
    .expect("user add prints the id");

    let server = TestServer::start(data.path());
    // The store is the server's while it runs: every command says so and changes nothing.
    for args in [&["list"][..], &["ban", PHONE], &["sessions", PHONE]] {
        let err = user_err(data.path(), args);
        assert!(
            err.contains("the server is running on this data directory; stop it first"),
            "{err}"
        );
    }

    // A test-number login lands on the account made above, not on a fresh one.
    let client = server.connect(server.config()).await;
    let enums::auth::SentCode::SentCode(sent) = within("sendCode", client.invoke(&send_code()))
        .await
        .expect("code sent")
    else {
        panic!("a code is sent");
    };
    let sign_in = functions::auth::SignIn {
        phone_number: PHONE.into(),
        phone_code_hash: sent.phone_code_hash,
        phone_code: Some(TEST_CODE.into()),
        email_verification: None,
    };
    let authorization = within("signIn", client.invoke(&sign_in))
        .await
        .expect("signed in");
    let enums::auth::Authorization::Authorization(authorization) = authorization else {
        panic!("the account exists, so no sign-up: {authorization:?}");
    };
    let enums::User::User(me) = authorization.user else {
        panic!("a full user");
    };
    assert_eq!((me.id, me.first_name.as_deref()), (id, Some("Ada")));
    let key = client.auth_key().clone();
    let salt = client.salt();
    client.disconnect().await;
    let data_dir = server.kill();

    let sessions = user_ok(&data_dir, &["sessions", PHONE]);
    assert_eq!(sessions.lines().count(), 1, "{sessions}");
    assert!(sessions.starts_with("hash="), "{sessions}");

    let banned = user_ok(&data_dir, &["ban", &format!("+{PHONE}")]);
    assert!(banned.contains("1 session(s) ended"), "{banned}");
    assert_eq!(user_ok(&data_dir, &["sessions", PHONE]), "no sessions\n");
    let list = user_ok(&data_dir, &["list"]);
    assert_eq!(list, format!("{id}\t+{PHONE}\tAda L\t-\tbanned\n"));

    // After a restart the old key is logged out and the number cannot log in again.
    let server = TestServer::start(&data_dir);
    let client = server.connect(server.config().resume(key, salt)).await;
    let error = within("getUsers", client.invoke(&get_self()))
        .await
        .expect_err("the ban logged the key out");
    assert!(error.is_rpc(401, "AUTH_KEY_UNREGISTERED"), "{error:?}");
    let error = within("sendCode", client.invoke(&send_code()))
        .await
        .expect_err("banned");
    assert!(error.is_rpc(400, "PHONE_NUMBER_BANNED"), "{error:?}");
    client.disconnect().await;
    let data_dir = server.kill();

    let unbanned = user_ok(&data_dir, &["unban", PHONE]);
    assert!(
        unbanned.contains(&format!("unbanned user {id}")),
        "{unbanned}"
    );
    let list = user_ok(&data_dir, &["list"]);
    assert_eq!(list, format!("{id}\t+{PHONE}\tAda L\t-\tactive\n"));
}
