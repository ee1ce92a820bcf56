//! The channel tables: `channels` (id -> encoded [`ChannelRecord`]),
//! `channel_participants` ((channel, user) -> encoded
//! [`ChannelParticipant`]), `channel_members` ((channel, user) -> (), the
//! key-only index of members who see the channel, paged by fan-out) and
//! `channels_by_username` (lowercased username -> id). Channel ids come
//! from the `next_channel_id` entry of the shared `counters` table; the
//! channel's box is in the message tables (see `crate::channels`), so
//! every write here runs the `channel_txn` rules over both in one write
//! transaction.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};

use super::box_tables::BoxTables;
use super::codec::{Reader, Writer};
use super::users::BY_USERNAME;
use super::write_txn;
use crate::channel_txn::{self, ChannelTxn};
use crate::channels::{
    ChannelChange, ChannelParticipant, ChannelRecord, ChannelRefusal, ChannelWrite, NewChannel,
    NewChannelMessage,
};
use crate::{username_key, StoreError};

const CHANNELS_NAME: &str = "channels";
const PARTICIPANTS_NAME: &str = "channel_participants";
pub(super) const CHANNELS: TableDefinition<i64, &[u8]> = TableDefinition::new(CHANNELS_NAME);
pub(super) const PARTICIPANTS: TableDefinition<(i64, i64), &[u8]> =
    TableDefinition::new(PARTICIPANTS_NAME);
pub(super) const MEMBERS: TableDefinition<(i64, i64), ()> = TableDefinition::new("channel_members");
pub(super) const BY_NAME: TableDefinition<&str, i64> = TableDefinition::new("channels_by_username");
const FORMAT: u8 = 1;

fn encode_channel(c: &ChannelRecord) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.str(&c.title);
    w.str(&c.about);
    w.opt_str(c.username.as_deref());
    w.bool(c.broadcast);
    w.i64(c.creator);
    w.i64(c.date);
    w.i32(c.participants_count);
    w.bool(c.deleted);
    w.finish()
}

fn decode_channel(id: i64, bytes: &[u8]) -> Result<ChannelRecord, StoreError> {
    let mut r = Reader::new(CHANNELS_NAME, bytes, FORMAT)?;
    let record = ChannelRecord {
        id,
        title: r.str()?,
        about: r.str()?,
        username: r.opt_str()?,
        broadcast: r.bool()?,
        creator: r.i64()?,
        date: r.i64()?,
        participants_count: r.i32()?,
        deleted: r.bool()?,
    };
    r.finish()?;
    Ok(record)
}

fn encode_participant(p: &ChannelParticipant) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.i64(p.inviter_id);
    w.i64(p.date);
    w.u32(p.admin_rights);
    w.u32(p.banned_rights);
    w.i64(p.changed_by);
    w.finish()
}

fn decode_participant(user_id: i64, bytes: &[u8]) -> Result<ChannelParticipant, StoreError> {
    let mut r = Reader::new(PARTICIPANTS_NAME, bytes, FORMAT)?;
    let record = ChannelParticipant {
        user_id,
        inviter_id: r.i64()?,
        date: r.i64()?,
        admin_rights: r.u32()?,
        banned_rights: r.u32()?,
        changed_by: r.i64()?,
    };
    r.finish()?;
    Ok(record)
}

fn read_channel(
    table: &impl ReadableTable<i64, &'static [u8]>,
    id: i64,
) -> Result<Option<ChannelRecord>, StoreError> {
    match table.get(id).map_err(StoreError::backend)? {
        Some(v) => Ok(Some(decode_channel(id, v.value())?)),
        None => Ok(None),
    }
}

fn read_participant(
    table: &impl ReadableTable<(i64, i64), &'static [u8]>,
    channel_id: i64,
    user_id: i64,
) -> Result<Option<ChannelParticipant>, StoreError> {
    match table
        .get((channel_id, user_id))
        .map_err(StoreError::backend)?
    {
        Some(v) => Ok(Some(decode_participant(user_id, v.value())?)),
        None => Ok(None),
    }
}

/// [`ChannelTxn`] over one redb write transaction.
pub(super) struct Channels<'a>(pub(super) &'a WriteTransaction);

impl ChannelTxn for Channels<'_> {
    fn next_channel_id(&mut self) -> Result<i64, StoreError> {
        super::chats::next_group_id(self.0)
    }

    fn channel(&mut self, id: i64) -> Result<Option<ChannelRecord>, StoreError> {
        let table = self.0.open_table(CHANNELS).map_err(StoreError::backend)?;
        read_channel(&table, id)
    }

    fn put_channel(&mut self, channel: &ChannelRecord) -> Result<(), StoreError> {
        let value = encode_channel(channel);
        let mut table = self.0.open_table(CHANNELS).map_err(StoreError::backend)?;
        table
            .insert(channel.id, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn participant(
        &mut self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<Option<ChannelParticipant>, StoreError> {
        let table = self
            .0
            .open_table(PARTICIPANTS)
            .map_err(StoreError::backend)?;
        read_participant(&table, channel_id, user_id)
    }

    fn put_participant(
        &mut self,
        channel_id: i64,
        participant: &ChannelParticipant,
    ) -> Result<(), StoreError> {
        let key = (channel_id, participant.user_id);
        let value = encode_participant(participant);
        let mut table = self
            .0
            .open_table(PARTICIPANTS)
            .map_err(StoreError::backend)?;
        table
            .insert(key, value.as_slice())
            .map_err(StoreError::backend)?;
        let mut members = self.0.open_table(MEMBERS).map_err(StoreError::backend)?;
        if participant.is_member() {
            members.insert(key, ()).map_err(StoreError::backend)?;
        } else {
            members.remove(key).map_err(StoreError::backend)?;
        }
        Ok(())
    }

    fn delete_participant(&mut self, channel_id: i64, user_id: i64) -> Result<(), StoreError> {
        let mut table = self
            .0
            .open_table(PARTICIPANTS)
            .map_err(StoreError::backend)?;
        table
            .remove((channel_id, user_id))
            .map_err(StoreError::backend)?;
        let mut members = self.0.open_table(MEMBERS).map_err(StoreError::backend)?;
        members
            .remove((channel_id, user_id))
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn username_taken(&mut self, username: &str, channel_id: i64) -> Result<bool, StoreError> {
        let key = username_key(username);
        let channels = self.0.open_table(BY_NAME).map_err(StoreError::backend)?;
        let other = channels
            .get(key.as_str())
            .map_err(StoreError::backend)?
            .is_some_and(|v| v.value() != channel_id);
        let users = self
            .0
            .open_table(BY_USERNAME)
            .map_err(StoreError::backend)?;
        let user = users
            .get(key.as_str())
            .map_err(StoreError::backend)?
            .is_some();
        Ok(other || user)
    }

    fn set_username(
        &mut self,
        channel_id: i64,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<(), StoreError> {
        let mut table = self.0.open_table(BY_NAME).map_err(StoreError::backend)?;
        if let Some(old) = old {
            table
                .remove(username_key(old).as_str())
                .map_err(StoreError::backend)?;
        }
        if let Some(new) = new {
            table
                .insert(username_key(new).as_str(), channel_id)
                .map_err(StoreError::backend)?;
        }
        Ok(())
    }
}

type Refusable = Result<ChannelWrite, ChannelRefusal>;

pub(super) fn create(db: &Database, new: &NewChannel) -> Result<ChannelWrite, StoreError> {
    write_txn(db, |txn| {
        channel_txn::create(&mut BoxTables::new(txn), &mut Channels(txn), new)
    })
}

pub(super) fn change(
    db: &Database,
    channel_id: i64,
    by: i64,
    change: &ChannelChange,
    date: i64,
) -> Result<Refusable, StoreError> {
    write_txn(db, |txn| {
        channel_txn::change(
            &mut BoxTables::new(txn),
            &mut Channels(txn),
            channel_id,
            by,
            change,
            date,
        )
    })
}

/// One post inside a batched transaction (see `batch_writer`).
pub(super) fn send(
    tables: &mut super::box_tables::BoxTables<'_>,
    new: &NewChannelMessage,
) -> Result<Refusable, StoreError> {
    let txn = tables.txn();
    channel_txn::send(tables, &mut Channels(txn), new)
}

pub(super) fn get(db: &Database, id: i64) -> Result<Option<ChannelRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(CHANNELS).map_err(StoreError::backend)?;
    read_channel(&table, id)
}

pub(super) fn by_username(
    db: &Database,
    username: &str,
) -> Result<Option<ChannelRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let index = txn.open_table(BY_NAME).map_err(StoreError::backend)?;
    let Some(id) = index
        .get(username_key(username).as_str())
        .map_err(StoreError::backend)?
        .map(|v| v.value())
    else {
        return Ok(None);
    };
    let table = txn.open_table(CHANNELS).map_err(StoreError::backend)?;
    read_channel(&table, id)
}

pub(super) fn participant(
    db: &Database,
    channel_id: i64,
    user_id: i64,
) -> Result<Option<ChannelParticipant>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(PARTICIPANTS).map_err(StoreError::backend)?;
    read_participant(&table, channel_id, user_id)
}

pub(super) fn participants(
    db: &Database,
    channel_id: i64,
    after: i64,
    limit: usize,
) -> Result<Vec<ChannelParticipant>, StoreError> {
    if after == i64::MAX {
        return Ok(Vec::new());
    }
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(PARTICIPANTS).map_err(StoreError::backend)?;
    table
        .range((channel_id, after + 1)..=(channel_id, i64::MAX))
        .map_err(StoreError::backend)?
        .take(limit)
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            decode_participant(key.value().1, value.value())
        })
        .collect()
}

/// Point reads of several users' rows under one read transaction.
pub(super) fn participants_of(
    db: &Database,
    channel_id: i64,
    user_ids: &[i64],
) -> Result<Vec<ChannelParticipant>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(PARTICIPANTS).map_err(StoreError::backend)?;
    let mut rows = Vec::with_capacity(user_ids.len());
    for &user in user_ids {
        if let Some(row) = read_participant(&table, channel_id, user)? {
            rows.push(row);
        }
    }
    Ok(rows)
}

pub(super) fn member_ids(
    db: &Database,
    channel_id: i64,
    after: i64,
    limit: usize,
) -> Result<Vec<i64>, StoreError> {
    if after == i64::MAX {
        return Ok(Vec::new());
    }
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(MEMBERS).map_err(StoreError::backend)?;
    table
        .range((channel_id, after + 1)..=(channel_id, i64::MAX))
        .map_err(StoreError::backend)?
        .take(limit)
        .map(|entry| Ok(entry.map_err(StoreError::backend)?.0.value().1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_reject_truncation() {
        let channel = ChannelRecord {
            id: 7,
            title: "news".into(),
            about: "about".into(),
            username: Some("News".into()),
            broadcast: true,
            creator: 3,
            date: 100,
            participants_count: 2,
            deleted: false,
        };
        let bytes = encode_channel(&channel);
        assert_eq!(decode_channel(7, &bytes).ok(), Some(channel));
        for len in 0..bytes.len() {
            assert!(decode_channel(7, &bytes[..len]).is_err(), "prefix {len}");
        }
        let p = ChannelParticipant {
            user_id: 5,
            inviter_id: 3,
            date: 101,
            admin_rights: 0b1010,
            banned_rights: 1,
            changed_by: 3,
        };
        let bytes = encode_participant(&p);
        assert_eq!(decode_participant(5, &bytes).ok(), Some(p));
        for len in 0..bytes.len() {
            assert!(
                decode_participant(5, &bytes[..len]).is_err(),
                "prefix {len}"
            );
        }
    }
}
