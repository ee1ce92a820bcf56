//! `auth.bindTempAuthKey` with real MTProto 1.0 binding messages.

mod common;

use chappe_api::RequestContext;
use chappe_crypto::{encrypt_message_v1, AuthKey, Side};
use chappe_store::{AuthKeyKind, AuthKeyRecord};
use chappe_tl::api::functions;
use common::{fixture, Fixture, NOW};

const SESSION: i64 = 0x5e55;
const MSG_ID: i64 = (NOW << 32) | 4;
const NONCE: i64 = 0x1234_5678;
const EXPIRES: i32 = (NOW + 86_400) as i32;

fn key_bytes(seed: u8) -> [u8; 256] {
    let mut bytes = [0u8; 256];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(31).wrapping_add(seed);
    }
    bytes
}

async fn put_key(f: &Fixture, seed: u8, kind: AuthKeyKind) -> AuthKey {
    let key = AuthKey::from_bytes(key_bytes(seed));
    f.store
        .put_auth_key(AuthKeyRecord {
            id: key.id(),
            key: key_bytes(seed),
            kind,
            created_at: NOW,
            perm_key_id: None,
            user_id: None,
        })
        .await
        .expect("put key");
    key
}

struct Inner {
    msg_id: i64,
    nonce: i64,
    temp: i64,
    perm: i64,
    session: i64,
    expires_at: i32,
}

fn encrypted(perm: &AuthKey, inner: &Inner) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&0x75a3_f765_u32.to_le_bytes());
    body.extend_from_slice(&inner.nonce.to_le_bytes());
    body.extend_from_slice(&inner.temp.to_le_bytes());
    body.extend_from_slice(&inner.perm.to_le_bytes());
    body.extend_from_slice(&inner.session.to_le_bytes());
    body.extend_from_slice(&inner.expires_at.to_le_bytes());
    let mut plain = Vec::new();
    plain.extend_from_slice(&[0xab; 16]); // random int128 in place of salt and session
    plain.extend_from_slice(&inner.msg_id.to_le_bytes());
    plain.extend_from_slice(&0i32.to_le_bytes());
    plain.extend_from_slice(&(body.len() as u32).to_le_bytes());
    plain.extend_from_slice(&body);
    let padding = vec![0x5a; (16 - plain.len() % 16) % 16];
    encrypt_message_v1(perm, Side::Client, &plain, &padding).expect("encrypt")
}

fn ctx_on(temp: Option<i64>, key: i64) -> RequestContext {
    RequestContext {
        msg_id: MSG_ID,
        session_id: SESSION,
        temp_auth_key_id: temp,
        ..common::ctx(key, None)
    }
}

fn request(perm: &AuthKey, encrypted_message: Vec<u8>) -> functions::auth::BindTempAuthKey {
    functions::auth::BindTempAuthKey {
        perm_auth_key_id: perm.id(),
        nonce: NONCE,
        expires_at: EXPIRES,
        encrypted_message,
    }
}

async fn setup() -> (Fixture, AuthKey, AuthKey) {
    let f = fixture();
    let perm = put_key(&f, 1, AuthKeyKind::Perm).await;
    let temp = put_key(
        &f,
        2,
        AuthKeyKind::Temp {
            expires_at: NOW + 86_400,
        },
    )
    .await;
    (f, perm, temp)
}

fn good(perm: &AuthKey, temp: &AuthKey) -> Inner {
    Inner {
        msg_id: MSG_ID,
        nonce: NONCE,
        temp: temp.id(),
        perm: perm.id(),
        session: SESSION,
        expires_at: EXPIRES,
    }
}

async fn bind(
    f: &Fixture,
    ctx: &RequestContext,
    req: functions::auth::BindTempAuthKey,
) -> Result<(), String> {
    f.api
        .handle(ctx, req.into())
        .await
        .map(|_| ())
        .map_err(|e| e.message)
}

#[tokio::test]
async fn a_valid_binding_is_stored() {
    let (f, perm, temp) = setup().await;
    let req = request(&perm, encrypted(&perm, &good(&perm, &temp)));
    bind(&f, &ctx_on(Some(temp.id()), temp.id()), req.clone())
        .await
        .expect("bound");
    let record = f
        .store
        .get_auth_key(temp.id())
        .await
        .expect("get_auth_key")
        .expect("stored");
    assert_eq!(record.perm_key_id, Some(perm.id()));
    // Binding the same pair again is harmless.
    bind(&f, &ctx_on(Some(temp.id()), perm.id()), req)
        .await
        .expect("rebound");
}

#[tokio::test]
async fn every_mismatch_is_refused() {
    let (f, perm, temp) = setup().await;
    let ctx = ctx_on(Some(temp.id()), temp.id());
    let cases: Vec<(&str, Inner)> = vec![
        (
            "msg_id",
            Inner {
                msg_id: MSG_ID + 4,
                ..good(&perm, &temp)
            },
        ),
        (
            "nonce",
            Inner {
                nonce: 1,
                ..good(&perm, &temp)
            },
        ),
        (
            "temp key",
            Inner {
                temp: 77,
                ..good(&perm, &temp)
            },
        ),
        (
            "perm key",
            Inner {
                perm: 78,
                ..good(&perm, &temp)
            },
        ),
        (
            "session",
            Inner {
                session: 79,
                ..good(&perm, &temp)
            },
        ),
        (
            "expires_at",
            Inner {
                expires_at: EXPIRES - 1,
                ..good(&perm, &temp)
            },
        ),
    ];
    for (what, inner) in cases {
        let err = bind(&f, &ctx, request(&perm, encrypted(&perm, &inner))).await;
        assert_eq!(err, Err("ENCRYPTED_MESSAGE_INVALID".into()), "{what}");
    }
    // Encrypted with another key than the permanent one named.
    let other = AuthKey::from_bytes(key_bytes(9));
    let err = bind(
        &f,
        &ctx,
        request(&perm, encrypted(&other, &good(&perm, &temp))),
    )
    .await;
    assert_eq!(err, Err("ENCRYPTED_MESSAGE_INVALID".into()));
    // A tampered ciphertext.
    let mut bytes = encrypted(&perm, &good(&perm, &temp));
    let last = bytes.len() - 20;
    bytes[last] ^= 0x01;
    let err = bind(&f, &ctx, request(&perm, bytes)).await;
    assert_eq!(err, Err("ENCRYPTED_MESSAGE_INVALID".into()));
    // An expiry in the past.
    let past = Inner {
        expires_at: (NOW - 1) as i32,
        ..good(&perm, &temp)
    };
    let mut req = request(&perm, encrypted(&perm, &past));
    req.expires_at = (NOW - 1) as i32;
    assert_eq!(
        bind(&f, &ctx, req).await,
        Err("ENCRYPTED_MESSAGE_INVALID".into())
    );
    let record = f
        .store
        .get_auth_key(temp.id())
        .await
        .expect("get_auth_key")
        .expect("stored");
    assert_eq!(record.perm_key_id, None, "nothing was bound");
}

#[tokio::test]
async fn needs_a_temporary_key_and_binds_it_once() {
    let (f, perm, temp) = setup().await;
    let req = request(&perm, encrypted(&perm, &good(&perm, &temp)));
    // Called on the permanent key itself.
    assert_eq!(
        bind(&f, &ctx_on(None, perm.id()), req.clone()).await,
        Err("TEMP_AUTH_KEY_EMPTY".into())
    );
    bind(&f, &ctx_on(Some(temp.id()), temp.id()), req)
        .await
        .expect("bound");
    let second = put_key(&f, 3, AuthKeyKind::Perm).await;
    let inner = Inner {
        perm: second.id(),
        ..good(&second, &temp)
    };
    let err = bind(
        &f,
        &ctx_on(Some(temp.id()), perm.id()),
        request(&second, encrypted(&second, &inner)),
    )
    .await;
    assert_eq!(err, Err("TEMP_AUTH_KEY_ALREADY_BOUND".into()));
}

#[tokio::test]
async fn a_new_temporary_key_replaces_the_old_binding() {
    let (f, perm, temp) = setup().await;
    bind(
        &f,
        &ctx_on(Some(temp.id()), temp.id()),
        request(&perm, encrypted(&perm, &good(&perm, &temp))),
    )
    .await
    .expect("first bound");
    let next = put_key(
        &f,
        4,
        AuthKeyKind::Temp {
            expires_at: NOW + 86_400,
        },
    )
    .await;
    bind(
        &f,
        &ctx_on(Some(next.id()), next.id()),
        request(&perm, encrypted(&perm, &good(&perm, &next))),
    )
    .await
    .expect("second bound");
    let perm_of = |id| {
        let store = f.store.clone();
        async move {
            store
                .get_auth_key(id)
                .await
                .expect("get_auth_key")
                .expect("stored")
                .perm_key_id
        }
    };
    assert_eq!(perm_of(next.id()).await, Some(perm.id()));
    assert_eq!(
        perm_of(temp.id()).await,
        None,
        "one temporary key per permanent key: the old one is unbound"
    );
}
