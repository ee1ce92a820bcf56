//! Channels, their participants and the channel username index over plain
//! maps; the write rules are the shared ones in `channel_txn`, run over
//! these maps and the message boxes under the one store lock.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::channel_txn::ChannelTxn;
use crate::channels::{ChannelParticipant, ChannelRecord};
use crate::{username_key, StoreError};

#[derive(Debug, Default)]
pub(super) struct Channels {
    channels: HashMap<i64, ChannelRecord>,
    // (channel id, user id)
    participants: BTreeMap<(i64, i64), ChannelParticipant>,
    // (channel id, user id) of members who see the channel
    members: BTreeSet<(i64, i64)>,
    by_username: HashMap<String, i64>,
    /// Shared with the basic groups: see [`crate::chats::GroupIds`].
    pub(super) ids: crate::chats::GroupIds,
}

impl Channels {
    pub(super) fn get(&self, id: i64) -> Option<ChannelRecord> {
        self.channels.get(&id).cloned()
    }

    pub(super) fn by_username(&self, username: &str) -> Option<ChannelRecord> {
        let id = self.by_username.get(&username_key(username))?;
        self.get(*id)
    }

    pub(super) fn participant(&self, channel_id: i64, user_id: i64) -> Option<ChannelParticipant> {
        self.participants.get(&(channel_id, user_id)).cloned()
    }

    pub(super) fn participants(
        &self,
        channel_id: i64,
        after: i64,
        limit: usize,
    ) -> Vec<ChannelParticipant> {
        if after == i64::MAX {
            return Vec::new();
        }
        self.participants
            .range((channel_id, after + 1)..=(channel_id, i64::MAX))
            .take(limit)
            .map(|(_, p)| p.clone())
            .collect()
    }

    pub(super) fn participants_of(
        &self,
        channel_id: i64,
        user_ids: &[i64],
    ) -> Vec<ChannelParticipant> {
        user_ids
            .iter()
            .filter_map(|&user| self.participant(channel_id, user))
            .collect()
    }

    pub(super) fn member_ids(&self, channel_id: i64, after: i64, limit: usize) -> Vec<i64> {
        if after == i64::MAX {
            return Vec::new();
        }
        self.members
            .range((channel_id, after + 1)..=(channel_id, i64::MAX))
            .take(limit)
            .map(|&(_, user)| user)
            .collect()
    }
}

/// [`ChannelTxn`] over the channel maps plus the users' username index
/// (usernames are one namespace for users and channels).
pub(super) struct ChannelMaps<'a> {
    pub(super) channels: &'a mut Channels,
    pub(super) users_by_username: &'a HashMap<String, i64>,
}

impl ChannelTxn for ChannelMaps<'_> {
    fn next_channel_id(&mut self) -> Result<i64, StoreError> {
        self.channels.ids.next()
    }

    fn channel(&mut self, id: i64) -> Result<Option<ChannelRecord>, StoreError> {
        Ok(self.channels.get(id))
    }

    fn put_channel(&mut self, channel: &ChannelRecord) -> Result<(), StoreError> {
        self.channels.channels.insert(channel.id, channel.clone());
        Ok(())
    }

    fn participant(
        &mut self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<Option<ChannelParticipant>, StoreError> {
        Ok(self.channels.participant(channel_id, user_id))
    }

    fn put_participant(
        &mut self,
        channel_id: i64,
        participant: &ChannelParticipant,
    ) -> Result<(), StoreError> {
        let key = (channel_id, participant.user_id);
        if participant.is_member() {
            self.channels.members.insert(key);
        } else {
            self.channels.members.remove(&key);
        }
        self.channels.participants.insert(key, participant.clone());
        Ok(())
    }

    fn delete_participant(&mut self, channel_id: i64, user_id: i64) -> Result<(), StoreError> {
        self.channels.participants.remove(&(channel_id, user_id));
        self.channels.members.remove(&(channel_id, user_id));
        Ok(())
    }

    fn username_taken(&mut self, username: &str, channel_id: i64) -> Result<bool, StoreError> {
        let key = username_key(username);
        let other_channel = self
            .channels
            .by_username
            .get(&key)
            .is_some_and(|&id| id != channel_id);
        Ok(other_channel || self.users_by_username.contains_key(&key))
    }

    fn set_username(
        &mut self,
        channel_id: i64,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<(), StoreError> {
        if let Some(old) = old {
            self.channels.by_username.remove(&username_key(old));
        }
        if let Some(new) = new {
            self.channels
                .by_username
                .insert(username_key(new), channel_id);
        }
        Ok(())
    }
}
