//! Two-step verification (2FA) state per user: the SRP parameters and
//! verifier made when the user set a password. The SRP math lives in
//! chappe-crypto; the store only keeps the values.

/// A user's cloud password, as SRP parameters (never the password).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordRecord {
    /// Client salt (`salt1` of `passwordKdfAlgoSHA256SHA256PBKDF2...`).
    pub srp_salt1: Vec<u8>,
    /// Server-side salt (`salt2`).
    pub srp_salt2: Vec<u8>,
    /// The generator `g`.
    pub srp_g: i32,
    /// The 2048-bit prime `p`, big-endian.
    pub srp_p: Vec<u8>,
    /// The verifier `g^x mod p`, 256 bytes big-endian.
    pub verifier: Vec<u8>,
    /// The `srp_id` handed to clients with the current SRP parameters.
    pub srp_id: i64,
    /// The password hint shown to the user.
    pub hint: String,
    /// The recovery email, if set.
    pub email: Option<String>,
    /// Unix time (seconds) the password was set or changed.
    pub updated_at: i64,
}

// The verifier lets an attacker brute-force the password offline, so Debug
// leaves it out.
impl std::fmt::Debug for PasswordRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordRecord")
            .field("srp_g", &self.srp_g)
            .field("srp_id", &self.srp_id)
            .field("verifier", &"<redacted>")
            .field("hint", &self.hint)
            .field("email", &self.email)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}
