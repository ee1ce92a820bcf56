//! The `devices` table: (user id, auth key id, token type) -> encoded
//! [`DeviceRecord`] (without the key fields). Sharded by user id like the other
//! per-user tables; a key's tokens are a range under its user.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::codec::{Reader, Writer};
use super::write_txn;
use crate::{DeviceRecord, StoreError};

const NAME: &str = "devices";
pub(super) const TABLE: TableDefinition<(i64, i64, i32), &[u8]> = TableDefinition::new(NAME);
const FORMAT: u8 = 1;
/// Most other user ids kept with a token (Telegram clients send a handful).
const MAX_OTHER_UIDS: usize = 64;

fn encode(record: &DeviceRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.str(&record.token);
    w.bool(record.app_sandbox);
    w.bytes(&record.secret);
    w.bool(record.no_muted);
    let others = &record.other_uids[..record.other_uids.len().min(MAX_OTHER_UIDS)];
    w.u32(others.len() as u32);
    for uid in others {
        w.i64(*uid);
    }
    w.i64(record.registered_at);
    w.finish()
}

fn decode(key: (i64, i64, i32), bytes: &[u8]) -> Result<DeviceRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let token = r.str()?;
    let app_sandbox = r.bool()?;
    let secret = r.bytes()?;
    let no_muted = r.bool()?;
    let count = r.u32()? as usize;
    if count > MAX_OTHER_UIDS {
        return Err(r.corrupt(format!("{count} other user ids")));
    }
    let mut other_uids = Vec::with_capacity(count);
    for _ in 0..count {
        other_uids.push(r.i64()?);
    }
    let registered_at = r.i64()?;
    r.finish()?;
    Ok(DeviceRecord {
        user_id: key.0,
        auth_key_id: key.1,
        token_type: key.2,
        token,
        app_sandbox,
        secret,
        no_muted,
        other_uids,
        registered_at,
    })
}

pub(super) fn put(db: &Database, record: &DeviceRecord) -> Result<(), StoreError> {
    let value = encode(record);
    let key = (record.user_id, record.auth_key_id, record.token_type);
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert(key, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn delete(db: &Database, key: (i64, i64, i32), token: &str) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let matches = match table.get(key).map_err(StoreError::backend)? {
            Some(value) => decode(key, value.value())?.token == token,
            None => false,
        };
        if matches {
            table.remove(key).map_err(StoreError::backend)?;
        }
        Ok(matches)
    })
}

pub(super) fn of_user(db: &Database, user_id: i64) -> Result<Vec<DeviceRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    table
        .range((user_id, i64::MIN, i32::MIN)..=(user_id, i64::MAX, i32::MAX))
        .map_err(StoreError::backend)?
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            decode(key.value(), value.value())
        })
        .collect()
}

pub(super) fn delete_of_auth_key(
    db: &Database,
    user_id: i64,
    auth_key_id: i64,
) -> Result<usize, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let mut types = Vec::new();
        for entry in table
            .range((user_id, auth_key_id, i32::MIN)..=(user_id, auth_key_id, i32::MAX))
            .map_err(StoreError::backend)?
        {
            let (key, _) = entry.map_err(StoreError::backend)?;
            types.push(key.value().2);
        }
        for token_type in &types {
            table
                .remove((user_id, auth_key_id, *token_type))
                .map_err(StoreError::backend)?;
        }
        Ok(types.len())
    })
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn round_trips_and_rejects_truncation() {
        let record = DeviceRecord {
            user_id: 1,
            auth_key_id: -2,
            token_type: 2,
            token: "fcm-token".into(),
            app_sandbox: true,
            secret: vec![7; 256],
            no_muted: true,
            other_uids: vec![5, 6],
            registered_at: 10,
        };
        let bytes = encode(&record);
        assert_eq!(decode((1, -2, 2), &bytes).ok(), Some(record));
        for len in 0..bytes.len() {
            assert!(
                decode((1, -2, 2), &bytes[..len]).is_err(),
                "prefix of {len}"
            );
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..128)) {
            let _ = decode((0, 0, 0), &bytes);
        }
    }
}
