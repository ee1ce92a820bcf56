//! Every table of the embedded store, created when a file is opened.
//!
//! Creating every table up front lets readers open tables without handling
//! "table does not exist"; migrations rely on it too.

use redb::WriteTransaction;

use super::{
    auth_keys, channels, chats, codes, contacts, devices, edits, invites, messages, passwords,
    secrets, sessions, terms, users,
};
use crate::StoreError;

/// Creates whatever table of this build the file lacks.
pub(super) fn create_all(txn: &WriteTransaction) -> Result<(), StoreError> {
    create_table(txn, auth_keys::TABLE)?;
    create_table(txn, auth_keys::BY_USER)?;
    create_table(txn, auth_keys::TEMP_BINDINGS)?;
    create_table(txn, sessions::TABLE)?;
    create_table(txn, secrets::TABLE)?;
    create_table(txn, users::TABLE)?;
    create_table(txn, users::BY_PHONE)?;
    create_table(txn, users::BY_USERNAME)?;
    create_table(txn, users::COUNTERS)?;
    create_table(txn, codes::TABLE)?;
    create_table(txn, contacts::TABLE)?;
    create_table(txn, contacts::OWNERS)?;
    create_table(txn, contacts::BLOCKED)?;
    create_table(txn, passwords::TABLE)?;
    create_table(txn, devices::TABLE)?;
    create_table(txn, terms::TABLE)?;
    invites::create_tables(txn)?;
    create_table(txn, messages::BOXES)?;
    create_table(txn, messages::MESSAGES)?;
    create_table(txn, messages::HISTORY)?;
    create_table(txn, messages::UPDATE_LOG)?;
    create_table(txn, messages::DIALOGS)?;
    create_table(txn, messages::RANDOM_IDS)?;
    create_table(txn, chats::CHATS)?;
    create_table(txn, chats::MEMBERS)?;
    create_table(txn, channels::CHANNELS)?;
    create_table(txn, channels::PARTICIPANTS)?;
    create_table(txn, channels::MEMBERS)?;
    create_table(txn, channels::BY_NAME)?;
    create_table(txn, edits::DRAFTS)?;
    create_table(txn, edits::PINNED)?;
    Ok(())
}

/// Makes sure a table exists.
fn create_table<K: redb::Key + 'static, V: redb::Value + 'static>(
    txn: &WriteTransaction,
    table: redb::TableDefinition<K, V>,
) -> Result<(), StoreError> {
    txn.open_table(table).map_err(StoreError::backend)?;
    Ok(())
}
