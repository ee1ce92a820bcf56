//! Which auth keys are logged in as whom: binding, logging out, listing and
//! resetting a user's sessions, and banning.

use std::net::IpAddr;

use chappe_store::{ClientInfo, UserRecord};

use super::{lock, Accounts};
use crate::phone::normalize;
use crate::AccountError;

/// One logged-in auth key of a user (`account.getAuthorizations`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The handle clients use to terminate it (never the auth key id;
    /// 0 for the caller's own key, as Telegram does).
    pub hash: i64,
    /// Whether this is the caller's own auth key.
    pub current: bool,
    /// The auth key id, for server use only: never send it to clients.
    pub auth_key_id: i64,
    /// When the auth key was made.
    pub created_at: i64,
    /// When any of its sessions was last seen (the key's creation time if
    /// it has none).
    pub last_seen_at: i64,
    /// What the most recently seen session said about itself.
    pub client: Option<ClientInfo>,
    /// Where the most recently seen session came from.
    pub ip: Option<IpAddr>,
}

impl Accounts {
    /// Logs the auth key in as `user_id` and updates the cache.
    pub(super) async fn bind(&self, auth_key_id: i64, user_id: i64) -> Result<(), AccountError> {
        let _serial = self.login_writes.lock().await;
        self.store.bind_auth_key(auth_key_id, user_id).await?;
        self.cache_auth(auth_key_id, Some(user_id));
        tracing::info!(user_id, "auth key logged in");
        Ok(())
    }

    async fn unbind(&self, auth_key_id: i64) -> Result<Option<i64>, AccountError> {
        let _serial = self.login_writes.lock().await;
        let previous = self.store.unbind_auth_key(auth_key_id).await?;
        self.cache_auth(auth_key_id, None);
        if let Some(user_id) = previous {
            // Push tokens belong to the login: a logged-out device gets no more pushes.
            self.store
                .delete_devices_of_auth_key(user_id, auth_key_id)
                .await?;
        }
        self.forget_pending(auth_key_id);
        Ok(previous)
    }

    /// The user this auth key is logged in as. Called on every request, so
    /// answers from an in-memory cache after the first lookup; the cache
    /// follows every bind and unbind made through this service (call
    /// [`Accounts::forget_auth_key`] when a key is destroyed elsewhere).
    /// Single-process only: another node's logins are not seen.
    pub async fn user_of_auth_key(&self, auth_key_id: i64) -> Result<Option<i64>, AccountError> {
        let generation = {
            let cache = lock(&self.auth_cache);
            if let Some(&cached) = cache.logins.get(&auth_key_id) {
                return Ok(cached);
            }
            cache.generation
        };
        let user_id = self
            .store
            .get_auth_key(auth_key_id)
            .await?
            .and_then(|record| record.user_id);
        self.cache_lookup(auth_key_id, user_id, generation);
        Ok(user_id)
    }

    /// Like [`Accounts::user_of_auth_key`], failing with
    /// [`AccountError::AuthKeyUnregistered`] when not logged in.
    pub async fn require_user(&self, auth_key_id: i64) -> Result<i64, AccountError> {
        self.user_of_auth_key(auth_key_id)
            .await?
            .ok_or(AccountError::AuthKeyUnregistered)
    }

    /// Drops the cached login of an auth key (after it was deleted or
    /// changed outside this service).
    pub fn forget_auth_key(&self, auth_key_id: i64) {
        {
            let mut cache = lock(&self.auth_cache);
            cache.generation = cache.generation.wrapping_add(1);
            cache.logins.remove(&auth_key_id);
        }
        self.forget_pending(auth_key_id);
    }

    /// `auth.logOut`: the auth key is no longer logged in. Answers the user
    /// it was logged in as.
    pub async fn log_out(&self, auth_key_id: i64) -> Result<Option<i64>, AccountError> {
        let previous = self.unbind(auth_key_id).await?;
        if let Some(user_id) = previous {
            tracing::info!(user_id, "auth key logged out");
        }
        Ok(previous)
    }

    /// `account.getAuthorizations`: every auth key logged in as `user_id`,
    /// most recently seen first.
    pub async fn authorizations(
        &self,
        user_id: i64,
        current_auth_key_id: i64,
    ) -> Result<Vec<Authorization>, AccountError> {
        let keys = self.store.auth_keys_of_user(user_id).await?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let sessions = self.store.list_sessions(key.id).await?;
            let latest = sessions.into_iter().max_by_key(|s| s.last_seen_at);
            let current = key.id == current_auth_key_id;
            out.push(Authorization {
                hash: if current {
                    0
                } else {
                    self.access_hashes.for_authorization(key.id)
                },
                current,
                auth_key_id: key.id,
                created_at: key.created_at,
                last_seen_at: latest.as_ref().map_or(key.created_at, |s| s.last_seen_at),
                client: latest.as_ref().and_then(|s| s.client.clone()),
                ip: latest.and_then(|s| s.ip),
            });
        }
        out.sort_by_key(|a| std::cmp::Reverse((a.current, a.last_seen_at)));
        Ok(out)
    }

    /// `account.resetAuthorization`: logs out the user's auth key named by
    /// `hash` (as given by [`Accounts::authorizations`]). The current key
    /// (hash 0) cannot be reset this way.
    pub async fn reset_authorization(&self, user_id: i64, hash: i64) -> Result<(), AccountError> {
        if hash == 0 {
            return Err(AccountError::HashInvalid);
        }
        let keys = self.store.auth_keys_of_user(user_id).await?;
        let target = keys
            .iter()
            .find(|key| self.access_hashes.for_authorization(key.id) == hash)
            .ok_or(AccountError::HashInvalid)?;
        self.unbind(target.id).await?;
        tracing::info!(user_id, "authorization reset");
        Ok(())
    }

    /// `auth.resetAuthorizations`: logs out every auth key of the user but
    /// `except_auth_key_id`. Answers how many were logged out.
    pub async fn reset_authorizations(
        &self,
        user_id: i64,
        except_auth_key_id: i64,
    ) -> Result<usize, AccountError> {
        let keys = self.store.auth_keys_of_user(user_id).await?;
        let mut count = 0;
        for key in keys.iter().filter(|key| key.id != except_auth_key_id) {
            self.unbind(key.id).await?;
            count += 1;
        }
        Ok(count)
    }

    /// Admin: bans the account with this phone number and logs out all its
    /// auth keys.
    pub async fn ban_user(&self, phone: &str) -> Result<UserRecord, AccountError> {
        self.set_banned(phone, true).await
    }

    /// Admin: lifts a ban.
    pub async fn unban_user(&self, phone: &str) -> Result<UserRecord, AccountError> {
        self.set_banned(phone, false).await
    }

    async fn set_banned(&self, phone: &str, banned: bool) -> Result<UserRecord, AccountError> {
        let phone = normalize(phone)?;
        let user = self
            .store
            .user_by_phone(&phone)
            .await?
            .ok_or(AccountError::PhoneNumberUnoccupied)?;
        let user = UserRecord { banned, ..user };
        // Banned first, so a login racing with the unbinding cannot stick.
        self.store.update_user(user.clone()).await?;
        if banned {
            self.reset_authorizations(user.id, 0).await?;
            lock(&self.pending)
                .passwords
                .retain(|_, pending| pending.user_id != user.id);
            tracing::info!(user_id = user.id, "user banned");
        }
        Ok(user)
    }
}
