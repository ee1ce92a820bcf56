//! Message boxes, update logs and dialogs over plain maps; the write rules
//! are the shared ones in `box_txn`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::box_txn::BoxTxn;
use crate::messages::{BoxState, DialogRecord, HistoryQuery, MessageRecord, Peer, UpdateEntry};
use crate::StoreError;

/// Every box's tables.
#[derive(Debug, Default)]
pub(super) struct Boxes {
    states: HashMap<i64, BoxState>,
    // (owner, id)
    messages: BTreeMap<(i64, i32), MessageRecord>,
    // (owner, peer key, id)
    history: BTreeSet<(i64, i64, i32)>,
    // (owner, pts)
    log: BTreeMap<(i64, i32), UpdateEntry>,
    // (owner, peer key)
    dialogs: BTreeMap<(i64, i64), DialogRecord>,
    // (owner, random id) -> (message id, pts)
    random_ids: HashMap<(i64, i64), (i32, i32)>,
}

impl Boxes {
    pub(super) fn state(&self, owner: i64) -> BoxState {
        self.states.get(&owner).copied().unwrap_or_default()
    }

    pub(super) fn updates_after(&self, owner: i64, after: i32, limit: usize) -> Vec<UpdateEntry> {
        if after == i32::MAX {
            return Vec::new();
        }
        self.log
            .range((owner, after + 1)..=(owner, i32::MAX))
            .take(limit)
            .map(|(_, entry)| entry.clone())
            .collect()
    }

    pub(super) fn get_messages(&self, owner: i64, ids: &[i32]) -> Vec<MessageRecord> {
        ids.iter()
            .filter_map(|id| self.messages.get(&(owner, *id)).cloned())
            .collect()
    }

    pub(super) fn history_count(&self, owner: i64, peer: Peer) -> usize {
        let key = peer.key();
        self.history
            .range((owner, key, i32::MIN)..=(owner, key, i32::MAX))
            .count()
    }

    pub(super) fn get_dialog(&self, owner: i64, peer: Peer) -> Option<DialogRecord> {
        self.dialogs.get(&(owner, peer.key())).cloned()
    }

    pub(super) fn list_dialogs(&self, owner: i64) -> Vec<DialogRecord> {
        let mut all: Vec<DialogRecord> = self
            .dialogs
            .range((owner, i64::MIN)..=(owner, i64::MAX))
            .map(|(_, d)| d.clone())
            .collect();
        crate::messages::sort_dialogs(&mut all);
        all
    }

    pub(super) fn history(&self, owner: i64, query: &HistoryQuery) -> Vec<MessageRecord> {
        let Some((low, high)) = crate::messages::id_bounds(query) else {
            return Vec::new();
        };
        let key = query.peer.key();
        let range = self.history.range((owner, key, low)..=(owner, key, high));
        let ids: Vec<i32> = if query.newest_first {
            range
                .rev()
                .take(query.limit)
                .map(|&(_, _, id)| id)
                .collect()
        } else {
            range.take(query.limit).map(|&(_, _, id)| id).collect()
        };
        self.get_messages(owner, &ids)
    }
}

impl BoxTxn for Boxes {
    fn box_state(&mut self, owner: i64) -> Result<BoxState, StoreError> {
        Ok(self.state(owner))
    }

    fn put_box_state(&mut self, owner: i64, state: BoxState) -> Result<(), StoreError> {
        self.states.insert(owner, state);
        Ok(())
    }

    fn message(&mut self, owner: i64, id: i32) -> Result<Option<MessageRecord>, StoreError> {
        Ok(self.messages.get(&(owner, id)).cloned())
    }

    fn put_message(&mut self, message: &MessageRecord) -> Result<(), StoreError> {
        self.history
            .insert((message.owner, message.peer.key(), message.id));
        self.messages
            .insert((message.owner, message.id), message.clone());
        Ok(())
    }

    fn dialog(&mut self, owner: i64, peer: Peer) -> Result<Option<DialogRecord>, StoreError> {
        Ok(self.get_dialog(owner, peer))
    }

    fn put_dialog(&mut self, owner: i64, dialog: &DialogRecord) -> Result<(), StoreError> {
        self.dialogs
            .insert((owner, dialog.peer.key()), dialog.clone());
        Ok(())
    }

    fn put_update(&mut self, owner: i64, entry: &UpdateEntry) -> Result<(), StoreError> {
        self.log.insert((owner, entry.pts), entry.clone());
        Ok(())
    }

    fn random_id(&mut self, owner: i64, random_id: i64) -> Result<Option<(i32, i32)>, StoreError> {
        Ok(self.random_ids.get(&(owner, random_id)).copied())
    }

    fn put_random_id(
        &mut self,
        owner: i64,
        random_id: i64,
        sent: (i32, i32),
    ) -> Result<(), StoreError> {
        self.random_ids.insert((owner, random_id), sent);
        Ok(())
    }

    fn history(
        &mut self,
        owner: i64,
        query: &HistoryQuery,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        Ok(Boxes::history(self, owner, query))
    }

    fn delete_message(&mut self, owner: i64, id: i32) -> Result<(), StoreError> {
        if let Some(message) = self.messages.remove(&(owner, id)) {
            self.history.remove(&(owner, message.peer.key(), id));
        }
        Ok(())
    }

    fn delete_dialog(&mut self, owner: i64, peer: Peer) -> Result<(), StoreError> {
        self.dialogs.remove(&(owner, peer.key()));
        Ok(())
    }
}
