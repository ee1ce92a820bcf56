//! Push device tokens, keyed by (user id, auth key id, token type).

use std::collections::BTreeMap;

use super::State;
use crate::DeviceRecord;

/// (user id, auth key id, token type) -> token.
pub(super) type Devices = BTreeMap<(i64, i64, i32), DeviceRecord>;

impl State {
    pub(super) fn put_device(&mut self, record: DeviceRecord) {
        self.devices.insert(
            (record.user_id, record.auth_key_id, record.token_type),
            record,
        );
    }

    pub(super) fn delete_device(
        &mut self,
        user_id: i64,
        auth_key_id: i64,
        token_type: i32,
        token: &str,
    ) -> bool {
        let key = (user_id, auth_key_id, token_type);
        if self.devices.get(&key).is_some_and(|d| d.token == token) {
            self.devices.remove(&key);
            return true;
        }
        false
    }

    pub(super) fn devices_of_user(&self, user_id: i64) -> Vec<DeviceRecord> {
        self.devices
            .range((user_id, i64::MIN, i32::MIN)..=(user_id, i64::MAX, i32::MAX))
            .map(|(_, record)| record.clone())
            .collect()
    }

    pub(super) fn delete_devices_of_auth_key(&mut self, user_id: i64, auth_key_id: i64) -> usize {
        let keys: Vec<_> = self
            .devices
            .range((user_id, auth_key_id, i32::MIN)..=(user_id, auth_key_id, i32::MAX))
            .map(|(key, _)| *key)
            .collect();
        for key in &keys {
            self.devices.remove(key);
        }
        keys.len()
    }
}
