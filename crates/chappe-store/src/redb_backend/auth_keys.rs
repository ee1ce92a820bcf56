//! The `auth_keys` table: auth key id -> encoded [`AuthKeyRecord`], and the
//! `user_auth_keys` index: (user id, auth key id) -> (), kept in step with
//! each record's `user_id` in the same transaction.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};

use super::codec::{Reader, Writer};
use super::group_commit::Grouped;
use super::{sessions, users, write_txn};
use crate::{AuthKeyKind, AuthKeyRecord, StoreError, AUTH_KEY_LEN};

const NAME: &str = "auth_keys";
pub(super) const TABLE: TableDefinition<i64, &[u8]> = TableDefinition::new(NAME);
/// Led by the user id, so a user's keys are one range and it shards by user.
pub(super) const BY_USER: TableDefinition<(i64, i64), ()> = TableDefinition::new("user_auth_keys");
/// permanent key id -> the temporary key bound to it (at most one, as the PFS spec says).
pub(super) const TEMP_BINDINGS: TableDefinition<i64, i64> =
    TableDefinition::new("perm_key_temp_binding");
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

pub(super) fn put(db: &Grouped<'_>, record: &AuthKeyRecord) -> Result<(), StoreError> {
    db.write(|txn| put_in(txn, record))
}

/// Writes the record and moves its index entry, inside the caller's
/// transaction.
fn put_in(txn: &WriteTransaction, record: &AuthKeyRecord) -> Result<(), StoreError> {
    let value = encode(record);
    let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let old_user = match table.get(record.id).map_err(StoreError::backend)? {
        Some(old) => decode(record.id, old.value())?.user_id,
        None => None,
    };
    table
        .insert(record.id, value.as_slice())
        .map_err(StoreError::backend)?;
    let mut by_user = txn.open_table(BY_USER).map_err(StoreError::backend)?;
    if let Some(old_user) = old_user {
        by_user
            .remove((old_user, record.id))
            .map_err(StoreError::backend)?;
    }
    if let Some(user_id) = record.user_id {
        by_user
            .insert((user_id, record.id), ())
            .map_err(StoreError::backend)?;
    }
    Ok(())
}

fn get_in(txn: &WriteTransaction, id: i64) -> Result<Option<AuthKeyRecord>, StoreError> {
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(id).map_err(StoreError::backend)?;
    found.map(|value| decode(id, value.value())).transpose()
}

pub(super) fn bind(db: &Grouped<'_>, auth_key_id: i64, user_id: i64) -> Result<(), StoreError> {
    db.write(|txn| {
        if !users::exists(txn, user_id)? {
            return Err(StoreError::UserNotFound(user_id));
        }
        bind_in(txn, auth_key_id, user_id)
    })
}

/// Binds the key to a user the caller checked exists, inside the caller's
/// transaction.
pub(super) fn bind_in(
    txn: &WriteTransaction,
    auth_key_id: i64,
    user_id: i64,
) -> Result<(), StoreError> {
    let Some(record) = get_in(txn, auth_key_id)? else {
        return Err(StoreError::AuthKeyNotFound(auth_key_id));
    };
    put_in(
        txn,
        &AuthKeyRecord {
            user_id: Some(user_id),
            ..record
        },
    )
}

/// Binds temporary key `temp_id` to permanent key `perm_id`, unbinding the temporary key
/// bound to it before; answers that one.
pub(super) fn bind_temp(
    db: &Grouped<'_>,
    temp_id: i64,
    perm_id: i64,
) -> Result<Option<i64>, StoreError> {
    db.write(|txn| {
        let Some(temp) = get_in(txn, temp_id)? else {
            return Err(StoreError::AuthKeyNotFound(temp_id));
        };
        if get_in(txn, perm_id)?.is_none() {
            return Err(StoreError::AuthKeyNotFound(perm_id));
        }
        let mut bindings = txn.open_table(TEMP_BINDINGS).map_err(StoreError::backend)?;
        let before = bindings
            .get(perm_id)
            .map_err(StoreError::backend)?
            .map(|v| v.value());
        let mut unbound = None;
        if let Some(old_id) = before.filter(|&old| old != temp_id) {
            // A deleted or rebound key has nothing left to undo.
            if let Some(old) = get_in(txn, old_id)?.filter(|r| r.perm_key_id == Some(perm_id)) {
                put_in(
                    txn,
                    &AuthKeyRecord {
                        perm_key_id: None,
                        ..old
                    },
                )?;
                unbound = Some(old_id);
            }
        }
        put_in(
            txn,
            &AuthKeyRecord {
                perm_key_id: Some(perm_id),
                ..temp
            },
        )?;
        bindings
            .insert(perm_id, temp_id)
            .map_err(StoreError::backend)?;
        Ok(unbound)
    })
}

pub(super) fn unbind(db: &Grouped<'_>, auth_key_id: i64) -> Result<Option<i64>, StoreError> {
    db.write(|txn| {
        let Some(record) = get_in(txn, auth_key_id)? else {
            return Ok(None);
        };
        let previous = record.user_id;
        if previous.is_some() {
            put_in(
                txn,
                &AuthKeyRecord {
                    user_id: None,
                    ..record
                },
            )?;
        }
        Ok(previous)
    })
}

pub(super) fn of_user(db: &Database, user_id: i64) -> Result<Vec<AuthKeyRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let by_user = txn.open_table(BY_USER).map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let mut out = Vec::new();
    for entry in by_user
        .range((user_id, i64::MIN)..=(user_id, i64::MAX))
        .map_err(StoreError::backend)?
    {
        let (key, _) = entry.map_err(StoreError::backend)?;
        let (_, auth_key_id) = key.value();
        if let Some(value) = table.get(auth_key_id).map_err(StoreError::backend)? {
            out.push(decode(auth_key_id, value.value())?);
        }
    }
    Ok(out)
}

/// Rebuilds the user index from the records (the schema 1 -> 2 migration:
/// schema 1 had `user_id` in records but no index).
pub(super) fn rebuild_user_index(txn: &WriteTransaction) -> Result<(), StoreError> {
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let mut by_user = txn.open_table(BY_USER).map_err(StoreError::backend)?;
    for entry in table.iter().map_err(StoreError::backend)? {
        let (key, value) = entry.map_err(StoreError::backend)?;
        let record = decode(key.value(), value.value())?;
        if let Some(user_id) = record.user_id {
            by_user
                .insert((user_id, record.id), ())
                .map_err(StoreError::backend)?;
        }
    }
    Ok(())
}

pub(super) fn get(db: &Database, id: i64) -> Result<Option<AuthKeyRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(id).map_err(StoreError::backend)?;
    found.map(|value| decode(id, value.value())).transpose()
}

pub(super) fn delete(db: &Database, id: i64) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let removed = {
            let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
            let removed = table.remove(id).map_err(StoreError::backend)?;
            // A damaged record is still deleted; it just cannot name its user.
            removed.map(|value| decode(id, value.value()).ok().and_then(|r| r.user_id))
        };
        if let Some(user_id) = removed.flatten() {
            let mut by_user = txn.open_table(BY_USER).map_err(StoreError::backend)?;
            by_user.remove((user_id, id)).map_err(StoreError::backend)?;
        }
        sessions::delete_all_of_key(txn, id)?;
        Ok(removed.is_some())
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
