//! The user tables: `users` (user id -> encoded [`UserRecord`]), the unique
//! indexes `users_by_phone` (digits -> id) and `users_by_username`
//! (lowercased name -> id), and `counters` (name -> next value) for ids.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};

use super::codec::{Reader, Writer};
use super::group_commit::Grouped;
use super::{auth_keys, write_txn};
use crate::users::{matches_search, username_key};
use crate::{StoreError, UserRecord, SEARCH_SCAN_LIMIT, SERVICE_USER_ID};

const NAME: &str = "users";
pub(super) const TABLE: TableDefinition<i64, &[u8]> = TableDefinition::new(NAME);
pub(super) const BY_PHONE: TableDefinition<&str, i64> = TableDefinition::new("users_by_phone");
pub(super) const BY_USERNAME: TableDefinition<&str, i64> =
    TableDefinition::new("users_by_username");
pub(super) const COUNTERS: TableDefinition<&str, i64> = TableDefinition::new("counters");
const NEXT_USER_ID: &str = "next_user_id";
const FORMAT: u8 = 1;

fn encode(record: &UserRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.str(&record.phone);
    w.str(&record.first_name);
    w.str(&record.last_name);
    w.opt_str(record.username.as_deref());
    w.str(&record.about);
    w.i64(record.created_at);
    w.bool(record.banned);
    w.i64(record.last_online_at);
    w.finish()
}

fn decode(id: i64, bytes: &[u8]) -> Result<UserRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let record = UserRecord {
        id,
        phone: r.str()?,
        first_name: r.str()?,
        last_name: r.str()?,
        username: r.opt_str()?,
        about: r.str()?,
        created_at: r.i64()?,
        banned: r.bool()?,
        last_online_at: r.i64()?,
    };
    r.finish()?;
    Ok(record)
}

/// Whether the user exists, inside a write transaction.
pub(super) fn exists(txn: &WriteTransaction, id: i64) -> Result<bool, StoreError> {
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(id).map_err(StoreError::backend)?;
    Ok(found.is_some())
}

pub(super) fn create(
    db: &Grouped<'_>,
    base: i64,
    phone: &str,
    first_name: &str,
    last_name: &str,
    now: i64,
) -> Result<UserRecord, StoreError> {
    db.write_users(|txn| create_in(txn, base, phone, first_name, last_name, now))
}

/// Creates the user and binds `auth_key_id` to it in one transaction.
pub(super) fn create_bound(
    db: &Grouped<'_>,
    base: i64,
    phone: &str,
    first_name: &str,
    last_name: &str,
    now: i64,
    auth_key_id: i64,
) -> Result<UserRecord, StoreError> {
    db.write_users(|txn| {
        // Checked first so a missing key fails before anything is written
        // (an error aborts the transaction anyway; this keeps it cheap).
        if !auth_keys::exists(txn, auth_key_id)? {
            return Err(StoreError::AuthKeyNotFound(auth_key_id));
        }
        let user = create_in(txn, base, phone, first_name, last_name, now)?;
        auth_keys::bind_in(txn, auth_key_id, user.id)?;
        Ok(user)
    })
}

/// Creates the user inside the caller's transaction.
fn create_in(
    txn: &WriteTransaction,
    base: i64,
    phone: &str,
    first_name: &str,
    last_name: &str,
    now: i64,
) -> Result<UserRecord, StoreError> {
    let mut by_phone = txn.open_table(BY_PHONE).map_err(StoreError::backend)?;
    if by_phone.get(phone).map_err(StoreError::backend)?.is_some() {
        return Err(StoreError::PhoneTaken);
    }
    let mut counters = txn.open_table(COUNTERS).map_err(StoreError::backend)?;
    let stored = counters
        .get(NEXT_USER_ID)
        .map_err(StoreError::backend)?
        .map(|value| value.value());
    let mut id = stored.unwrap_or(base);
    if id == SERVICE_USER_ID {
        id += 1;
    }
    let next = id.checked_add(1).ok_or(StoreError::UserIdsExhausted)?;
    counters
        .insert(NEXT_USER_ID, next)
        .map_err(StoreError::backend)?;
    let record = UserRecord {
        id,
        phone: phone.to_owned(),
        first_name: first_name.to_owned(),
        last_name: last_name.to_owned(),
        username: None,
        about: String::new(),
        created_at: now,
        banned: false,
        last_online_at: now,
    };
    by_phone.insert(phone, id).map_err(StoreError::backend)?;
    let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    table
        .insert(id, encode(&record).as_slice())
        .map_err(StoreError::backend)?;
    Ok(record)
}

pub(super) fn get(db: &Database, id: i64) -> Result<Option<UserRecord>, StoreError> {
    Ok(get_many(db, &[id])?.pop())
}

pub(super) fn get_many(db: &Database, ids: &[i64]) -> Result<Vec<UserRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for &id in ids {
        if !seen.insert(id) {
            continue;
        }
        if let Some(value) = table.get(id).map_err(StoreError::backend)? {
            out.push(decode(id, value.value())?);
        }
    }
    Ok(out)
}

fn by_index(
    db: &Database,
    index: TableDefinition<&str, i64>,
    key: &str,
) -> Result<Option<UserRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let index = txn.open_table(index).map_err(StoreError::backend)?;
    let Some(id) = index
        .get(key)
        .map_err(StoreError::backend)?
        .map(|value| value.value())
    else {
        return Ok(None);
    };
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table.get(id).map_err(StoreError::backend)?;
    found.map(|value| decode(id, value.value())).transpose()
}

pub(super) fn by_phone(db: &Database, phone: &str) -> Result<Option<UserRecord>, StoreError> {
    by_index(db, BY_PHONE, phone)
}

pub(super) fn by_username(db: &Database, name: &str) -> Result<Option<UserRecord>, StoreError> {
    by_index(db, BY_USERNAME, &username_key(name))
}

pub(super) fn update(db: &Database, record: &UserRecord) -> Result<(), StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let old = match table.get(record.id).map_err(StoreError::backend)? {
            Some(value) => decode(record.id, value.value())?,
            None => return Err(StoreError::UserNotFound(record.id)),
        };
        // Any error returned below drops the transaction, so a clash on the
        // username after the phone index moved still changes nothing.
        let mut by_phone = txn.open_table(BY_PHONE).map_err(StoreError::backend)?;
        if old.phone != record.phone {
            let owner = by_phone
                .get(record.phone.as_str())
                .map_err(StoreError::backend)?
                .map(|value| value.value());
            if owner.is_some_and(|owner| owner != record.id) {
                return Err(StoreError::PhoneTaken);
            }
            by_phone
                .remove(old.phone.as_str())
                .map_err(StoreError::backend)?;
            by_phone
                .insert(record.phone.as_str(), record.id)
                .map_err(StoreError::backend)?;
        }
        let old_key = old.username.as_deref().map(username_key);
        let new_key = record.username.as_deref().map(username_key);
        if old_key != new_key {
            let mut by_username = txn.open_table(BY_USERNAME).map_err(StoreError::backend)?;
            if let Some(key) = &new_key {
                let owner = by_username
                    .get(key.as_str())
                    .map_err(StoreError::backend)?
                    .map(|value| value.value());
                if owner.is_some_and(|owner| owner != record.id) {
                    return Err(StoreError::UsernameTaken);
                }
            }
            if let Some(key) = &old_key {
                by_username
                    .remove(key.as_str())
                    .map_err(StoreError::backend)?;
            }
            if let Some(key) = &new_key {
                by_username
                    .insert(key.as_str(), record.id)
                    .map_err(StoreError::backend)?;
            }
        }
        table
            .insert(record.id, encode(record).as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn list(
    db: &Database,
    after_id: i64,
    limit: usize,
) -> Result<Vec<UserRecord>, StoreError> {
    let Some(start) = after_id.checked_add(1) else {
        return Ok(Vec::new());
    };
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    table
        .range(start..)
        .map_err(StoreError::backend)?
        .take(limit)
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            decode(key.value(), value.value())
        })
        .collect()
}

pub(super) fn search(
    db: &Database,
    query: &str,
    limit: usize,
) -> Result<Vec<UserRecord>, StoreError> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let query = query.to_lowercase();
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let mut out = Vec::new();
    for entry in table
        .iter()
        .map_err(StoreError::backend)?
        .take(SEARCH_SCAN_LIMIT)
    {
        if out.len() >= limit {
            break;
        }
        let (key, value) = entry.map_err(StoreError::backend)?;
        let user = decode(key.value(), value.value())?;
        if matches_search(&user, &query) {
            out.push(user);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    fn sample() -> UserRecord {
        UserRecord {
            id: 1_000_001,
            phone: "15550001".into(),
            first_name: "Ada ñ".into(),
            last_name: String::new(),
            username: Some("Ada_L".into()),
            about: "hi".into(),
            created_at: 5,
            banned: true,
            last_online_at: 6,
        }
    }

    #[test]
    fn round_trips_and_rejects_truncation() {
        let record = sample();
        let bytes = encode(&record);
        assert_eq!(decode(record.id, &bytes).ok(), Some(record));
        for len in 0..bytes.len() {
            assert!(decode(1, &bytes[..len]).is_err(), "prefix of {len} bytes");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..128)) {
            let _ = decode(1, &bytes);
        }
    }
}
