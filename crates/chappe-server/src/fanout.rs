//! [`LocalFanout`]: delivers `Updates` to the live sessions of this process, each
//! encoded once per API layer in use, and runs detached pushes (channel fan-out) as
//! tasks of their own, so the RPC that caused them is answered first.

use std::collections::HashMap;
use std::sync::Arc;

use chappe_api::{LayerEncode, PushJob, SessionRef, UpdateFanout};
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

    fn online_among(&self, user_ids: &[i64]) -> Vec<i64> {
        self.sessions.users_with_sessions_among(user_ids)
    }

    fn online_users(&self, at_most: usize) -> Option<Vec<i64>> {
        self.sessions.users_with_sessions(at_most)
    }

    /// Spawns `job` on the runtime the handler runs on; outside one (admin tools
    /// building the API without a server) it is handed back to run inline.
    fn run_detached(&self, job: PushJob) -> Option<PushJob> {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(job);
                None
            }
            Err(_) => Some(job),
        }
    }
}
