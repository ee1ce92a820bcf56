//! Invite links, keyed by hash.

use super::State;
use crate::invites::{consume, InviteRecord, InviteRefusal};

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
}
