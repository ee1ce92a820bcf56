//! Channels and supergroups: the `channels` namespace, channel peers in
//! `messages.*`, and `updates.getChannelDifference`.
//!
//! A channel has one box of its own (see `chappe_store::channels`): a post
//! is stored once, then pushed as `updateNewChannelMessage` to the members
//! that are online now, found by paging the key-only member index and
//! asking the fan-out who is live; everyone else catches up with
//! `updates.getChannelDifference`. Every `channel` object carries the
//! viewer's own access hash (a "channel" domain of `AccessHashes`).

pub(crate) mod convert;
mod difference;
mod manage;
mod read;

use chappe_core::messaging::channels::{ChannelError, ChannelView};
use chappe_store::channels::ChannelRecord;
use chappe_store::StoredCopy;
use chappe_tl::api::{enums, types};

use self::convert::{channel_message_tl, channel_tl};
use crate::convert::{clamp_date, user_for};
use crate::{Api, RequestContext, RpcError, SessionRef};

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

    /// `updates` telling `user` the channel changed for them (joined, added,
    /// removed, promoted): their clients refetch it.
    async fn push_channel_changed(
        &self,
        ctx: &RequestContext,
        user: i64,
        channel_id: i64,
    ) -> Result<(), RpcError> {
        if !self.fanout.is_online(user) {
            return Ok(());
        }
        let Some(view) = self.messaging.channel_view(user, channel_id).await? else {
            return Ok(());
        };
        let updates = self
            .channel_updates(ctx, user, &view, vec![update_channel(channel_id)], &[])
            .await?;
        self.fanout.to_user(user, &updates, None);
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
        self.push_to_online(ctx, author, channel, &users, |user| {
            new_channel_message(copy, user, channel)
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
        self.push_to_online(ctx, actor, channel, &[], |_| update.clone())
            .await
    }

    /// Sends `updates{update(member)}` to every member online now; the
    /// actor's own session is skipped (its RPC result carries the change).
    ///
    /// Walks the key-only member index a page at a time and builds updates
    /// only for members the fan-out reports online, so an offline member
    /// costs one index key read per push.
    async fn push_to_online(
        &self,
        ctx: &RequestContext,
        actor: i64,
        channel: &ChannelRecord,
        user_ids: &[i64],
        update: impl Fn(i64) -> enums::Update,
    ) -> Result<(), RpcError> {
        // Read once: every member sees the same users, each with their own access hash.
        let user_records = self.messaging.users(user_ids).await?;
        let mut after = 0i64;
        loop {
            let ids = self.messaging.channel_member_ids(channel.id, after).await?;
            let Some(&last) = ids.last() else { break };
            after = last;
            for user in ids {
                if !self.fanout.is_online(user) {
                    continue;
                }
                let participant = self
                    .store
                    .channel_participant(channel.id, user)
                    .await
                    .map_err(chappe_core::MessagingError::from)?;
                let view = ChannelView {
                    channel: channel.clone(),
                    participant,
                };
                let users = user_records
                    .iter()
                    .map(|u| user_for(self.accounts.access_hashes(), user, u, ctx.now))
                    .collect();
                let updates = enums::Updates::Updates(types::Updates {
                    updates: vec![update(user)],
                    users,
                    chats: vec![self.channel_view_tl(user, &view)],
                    date: clamp_date(ctx.now),
                    seq: 0,
                });
                let except = (user == actor).then(|| own_session(ctx));
                self.fanout.to_user(user, &updates, except);
            }
        }
        Ok(())
    }

    /// The author's result for a stored post (the push to everyone else
    /// already went out).
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
