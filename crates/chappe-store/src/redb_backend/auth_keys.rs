//! The `auth_keys` table: auth key id -> encoded [`AuthKeyRecord`].

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::codec::{Reader, Writer};
use super::{sessions, write_txn};
use crate::{AuthKeyKind, AuthKeyRecord, StoreError, AUTH_KEY_LEN};

const NAME: &str = "auth_keys";
pub(super) const TABLE: TableDefinition<i64, &[u8]> = TableDefinition::new(NAME);
const FORMAT: u8 = 1;

const KIND_PERM: u8 = 0;
const KIND_TEMP: u8 = 1;

fn encode(record: &AuthKeyRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.raw(&record.key);
    match record.kind {
        AuthKeyKind::Perm => w.u8(KIND_PERM),
        AuthKeyKind::Temp { expires_at } => {
            w.u8(KIND_TEMP);
            w.i64(expires_at);
        }
    }
    w.i64(record.created_at);
    w.opt_i64(record.perm_key_id);
    w.opt_i64(record.user_id);
    w.finish()
}

fn decode(id: i64, bytes: &[u8]) -> Result<AuthKeyRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let key = r.take::<AUTH_KEY_LEN>()?;
    let kind = match r.u8()? {
        KIND_PERM => AuthKeyKind::Perm,
        KIND_TEMP => AuthKeyKind::Temp {
            expires_at: r.i64()?,
        },
        tag => return Err(r.corrupt(format!("bad key kind {tag}"))),
    };
    let record = AuthKeyRecord {
        id,
        key,
        kind,
        created_at: r.i64()?,
        perm_key_id: r.opt_i64()?,
        user_id: r.opt_i64()?,
    };
    r.finish()?;
    Ok(record)
}

pub(super) fn put(db: &Database, record: &AuthKeyRecord) -> Result<(), StoreError> {
    let value = encode(record);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert(record.id, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn get(db: &Database, id: i64) -> Result<Option<AuthKeyRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(id).map_err(StoreError::backend)?;
    found.map(|value| decode(id, value.value())).transpose()
}

pub(super) fn delete(db: &Database, id: i64) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let existed = {
            let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
            let removed = table.remove(id).map_err(StoreError::backend)?;
            removed.is_some()
        };
        sessions::delete_all_of_key(txn, id)?;
        Ok(existed)
    })
}

/// Whether the key exists, inside a write transaction (for checks that must
/// be atomic with the write that depends on them).
pub(super) fn exists(txn: &redb::WriteTransaction, id: i64) -> Result<bool, StoreError> {
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(id).map_err(StoreError::backend)?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    fn sample() -> AuthKeyRecord {
        AuthKeyRecord {
            id: -5,
            key: [7; AUTH_KEY_LEN],
            kind: AuthKeyKind::Temp { expires_at: 99 },
            created_at: 12,
            perm_key_id: Some(3),
            user_id: None,
        }
    }

    #[test]
    fn round_trips() {
        let record = sample();
        assert_eq!(decode(record.id, &encode(&record)).ok(), Some(record));
    }

    #[test]
    fn every_truncation_is_rejected() {
        let bytes = encode(&sample());
        for len in 0..bytes.len() {
            assert!(decode(-5, &bytes[..len]).is_err(), "prefix of {len} bytes");
        }
    }

    #[test]
    fn trailing_bytes_are_rejected() {
        let mut bytes = encode(&sample());
        bytes.push(0);
        assert!(matches!(
            decode(-5, &bytes),
            Err(StoreError::Corrupt { .. })
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..300)) {
            let _ = decode(0, &bytes);
        }

        #[test]
        fn arbitrary_records_round_trip(
            id in any::<i64>(),
            fill in any::<u8>(),
            expires_at in proptest::option::of(any::<i64>()),
            created_at in any::<i64>(),
            perm_key_id in proptest::option::of(any::<i64>()),
            user_id in proptest::option::of(any::<i64>()),
        ) {
            let record = AuthKeyRecord {
                id,
                key: [fill; AUTH_KEY_LEN],
                kind: expires_at.map_or(AuthKeyKind::Perm, |expires_at| AuthKeyKind::Temp { expires_at }),
                created_at,
                perm_key_id,
                user_id,
            };
            prop_assert_eq!(decode(id, &encode(&record)).ok(), Some(record));
        }
    }
}
