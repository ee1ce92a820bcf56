//! The message tables, all led by the box owner so they shard by user:
//! `boxes` (owner -> (pts, last message id)), `messages` ((owner, id) ->
//! encoded [`MessageRecord`]), `history` ((owner, peer key, id) -> (), the
//! per-chat index), `update_log` ((owner, pts) -> encoded [`UpdateEntry`]),
//! `dialogs` ((owner, peer key) -> encoded [`DialogRecord`]) and
//! `random_ids` ((sender, random id) -> (message id, pts)).
//!
//! The write rules live in `box_txn`; this module gives them redb tables
//! inside one write transaction.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::box_tables::BoxTables;
use super::codec::{Reader, Writer};
use super::group_commit::Grouped;
use super::write_txn;
use crate::box_txn;
use crate::messages::{id_bounds, sort_dialogs};
use crate::{
    BoxState, DialogRecord, HistoryQuery, MessageRecord, NewPrivateMessage, Peer,
    PrivateSendRefusal, ReadOutcome, SentPrivateMessage, StoreError, UpdateEntry, UpdateKind,
    MAX_UPDATES_PER_READ,
};

const MESSAGES_NAME: &str = "messages";
const LOG_NAME: &str = "update_log";
const DIALOGS_NAME: &str = "dialogs";
pub(super) const BOXES: TableDefinition<i64, (i32, i32)> = TableDefinition::new("boxes");
pub(super) const MESSAGES: TableDefinition<(i64, i32), &[u8]> = TableDefinition::new(MESSAGES_NAME);
pub(super) const HISTORY: TableDefinition<(i64, i64, i32), ()> = TableDefinition::new("history");
pub(super) const UPDATE_LOG: TableDefinition<(i64, i32), &[u8]> = TableDefinition::new(LOG_NAME);
pub(super) const DIALOGS: TableDefinition<(i64, i64), &[u8]> = TableDefinition::new(DIALOGS_NAME);
pub(super) const RANDOM_IDS: TableDefinition<(i64, i64), (i32, i32)> =
    TableDefinition::new("random_ids");
const FORMAT: u8 = 1;

const KIND_NEW_MESSAGE: u8 = 1;
const KIND_READ_INBOX: u8 = 2;
const KIND_READ_OUTBOX: u8 = 3;
const KIND_EDIT_MESSAGE: u8 = 4;
const KIND_DELETE_MESSAGES: u8 = 5;

fn peer_of(r: &Reader<'_>, key: i64) -> Result<Peer, StoreError> {
    Peer::from_key(key).ok_or_else(|| r.corrupt(format!("bad peer key {key}")))
}

pub(super) fn encode_message(m: &MessageRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.i64(m.peer.key());
    w.i64(m.from_id);
    w.bool(m.out);
    w.i64(m.date);
    w.str(&m.text);
    w.bytes(&m.entities);
    w.opt_i32(m.reply_to);
    w.bool(m.silent);
    w.opt_i32(m.peer_copy_id);
    w.opt_i64(m.edit_date);
    super::edits::write_forward(&mut w, m.fwd_from);
    super::chats::write_action(&mut w, m.action.as_ref());
    w.finish()
}

pub(super) fn decode_message(
    owner: i64,
    id: i32,
    bytes: &[u8],
) -> Result<MessageRecord, StoreError> {
    let mut r = Reader::new(MESSAGES_NAME, bytes, FORMAT)?;
    let peer_key = r.i64()?;
    let record = MessageRecord {
        owner,
        id,
        peer: peer_of(&r, peer_key)?,
        from_id: r.i64()?,
        out: r.bool()?,
        date: r.i64()?,
        text: r.str()?,
        entities: r.bytes()?,
        reply_to: r.opt_i32()?,
        silent: r.bool()?,
        peer_copy_id: r.opt_i32()?,
        edit_date: r.opt_i64()?,
        fwd_from: super::edits::read_forward(&mut r)?,
        action: super::chats::read_action(&mut r)?,
    };
    r.finish()?;
    Ok(record)
}

pub(super) fn encode_entry(e: &UpdateEntry) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.i32(e.pts_count);
    w.i64(e.date);
    match &e.kind {
        UpdateKind::NewMessage { id } => {
            w.u8(KIND_NEW_MESSAGE);
            w.i32(*id);
        }
        UpdateKind::ReadHistoryInbox {
            peer,
            max_id,
            still_unread,
        } => {
            w.u8(KIND_READ_INBOX);
            w.i64(peer.key());
            w.i32(*max_id);
            w.i32(*still_unread);
        }
        UpdateKind::ReadHistoryOutbox { peer, max_id } => {
            w.u8(KIND_READ_OUTBOX);
            w.i64(peer.key());
            w.i32(*max_id);
        }
        UpdateKind::EditMessage { id } => {
            w.u8(KIND_EDIT_MESSAGE);
            w.i32(*id);
        }
        UpdateKind::DeleteMessages { ids } => {
            w.u8(KIND_DELETE_MESSAGES);
            super::edits::write_ids(&mut w, ids);
        }
    }
    w.finish()
}

fn decode_entry(pts: i32, bytes: &[u8]) -> Result<UpdateEntry, StoreError> {
    let mut r = Reader::new(LOG_NAME, bytes, FORMAT)?;
    let pts_count = r.i32()?;
    let date = r.i64()?;
    let kind = match r.u8()? {
        KIND_NEW_MESSAGE => UpdateKind::NewMessage { id: r.i32()? },
        KIND_READ_INBOX => {
            let key = r.i64()?;
            UpdateKind::ReadHistoryInbox {
                peer: peer_of(&r, key)?,
                max_id: r.i32()?,
                still_unread: r.i32()?,
            }
        }
        KIND_READ_OUTBOX => {
            let key = r.i64()?;
            UpdateKind::ReadHistoryOutbox {
                peer: peer_of(&r, key)?,
                max_id: r.i32()?,
            }
        }
        KIND_EDIT_MESSAGE => UpdateKind::EditMessage { id: r.i32()? },
        KIND_DELETE_MESSAGES => UpdateKind::DeleteMessages {
            ids: super::edits::read_ids(&mut r)?,
        },
        tag => return Err(r.corrupt(format!("unknown update kind {tag}"))),
    };
    r.finish()?;
    Ok(UpdateEntry {
        pts,
        pts_count,
        date,
        kind,
    })
}

pub(super) fn encode_dialog(d: &DialogRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.i32(d.top_message);
    w.i64(d.top_date);
    w.i32(d.read_inbox_max_id);
    w.i32(d.read_outbox_max_id);
    w.i32(d.unread_count);
    w.finish()
}

fn decode_dialog(peer_key: i64, bytes: &[u8]) -> Result<DialogRecord, StoreError> {
    let mut r = Reader::new(DIALOGS_NAME, bytes, FORMAT)?;
    let record = DialogRecord {
        peer: peer_of(&r, peer_key)?,
        top_message: r.i32()?,
        top_date: r.i64()?,
        read_inbox_max_id: r.i32()?,
        read_outbox_max_id: r.i32()?,
        unread_count: r.i32()?,
    };
    r.finish()?;
    Ok(record)
}

pub(super) fn read_state(
    table: &impl ReadableTable<i64, (i32, i32)>,
    owner: i64,
) -> Result<BoxState, StoreError> {
    Ok(match table.get(owner).map_err(StoreError::backend)? {
        Some(v) => {
            let (pts, last_message_id) = v.value();
            BoxState {
                pts,
                last_message_id,
            }
        }
        None => BoxState::default(),
    })
}

pub(super) fn read_messages(
    table: &impl ReadableTable<(i64, i32), &'static [u8]>,
    owner: i64,
    ids: &[i32],
) -> Result<Vec<MessageRecord>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(v) = table.get((owner, id)).map_err(StoreError::backend)? {
            out.push(decode_message(owner, id, v.value())?);
        }
    }
    Ok(out)
}

pub(super) fn history_ids(
    index: &impl ReadableTable<(i64, i64, i32), ()>,
    owner: i64,
    query: &HistoryQuery,
) -> Result<Vec<i32>, StoreError> {
    let Some((low, high)) = id_bounds(query) else {
        return Ok(Vec::new());
    };
    let key = query.peer.key();
    let range = index
        .range((owner, key, low)..=(owner, key, high))
        .map_err(StoreError::backend)?;
    let mut ids = Vec::new();
    let mut push = |entry: Result<_, redb::StorageError>| -> Result<(), StoreError> {
        let (key, _): (
            redb::AccessGuard<'_, (i64, i64, i32)>,
            redb::AccessGuard<'_, ()>,
        ) = entry.map_err(StoreError::backend)?;
        ids.push(key.value().2);
        Ok(())
    };
    if query.newest_first {
        range.rev().take(query.limit).try_for_each(&mut push)?;
    } else {
        range.take(query.limit).try_for_each(&mut push)?;
    }
    Ok(ids)
}

pub(super) fn read_dialog(
    table: &impl ReadableTable<(i64, i64), &'static [u8]>,
    owner: i64,
    peer: Peer,
) -> Result<Option<DialogRecord>, StoreError> {
    match table
        .get((owner, peer.key()))
        .map_err(StoreError::backend)?
    {
        Some(v) => Ok(Some(decode_dialog(peer.key(), v.value())?)),
        None => Ok(None),
    }
}

/// Runs `op` over the box tables inside one write transaction (the edits,
/// deletes and forwards of `box_edit`).
pub(super) fn box_write<T>(
    db: &Database,
    op: impl FnOnce(&mut BoxTables<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    write_txn(db, |txn| op(&mut BoxTables::new(txn)))
}

/// One private send inside a batched transaction (see `batch_writer`).
pub(super) fn send_private(
    tables: &mut BoxTables<'_>,
    message: &NewPrivateMessage,
) -> Result<SentPrivateMessage, StoreError> {
    box_txn::send_private(tables, message)
}

/// [`send_private`] between two users, with the recipient and the blocks
/// both ways read in the same transaction (see
/// [`crate::Store::send_private_checked`]).
pub(super) fn send_private_checked(
    tables: &mut BoxTables<'_>,
    message: &NewPrivateMessage,
) -> Result<Result<SentPrivateMessage, PrivateSendRefusal>, StoreError> {
    if !tables.user_exists(message.to)? {
        return Ok(Err(PrivateSendRefusal::RecipientMissing));
    }
    if tables.is_blocked(message.from, message.to)? {
        return Ok(Err(PrivateSendRefusal::RecipientBlocked));
    }
    let message = NewPrivateMessage {
        deliver: !tables.is_blocked(message.to, message.from)?,
        ..message.clone()
    };
    send_private(tables, &message).map(Ok)
}

pub(super) fn read_history(
    db: &Grouped<'_>,
    owner: i64,
    peer: Peer,
    max_id: i32,
    now: i64,
) -> Result<ReadOutcome, StoreError> {
    db.write(|txn| box_txn::read_history(&mut BoxTables::new(txn), owner, peer, max_id, now))
}

pub(super) fn box_state(db: &Database, owner: i64) -> Result<BoxState, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(BOXES).map_err(StoreError::backend)?;
    read_state(&table, owner)
}

pub(super) fn updates_after(
    db: &Database,
    owner: i64,
    after: i32,
    limit: usize,
) -> Result<Vec<UpdateEntry>, StoreError> {
    let Some(first) = after.checked_add(1) else {
        return Ok(Vec::new());
    };
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(UPDATE_LOG).map_err(StoreError::backend)?;
    table
        .range((owner, first)..=(owner, i32::MAX))
        .map_err(StoreError::backend)?
        .take(limit.min(MAX_UPDATES_PER_READ))
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            decode_entry(key.value().1, value.value())
        })
        .collect()
}

pub(super) fn get_messages(
    db: &Database,
    owner: i64,
    ids: &[i32],
) -> Result<Vec<MessageRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(MESSAGES).map_err(StoreError::backend)?;
    read_messages(&table, owner, ids)
}

pub(super) fn history(
    db: &Database,
    owner: i64,
    query: &HistoryQuery,
) -> Result<Vec<MessageRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let index = txn.open_table(HISTORY).map_err(StoreError::backend)?;
    let ids = history_ids(&index, owner, query)?;
    let table = txn.open_table(MESSAGES).map_err(StoreError::backend)?;
    read_messages(&table, owner, &ids)
}

pub(super) fn history_count(db: &Database, owner: i64, peer: Peer) -> Result<usize, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let index = txn.open_table(HISTORY).map_err(StoreError::backend)?;
    let key = peer.key();
    let mut n = 0;
    for entry in index
        .range((owner, key, i32::MIN)..=(owner, key, i32::MAX))
        .map_err(StoreError::backend)?
    {
        entry.map_err(StoreError::backend)?;
        n += 1;
    }
    Ok(n)
}

pub(super) fn get_dialog(
    db: &Database,
    owner: i64,
    peer: Peer,
) -> Result<Option<DialogRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(DIALOGS).map_err(StoreError::backend)?;
    read_dialog(&table, owner, peer)
}

pub(super) fn list_dialogs(db: &Database, owner: i64) -> Result<Vec<DialogRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(DIALOGS).map_err(StoreError::backend)?;
    let mut all = table
        .range((owner, i64::MIN)..=(owner, i64::MAX))
        .map_err(StoreError::backend)?
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            decode_dialog(key.value().1, value.value())
        })
        .collect::<Result<Vec<_>, _>>()?;
    sort_dialogs(&mut all);
    Ok(all)
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn records_round_trip_and_reject_truncation() {
        let message = MessageRecord {
            owner: 5,
            id: 9,
            peer: Peer::User(6),
            from_id: 6,
            out: false,
            date: 100,
            text: "hi".into(),
            entities: vec![1, 2, 3],
            reply_to: Some(3),
            silent: true,
            peer_copy_id: Some(11),
            edit_date: Some(120),
            fwd_from: Some(crate::ForwardHeader {
                from_id: 8,
                date: 50,
            }),
            action: Some(crate::chats::ChatAction::DeleteUser { user_id: 4 }),
        };
        let bytes = encode_message(&message);
        assert_eq!(decode_message(5, 9, &bytes).ok(), Some(message));
        for len in 0..bytes.len() {
            assert!(decode_message(5, 9, &bytes[..len]).is_err(), "prefix {len}");
        }
        for kind in [
            UpdateKind::NewMessage { id: 4 },
            UpdateKind::ReadHistoryInbox {
                peer: Peer::User(2),
                max_id: 3,
                still_unread: 1,
            },
            UpdateKind::ReadHistoryOutbox {
                peer: Peer::User(2),
                max_id: 7,
            },
            UpdateKind::EditMessage { id: 6 },
            UpdateKind::DeleteMessages { ids: vec![1, 5, 9] },
        ] {
            let entry = UpdateEntry {
                pts: 8,
                pts_count: 1,
                date: 55,
                kind,
            };
            let bytes = encode_entry(&entry);
            assert_eq!(decode_entry(8, &bytes).ok(), Some(entry));
            for len in 0..bytes.len() {
                assert!(decode_entry(8, &bytes[..len]).is_err(), "prefix {len}");
            }
        }
        let dialog = DialogRecord {
            peer: Peer::User(3),
            top_message: 4,
            top_date: 5,
            read_inbox_max_id: 2,
            read_outbox_max_id: 1,
            unread_count: 2,
        };
        assert_eq!(decode_dialog(3, &encode_dialog(&dialog)).ok(), Some(dialog));
        assert!(decode_dialog(
            0,
            &encode_dialog(&DialogRecord {
                peer: Peer::User(3),
                top_message: 0,
                top_date: 0,
                read_inbox_max_id: 0,
                read_outbox_max_id: 0,
                unread_count: 0,
            })
        )
        .is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..96)) {
            let _ = decode_message(1, 1, &bytes);
            let _ = decode_entry(1, &bytes);
            let _ = decode_dialog(1, &bytes);
        }
    }
}
