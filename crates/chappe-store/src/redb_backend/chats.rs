//! The basic group tables: `chats` (id -> encoded [`ChatRecord`]) and
//! `chat_members` ((chat id, user id) -> encoded [`ChatParticipant`]); group
//! ids come from the `next_chat_id` entry of the shared `counters` table.
//! Group messages live in the members' boxes (`messages`), so every write
//! here runs the `chat_txn` rules over both in one write transaction.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};

use super::box_tables::BoxTables;
use super::codec::{Reader, Writer};
use super::users::COUNTERS;
use super::write_txn;
use crate::chat_txn::{self, ChatTxn};
use crate::chats::{
    ChatAction, ChatChange, ChatParticipant, ChatReadOutcome, ChatRecord, ChatRefusal, ChatWrite,
    NewChat, NewChatMessage,
};
use crate::StoreError;

const CHATS_NAME: &str = "chats";
const MEMBERS_NAME: &str = "chat_members";
pub(super) const CHATS: TableDefinition<i64, &[u8]> = TableDefinition::new(CHATS_NAME);
pub(super) const MEMBERS: TableDefinition<(i64, i64), &[u8]> = TableDefinition::new(MEMBERS_NAME);
const NEXT_CHAT_ID: &str = "next_chat_id";
const NEXT_CHANNEL_ID: &str = "next_channel_id";
const FORMAT: u8 = 1;
/// Group records since migration: format 1 plus `migrated_to`. Records
/// written before it are still format 1 and read as never migrated.
const CHAT_FORMAT: u8 = 2;

const ACTION_CREATE: u8 = 1;
const ACTION_ADD: u8 = 2;
const ACTION_DELETE: u8 = 3;
const ACTION_TITLE: u8 = 4;
const ACTION_CHANNEL_CREATE: u8 = 5;
const ACTION_MIGRATE_TO: u8 = 6;
const ACTION_MIGRATE_FROM: u8 = 7;

fn write_users(w: &mut Writer, users: &[i64]) {
    w.u32(u32::try_from(users.len()).unwrap_or(u32::MAX));
    for &u in users {
        w.i64(u);
    }
}

fn read_users(r: &mut Reader<'_>) -> Result<Vec<i64>, StoreError> {
    let n = r.u32()?;
    // Read one by one, so a damaged count fails on the bytes, not on an
    // allocation.
    let mut users = Vec::new();
    for _ in 0..n {
        users.push(r.i64()?);
    }
    Ok(users)
}

/// A message's service action, as the last field of its encoding.
pub(super) fn write_action(w: &mut Writer, action: Option<&ChatAction>) {
    match action {
        None => w.u8(0),
        Some(ChatAction::Create { title, users }) => {
            w.u8(ACTION_CREATE);
            w.str(title);
            write_users(w, users);
        }
        Some(ChatAction::AddUsers { users }) => {
            w.u8(ACTION_ADD);
            write_users(w, users);
        }
        Some(ChatAction::DeleteUser { user_id }) => {
            w.u8(ACTION_DELETE);
            w.i64(*user_id);
        }
        Some(ChatAction::EditTitle { title }) => {
            w.u8(ACTION_TITLE);
            w.str(title);
        }
        Some(ChatAction::ChannelCreate { title }) => {
            w.u8(ACTION_CHANNEL_CREATE);
            w.str(title);
        }
        Some(ChatAction::ChatMigrateTo { channel_id }) => {
            w.u8(ACTION_MIGRATE_TO);
            w.i64(*channel_id);
        }
        Some(ChatAction::ChannelMigrateFrom { title, chat_id }) => {
            w.u8(ACTION_MIGRATE_FROM);
            w.str(title);
            w.i64(*chat_id);
        }
    }
}

pub(super) fn read_action(r: &mut Reader<'_>) -> Result<Option<ChatAction>, StoreError> {
    Ok(match r.u8()? {
        0 => None,
        ACTION_CREATE => Some(ChatAction::Create {
            title: r.str()?,
            users: read_users(r)?,
        }),
        ACTION_ADD => Some(ChatAction::AddUsers {
            users: read_users(r)?,
        }),
        ACTION_DELETE => Some(ChatAction::DeleteUser { user_id: r.i64()? }),
        ACTION_TITLE => Some(ChatAction::EditTitle { title: r.str()? }),
        ACTION_CHANNEL_CREATE => Some(ChatAction::ChannelCreate { title: r.str()? }),
        ACTION_MIGRATE_TO => Some(ChatAction::ChatMigrateTo {
            channel_id: r.i64()?,
        }),
        ACTION_MIGRATE_FROM => Some(ChatAction::ChannelMigrateFrom {
            title: r.str()?,
            chat_id: r.i64()?,
        }),
        tag => return Err(r.corrupt(format!("unknown chat action {tag}"))),
    })
}

fn encode_chat(c: &ChatRecord) -> Vec<u8> {
    let mut w = Writer::new(CHAT_FORMAT);
    w.str(&c.title);
    w.i64(c.creator);
    w.i64(c.date);
    w.i32(c.version);
    w.bool(c.deactivated);
    w.opt_i64(c.migrated_to);
    w.finish()
}

fn decode_chat(id: i64, bytes: &[u8]) -> Result<ChatRecord, StoreError> {
    let old = bytes.first() == Some(&FORMAT);
    let version = if old { FORMAT } else { CHAT_FORMAT };
    let mut r = Reader::new(CHATS_NAME, bytes, version)?;
    let record = ChatRecord {
        id,
        title: r.str()?,
        creator: r.i64()?,
        date: r.i64()?,
        version: r.i32()?,
        deactivated: r.bool()?,
        migrated_to: if old { None } else { r.opt_i64()? },
    };
    r.finish()?;
    Ok(record)
}

fn encode_member(p: &ChatParticipant) -> Vec<u8> {
    let mut w = Writer::new(FORMAT);
    w.i64(p.inviter_id);
    w.i64(p.date);
    w.bool(p.admin);
    w.finish()
}

fn decode_member(user_id: i64, bytes: &[u8]) -> Result<ChatParticipant, StoreError> {
    let mut r = Reader::new(MEMBERS_NAME, bytes, FORMAT)?;
    let record = ChatParticipant {
        user_id,
        inviter_id: r.i64()?,
        date: r.i64()?,
        admin: r.bool()?,
    };
    r.finish()?;
    Ok(record)
}

fn read_chat(
    table: &impl ReadableTable<i64, &'static [u8]>,
    id: i64,
) -> Result<Option<ChatRecord>, StoreError> {
    match table.get(id).map_err(StoreError::backend)? {
        Some(v) => Ok(Some(decode_chat(id, v.value())?)),
        None => Ok(None),
    }
}

fn read_members(
    table: &impl ReadableTable<(i64, i64), &'static [u8]>,
    chat_id: i64,
) -> Result<Vec<ChatParticipant>, StoreError> {
    table
        .range((chat_id, i64::MIN)..=(chat_id, i64::MAX))
        .map_err(StoreError::backend)?
        .map(|entry| {
            let (key, value) = entry.map_err(StoreError::backend)?;
            decode_member(key.value().1, value.value())
        })
        .collect()
}

/// [`ChatTxn`] over one redb write transaction.
pub(super) struct Chats<'a>(pub(super) &'a WriteTransaction);

/// The next id for a basic group or a channel: both kinds share one id
/// space, as on Telegram (Pyrogram-family clients keep one map of chats by
/// bare id). The two counters of older files are merged by taking the
/// higher, and both move on together.
pub(super) fn next_group_id(txn: &WriteTransaction) -> Result<i64, StoreError> {
    let mut counters = txn.open_table(COUNTERS).map_err(StoreError::backend)?;
    let mut id = 1;
    for name in [NEXT_CHAT_ID, NEXT_CHANNEL_ID] {
        if let Some(next) = counters.get(name).map_err(StoreError::backend)? {
            id = id.max(next.value());
        }
    }
    let next = id.checked_add(1).ok_or_else(|| StoreError::Corrupt {
        table: "counters",
        reason: "group ids exhausted".into(),
    })?;
    for name in [NEXT_CHAT_ID, NEXT_CHANNEL_ID] {
        counters.insert(name, next).map_err(StoreError::backend)?;
    }
    Ok(id)
}

impl ChatTxn for Chats<'_> {
    fn next_chat_id(&mut self) -> Result<i64, StoreError> {
        next_group_id(self.0)
    }

    fn chat(&mut self, id: i64) -> Result<Option<ChatRecord>, StoreError> {
        let table = self.0.open_table(CHATS).map_err(StoreError::backend)?;
        read_chat(&table, id)
    }

    fn put_chat(&mut self, chat: &ChatRecord) -> Result<(), StoreError> {
        let value = encode_chat(chat);
        let mut table = self.0.open_table(CHATS).map_err(StoreError::backend)?;
        table
            .insert(chat.id, value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn participants(&mut self, chat_id: i64) -> Result<Vec<ChatParticipant>, StoreError> {
        let table = self.0.open_table(MEMBERS).map_err(StoreError::backend)?;
        read_members(&table, chat_id)
    }

    fn put_participant(
        &mut self,
        chat_id: i64,
        participant: &ChatParticipant,
    ) -> Result<(), StoreError> {
        let value = encode_member(participant);
        let mut table = self.0.open_table(MEMBERS).map_err(StoreError::backend)?;
        table
            .insert((chat_id, participant.user_id), value.as_slice())
            .map_err(StoreError::backend)?;
        Ok(())
    }

    fn delete_participant(&mut self, chat_id: i64, user_id: i64) -> Result<(), StoreError> {
        let mut table = self.0.open_table(MEMBERS).map_err(StoreError::backend)?;
        table
            .remove((chat_id, user_id))
            .map_err(StoreError::backend)?;
        Ok(())
    }
}

type Refusable = Result<ChatWrite, ChatRefusal>;

pub(super) fn create(db: &Database, new: &NewChat) -> Result<Refusable, StoreError> {
    write_txn(db, |txn| {
        chat_txn::create(&mut BoxTables::new(txn), &mut Chats(txn), new)
    })
}

pub(super) fn change(
    db: &Database,
    chat_id: i64,
    by: i64,
    change: &ChatChange,
    date: i64,
) -> Result<Refusable, StoreError> {
    write_txn(db, |txn| {
        chat_txn::change(
            &mut BoxTables::new(txn),
            &mut Chats(txn),
            chat_id,
            by,
            change,
            date,
        )
    })
}

/// One group message inside a batched transaction (see `batch_writer`).
pub(super) fn send(
    tables: &mut super::box_tables::BoxTables<'_>,
    new: &NewChatMessage,
) -> Result<Refusable, StoreError> {
    let txn = tables.txn();
    chat_txn::send(tables, &mut Chats(txn), new)
}

pub(super) fn read(
    db: &Database,
    owner: i64,
    chat_id: i64,
    max_id: i32,
    now: i64,
) -> Result<ChatReadOutcome, StoreError> {
    write_txn(db, |txn| {
        chat_txn::read(&mut BoxTables::new(txn), owner, chat_id, max_id, now)
    })
}

pub(super) fn get_chat(db: &Database, id: i64) -> Result<Option<ChatRecord>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(CHATS).map_err(StoreError::backend)?;
    read_chat(&table, id)
}

pub(super) fn participants(
    db: &Database,
    chat_id: i64,
) -> Result<Vec<ChatParticipant>, StoreError> {
    let txn = db.begin_read().map_err(StoreError::backend)?;
    let table = txn.open_table(MEMBERS).map_err(StoreError::backend)?;
    read_members(&table, chat_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_reject_truncation() {
        let chat = ChatRecord {
            id: 7,
            title: "group".into(),
            creator: 3,
            date: 100,
            version: 4,
            deactivated: true,
            migrated_to: Some(9),
        };
        let bytes = encode_chat(&chat);
        assert_eq!(decode_chat(7, &bytes).ok(), Some(chat.clone()));
        for len in 0..bytes.len() {
            assert!(decode_chat(7, &bytes[..len]).is_err(), "prefix {len}");
        }
        // A record written before migrations existed (format 1).
        let mut w = Writer::new(FORMAT);
        w.str("group");
        w.i64(3);
        w.i64(100);
        w.i32(4);
        w.bool(false);
        let old = ChatRecord {
            deactivated: false,
            migrated_to: None,
            ..chat
        };
        assert_eq!(decode_chat(7, &w.finish()).ok(), Some(old));
        let member = ChatParticipant {
            user_id: 5,
            inviter_id: 3,
            date: 101,
            admin: true,
        };
        let bytes = encode_member(&member);
        assert_eq!(decode_member(5, &bytes).ok(), Some(member));
        for action in [
            ChatAction::Create {
                title: "t".into(),
                users: vec![1, 2],
            },
            ChatAction::AddUsers { users: vec![9] },
            ChatAction::DeleteUser { user_id: 4 },
            ChatAction::EditTitle { title: "u".into() },
            ChatAction::ChatMigrateTo { channel_id: 12 },
            ChatAction::ChannelMigrateFrom {
                title: "v".into(),
                chat_id: 7,
            },
        ] {
            let mut w = Writer::new(FORMAT);
            write_action(&mut w, Some(&action));
            let bytes = w.finish();
            let mut r = Reader::new("t", &bytes, FORMAT).expect("header");
            assert_eq!(read_action(&mut r).ok(), Some(Some(action)));
            assert!(r.finish().is_ok());
        }
    }
}
