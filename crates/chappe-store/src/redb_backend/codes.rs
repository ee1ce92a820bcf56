//! The `phone_codes` table: phone_code_hash -> encoded [`PhoneCodeRecord`].

use redb::{Database, ReadableDatabase, TableDefinition};

use super::codec::{Reader, Writer};
use super::write_txn;
use crate::{CodeKind, PhoneCodeRecord, StoreError};

const NAME: &str = "phone_codes";
pub(super) const TABLE: TableDefinition<&str, &[u8]> = TableDefinition::new(NAME);
const FORMAT: u8 = 1;

const KIND_APP: u8 = 0;
const KIND_SMS: u8 = 1;

fn encode(record: &PhoneCodeRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.str(&record.phone);
    w.str(&record.code);
    w.i64(record.created_at);
    w.i64(record.expires_at);
    w.u32(record.attempts);
    w.u8(match record.kind {
        CodeKind::App => KIND_APP,
        CodeKind::Sms => KIND_SMS,
    });
    w.finish()
}

fn decode(hash: &str, bytes: &[u8]) -> Result<PhoneCodeRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let phone = r.str()?;
    let code = r.str()?;
    let created_at = r.i64()?;
    let expires_at = r.i64()?;
    let attempts = r.u32()?;
    let kind = match r.u8()? {
        KIND_APP => CodeKind::App,
        KIND_SMS => CodeKind::Sms,
        tag => return Err(r.corrupt(format!("bad code kind {tag}"))),
    };
    r.finish()?;
    Ok(PhoneCodeRecord {
        phone_code_hash: hash.to_owned(),
        phone,
        code,
        created_at,
        expires_at,
        attempts,
        kind,
    })
}

pub(super) fn put(db: &Database, record: &PhoneCodeRecord) -> Result<(), StoreError> {
    let value = encode(record);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert(record.phone_code_hash.as_str(), value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn get(db: &Database, hash: &str) -> Result<Option<PhoneCodeRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(hash).map_err(StoreError::backend)?;
    found.map(|value| decode(hash, value.value())).transpose()
}

pub(super) fn delete(db: &Database, hash: &str) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let removed = table.remove(hash).map_err(StoreError::backend)?;
        Ok(removed.is_some())
    })
}

pub(super) fn purge(db: &Database, now: i64) -> Result<usize, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let mut purged = 0;
        table
            .retain(|hash, value| {
                let keep = decode(hash, value).is_ok_and(|code| code.expires_at > now);
                if !keep {
                    purged += 1;
                }
                keep
            })
            .map_err(StoreError::backend)?;
        Ok(purged)
    })
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let record = PhoneCodeRecord {
            phone_code_hash: "abc".into(),
            phone: "9996612345".into(),
            code: "11111".into(),
            created_at: 1,
            expires_at: 301,
            attempts: 2,
            kind: CodeKind::Sms,
        };
        let bytes = encode(&record);
        assert_eq!(decode("abc", &bytes).ok(), Some(record));
        for len in 0..bytes.len() {
            assert!(decode("abc", &bytes[..len]).is_err(), "prefix of {len}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..96)) {
            let _ = decode("h", &bytes);
        }
    }
}
