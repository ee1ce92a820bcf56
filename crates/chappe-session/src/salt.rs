//! Server salts derived, not stored: `salt = first 8 bytes of SHA256(server_secret |
//! auth_key_id | slot)` with 30-minute slots.
//!
//! Deriving salts keeps them stateless and restart-proof: every node that knows the
//! server secret computes the same salt for a key at a given time, and nothing has to
//! be persisted or synchronised. A salt is accepted during its own slot and the next
//! one (MTProto keeps old salts valid for a further 1800 s), and the next slot's salt a
//! little early, for clients that switch to a future salt with a slightly fast clock.

use std::time::Duration;

use chappe_crypto::hash::sha256;

use crate::time::Timestamp;

/// Length of one salt slot.
pub const SALT_SLOT: Duration = Duration::from_secs(1800);
/// How early the next slot's salt is already accepted.
pub const SALT_EARLY_GRACE: Duration = Duration::from_secs(120);
/// Most future salts one `get_future_salts` returns (MTProto's own limit).
pub const MAX_FUTURE_SALTS: usize = 64;

/// One salt with the time window a client should use it in (`future_salt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FutureSalt {
    /// Unix time (seconds) from which the salt is valid.
    pub valid_since: i32,
    /// Unix time (seconds) after which the salt is no longer accepted.
    pub valid_until: i32,
    /// The salt.
    pub salt: i64,
}

/// The salt schedule of one server: a secret shared by every node of the deployment.
#[derive(Clone)]
pub struct ServerSalts {
    secret: [u8; 32],
}

impl std::fmt::Debug for ServerSalts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSalts").finish_non_exhaustive()
    }
}

impl ServerSalts {
    /// A schedule keyed by `secret` (keep it private and stable across restarts).
    pub fn new(secret: [u8; 32]) -> Self {
        ServerSalts { secret }
    }

    fn slot_of(time: Timestamp) -> u64 {
        time.as_secs() / SALT_SLOT.as_secs()
    }

    /// The salt of `auth_key_id` for slot number `slot`.
    pub fn salt_for_slot(&self, auth_key_id: i64, slot: u64) -> i64 {
        let digest = sha256(&[
            &self.secret,
            &auth_key_id.to_le_bytes(),
            &slot.to_le_bytes(),
        ]);
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        i64::from_le_bytes(first)
    }

    /// The salt a client of `auth_key_id` should use at `now`.
    pub fn current(&self, auth_key_id: i64, now: Timestamp) -> i64 {
        self.salt_for_slot(auth_key_id, Self::slot_of(now))
    }

    /// Whether `salt` is accepted from a client of `auth_key_id` at `now`.
    pub fn is_valid(&self, auth_key_id: i64, salt: i64, now: Timestamp) -> bool {
        let slot = Self::slot_of(now);
        let early = Self::slot_of(now.saturating_add(SALT_EARLY_GRACE));
        let mut candidates = [Some(slot), slot.checked_sub(1), None];
        if early != slot {
            candidates[2] = Some(early);
        }
        candidates
            .into_iter()
            .flatten()
            .any(|s| self.salt_for_slot(auth_key_id, s) == salt)
    }

    /// Up to `num` salts starting with the current one (`get_future_salts`); `num` is
    /// clamped to 1..=[`MAX_FUTURE_SALTS`].
    pub fn future(&self, auth_key_id: i64, now: Timestamp, num: i32) -> Vec<FutureSalt> {
        let count = usize::try_from(num).unwrap_or(0).clamp(1, MAX_FUTURE_SALTS) as u64;
        let first = Self::slot_of(now);
        let len = SALT_SLOT.as_secs();
        (first..first + count)
            .map(|slot| {
                let since = slot * len;
                FutureSalt {
                    valid_since: clamp_i32(since),
                    // Accepted for one slot after its own (see is_valid).
                    valid_until: clamp_i32(since + 2 * len),
                    salt: self.salt_for_slot(auth_key_id, slot),
                }
            })
            .collect()
    }
}

fn clamp_i32(secs: u64) -> i32 {
    i32::try_from(secs).unwrap_or(i32::MAX)
}

/// Remembers the last few derived salts of one key so checking a message's salt costs
/// no hashing in the common case.
#[derive(Debug, Clone)]
pub(crate) struct SaltCache {
    salts: ServerSalts,
    auth_key_id: i64,
    cached_slot: Option<u64>,
    // Salts of slots cached_slot - 1, cached_slot, cached_slot + 1.
    around: [i64; 3],
    /// The salt the auth-key handshake gave the client, accepted until the deadline so a
    /// new key's first messages need no `bad_server_salt` round trip.
    initial: Option<(i64, Timestamp)>,
}

impl SaltCache {
    pub(crate) fn new(salts: ServerSalts, auth_key_id: i64) -> Self {
        SaltCache {
            salts,
            auth_key_id,
            cached_slot: None,
            around: [0; 3],
            initial: None,
        }
    }

    pub(crate) fn accept_initial(&mut self, salt: i64, until: Timestamp) {
        self.initial = Some((salt, until));
    }

    fn refresh(&mut self, now: Timestamp) -> u64 {
        let slot = ServerSalts::slot_of(now);
        if self.cached_slot != Some(slot) {
            let key = self.auth_key_id;
            self.around = [
                slot.checked_sub(1)
                    .map_or(0, |s| self.salts.salt_for_slot(key, s)),
                self.salts.salt_for_slot(key, slot),
                self.salts.salt_for_slot(key, slot + 1),
            ];
            self.cached_slot = Some(slot);
        }
        slot
    }

    pub(crate) fn current(&mut self, now: Timestamp) -> i64 {
        self.refresh(now);
        self.around[1]
    }

    pub(crate) fn is_valid(&mut self, salt: i64, now: Timestamp) -> bool {
        let slot = self.refresh(now);
        let early = ServerSalts::slot_of(now.saturating_add(SALT_EARLY_GRACE)) != slot;
        (salt == self.around[0] && slot > 0)
            || salt == self.around[1]
            || (early && salt == self.around[2])
            || self
                .initial
                .is_some_and(|(first, until)| salt == first && now <= until)
    }

    pub(crate) fn future(&self, now: Timestamp, num: i32) -> Vec<FutureSalt> {
        self.salts.future(self.auth_key_id, now, num)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: i64 = 0x1234_5678_9abc_def0;

    #[test]
    fn validity_window() {
        let salts = ServerSalts::new([7; 32]);
        let start = Timestamp::from_secs(1_700_000_000 / 1800 * 1800);
        let salt = salts.current(KEY, start);
        assert!(salts.is_valid(KEY, salt, start));
        assert!(salts.is_valid(
            KEY,
            salt,
            start.saturating_add(SALT_SLOT * 2 - Duration::from_secs(1))
        ));
        assert!(!salts.is_valid(KEY, salt, start.saturating_add(SALT_SLOT * 2)));
        // The next slot's salt only in the last minutes of this one.
        let next = salts.current(KEY, start.saturating_add(SALT_SLOT));
        assert!(!salts.is_valid(KEY, next, start));
        assert!(salts.is_valid(
            KEY,
            next,
            start.saturating_add(SALT_SLOT - Duration::from_secs(60))
        ));
        // Other keys and other secrets get other salts.
        assert_ne!(salt, salts.current(KEY + 1, start));
        assert_ne!(salt, ServerSalts::new([8; 32]).current(KEY, start));
    }

    #[test]
    fn cache_agrees_with_schedule() {
        let salts = ServerSalts::new([9; 32]);
        let mut cache = SaltCache::new(salts.clone(), KEY);
        let base = Timestamp::from_secs(1_700_000_000);
        for step in 0..200u64 {
            let now = base.saturating_add(Duration::from_secs(step * 97));
            assert_eq!(cache.current(now), salts.current(KEY, now));
            for probe in [-3i64, -1, 0, 1, 2] {
                let t = Timestamp::from_secs((now.as_secs() as i64 + probe * 1800) as u64);
                let s = salts.current(KEY, t);
                assert_eq!(cache.is_valid(s, now), salts.is_valid(KEY, s, now));
            }
        }
    }

    #[test]
    fn future_salts_start_now_and_are_clamped() {
        let salts = ServerSalts::new([1; 32]);
        let now = Timestamp::from_secs(1_700_000_123);
        let future = salts.future(KEY, now, 1000);
        assert_eq!(future.len(), MAX_FUTURE_SALTS);
        assert_eq!(future[0].salt, salts.current(KEY, now));
        assert!(i64::from(future[0].valid_since) <= 1_700_000_123);
        assert!(future
            .windows(2)
            .all(|w| w[1].valid_since - w[0].valid_since == 1800));
        assert_eq!(salts.future(KEY, now, -5).len(), 1);
    }
}
