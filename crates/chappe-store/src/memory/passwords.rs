//! 2FA password state, keyed by user id.

use super::State;
use crate::PasswordRecord;

impl State {
    pub(super) fn put_password(&mut self, user_id: i64, record: PasswordRecord) {
        self.passwords.insert(user_id, record);
    }

    pub(super) fn get_password(&self, user_id: i64) -> Option<PasswordRecord> {
        self.passwords.get(&user_id).cloned()
    }

    pub(super) fn delete_password(&mut self, user_id: i64) -> bool {
        self.passwords.remove(&user_id).is_some()
    }
}
