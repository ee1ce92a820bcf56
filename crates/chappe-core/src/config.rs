//! [`AccountsConfig`]: the knobs of the accounts service, with defaults.

use chappe_store::CodeKind;

use crate::FloodRule;

/// Settings of [`crate::Accounts`]. `Default` gives sensible values.
#[derive(Clone, Debug)]
pub struct AccountsConfig {
    /// How long a login code stays valid, in seconds (default 300).
    pub code_ttl_secs: i64,
    /// Wrong guesses allowed per code before it is destroyed (default 5).
    pub max_code_attempts: u32,
    /// The `timeout` clients are told to wait before asking to resend a
    /// code, in seconds (default 60).
    pub resend_timeout_secs: i32,
    /// How the configured [`crate::CodeDelivery`] delivers codes, as told to
    /// clients (default [`CodeKind::Sms`]).
    pub delivered_code_kind: CodeKind,
    /// Whether the test numbers `99966XYYYY` log in with code `XXXXX`
    /// (default true). Anyone can then use those accounts: turn it off on
    /// a public server that does not want them.
    pub test_numbers: bool,
    /// Whether test numbers skip the send-code and sign-in flood limits
    /// (default true, so automated client test runs are not throttled).
    pub flood_exempt_test_numbers: bool,
    /// How long a half-finished login (sign-up or password still needed)
    /// is remembered, in seconds (default 900).
    pub pending_login_ttl_secs: i64,
    /// Most half-finished logins remembered at once (default 100 000).
    pub max_pending_logins: usize,
    /// Codes sent per phone number (default 5 per hour).
    pub send_code_per_phone: FloodRule,
    /// Codes sent per client IP (default 30 per hour).
    pub send_code_per_ip: FloodRule,
    /// Sign-in attempts per client IP (default 20 per minute).
    pub sign_in_per_ip: FloodRule,
    /// Sign-in attempts per phone number (default 10 per minute).
    pub sign_in_per_phone: FloodRule,
    /// Keys each flood limiter tracks at most (default 100 000).
    pub flood_max_keys: usize,
    /// Auth keys whose user the in-memory cache remembers at most
    /// (default 100 000).
    pub auth_cache_capacity: usize,
    /// Contacts handled per import call; the rest are returned to retry
    /// (default 500).
    pub max_contacts_import: usize,
    /// Largest page of search results or blocked users (default 100).
    pub max_page: usize,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            code_ttl_secs: 300,
            max_code_attempts: 5,
            resend_timeout_secs: 60,
            delivered_code_kind: CodeKind::Sms,
            test_numbers: true,
            flood_exempt_test_numbers: true,
            pending_login_ttl_secs: 900,
            max_pending_logins: 100_000,
            send_code_per_phone: FloodRule {
                limit: 5,
                window_secs: 3600,
            },
            send_code_per_ip: FloodRule {
                limit: 30,
                window_secs: 3600,
            },
            sign_in_per_ip: FloodRule {
                limit: 20,
                window_secs: 60,
            },
            sign_in_per_phone: FloodRule {
                limit: 10,
                window_secs: 60,
            },
            flood_max_keys: 100_000,
            auth_cache_capacity: 100_000,
            max_contacts_import: 500,
            max_page: 100,
        }
    }
}
