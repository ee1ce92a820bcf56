//! Basic groups and their members over plain maps; the write rules are the
//! shared ones in `chat_txn`, run over these maps and the message boxes
//! under the one store lock.

use std::collections::{BTreeMap, HashMap};

use crate::chat_txn::ChatTxn;
use crate::chats::{ChatParticipant, ChatRecord};
use crate::StoreError;

#[derive(Debug, Default)]
pub(super) struct Chats {
    chats: HashMap<i64, ChatRecord>,
    // (chat id, user id)
    members: BTreeMap<(i64, i64), ChatParticipant>,
    /// The last group id handed out, shared with the channels: see
    /// [`crate::chats::GroupIds`].
    pub(super) ids: crate::chats::GroupIds,
}

impl Chats {
    pub(super) fn get(&self, id: i64) -> Option<ChatRecord> {
        self.chats.get(&id).cloned()
    }

    pub(super) fn members(&self, chat_id: i64) -> Vec<ChatParticipant> {
        self.members
            .range((chat_id, i64::MIN)..=(chat_id, i64::MAX))
            .map(|(_, p)| p.clone())
            .collect()
    }
}

impl ChatTxn for Chats {
    fn next_chat_id(&mut self) -> Result<i64, StoreError> {
        self.ids.next()
    }

    fn chat(&mut self, id: i64) -> Result<Option<ChatRecord>, StoreError> {
        Ok(self.get(id))
    }

    fn put_chat(&mut self, chat: &ChatRecord) -> Result<(), StoreError> {
        self.chats.insert(chat.id, chat.clone());
        Ok(())
    }

    fn participants(&mut self, chat_id: i64) -> Result<Vec<ChatParticipant>, StoreError> {
        Ok(self.members(chat_id))
    }

    fn put_participant(
        &mut self,
        chat_id: i64,
        participant: &ChatParticipant,
    ) -> Result<(), StoreError> {
        self.members
            .insert((chat_id, participant.user_id), participant.clone());
        Ok(())
    }

    fn delete_participant(&mut self, chat_id: i64, user_id: i64) -> Result<(), StoreError> {
        self.members.remove(&(chat_id, user_id));
        Ok(())
    }
}
