//! Login by QR code: a device without a login exports a short-lived random token and
//! shows it; a logged-in device of the account accepts it, which logs the exporting auth
//! key in as the accepting user (or, for an account with a 2FA password, leaves a
//! password login pending for it, finished by the usual password check). The exporter
//! then exports again and learns the outcome.
//!
//! Tokens live in memory only (bounded, expiring): a restart makes the device show a new
//! QR code. The login itself is written to the store like any sign-in.

use chappe_store::UserRecord;
use rand::RngExt;

use super::{lock, Accounts, Authorization};
use crate::pending::{Expiring, PendingPassword};
use crate::AccountError;

/// How long an exported token can be accepted, in seconds (Telegram uses 30).
pub const QR_TOKEN_TTL_SECS: i64 = 30;
/// How long past its expiry a token is still recognised, so a late accept is told
/// "expired" rather than "unknown".
const EXPIRED_MEMORY_SECS: i64 = 300;
/// Bytes of randomness in a token.
const TOKEN_LEN: usize = 32;

/// Why a QR login step failed.
#[derive(Debug, thiserror::Error)]
pub enum QrLoginError {
    /// The token was known but is past its life.
    #[error("login token expired")]
    Expired,
    /// No such token (or not one this auth key may use).
    #[error("unknown login token")]
    Invalid,
    /// Another device already accepted the token.
    #[error("login token already accepted")]
    AlreadyAccepted,
    /// The account must prove its 2FA password (`auth.checkPassword`) to finish.
    #[error("password needed")]
    PasswordNeeded,
    /// An account operation failed.
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl From<chappe_store::StoreError> for QrLoginError {
    fn from(err: chappe_store::StoreError) -> Self {
        Self::Account(err.into())
    }
}

impl QrLoginError {
    /// The Telegram RPC error code and name for this error.
    pub fn rpc_name(&self) -> (i32, String) {
        match self {
            Self::Expired => (400, "AUTH_TOKEN_EXPIRED".into()),
            Self::Invalid => (400, "AUTH_TOKEN_INVALID".into()),
            Self::AlreadyAccepted => (400, "AUTH_TOKEN_ALREADY_ACCEPTED".into()),
            Self::PasswordNeeded => (401, "SESSION_PASSWORD_NEEDED".into()),
            Self::Account(err) => err.rpc_name(),
        }
    }
}

/// What exporting (or importing) a token answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrExport {
    /// Show this token; it can be accepted until `expires_at`.
    Token {
        /// The random token.
        token: Vec<u8>,
        /// Unix time it stops being accepted.
        expires_at: i64,
    },
    /// A token of this auth key was accepted: it is now logged in as this user.
    Success(UserRecord),
}

/// What accepting a token did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrAccepted {
    /// The auth key that exported the token (tell its sessions).
    pub exporter_auth_key_id: i64,
    /// The new device's session, as `account.getAuthorizations` would show it.
    pub authorization: Authorization,
}

#[derive(Clone, Debug)]
struct QrToken {
    exporter: i64,
    expires_at: i64,
    accepted_by: Option<i64>,
}

/// Exported tokens by token, and each auth key's current token.
pub(super) struct QrTokens {
    by_token: Expiring<Vec<u8>, QrToken>,
    by_key: Expiring<i64, Vec<u8>>,
}

impl QrTokens {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            by_token: Expiring::new(capacity),
            by_key: Expiring::new(capacity),
        }
    }
}

impl Accounts {
    /// How long an accepted token stays around for its exporter to collect the outcome.
    fn accepted_ttl(&self) -> i64 {
        self.config.pending_login_ttl_secs.max(QR_TOKEN_TTL_SECS)
    }

    /// `auth.exportLoginToken` from `auth_key_id`: the outcome if its token was accepted,
    /// else a fresh token that replaces the key's previous one.
    pub async fn export_login_token(
        &self,
        auth_key_id: i64,
        now: i64,
    ) -> Result<QrExport, QrLoginError> {
        if let Some(done) = self.accepted_outcome(auth_key_id, now).await? {
            return Ok(done);
        }
        let token: [u8; TOKEN_LEN] = lock(&self.rng).random();
        let token = token.to_vec();
        let expires_at = now.saturating_add(QR_TOKEN_TTL_SECS);
        let mut qr = lock(&self.qr);
        if let Some(previous) = qr.by_key.remove(&auth_key_id) {
            qr.by_token.remove(&previous);
        }
        qr.by_token.insert(
            token.clone(),
            QrToken {
                exporter: auth_key_id,
                expires_at,
                accepted_by: None,
            },
            expires_at.saturating_add(EXPIRED_MEMORY_SECS),
            now,
        );
        qr.by_key.insert(
            auth_key_id,
            token.clone(),
            expires_at.saturating_add(EXPIRED_MEMORY_SECS),
            now,
        );
        Ok(QrExport::Token { token, expires_at })
    }

    /// `auth.importLoginToken`: the outcome of this auth key's own token if accepted;
    /// the token again while it waits.
    pub async fn import_login_token(
        &self,
        auth_key_id: i64,
        token: &[u8],
        now: i64,
    ) -> Result<QrExport, QrLoginError> {
        let entry = self.token_entry(token, now)?;
        if entry.exporter != auth_key_id {
            return Err(QrLoginError::Invalid);
        }
        if entry.accepted_by.is_some() {
            return self
                .accepted_outcome(auth_key_id, now)
                .await?
                .ok_or(QrLoginError::Invalid);
        }
        Ok(QrExport::Token {
            token: token.to_vec(),
            expires_at: entry.expires_at,
        })
    }

    /// `auth.acceptLoginToken` by `user_id` (logged in on `acceptor_auth_key_id`): logs the
    /// exporting auth key in as the user, or leaves a password login pending for it.
    pub async fn accept_login_token(
        &self,
        user_id: i64,
        acceptor_auth_key_id: i64,
        token: &[u8],
        now: i64,
    ) -> Result<QrAccepted, QrLoginError> {
        let user = self.existing_user(user_id).await?;
        if user.banned {
            return Err(AccountError::PhoneNumberBanned.into());
        }
        let exporter = {
            let mut qr = lock(&self.qr);
            let entry = match qr.by_token.get(&token.to_vec(), now) {
                Some(entry) => entry.clone(),
                None => return Err(QrLoginError::Invalid),
            };
            if entry.accepted_by.is_some() {
                return Err(QrLoginError::AlreadyAccepted);
            }
            if entry.expires_at <= now {
                return Err(QrLoginError::Expired);
            }
            if entry.exporter == acceptor_auth_key_id {
                return Err(QrLoginError::Invalid);
            }
            // Marked before the store write, so two accepting devices cannot both win.
            let expires_at = now.saturating_add(self.accepted_ttl());
            qr.by_token.insert(
                token.to_vec(),
                QrToken {
                    accepted_by: Some(user_id),
                    expires_at,
                    ..entry.clone()
                },
                expires_at,
                now,
            );
            qr.by_key
                .insert(entry.exporter, token.to_vec(), expires_at, now);
            entry.exporter
        };
        let result = self.log_in_exporter(&user, exporter, now).await;
        if let Err(err) = result {
            // Nothing was logged in: let the token be accepted again.
            let mut qr = lock(&self.qr);
            qr.by_token.remove(&token.to_vec());
            qr.by_key.remove(&exporter);
            return Err(err);
        }
        let authorization = self.authorization_of(exporter).await?;
        tracing::info!(user_id, "login token accepted");
        Ok(QrAccepted {
            exporter_auth_key_id: exporter,
            authorization,
        })
    }

    async fn log_in_exporter(
        &self,
        user: &UserRecord,
        exporter: i64,
        now: i64,
    ) -> Result<(), QrLoginError> {
        if self.store.get_password(user.id).await?.is_some() {
            let expires_at = now.saturating_add(self.config.pending_login_ttl_secs);
            lock(&self.pending).passwords.insert(
                exporter,
                PendingPassword { user_id: user.id },
                expires_at,
                now,
            );
            return Ok(());
        }
        self.bind(exporter, user.id).await?;
        Ok(())
    }

    /// The live (or accepted) entry of a token.
    fn token_entry(&self, token: &[u8], now: i64) -> Result<QrToken, QrLoginError> {
        let mut qr = lock(&self.qr);
        let entry = qr
            .by_token
            .get(&token.to_vec(), now)
            .cloned()
            .ok_or(QrLoginError::Invalid)?;
        if entry.accepted_by.is_none() && entry.expires_at <= now {
            return Err(QrLoginError::Expired);
        }
        Ok(entry)
    }

    /// If the key's current token was accepted: success once the key is logged in as the
    /// accepting user (the token is then used up), "password needed" while the password
    /// check is pending.
    async fn accepted_outcome(
        &self,
        auth_key_id: i64,
        now: i64,
    ) -> Result<Option<QrExport>, QrLoginError> {
        let accepted_by = {
            let mut qr = lock(&self.qr);
            let Some(token) = qr.by_key.get(&auth_key_id, now).cloned() else {
                return Ok(None);
            };
            match qr.by_token.get(&token, now) {
                Some(QrToken {
                    accepted_by: Some(user_id),
                    ..
                }) => *user_id,
                _ => return Ok(None),
            }
        };
        if self.user_of_auth_key(auth_key_id).await? == Some(accepted_by) {
            let user = self.existing_user(accepted_by).await?;
            let mut qr = lock(&self.qr);
            if let Some(token) = qr.by_key.remove(&auth_key_id) {
                qr.by_token.remove(&token);
            }
            return Ok(Some(QrExport::Success(user)));
        }
        if self.pending_password_user(auth_key_id, now) == Some(accepted_by) {
            return Err(QrLoginError::PasswordNeeded);
        }
        // Accepted, but the login was undone since (logged out, reset): start over.
        let mut qr = lock(&self.qr);
        if let Some(token) = qr.by_key.remove(&auth_key_id) {
            qr.by_token.remove(&token);
        }
        Ok(None)
    }

    /// The auth key as a session entry of `account.getAuthorizations` (never the
    /// caller's own, so it carries its termination hash).
    async fn authorization_of(&self, auth_key_id: i64) -> Result<Authorization, QrLoginError> {
        let key = self
            .store
            .get_auth_key(auth_key_id)
            .await?
            .ok_or(QrLoginError::Invalid)?;
        let sessions = self.store.list_sessions(auth_key_id).await?;
        let latest = sessions.into_iter().max_by_key(|s| s.last_seen_at);
        Ok(Authorization {
            hash: self.access_hashes.for_authorization(auth_key_id),
            current: false,
            auth_key_id,
            created_at: key.created_at,
            last_seen_at: latest.as_ref().map_or(key.created_at, |s| s.last_seen_at),
            client: latest.as_ref().and_then(|s| s.client.clone()),
            ip: latest.and_then(|s| s.ip),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use chappe_store::{AuthKeyKind, AuthKeyRecord, MemoryStore, PasswordRecord, Store};

    use crate::{AccessHashes, AccountsConfig, LoggingDelivery};

    const NOW: i64 = 1_700_000_000;
    const EXPORTER: i64 = 10;
    const ACCEPTOR: i64 = 20;

    async fn setup() -> (Accounts, i64) {
        let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
        for id in [EXPORTER, ACCEPTOR, 30] {
            store
                .put_auth_key(AuthKeyRecord {
                    id,
                    key: [1; 256],
                    kind: AuthKeyKind::Perm,
                    created_at: NOW,
                    perm_key_id: None,
                    user_id: None,
                })
                .await
                .expect("put_auth_key");
        }
        let user = store
            .create_user("15550001", "A", "", NOW)
            .await
            .expect("create_user");
        store
            .bind_auth_key(ACCEPTOR, user.id)
            .await
            .expect("bind_auth_key");
        let accounts = Accounts::new(
            store,
            AccountsConfig::default(),
            AccessHashes::new([1; 32]),
            [2; 32],
            Arc::new(LoggingDelivery),
        );
        (accounts, user.id)
    }

    fn token_of(export: QrExport) -> Vec<u8> {
        match export {
            QrExport::Token { token, expires_at } => {
                assert_eq!(expires_at, NOW + QR_TOKEN_TTL_SECS);
                token
            }
            other => panic!("expected a token, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn accept_logs_the_exporter_in_once() {
        let (accounts, user) = setup().await;
        let first = token_of(
            accounts
                .export_login_token(EXPORTER, NOW)
                .await
                .expect("export_login_token"),
        );
        let token = token_of(
            accounts
                .export_login_token(EXPORTER, NOW)
                .await
                .expect("export_login_token"),
        );
        assert_ne!(first, token, "a new export replaces the token");
        assert!(matches!(
            accounts
                .accept_login_token(user, ACCEPTOR, &first, NOW)
                .await,
            Err(QrLoginError::Invalid)
        ));
        let accepted = accounts
            .accept_login_token(user, ACCEPTOR, &token, NOW + 1)
            .await
            .expect("accept_login_token");
        assert_eq!(accepted.exporter_auth_key_id, EXPORTER);
        assert!(!accepted.authorization.current);
        assert_eq!(
            accounts
                .user_of_auth_key(EXPORTER)
                .await
                .expect("user_of_auth_key"),
            Some(user)
        );
        assert!(matches!(
            accounts
                .accept_login_token(user, ACCEPTOR, &token, NOW + 2)
                .await,
            Err(QrLoginError::AlreadyAccepted)
        ));
        // Another key cannot collect the outcome with the token.
        assert!(matches!(
            accounts.import_login_token(30, &token, NOW + 3).await,
            Err(QrLoginError::Invalid)
        ));
        match accounts
            .import_login_token(EXPORTER, &token, NOW + 3)
            .await
            .expect("import_login_token")
        {
            QrExport::Success(found) => assert_eq!(found.id, user),
            other => panic!("expected success, got {other:?}"),
        }
        // Used up: the next export is a fresh token again.
        assert!(matches!(
            accounts
                .export_login_token(EXPORTER, NOW + 4)
                .await
                .expect("export_login_token"),
            QrExport::Token { .. }
        ));
    }

    #[tokio::test]
    async fn expired_and_unknown_tokens_are_refused() {
        let (accounts, user) = setup().await;
        let token = token_of(
            accounts
                .export_login_token(EXPORTER, NOW)
                .await
                .expect("export_login_token"),
        );
        assert!(matches!(
            accounts
                .import_login_token(EXPORTER, &token, NOW + 1)
                .await
                .expect("import_login_token"),
            QrExport::Token { .. }
        ));
        assert!(matches!(
            accounts.import_login_token(30, &token, NOW + 1).await,
            Err(QrLoginError::Invalid)
        ));
        assert!(matches!(
            accounts
                .accept_login_token(user, ACCEPTOR, &token, NOW + QR_TOKEN_TTL_SECS)
                .await,
            Err(QrLoginError::Expired)
        ));
        assert!(matches!(
            accounts
                .accept_login_token(user, ACCEPTOR, b"nope", NOW)
                .await,
            Err(QrLoginError::Invalid)
        ));
        assert_eq!(
            accounts
                .user_of_auth_key(EXPORTER)
                .await
                .expect("user_of_auth_key"),
            None
        );
    }

    #[tokio::test]
    async fn a_password_account_leaves_a_password_login_pending() {
        let (accounts, user) = setup().await;
        accounts
            .store
            .put_password(
                user,
                PasswordRecord {
                    srp_salt1: vec![1],
                    srp_salt2: vec![2],
                    srp_g: 3,
                    srp_p: vec![4],
                    verifier: vec![5],
                    srp_id: 6,
                    hint: String::new(),
                    email: None,
                    updated_at: NOW,
                },
            )
            .await
            .expect("put_password");
        let token = token_of(
            accounts
                .export_login_token(EXPORTER, NOW)
                .await
                .expect("export_login_token"),
        );
        accounts
            .accept_login_token(user, ACCEPTOR, &token, NOW)
            .await
            .expect("accept_login_token");
        assert_eq!(
            accounts
                .user_of_auth_key(EXPORTER)
                .await
                .expect("user_of_auth_key"),
            None
        );
        assert!(matches!(
            accounts.export_login_token(EXPORTER, NOW + 1).await,
            Err(QrLoginError::PasswordNeeded)
        ));
        assert_eq!(
            accounts.pending_password_user(EXPORTER, NOW + 1),
            Some(user)
        );
        accounts
            .complete_password_login(EXPORTER, NOW + 2)
            .await
            .expect("complete_password_login");
        assert!(matches!(
            accounts
                .export_login_token(EXPORTER, NOW + 3)
                .await
                .expect("export_login_token"),
            QrExport::Success(_)
        ));
    }
}
