//! The `invites` table: link hash -> encoded [`InviteRecord`].

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::codec::{Reader, Writer};
use super::write_txn;
use crate::invites::{consume, InviteRecord, InviteRefusal};
use crate::{Peer, StoreError};

const NAME: &str = "invites";
pub(super) const TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new(NAME);
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

pub(super) fn put(db: &Database, record: &InviteRecord) -> Result<(), StoreError> {
    let value = encode(record);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert(record.hash.as_str(), value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
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
        let current = table
            .get(hash)
            .map_err(StoreError::backend)?
            .map(|value| decode(hash, value.value()))
            .transpose()?;
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
