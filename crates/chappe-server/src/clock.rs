//! The one place the runtime reads the wall clock; everything below it takes time as input.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chappe_session::Timestamp;

/// Now, as the sans-IO layers take it.
pub fn now() -> Timestamp {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    Timestamp::from_nanos(u64::try_from(since_epoch.as_nanos()).unwrap_or(u64::MAX))
}

/// How long from `now` until `at` (zero if it has passed).
pub fn until(now: Timestamp, at: Timestamp) -> Duration {
    Duration::from_nanos(at.as_nanos().saturating_sub(now.as_nanos()))
}

/// Unix seconds as the store and the API take them.
pub fn unix_secs(at: Timestamp) -> i64 {
    i64::try_from(at.as_secs()).unwrap_or(i64::MAX)
}
