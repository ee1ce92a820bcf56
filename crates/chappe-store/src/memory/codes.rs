//! Login codes, keyed by phone_code_hash.

use super::State;
use crate::PhoneCodeRecord;

impl State {
    pub(super) fn put_phone_code(&mut self, record: PhoneCodeRecord) {
        self.phone_codes
            .insert(record.phone_code_hash.clone(), record);
    }

    pub(super) fn get_phone_code(&self, hash: &str) -> Option<PhoneCodeRecord> {
        self.phone_codes.get(hash).cloned()
    }

    pub(super) fn delete_phone_code(&mut self, hash: &str) -> bool {
        self.phone_codes.remove(hash).is_some()
    }

    pub(super) fn purge_phone_codes(&mut self, now: i64) -> usize {
        let before = self.phone_codes.len();
        self.phone_codes.retain(|_, code| code.expires_at > now);
        before - self.phone_codes.len()
    }
}
