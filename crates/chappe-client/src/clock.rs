//! The client's only reads of the wall clock; the sans-IO layers below take time as input.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chappe_session::Timestamp;

/// Now, as the session layer takes it.
pub(crate) fn now() -> Timestamp {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    Timestamp::from_nanos(u64::try_from(since_epoch.as_nanos()).unwrap_or(u64::MAX))
}

/// How long from `now` until `at` (zero if it has passed).
pub(crate) fn until(now: Timestamp, at: Timestamp) -> Duration {
    Duration::from_nanos(at.as_nanos().saturating_sub(now.as_nanos()))
}
