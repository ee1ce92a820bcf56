//! Live MTProto sessions, shared by every connection of a client: one slot per
//! (auth key id, session id), remembering which connection sends its output now.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chappe_session::ServerSession;
use chappe_store::SessionRecord;
use tokio::sync::Notify;

/// Identifies a session: the auth key it lives under and the client-chosen id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionKey {
    pub auth_key_id: i64,
    pub session_id: i64,
}

/// The connection a session currently sends through: woken when output is waiting.
#[derive(Clone)]
pub struct Outlet {
    pub connection_id: u64,
    pub wake: Arc<Notify>,
}

/// One live session.
pub struct SessionSlot {
    pub key: SessionKey,
    session: Mutex<ServerSession>,
    outlet: Mutex<Option<Outlet>>,
    /// What the store knows about the session; rewritten when the layer or client changes.
    record: Mutex<SessionRecord>,
    /// Unix seconds of the last message from the client, for evicting idle sessions.
    last_active: AtomicI64,
    /// The user the last call ran as, if the session takes updates for it.
    subscriber: Mutex<Option<i64>>,
    /// The auth key whose login the session's calls use: its own, or for a temporary
    /// key bound with `auth.bindTempAuthKey`, the permanent one.
    login_key: AtomicI64,
}

impl SessionSlot {
    pub fn new(key: SessionKey, session: ServerSession, record: SessionRecord) -> Self {
        Self {
            key,
            session: Mutex::new(session),
            outlet: Mutex::new(None),
            last_active: AtomicI64::new(record.last_seen_at),
            record: Mutex::new(record),
            subscriber: Mutex::new(None),
            login_key: AtomicI64::new(key.auth_key_id),
        }
    }

    /// The user this session takes updates for, if any.
    pub fn subscriber(&self) -> Option<i64> {
        *lock(&self.subscriber)
    }

    /// Notes client activity at `now_secs`.
    pub fn touch(&self, now_secs: i64) {
        self.last_active.store(now_secs, Ordering::Relaxed);
    }

    fn is_idle(&self, cutoff_secs: i64) -> bool {
        lock(&self.outlet).is_none() && self.last_active.load(Ordering::Relaxed) < cutoff_secs
    }

    /// The session state machine. Held only for short, non-blocking steps.
    pub fn session(&self) -> MutexGuard<'_, ServerSession> {
        lock(&self.session)
    }

    pub fn record(&self) -> MutexGuard<'_, SessionRecord> {
        lock(&self.record)
    }

    /// Makes `outlet` the connection this session sends through. Returns whether it
    /// changed, in which case unacknowledged output must be sent again on it.
    pub fn attach(&self, outlet: &Outlet) -> bool {
        let mut current = lock(&self.outlet);
        let changed = current
            .as_ref()
            .is_none_or(|o| o.connection_id != outlet.connection_id);
        if changed {
            *current = Some(outlet.clone());
        }
        changed
    }

    /// Whether some connection carries this session now.
    pub fn is_attached(&self) -> bool {
        lock(&self.outlet).is_some()
    }

    /// Whether `connection_id` is the connection this session sends through.
    pub fn is_attached_to(&self, connection_id: u64) -> bool {
        lock(&self.outlet)
            .as_ref()
            .is_some_and(|o| o.connection_id == connection_id)
    }

    /// Forgets `connection_id` as the outlet (the connection closed).
    pub fn detach(&self, connection_id: u64) {
        let mut current = lock(&self.outlet);
        if current
            .as_ref()
            .is_some_and(|o| o.connection_id == connection_id)
        {
            *current = None;
        }
    }

    /// Wakes the attached connection so it sends what is waiting.
    pub fn wake(&self) {
        if let Some(outlet) = lock(&self.outlet).as_ref() {
            outlet.wake.notify_one();
        }
    }
}

/// All live sessions of this server.
#[derive(Default)]
pub struct SessionRegistry {
    slots: Mutex<HashMap<SessionKey, Arc<SessionSlot>>>,
    /// user id -> sessions that took updates for the user. May hold stale keys (a
    /// session evicted or logged out since); readers check the slot itself.
    by_user: Mutex<HashMap<i64, HashSet<SessionKey>>>,
}

impl SessionRegistry {
    pub fn get(&self, key: &SessionKey) -> Option<Arc<SessionSlot>> {
        lock(&self.slots).get(key).cloned()
    }

    /// Inserts `slot` unless another task inserted the same session first; returns the
    /// one that is now registered.
    pub fn insert_or_get(&self, slot: SessionSlot) -> Arc<SessionSlot> {
        lock(&self.slots)
            .entry(slot.key)
            .or_insert_with(|| Arc::new(slot))
            .clone()
    }

    /// Records who `slot`'s latest call ran as. A call outside `invokeWithoutUpdates`
    /// by a logged-in user subscribes the session to that user's updates; a call
    /// with no user (logged out) ends any subscription.
    pub fn note_caller(
        &self,
        slot: &SessionSlot,
        login_key_id: i64,
        user_id: Option<i64>,
        takes_updates: bool,
    ) {
        slot.login_key.store(login_key_id, Ordering::Relaxed);
        let newly_subscribed = {
            let mut subscriber = lock(&slot.subscriber);
            let next = match user_id {
                Some(user) if takes_updates || *subscriber == Some(user) => Some(user),
                _ => None,
            };
            let newly = next.is_some() && *subscriber != next;
            *subscriber = next;
            newly
        };
        // Taken after the slot's lock is released: `sessions_of_user` holds the index
        // while it reads slots, so holding both here in the other order could deadlock.
        if let (true, Some(user)) = (newly_subscribed, user_id) {
            lock(&self.by_user)
                .entry(user)
                .or_default()
                .insert(slot.key);
        }
    }

    /// The live sessions that take updates for `user_id`.
    pub fn sessions_of_user(&self, user_id: i64) -> Vec<Arc<SessionSlot>> {
        let mut by_user = lock(&self.by_user);
        let Some(keys) = by_user.get_mut(&user_id) else {
            return Vec::new();
        };
        let slots = lock(&self.slots);
        let mut live = Vec::with_capacity(keys.len());
        keys.retain(|key| match slots.get(key) {
            Some(slot) if slot.subscriber() == Some(user_id) => {
                live.push(slot.clone());
                true
            }
            _ => false,
        });
        if keys.is_empty() {
            by_user.remove(&user_id);
        }
        live
    }

    /// Whether some live session takes updates for `user_id`, without collecting them
    /// (asked once per member when a channel post is pushed).
    pub fn has_sessions_of_user(&self, user_id: i64) -> bool {
        let by_user = lock(&self.by_user);
        let slots = lock(&self.slots);
        by_user
            .get(&user_id)
            .is_some_and(|keys| keys.iter().any(|key| subscribed(&slots, key, user_id)))
    }

    /// The users among `user_ids` with a live session that takes their updates, in the
    /// order given: one channel member page is answered under one hold of the locks.
    pub fn users_with_sessions_among(&self, user_ids: &[i64]) -> Vec<i64> {
        let by_user = lock(&self.by_user);
        let slots = lock(&self.slots);
        user_ids
            .iter()
            .copied()
            .filter(|&user| {
                by_user
                    .get(&user)
                    .is_some_and(|keys| keys.iter().any(|key| subscribed(&slots, key, user)))
            })
            .collect()
    }

    /// Every user with a live session that takes their updates, by id, if the index
    /// holds no more than `at_most` users (stale ones included, so `None` can come early
    /// and cheap): a push to a big channel reads only these users' rows when they are far
    /// fewer than its members. Drops the index's stale keys on the way.
    pub fn users_with_sessions(&self, at_most: usize) -> Option<Vec<i64>> {
        let mut by_user = lock(&self.by_user);
        if by_user.len() > at_most {
            return None;
        }
        let slots = lock(&self.slots);
        let mut users = Vec::with_capacity(by_user.len());
        by_user.retain(|&user, keys| {
            keys.retain(|key| subscribed(&slots, key, user));
            if keys.is_empty() {
                return false;
            }
            users.push(user);
            true
        });
        users.sort_unstable();
        Some(users)
    }

    /// The live sessions of one auth key, including those on temporary keys bound to it.
    pub fn sessions_of_auth_key(&self, auth_key_id: i64) -> Vec<Arc<SessionSlot>> {
        lock(&self.slots)
            .values()
            .filter(|slot| {
                slot.key.auth_key_id == auth_key_id
                    || slot.login_key.load(Ordering::Relaxed) == auth_key_id
            })
            .cloned()
            .collect()
    }

    pub fn remove(&self, key: &SessionKey) -> Option<Arc<SessionSlot>> {
        lock(&self.slots).remove(key)
    }

    /// Forgets sessions no connection carries that have been quiet since `cutoff_secs`.
    /// Their unacknowledged output is lost; a client that comes back gets the session
    /// restored from the store (same layer, no `new_session_created`).
    pub fn evict_idle(&self, cutoff_secs: i64) -> usize {
        let mut slots = lock(&self.slots);
        let before = slots.len();
        slots.retain(|_, slot| !slot.is_idle(cutoff_secs));
        before - slots.len()
    }

    /// Removes every session of an auth key (destroy_auth_key).
    pub fn remove_auth_key(&self, auth_key_id: i64) -> Vec<Arc<SessionSlot>> {
        let mut slots = lock(&self.slots);
        let keys: Vec<SessionKey> = slots
            .keys()
            .filter(|k| k.auth_key_id == auth_key_id)
            .copied()
            .collect();
        keys.iter().filter_map(|k| slots.remove(k)).collect()
    }
}

/// Locks a mutex; a poisoned one is still used, since every critical section here leaves
/// the state consistent at each step and a panic elsewhere must not stop the server.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether the session `key` is live and takes `user`'s updates.
fn subscribed(slots: &HashMap<SessionKey, Arc<SessionSlot>>, key: &SessionKey, user: i64) -> bool {
    slots
        .get(key)
        .is_some_and(|slot| slot.subscriber() == Some(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(registry: &SessionRegistry, auth_key_id: i64, session_id: i64) -> Arc<SessionSlot> {
        let key = SessionKey {
            auth_key_id,
            session_id,
        };
        let session = ServerSession::new(
            chappe_session::ServerConfig::default(),
            chappe_session::ServerSalts::new([1; 32]),
            chappe_crypto::AuthKey::from_bytes([auth_key_id as u8; 256]),
            session_id,
            1,
            true,
        );
        let record = SessionRecord {
            auth_key_id,
            session_id,
            layer: None,
            client: None,
            ip: None,
            created_at: 0,
            last_seen_at: 0,
        };
        registry.insert_or_get(SessionSlot::new(key, session, record))
    }

    fn keys(slots: Vec<Arc<SessionSlot>>) -> Vec<(i64, i64)> {
        let mut keys: Vec<_> = slots
            .iter()
            .map(|s| (s.key.auth_key_id, s.key.session_id))
            .collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn only_sessions_that_called_as_the_user_take_its_updates() {
        let registry = SessionRegistry::default();
        let a = slot(&registry, 1, 10);
        let b = slot(&registry, 2, 20);
        let quiet = slot(&registry, 3, 30);
        registry.note_caller(&a, 1, Some(7), true);
        registry.note_caller(&b, 2, Some(7), true);
        // invokeWithoutUpdates does not subscribe.
        registry.note_caller(&quiet, 3, Some(7), false);
        assert_eq!(keys(registry.sessions_of_user(7)), vec![(1, 10), (2, 20)]);
        assert!(registry.has_sessions_of_user(7));
        assert!(!registry.has_sessions_of_user(9));

        // Logged out: the next call has no user and ends the subscription.
        registry.note_caller(&b, 2, None, true);
        assert_eq!(keys(registry.sessions_of_user(7)), vec![(1, 10)]);
        // Logged in as someone else: no longer 7's.
        registry.note_caller(&a, 1, Some(8), true);
        assert!(registry.sessions_of_user(7).is_empty());
        assert_eq!(keys(registry.sessions_of_user(8)), vec![(1, 10)]);

        registry.remove(&a.key);
        assert!(registry.sessions_of_user(8).is_empty());
        assert!(!registry.has_sessions_of_user(8));
    }

    #[test]
    fn online_users_among_a_page_keep_the_page_order() {
        let registry = SessionRegistry::default();
        let a = slot(&registry, 1, 10);
        let b = slot(&registry, 2, 20);
        let quiet = slot(&registry, 3, 30);
        registry.note_caller(&a, 1, Some(4), true);
        registry.note_caller(&b, 2, Some(9), true);
        registry.note_caller(&quiet, 3, Some(6), false);
        let page = [2, 4, 6, 9, 11];
        assert_eq!(registry.users_with_sessions_among(&page), vec![4, 9]);
        // A user whose only session logged out, or is gone, is no longer online.
        registry.note_caller(&b, 2, None, true);
        assert_eq!(registry.users_with_sessions_among(&page), vec![4]);
        registry.remove(&a.key);
        assert!(registry.users_with_sessions_among(&page).is_empty());
    }

    #[test]
    fn online_users_are_the_subscribed_ones_by_id() {
        let registry = SessionRegistry::default();
        let a = slot(&registry, 1, 10);
        let b = slot(&registry, 2, 20);
        let c = slot(&registry, 3, 30);
        let quiet = slot(&registry, 4, 40);
        registry.note_caller(&a, 1, Some(9), true);
        registry.note_caller(&b, 2, Some(4), true);
        registry.note_caller(&c, 3, Some(9), true);
        registry.note_caller(&quiet, 4, Some(6), false);
        assert_eq!(registry.users_with_sessions(10), Some(vec![4, 9]));
        // 9 stays online while one of its sessions does.
        registry.remove(&a.key);
        assert_eq!(registry.users_with_sessions(10), Some(vec![4, 9]));
        registry.note_caller(&c, 3, None, true);
        registry.note_caller(&b, 2, Some(5), true);
        assert_eq!(registry.users_with_sessions(10), Some(vec![5]));
        assert_eq!(lock(&registry.by_user).len(), 1, "stale users dropped");
        assert_eq!(
            registry.users_with_sessions(0),
            None,
            "more online than asked for"
        );
    }

    #[test]
    fn a_bound_temporary_key_is_reached_through_its_permanent_key() {
        let registry = SessionRegistry::default();
        let perm = slot(&registry, 1, 10);
        let temp = slot(&registry, 5, 50);
        let other = slot(&registry, 6, 60);
        registry.note_caller(&perm, 1, None, true);
        registry.note_caller(&temp, 1, None, true);
        registry.note_caller(&other, 6, None, true);
        assert_eq!(
            keys(registry.sessions_of_auth_key(1)),
            vec![(1, 10), (5, 50)]
        );
    }
}
