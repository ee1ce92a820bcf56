//! The fan-out boundary: how handlers hand `Updates` to whoever delivers them to
//! live sessions. The single-process server implements it over its session registry;
//! a NATS-backed implementation can carry the same calls across nodes later.
//!
//! Pushing never blocks and never fails: a session that is not online now catches up
//! with `updates.getDifference`, so fan-out is an optimisation of delivery, never the
//! record of it. The durable record (a box's update log) is written before a push.
//!
//! Pushes that cost more than the answer (a channel post reaching every online member)
//! are handed to [`UpdateFanout::run_detached`] as a [`PushJob`], so the handler answers
//! as soon as the store committed and the push runs after it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use chappe_tl::api::enums::Updates;

/// A push to run after the handler answered. Owns everything it needs.
pub type PushJob = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

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

    /// The users among `user_ids` with a live session now, in the order given. Asked
    /// once per group of channel members when a post is pushed, so an implementation
    /// can answer the whole group under one lock.
    fn online_among(&self, user_ids: &[i64]) -> Vec<i64> {
        user_ids
            .iter()
            .copied()
            .filter(|&user| self.is_online(user))
            .collect()
    }

    /// Every user with a live session on this node now, by user id, if there are at
    /// most `at_most`; `None` when there are more or the fan-out cannot tell (the
    /// caller then walks a channel's members and asks [`UpdateFanout::online_among`]).
    /// A post to a big channel with few members online reads only these users' rows.
    fn online_users(&self, at_most: usize) -> Option<Vec<i64>> {
        let _ = at_most;
        None
    }

    /// Runs `job` on its own, so the caller can answer before it finished. A fan-out
    /// with no runtime to run it on hands it back (`Some`), and the caller runs it to
    /// completion before answering, as before.
    fn run_detached(&self, job: PushJob) -> Option<PushJob> {
        Some(job)
    }
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
/// that run the API without sessions. Detached jobs run inline (the handler awaits
/// them before answering) unless it was built with [`RecordingFanout::deferring`].
#[derive(Default)]
pub struct RecordingFanout {
    pushed: Mutex<Vec<(PushTarget, Updates)>>,
    online: Mutex<Vec<i64>>,
    /// How many users [`UpdateFanout::online_among`] was asked about: a test tells
    /// from it which way a channel push found its online members.
    asked_among: Mutex<usize>,
    /// `Some` when detached jobs wait for [`RecordingFanout::run_deferred`].
    deferred: Mutex<Option<Vec<PushJob>>>,
}

impl std::fmt::Debug for RecordingFanout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordingFanout")
            .field("pushed", &lock(&self.pushed).len())
            .field("online", &*lock(&self.online))
            .finish_non_exhaustive()
    }
}

impl RecordingFanout {
    /// A fan-out that keeps detached jobs until [`RecordingFanout::run_deferred`], so a
    /// test can see a handler answer before its background push ran.
    pub fn deferring() -> Self {
        Self {
            deferred: Mutex::new(Some(Vec::new())),
            ..Self::default()
        }
    }

    /// Runs the detached jobs kept so far, oldest first (and any they detach); returns
    /// how many ran.
    pub async fn run_deferred(&self) -> usize {
        let mut ran = 0;
        loop {
            let jobs = lock(&self.deferred)
                .as_mut()
                .map(std::mem::take)
                .unwrap_or_default();
            if jobs.is_empty() {
                return ran;
            }
            for job in jobs {
                job.await;
                ran += 1;
            }
        }
    }

    /// Everything pushed so far, oldest first; clears the record.
    pub fn take(&self) -> Vec<(PushTarget, Updates)> {
        std::mem::take(&mut *lock(&self.pushed))
    }

    /// Makes [`UpdateFanout::is_online`] answer `true` for `user_id`, and lists it in
    /// [`UpdateFanout::online_users`].
    pub fn set_online(&self, user_id: i64) {
        lock(&self.online).push(user_id);
    }

    /// How many users [`UpdateFanout::online_among`] was asked about so far (a channel
    /// push asks it only when it walks the members).
    pub fn asked_among(&self) -> usize {
        *lock(&self.asked_among)
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

    fn online_among(&self, user_ids: &[i64]) -> Vec<i64> {
        *lock(&self.asked_among) += user_ids.len();
        let online = lock(&self.online);
        user_ids
            .iter()
            .copied()
            .filter(|user| online.contains(user))
            .collect()
    }

    fn online_users(&self, at_most: usize) -> Option<Vec<i64>> {
        let mut users = lock(&self.online).clone();
        users.sort_unstable();
        users.dedup();
        (users.len() <= at_most).then_some(users)
    }

    fn run_detached(&self, job: PushJob) -> Option<PushJob> {
        match lock(&self.deferred).as_mut() {
            Some(kept) => {
                kept.push(job);
                None
            }
            None => Some(job),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
