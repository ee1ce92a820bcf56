//! The fan-out boundary: how handlers hand `Updates` to whoever delivers them to
//! live sessions. The single-process server implements it over its session registry;
//! a NATS-backed implementation can carry the same calls across nodes later.
//!
//! Pushing never blocks and never fails: a session that is not online now catches up
//! with `updates.getDifference`, so fan-out is an optimisation of delivery, never the
//! record of it. The durable record (a box's update log) is written before a push.

use std::sync::Mutex;

use chappe_tl::api::enums::Updates;

/// One MTProto session: the auth key it lives under and the client-chosen id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionRef {
    pub auth_key_id: i64,
    pub session_id: i64,
}

/// Delivers server-initiated `Updates` to live sessions.
pub trait UpdateFanout: Send + Sync + 'static {
    /// Every live session logged in as `user_id` that takes updates, except `except`
    /// (the session whose RPC result already carries them).
    fn to_user(&self, user_id: i64, updates: &Updates, except: Option<SessionRef>);

    /// Every live session of one auth key, logged in or not (QR login tells the
    /// waiting device through this).
    fn to_auth_key(&self, auth_key_id: i64, updates: &Updates);

    /// Whether any session of `user_id` is live on this node now.
    fn is_online(&self, user_id: i64) -> bool;
}

/// Where a [`RecordingFanout`] push went.
#[derive(Debug, Clone, PartialEq)]
pub enum PushTarget {
    User {
        user_id: i64,
        except: Option<SessionRef>,
    },
    AuthKey(i64),
}

/// A fan-out that only records what was pushed: for tests of handlers, and for tools
/// that run the API without sessions.
#[derive(Debug, Default)]
pub struct RecordingFanout {
    pushed: Mutex<Vec<(PushTarget, Updates)>>,
    online: Mutex<Vec<i64>>,
}

impl RecordingFanout {
    /// Everything pushed so far, oldest first; clears the record.
    pub fn take(&self) -> Vec<(PushTarget, Updates)> {
        std::mem::take(&mut *lock(&self.pushed))
    }

    /// Makes [`UpdateFanout::is_online`] answer `true` for `user_id`.
    pub fn set_online(&self, user_id: i64) {
        lock(&self.online).push(user_id);
    }
}

impl UpdateFanout for RecordingFanout {
    fn to_user(&self, user_id: i64, updates: &Updates, except: Option<SessionRef>) {
        lock(&self.pushed).push((PushTarget::User { user_id, except }, updates.clone()));
    }

    fn to_auth_key(&self, auth_key_id: i64, updates: &Updates) {
        lock(&self.pushed).push((PushTarget::AuthKey(auth_key_id), updates.clone()));
    }

    fn is_online(&self, user_id: i64) -> bool {
        lock(&self.online).contains(&user_id)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
