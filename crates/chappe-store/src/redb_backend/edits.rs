//! Edits, deletes and forwards over the box tables (rules in `box_edit`),
//! and the chat list state beside them: `drafts` ((owner, peer key) ->
//! encoded [`DraftRecord`]) and `pinned_dialogs` (owner -> peer keys in
//! pin order).

use redb::{Database, ReadableDatabase, TableDefinition};

use super::codec::{Reader, Writer};
use super::messages::box_write;
use super::write_txn;
use crate::box_edit;
use crate::{
    DeleteOutcome, DraftRecord, EditOutcome, ForwardHeader, MessageEdit, NewPrivateMessage, Peer,
    SentPrivateMessage, StoreError,
};

const DRAFTS_NAME: &str = "drafts";
const PINNED_NAME: &str = "pinned_dialogs";
pub(super) const DRAFTS: TableDefinition<(i64, i64), &[u8]> = TableDefinition::new(DRAFTS_NAME);
pub(super) const PINNED: TableDefinition<i64, &[u8]> = TableDefinition::new(PINNED_NAME);
const FORMAT: u8 = 1;

pub(super) fn write_forward(w: &mut Writer, fwd: Option<ForwardHeader>) {
    match fwd {
        None => w.u8(0),
        Some(f) => {
            w.u8(1);
            w.i64(f.from_id);
            w.i64(f.date);
        }
    }
}

pub(super) fn read_forward(r: &mut Reader<'_>) -> Result<Option<ForwardHeader>, StoreError> {
    if !r.present()? {
        return Ok(None);
    }
    Ok(Some(ForwardHeader {
        from_id: r.i64()?,
        date: r.i64()?,
    }))
}

pub(super) fn write_ids(w: &mut Writer, ids: &[i32]) {
    w.u32(u32::try_from(ids.len()).unwrap_or(u32::MAX));
    for &id in ids {
        w.i32(id);
    }
}

pub(super) fn read_ids(r: &mut Reader<'_>) -> Result<Vec<i32>, StoreError> {
    let n = r.u32()?;
    // Every id is read (and checked against the bytes left) one by one, so
    // a damaged count cannot make a huge allocation.
    let mut ids = Vec::new();
    for _ in 0..n {
        ids.push(r.i32()?);
    }
    Ok(ids)
}

fn encode_draft(d: &DraftRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.str(&d.text);
    w.bytes(&d.entities);
    w.opt_i32(d.reply_to);
    w.bool(d.no_webpage);
    w.i64(d.date);
    w.finish()
}

fn decode_draft(bytes: &[u8]) -> Result<DraftRecord, StoreError> {
    let mut r = Reader::new(DRAFTS_NAME, bytes, FORMAT)?;
    let draft = DraftRecord {
        text: r.str()?,
        entities: r.bytes()?,
        reply_to: r.opt_i32()?,
        no_webpage: r.bool()?,
        date: r.i64()?,
    };
    r.finish()?;
    Ok(draft)
}

fn encode_pinned(peers: &[Peer]) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.u32(u32::try_from(peers.len()).unwrap_or(u32::MAX));
    for peer in peers {
        w.i64(peer.key());
    }
    w.finish()
}

fn decode_pinned(bytes: &[u8]) -> Result<Vec<Peer>, StoreError> {
    let mut r = Reader::new(PINNED_NAME, bytes, FORMAT)?;
    let n = r.u32()?;
    let mut peers = Vec::new();
    for _ in 0..n {
        let key = r.i64()?;
        peers.push(Peer::from_key(key).ok_or_else(|| r.corrupt(format!("bad peer key {key}")))?);
    }
    r.finish()?;
    Ok(peers)
}

pub(super) fn edit_private(db: &Database, edit: &MessageEdit) -> Result<EditOutcome, StoreError> {
    box_write(db, |txn| box_edit::edit_private(txn, edit))
}

pub(super) fn delete_private(
    db: &Database,
    owner: i64,
    ids: &[i32],
    revoke: bool,
    now: i64,
) -> Result<DeleteOutcome, StoreError> {
    box_write(db, |txn| {
        box_edit::delete_private(txn, owner, ids, revoke, now)
    })
}

pub(super) fn send_many(
    db: &Database,
    messages: &[NewPrivateMessage],
) -> Result<Vec<SentPrivateMessage>, StoreError> {
    box_write(db, |txn| box_edit::send_many(txn, messages))
}

pub(super) fn put_draft(
    db: &Database,
    owner: i64,
    peer: Peer,
    draft: Option<&DraftRecord>,
) -> Result<(), StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(DRAFTS).map_err(StoreError::backend)?;
        match draft {
            Some(d) => {
                let value = encode_draft(d);
                table
                    .insert((owner, peer.key()), value.as_slice())
                    .map_err(StoreError::backend)?;
            }
            None => {
                table
                    .remove((owner, peer.key()))
                    .map_err(StoreError::backend)?;
            }
        }
        Ok(())
    })
}

pub(super) fn list_drafts(
    db: &Database,
    owner: i64,
) -> Result<Vec<(Peer, DraftRecord)>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(DRAFTS).map_err(StoreError::backend)?;
    let range = table
        .range((owner, i64::MIN)..=(owner, i64::MAX))
        .map_err(StoreError::backend)?;
    let mut out = Vec::new();
    for entry in range {
        let (key, value) = entry.map_err(StoreError::backend)?;
        let key = key.value().1;
        let peer = Peer::from_key(key).ok_or_else(|| StoreError::Corrupt {
            table: DRAFTS_NAME,
            reason: format!("bad peer key {key}"),
        })?;
        out.push((peer, decode_draft(value.value())?));
    }
    Ok(out)
}

pub(super) fn pinned_dialogs(db: &Database, owner: i64) -> Result<Vec<Peer>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(PINNED).map_err(StoreError::backend)?;
    match table.get(owner).map_err(StoreError::backend)? {
        Some(v) => decode_pinned(v.value()),
        None => Ok(Vec::new()),
    }
}

pub(super) fn set_pinned_dialogs(
    db: &Database,
    owner: i64,
    peers: &[Peer],
) -> Result<(), StoreError> {
    write_txn(db, |txn| {
        let mut table = txn.open_table(PINNED).map_err(StoreError::backend)?;
        if peers.is_empty() {
            table.remove(owner).map_err(StoreError::backend)?;
        } else {
            let value = encode_pinned(peers);
            table
                .insert(owner, value.as_slice())
                .map_err(StoreError::backend)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use proptest::collection::vec;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn records_round_trip_and_reject_truncation() {
        let draft = DraftRecord {
            text: "draft".into(),
            entities: vec![7],
            reply_to: Some(4),
            no_webpage: true,
            date: 99,
        };
        let bytes = encode_draft(&draft);
        assert_eq!(decode_draft(&bytes).ok(), Some(draft));
        for len in 0..bytes.len() {
            assert!(decode_draft(&bytes[..len]).is_err(), "prefix {len}");
        }
        let peers = vec![Peer::User(3), Peer::Chat(9)];
        let bytes = encode_pinned(&peers);
        assert_eq!(decode_pinned(&bytes).ok(), Some(peers));
        for len in 0..bytes.len() {
            assert!(decode_pinned(&bytes[..len]).is_err(), "prefix {len}");
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..64)) {
            let _ = decode_draft(&bytes);
            let _ = decode_pinned(&bytes);
        }
    }
}
