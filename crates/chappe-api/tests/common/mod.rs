//! Shared fixture for the `account`/`contacts` handler tests: an API on a MemoryStore,
//! calls through `Api::handle` with results encoded and decoded, test-number logins.
// Each test binary uses a different part of it.
#![allow(dead_code)]

pub mod requests;

use std::sync::Arc;

use chappe_api::{Api, ApiConfig, RequestContext, Response, RpcError, UpdateFanout};
use chappe_core::{
    AccessHashes, Accounts, AccountsConfig, CodeDelivery, LoggingDelivery, Messaging,
};
use chappe_store::{AuthKeyKind, AuthKeyRecord, MemoryStore, Store};
use chappe_tl::api::{enums, functions, types, Request};
use chappe_tl::{Deserializable, CANONICAL_LAYER};

pub const NOW: i64 = 1_750_000_000;

pub struct Fixture {
    pub api: Api,
    pub store: Arc<dyn Store>,
    /// Everything the handlers pushed to live sessions.
    pub fanout: Arc<chappe_api::RecordingFanout>,
}

pub fn fixture() -> Fixture {
    fixture_with(|_, _| Arc::new(LoggingDelivery))
}

/// A fixture whose login codes for existing accounts arrive as messages from 777000,
/// as the server delivers them.
pub fn fixture_with_in_app_codes() -> Fixture {
    fixture_with(|messaging, fanout| {
        Arc::new(chappe_api::ServiceMessageDelivery::new(
            messaging,
            fanout,
            || NOW,
        ))
    })
}

fn fixture_with(
    delivery: impl FnOnce(Arc<Messaging>, Arc<dyn UpdateFanout>) -> Arc<dyn CodeDelivery>,
) -> Fixture {
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let fanout = Arc::new(chappe_api::RecordingFanout::default());
    let messaging = Arc::new(Messaging::new(store.clone()));
    let accounts = Arc::new(Accounts::new(
        store.clone(),
        AccountsConfig::default(),
        AccessHashes::new([7; 32]),
        [9; 32],
        delivery(messaging.clone(), fanout.clone()),
    ));
    let api = Api::new(
        ApiConfig::default(),
        store.clone(),
        accounts,
        messaging,
        fanout.clone(),
    )
    .expect("valid config");
    Fixture { api, store, fanout }
}

pub fn ctx(key: i64, user_id: Option<i64>) -> RequestContext {
    RequestContext {
        auth_key_id: key,
        session_id: 1,
        msg_id: 0,
        temp_auth_key_id: None,
        layer: CANONICAL_LAYER,
        lang_code: "en".into(),
        user_id,
        client_ip: None,
        now: NOW,
    }
}

pub fn decode<T: Deserializable>(response: &Response) -> T {
    let mut bytes = Vec::new();
    response
        .encode_for_layer(CANONICAL_LAYER, &mut bytes)
        .expect("encode");
    T::from_bytes(&bytes).expect("decode")
}

impl Fixture {
    pub async fn call(
        &self,
        key: i64,
        user: Option<i64>,
        request: impl Into<Request>,
    ) -> Result<Response, RpcError> {
        self.api.handle(&ctx(key, user), request.into()).await
    }

    pub async fn ok<T: Deserializable>(
        &self,
        key: i64,
        user: Option<i64>,
        request: impl Into<Request>,
    ) -> T {
        decode(
            &self
                .call(key, user, request)
                .await
                .expect("handler succeeds"),
        )
    }

    pub async fn err(&self, key: i64, user: Option<i64>, request: impl Into<Request>) -> String {
        self.call(key, user, request)
            .await
            .err()
            .expect("handler fails")
            .message
    }

    pub async fn add_key(&self, id: i64) {
        self.store
            .put_auth_key(AuthKeyRecord {
                id,
                key: [id as u8; 256],
                kind: AuthKeyKind::Perm,
                created_at: NOW,
                perm_key_id: None,
                user_id: None,
            })
            .await
            .expect("put key");
    }

    /// Sends a code to a test number and signs in with it on auth key `key`.
    pub async fn sign_in(&self, phone: &str, key: i64) -> Result<Response, RpcError> {
        self.add_key(key).await;
        let sent: enums::auth::SentCode = self
            .ok(
                key,
                None,
                functions::auth::SendCode {
                    phone_number: phone.into(),
                    api_id: 1,
                    api_hash: "x".into(),
                    settings: enums::CodeSettings::CodeSettings(types::CodeSettings::default()),
                },
            )
            .await;
        let enums::auth::SentCode::SentCode(sent) = sent else {
            panic!("unexpected sent code {sent:?}");
        };
        let code = phone[5..6].repeat(5);
        self.call(
            key,
            None,
            functions::auth::SignIn {
                phone_number: phone.into(),
                phone_code_hash: sent.phone_code_hash,
                phone_code: Some(code),
                email_verification: None,
            },
        )
        .await
    }

    /// Logs a test number in on `key`; answers the user id.
    pub async fn login(&self, phone: &str, key: i64) -> i64 {
        let auth: enums::auth::Authorization =
            decode(&self.sign_in(phone, key).await.expect("signed in"));
        user_id_of_auth(&auth)
    }

    /// `creator` (calling on `key`) makes a basic group of `users`; answers the group
    /// as the creator's result shows it.
    pub async fn create_chat(
        &self,
        key: i64,
        creator: i64,
        title: &str,
        users: Vec<enums::InputUser>,
    ) -> types::Chat {
        let created: enums::messages::InvitedUsers = self
            .ok(
                key,
                Some(creator),
                functions::messages::CreateChat {
                    users,
                    title: title.into(),
                    ttl_period: None,
                },
            )
            .await;
        let enums::messages::InvitedUsers::InvitedUsers(created) = created;
        let enums::Updates::Updates(created) = created.updates else {
            panic!("createChat did not answer updates");
        };
        match created.chats.into_iter().next() {
            Some(enums::Chat::Chat(chat)) => chat,
            other => panic!("createChat answered no group: {other:?}"),
        }
    }

    pub async fn get_password(&self, key: i64, user: Option<i64>) -> types::account::Password {
        let enums::account::Password::Password(p) =
            self.ok(key, user, functions::account::GetPassword).await;
        p
    }
}

pub fn user_id_of_auth(auth: &enums::auth::Authorization) -> i64 {
    match auth {
        enums::auth::Authorization::Authorization(a) => user_of(&a.user).id,
        other => panic!("not authorized: {other:?}"),
    }
}

pub fn user_of(user: &enums::User) -> &types::User {
    match user {
        enums::User::User(u) => u,
        other => panic!("not a user: {other:?}"),
    }
}

pub fn srp_params(
    algo: &Option<enums::PasswordKdfAlgo>,
) -> types::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow {
    match algo {
        Some(enums::PasswordKdfAlgo::PasswordKdfAlgoSha256Sha256Pbkdf2Hmacsha512iter100000Sha256ModPow(a)) => {
            a.clone()
        }
        other => panic!("no SRP algo: {other:?}"),
    }
}
