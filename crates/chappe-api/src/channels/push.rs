//! Channel pushes run after the handler answered.
//!
//! A post is committed once to the channel box; reaching every online
//! member costs far more than the answer, so the handler hands the push to
//! [`UpdateFanout::run_detached`] and answers right after the commit.
//! Everything a push needs is owned ([`Pusher`] holds `Arc`s), since it
//! outlives the request.
//!
//! Pushes of one channel run one after the other, in the order their
//! writes were made ([`ChannelPushes`]): a member sees pts in order and
//! never takes a gap for a lost update.
//!
//! The member walk pages the channel's participant rows (one store call per
//! page, the rows carry each member's rights), asks the fan-out once per
//! page which members are online, and builds `updates` only for those:
//! each carries the member's own access hash, so it is built per member.
//! It yields to the runtime every few hundred members, so a big channel's
//! push shares the worker threads with the calls waiting on them.
//!
//! A big channel with few of its members online (the common case: a few
//! hundred of 200,000) is not walked: the fan-out lists the users online on
//! this node, and only their rows of the channel are read, one store call
//! per chunk ([`Store::channel_participants_of`]). Both ways push the same
//! members the same updates.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use chappe_core::messaging::channels::ChannelView;
use chappe_core::{Accounts, Messaging};
use chappe_store::channels::{ChannelParticipant, ChannelRecord};
use chappe_store::{Store, UserRecord};
use chappe_tl::api::{enums, types};

use super::convert::channel_tl;
use super::update_channel;
use crate::convert::{clamp_date, user_for};
use crate::{PushJob, RpcError, SessionRef, UpdateFanout};

/// Participant rows read per store call while pushing.
const PUSH_PAGE: usize = 2_048;

/// Members pushed between two yields to the runtime: a big channel's push
/// must not hold a worker thread for long while other calls wait.
const YIELD_EVERY: usize = 256;

/// A channel walks its online users instead of its members when they are
/// fewer than its members divided by this: a point read costs more than a
/// row of a scan, and many users online may not be members at all.
const ONLINE_WALK_RATIO: usize = 4;

/// Builds the update one member receives.
pub(crate) type MemberUpdate = Box<dyn Fn(i64) -> enums::Update + Send + Sync>;

/// What a push needs, owned so it can run after the request ended.
#[derive(Clone)]
pub(crate) struct Pusher {
    pub(super) store: Arc<dyn Store>,
    pub(super) accounts: Arc<Accounts>,
    pub(super) messaging: Arc<Messaging>,
    pub(super) fanout: Arc<dyn UpdateFanout>,
    pub(super) now: i64,
    /// Who made the change, and the session whose RPC result carries it.
    pub(super) actor: i64,
    pub(super) actor_session: SessionRef,
}

impl Pusher {
    /// Sends `updates{update(member)}` to every member online now, except
    /// the actor's own session. `user_ids` are the users the update names,
    /// read once and shown to each member with their access hash.
    pub(super) async fn to_members(
        &self,
        channel: &ChannelRecord,
        user_ids: &[i64],
        update: &MemberUpdate,
    ) -> Result<(), RpcError> {
        let user_records = self.messaging.users(user_ids).await?;
        if let Some(online) = self.online_to_walk(channel) {
            return self
                .to_online_users(channel, &online, &user_records, update)
                .await;
        }
        let mut after = 0i64;
        loop {
            let rows = self
                .store
                .channel_participants(channel.id, after, PUSH_PAGE)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.user_id;
            for chunk in rows.chunks(YIELD_EVERY) {
                self.push_page(channel, chunk, &user_records, update);
                YieldNow(false).await;
            }
            if rows.len() < PUSH_PAGE {
                break;
            }
        }
        Ok(())
    }

    /// The users online on this node, when the fan-out can tell and they
    /// are few enough next to the channel's members to read one by one.
    /// A channel of one page is walked: one store read either way.
    fn online_to_walk(&self, channel: &ChannelRecord) -> Option<Vec<i64>> {
        let members = usize::try_from(channel.participants_count).unwrap_or(0);
        if members <= PUSH_PAGE {
            return None;
        }
        // Few: fewer than one member in ONLINE_WALK_RATIO.
        self.fanout.online_users((members - 1) / ONLINE_WALK_RATIO)
    }

    /// Pushes to the members among `online`, reading their rows a chunk per
    /// store call; users with no row, or banned from viewing, get nothing.
    async fn to_online_users(
        &self,
        channel: &ChannelRecord,
        online: &[i64],
        user_records: &[UserRecord],
        update: &MemberUpdate,
    ) -> Result<(), RpcError> {
        for ids in online.chunks(PUSH_PAGE) {
            let rows = self.store.channel_participants_of(channel.id, ids).await?;
            for chunk in rows.chunks(YIELD_EVERY) {
                for participant in chunk.iter().filter(|p| p.is_member()) {
                    self.push_member(channel, participant, user_records, update);
                }
                YieldNow(false).await;
            }
        }
        Ok(())
    }

    /// Pushes to the online members among one page of participant rows.
    /// Not async, so its locals are off the stack while the walk waits on
    /// the store (an inline push runs deep inside the handler's future).
    fn push_page(
        &self,
        channel: &ChannelRecord,
        rows: &[ChannelParticipant],
        user_records: &[UserRecord],
        update: &MemberUpdate,
    ) {
        let members: Vec<&ChannelParticipant> = rows.iter().filter(|p| p.is_member()).collect();
        let ids: Vec<i64> = members.iter().map(|p| p.user_id).collect();
        let online = self.fanout.online_among(&ids);
        // Both are in user id order, `online` a subsequence of `ids`.
        let mut online = online.iter().peekable();
        for participant in members {
            if online.next_if_eq(&&participant.user_id).is_some() {
                self.push_member(channel, participant, user_records, update);
            }
        }
    }

    /// Pushes one online member their `updates`, except the actor's session
    /// (its RPC result carries them).
    fn push_member(
        &self,
        channel: &ChannelRecord,
        participant: &ChannelParticipant,
        user_records: &[UserRecord],
        update: &MemberUpdate,
    ) {
        let user = participant.user_id;
        let updates = self.member_updates(channel, participant, user_records, update);
        let except = (user == self.actor).then_some(self.actor_session);
        self.fanout.to_user(user, &updates, except);
    }

    /// One member's `updates`. Filled in place on the heap: an inline push
    /// runs deep inside the handler's future, where debug builds have
    /// little stack left for the large TL temporaries.
    fn member_updates(
        &self,
        channel: &ChannelRecord,
        participant: &ChannelParticipant,
        user_records: &[UserRecord],
        update: &MemberUpdate,
    ) -> enums::Updates {
        let user = participant.user_id;
        let hashes = self.accounts.access_hashes();
        let mut updates = Box::new(types::Updates {
            updates: Vec::with_capacity(1),
            users: Vec::with_capacity(user_records.len()),
            chats: Vec::with_capacity(1),
            date: clamp_date(self.now),
            seq: 0,
        });
        updates.updates.push(update(user));
        for u in user_records {
            updates.users.push(user_for(hashes, user, u, self.now));
        }
        let view = Box::new(ChannelView {
            channel: channel.clone(),
            participant: Some(participant.clone()),
        });
        updates.chats.push(channel_tl(hashes, user, &view));
        enums::Updates::Updates(*updates)
    }

    /// Tells `user` the channel changed for them (joined, added, removed,
    /// promoted): their clients refetch it.
    pub(super) async fn channel_changed(&self, user: i64, channel_id: i64) -> Result<(), RpcError> {
        if !self.fanout.is_online(user) {
            return Ok(());
        }
        let Some(view) = self.messaging.channel_view(user, channel_id).await? else {
            return Ok(());
        };
        let updates = enums::Updates::Updates(types::Updates {
            updates: vec![update_channel(channel_id)],
            users: Vec::new(),
            chats: vec![channel_tl(self.accounts.access_hashes(), user, &view)],
            date: clamp_date(self.now),
            seq: 0,
        });
        self.fanout.to_user(user, &updates, None);
        Ok(())
    }
}

/// Lets the runtime run other tasks once before going on (the API crate
/// has no runtime of its own to ask).
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Logs a failed background push: nobody waits for it, and members catch
/// up with `updates.getChannelDifference`.
pub(super) fn log_failure(channel_id: i64, result: Result<(), RpcError>) {
    if let Err(error) = result {
        tracing::warn!(channel_id, %error, "channel push failed; members catch up by difference");
    }
}

/// Per channel, the pushes waiting behind the one running now.
#[derive(Default)]
pub(crate) struct ChannelPushes {
    queues: Mutex<HashMap<i64, VecDeque<PushJob>>>,
}

impl ChannelPushes {
    /// Queues `job` behind the channel's earlier pushes. Returns the runner
    /// to start when none is running for the channel; otherwise the running
    /// one takes `job` when it is done with those before it.
    pub(crate) fn enqueue(self: &Arc<Self>, channel_id: i64, job: PushJob) -> Option<PushJob> {
        let mut queues = lock(&self.queues);
        if let Some(waiting) = queues.get_mut(&channel_id) {
            waiting.push_back(job);
            return None;
        }
        queues.insert(channel_id, VecDeque::new());
        drop(queues);
        let runner = Runner {
            pushes: Arc::clone(self),
            channel_id,
            done: false,
        };
        Some(Box::pin(runner.run(job)))
    }

    #[cfg(test)]
    fn running(&self) -> usize {
        lock(&self.queues).len()
    }
}

/// Runs one channel's queue until it is empty.
struct Runner {
    pushes: Arc<ChannelPushes>,
    channel_id: i64,
    /// Set once the runner removed its queue itself.
    done: bool,
}

impl Runner {
    async fn run(mut self, first: PushJob) {
        let mut next = Some(first);
        while let Some(job) = next {
            job.await;
            next = self.next();
        }
    }

    /// The next waiting job, or `None` after removing the empty queue (under
    /// the same lock, so a job queued later starts a new runner).
    fn next(&mut self) -> Option<PushJob> {
        let mut queues = lock(&self.pushes.queues);
        let job = queues
            .get_mut(&self.channel_id)
            .and_then(VecDeque::pop_front);
        if job.is_none() {
            queues.remove(&self.channel_id);
            self.done = true;
        }
        job
    }
}

impl Drop for Runner {
    /// A runner dropped mid-queue (its task panicked or the runtime shut
    /// down) frees the channel, so later pushes start a runner of their own;
    /// the jobs it held are lost, and members catch up by difference.
    fn drop(&mut self) {
        if !self.done {
            lock(&self.pushes.queues).remove(&self.channel_id);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Waker;

    use super::*;

    /// Polls a future that never waits on anything outside it.
    fn run_ready(mut job: PushJob) {
        let mut cx = Context::from_waker(Waker::noop());
        assert!(matches!(job.as_mut().poll(&mut cx), Poll::Ready(())));
    }

    fn recording_job(log: &Arc<Mutex<Vec<u32>>>, n: u32) -> PushJob {
        let log = Arc::clone(log);
        Box::pin(async move { lock(&log).push(n) })
    }

    #[test]
    fn jobs_of_one_channel_run_in_order_on_one_runner() {
        let pushes = Arc::new(ChannelPushes::default());
        let log = Arc::new(Mutex::new(Vec::new()));
        let runner = pushes.enqueue(1, recording_job(&log, 1));
        let Some(runner) = runner else {
            panic!("the first push of a channel starts a runner")
        };
        assert!(pushes.enqueue(1, recording_job(&log, 2)).is_none());
        assert!(pushes.enqueue(1, recording_job(&log, 3)).is_none());
        let other = pushes.enqueue(2, recording_job(&log, 10));
        assert!(other.is_some(), "another channel runs on its own");
        run_ready(runner);
        assert_eq!(*lock(&log), vec![1, 2, 3]);
        assert_eq!(pushes.running(), 1);
        if let Some(other) = other {
            run_ready(other);
        }
        assert_eq!(pushes.running(), 0);
        assert!(pushes.enqueue(1, recording_job(&log, 4)).is_some());
    }

    #[test]
    fn a_dropped_runner_frees_its_channel() {
        let pushes = Arc::new(ChannelPushes::default());
        let ran = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&ran);
        let runner = pushes.enqueue(
            7,
            Box::pin(async move {
                counted.fetch_add(1, Ordering::Relaxed);
            }),
        );
        assert!(runner.is_some());
        drop(runner);
        assert_eq!(pushes.running(), 0);
        assert!(pushes.enqueue(7, Box::pin(async {})).is_some());
        assert_eq!(ran.load(Ordering::Relaxed), 0);
    }
}
