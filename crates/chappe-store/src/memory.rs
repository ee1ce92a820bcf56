//! [`MemoryStore`]: the [`Store`] trait over plain maps, for tests.
//!
//! It follows the same rules as the durable backends (the conformance suite
//! checks both), but nothing survives the process.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;

use crate::secrets::{check_name, fresh_secret};
use crate::{AuthKeyRecord, SessionRecord, Store, StoreError, SECRET_LEN};

/// An in-memory [`Store`]; cheap to create, forgets everything on drop.
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    auth_keys: HashMap<i64, AuthKeyRecord>,
    // Ordered so list_sessions is a range scan, as in the durable backends.
    sessions: BTreeMap<(i64, i64), SessionRecord>,
    secrets: HashMap<String, [u8; SECRET_LEN]>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    // A panic while holding the lock cannot leave the maps half-updated
    // (every operation is a single map call or checks before it writes), so a
    // poisoned lock is still safe to use.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn put_auth_key(&self, record: AuthKeyRecord) -> Result<(), StoreError> {
        self.state().auth_keys.insert(record.id, record);
        Ok(())
    }

    async fn get_auth_key(&self, id: i64) -> Result<Option<AuthKeyRecord>, StoreError> {
        Ok(self.state().auth_keys.get(&id).cloned())
    }

    async fn delete_auth_key(&self, id: i64) -> Result<bool, StoreError> {
        let mut state = self.state();
        let existed = state.auth_keys.remove(&id).is_some();
        state
            .sessions
            .retain(|&(auth_key_id, _), _| auth_key_id != id);
        Ok(existed)
    }

    async fn put_session(&self, record: SessionRecord) -> Result<(), StoreError> {
        let mut state = self.state();
        if !state.auth_keys.contains_key(&record.auth_key_id) {
            return Err(StoreError::AuthKeyNotFound(record.auth_key_id));
        }
        state
            .sessions
            .insert((record.auth_key_id, record.session_id), record);
        Ok(())
    }

    async fn get_session(
        &self,
        auth_key_id: i64,
        session_id: i64,
    ) -> Result<Option<SessionRecord>, StoreError> {
        Ok(self
            .state()
            .sessions
            .get(&(auth_key_id, session_id))
            .cloned())
    }

    async fn list_sessions(&self, auth_key_id: i64) -> Result<Vec<SessionRecord>, StoreError> {
        Ok(self
            .state()
            .sessions
            .range((auth_key_id, i64::MIN)..=(auth_key_id, i64::MAX))
            .map(|(_, record)| record.clone())
            .collect())
    }

    async fn delete_session(&self, auth_key_id: i64, session_id: i64) -> Result<bool, StoreError> {
        Ok(self
            .state()
            .sessions
            .remove(&(auth_key_id, session_id))
            .is_some())
    }

    async fn get_or_init_secret(&self, name: &str) -> Result<[u8; SECRET_LEN], StoreError> {
        check_name(name)?;
        let mut state = self.state();
        if let Some(secret) = state.secrets.get(name) {
            return Ok(*secret);
        }
        let secret = fresh_secret()?;
        state.secrets.insert(name.to_owned(), secret);
        Ok(secret)
    }
}
