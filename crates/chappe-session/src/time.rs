//! Time as the session layer sees it (unix time in nanoseconds, always passed in by
//! the caller) and the mapping between time and MTProto message ids.
//!
//! A msg_id is approximately `unixtime * 2^32`: the high 32 bits are whole seconds and
//! the low 32 bits the fraction of a second, with the two lowest bits then overwritten
//! by the sender's role (0 for client messages, 1 for server responses, 3 for other
//! server messages).

use std::time::Duration;

const NANOS_PER_SEC: u64 = 1_000_000_000;

/// A point in time: nanoseconds since the unix epoch. The session layer never reads a
/// clock; callers pass one of these in, so tests can use a simulated clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(u64);

impl Timestamp {
    /// From nanoseconds since the unix epoch.
    pub const fn from_nanos(nanos: u64) -> Self {
        Timestamp(nanos)
    }

    /// From whole seconds since the unix epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Timestamp(secs.saturating_mul(NANOS_PER_SEC))
    }

    /// Nanoseconds since the unix epoch.
    pub const fn as_nanos(self) -> u64 {
        self.0
    }

    /// Whole seconds since the unix epoch.
    pub const fn as_secs(self) -> u64 {
        self.0 / NANOS_PER_SEC
    }

    /// `self + duration`, saturating at the far future.
    pub fn saturating_add(self, duration: Duration) -> Self {
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        Timestamp(self.0.saturating_add(nanos))
    }

    /// `self - duration`, saturating at the epoch.
    pub fn saturating_sub(self, duration: Duration) -> Self {
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        Timestamp(self.0.saturating_sub(nanos))
    }

    /// This time shifted by a signed number of nanoseconds (a clock offset).
    pub(crate) fn offset_by(self, offset_nanos: i64) -> Self {
        Timestamp(self.0.saturating_add_signed(offset_nanos))
    }
}

/// The message id a message created at `time` carries, before the role bits are set.
pub(crate) fn msg_id_at(time: Timestamp) -> i64 {
    let secs = time.0 / NANOS_PER_SEC;
    let fraction = time.0 % NANOS_PER_SEC;
    // fraction < 10^9 < 2^30, so the shift cannot overflow; the result is < 2^32.
    let low = (fraction << 32) / NANOS_PER_SEC;
    // Seconds beyond 2^31 do not fit an i64 msg_id; they are centuries away.
    ((secs << 32) | low) as i64
}

/// The time a message id claims to have been created at, in nanoseconds since the
/// epoch. Signed and wide because a hostile peer can send any 64-bit value.
pub(crate) fn msg_id_time_nanos(msg_id: i64) -> i128 {
    let secs = i128::from(msg_id >> 32);
    let fraction = i128::from(msg_id & 0xffff_ffff);
    secs * i128::from(NANOS_PER_SEC) + ((fraction * i128::from(NANOS_PER_SEC)) >> 32)
}

/// How a message id compares with the acceptance window around `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MsgIdAge {
    /// Older than the window allows.
    TooOld,
    /// Further in the future than the window allows.
    TooNew,
    /// Acceptable.
    Fresh,
}

/// Classifies `msg_id` against `now`: at most `max_age` in the past and `max_ahead` in
/// the future are accepted.
pub(crate) fn msg_id_age(
    msg_id: i64,
    now: Timestamp,
    max_age: Duration,
    max_ahead: Duration,
) -> MsgIdAge {
    let claimed = msg_id_time_nanos(msg_id);
    let now = i128::from(now.0);
    if claimed < now - max_age.as_nanos() as i128 {
        MsgIdAge::TooOld
    } else if claimed > now + max_ahead.as_nanos() as i128 {
        MsgIdAge::TooNew
    } else {
        MsgIdAge::Fresh
    }
}

/// Produces strictly increasing message ids for one sender, tied to the clock.
#[derive(Debug, Clone, Default)]
pub(crate) struct MsgIdGenerator {
    last: i64,
}

impl MsgIdGenerator {
    /// The next id for a message created at `time`, with the two lowest bits set to
    /// `role_bits` (0, 1 or 3). Ids never repeat or go backwards, even if the clock does.
    pub(crate) fn next(&mut self, time: Timestamp, role_bits: i64) -> i64 {
        let role_bits = role_bits & 3;
        let mut id = (msg_id_at(time) & !3) | role_bits;
        if id <= self.last {
            id = ((self.last & !3).wrapping_add(4)) | role_bits;
        }
        self.last = id;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg_id_encodes_seconds_and_fraction() {
        let t = Timestamp::from_nanos(1_700_000_000 * NANOS_PER_SEC + NANOS_PER_SEC / 2);
        let id = msg_id_at(t);
        assert_eq!(id >> 32, 1_700_000_000);
        assert_eq!(id & 0xffff_ffff, 1 << 31);
        let back = msg_id_time_nanos(id);
        assert!((back - i128::from(t.as_nanos())).abs() < 2);
    }

    #[test]
    fn generator_is_strictly_increasing_with_role_bits() {
        let mut ids = MsgIdGenerator::default();
        let t = Timestamp::from_secs(1_700_000_000);
        let a = ids.next(t, 1);
        let b = ids.next(t, 3);
        let c = ids.next(t.saturating_sub(Duration::from_secs(10)), 1);
        assert!(a < b && b < c);
        assert_eq!((a & 3, b & 3, c & 3), (1, 3, 1));
    }

    #[test]
    fn age_window() {
        let now = Timestamp::from_secs(1_700_000_000);
        let old = msg_id_at(now.saturating_sub(Duration::from_secs(301)));
        let new = msg_id_at(now.saturating_add(Duration::from_secs(31)));
        let ok = msg_id_at(now.saturating_sub(Duration::from_secs(299)));
        let (age, ahead) = (Duration::from_secs(300), Duration::from_secs(30));
        assert_eq!(msg_id_age(old, now, age, ahead), MsgIdAge::TooOld);
        assert_eq!(msg_id_age(new, now, age, ahead), MsgIdAge::TooNew);
        assert_eq!(msg_id_age(ok, now, age, ahead), MsgIdAge::Fresh);
        assert_eq!(msg_id_age(i64::MIN, now, age, ahead), MsgIdAge::TooOld);
        assert_eq!(msg_id_age(i64::MAX, now, age, ahead), MsgIdAge::TooNew);
    }
}
