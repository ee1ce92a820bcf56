//! Profiles: names and bio, usernames, looking users up, and the stored 2FA
//! password state.

use chappe_store::{PasswordRecord, StoreError, UserRecord};

use super::Accounts;
use crate::phone::normalize;
use crate::AccountError;

/// Longest name accepted, in characters.
const NAME_MAX_CHARS: usize = 64;
/// Longest "about" text accepted, in characters.
const ABOUT_MAX_CHARS: usize = 70;

/// Telegram's username rules: 5..=32 of `[a-zA-Z0-9_]`, starting with a
/// letter.
pub(crate) fn valid_username(name: &str) -> bool {
    (5..=32).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Accounts {
    /// `account.updateProfile`: changes whichever of the fields are given.
    pub async fn update_profile(
        &self,
        user_id: i64,
        first_name: Option<&str>,
        last_name: Option<&str>,
        about: Option<&str>,
    ) -> Result<UserRecord, AccountError> {
        let mut user = self.existing_user(user_id).await?;
        if let Some(first) = first_name {
            let first = first.trim();
            if first.is_empty() || first.chars().count() > NAME_MAX_CHARS {
                return Err(AccountError::FirstnameInvalid);
            }
            user.first_name = first.to_owned();
        }
        if let Some(last) = last_name {
            let last = last.trim();
            if last.chars().count() > NAME_MAX_CHARS {
                return Err(AccountError::LastnameInvalid);
            }
            user.last_name = last.to_owned();
        }
        if let Some(about) = about {
            if about.chars().count() > ABOUT_MAX_CHARS {
                return Err(AccountError::AboutTooLong);
            }
            about.clone_into(&mut user.about);
        }
        self.store.update_user(user.clone()).await?;
        Ok(user)
    }

    /// Records that the user was online at `now` (a durable write: callers
    /// should not call it on every request).
    pub async fn set_last_online(&self, user_id: i64, now: i64) -> Result<(), AccountError> {
        let mut user = self.existing_user(user_id).await?;
        user.last_online_at = now;
        self.store.update_user(user).await?;
        Ok(())
    }

    /// `account.checkUsername`: Ok if `user_id` could take `name` (its own
    /// current username counts as available).
    pub async fn check_username(&self, user_id: i64, name: &str) -> Result<(), AccountError> {
        if !valid_username(name) {
            return Err(AccountError::UsernameInvalid);
        }
        match self.store.user_by_username(name).await? {
            Some(owner) if owner.id != user_id => Err(AccountError::UsernameOccupied),
            _ if self.channel_holds(name).await? => Err(AccountError::UsernameOccupied),
            _ => Ok(()),
        }
    }

    /// Whether a live channel holds `name` (users and channels share one
    /// username space). Checked before the user write, so a channel taking
    /// the name at the same instant can still win; the channel side checks
    /// users inside its transaction.
    async fn channel_holds(&self, name: &str) -> Result<bool, AccountError> {
        Ok(self
            .store
            .channel_by_username(name)
            .await?
            .is_some_and(|c| !c.deleted))
    }

    /// `account.updateUsername`: sets the username, or removes it when
    /// `name` is empty. Uniqueness is enforced by the store atomically.
    pub async fn update_username(
        &self,
        user_id: i64,
        name: &str,
    ) -> Result<UserRecord, AccountError> {
        let mut user = self.existing_user(user_id).await?;
        let new = if name.is_empty() {
            None
        } else if valid_username(name) {
            Some(name.to_owned())
        } else {
            return Err(AccountError::UsernameInvalid);
        };
        if user.username == new {
            return Err(AccountError::UsernameNotModified);
        }
        if let Some(name) = &new {
            if self.channel_holds(name).await? {
                return Err(AccountError::UsernameOccupied);
            }
        }
        user.username = new;
        match self.store.update_user(user.clone()).await {
            Ok(()) => Ok(user),
            Err(StoreError::UsernameTaken) => Err(AccountError::UsernameOccupied),
            Err(err) => Err(err.into()),
        }
    }

    /// The user, if the account exists.
    pub async fn get_user(&self, user_id: i64) -> Result<Option<UserRecord>, AccountError> {
        Ok(self.store.get_user(user_id).await?)
    }

    /// `users.getUsers`: the existing accounts among `ids`, in order.
    pub async fn get_users(&self, ids: &[i64]) -> Result<Vec<UserRecord>, AccountError> {
        Ok(self.store.get_users(ids).await?)
    }

    /// `contacts.resolveUsername` (users only for now).
    pub async fn resolve_username(&self, name: &str) -> Result<UserRecord, AccountError> {
        let name = name.strip_prefix('@').unwrap_or(name);
        if !valid_username(name) {
            return Err(AccountError::UsernameInvalid);
        }
        self.store
            .user_by_username(name)
            .await?
            .filter(|user| !user.banned)
            .ok_or(AccountError::UsernameNotOccupied)
    }

    /// `contacts.resolvePhone`. No phone privacy settings yet: any account
    /// can be found by number.
    pub async fn resolve_phone(&self, phone: &str) -> Result<UserRecord, AccountError> {
        let phone = normalize(phone)?;
        self.store
            .user_by_phone(&phone)
            .await?
            .filter(|user| !user.banned)
            .ok_or(AccountError::PhoneNotOccupied)
    }

    /// `contacts.search`: users whose username or name starts with `query`
    /// (a leading `@` is ignored), banned accounts left out; at most
    /// `limit` (capped by the configured page size).
    pub async fn search(&self, query: &str, limit: usize) -> Result<Vec<UserRecord>, AccountError> {
        let query = query.trim();
        let query = query.strip_prefix('@').unwrap_or(query);
        let limit = limit.min(self.config.max_page);
        if query.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let mut found = self.store.search_users(query, limit).await?;
        found.retain(|user| !user.banned);
        Ok(found)
    }

    /// The user's 2FA password state, if a password is set.
    pub async fn password(&self, user_id: i64) -> Result<Option<PasswordRecord>, AccountError> {
        Ok(self.store.get_password(user_id).await?)
    }

    /// Sets or replaces the user's 2FA password state (already computed by
    /// the SRP code).
    pub async fn set_password(
        &self,
        user_id: i64,
        record: PasswordRecord,
    ) -> Result<(), AccountError> {
        self.existing_user(user_id).await?;
        Ok(self.store.put_password(user_id, record).await?)
    }

    /// Removes the user's 2FA password. Answers whether one was set.
    pub async fn remove_password(&self, user_id: i64) -> Result<bool, AccountError> {
        Ok(self.store.delete_password(user_id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::valid_username;

    #[test]
    fn username_rules() {
        for good in ["abcde", "a_1_2", &format!("a{}", "b".repeat(31))] {
            assert!(valid_username(good), "{good}");
        }
        for bad in [
            "abcd",
            "1abcd",
            "_abcd",
            "abc-d",
            "abcdé",
            &"a".repeat(33),
            "",
        ] {
            assert!(!valid_username(bad), "{bad}");
        }
    }
}
