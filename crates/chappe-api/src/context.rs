//! [`RequestContext`]: what a handler knows about the call besides the
//! request itself, filled in by the runtime from the session.

use std::net::IpAddr;

/// Who is calling, over what, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// The auth key the request came in on (for a temporary key bound to a
    /// permanent one: the permanent key's id, which owns the login).
    pub auth_key_id: i64,
    /// The MTProto session id.
    pub session_id: i64,
    /// The msg_id of the request (`auth.bindTempAuthKey` checks its inner message
    /// against it).
    pub msg_id: i64,
    /// The temporary (PFS) key the request was encrypted with, bound or not; `None` on a
    /// permanent key.
    pub temp_auth_key_id: Option<i64>,
    /// The layer the session negotiated with `invokeWithLayer`; the result
    /// is encoded for it.
    pub layer: i32,
    /// The client's language code from `initConnection` (empty if unknown).
    pub lang_code: String,
    /// The logged-in user of the auth key; `None` before login.
    pub user_id: Option<i64>,
    /// The client's address, for per-address flood limits.
    pub client_ip: Option<IpAddr>,
    /// Unix time (seconds) the request is handled at; handlers never read
    /// the clock themselves, so tests are deterministic.
    pub now: i64,
}

impl RequestContext {
    /// `now + offset_secs` as a TL `date` (an `int`), clamped to the `int`
    /// range instead of wrapping.
    pub fn tl_date(&self, offset_secs: i64) -> i32 {
        let date = self.now.saturating_add(offset_secs);
        i32::try_from(date).unwrap_or(if date < 0 { i32::MIN } else { i32::MAX })
    }
}
