//! `messages.editMessage` on a channel peer: the post is rewritten once in
//! the channel box (see `chappe_store::channel_edit`), then every online
//! member gets `updateEditChannelMessage`; the others read it from the
//! channel's log with `updates.getChannelDifference`.

use chappe_store::channels::ChannelRecord;
use chappe_store::MessageRecord;
use chappe_tl::api::{enums, types};

use super::convert::channel_message_tl;
use crate::{Api, RequestContext, RpcError};

/// An edited post as `viewer` sees it.
pub(crate) fn edit_channel_update(
    message: &MessageRecord,
    pts: i32,
    viewer: i64,
    channel: &ChannelRecord,
) -> enums::Update {
    enums::Update::UpdateEditChannelMessage(types::UpdateEditChannelMessage {
        message: channel_message_tl(message, viewer, channel.broadcast),
        pts,
        pts_count: 1,
    })
}

impl Api {
    /// Edits post `id` of the channel for `viewer` and pushes the change;
    /// `text` and `entities` are kept when `None`.
    pub(crate) async fn channel_edit_message(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        channel_id: i64,
        id: i32,
        text: Option<String>,
        entities: Option<Vec<u8>>,
    ) -> Result<enums::Updates, RpcError> {
        let (channel, copy) = self
            .messaging
            .edit_channel(viewer, channel_id, id, text, entities, ctx.now)
            .await?;
        let users = [copy.message.from_id];
        // The push runs after the answer, so it owns what it shows.
        let (pushed, record) = (copy.clone(), channel.clone());
        self.push_to_online(ctx, viewer, &channel, &users, move |user| {
            edit_channel_update(&pushed.message, pushed.pts, user, &record)
        })
        .await?;
        let participant = self
            .store
            .channel_participant(channel_id, viewer)
            .await
            .map_err(chappe_core::MessagingError::from)?;
        let view = chappe_core::messaging::channels::ChannelView {
            channel: channel.clone(),
            participant,
        };
        let update = edit_channel_update(&copy.message, copy.pts, viewer, &channel);
        self.channel_updates(ctx, viewer, &view, vec![update], &users)
            .await
    }
}
