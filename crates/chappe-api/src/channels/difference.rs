//! `updates.getChannelDifference`: what changed in a channel box since the
//! client's pts, read from the channel's update log.

use chappe_core::messaging::ChannelDifference;
use chappe_store::{MessageRecord, Peer, UpdateKind};
use chappe_tl::api::{enums, functions, types};

use super::convert::channel_message_tl;
use crate::messages::convert::peer_tl;
use crate::{Api, RequestContext, RpcError};

/// How long (seconds) a client should wait before asking again.
const POLL_TIMEOUT: i32 = 30;

impl Api {
    pub(crate) async fn updates_get_channel_difference(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::updates::GetChannelDifference,
    ) -> Result<enums::updates::ChannelDifference, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        if !matches!(
            req.filter,
            enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty(_)
        ) {
            return Err(RpcError::method_not_implemented());
        }
        let limit = usize::try_from(req.limit).unwrap_or(0);
        let (view, diff) = self
            .messaging
            .channel_difference(viewer, id, req.pts, limit)
            .await?;
        let broadcast = view.channel.broadcast;
        let messages_tl = |messages: &[MessageRecord]| -> Vec<enums::Message> {
            messages
                .iter()
                .map(|m| channel_message_tl(m, viewer, broadcast))
                .collect()
        };
        let chats = vec![self.channel_view_tl(viewer, &view)];
        Ok(match diff {
            ChannelDifference::Empty { pts } => {
                enums::updates::ChannelDifference::ChannelDifferenceEmpty(
                    types::updates::ChannelDifferenceEmpty {
                        r#final: true,
                        pts,
                        timeout: Some(POLL_TIMEOUT),
                    },
                )
            }
            ChannelDifference::Entries {
                entries,
                messages,
                pts,
                complete,
            } => {
                let find = |id: i32| messages.iter().find(|m| m.id == id);
                // Only posts are new; an edited post is its edit update (as
                // it is now), left out when a later delete took it.
                let new_messages = entries
                    .iter()
                    .filter_map(|e| match e.kind {
                        UpdateKind::NewMessage { id } => find(id),
                        _ => None,
                    })
                    .map(|m| channel_message_tl(m, viewer, broadcast))
                    .collect();
                let other_updates = entries
                    .iter()
                    .filter_map(|e| match &e.kind {
                        UpdateKind::EditMessage { id } => find(*id).map(|m| {
                            super::edit::edit_channel_update(m, e.pts, viewer, &view.channel)
                        }),
                        UpdateKind::DeleteMessages { ids } => {
                            Some(enums::Update::UpdateDeleteChannelMessages(
                                types::UpdateDeleteChannelMessages {
                                    channel_id: id,
                                    messages: ids.clone(),
                                    pts: e.pts,
                                    pts_count: e.pts_count,
                                },
                            ))
                        }
                        _ => None,
                    })
                    .collect();
                let users = self.users_of_messages(viewer, &messages, ctx.now).await?;
                enums::updates::ChannelDifference::ChannelDifference(
                    types::updates::ChannelDifference {
                        r#final: complete,
                        pts,
                        timeout: complete.then_some(POLL_TIMEOUT),
                        new_messages,
                        other_updates,
                        chats,
                        users,
                    },
                )
            }
            ChannelDifference::TooLong {
                pts,
                top_message,
                messages,
            } => {
                let dialog = self
                    .messaging
                    .peer_dialogs(viewer, &[Peer::Channel(id)])
                    .await?
                    .dialogs
                    .into_iter()
                    .next();
                let users = self.users_of_messages(viewer, &messages, ctx.now).await?;
                let dialog = types::Dialog {
                    pinned: false,
                    unread_mark: false,
                    view_forum_as_messages: false,
                    peer: peer_tl(Peer::Channel(id)),
                    top_message,
                    read_inbox_max_id: dialog.as_ref().map_or(top_message, |d| d.read_inbox_max_id),
                    read_outbox_max_id: top_message,
                    unread_count: dialog.as_ref().map_or(0, |d| d.unread_count),
                    unread_mentions_count: 0,
                    unread_reactions_count: 0,
                    unread_poll_votes_count: 0,
                    notify_settings: enums::PeerNotifySettings::PeerNotifySettings(
                        types::PeerNotifySettings::default(),
                    ),
                    pts: Some(pts),
                    draft: None,
                    folder_id: None,
                    ttl_period: None,
                };
                enums::updates::ChannelDifference::ChannelDifferenceTooLong(
                    types::updates::ChannelDifferenceTooLong {
                        r#final: true,
                        timeout: Some(POLL_TIMEOUT),
                        dialog: enums::Dialog::Dialog(dialog),
                        messages: messages_tl(&messages),
                        chats,
                        users,
                    },
                )
            }
        })
    }
}
