//! Users: one row per account, with unique indexes on the phone number and
//! (lowercased) username, and ids drawn from a durable counter.

/// The id Telegram clients treat as the service account ("Telegram",
/// 777000); never handed out by [`crate::Store::create_user`].
pub const SERVICE_USER_ID: i64 = 777_000;

/// The first id [`crate::Store::create_user`] hands out unless a backend is
/// built with another base.
pub const DEFAULT_USER_ID_BASE: i64 = 1_000_000;

/// How many user rows [`crate::Store::search_users`] looks at, at most, per
/// call. Search is a bounded scan for now; a real index comes later.
pub const SEARCH_SCAN_LIMIT: usize = 10_000;

/// One account as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    /// The user id; rows shard by it.
    pub id: i64,
    /// The phone number, digits only (no `+`).
    pub phone: String,
    /// First name (never empty for a real account).
    pub first_name: String,
    /// Last name, possibly empty.
    pub last_name: String,
    /// Public username, as the user spelled it; unique ignoring case.
    pub username: Option<String>,
    /// The "bio" text.
    pub about: String,
    /// Unix time (seconds) the account was made.
    pub created_at: i64,
    /// Banned accounts cannot log in.
    pub banned: bool,
    /// Unix time (seconds) the user was last online.
    pub last_online_at: i64,
}

/// The key of the username index: usernames are unique ignoring ASCII case.
pub fn username_key(username: &str) -> String {
    username.to_ascii_lowercase()
}

/// Whether `user` matches a search for `query` (already lowercased): a
/// prefix of the username, the first name or the last name.
pub(crate) fn matches_search(user: &UserRecord, query_lower: &str) -> bool {
    let prefix_of = |field: &str| field.to_lowercase().starts_with(query_lower);
    user.username.as_deref().is_some_and(prefix_of)
        || prefix_of(&user.first_name)
        || prefix_of(&user.last_name)
}
