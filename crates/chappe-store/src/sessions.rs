//! MTProto sessions: one row per (auth key id, session id), holding the
//! layer and client description the session announced with
//! `invokeWithLayer` / `initConnection`.

use std::net::IpAddr;

/// What a client said about itself in `initConnection`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The application's api_id.
    pub api_id: i32,
    /// Device model, e.g. "PC 64bit".
    pub device_model: String,
    /// Operating system version.
    pub system_version: String,
    /// Application version.
    pub app_version: String,
    /// The system's language code.
    pub system_lang_code: String,
    /// The language pack the client uses (may be empty).
    pub lang_pack: String,
    /// The language code the client uses.
    pub lang_code: String,
}

/// One session as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The auth key the session belongs to; rows shard by this id.
    pub auth_key_id: i64,
    /// The client-chosen session id.
    pub session_id: i64,
    /// The API layer from `invokeWithLayer`, once the client sent one.
    pub layer: Option<i32>,
    /// The client description from `initConnection`, once sent.
    pub client: Option<ClientInfo>,
    /// The address the session was last seen from.
    pub ip: Option<IpAddr>,
    /// Unix time (seconds) the session was first seen.
    pub created_at: i64,
    /// Unix time (seconds) the session was last seen.
    pub last_seen_at: i64,
}
