//! Auth keys, their sessions, and the user -> auth keys index.

use super::State;
use crate::{AuthKeyRecord, SessionRecord, StoreError};

impl State {
    pub(super) fn put_auth_key(&mut self, record: AuthKeyRecord) {
        if let Some(old_user) = self.auth_keys.get(&record.id).and_then(|old| old.user_id) {
            self.user_auth_keys.remove(&(old_user, record.id));
        }
        if let Some(user_id) = record.user_id {
            self.user_auth_keys.insert((user_id, record.id));
        }
        self.auth_keys.insert(record.id, record);
    }

    pub(super) fn delete_auth_key(&mut self, id: i64) -> bool {
        let removed = self.auth_keys.remove(&id);
        if let Some(user_id) = removed.as_ref().and_then(|record| record.user_id) {
            self.user_auth_keys.remove(&(user_id, id));
        }
        self.sessions
            .retain(|&(auth_key_id, _), _| auth_key_id != id);
        removed.is_some()
    }

    pub(super) fn bind_auth_key(
        &mut self,
        auth_key_id: i64,
        user_id: i64,
    ) -> Result<(), StoreError> {
        if !self.users.contains_key(&user_id) {
            return Err(StoreError::UserNotFound(user_id));
        }
        let Some(record) = self.auth_keys.get(&auth_key_id) else {
            return Err(StoreError::AuthKeyNotFound(auth_key_id));
        };
        let record = AuthKeyRecord {
            user_id: Some(user_id),
            ..record.clone()
        };
        self.put_auth_key(record);
        Ok(())
    }

    pub(super) fn unbind_auth_key(&mut self, auth_key_id: i64) -> Option<i64> {
        let record = self.auth_keys.get_mut(&auth_key_id)?;
        let user_id = record.user_id.take()?;
        self.user_auth_keys.remove(&(user_id, auth_key_id));
        Some(user_id)
    }

    pub(super) fn auth_keys_of_user(&self, user_id: i64) -> Vec<AuthKeyRecord> {
        self.user_auth_keys
            .range((user_id, i64::MIN)..=(user_id, i64::MAX))
            .filter_map(|(_, auth_key_id)| self.auth_keys.get(auth_key_id).cloned())
            .collect()
    }

    pub(super) fn put_session(&mut self, record: SessionRecord) -> Result<(), StoreError> {
        if !self.auth_keys.contains_key(&record.auth_key_id) {
            return Err(StoreError::AuthKeyNotFound(record.auth_key_id));
        }
        self.sessions
            .insert((record.auth_key_id, record.session_id), record);
        Ok(())
    }
}
