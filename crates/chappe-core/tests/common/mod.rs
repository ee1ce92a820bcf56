//! Shared fixtures: an [`Accounts`] over a [`MemoryStore`] with a delivery
//! that records what it was asked to send.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chappe_core::{
    AccessHashes, AccountError, Accounts, AccountsConfig, CodeDelivery, DeliveryError, SentCode,
    SignInOutcome, User,
};
use chappe_store::{AuthKeyKind, AuthKeyRecord, MemoryStore, Store};

pub const NOW: i64 = 1_800_000_000;

/// Remembers every (phone, code, existing user) it delivers; can be told to
/// fail.
#[derive(Default)]
pub struct Recorder {
    pub sent: Mutex<Vec<(String, String, Option<i64>)>>,
    pub fail: Mutex<bool>,
}

impl Recorder {
    pub fn last_code(&self) -> String {
        let sent = self.sent.lock().expect("lock");
        sent.last()
            .map(|(_, code, _)| code.clone())
            .expect("a code was sent")
    }

    pub fn count(&self) -> usize {
        self.sent.lock().expect("lock").len()
    }
}

#[async_trait]
impl CodeDelivery for Recorder {
    async fn deliver(
        &self,
        phone: &str,
        code: &str,
        existing_user: Option<i64>,
    ) -> Result<(), DeliveryError> {
        if *self.fail.lock().expect("lock") {
            return Err(DeliveryError::TimedOut);
        }
        self.sent
            .lock()
            .expect("lock")
            .push((phone.to_owned(), code.to_owned(), existing_user));
        Ok(())
    }
}

pub struct Fixture {
    pub accounts: Accounts,
    pub store: Arc<dyn Store>,
    pub delivery: Arc<Recorder>,
}

pub fn fixture() -> Fixture {
    fixture_with(AccountsConfig::default(), Arc::new(MemoryStore::new()))
}

pub fn fixture_with(config: AccountsConfig, store: Arc<dyn Store>) -> Fixture {
    let delivery = Arc::new(Recorder::default());
    let accounts = Accounts::new(
        Arc::clone(&store),
        config,
        AccessHashes::new([42; 32]),
        [7; 32],
        delivery.clone(),
    );
    Fixture {
        accounts,
        store,
        delivery,
    }
}

impl Fixture {
    /// Stores an auth key (as the handshake would) so it can be bound.
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

    /// auth.sendCode at `now` (no client IP), and the code the user would type: the one
    /// delivery got for it, or else the test number's.
    pub async fn send_code(&self, phone: &str, now: i64) -> (SentCode, String) {
        let delivered_before = self.delivery.count();
        let sent = self
            .accounts
            .send_code(phone, None, now)
            .await
            .expect("send");
        let code = if self.delivery.count() > delivered_before {
            self.delivery.last_code()
        } else {
            chappe_core::phone::test_number_code(
                &chappe_core::phone::normalize(phone).expect("phone"),
            )
            .expect("nothing delivered, so a test number")
        };
        (sent, code)
    }

    /// auth.signIn on auth key `key` (no client IP).
    pub async fn sign_in(
        &self,
        phone: &str,
        hash: &str,
        code: &str,
        key: i64,
        now: i64,
    ) -> Result<SignInOutcome, AccountError> {
        self.accounts
            .sign_in(phone, hash, code, key, None, now)
            .await
    }

    /// A fresh auth key, auth.sendCode and auth.signIn with the right code at NOW.
    pub async fn start_login(&self, phone: &str, key: i64) -> (SentCode, SignInOutcome) {
        self.add_key(key).await;
        let (sent, code) = self.send_code(phone, NOW).await;
        let outcome = self
            .sign_in(phone, &sent.phone_code_hash, &code, key, NOW)
            .await
            .expect("sign in");
        (sent, outcome)
    }

    /// A full login of a test number on a fresh auth key.
    pub async fn login_test_number(&self, phone: &str, key: i64) -> User {
        match self.start_login(phone, key).await {
            (_, SignInOutcome::Authorized(user)) => user,
            other => panic!("unexpected {other:?}"),
        }
    }

    /// Signs up a new (non-test) number on a fresh auth key.
    pub async fn sign_up(&self, phone: &str, first: &str, key: i64) -> User {
        let (sent, outcome) = self.start_login(phone, key).await;
        assert_eq!(outcome, SignInOutcome::SignUpRequired);
        self.accounts
            .sign_up(phone, &sent.phone_code_hash, first, "", key, NOW)
            .await
            .expect("sign up")
    }
}

pub fn rpc(result: Result<impl std::fmt::Debug, AccountError>) -> String {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(err) => err.rpc_name().1,
    }
}
