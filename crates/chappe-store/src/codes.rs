//! Login codes: one row per `phone_code_hash` handed out by `auth.sendCode`.

/// How a login code reached (or will reach) the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CodeKind {
    /// Shown in the user's other logged-in apps (and used for test numbers).
    App,
    /// Sent as a text message (by whatever hook the operator configured).
    Sms,
}

/// One outstanding login code.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneCodeRecord {
    /// The random handle the client echoes back; the row key.
    pub phone_code_hash: String,
    /// The phone number the code was sent to, digits only.
    pub phone: String,
    /// The code itself.
    pub code: String,
    /// Unix time (seconds) the code was made.
    pub created_at: i64,
    /// Unix time (seconds) from which the code is no longer accepted.
    pub expires_at: i64,
    /// Wrong guesses so far.
    pub attempts: u32,
    /// How the code was delivered.
    pub kind: CodeKind,
}

// The code is a credential, so Debug leaves it out.
impl std::fmt::Debug for PhoneCodeRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneCodeRecord")
            .field("phone_code_hash", &self.phone_code_hash)
            .field("phone", &self.phone)
            .field("code", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("attempts", &self.attempts)
            .field("kind", &self.kind)
            .finish()
    }
}
