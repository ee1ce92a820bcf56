//! Auth keys in memory: a read-through cache over the store, so the hot path (every encrypted
//! packet) needs no store round trip.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chappe_crypto::AuthKey;
use chappe_session::Timestamp;
use chappe_store::{AuthKeyKind, AuthKeyRecord, Store, StoreError};

/// An auth key the server knows, with what the session layer needs about it.
#[derive(Clone)]
pub struct KnownKey {
    pub key: Arc<AuthKey>,
    pub kind: AuthKeyKind,
    /// For a temporary key bound with `auth.bindTempAuthKey`: the permanent key whose
    /// login it carries.
    pub perm_key_id: Option<i64>,
    /// For a key made by this process: the salt its handshake gave the client and until
    /// when the sessions accept it (saves every new key a `bad_server_salt` round trip).
    pub first_salt: Option<(i64, Timestamp)>,
}

impl KnownKey {
    fn of(record: &AuthKeyRecord) -> Self {
        Self {
            key: Arc::new(AuthKey::from_bytes(record.key)),
            kind: record.kind,
            perm_key_id: record.perm_key_id,
            first_salt: None,
        }
    }
}

/// Read-through cache of auth keys. Unknown ids are not cached, so a flood of random ids
/// cannot grow it; only keys that passed the handshake or are in the store enter.
pub struct AuthKeyCache {
    store: Arc<dyn Store>,
    keys: RwLock<HashMap<i64, KnownKey>>,
}

impl AuthKeyCache {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            keys: RwLock::new(HashMap::new()),
        }
    }

    /// The key with this id, from memory or the store; `None` when nobody has it.
    pub async fn get(&self, id: i64) -> Result<Option<KnownKey>, StoreError> {
        if let Some(found) = self.read().get(&id) {
            return Ok(Some(found.clone()));
        }
        let Some(record) = self.store.get_auth_key(id).await? else {
            return Ok(None);
        };
        let known = KnownKey::of(&record);
        self.write().insert(id, known.clone());
        Ok(Some(known))
    }

    /// Stores a key made by a handshake, with the first salt the handshake gave the
    /// client and its deadline; returns once it is durable.
    pub async fn insert(
        &self,
        record: AuthKeyRecord,
        first_salt: (i64, Timestamp),
    ) -> Result<(), StoreError> {
        let id = record.id;
        let known = KnownKey {
            first_salt: Some(first_salt),
            ..KnownKey::of(&record)
        };
        self.store.put_auth_key(record).await?;
        self.write().insert(id, known);
        Ok(())
    }

    /// Whether a key id is taken (a new key colliding with it must be refused).
    pub async fn exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.get(id).await?.is_some())
    }

    /// Reads a key again from the store (after `auth.bindTempAuthKey` changed its binding
    /// there).
    pub async fn reload(&self, id: i64) -> Result<(), StoreError> {
        match self.store.get_auth_key(id).await? {
            Some(record) => {
                let mut keys = self.write();
                let first_salt = keys.get(&id).and_then(|k| k.first_salt);
                keys.insert(
                    id,
                    KnownKey {
                        first_salt,
                        ..KnownKey::of(&record)
                    },
                );
            }
            None => {
                self.write().remove(&id);
            }
        }
        Ok(())
    }

    /// Reads again every cached temporary key bound to `perm_id` (a new binding of the
    /// permanent key took the binding away from the previous one).
    pub async fn reload_bound_to(&self, perm_id: i64) -> Result<(), StoreError> {
        let bound: Vec<i64> = self
            .read()
            .iter()
            .filter(|(_, known)| known.perm_key_id == Some(perm_id))
            .map(|(&id, _)| id)
            .collect();
        for id in bound {
            self.reload(id).await?;
        }
        Ok(())
    }

    /// Forgets a key everywhere (destroy_auth_key).
    pub async fn remove(&self, id: i64) -> Result<(), StoreError> {
        self.write().remove(&id);
        self.store.delete_auth_key(id).await?;
        Ok(())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<i64, KnownKey>> {
        // A poisoned lock only means another task panicked mid-insert of a complete value.
        self.keys.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<i64, KnownKey>> {
        self.keys.write().unwrap_or_else(|e| e.into_inner())
    }
}
