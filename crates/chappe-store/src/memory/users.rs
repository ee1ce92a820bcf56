//! Users with their phone and username indexes and the id counter.

use super::State;
use crate::users::{matches_search, username_key};
use crate::{StoreError, UserRecord, SEARCH_SCAN_LIMIT, SERVICE_USER_ID};

impl State {
    pub(super) fn create_user(
        &mut self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
    ) -> Result<UserRecord, StoreError> {
        if self.users_by_phone.contains_key(phone) {
            return Err(StoreError::PhoneTaken);
        }
        let mut id = self.next_user_id.unwrap_or(self.user_id_base);
        if id == SERVICE_USER_ID {
            id += 1;
        }
        let next = id.checked_add(1).ok_or(StoreError::UserIdsExhausted)?;
        let record = UserRecord {
            id,
            phone: phone.to_owned(),
            first_name: first_name.to_owned(),
            last_name: last_name.to_owned(),
            username: None,
            about: String::new(),
            created_at: now,
            banned: false,
            last_online_at: now,
        };
        self.next_user_id = Some(next);
        self.users_by_phone.insert(phone.to_owned(), id);
        self.users.insert(id, record.clone());
        Ok(record)
    }

    /// Checks both preconditions before writing anything, so a failure
    /// leaves the state (and the id counter) untouched.
    pub(super) fn create_user_bound(
        &mut self,
        phone: &str,
        first_name: &str,
        last_name: &str,
        now: i64,
        auth_key_id: i64,
    ) -> Result<UserRecord, StoreError> {
        if !self.auth_keys.contains_key(&auth_key_id) {
            return Err(StoreError::AuthKeyNotFound(auth_key_id));
        }
        let user = self.create_user(phone, first_name, last_name, now)?;
        self.bind_auth_key(auth_key_id, user.id)?;
        Ok(user)
    }

    pub(super) fn get_users(&self, ids: &[i64]) -> Vec<UserRecord> {
        let mut seen = std::collections::HashSet::new();
        ids.iter()
            .filter(|id| seen.insert(**id))
            .filter_map(|id| self.users.get(id).cloned())
            .collect()
    }

    pub(super) fn user_by_phone(&self, phone: &str) -> Option<UserRecord> {
        let id = self.users_by_phone.get(phone)?;
        self.users.get(id).cloned()
    }

    pub(super) fn user_by_username(&self, username: &str) -> Option<UserRecord> {
        let id = self.users_by_username.get(&username_key(username))?;
        self.users.get(id).cloned()
    }

    pub(super) fn update_user(&mut self, record: UserRecord) -> Result<(), StoreError> {
        let Some(old) = self.users.get(&record.id) else {
            return Err(StoreError::UserNotFound(record.id));
        };
        // Check every index before touching any, so a failure changes nothing.
        if let Some(&owner) = self.users_by_phone.get(&record.phone) {
            if owner != record.id {
                return Err(StoreError::PhoneTaken);
            }
        }
        let new_key = record.username.as_deref().map(username_key);
        if let Some(key) = &new_key {
            if let Some(&owner) = self.users_by_username.get(key) {
                if owner != record.id {
                    return Err(StoreError::UsernameTaken);
                }
            }
        }
        let old_phone = old.phone.clone();
        let old_key = old.username.as_deref().map(username_key);
        self.users_by_phone.remove(&old_phone);
        self.users_by_phone.insert(record.phone.clone(), record.id);
        if let Some(key) = old_key {
            self.users_by_username.remove(&key);
        }
        if let Some(key) = new_key {
            self.users_by_username.insert(key, record.id);
        }
        self.users.insert(record.id, record);
        Ok(())
    }

    pub(super) fn list_users(&self, after_id: i64, limit: usize) -> Vec<UserRecord> {
        let Some(start) = after_id.checked_add(1) else {
            return Vec::new();
        };
        self.users
            .range(start..)
            .take(limit)
            .map(|(_, user)| user.clone())
            .collect()
    }

    pub(super) fn search_users(&self, query: &str, limit: usize) -> Vec<UserRecord> {
        if query.is_empty() {
            return Vec::new();
        }
        let query = query.to_lowercase();
        self.users
            .values()
            .take(SEARCH_SCAN_LIMIT)
            .filter(|user| matches_search(user, &query))
            .take(limit)
            .cloned()
            .collect()
    }
}
