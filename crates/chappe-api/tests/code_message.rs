//! Login codes for an account that is logged in somewhere: `auth.sendCode` answers
//! `sentCodeTypeApp` and the code arrives on the logged-in devices as a message from the
//! service account 777000, with which a second device then signs in.

mod common;

use chappe_api::PushTarget;
use chappe_tl::api::{enums, functions, types};
use common::{decode, fixture_with_in_app_codes, user_id_of_auth, NOW};

const PHONE: &str = "15550107001";

fn send_code() -> functions::auth::SendCode {
    functions::auth::SendCode {
        phone_number: PHONE.into(),
        api_id: 1,
        api_hash: "x".into(),
        settings: enums::CodeSettings::CodeSettings(types::CodeSettings::default()),
    }
}

#[tokio::test]
async fn second_device_signs_in_with_the_code_777000_sent_to_the_first() {
    let f = fixture_with_in_app_codes();
    let user = f
        .store
        .create_user(PHONE, "Ana", "", NOW)
        .await
        .expect("user")
        .id;
    f.add_key(1).await;
    f.store.bind_auth_key(1, user).await.expect("logged in");
    f.add_key(2).await;

    let enums::auth::SentCode::SentCode(sent) = f.ok(2, None, send_code()).await else {
        panic!("a code, not a login");
    };
    assert!(
        matches!(sent.r#type, enums::auth::SentCodeType::SentCodeTypeApp(_)),
        "logged in elsewhere: the code goes to the app, got {:?}",
        sent.r#type
    );
    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    let (target, updates) = &pushed[0];
    assert_eq!(
        *target,
        PushTarget::User {
            user_id: user,
            except: None
        }
    );
    let enums::Updates::UpdateShortMessage(message) = updates else {
        panic!("expected updateShortMessage, got {updates:?}");
    };
    assert_eq!(message.user_id, chappe_store::SERVICE_USER_ID);
    assert!(!message.out);
    let code: String = message
        .message
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 5)
        .expect("a five-digit code in the message")
        .into();

    let signed_in = f
        .call(
            2,
            None,
            functions::auth::SignIn {
                phone_number: PHONE.into(),
                phone_code_hash: sent.phone_code_hash,
                phone_code: Some(code),
                email_verification: None,
            },
        )
        .await
        .expect("signed in with the code from 777000");
    assert_eq!(user_id_of_auth(&decode(&signed_in)), user);

    // The message is in the account's box: the first device finds it in getDifference.
    let enums::updates::Difference::Difference(diff) = f
        .ok(
            1,
            Some(user),
            functions::updates::GetDifference {
                pts: 0,
                pts_limit: None,
                pts_total_limit: None,
                date: 0,
                qts: 0,
                qts_limit: None,
            },
        )
        .await
    else {
        panic!("expected a difference");
    };
    assert_eq!(diff.new_messages.len(), 1);
}

#[tokio::test]
async fn a_number_without_a_logged_in_device_gets_the_code_by_the_hook() {
    let f = fixture_with_in_app_codes();
    let user = f
        .store
        .create_user(PHONE, "Ana", "", NOW)
        .await
        .expect("user")
        .id;
    f.add_key(2).await;
    let enums::auth::SentCode::SentCode(sent) = f.ok(2, None, send_code()).await else {
        panic!("a code, not a login");
    };
    assert!(
        matches!(sent.r#type, enums::auth::SentCodeType::SentCodeTypeSms(_)),
        "nobody is logged in: the code goes by the hook, got {:?}",
        sent.r#type
    );
    // Nobody sees it now, but the message is kept for the account's next device, as
    // Telegram keeps its service messages.
    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 1, "{pushed:?}");
    assert_eq!(
        pushed[0].0,
        PushTarget::User {
            user_id: user,
            except: None
        }
    );
}
