//! Logging in: sending codes, sign-in, sign-up, and finishing a login that
//! needed the 2FA password.

use std::net::IpAddr;

use chappe_store::{CodeKind, PhoneCodeRecord, StoreError, UserRecord};
use rand::RngExt;
use subtle::ConstantTimeEq;

use super::test_codes::{is_stateless, NONCE_LEN};
use super::{lock, Accounts};
use crate::pending::{PendingPassword, PendingSignUp};
use crate::phone::{normalize, test_account_name, test_number_code};
use crate::AccountError;

/// Longest first or last name accepted, in characters.
const NAME_MAX_CHARS: usize = 64;

/// What `auth.sendCode` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentCode {
    /// The handle the client must send back with the code.
    pub phone_code_hash: String,
    /// How the code was delivered.
    pub code_kind: CodeKind,
    /// How `auth.resendCode` would deliver it (None: the same way).
    pub next: Option<CodeKind>,
    /// Seconds the client should wait before asking to resend.
    pub timeout_secs: i32,
}

/// What a sign-in with a correct code leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInOutcome {
    /// The auth key is now logged in as this user.
    Authorized(UserRecord),
    /// No account has this number: the client must call `sign_up` with the
    /// same phone_code_hash from the same auth key.
    SignUpRequired,
    /// The account has a 2FA password: the client must pass the SRP check,
    /// after which the API calls [`Accounts::complete_password_login`].
    PasswordNeeded(i64),
}

fn flood(result: Result<(), u32>) -> Result<(), AccountError> {
    result.map_err(AccountError::FloodWait)
}

fn check_name(name: &str, error: AccountError, may_be_empty: bool) -> Result<String, AccountError> {
    let name = name.trim();
    if (name.is_empty() && !may_be_empty) || name.chars().count() > NAME_MAX_CHARS {
        return Err(error);
    }
    Ok(name.to_owned())
}

impl Accounts {
    fn test_code(&self, phone: &str) -> Option<String> {
        test_number_code(phone).filter(|_| self.config.test_numbers)
    }

    fn nonce(&self) -> [u8; NONCE_LEN] {
        lock(&self.rng).random()
    }

    fn flood_exempt(&self, phone: &str) -> bool {
        self.config.flood_exempt_test_numbers && self.test_code(phone).is_some()
    }

    /// `auth.sendCode`: makes a code for `phone` and delivers it (test
    /// numbers get their fixed code and no delivery).
    pub async fn send_code(
        &self,
        phone: &str,
        client_ip: Option<IpAddr>,
        now: i64,
    ) -> Result<SentCode, AccountError> {
        let phone = normalize(phone)?;
        if !self.flood_exempt(&phone) {
            let mut limits = lock(&self.limits);
            if let Some(ip) = client_ip {
                flood(limits.send_code_per_ip.hit(&ip.to_string(), now))?;
            }
            flood(limits.send_code_per_phone.hit(&phone, now))?;
        }
        let existing = self.store.user_by_phone(&phone).await?;
        if existing.as_ref().is_some_and(|user| user.banned) {
            return Err(AccountError::PhoneNumberBanned);
        }
        if self.test_code(&phone).is_some() {
            // Nothing to store or deliver: the code is fixed and the hash
            // proves itself (see `test_codes`).
            let hash = self
                .test_codes
                .issue(&*self.store, &phone, now, self.nonce())
                .await?;
            return Ok(SentCode {
                phone_code_hash: hash,
                code_kind: CodeKind::App,
                next: None,
                timeout_secs: self.config.resend_timeout_secs,
            });
        }
        let (code, hash) = {
            let mut rng = lock(&self.rng);
            let code = format!("{:05}", rng.random_range(0..100_000u32));
            let hash_bytes: [u8; 16] = rng.random();
            (code, hex(&hash_bytes))
        };
        // An account logged in somewhere gets the code in the app, from the service
        // account (the delivery sees `existing_user`); a resend goes the other way.
        let logged_in_elsewhere = match &existing {
            Some(user) => !self.store.auth_keys_of_user(user.id).await?.is_empty(),
            None => false,
        };
        let (kind, next) = if logged_in_elsewhere {
            (CodeKind::App, Some(self.config.delivered_code_kind))
        } else {
            (self.config.delivered_code_kind, None)
        };
        let record = PhoneCodeRecord {
            phone_code_hash: hash.clone(),
            phone: phone.clone(),
            code,
            created_at: now,
            expires_at: now.saturating_add(self.config.code_ttl_secs),
            attempts: 0,
            kind,
        };
        // Stored before delivery, so a code that arrives is always usable.
        self.store.put_phone_code(record.clone()).await?;
        self.deliver(&record, existing.map(|user| user.id)).await?;
        Ok(SentCode {
            phone_code_hash: hash,
            code_kind: kind,
            next,
            timeout_secs: self.config.resend_timeout_secs,
        })
    }

    async fn deliver(
        &self,
        record: &PhoneCodeRecord,
        existing_user: Option<i64>,
    ) -> Result<(), AccountError> {
        if let Err(err) = self
            .delivery
            .deliver(&record.phone, &record.code, existing_user)
            .await
        {
            tracing::warn!(error = %err, "login code delivery failed");
            self.store
                .delete_phone_code(&record.phone_code_hash)
                .await?;
            return Err(AccountError::SendCodeUnavailable);
        }
        Ok(())
    }

    /// The live code record for (phone, hash), after the common checks.
    async fn live_code(
        &self,
        phone: &str,
        phone_code_hash: &str,
        now: i64,
    ) -> Result<PhoneCodeRecord, AccountError> {
        if phone_code_hash.is_empty() {
            return Err(AccountError::PhoneCodeHashEmpty);
        }
        let record = self
            .store
            .get_phone_code(phone_code_hash)
            .await?
            .ok_or(AccountError::PhoneCodeExpired)?;
        if record.phone != phone {
            return Err(AccountError::PhoneCodeInvalid);
        }
        if now >= record.expires_at || record.attempts >= self.config.max_code_attempts {
            self.store.delete_phone_code(phone_code_hash).await?;
            return Err(AccountError::PhoneCodeExpired);
        }
        Ok(record)
    }

    /// `auth.resendCode`: delivers the same code again and restarts its
    /// lifetime. Counts against the per-phone send limit.
    pub async fn resend_code(
        &self,
        phone: &str,
        phone_code_hash: &str,
        now: i64,
    ) -> Result<SentCode, AccountError> {
        let phone = normalize(phone)?;
        if self.is_test_hash(&phone, phone_code_hash) {
            self.test_codes
                .check(
                    &*self.store,
                    &phone,
                    phone_code_hash,
                    self.config.code_ttl_secs,
                    now,
                )
                .await?;
            // A new hash carries the new lifetime; the old one lives on
            // until its own expiry, which is harmless for a public code.
            return Ok(SentCode {
                phone_code_hash: self
                    .test_codes
                    .issue(&*self.store, &phone, now, self.nonce())
                    .await?,
                code_kind: CodeKind::App,
                next: None,
                timeout_secs: self.config.resend_timeout_secs,
            });
        }
        let mut record = self.live_code(&phone, phone_code_hash, now).await?;
        if !self.flood_exempt(&phone) {
            flood(lock(&self.limits).send_code_per_phone.hit(&phone, now))?;
        }
        record.expires_at = now.saturating_add(self.config.code_ttl_secs);
        // Asking again means the app did not show it: say it now goes the other way too.
        record.kind = self.config.delivered_code_kind;
        self.store.put_phone_code(record.clone()).await?;
        if self.test_code(&phone).is_none() {
            let existing = self.store.user_by_phone(&phone).await?.map(|user| user.id);
            self.deliver(&record, existing).await?;
        }
        Ok(SentCode {
            phone_code_hash: record.phone_code_hash,
            code_kind: record.kind,
            next: None,
            timeout_secs: self.config.resend_timeout_secs,
        })
    }

    /// `auth.cancelCode`: forgets the code. Answers whether it existed.
    pub async fn cancel_code(
        &self,
        phone: &str,
        phone_code_hash: &str,
    ) -> Result<bool, AccountError> {
        let phone = normalize(phone)?;
        if phone_code_hash.is_empty() {
            return Err(AccountError::PhoneCodeHashEmpty);
        }
        if self.is_test_hash(&phone, phone_code_hash) {
            return self
                .test_codes
                .cancel(
                    &*self.store,
                    &phone,
                    phone_code_hash,
                    self.config.code_ttl_secs,
                )
                .await;
        }
        match self.store.get_phone_code(phone_code_hash).await? {
            Some(record) if record.phone == phone => {
                Ok(self.store.delete_phone_code(phone_code_hash).await?)
            }
            Some(_) => Err(AccountError::PhoneCodeInvalid),
            None => Ok(false),
        }
    }

    /// `auth.signIn` with a phone code. A correct code is used up; wrong
    /// guesses are counted and the code dies after `max_code_attempts`.
    pub async fn sign_in(
        &self,
        phone: &str,
        phone_code_hash: &str,
        code: &str,
        auth_key_id: i64,
        client_ip: Option<IpAddr>,
        now: i64,
    ) -> Result<SignInOutcome, AccountError> {
        let phone = normalize(phone)?;
        if phone_code_hash.is_empty() {
            return Err(AccountError::PhoneCodeHashEmpty);
        }
        if code.is_empty() {
            return Err(AccountError::PhoneCodeEmpty);
        }
        if !self.flood_exempt(&phone) {
            let mut limits = lock(&self.limits);
            if let Some(ip) = client_ip {
                flood(limits.sign_in_per_ip.hit(&ip.to_string(), now))?;
            }
            flood(limits.sign_in_per_phone.hit(&phone, now))?;
        }
        match self.test_code(&phone) {
            Some(test_code) if is_stateless(phone_code_hash) => {
                self.use_test_code(&phone, phone_code_hash, &test_code, code, now)
                    .await?;
            }
            _ => {
                self.use_stored_code(&phone, phone_code_hash, code, now)
                    .await?
            }
        }

        let user = match self.store.user_by_phone(&phone).await? {
            Some(user) => user,
            None if self.test_code(&phone).is_some() => {
                match self.create_test_account(&phone, auth_key_id, now).await? {
                    Some(user) => return Ok(SignInOutcome::Authorized(user)),
                    // Two first logins raced; the other one made it.
                    None => self
                        .store
                        .user_by_phone(&phone)
                        .await?
                        .ok_or(AccountError::PhoneNumberUnoccupied)?,
                }
            }
            None => {
                let expires_at = now.saturating_add(self.config.pending_login_ttl_secs);
                lock(&self.pending).sign_ups.insert(
                    (auth_key_id, phone_code_hash.to_owned()),
                    PendingSignUp { phone },
                    expires_at,
                    now,
                );
                return Ok(SignInOutcome::SignUpRequired);
            }
        };
        self.finish_login(user, auth_key_id, now).await
    }

    /// Whether this hash is a stateless test-number hash to check as such
    /// (with test numbers turned off, such a hash is just unknown).
    fn is_test_hash(&self, phone: &str, phone_code_hash: &str) -> bool {
        is_stateless(phone_code_hash) && self.test_code(phone).is_some()
    }

    /// Checks a test number's code against its stateless hash and uses the
    /// hash up.
    async fn use_test_code(
        &self,
        phone: &str,
        phone_code_hash: &str,
        expected: &str,
        code: &str,
        now: i64,
    ) -> Result<(), AccountError> {
        let expires_at = self
            .test_codes
            .check(
                &*self.store,
                phone,
                phone_code_hash,
                self.config.code_ttl_secs,
                now,
            )
            .await?;
        if !bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            return Err(AccountError::PhoneCodeInvalid);
        }
        if !self.test_codes.spend(phone_code_hash, expires_at, now) {
            return Err(AccountError::PhoneCodeExpired);
        }
        Ok(())
    }

    /// Checks a stored code: a wrong guess is counted, a right one deletes
    /// the code.
    async fn use_stored_code(
        &self,
        phone: &str,
        phone_code_hash: &str,
        code: &str,
        now: i64,
    ) -> Result<(), AccountError> {
        let mut record = self.live_code(phone, phone_code_hash, now).await?;
        let matches: bool = record.code.as_bytes().ct_eq(code.as_bytes()).into();
        if !matches {
            record.attempts = record.attempts.saturating_add(1);
            if record.attempts >= self.config.max_code_attempts {
                self.store.delete_phone_code(phone_code_hash).await?;
            } else {
                self.store.put_phone_code(record).await?;
            }
            return Err(AccountError::PhoneCodeInvalid);
        }
        // The delete is the atomic "use": of two concurrent correct
        // sign-ins only the one that removed the row goes on.
        if !self.store.delete_phone_code(phone_code_hash).await? {
            return Err(AccountError::PhoneCodeExpired);
        }
        Ok(())
    }

    /// Makes the account of a test number, logged in on `auth_key_id`.
    /// `None`: the number got an account meanwhile (two first logins
    /// raced), so the caller logs in to that one as usual.
    async fn create_test_account(
        &self,
        phone: &str,
        auth_key_id: i64,
        now: i64,
    ) -> Result<Option<UserRecord>, AccountError> {
        match self
            .create_bound(phone, &test_account_name(phone), "", auth_key_id, now)
            .await
        {
            Ok(user) => {
                tracing::info!(user_id = user.id, "created test account");
                Ok(Some(user))
            }
            Err(AccountError::PhoneNumberOccupied) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Creates an account already logged in on `auth_key_id`: one store
    /// transaction, then the login cache. A new account has no password
    /// and no ban, so nothing else stands between it and the login.
    /// A taken phone is [`AccountError::PhoneNumberOccupied`].
    async fn create_bound(
        &self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        auth_key_id: i64,
        now: i64,
    ) -> Result<UserRecord, AccountError> {
        let _serial = self.login_writes.lock().await;
        let user = match self
            .store
            .create_user_bound(phone, first_name, last_name, now, auth_key_id)
            .await
        {
            Ok(user) => user,
            Err(StoreError::PhoneTaken) => return Err(AccountError::PhoneNumberOccupied),
            Err(err) => return Err(err.into()),
        };
        self.cache_auth(auth_key_id, Some(user.id));
        tracing::info!(user_id = user.id, "auth key logged in");
        Ok(user)
    }

    /// Binds the key, unless the user is banned or has a password.
    async fn finish_login(
        &self,
        user: UserRecord,
        auth_key_id: i64,
        now: i64,
    ) -> Result<SignInOutcome, AccountError> {
        if user.banned {
            return Err(AccountError::PhoneNumberBanned);
        }
        if self.store.get_password(user.id).await?.is_some() {
            let expires_at = now.saturating_add(self.config.pending_login_ttl_secs);
            lock(&self.pending).passwords.insert(
                auth_key_id,
                PendingPassword { user_id: user.id },
                expires_at,
                now,
            );
            return Ok(SignInOutcome::PasswordNeeded(user.id));
        }
        self.bind(auth_key_id, user.id).await?;
        Ok(SignInOutcome::Authorized(user))
    }

    /// `auth.signUp`, after a [`SignInOutcome::SignUpRequired`] for the same
    /// auth key and phone_code_hash.
    pub async fn sign_up(
        &self,
        phone: &str,
        phone_code_hash: &str,
        first_name: &str,
        last_name: &str,
        auth_key_id: i64,
        now: i64,
    ) -> Result<UserRecord, AccountError> {
        let phone = normalize(phone)?;
        if phone_code_hash.is_empty() {
            return Err(AccountError::PhoneCodeHashEmpty);
        }
        let first_name = check_name(first_name, AccountError::FirstnameInvalid, false)?;
        let last_name = check_name(last_name, AccountError::LastnameInvalid, true)?;
        let key = (auth_key_id, phone_code_hash.to_owned());
        let pending_phone = lock(&self.pending)
            .sign_ups
            .get(&key, now)
            .map(|pending| pending.phone.clone());
        match pending_phone {
            None => return Err(AccountError::PhoneCodeExpired),
            Some(pending) if pending != phone => return Err(AccountError::PhoneCodeInvalid),
            Some(_) => {}
        }
        let user = self
            .create_bound(&phone, &first_name, &last_name, auth_key_id, now)
            .await?;
        lock(&self.pending).sign_ups.remove(&key);
        tracing::info!(user_id = user.id, "account created");
        Ok(user)
    }

    /// Deletes expired login codes from the store; call it from a periodic
    /// timer. Answers how many were deleted.
    pub async fn purge_expired_codes(&self, now: i64) -> Result<usize, AccountError> {
        Ok(self.store.purge_phone_codes(now).await?)
    }

    /// The user whose password this auth key must prove, while a
    /// [`SignInOutcome::PasswordNeeded`] login is pending.
    pub fn pending_password_user(&self, auth_key_id: i64, now: i64) -> Option<i64> {
        lock(&self.pending)
            .passwords
            .get(&auth_key_id, now)
            .map(|pending| pending.user_id)
    }

    /// Finishes a login that needed the password, once the API verified the
    /// SRP proof (the math lives in chappe-crypto): binds the auth key.
    /// Fails with [`AccountError::AuthRestart`] when no such login is
    /// pending (or it expired).
    pub async fn complete_password_login(
        &self,
        auth_key_id: i64,
        now: i64,
    ) -> Result<UserRecord, AccountError> {
        let user_id = self
            .pending_password_user(auth_key_id, now)
            .ok_or(AccountError::AuthRestart)?;
        let user = self.existing_user(user_id).await?;
        if user.banned {
            return Err(AccountError::PhoneNumberBanned);
        }
        lock(&self.pending).passwords.remove(&auth_key_id);
        self.bind(auth_key_id, user.id).await?;
        Ok(user)
    }

    /// Forgets every half-finished login of this auth key.
    pub(super) fn forget_pending(&self, auth_key_id: i64) {
        let mut pending = lock(&self.pending);
        pending.passwords.remove(&auth_key_id);
        pending.sign_ups.retain(|(key, _), _| *key != auth_key_id);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
