//! [`AccountError`]: every way an account operation can fail, one variant
//! per Telegram RPC error so the API layer maps them mechanically.

use chappe_store::StoreError;

/// Why an account operation failed. [`AccountError::rpc_name`] gives the
/// Telegram error code and name to answer with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// The phone number is not 5..=15 digits.
    #[error("invalid phone number")]
    PhoneNumberInvalid,
    /// The code does not match.
    #[error("wrong login code")]
    PhoneCodeInvalid,
    /// The code (or the phone_code_hash) is unknown, expired or used up.
    #[error("login code expired")]
    PhoneCodeExpired,
    /// No code was given.
    #[error("login code missing")]
    PhoneCodeEmpty,
    /// No phone_code_hash was given.
    #[error("phone_code_hash missing")]
    PhoneCodeHashEmpty,
    /// No account has this phone number.
    #[error("phone number not registered")]
    PhoneNumberUnoccupied,
    /// An account already has this phone number.
    #[error("phone number already registered")]
    PhoneNumberOccupied,
    /// The account with this phone number is banned.
    #[error("phone number banned")]
    PhoneNumberBanned,
    /// `contacts.resolvePhone` found nobody.
    #[error("no user with this phone number")]
    PhoneNotOccupied,
    /// First name empty or too long.
    #[error("invalid first name")]
    FirstnameInvalid,
    /// Last name too long.
    #[error("invalid last name")]
    LastnameInvalid,
    /// The "about" text is too long.
    #[error("about text too long")]
    AboutTooLong,
    /// The username breaks the rules (5..=32 of `[a-zA-Z0-9_]`, starting
    /// with a letter).
    #[error("invalid username")]
    UsernameInvalid,
    /// Another account has this username.
    #[error("username taken")]
    UsernameOccupied,
    /// The user already has exactly this username.
    #[error("username unchanged")]
    UsernameNotModified,
    /// Nobody has this username.
    #[error("username not found")]
    UsernameNotOccupied,
    /// The user id does not name an account (or the account cannot be used
    /// here).
    #[error("invalid user id")]
    UserIdInvalid,
    /// The contact id names nobody, or the caller themself.
    #[error("invalid contact id")]
    ContactIdInvalid,
    /// The authorization hash names none of the user's other sessions.
    #[error("invalid authorization hash")]
    HashInvalid,
    /// A password login was completed with no password check pending: the
    /// client must start the login again.
    #[error("login must be restarted")]
    AuthRestart,
    /// The auth key is not logged in.
    #[error("auth key not logged in")]
    AuthKeyUnregistered,
    /// Too many attempts; retry after this many seconds.
    #[error("too many attempts, wait {0} s")]
    FloodWait(u32),
    /// The code could not be delivered.
    #[error("login code could not be delivered")]
    SendCodeUnavailable,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AccountError {
    /// The Telegram RPC error code and name for this error.
    pub fn rpc_name(&self) -> (i32, String) {
        let (code, name) = match self {
            Self::PhoneNumberInvalid => (400, "PHONE_NUMBER_INVALID"),
            Self::PhoneCodeInvalid => (400, "PHONE_CODE_INVALID"),
            Self::PhoneCodeExpired => (400, "PHONE_CODE_EXPIRED"),
            Self::PhoneCodeEmpty => (400, "PHONE_CODE_EMPTY"),
            Self::PhoneCodeHashEmpty => (400, "PHONE_CODE_HASH_EMPTY"),
            Self::PhoneNumberUnoccupied => (400, "PHONE_NUMBER_UNOCCUPIED"),
            Self::PhoneNumberOccupied => (400, "PHONE_NUMBER_OCCUPIED"),
            Self::PhoneNumberBanned => (400, "PHONE_NUMBER_BANNED"),
            Self::PhoneNotOccupied => (400, "PHONE_NOT_OCCUPIED"),
            Self::FirstnameInvalid => (400, "FIRSTNAME_INVALID"),
            Self::LastnameInvalid => (400, "LASTNAME_INVALID"),
            Self::AboutTooLong => (400, "ABOUT_TOO_LONG"),
            Self::UsernameInvalid => (400, "USERNAME_INVALID"),
            Self::UsernameOccupied => (400, "USERNAME_OCCUPIED"),
            Self::UsernameNotModified => (400, "USERNAME_NOT_MODIFIED"),
            Self::UsernameNotOccupied => (400, "USERNAME_NOT_OCCUPIED"),
            Self::UserIdInvalid => (400, "USER_ID_INVALID"),
            Self::ContactIdInvalid => (400, "CONTACT_ID_INVALID"),
            Self::HashInvalid => (400, "HASH_INVALID"),
            Self::AuthRestart => (500, "AUTH_RESTART"),
            Self::AuthKeyUnregistered => (401, "AUTH_KEY_UNREGISTERED"),
            Self::FloodWait(seconds) => return (420, format!("FLOOD_WAIT_{seconds}")),
            Self::SendCodeUnavailable => (406, "SEND_CODE_UNAVAILABLE"),
            Self::Store(_) => (500, "INTERNAL"),
        };
        (code, name.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpc_names_follow_telegram() {
        let name = |err: AccountError| err.rpc_name();
        assert_eq!(
            name(AccountError::FloodWait(7)),
            (420, "FLOOD_WAIT_7".into())
        );
        assert_eq!(
            name(AccountError::PhoneCodeExpired),
            (400, "PHONE_CODE_EXPIRED".into())
        );
        assert_eq!(
            name(AccountError::AuthKeyUnregistered),
            (401, "AUTH_KEY_UNREGISTERED".into())
        );
        let store = AccountError::from(StoreError::UserNotFound(1));
        assert_eq!(name(store).0, 500);
    }
}
