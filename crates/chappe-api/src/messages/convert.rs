//! Messaging records to TL for one viewer (the box owner).
//!
//! Entities are kept by the store as the TL serialization of
//! `Vector<MessageEntity>` made here: there are dozens of entity kinds and
//! TL already defines them, so a core enum would only copy the schema; the
//! core and the store never look inside the blob.

use chappe_core::messaging::referenced_users;
use chappe_store::{DialogRecord, MessageRecord, Peer, UpdateEntry, UpdateKind};
use chappe_tl::api::{enums, types};
use chappe_tl::{Deserializable, Serializable};

use crate::convert::{clamp_date, user_for};
use crate::{Api, RpcError};

pub(crate) fn peer_tl(peer: Peer) -> enums::Peer {
    match peer {
        Peer::User(user_id) => enums::Peer::PeerUser(types::PeerUser { user_id }),
        Peer::Chat(chat_id) => enums::Peer::PeerChat(types::PeerChat { chat_id }),
        Peer::Channel(channel_id) => enums::Peer::PeerChannel(types::PeerChannel { channel_id }),
    }
}

/// Entities as stored (empty for none).
pub(crate) fn entities_blob(entities: &Option<Vec<enums::MessageEntity>>) -> Vec<u8> {
    match entities {
        Some(list) if !list.is_empty() => list.to_bytes(),
        _ => Vec::new(),
    }
}

/// Stored entities back to TL. A blob that does not decode (written by an
/// incompatible version) shows the message without formatting.
pub(crate) fn entities_tl(blob: &[u8]) -> Option<Vec<enums::MessageEntity>> {
    if blob.is_empty() {
        return None;
    }
    match Vec::<enums::MessageEntity>::from_bytes(blob) {
        Ok(list) => Some(list),
        Err(error) => {
            tracing::warn!(%error, "stored message entities do not decode");
            None
        }
    }
}

pub(crate) fn reply_header(reply_to: Option<i32>) -> Option<enums::MessageReplyHeader> {
    reply_to.map(|id| {
        enums::MessageReplyHeader::MessageReplyHeader(types::MessageReplyHeader {
            reply_to_msg_id: Some(id),
            ..types::MessageReplyHeader::default()
        })
    })
}

pub(crate) fn message_tl(m: &MessageRecord) -> enums::Message {
    if let Some(action) = &m.action {
        return crate::chats::convert::service_message_tl(m, action);
    }
    enums::Message::Message(types::Message {
        out: m.out,
        mentioned: false,
        media_unread: false,
        silent: m.silent,
        post: false,
        from_scheduled: false,
        legacy: false,
        edit_hide: false,
        pinned: false,
        noforwards: false,
        invert_media: false,
        offline: false,
        video_processing_pending: false,
        paid_suggested_post_stars: false,
        paid_suggested_post_ton: false,
        id: m.id,
        // Group messages always name their sender, even for the sender.
        from_id: (!m.out || matches!(m.peer, Peer::Chat(_) | Peer::Channel(_)))
            .then(|| peer_tl(Peer::User(m.from_id))),
        from_boosts_applied: None,
        from_rank: None,
        peer_id: peer_tl(m.peer),
        saved_peer_id: None,
        fwd_from: m.fwd_from.map(super::edit::fwd_header_tl),
        via_bot_id: None,
        via_business_bot_id: None,
        guestchat_via_from: None,
        reply_to: reply_header(m.reply_to),
        date: clamp_date(m.date),
        message: m.text.clone(),
        media: None,
        reply_markup: None,
        entities: entities_tl(&m.entities),
        views: None,
        forwards: None,
        replies: None,
        edit_date: m.edit_date.map(clamp_date),
        post_author: None,
        grouped_id: None,
        reactions: None,
        restriction_reason: None,
        ttl_period: None,
        quick_reply_shortcut_id: None,
        effect: None,
        factcheck: None,
        report_delivery_until_date: None,
        paid_message_stars: None,
        suggested_post: None,
        schedule_repeat_period: None,
        summary_from_language: None,
        rich_message: None,
    })
}

pub(crate) fn dialog_tl(d: &DialogRecord) -> enums::Dialog {
    enums::Dialog::Dialog(types::Dialog {
        pinned: false,
        unread_mark: false,
        view_forum_as_messages: false,
        peer: peer_tl(d.peer),
        top_message: d.top_message,
        read_inbox_max_id: d.read_inbox_max_id,
        read_outbox_max_id: d.read_outbox_max_id,
        unread_count: d.unread_count,
        unread_mentions_count: 0,
        unread_reactions_count: 0,
        unread_poll_votes_count: 0,
        notify_settings: enums::PeerNotifySettings::PeerNotifySettings(
            types::PeerNotifySettings::default(),
        ),
        pts: None,
        draft: None,
        folder_id: None,
        ttl_period: None,
    })
}

/// A log entry other than a new message, as the update it stands for.
pub(crate) fn entry_update(entry: &UpdateEntry) -> Option<enums::Update> {
    match &entry.kind {
        // Both need the message itself: see `updates.rs`.
        UpdateKind::NewMessage { .. } | UpdateKind::EditMessage { .. } => None,
        UpdateKind::DeleteMessages { ids } => Some(enums::Update::UpdateDeleteMessages(
            types::UpdateDeleteMessages {
                messages: ids.clone(),
                pts: entry.pts,
                pts_count: entry.pts_count,
            },
        )),
        UpdateKind::ReadHistoryInbox {
            peer,
            max_id,
            still_unread,
        } => Some(enums::Update::UpdateReadHistoryInbox(
            types::UpdateReadHistoryInbox {
                folder_id: None,
                peer: peer_tl(*peer),
                top_msg_id: None,
                max_id: *max_id,
                still_unread_count: *still_unread,
                pts: entry.pts,
                pts_count: entry.pts_count,
            },
        )),
        UpdateKind::ReadHistoryOutbox { peer, max_id } => Some(
            enums::Update::UpdateReadHistoryOutbox(types::UpdateReadHistoryOutbox {
                peer: peer_tl(*peer),
                max_id: *max_id,
                pts: entry.pts,
                pts_count: entry.pts_count,
            }),
        ),
    }
}

/// The user ids an update entry names besides messages.
pub(crate) fn entry_users(entry: &UpdateEntry) -> Option<i64> {
    match entry.kind {
        UpdateKind::NewMessage { .. }
        | UpdateKind::EditMessage { .. }
        | UpdateKind::DeleteMessages { .. } => None,
        UpdateKind::ReadHistoryInbox {
            peer: Peer::User(id),
            ..
        }
        | UpdateKind::ReadHistoryOutbox {
            peer: Peer::User(id),
            ..
        } => Some(id),
        UpdateKind::ReadHistoryInbox { .. } | UpdateKind::ReadHistoryOutbox { .. } => None,
    }
}

impl Api {
    /// The users `ids` as `viewer` sees them (the service account included).
    pub(crate) async fn users_seen_by(
        &self,
        viewer: i64,
        ids: &[i64],
        now: i64,
    ) -> Result<Vec<enums::User>, RpcError> {
        let users = self.messaging.users(ids).await?;
        Ok(users
            .iter()
            .map(|u| user_for(self.accounts.access_hashes(), viewer, u, now))
            .collect())
    }

    /// The users the messages refer to, as `viewer` sees them.
    pub(crate) async fn users_of_messages(
        &self,
        viewer: i64,
        messages: &[MessageRecord],
        now: i64,
    ) -> Result<Vec<enums::User>, RpcError> {
        self.users_seen_by(viewer, &referenced_users(messages), now)
            .await
    }
}
