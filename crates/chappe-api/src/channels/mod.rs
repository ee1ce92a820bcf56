//! Channels and supergroups: the `channels` namespace, channel peers in
//! `messages.*`, and `updates.getChannelDifference`.
//!
//! A channel has one box of its own (see `chappe_store::channels`): a post
//! is stored once, answered, then pushed in the background as
//! `updateNewChannelMessage` to the members that are online now (see
//! `push`); everyone else catches up with `updates.getChannelDifference`.
//! Every `channel` object carries the viewer's own access hash (a "channel"
//! domain of `AccessHashes`).

pub(crate) mod convert;
mod difference;
mod edit;
mod manage;
mod push;
mod read;

use chappe_core::messaging::channels::{ChannelError, ChannelView};
use chappe_store::channels::ChannelRecord;
use chappe_store::StoredCopy;
use chappe_tl::api::{enums, types};

pub(crate) use self::push::ChannelPushes;

use self::convert::{channel_message_tl, channel_tl};
use self::push::{log_failure, MemberUpdate, Pusher};
use crate::convert::clamp_date;
use crate::{Api, PushJob, RequestContext, RpcError, SessionRef};

impl From<ChannelError> for RpcError {
    fn from(error: ChannelError) -> Self {
        let (code, name) = error.rpc_name();
        if code >= 500 {
            tracing::error!(%error, "channel operation failed");
        }
        RpcError::new(code, name)
    }
}

fn channel_invalid() -> RpcError {
    RpcError::bad_request("CHANNEL_INVALID")
}

fn own_session(ctx: &RequestContext) -> SessionRef {
    SessionRef {
        auth_key_id: ctx.auth_key_id,
        session_id: ctx.session_id,
    }
}

fn update_channel(id: i64) -> enums::Update {
    enums::Update::UpdateChannel(types::UpdateChannel { channel_id: id })
}

fn new_channel_message(copy: &StoredCopy, viewer: i64, channel: &ChannelRecord) -> enums::Update {
    enums::Update::UpdateNewChannelMessage(types::UpdateNewChannelMessage {
        message: channel_message_tl(&copy.message, viewer, channel.broadcast),
        pts: copy.pts,
        pts_count: 1,
    })
}

impl Api {
    /// The channel id an `InputChannel` names, checking the viewer's access
    /// hash: `CHANNEL_INVALID` otherwise.
    pub(crate) fn resolve_input_channel(
        &self,
        viewer: i64,
        input: &enums::InputChannel,
    ) -> Result<i64, RpcError> {
        match input {
            enums::InputChannel::InputChannel(c)
                if self.accounts.access_hashes().check_channel(
                    viewer,
                    c.channel_id,
                    c.access_hash,
                ) =>
            {
                Ok(c.channel_id)
            }
            _ => Err(channel_invalid()),
        }
    }

    /// A view as TL for its viewer.
    pub(crate) fn channel_view_tl(&self, viewer: i64, view: &ChannelView) -> enums::Chat {
        channel_tl(self.accounts.access_hashes(), viewer, view)
    }

    /// The existing channels among `ids` as `viewer` sees them.
    pub(crate) async fn channels_seen_by(
        &self,
        viewer: i64,
        ids: &[i64],
    ) -> Result<Vec<enums::Chat>, RpcError> {
        let views = self.messaging.channel_views(viewer, ids).await?;
        Ok(views
            .iter()
            .map(|v| self.channel_view_tl(viewer, v))
            .collect())
    }

    /// `updates` for one viewer of a channel.
    async fn channel_updates(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        view: &ChannelView,
        updates: Vec<enums::Update>,
        user_ids: &[i64],
    ) -> Result<enums::Updates, RpcError> {
        let users = self.users_seen_by(viewer, user_ids, ctx.now).await?;
        Ok(enums::Updates::Updates(types::Updates {
            updates,
            users,
            chats: vec![self.channel_view_tl(viewer, view)],
            date: clamp_date(ctx.now),
            seq: 0,
        }))
    }

    /// What a background push needs, owned.
    fn pusher(&self, ctx: &RequestContext, actor: i64) -> Pusher {
        Pusher {
            store: self.store.clone(),
            accounts: self.accounts.clone(),
            messaging: self.messaging.clone(),
            fanout: self.fanout.clone(),
            now: ctx.now,
            actor,
            actor_session: own_session(ctx),
        }
    }

    /// Runs `job` after the channel's earlier pushes, detached from the
    /// request when the fan-out can (otherwise before returning). Called
    /// only after the write it pushes was committed.
    async fn run_channel_push(&self, channel_id: i64, job: PushJob) {
        let Some(runner) = self.channel_pushes.enqueue(channel_id, job) else {
            return;
        };
        if let Some(inline) = self.fanout.run_detached(runner) {
            inline.await;
        }
    }

    /// Tells `user` the channel changed for them (joined, added, removed,
    /// promoted), in the background: their clients refetch it.
    async fn push_channel_changed(
        &self,
        ctx: &RequestContext,
        user: i64,
        channel_id: i64,
    ) -> Result<(), RpcError> {
        if !self.fanout.is_online(user) {
            return Ok(());
        }
        let pusher = self.pusher(ctx, user);
        let job =
            async move { log_failure(channel_id, pusher.channel_changed(user, channel_id).await) };
        self.run_channel_push(channel_id, Box::pin(job)).await;
        Ok(())
    }

    /// Pushes a stored post to every online member, the author's other
    /// sessions included.
    async fn push_post(
        &self,
        ctx: &RequestContext,
        author: i64,
        channel: &ChannelRecord,
        copy: &StoredCopy,
    ) -> Result<(), RpcError> {
        let users = [copy.message.from_id];
        let (copy, record) = (copy.clone(), channel.clone());
        self.push_to_online(ctx, author, channel, &users, move |user| {
            new_channel_message(&copy, user, &record)
        })
        .await
    }

    /// Pushes a channel log entry other than a post (deletes).
    async fn push_channel_deleted(
        &self,
        ctx: &RequestContext,
        actor: i64,
        channel: &ChannelRecord,
        entry: &chappe_store::UpdateEntry,
    ) -> Result<(), RpcError> {
        let chappe_store::UpdateKind::DeleteMessages { ids } = &entry.kind else {
            return Ok(());
        };
        let update =
            enums::Update::UpdateDeleteChannelMessages(types::UpdateDeleteChannelMessages {
                channel_id: channel.id,
                messages: ids.clone(),
                pts: entry.pts,
                pts_count: entry.pts_count,
            });
        self.push_to_online(ctx, actor, channel, &[], move |_| update.clone())
            .await
    }

    /// Sends `updates{update(member)}` to every member online now, in the
    /// background once the caller's write is committed; the actor's own
    /// session is skipped (its RPC result carries the change). `user_ids`
    /// are the users the update names. Failures of the push itself are
    /// logged, not returned: the write stands and members catch up by
    /// difference.
    async fn push_to_online(
        &self,
        ctx: &RequestContext,
        actor: i64,
        channel: &ChannelRecord,
        user_ids: &[i64],
        update: impl Fn(i64) -> enums::Update + Send + Sync + 'static,
    ) -> Result<(), RpcError> {
        let pusher = self.pusher(ctx, actor);
        let (record, user_ids) = (channel.clone(), user_ids.to_vec());
        let update: MemberUpdate = Box::new(update);
        let job = async move {
            let result = pusher.to_members(&record, &user_ids, &update).await;
            log_failure(record.id, result);
        };
        self.run_channel_push(channel.id, Box::pin(job)).await;
        Ok(())
    }

    /// The author's result for a stored post (the push to everyone else
    /// is on its way).
    async fn post_result(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        view: &ChannelView,
        copy: &StoredCopy,
        random_id: Option<i64>,
        mut extra: Vec<enums::Update>,
    ) -> Result<enums::Updates, RpcError> {
        let mut updates = Vec::new();
        if let Some(random_id) = random_id {
            updates.push(enums::Update::UpdateMessageId(types::UpdateMessageId {
                id: copy.message.id,
                random_id,
            }));
        }
        updates.append(&mut extra);
        updates.push(new_channel_message(copy, viewer, &view.channel));
        self.channel_updates(ctx, viewer, view, updates, &[copy.message.from_id])
            .await
    }
}

impl Api {
    /// Fixes the channel entries of a chat list page for `viewer`: each
    /// channel dialog carries the channel's pts, and its top post is shown
    /// as the viewer sees it (their own posts `out`, broadcast posts signed
    /// by the channel). `dialogs` and `messages` are `page`'s, in order.
    pub(crate) async fn channel_dialog_parts(
        &self,
        viewer: i64,
        page: &chappe_core::messaging::DialogsPage,
        dialogs: &mut [enums::Dialog],
        messages: &mut [enums::Message],
    ) -> Result<(), RpcError> {
        for (record, dialog) in page.dialogs.iter().zip(dialogs.iter_mut()) {
            let chappe_store::Peer::Channel(id) = record.peer else {
                continue;
            };
            let pts = self.messaging.channel_pts(id).await?;
            let enums::Dialog::Dialog(d) = dialog else {
                continue;
            };
            d.pts = Some(pts);
            let Some(channel) = self
                .messaging
                .channel_view(viewer, id)
                .await?
                .map(|v| v.channel)
            else {
                continue;
            };
            for (m, tl) in page.messages.iter().zip(messages.iter_mut()) {
                if m.peer == record.peer {
                    *tl = channel_message_tl(m, viewer, channel.broadcast);
                }
            }
        }
        Ok(())
    }
}

impl Api {
    /// `contacts.resolvedPeer` for the public channel with this username.
    pub(crate) async fn resolved_channel(
        &self,
        viewer: i64,
        username: &str,
    ) -> Result<Option<enums::contacts::ResolvedPeer>, RpcError> {
        let Some(channel) = self.messaging.channel_by_username(username).await? else {
            return Ok(None);
        };
        let Some(view) = self.messaging.channel_view(viewer, channel.id).await? else {
            return Ok(None);
        };
        Ok(Some(enums::contacts::ResolvedPeer::ResolvedPeer(
            types::contacts::ResolvedPeer {
                peer: crate::messages::convert::peer_tl(chappe_store::Peer::Channel(channel.id)),
                chats: vec![self.channel_view_tl(viewer, &view)],
                users: Vec::new(),
            },
        )))
    }
}
