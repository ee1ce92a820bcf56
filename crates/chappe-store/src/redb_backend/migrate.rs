//! Migrating a basic group to a supergroup over redb: the `migrate_txn`
//! rules run over the group, channel and message tables in one write
//! transaction committed with immediate durability.

use redb::Database;

use super::box_tables::BoxTables;
use super::channels::Channels;
use super::chats::Chats;
use super::write_txn;
use crate::chats::{ChatMigration, ChatRefusal};
use crate::migrate_txn;
use crate::StoreError;

pub(super) fn migrate(
    db: &Database,
    chat_id: i64,
    by: i64,
    date: i64,
) -> Result<Result<ChatMigration, ChatRefusal>, StoreError> {
    write_txn(db, |txn| {
        migrate_txn::migrate(
            &mut BoxTables::new(txn),
            &mut Chats(txn),
            &mut Channels(txn),
            chat_id,
            by,
            date,
        )
    })
}
