//! [`LocalFanout`]: delivers `Updates` to the live sessions of this process, each
//! encoded once per API layer in use.

use std::collections::HashMap;
use std::sync::Arc;

use chappe_api::{LayerEncode, SessionRef, UpdateFanout};
use chappe_tl::api::enums::Updates;
use chappe_tl::layers::resolve_layer;
use chappe_tl::CANONICAL_LAYER;

use crate::registry::{SessionRegistry, SessionSlot};

/// Fan-out over the session registry of this process.
pub struct LocalFanout {
    sessions: Arc<SessionRegistry>,
}

impl LocalFanout {
    pub fn new(sessions: Arc<SessionRegistry>) -> Self {
        Self { sessions }
    }

    fn deliver(&self, slots: Vec<Arc<SessionSlot>>, updates: &Updates, except: Option<SessionRef>) {
        let mut encoded: HashMap<i32, Vec<u8>> = HashMap::new();
        for slot in slots {
            let skip = except.is_some_and(|e| {
                e.auth_key_id == slot.key.auth_key_id && e.session_id == slot.key.session_id
            });
            if skip {
                continue;
            }
            let layer = resolve_layer(slot.session().layer().unwrap_or(CANONICAL_LAYER));
            let body = match encoded.get(&layer) {
                Some(body) => body.clone(),
                None => {
                    let mut body = Vec::new();
                    if let Err(e) = updates.encode_for_layer(layer, &mut body) {
                        tracing::warn!(layer, error = %e, "update cannot be expressed in the session's layer");
                        continue;
                    }
                    encoded.insert(layer, body.clone());
                    body
                }
            };
            slot.session().push_update(body);
            slot.wake();
        }
    }
}

impl UpdateFanout for LocalFanout {
    fn to_user(&self, user_id: i64, updates: &Updates, except: Option<SessionRef>) {
        let slots = self.sessions.sessions_of_user(user_id);
        self.deliver(slots, updates, except);
    }

    fn to_auth_key(&self, auth_key_id: i64, updates: &Updates) {
        let slots = self.sessions.sessions_of_auth_key(auth_key_id);
        self.deliver(slots, updates, None);
    }

    fn is_online(&self, user_id: i64) -> bool {
        self.sessions.has_sessions_of_user(user_id)
    }
}
