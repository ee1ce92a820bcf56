//! chappe's persistence boundary.
//!
//! Everything chappe must remember across restarts goes through the [`Store`]
//! trait. The trait speaks only chappe's own record types (never a backend's),
//! so the embedded backend ([`RedbStore`], the default) and a future
//! PostgreSQL-compatible backend are interchangeable behind an
//! `Arc<dyn Store>`. [`MemoryStore`] implements the same trait for tests.
//!
//! Layout: one module per table group ([`auth_keys`], [`sessions`],
//! [`secrets`], [`users`], [`codes`], [`contacts`], [`passwords`], [`devices`], [`terms`]) holding the record types and the rules every backend shares;
//! each backend mirrors that split in its own sub-modules. New table groups
//! (messages, per-box update logs) are added the same way.
//!
//! Keys are chosen so that every table can later be sharded by the id that
//! owns the row: sessions by their auth key id; users, contacts, blocks
//! and passwords by user id (the owner first); and (later) messages and
//! update logs by user id or channel id. Global unique indexes (phone,
//! username) are the exception and are kept small.
//!
//! Durability: every write method returns only after the change is durable
//! (for redb: a commit with immediate durability), so a caller may
//! acknowledge a state-changing request as soon as the write returns.

pub mod auth_keys;
mod box_edit;
mod box_txn;
pub mod channel_edit;
mod channel_txn;
pub mod channels;
mod chat_txn;
pub mod chats;
pub mod codes;
pub mod contacts;
pub mod devices;
pub mod edits;
mod error;
pub mod invites;
mod memory;
pub mod messages;
mod migrate_txn;
pub mod passwords;
mod redb_backend;
pub mod secrets;
pub mod sessions;
mod store;
pub mod terms;
pub mod users;

pub use auth_keys::{AuthKeyKind, AuthKeyRecord, AUTH_KEY_LEN};
pub use codes::{CodeKind, PhoneCodeRecord};
pub use contacts::{BlockedRecord, ContactRecord};
pub use devices::DeviceRecord;
pub use edits::{
    DeleteOutcome, DraftRecord, EditOutcome, ForwardHeader, MessageEdit, MAX_PINNED_DIALOGS,
};
pub use error::StoreError;
pub use memory::MemoryStore;
pub use messages::{
    BoxState, DialogRecord, HistoryQuery, MessageRecord, NewPrivateMessage, Peer,
    PrivateSendRefusal, ReadOutcome, SentPrivateMessage, StoredCopy, UpdateEntry, UpdateKind,
    MAX_UPDATES_PER_READ,
};
pub use passwords::PasswordRecord;
pub use redb_backend::{RedbStore, StoreOptions};
pub use secrets::{SECRET_LEN, SECRET_NAME_MAX_LEN};
pub use sessions::{ClientInfo, SessionRecord};
pub use store::Store;
pub use terms::{TermsAcceptance, TERMS_ID_MAX_LEN};
pub use users::{
    username_key, UserRecord, DEFAULT_USER_ID_BASE, SEARCH_SCAN_LIMIT, SERVICE_USER_ID,
};
