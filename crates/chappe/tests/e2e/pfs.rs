//! Temporary (PFS) keys through the real binary: `auth.bindTempAuthKey` tells a temporary
//! key from a permanent one, and a temporary key bound to a logged-in permanent key acts
//! as that login (the user, and `auth.logOut` logs the permanent key out). The binding
//! itself is written into the store between two runs, since our client cannot build a
//! binding message (it must carry the msg_id the session assigns later); the API tests
//! cover the message checks with real MTProto 1.0 encryption.

use chappe_client::{InnerDataKind, InvocationError};
use chappe_store::{RedbStore, Store};
use chappe_tl::api::{enums, functions, types};

use super::support::{within, TestServer};

const PHONE: &str = "9996610077";
const TEST_CODE: &str = "11111";

fn get_self() -> functions::users::GetUsers {
    functions::users::GetUsers {
        id: vec![enums::InputUser::InputUserSelf(types::InputUserSelf)],
    }
}

fn bind(perm_auth_key_id: i64) -> functions::auth::BindTempAuthKey {
    functions::auth::BindTempAuthKey {
        perm_auth_key_id,
        nonce: 1,
        expires_at: i32::MAX,
        encrypted_message: vec![0; 104],
    }
}

fn self_id(users: &[enums::User]) -> i64 {
    match users.first() {
        Some(enums::User::User(user)) => user.id,
        other => panic!("no self user: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bound_temporary_key_acts_as_the_permanent_login() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());

    let perm = server.connect(server.config()).await;
    let enums::auth::SentCode::SentCode(sent) = within(
        "sendCode",
        perm.invoke(&functions::auth::SendCode {
            phone_number: format!("+{PHONE}"),
            api_id: 1,
            api_hash: "0123456789abcdef0123456789abcdef".into(),
            settings: types::CodeSettings::default().into(),
        }),
    )
    .await
    .expect("code sent") else {
        panic!("a code is sent");
    };
    within(
        "signIn",
        perm.invoke(&functions::auth::SignIn {
            phone_number: PHONE.into(),
            phone_code_hash: sent.phone_code_hash,
            phone_code: Some(TEST_CODE.into()),
            email_verification: None,
        }),
    )
    .await
    .expect("signed in");
    let user = self_id(
        &within("getUsers", perm.invoke(&get_self()))
            .await
            .expect("me"),
    );
    let (perm_key, perm_salt) = (perm.auth_key().clone(), perm.salt());

    let temp = server
        .connect(
            server
                .config()
                .inner_data(InnerDataKind::Temp { expires_in: 3600 }),
        )
        .await;
    let (temp_key, temp_salt) = (temp.auth_key().clone(), temp.salt());
    let error = within("getUsers", temp.invoke(&get_self()))
        .await
        .expect_err("a fresh temporary key has no login");
    assert!(error.is_rpc(401, "AUTH_KEY_UNREGISTERED"), "{error:?}");

    // The runtime tells the API which key is temporary.
    let error = within("bind on perm", perm.invoke(&bind(perm_key.id())))
        .await
        .expect_err("not on a permanent key");
    assert!(error.is_rpc(400, "TEMP_AUTH_KEY_EMPTY"), "{error:?}");
    let error: InvocationError = within("bind on temp", temp.invoke(&bind(perm_key.id())))
        .await
        .expect_err("garbage binding message");
    assert!(error.is_rpc(400, "ENCRYPTED_MESSAGE_INVALID"), "{error:?}");
    perm.disconnect().await;
    temp.disconnect().await;
    let data_dir = server.kill();

    {
        let store = RedbStore::open(data_dir.join("chappe.redb")).expect("open store");
        let mut record = store
            .get_auth_key(temp_key.id())
            .await
            .expect("read")
            .expect("the temporary key is stored");
        record.perm_key_id = Some(perm_key.id());
        store.put_auth_key(record).await.expect("bind");
    }

    let server = TestServer::start(&data_dir);
    let temp = server
        .connect(server.config().resume(temp_key, temp_salt))
        .await;
    let me = within("getUsers", temp.invoke(&get_self()))
        .await
        .expect("the bound key is logged in");
    assert_eq!(self_id(&me), user);
    // Logging out on the temporary key ends the permanent key's login.
    within("logOut", temp.invoke(&functions::auth::LogOut))
        .await
        .expect("logged out");
    temp.disconnect().await;
    let perm = server
        .connect(server.config().resume(perm_key, perm_salt))
        .await;
    let error = within("getUsers", perm.invoke(&get_self()))
        .await
        .expect_err("logged out");
    assert!(error.is_rpc(401, "AUTH_KEY_UNREGISTERED"), "{error:?}");
    perm.disconnect().await;
}
