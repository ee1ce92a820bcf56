//! Two-step verification through `Api::handle`: setting a password, login needing it,
//! `auth.checkPassword` with the client-side SRP helpers, flood limits, removal.

mod common;

use chappe_crypto::srp::{
    compute_check_with_hash, compute_password_hash, compute_verifier_with_hash, SrpAlgo,
};
use chappe_tl::api::{enums, functions, types};
use common::{fixture, srp_params, user_id_of_auth};
use rand::rngs::StdRng;
use rand::SeedableRng;

/// The proof a client computes from `password_hash` for an `account.password`.
fn proof(password: &types::account::Password, x: &[u8; 32]) -> enums::InputCheckPasswordSrp {
    let algo = srp_params(&password.current_algo);
    let check = compute_check_with_hash(
        &SrpAlgo {
            salt1: &algo.salt1,
            salt2: &algo.salt2,
            g: algo.g as u32,
            p: &algo.p,
        },
        x,
        password.srp_id.expect("srp_id"),
        password.srp_b.as_deref().expect("srp_B"),
        &mut StdRng::seed_from_u64(5),
    )
    .expect("client proof");
    enums::InputCheckPasswordSrp::InputCheckPasswordSrp(types::InputCheckPasswordSrp {
        srp_id: check.srp_id,
        a: check.a.to_vec(),
        m1: check.m1.to_vec(),
    })
}

#[tokio::test]
async fn password_set_then_login_needs_it_and_check_password_works() {
    let f = fixture();
    let user = f.login("9996611234", 1).await;

    // Set a password: extend the offered salt1 and send the verifier.
    let offer = f.get_password(1, Some(user)).await;
    assert!(!offer.has_password);
    let new_algo = srp_params(&Some(offer.new_algo.clone()));
    let mut salt1 = new_algo.salt1.clone();
    salt1.extend_from_slice(&[0x42; 32]);
    let x = compute_password_hash(b"hunter2", &salt1, &new_algo.salt2);
    let algo = SrpAlgo {
        salt1: &salt1,
        salt2: &new_algo.salt2,
        g: new_algo.g as u32,
        p: &new_algo.p,
    };
    let verifier = compute_verifier_with_hash(&algo, &x).expect("verifier");
    let settings = |salt1: Vec<u8>| {
        functions::account::UpdatePasswordSettings {
        password: enums::InputCheckPasswordSrp::InputCheckPasswordEmpty(
            types::InputCheckPasswordEmpty,
        ),
        new_settings: enums::account::PasswordInputSettings::PasswordInputSettings(
            types::account::PasswordInputSettings {
                new_algo: Some(
                    enums::PasswordKdfAlgo::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow(
                        types::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow {
                            salt1,
                            ..new_algo.clone()
                        },
                    ),
                ),
                new_password_hash: Some(verifier.as_bytes().to_vec()),
                hint: Some("pet".into()),
                email: None,
                new_secure_settings: None,
            },
        ),
    }
    };
    // A salt1 that does not extend the offered prefix is refused.
    assert_eq!(
        f.err(1, Some(user), settings(vec![1; 40])).await,
        "NEW_SALT_INVALID"
    );
    assert!(f.ok::<bool>(1, Some(user), settings(salt1.clone())).await);

    // A new auth key now needs the password.
    let err = f
        .sign_in("9996611234", 2)
        .await
        .err()
        .expect("password needed");
    assert_eq!(
        (err.code, err.message.as_str()),
        (401, "SESSION_PASSWORD_NEEDED")
    );

    // Wrong password fails.
    let challenge = f.get_password(2, None).await;
    assert!(challenge.has_password);
    assert_eq!(challenge.hint.as_deref(), Some("pet"));
    let wrong = compute_password_hash(b"wrong", &salt1, &new_algo.salt2);
    assert_eq!(
        f.err(
            2,
            None,
            functions::auth::CheckPassword {
                password: proof(&challenge, &wrong)
            }
        )
        .await,
        "PASSWORD_HASH_INVALID"
    );

    // The right one logs the key in.
    let challenge = f.get_password(2, None).await;
    let auth: enums::auth::Authorization = f
        .ok(
            2,
            None,
            functions::auth::CheckPassword {
                password: proof(&challenge, &x),
            },
        )
        .await;
    assert_eq!(user_id_of_auth(&auth), user);

    // The proof also unlocks the settings, and a used challenge is single-use.
    let challenge = f.get_password(2, Some(user)).await;
    let input = proof(&challenge, &x);
    let _: enums::account::PasswordSettings = f
        .ok(
            2,
            Some(user),
            functions::account::GetPasswordSettings {
                password: input.clone(),
            },
        )
        .await;
    assert_eq!(
        f.err(
            2,
            Some(user),
            functions::account::GetPasswordSettings { password: input }
        )
        .await,
        "SRP_ID_INVALID"
    );

    // Removing the password (new_algo unknown) needs the proof; then login needs none.
    let challenge = f.get_password(2, Some(user)).await;
    let remove = functions::account::UpdatePasswordSettings {
        password: proof(&challenge, &x),
        new_settings: enums::account::PasswordInputSettings::PasswordInputSettings(
            types::account::PasswordInputSettings {
                new_algo: Some(enums::PasswordKdfAlgo::PasswordKdfAlgoUnknown(
                    types::PasswordKdfAlgoUnknown,
                )),
                new_password_hash: None,
                hint: None,
                email: None,
                new_secure_settings: None,
            },
        ),
    };
    assert!(f.ok::<bool>(2, Some(user), remove).await);
    assert_eq!(f.login("9996611234", 3).await, user);
}

#[tokio::test]
async fn too_many_wrong_passwords_are_flood_limited() {
    let f = fixture();
    let user = f.login("9996612345", 1).await;
    let offer = f.get_password(1, Some(user)).await;
    let new_algo = srp_params(&Some(offer.new_algo));
    let mut salt1 = new_algo.salt1.clone();
    salt1.extend_from_slice(&[7; 32]);
    let x = compute_password_hash(b"pw", &salt1, &new_algo.salt2);
    let algo = SrpAlgo {
        salt1: &salt1,
        salt2: &new_algo.salt2,
        g: new_algo.g as u32,
        p: &new_algo.p,
    };
    let verifier = compute_verifier_with_hash(&algo, &x).expect("verifier");
    let _: bool = f
        .ok(
            1,
            Some(user),
            functions::account::UpdatePasswordSettings {
                password: enums::InputCheckPasswordSrp::InputCheckPasswordEmpty(
                    types::InputCheckPasswordEmpty,
                ),
                new_settings: enums::account::PasswordInputSettings::PasswordInputSettings(
                    types::account::PasswordInputSettings {
                        new_algo: Some(enums::PasswordKdfAlgo::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow(
                            types::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow {
                                salt1: salt1.clone(),
                                ..new_algo.clone()
                            },
                        )),
                        new_password_hash: Some(verifier.as_bytes().to_vec()),
                        hint: None,
                        email: None,
                        new_secure_settings: None,
                    },
                ),
            },
        )
        .await;
    let wrong = [3u8; 32];
    for _ in 0..5 {
        let challenge = f.get_password(1, Some(user)).await;
        let request = functions::account::GetPasswordSettings {
            password: proof(&challenge, &wrong),
        };
        assert_eq!(f.err(1, Some(user), request).await, "PASSWORD_HASH_INVALID");
    }
    let challenge = f.get_password(1, Some(user)).await;
    let request = functions::account::GetPasswordSettings {
        password: proof(&challenge, &x),
    };
    assert!(f
        .err(1, Some(user), request)
        .await
        .starts_with("FLOOD_WAIT_"));
}
