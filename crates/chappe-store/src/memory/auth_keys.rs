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

    pub(super) fn bind_temp_auth_key(
        &mut self,
        temp_id: i64,
        perm_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        if !self.auth_keys.contains_key(&temp_id) {
            return Err(StoreError::AuthKeyNotFound(temp_id));
        }
        if !self.auth_keys.contains_key(&perm_id) {
            return Err(StoreError::AuthKeyNotFound(perm_id));
        }
        let mut unbound = None;
        if let Some(old_id) = self.temp_bindings.insert(perm_id, temp_id) {
            if let Some(old) = self.auth_keys.get_mut(&old_id) {
                if old_id != temp_id && old.perm_key_id == Some(perm_id) {
                    old.perm_key_id = None;
                    unbound = Some(old_id);
                }
            }
        }
        if let Some(temp) = self.auth_keys.get_mut(&temp_id) {
            temp.perm_key_id = Some(perm_id);
        }
        Ok(unbound)
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
