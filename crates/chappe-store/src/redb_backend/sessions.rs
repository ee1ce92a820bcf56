//! The `sessions` table: (auth key id, session id) -> encoded
//! [`SessionRecord`] minus its key. The auth key id leads the key, so a key's
//! sessions are one range and the table shards by auth key id.

use redb::{Database, ReadableDatabase, TableDefinition, WriteTransaction};

use super::codec::{Reader, Writer};
use super::group_commit::Grouped;
use super::{auth_keys, write_txn};
use crate::{ClientInfo, SessionRecord, StoreError};

const NAME: &str = "sessions";
pub(super) const TABLE: TableDefinition<(i64, i64), &[u8]> = TableDefinition::new(NAME);
const FORMAT: u8 = 1;

fn encode(record: &SessionRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.opt_i32(record.layer);
    match &record.client {
        None => w.u8(0),
        Some(client) => {
            w.u8(1);
            w.i32(client.api_id);
            w.str(&client.device_model);
            w.str(&client.system_version);
            w.str(&client.app_version);
            w.str(&client.system_lang_code);
            w.str(&client.lang_pack);
            w.str(&client.lang_code);
        }
    }
    w.opt_ip(record.ip);
    w.i64(record.created_at);
    w.i64(record.last_seen_at);
    w.finish()
}

fn decode(auth_key_id: i64, session_id: i64, bytes: &[u8]) -> Result<SessionRecord, StoreError> {
    let mut r = Reader::new(NAME, bytes, FORMAT)?;
    let layer = r.opt_i32()?;
    let client = if r.present()? {
        Some(ClientInfo {
            api_id: r.i32()?,
            device_model: r.str()?,
            system_version: r.str()?,
            app_version: r.str()?,
            system_lang_code: r.str()?,
            lang_pack: r.str()?,
            lang_code: r.str()?,
        })
    } else {
        None
    };
    let record = SessionRecord {
        auth_key_id,
        session_id,
        layer,
        client,
        ip: r.opt_ip()?,
        created_at: r.i64()?,
        last_seen_at: r.i64()?,
    };
    r.finish()?;
    Ok(record)
}

pub(super) fn put(db: &Grouped<'_>, record: &SessionRecord) -> Result<(), StoreError> {
    let value = encode(record);
    db.write(|txn| {
        if !auth_keys::exists(txn, record.auth_key_id)? {
            return Err(StoreError::AuthKeyNotFound(record.auth_key_id));
        }
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        table
            .insert((record.auth_key_id, record.session_id), value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    })
}

pub(super) fn get(
    db: &Database,
    auth_key_id: i64,
    session_id: i64,
) -> Result<Option<SessionRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let found = table
        .get((auth_key_id, session_id))
        .map_err(StoreError::backend)?;
    found
        .map(|value| decode(auth_key_id, session_id, value.value()))
        .transpose()
}

pub(super) fn list(db: &Database, auth_key_id: i64) -> Result<Vec<SessionRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    let range = table
        .range((auth_key_id, i64::MIN)..=(auth_key_id, i64::MAX))
        .map_err(StoreError::backend)?;
    range
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            let (auth_key_id, session_id) = key.value();
            decode(auth_key_id, session_id, value.value())
        })
        .collect()
}

pub(super) fn delete(db: &Database, auth_key_id: i64, session_id: i64) -> Result<bool, StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
        let removed = table
            .remove((auth_key_id, session_id))
            .map_err(StoreError::backend)?;
        Ok(removed.is_some())
    })
}

/// Removes every session of an auth key inside the caller's transaction.
pub(super) fn delete_all_of_key(
    txn: &WriteTransaction,
    auth_key_id: i64,
) -> Result<(), StoreError> {
    let mut table = txn.open_table(TABLE).map_err(StoreError::backend)?;
    table
        .retain_in((auth_key_id, i64::MIN)..=(auth_key_id, i64::MAX), |_, _| {
            false
        })
        .map_err(StoreError::backend)
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv6Addr};

    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    fn sample() -> SessionRecord {
        SessionRecord {
            auth_key_id: 1,
            session_id: -2,
            layer: Some(229),
            client: Some(ClientInfo {
                api_id: 6,
                device_model: "PC 64bit".into(),
                system_version: "Linux".into(),
                app_version: "1.0 ñ".into(),
                system_lang_code: "es-MX".into(),
                lang_pack: String::new(),
                lang_code: "es".into(),
            }),
            ip: Some(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            created_at: 100,
            last_seen_at: 200,
        }
    }

    #[test]
    fn round_trips() {
        let record = sample();
        let bytes = encode(&record);
        assert_eq!(decode(1, -2, &bytes).ok(), Some(record));
    }

    #[test]
    fn every_truncation_is_rejected() {
        let bytes = encode(&sample());
        for len in 0..bytes.len() {
            assert!(
                decode(1, -2, &bytes[..len]).is_err(),
                "prefix of {len} bytes"
            );
        }
    }

    fn arb_string() -> impl Strategy<Value = String> {
        // proptest treats a &str as a regex strategy.
        ".{0,12}"
    }

    fn arb_record() -> impl Strategy<Value = SessionRecord> {
        let client = (any::<i32>(), vec(arb_string(), 6)).prop_map(|(api_id, mut s)| ClientInfo {
            api_id,
            lang_code: s.pop().unwrap_or_default(),
            lang_pack: s.pop().unwrap_or_default(),
            system_lang_code: s.pop().unwrap_or_default(),
            app_version: s.pop().unwrap_or_default(),
            system_version: s.pop().unwrap_or_default(),
            device_model: s.pop().unwrap_or_default(),
        });
        (
            any::<(i64, i64, Option<i32>)>(),
            proptest::option::of(client),
            proptest::option::of(any::<IpAddr>()),
            any::<(i64, i64)>(),
        )
            .prop_map(
                |((auth_key_id, session_id, layer), client, ip, (created_at, last_seen_at))| {
                    SessionRecord {
                        auth_key_id,
                        session_id,
                        layer,
                        client,
                        ip,
                        created_at,
                        last_seen_at,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn arbitrary_records_round_trip(record in arb_record()) {
            let bytes = encode(&record);
            let decoded = decode(record.auth_key_id, record.session_id, &bytes);
            prop_assert_eq!(decoded.ok(), Some(record));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..256)) {
            let _ = decode(1, 2, &bytes);
        }
    }
}
