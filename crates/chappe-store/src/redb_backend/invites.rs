//! The `invites` table (link hash -> encoded [`InviteRecord`]) and its
//! key-only index `invites_by_peer` ((group peer key, admin id, hash) ->
//! ()), which lists a group's links, or one admin's, without a full scan.
//! A link's group and maker never change, so only a new or deleted link
//! touches the index.

use redb::{
    Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition,
    WriteTransaction,
};

use super::codec::{Reader, Writer};
use super::write_txn;
use crate::invites::{consume, InviteEdit, InviteRecord, InviteRefusal};
use crate::{Peer, StoreError};

const NAME: &str = "invites";
const TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new(NAME);
const BY_PEER: TableDefinition<(i64, i64, &str), ()> = TableDefinition::new("invites_by_peer");
const FORMAT: u8 = 1;

fn encode(record: &InviteRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    let (kind, id) = match record.peer {
        Peer::User(id) => (0, id),
        Peer::Chat(id) => (1, id),
        Peer::Channel(id) => (2, id),
    };
    w.u8(kind);
    w.i64(id);
    w.i64(record.admin_id);
    w.i64(record.date);
    w.opt_i64(record.expire_date);
    w.opt_i32(record.usage_limit);
    w.i32(record.usage);
    w.bool(record.revoked);
    w.str(&record.title);
    w.finish()
}

fn decode(hash: &str, bytes: &[u8]) -> Result<InviteRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let kind = r.u8()?;
    let id = r.i64()?;
    let peer = match kind {
        0 => Peer::User(id),
        1 => Peer::Chat(id),
        2 => Peer::Channel(id),
        other => return Err(r.corrupt(format!("peer kind {other}"))),
    };
    let record = InviteRecord {
        hash: hash.to_owned(),
        peer,
        admin_id: r.i64()?,
        date: r.i64()?,
        expire_date: r.opt_i64()?,
        usage_limit: r.opt_i32()?,
        usage: r.i32()?,
        revoked: r.bool()?,
        title: r.str()?,
    };
    r.finish()?;
    Ok(record)
}

/// Creates both tables and fills the index from the links when it is empty
/// (a file written before the index existed); runs while opening.
pub(super) fn create_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let mut index = txn.open_table(BY_PEER).map_err(StoreError::backend)?;
    if !index.is_empty().map_err(StoreError::backend)? {
        return Ok(());
    }
    for entry in table.iter().map_err(StoreError::backend)? {
        let (hash, value) = entry.map_err(StoreError::backend)?;
        let record = decode(hash.value(), value.value())?;
        index
            .insert(index_key(&record), ())
            .map_err(StoreError::backend)?;
    }
    Ok(())
}

fn index_key(record: &InviteRecord) -> (i64, i64, &str) {
    (record.peer.key(), record.admin_id, record.hash.as_str())
}

pub(super) fn put(db: &Database, record: &InviteRecord) -> Result<(), StoreError> {
    let value = encode(record);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let mut index = txn.open_table(BY_PEER).map_err(StoreError::backend)?;
        let old = table
            .insert(record.hash.as_str(), value.as_slice())
            .map_err(StoreError::backend)?
            .map(|v| decode(&record.hash, v.value()))
            .transpose()?;
        if let Some(old) = old {
            index.remove(index_key(&old)).map_err(StoreError::backend)?;
        }
        index
            .insert(index_key(record), ())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

/// The link stored under `hash`, if any.
fn read(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    hash: &str,
) -> Result<Option<InviteRecord>, StoreError> {
    table
        .get(hash)
        .map_err(StoreError::backend)?
        .map(|value| decode(hash, value.value()))
        .transpose()
}

/// Applies `edit` in one write transaction.
pub(super) fn edit(
    db: &Database,
    hash: &str,
    edit: &InviteEdit,
) -> Result<Option<InviteRecord>, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let current = read(&table, hash)?;
        let Some(current) = current else {
            return Ok(None);
        };
        let edited = current.edited(edit);
        let value = encode(&edited);
        table
            .insert(hash, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(Some(edited))
    })
}

/// The links of `peer` (one admin's when given), by admin then hash.
pub(super) fn of_peer(
    db: &Database,
    peer: Peer,
    admin_id: Option<i64>,
) -> Result<Vec<InviteRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let index = txn.open_table(BY_PEER).map_err(StoreError::backend)?;
    let key = peer.key();
    let (low, high) = match admin_id {
        Some(a) => (a, a),
        None => (i64::MIN, i64::MAX),
    };
    let mut out = Vec::new();
    for entry in index.range((key, low, "")..).map_err(StoreError::backend)? {
        let (k, _) = entry.map_err(StoreError::backend)?;
        let (peer_key, admin, hash) = k.value();
        if peer_key != key || admin > high {
            break;
        }
        if let Some(value) = table.get(hash).map_err(StoreError::backend)? {
            out.push(decode(hash, value.value())?);
        }
    }
    Ok(out)
}

/// Deletes the link if it is revoked.
pub(super) fn delete_revoked(db: &Database, hash: &str) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let current = read(&table, hash)?;
        let Some(record) = current.filter(|r| r.revoked) else {
            return Ok(false);
        };
        table.remove(hash).map_err(StoreError::backend)?;
        let mut index = txn.open_table(BY_PEER).map_err(StoreError::backend)?;
        index
            .remove(index_key(&record))
            .map_err(StoreError::backend)?;
        Ok(true)
    })
}

/// Deletes every revoked link `admin_id` made for `peer`.
pub(super) fn delete_all_revoked(
    db: &Database,
    peer: Peer,
    admin_id: i64,
) -> Result<usize, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let mut index = txn.open_table(BY_PEER).map_err(StoreError::backend)?;
        let key = peer.key();
        let mut hashes = Vec::new();
        for entry in index
            .range((key, admin_id, "")..)
            .map_err(StoreError::backend)?
        {
            let (k, _) = entry.map_err(StoreError::backend)?;
            let (peer_key, admin, hash) = k.value();
            if peer_key != key || admin != admin_id {
                break;
            }
            hashes.push(hash.to_owned());
        }
        let mut deleted = 0;
        for hash in hashes {
            let revoked = match table.get(hash.as_str()).map_err(StoreError::backend)? {
                Some(value) => decode(&hash, value.value())?.revoked,
                None => false,
            };
            if revoked {
                table.remove(hash.as_str()).map_err(StoreError::backend)?;
                index
                    .remove((key, admin_id, hash.as_str()))
                    .map_err(StoreError::backend)?;
                deleted += 1;
            }
        }
        Ok(deleted)
    })
}

pub(super) fn get(db: &Database, hash: &str) -> Result<Option<InviteRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(hash).map_err(StoreError::backend)?;
    found.map(|value| decode(hash, value.value())).transpose()
}

/// Checks and counts one use in one write transaction, so two joins racing
/// for the last use cannot both pass.
pub(super) fn use_once(
    db: &Database,
    hash: &str,
    now: i64,
) -> Result<Result<InviteRecord, InviteRefusal>, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let current = read(&table, hash)?;
        let used = match consume(current, now) {
            Ok(used) => used,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let value = encode(&used);
        table
            .insert(hash, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(Ok(used))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let record = InviteRecord {
            hash: "abc".into(),
            peer: Peer::Channel(-5),
            admin_id: 7,
            date: 12,
            expire_date: Some(99),
            usage_limit: None,
            usage: 3,
            revoked: true,
            title: "t".into(),
        };
        let bytes = encode(&record);
        assert_eq!(decode("abc", &bytes).ok(), Some(record));
        for len in 0..bytes.len() {
            assert!(decode("abc", &bytes[..len]).is_err(), "prefix of {len}");
        }
    }
}
