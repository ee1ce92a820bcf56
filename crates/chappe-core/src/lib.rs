//! chappe's domain layer: services that hold the rules of the messenger,
//! independent of TL (the API crate maps TL requests and results to and from
//! these types) and of sockets.
//!
//! For now that is [`Accounts`]: login by phone code, sign-up, sessions
//! (authorizations), profiles and usernames, contacts and blocks, with flood
//! limits. Every method takes `now` (unix seconds) instead of reading a
//! clock, and randomness comes from a seeded generator, so tests are
//! deterministic. Persistence goes through [`chappe_store::Store`].

pub mod access_hash;
mod accounts;
pub mod config;
pub mod delivery;
mod error;
pub mod flood;
pub mod messaging;
mod pending;
pub mod phone;

pub use access_hash::AccessHashes;
pub use accounts::{
    Accounts, Authorization, BlockedList, ContactList, ImportedContact, ImportedContacts, SentCode,
    SignInOutcome,
};
pub use accounts::{QrAccepted, QrExport, QrLoginError, QR_TOKEN_TTL_SECS};
pub use chappe_store::{
    BlockedRecord, CodeKind, ContactRecord, PasswordRecord, UserRecord as User,
};
pub use config::AccountsConfig;
pub use delivery::{CodeDelivery, CommandDelivery, DeliveryError, LoggingDelivery};
pub use error::AccountError;
pub use flood::{FloodLimiter, FloodRule};
pub use messaging::{Messaging, MessagingError};
