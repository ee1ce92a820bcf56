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
                Box::pin(
                    async move { ok(self.channels_create_channel(ctx, viewer(ctx)?, req).await?) },
                )
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
                Box::pin(
                    async move { ok(self.channels_leave_channel(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::ChannelsGetChannels(req) => {
                Box::pin(async move { ok(self.channels_get_channels(viewer(ctx)?, req).await?) })
            }
            Request::ChannelsGetFullChannel(req) => Box::pin(async move {
                ok(self
                    .channels_get_full_channel(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::ChannelsGetParticipants(req) => Box::pin(async move {
                ok(self
                    .channels_get_participants(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::ChannelsGetParticipant(req) => Box::pin(async move {
                ok(self
                    .channels_get_participant(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::ChannelsEditAdmin(req) => {
                Box::pin(async move { ok(self.channels_edit_admin(ctx, viewer(ctx)?, req).await?) })
            }
            Request::ChannelsEditBanned(req) => {
                Box::pin(
                    async move { ok(self.channels_edit_banned(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::ChannelsEditTitle(req) => {
                Box::pin(async move { ok(self.channels_edit_title(ctx, viewer(ctx)?, req).await?) })
            }
            Request::ChannelsCheckUsername(req) => {
                Box::pin(async move { ok(self.channels_check_username(viewer(ctx)?, req).await?) })
            }
            Request::ChannelsUpdateUsername(req) => Box::pin(async move {
                ok(self
                    .channels_update_username(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::ChannelsDeleteChannel(req) => {
                Box::pin(
                    async move { ok(self.channels_delete_channel(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::ChannelsDeleteMessages(req) => Box::pin(async move {
                ok(self
                    .channels_delete_messages(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::ChannelsReadHistory(req) => {
                Box::pin(
                    async move { ok(self.channels_read_history(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::ChannelsGetMessages(req) => {
                Box::pin(
                    async move { ok(self.channels_get_messages(ctx, viewer(ctx)?, req).await?) },
                )
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
