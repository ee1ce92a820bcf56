//! [`BoxTables`]: the box tables of one redb write transaction, each opened
//! on first use and kept open until dropped; every box write of the redb
//! backend (the shared `box_txn` rules) runs over it.
//!
//! Opening a redb table looks its root up in the table tree and closing it
//! writes the root back; a private send touches six tables about twenty
//! times, and a batch of sends (see `batch_writer`) runs hundreds of them in
//! one transaction, so the tables are opened once per batch instead.
//! While a `BoxTables` lives, its transaction must not open these tables by
//! other means (redb refuses a table that is already open).

use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};

use super::contacts;
use super::messages::{
    encode_dialog, encode_entry, encode_message, history_ids, read_dialog, read_messages,
    read_state, BOXES, DIALOGS, HISTORY, MESSAGES, RANDOM_IDS, UPDATE_LOG,
};
use super::users;
use crate::box_txn::BoxTxn;
use crate::{BoxState, DialogRecord, HistoryQuery, MessageRecord, Peer, StoreError, UpdateEntry};

type Bytes = &'static [u8];

/// The box tables of `txn`, opened as they are needed.
pub(super) struct BoxTables<'t> {
    txn: &'t WriteTransaction,
    boxes: Option<Table<'t, i64, (i32, i32)>>,
    messages: Option<Table<'t, (i64, i32), Bytes>>,
    history: Option<Table<'t, (i64, i64, i32), ()>>,
    log: Option<Table<'t, (i64, i32), Bytes>>,
    dialogs: Option<Table<'t, (i64, i64), Bytes>>,
    random_ids: Option<Table<'t, (i64, i64), (i32, i32)>>,
    users: Option<Table<'t, i64, Bytes>>,
    blocked: Option<Table<'t, (i64, i64), i64>>,
}

/// The table in `slot`, opened from `txn` if it is not yet.
fn open<'s, 't, K, V>(
    txn: &'t WriteTransaction,
    slot: &'s mut Option<Table<'t, K, V>>,
    definition: TableDefinition<K, V>,
) -> Result<&'s mut Table<'t, K, V>, StoreError>
where
    K: redb::Key + 'static,
    V: redb::Value + 'static,
{
    match slot {
        Some(table) => Ok(table),
        None => Ok(slot.insert(txn.open_table(definition).map_err(StoreError::backend)?)),
    }
}

impl<'t> BoxTables<'t> {
    pub(super) fn new(txn: &'t WriteTransaction) -> Self {
        Self {
            txn,
            boxes: None,
            messages: None,
            history: None,
            log: None,
            dialogs: None,
            random_ids: None,
            users: None,
            blocked: None,
        }
    }

    /// The transaction, for tables other than the ones kept here.
    pub(super) fn txn(&self) -> &'t WriteTransaction {
        self.txn
    }

    /// Whether a user has this id.
    pub(super) fn user_exists(&mut self, id: i64) -> Result<bool, StoreError> {
        let table = open(self.txn, &mut self.users, users::TABLE)?;
        Ok(table.get(id).map_err(StoreError::backend)?.is_some())
    }

    /// Whether `owner` blocked `target`.
    pub(super) fn is_blocked(&mut self, owner: i64, target: i64) -> Result<bool, StoreError> {
        let table = open(self.txn, &mut self.blocked, contacts::BLOCKED)?;
        Ok(table
            .get((owner, target))
            .map_err(StoreError::backend)?
            .is_some())
    }
}

impl BoxTxn for BoxTables<'_> {
    fn box_state(&mut self, owner: i64) -> Result<BoxState, StoreError> {
        read_state(open(self.txn, &mut self.boxes, BOXES)?, owner)
    }

    fn put_box_state(&mut self, owner: i64, state: BoxState) -> Result<(), StoreError> {
        open(self.txn, &mut self.boxes, BOXES)?
            .insert(owner, (state.pts, state.last_message_id))
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn message(&mut self, owner: i64, id: i32) -> Result<Option<MessageRecord>, StoreError> {
        let table = open(self.txn, &mut self.messages, MESSAGES)?;
        Ok(read_messages(table, owner, &[id])?.pop())
    }

    fn put_message(&mut self, message: &MessageRecord) -> Result<(), StoreError> {
        let value = encode_message(message);
        open(self.txn, &mut self.messages, MESSAGES)?
            .insert((message.owner, message.id), value.as_slice())
            .map_err(StoreError::backend)?;
        open(self.txn, &mut self.history, HISTORY)?
            .insert((message.owner, message.peer.key(), message.id), ())
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn dialog(&mut self, owner: i64, peer: Peer) -> Result<Option<DialogRecord>, StoreError> {
        read_dialog(open(self.txn, &mut self.dialogs, DIALOGS)?, owner, peer)
    }

    fn put_dialog(&mut self, owner: i64, dialog: &DialogRecord) -> Result<(), StoreError> {
        let value = encode_dialog(dialog);
        open(self.txn, &mut self.dialogs, DIALOGS)?
            .insert((owner, dialog.peer.key()), value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn put_update(&mut self, owner: i64, entry: &UpdateEntry) -> Result<(), StoreError> {
        let value = encode_entry(entry);
        open(self.txn, &mut self.log, UPDATE_LOG)?
            .insert((owner, entry.pts), value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn random_id(&mut self, owner: i64, random_id: i64) -> Result<Option<(i32, i32)>, StoreError> {
        let table = open(self.txn, &mut self.random_ids, RANDOM_IDS)?;
        let found = table.get((owner, random_id)).map_err(StoreError::backend)?;
        Ok(found.map(|v| v.value()))
    }

    fn put_random_id(
        &mut self,
        owner: i64,
        random_id: i64,
        sent: (i32, i32),
    ) -> Result<(), StoreError> {
        open(self.txn, &mut self.random_ids, RANDOM_IDS)?
            .insert((owner, random_id), sent)
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn history(
        &mut self,
        owner: i64,
        query: &HistoryQuery,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        let ids = history_ids(open(self.txn, &mut self.history, HISTORY)?, owner, query)?;
        read_messages(open(self.txn, &mut self.messages, MESSAGES)?, owner, &ids)
    }

    fn delete_message(&mut self, owner: i64, id: i32) -> Result<(), StoreError> {
        let removed = open(self.txn, &mut self.messages, MESSAGES)?
            .remove((owner, id))
            .map_err(StoreError::backend)?
            .map(|v| super::messages::decode_message(owner, id, v.value()))
            .transpose()?;
        if let Some(message) = removed {
            open(self.txn, &mut self.history, HISTORY)?
                .remove((owner, message.peer.key(), id))
                .map_err(StoreError::backend)?;
        }
        Ok(())
    }

    fn delete_dialog(&mut self, owner: i64, peer: Peer) -> Result<(), StoreError> {
        open(self.txn, &mut self.dialogs, DIALOGS)?
            .remove((owner, peer.key()))
            .map_err(StoreError::backend)?;
        Ok(())
    }
}
