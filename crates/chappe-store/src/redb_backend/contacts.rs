//! The contact tables, all led by the owning user id so they shard with the
//! owner: `contacts` ((owner, user) -> encoded [`ContactRecord`] minus its
//! user id), the reverse index `contact_owners` ((user, owner) -> ()), and
//! `blocked` ((owner, target) -> blocked_at).

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::codec::{Reader, Writer};
use super::write_txn;
use crate::{BlockedRecord, ContactRecord, StoreError};

const NAME: &str = "contacts";
pub(super) const TABLE: TableDefinition<(i64, i64), &[u8]> = TableDefinition::new(NAME);
pub(super) const OWNERS: TableDefinition<(i64, i64), ()> = TableDefinition::new("contact_owners");
pub(super) const BLOCKED: TableDefinition<(i64, i64), i64> = TableDefinition::new("blocked");
const FORMAT: u8 = 1;

fn encode(record: &ContactRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.str(&record.first_name);
    w.str(&record.last_name);
    w.i64(record.added_at);
    w.finish()
}

fn decode(user_id: i64, bytes: &[u8]) -> Result<ContactRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let record = ContactRecord {
        user_id,
        first_name: r.str()?,
        last_name: r.str()?,
        added_at: r.i64()?,
    };
    r.finish()?;
    Ok(record)
}

pub(super) fn put(db: &Database, owner: i64, record: &ContactRecord) -> Result<(), StoreError> {
    let value = encode(record);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert((owner, record.user_id), value.as_slice())
            .map_err(StoreError::backend)?;
        let mut owners = txn.open_table(OWNERS).map_err(StoreError::backend)?;
        owners
            .insert((record.user_id, owner), ())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn delete(db: &Database, owner: i64, user_id: i64) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let removed = table
            .remove((owner, user_id))
            .map_err(StoreError::backend)?
            .is_some();
        let mut owners = txn.open_table(OWNERS).map_err(StoreError::backend)?;
        owners
            .remove((user_id, owner))
            .map_err(StoreError::backend)?;
        Ok(removed)
    })
}

pub(super) fn list(db: &Database, owner: i64) -> Result<Vec<ContactRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    table
        .range((owner, i64::MIN)..=(owner, i64::MAX))
        .map_err(StoreError::backend)?
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            decode(key.value().1, value.value())
        })
        .collect()
}

pub(super) fn owners_of(db: &Database, user_id: i64) -> Result<Vec<i64>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let owners = txn.open_table(OWNERS).map_err(StoreError::backend)?;
    owners
        .range((user_id, i64::MIN)..=(user_id, i64::MAX))
        .map_err(StoreError::backend)?
        .map(|entry| Ok(entry.map_err(StoreError::backend)?.0.value().1))
        .collect()
}

pub(super) fn block(db: &Database, owner: i64, target: i64, now: i64) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(BLOCKED).map_err(StoreError::backend)?;
        if table
            .get((owner, target))
            .map_err(StoreError::backend)?
            .is_some()
        {
            return Ok(false);
        }
        table
            .insert((owner, target), now)
            .map_err(StoreError::backend)?;
        Ok(true)
    })
}

pub(super) fn unblock(db: &Database, owner: i64, target: i64) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(BLOCKED).map_err(StoreError::backend)?;
        let removed = table.remove((owner, target)).map_err(StoreError::backend)?;
        Ok(removed.is_some())
    })
}

pub(super) fn list_blocked(
    db: &Database,
    owner: i64,
    offset: usize,
    limit: usize,
) -> Result<(Vec<BlockedRecord>, usize), StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(BLOCKED).map_err(StoreError::backend)?;
    let mut page = Vec::new();
    let mut total = 0;
    for entry in table
        .range((owner, i64::MIN)..=(owner, i64::MAX))
        .map_err(StoreError::backend)?
    {
        let (key, value) = entry.map_err(StoreError::backend)?;
        if total >= offset && page.len() < limit {
            page.push(BlockedRecord {
                user_id: key.value().1,
                blocked_at: value.value(),
            });
        }
        total += 1;
    }
    Ok((page, total))
}

pub(super) fn is_blocked(db: &Database, owner: i64, target: i64) -> Result<bool, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(BLOCKED).map_err(StoreError::backend)?;
    let found = table.get((owner, target)).map_err(StoreError::backend)?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let record = ContactRecord {
            user_id: 4,
            first_name: "Bo".into(),
            last_name: "Ng".into(),
            added_at: 77,
        };
        let bytes = encode(&record);
        assert_eq!(decode(4, &bytes).ok(), Some(record));
        for len in 0..bytes.len() {
            assert!(decode(4, &bytes[..len]).is_err(), "prefix of {len}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..64)) {
            let _ = decode(1, &bytes);
        }
    }
}
