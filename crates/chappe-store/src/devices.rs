//! Push-notification device tokens (`account.registerDevice`), one per user, auth key
//! and token type, so a session's tokens go when that session logs out and a user's
//! tokens can be listed for delivery.

/// One registered push token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRecord {
    /// The user the token was registered for.
    pub user_id: i64,
    /// The auth key (session) that registered it.
    pub auth_key_id: i64,
    /// Telegram's token type (1 APNS, 2 FCM, ... 13 VoIP over APNS).
    pub token_type: i32,
    /// The token as the push service issued it.
    pub token: String,
    /// Whether the token is for the push service's sandbox.
    pub app_sandbox: bool,
    /// Key the client wants notification payloads encrypted with (may be empty).
    pub secret: Vec<u8>,
    /// Whether notifications of muted chats are wanted.
    pub no_muted: bool,
    /// Other users logged in on the same device, who share the token.
    pub other_uids: Vec<i64>,
    /// Unix time (seconds) of the registration.
    pub registered_at: i64,
}
