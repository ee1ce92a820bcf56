//! The `terms_accepted` table: user id -> encoded [`TermsAcceptance`].

use redb::{Database, ReadableDatabase, TableDefinition};

use super::codec::{Reader, Writer};
use super::write_txn;
use crate::{StoreError, TermsAcceptance};

const NAME: &str = "terms_accepted";
pub(super) const TABLE: TableDefinition<i64, &[u8]> = TableDefinition::new(NAME);
const FORMAT: u8 = 1;

fn encode(record: &TermsAcceptance) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.str(&record.terms_id);
    w.i64(record.accepted_at);
    w.finish()
}

fn decode(bytes: &[u8]) -> Result<TermsAcceptance, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let record = TermsAcceptance {
        terms_id: r.str()?,
        accepted_at: r.i64()?,
    };
    r.finish()?;
    Ok(record)
}

pub(super) fn put(db: &Database, user_id: i64, record: &TermsAcceptance) -> Result<(), StoreError> {
    let value = encode(record);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert(user_id, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn get(db: &Database, user_id: i64) -> Result<Option<TermsAcceptance>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(user_id).map_err(StoreError::backend)?;
    found.map(|value| decode(value.value())).transpose()
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let record = TermsAcceptance {
            terms_id: "tos-2026-01".into(),
            accepted_at: 12,
        };
        let bytes = encode(&record);
        assert_eq!(decode(&bytes).ok(), Some(record));
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "prefix of {len}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..64)) {
            let _ = decode(&bytes);
        }
    }
}
