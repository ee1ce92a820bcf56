//! Half-finished logins, remembered in memory with an expiry: a sign-in that
//! answered "sign up required" (keyed by auth key and phone_code_hash) and
//! one that answered "password needed" (keyed by auth key). Bounded; a
//! restart forgets them and the client starts the login again.

use std::collections::HashMap;

#[derive(Debug)]
struct Entry<T> {
    value: T,
    expires_at: i64,
}

/// A bounded map whose entries expire.
#[derive(Debug)]
pub(crate) struct Expiring<K, T> {
    entries: HashMap<K, Entry<T>>,
    capacity: usize,
}

impl<K: std::hash::Hash + Eq + Clone, T> Expiring<K, T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            entries: HashMap::new(),
            capacity: capacity.max(1),
        }
    }

    pub(crate) fn insert(&mut self, key: K, value: T, expires_at: i64, now: i64) {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.capacity {
            self.entries.retain(|_, entry| entry.expires_at > now);
            if self.entries.len() >= self.capacity {
                // Still full of live entries: drop the one closest to expiry.
                let soonest = self
                    .entries
                    .iter()
                    .min_by_key(|(_, entry)| entry.expires_at)
                    .map(|(key, _)| key.clone());
                if let Some(soonest) = soonest {
                    self.entries.remove(&soonest);
                }
            }
        }
        self.entries.insert(key, Entry { value, expires_at });
    }

    /// The live entry for `key`, if any (an expired one is dropped).
    pub(crate) fn get(&mut self, key: &K, now: i64) -> Option<&T> {
        if self
            .entries
            .get(key)
            .is_some_and(|entry| entry.expires_at <= now)
        {
            self.entries.remove(key);
        }
        self.entries.get(key).map(|entry| &entry.value)
    }

    pub(crate) fn remove(&mut self, key: &K) -> Option<T> {
        self.entries.remove(key).map(|entry| entry.value)
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&K, &T) -> bool) {
        self.entries.retain(|key, entry| keep(key, &entry.value));
    }
}

/// A sign-in whose code was right for a number with no account.
#[derive(Clone, Debug)]
pub(crate) struct PendingSignUp {
    pub(crate) phone: String,
}

/// A sign-in whose code was right for an account with a password.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PendingPassword {
    pub(crate) user_id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_capacity_holds() {
        let mut map = Expiring::new(2);
        map.insert(1, "a", 10, 0);
        map.insert(2, "b", 20, 0);
        map.insert(3, "c", 30, 0);
        assert!(map.get(&1, 0).is_none(), "closest to expiry was dropped");
        assert_eq!(map.get(&2, 19), Some(&"b"));
        assert!(map.get(&2, 20).is_none());
        assert_eq!(map.remove(&3), Some("c"));
    }
}
