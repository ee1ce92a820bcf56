//! Auth keys: the 2048-bit keys made by the MTProto handshake, permanent or
//! temporary (PFS), keyed by their 64-bit auth key id.

use std::fmt;

/// Length of an MTProto auth key in bytes.
pub const AUTH_KEY_LEN: usize = 256;

/// Whether a key is permanent or a temporary (PFS) key with an expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKeyKind {
    /// Made by `req_DH_params` with `p_q_inner_data(_dc)`; lives until the
    /// client logs out or the key is destroyed.
    Perm,
    /// Made with `p_q_inner_data_temp(_dc)`; the store keeps it after
    /// `expires_at`, callers must check expiry themselves.
    Temp {
        /// Unix time (seconds) after which the key must not be used.
        expires_at: i64,
    },
}

/// One auth key as the store keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthKeyRecord {
    /// The auth key id (the low 64 bits of SHA-1 of the key).
    pub id: i64,
    /// The key itself.
    pub key: [u8; AUTH_KEY_LEN],
    /// Permanent or temporary.
    pub kind: AuthKeyKind,
    /// Unix time (seconds) the key was created.
    pub created_at: i64,
    /// For a temporary key bound with `auth.bindTempAuthKey`: the permanent
    /// key it is bound to.
    pub perm_key_id: Option<i64>,
    /// The user logged in with this key, if any.
    pub user_id: Option<i64>,
}

// Key material must never reach a log, so Debug leaves it out.
impl fmt::Debug for AuthKeyRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthKeyRecord")
            .field("id", &self.id)
            .field("key", &"<redacted>")
            .field("kind", &self.kind)
            .field("created_at", &self.created_at)
            .field("perm_key_id", &self.perm_key_id)
            .field("user_id", &self.user_id)
            .finish()
    }
}
