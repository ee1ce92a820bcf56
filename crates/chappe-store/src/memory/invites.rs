//! Invite links, keyed by hash; listing a group's links scans them all,
//! which is fine for a test store.

use super::State;
use crate::invites::{consume, InviteEdit, InviteRecord, InviteRefusal};
use crate::Peer;

impl State {
    pub(super) fn put_invite(&mut self, record: InviteRecord) {
        self.invites.insert(record.hash.clone(), record);
    }

    pub(super) fn get_invite(&self, hash: &str) -> Option<InviteRecord> {
        self.invites.get(hash).cloned()
    }

    pub(super) fn use_invite(
        &mut self,
        hash: &str,
        now: i64,
    ) -> Result<InviteRecord, InviteRefusal> {
        let used = consume(self.get_invite(hash), now)?;
        self.put_invite(used.clone());
        Ok(used)
    }

    pub(super) fn edit_invite(&mut self, hash: &str, edit: &InviteEdit) -> Option<InviteRecord> {
        let edited = self.invites.get(hash)?.edited(edit);
        self.put_invite(edited.clone());
        Some(edited)
    }

    pub(super) fn invites_of(&self, peer: Peer, admin_id: Option<i64>) -> Vec<InviteRecord> {
        self.invites
            .values()
            .filter(|r| r.peer == peer && admin_id.is_none_or(|a| r.admin_id == a))
            .cloned()
            .collect()
    }

    pub(super) fn delete_revoked_invite(&mut self, hash: &str) -> bool {
        if !self.invites.get(hash).is_some_and(|r| r.revoked) {
            return false;
        }
        self.invites.remove(hash).is_some()
    }

    pub(super) fn delete_revoked_invites(&mut self, peer: Peer, admin_id: i64) -> usize {
        let before = self.invites.len();
        self.invites
            .retain(|_, r| !(r.revoked && r.peer == peer && r.admin_id == admin_id));
        before - self.invites.len()
    }
}
