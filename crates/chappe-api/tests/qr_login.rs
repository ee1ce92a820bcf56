//! Login by QR code through `Api::handle`: export, accept, the push to the waiting
//! auth key, the second export, and the error cases.

mod common;

use chappe_api::PushTarget;
use chappe_store::PasswordRecord;
use chappe_tl::api::{enums, functions, types};
use common::{fixture, user_id_of_auth, Fixture, NOW};

const EXPORTER: i64 = 2;
const PHONE: &str = "9996613456";

fn export() -> functions::auth::ExportLoginToken {
    functions::auth::ExportLoginToken {
        api_id: 1,
        api_hash: "x".into(),
        except_ids: Vec::new(),
    }
}

async fn token(f: &Fixture) -> Vec<u8> {
    match f.ok(EXPORTER, None, export()).await {
        enums::auth::LoginToken::LoginToken(t) => {
            assert_eq!(i64::from(t.expires), NOW + 30);
            assert_eq!(t.token.len(), 32);
            t.token
        }
        other => panic!("expected a token, got {other:?}"),
    }
}

#[tokio::test]
async fn accepted_token_logs_the_other_device_in() {
    let f = fixture();
    let user = f.login(PHONE, 1).await;
    f.add_key(EXPORTER).await;
    let token = token(&f).await;
    f.fanout.take();

    let auth: enums::Authorization = f
        .ok(
            1,
            Some(user),
            functions::auth::AcceptLoginToken {
                token: token.clone(),
            },
        )
        .await;
    let enums::Authorization::Authorization(auth) = auth;
    assert!(!auth.current);
    assert_ne!(auth.hash, 0);

    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 1);
    assert_eq!(pushed[0].0, PushTarget::AuthKey(EXPORTER));
    assert!(matches!(
        &pushed[0].1,
        enums::Updates::UpdateShort(types::UpdateShort {
            update: enums::Update::UpdateLoginToken(_),
            ..
        })
    ));

    // The exporter is logged in now; its next export says so.
    assert_eq!(
        f.api
            .accounts()
            .user_of_auth_key(EXPORTER)
            .await
            .expect("user_of_auth_key"),
        Some(user)
    );
    match f.ok(EXPORTER, Some(user), export()).await {
        enums::auth::LoginToken::LoginTokenSuccess(s) => {
            assert_eq!(user_id_of_auth(&s.authorization), user)
        }
        other => panic!("expected success, got {other:?}"),
    }
    // The accepting device now lists the new session.
    let enums::account::Authorizations::Authorizations(list) = f
        .ok(1, Some(user), functions::account::GetAuthorizations)
        .await;
    assert_eq!(list.authorizations.len(), 2);

    assert_eq!(
        f.err(1, Some(user), functions::auth::AcceptLoginToken { token })
            .await,
        "AUTH_TOKEN_INVALID",
        "the used-up token is gone"
    );
}

#[tokio::test]
async fn bad_tokens_are_refused() {
    let f = fixture();
    let user = f.login(PHONE, 1).await;
    f.add_key(EXPORTER).await;
    assert_eq!(
        f.err(
            1,
            Some(user),
            functions::auth::AcceptLoginToken {
                token: vec![1, 2, 3]
            }
        )
        .await,
        "AUTH_TOKEN_INVALID"
    );
    assert_eq!(
        f.err(
            EXPORTER,
            None,
            functions::auth::ImportLoginToken {
                token: vec![1, 2, 3]
            }
        )
        .await,
        "AUTH_TOKEN_INVALID"
    );
    // Accepting needs a login.
    let token = token(&f).await;
    assert_eq!(
        f.err(
            3,
            None,
            functions::auth::AcceptLoginToken {
                token: token.clone()
            }
        )
        .await,
        "AUTH_KEY_UNREGISTERED"
    );
    f.ok::<enums::Authorization>(
        1,
        Some(user),
        functions::auth::AcceptLoginToken {
            token: token.clone(),
        },
    )
    .await;
    assert_eq!(
        f.err(1, Some(user), functions::auth::AcceptLoginToken { token })
            .await,
        "AUTH_TOKEN_ALREADY_ACCEPTED"
    );
}

#[tokio::test]
async fn a_password_account_needs_the_password_after_accepting() {
    let f = fixture();
    let user = f.login(PHONE, 1).await;
    f.store
        .put_password(
            user,
            PasswordRecord {
                srp_salt1: vec![1],
                srp_salt2: vec![2],
                srp_g: 3,
                srp_p: vec![4],
                verifier: vec![5],
                srp_id: 6,
                hint: "hint".into(),
                email: None,
                updated_at: NOW,
            },
        )
        .await
        .expect("put_password");
    f.add_key(EXPORTER).await;
    let token = token(&f).await;
    f.ok::<enums::Authorization>(1, Some(user), functions::auth::AcceptLoginToken { token })
        .await;
    let err = f
        .call(EXPORTER, None, export())
        .await
        .err()
        .expect("password needed");
    assert_eq!(
        (err.code, err.message.as_str()),
        (401, "SESSION_PASSWORD_NEEDED")
    );
    // The password check now knows whose password this key must prove.
    assert_eq!(
        f.api.accounts().pending_password_user(EXPORTER, NOW),
        Some(user)
    );
    assert_eq!(
        f.api
            .accounts()
            .user_of_auth_key(EXPORTER)
            .await
            .expect("user_of_auth_key"),
        None
    );
}
