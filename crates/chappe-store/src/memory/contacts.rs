//! Contacts, their reverse index, and the block list.

use super::State;
use crate::{BlockedRecord, ContactRecord};

impl State {
    pub(super) fn put_contact(&mut self, owner: i64, contact: ContactRecord) {
        self.contact_owners.insert((contact.user_id, owner));
        self.contacts.insert((owner, contact.user_id), contact);
    }

    pub(super) fn delete_contact(&mut self, owner: i64, user_id: i64) -> bool {
        self.contact_owners.remove(&(user_id, owner));
        self.contacts.remove(&(owner, user_id)).is_some()
    }

    pub(super) fn list_contacts(&self, owner: i64) -> Vec<ContactRecord> {
        self.contacts
            .range((owner, i64::MIN)..=(owner, i64::MAX))
            .map(|(_, contact)| contact.clone())
            .collect()
    }

    pub(super) fn contact_owners_of(&self, user_id: i64) -> Vec<i64> {
        self.contact_owners
            .range((user_id, i64::MIN)..=(user_id, i64::MAX))
            .map(|&(_, owner)| owner)
            .collect()
    }

    pub(super) fn block(&mut self, owner: i64, target: i64, now: i64) -> bool {
        if self.blocked.contains_key(&(owner, target)) {
            return false;
        }
        self.blocked.insert((owner, target), now);
        true
    }

    pub(super) fn list_blocked(
        &self,
        owner: i64,
        offset: usize,
        limit: usize,
    ) -> (Vec<BlockedRecord>, usize) {
        let all = self.blocked.range((owner, i64::MIN)..=(owner, i64::MAX));
        let total = all.clone().count();
        let page = all
            .skip(offset)
            .take(limit)
            .map(|(&(_, user_id), &blocked_at)| BlockedRecord {
                user_id,
                blocked_at,
            })
            .collect();
        (page, total)
    }
}
