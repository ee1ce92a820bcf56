//! The `passwords` table: user id -> encoded [`PasswordRecord`].

use redb::{Database, ReadableDatabase, TableDefinition};

use super::codec::{Reader, Writer};
use super::write_txn;
use crate::{PasswordRecord, StoreError};

const NAME: &str = "passwords";
pub(super) const TABLE: TableDefinition<i64, &[u8]> = TableDefinition::new(NAME);
const FORMAT: u8 = 1;

fn encode(record: &PasswordRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.bytes(&record.srp_salt1);
    w.bytes(&record.srp_salt2);
    w.i32(record.srp_g);
    w.bytes(&record.srp_p);
    w.bytes(&record.verifier);
    w.i64(record.srp_id);
    w.str(&record.hint);
    w.opt_str(record.email.as_deref());
    w.i64(record.updated_at);
    w.finish()
}

fn decode(bytes: &[u8]) -> Result<PasswordRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let record = PasswordRecord {
        srp_salt1: r.bytes()?,
        srp_salt2: r.bytes()?,
        srp_g: r.i32()?,
        srp_p: r.bytes()?,
        verifier: r.bytes()?,
        srp_id: r.i64()?,
        hint: r.str()?,
        email: r.opt_str()?,
        updated_at: r.i64()?,
    };
    r.finish()?;
    Ok(record)
}

pub(super) fn put(db: &Database, user_id: i64, record: &PasswordRecord) -> Result<(), StoreError> {
    let value = encode(record);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert(user_id, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn get(db: &Database, user_id: i64) -> Result<Option<PasswordRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(user_id).map_err(StoreError::backend)?;
    found.map(|value| decode(value.value())).transpose()
}

pub(super) fn delete(db: &Database, user_id: i64) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let removed = table.remove(user_id).map_err(StoreError::backend)?;
        Ok(removed.is_some())
    })
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let record = PasswordRecord {
            srp_salt1: vec![1; 40],
            srp_salt2: vec![2; 16],
            srp_g: 3,
            srp_p: vec![0xff; 256],
            verifier: vec![9; 256],
            srp_id: -7,
            hint: "pet".into(),
            email: Some("a@b.c".into()),
            updated_at: 10,
        };
        let bytes = encode(&record);
        assert_eq!(decode(&bytes).ok(), Some(record));
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "prefix of {len}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..128)) {
            let _ = decode(&bytes);
        }
    }
}
