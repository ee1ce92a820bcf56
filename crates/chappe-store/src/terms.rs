//! Which terms of service each user accepted (`help.acceptTermsOfService`), so the
//! server can tell whether a newer version must still be shown.

/// A user's latest acceptance of the terms of service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermsAcceptance {
    /// The id of the accepted terms (the `data` of their `DataJSON` id).
    pub terms_id: String,
    /// Unix time (seconds) of the acceptance.
    pub accepted_at: i64,
}

/// Longest terms id stored, in bytes.
pub const TERMS_ID_MAX_LEN: usize = 1024;
