//! Reading and writing posts: `channels.getChannels`, `getFullChannel`,
//! `getParticipants`, `getParticipant`, `readHistory`, `getMessages`,
//! `deleteMessages`, and channel peers in `messages.sendMessage` and
//! `messages.getHistory`.

use chappe_core::messaging::channels::ChannelView;
use chappe_core::messaging::{HistoryRequest, OutgoingMessage, ParticipantsFilter};
use chappe_store::channels::ChannelChange;
use chappe_store::{MessageRecord, Peer};
use chappe_tl::api::{enums, functions, types};

use super::convert::{channel_message_tl, participant_tl};
use crate::{Api, RequestContext, RpcError};

fn count_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Api {
    /// `messages.channelMessages` for one viewer.
    async fn channel_messages_result(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        view: &ChannelView,
        messages: &[MessageRecord],
        count: usize,
    ) -> Result<enums::messages::Messages, RpcError> {
        let users = self.users_of_messages(viewer, messages, ctx.now).await?;
        let pts = self.messaging.channel_pts(view.channel.id).await?;
        Ok(enums::messages::Messages::ChannelMessages(
            types::messages::ChannelMessages {
                inexact: false,
                pts,
                count: count_i32(count.max(messages.len())),
                offset_id_offset: None,
                messages: messages
                    .iter()
                    .map(|m| channel_message_tl(m, viewer, view.channel.broadcast))
                    .collect(),
                topics: Vec::new(),
                chats: vec![self.channel_view_tl(viewer, view)],
                users,
            },
        ))
    }

    /// `messages.getHistory` of a channel.
    pub(crate) async fn channel_get_history(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        channel_id: i64,
        req: HistoryRequest,
    ) -> Result<enums::messages::Messages, RpcError> {
        let (view, page) = self
            .messaging
            .channel_history(viewer, channel_id, req)
            .await?;
        self.channel_messages_result(ctx, viewer, &view, &page.messages, page.count)
            .await
    }

    /// `messages.search` in a channel.
    pub(crate) async fn channel_search(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        channel_id: i64,
        req: &chappe_core::messaging::SearchRequest,
        also: &(dyn Fn(&MessageRecord) -> bool + Sync),
    ) -> Result<enums::messages::Messages, RpcError> {
        let (view, page) = self
            .messaging
            .search_channel(viewer, channel_id, req, also)
            .await?;
        self.channel_messages_result(ctx, viewer, &view, &page.messages, page.count)
            .await
    }

    /// `messages.sendMessage` to a channel: store once, push to online
    /// members, answer the author.
    pub(crate) async fn channel_send_message(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        channel_id: i64,
        outgoing: OutgoingMessage,
    ) -> Result<enums::Updates, RpcError> {
        let random_id = outgoing.random_id;
        let write = self
            .messaging
            .send_channel(viewer, channel_id, outgoing, ctx.now)
            .await?;
        let copy = write.message.as_ref().ok_or_else(RpcError::internal)?;
        if !write.duplicate {
            self.push_post(ctx, viewer, &write.channel, copy).await?;
        }
        let view = ChannelView {
            channel: write.channel.clone(),
            participant: write.participant.clone(),
        };
        self.post_result(ctx, viewer, &view, copy, random_id, Vec::new())
            .await
    }

    pub(crate) async fn channels_get_channels(
        &self,
        viewer: i64,
        req: functions::channels::GetChannels,
    ) -> Result<enums::messages::Chats, RpcError> {
        let mut ids = Vec::with_capacity(req.id.len());
        for input in &req.id {
            ids.push(self.resolve_input_channel(viewer, input)?);
        }
        Ok(enums::messages::Chats::Chats(types::messages::Chats {
            chats: self.channels_seen_by(viewer, &ids).await?,
        }))
    }

    pub(crate) async fn channels_get_full_channel(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::GetFullChannel,
    ) -> Result<enums::messages::ChatFull, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let view = self.messaging.readable_channel(viewer, id).await?;
        let pts = self.messaging.channel_pts(id).await?;
        let dialog = self
            .messaging
            .peer_dialogs(viewer, &[Peer::Channel(id)])
            .await?
            .dialogs
            .into_iter()
            .next();
        // Boxed, as every extra await here grows `Api::handle`'s future.
        let migrated = Box::pin(self.messaging.channel_migrated_from(viewer, id)).await?;
        let is_admin = view.admin_rights() != 0;
        let c = &view.channel;
        let full = types::ChannelFull {
            can_view_participants: !c.broadcast || is_admin,
            can_set_username: view.is_creator(),
            can_set_stickers: false,
            hidden_prehistory: false,
            can_set_location: false,
            has_scheduled: false,
            can_view_stats: false,
            blocked: false,
            can_delete_channel: view.is_creator(),
            antispam: false,
            participants_hidden: false,
            translations_disabled: false,
            stories_pinned_available: false,
            view_forum_as_messages: false,
            restricted_sponsored: false,
            can_view_revenue: false,
            paid_media_allowed: false,
            can_view_stars_revenue: false,
            paid_reactions_available: false,
            stargifts_available: false,
            paid_messages_available: false,
            has_welcome_messages: false,
            id,
            about: c.about.clone(),
            participants_count: Some(c.participants_count),
            admins_count: None,
            kicked_count: None,
            banned_count: None,
            online_count: None,
            read_inbox_max_id: dialog.as_ref().map_or(0, |d| d.read_inbox_max_id),
            read_outbox_max_id: dialog.as_ref().map_or(0, |d| d.read_outbox_max_id),
            unread_count: dialog.as_ref().map_or(0, |d| d.unread_count),
            chat_photo: enums::Photo::PhotoEmpty(types::PhotoEmpty { id: 0 }),
            notify_settings: enums::PeerNotifySettings::PeerNotifySettings(
                types::PeerNotifySettings::default(),
            ),
            exported_invite: None,
            bot_info: Vec::new(),
            migrated_from_chat_id: migrated.map(|m| m.chat_id),
            migrated_from_max_id: migrated.map(|m| m.max_id),
            pinned_msg_id: None,
            stickerset: None,
            available_min_id: None,
            folder_id: None,
            linked_chat_id: None,
            location: None,
            slowmode_seconds: None,
            slowmode_next_send_date: None,
            stats_dc: None,
            pts,
            call: None,
            ttl_period: None,
            pending_suggestions: None,
            groupcall_default_join_as: None,
            theme_emoticon: None,
            requests_pending: None,
            recent_requesters: None,
            default_send_as: None,
            available_reactions: None,
            reactions_limit: None,
            stories: None,
            wallpaper: None,
            boosts_applied: None,
            boosts_unrestrict: None,
            emojiset: None,
            bot_verification: None,
            stargifts_count: None,
            send_paid_messages_stars: None,
            main_tab: None,
            guard_bot_id: None,
        };
        let mut chats = vec![self.channel_view_tl(viewer, &view)];
        if let Some(m) = migrated {
            // Clients show the old group's history above the supergroup's.
            chats.extend(Box::pin(self.chats_seen_by(viewer, &[m.chat_id])).await?);
        }
        Ok(enums::messages::ChatFull::ChatFull(
            types::messages::ChatFull {
                full_chat: enums::ChatFull::ChannelFull(full),
                chats,
                users: self.users_seen_by(viewer, &[], ctx.now).await?,
            },
        ))
    }

    pub(crate) async fn channels_get_participants(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::GetParticipants,
    ) -> Result<enums::channels::ChannelParticipants, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let filter = match req.filter {
            enums::ChannelParticipantsFilter::ChannelParticipantsRecent(_) => {
                ParticipantsFilter::Recent
            }
            enums::ChannelParticipantsFilter::ChannelParticipantsAdmins(_) => {
                ParticipantsFilter::Admins
            }
            enums::ChannelParticipantsFilter::ChannelParticipantsKicked(_) => {
                ParticipantsFilter::Kicked
            }
            enums::ChannelParticipantsFilter::ChannelParticipantsBanned(_) => {
                ParticipantsFilter::Banned
            }
            enums::ChannelParticipantsFilter::ChannelParticipantsSearch(s) if s.q.is_empty() => {
                ParticipantsFilter::Recent
            }
            enums::ChannelParticipantsFilter::ChannelParticipantsSearch(s) => {
                ParticipantsFilter::Search(s.q)
            }
            _ => return Err(RpcError::method_not_implemented()),
        };
        let offset = usize::try_from(req.offset).unwrap_or(0);
        let limit = usize::try_from(req.limit).unwrap_or(0);
        let (view, page) = self
            .messaging
            .channel_participants(viewer, id, filter, offset, limit)
            .await?;
        let ids: Vec<i64> = page.participants.iter().map(|p| p.user_id).collect();
        Ok(enums::channels::ChannelParticipants::ChannelParticipants(
            types::channels::ChannelParticipants {
                count: count_i32(page.count),
                participants: page
                    .participants
                    .iter()
                    .map(|p| participant_tl(&view.channel, p, viewer))
                    .collect(),
                chats: Vec::new(),
                users: self.users_seen_by(viewer, &ids, ctx.now).await?,
            },
        ))
    }

    pub(crate) async fn channels_get_participant(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::GetParticipant,
    ) -> Result<enums::channels::ChannelParticipant, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let user = match self.resolve_peer(viewer, &req.participant)? {
            Peer::User(user) => user,
            _ => return Err(RpcError::bad_request("PARTICIPANT_ID_INVALID")),
        };
        let (view, p) = self.messaging.channel_participant(viewer, id, user).await?;
        Ok(enums::channels::ChannelParticipant::ChannelParticipant(
            types::channels::ChannelParticipant {
                participant: participant_tl(&view.channel, &p, viewer),
                chats: Vec::new(),
                users: self.users_seen_by(viewer, &[user], ctx.now).await?,
            },
        ))
    }

    pub(crate) async fn channels_read_history(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::ReadHistory,
    ) -> Result<bool, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let max_id = self
            .messaging
            .read_channel_history(viewer, id, req.max_id, ctx.now)
            .await?;
        // The reader's other sessions move their read mark too.
        let pts = self.messaging.channel_pts(id).await?;
        let top = self.messaging.channel_top_id(id).await?;
        let update = enums::Update::UpdateReadChannelInbox(types::UpdateReadChannelInbox {
            folder_id: None,
            channel_id: id,
            max_id,
            still_unread_count: top.saturating_sub(max_id).max(0),
            pts,
        });
        let updates = enums::Updates::Updates(types::Updates {
            updates: vec![update],
            users: Vec::new(),
            chats: Vec::new(),
            date: crate::convert::clamp_date(ctx.now),
            seq: 0,
        });
        self.fanout
            .to_user(viewer, &updates, Some(super::own_session(ctx)));
        Ok(true)
    }

    pub(crate) async fn channels_get_messages(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::GetMessages,
    ) -> Result<enums::messages::Messages, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let mut ids = Vec::with_capacity(req.id.len());
        for input in &req.id {
            match input {
                enums::InputMessage::InputMessageId(m) => ids.push(m.id),
                _ => return Err(RpcError::method_not_implemented()),
            }
        }
        let (view, messages) = self.messaging.channel_messages(viewer, id, &ids).await?;
        self.channel_messages_result(ctx, viewer, &view, &messages, messages.len())
            .await
    }

    pub(crate) async fn channels_delete_messages(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::channels::DeleteMessages,
    ) -> Result<enums::messages::AffectedMessages, RpcError> {
        let id = self.resolve_input_channel(viewer, &req.channel)?;
        let change = ChannelChange::DeleteMessages { ids: req.id };
        let write = self
            .messaging
            .change_channel(viewer, id, change, ctx.now)
            .await?;
        let entry = write.entry.as_ref().ok_or_else(RpcError::internal)?;
        self.push_channel_deleted(ctx, viewer, &write.channel, entry)
            .await?;
        Ok(enums::messages::AffectedMessages::AffectedMessages(
            types::messages::AffectedMessages {
                pts: entry.pts,
                pts_count: entry.pts_count,
            },
        ))
    }
}
