//! The `channels` namespace: supergroups and channels.

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{layered, Api, RequestContext};

impl Api {
    pub(super) fn dispatch_channels<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::ChannelsCreateChannel(req) => {
                answer!(self.channels_create_channel(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsInviteToChannel(req) => Box::pin(async move {
                ok(layered::invited_users(
                    self.channels_invite_to_channel(ctx, viewer(ctx)?, req)
                        .await?,
                ))
            }),
            Request::ChannelsJoinChannel(req) => Box::pin(async move {
                ok(layered::join_result(
                    self.channels_join_channel(ctx, viewer(ctx)?, req).await?,
                ))
            }),
            Request::ChannelsLeaveChannel(req) => {
                answer!(self.channels_leave_channel(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsGetChannels(req) => {
                answer!(self.channels_get_channels(viewer(ctx)?, req))
            }
            Request::ChannelsGetFullChannel(req) => {
                answer!(self.channels_get_full_channel(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsGetParticipants(req) => {
                answer!(self.channels_get_participants(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsGetParticipant(req) => {
                answer!(self.channels_get_participant(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsEditAdmin(req) => {
                answer!(self.channels_edit_admin(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsEditBanned(req) => {
                answer!(self.channels_edit_banned(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsEditTitle(req) => {
                answer!(self.channels_edit_title(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsCheckUsername(req) => {
                answer!(self.channels_check_username(viewer(ctx)?, req))
            }
            Request::ChannelsUpdateUsername(req) => {
                answer!(self.channels_update_username(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsDeleteChannel(req) => {
                answer!(self.channels_delete_channel(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsDeleteMessages(req) => {
                answer!(self.channels_delete_messages(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsReadHistory(req) => {
                answer!(self.channels_read_history(ctx, viewer(ctx)?, req))
            }
            Request::ChannelsGetMessages(req) => {
                answer!(self.channels_get_messages(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
