//! Creating a channel and changing its members, rights, title and
//! username: `channels.createChannel`, `inviteToChannel`, `joinChannel`,
//! `leaveChannel`, `editAdmin`, `editBanned`, `editTitle`,
//! `checkUsername`, `updateUsername`, `deleteChannel`.

use chappe_core::messaging::channels::{clean_username, ChannelError, ChannelView};
use chappe_store::channels::{ChannelChange, ChannelWrite};
use chappe_store::Peer;
use chappe_tl::api::{enums, functions, types};

use super::convert::{admin_bits, banned_bits};
use super::{own_session, update_channel};
use crate::{Api, RequestContext, RpcError};

impl Api {
    /// The actor's view of a channel after a write.
    fn view_after(write: &ChannelWrite, viewer: i64) -> ChannelView {
        ChannelView {
            channel: write.channel.clone(),
            participant: write.participant.clone().filter(|p| p.user_id == viewer),
        }
    }

    /// The actor's `updates` for a write that changes membership or
    /// settings: `updateChannel`, and the new service message if any.
    pub(crate) async fn change_result(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        write: &ChannelWrite,
    ) -> Result<enums::Updates, RpcError> {
        let mut view = Self::view_after(write, viewer);
        if view.participant.is_none() {
            view.participant = self
                .messaging
                .channel_view(viewer, write.channel.id)
                .await?
                .and_then(|v| v.participant);
        }
        let updates = vec![update_channel(write.channel.id)];
        let result = match &write.message {
            Some(copy) => {
                self.push_post(ctx, viewer, &write.channel, copy).await?;
                self.post_result(ctx, viewer, &view, copy, None, updates)
                    .await?
            }
            None => {
                let result = self
                    .channel_updates(ctx, viewer, &view, updates, &[])
                    .await?;
                self.fanout.to_user(viewer, &result, Some(own_session(ctx)));
                result
            }
        };
        Ok(result)
    }

    pub(crate) async fn channels_create_channel(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::CreateChannel,
    ) -> Result<enums::Updates, RpcError> {
        if req.for_import || req.forum || req.geo_point.is_some() || req.ttl_period.is_some() {
            return Err(RpcError::method_not_implemented());
        }
        // Without `megagroup` the client asked for a broadcast channel.
        let broadcast = !req.megagroup;
        let write = self
            .messaging
            .create_channel(viewer, &req.title, &req.about, broadcast, ctx.now)
            .await?;
        self.change_result(ctx, viewer, &write).await
    }

    pub(crate) async fn channels_invite_to_channel(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::InviteToChannel,
    ) -> Result<enums::messages::InvitedUsers, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let mut users = Vec::with_capacity(req.users.len());
        for input in &req.users {
            users.push(self.resolve_input_user(viewer, input)?);
        }
        let write = self
            .messaging
            .change_channel(viewer, id, ChannelChange::Invite { users }, ctx.now)
            .await?;
        for &user in &write.added {
            self.push_channel_changed(ctx, user, id).await?;
        }
        let updates = self.change_result(ctx, viewer, &write).await?;
        Ok(enums::messages::InvitedUsers::InvitedUsers(
            types::messages::InvitedUsers {
                updates,
                missing_invitees: Vec::new(),
            },
        ))
    }

    pub(crate) async fn channels_join_channel(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::JoinChannel,
    ) -> Result<enums::Updates, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let write = self
            .messaging
            .change_channel(viewer, id, ChannelChange::Join, ctx.now)
            .await?;
        self.change_result(ctx, viewer, &write).await
    }

    pub(crate) async fn channels_leave_channel(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::LeaveChannel,
    ) -> Result<enums::Updates, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let write = self
            .messaging
            .change_channel(viewer, id, ChannelChange::Leave, ctx.now)
            .await?;
        self.change_result(ctx, viewer, &write).await
    }

    pub(crate) async fn channels_edit_admin(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::EditAdmin,
    ) -> Result<enums::Updates, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let user_id = self.resolve_input_user(viewer, &req.user_id)?;
        let rights = admin_bits(&req.admin_rights);
        let write = self
            .messaging
            .change_channel(
                viewer,
                id,
                ChannelChange::EditAdmin { user_id, rights },
                ctx.now,
            )
            .await?;
        self.push_channel_changed(ctx, user_id, id).await?;
        self.change_result(ctx, viewer, &write).await
    }

    pub(crate) async fn channels_edit_banned(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::EditBanned,
    ) -> Result<enums::Updates, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let user_id = match self.resolve_peer(viewer, &req.participant)? {
            Peer::User(user) => user,
            _ => return Err(RpcError::bad_request("PARTICIPANT_ID_INVALID")),
        };
        let rights = banned_bits(&req.banned_rights);
        let write = self
            .messaging
            .change_channel(
                viewer,
                id,
                ChannelChange::EditBanned { user_id, rights },
                ctx.now,
            )
            .await?;
        self.push_channel_changed(ctx, user_id, id).await?;
        self.change_result(ctx, viewer, &write).await
    }

    pub(crate) async fn channels_edit_title(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::EditTitle,
    ) -> Result<enums::Updates, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let change = ChannelChange::EditTitle { title: req.title };
        let write = self
            .messaging
            .change_channel(viewer, id, change, ctx.now)
            .await?;
        self.change_result(ctx, viewer, &write).await
    }

    pub(crate) async fn channels_check_username(
        &self,
        viewer: i64,
        req: functions::channels::CheckUsername,
    ) -> Result<bool, RpcError> {
        let id = match &req.channel {
            enums::InputChannel::InputChannelEmpty(_) => 0,
            other => {
                let id = self.resolve_input_channel(viewer, other)?;
                let view = self.messaging.readable_channel(viewer, id).await?;
                if view.admin_rights() == 0 {
                    return Err(ChannelError::ChatAdminRequired.into());
                }
                id
            }
        };
        Ok(self
            .messaging
            .check_channel_username(id, &req.username)
            .await?)
    }

    pub(crate) async fn channels_update_username(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::UpdateUsername,
    ) -> Result<bool, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let username = clean_username(&req.username)?;
        if let Some(name) = &username {
            if !self.messaging.check_channel_username(id, name).await? {
                return Err(ChannelError::UsernameOccupied.into());
            }
        }
        let write = self
            .messaging
            .change_channel(
                viewer,
                id,
                ChannelChange::UpdateUsername { username },
                ctx.now,
            )
            .await?;
        self.change_result(ctx, viewer, &write).await?;
        Ok(true)
    }

    pub(crate) async fn channels_delete_channel(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::DeleteChannel,
    ) -> Result<enums::Updates, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let write = self
            .messaging
            .change_channel(viewer, id, ChannelChange::Delete, ctx.now)
            .await?;
        self.change_result(ctx, viewer, &write).await
    }
}
