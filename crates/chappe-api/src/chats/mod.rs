//! Basic groups (Telegram's "chats"): `messages.createChat`,
//! `addChatUser`, `deleteChatUser`, `editChatTitle`, `editChatAdmin`,
//! `getChats`, `getFullChat`, and group peers in sending and reading.
//!
//! Every write is stored first (one transaction puts the message in every
//! member's box, see `chappe_store::chats`); then the caller's result is
//! built from their copy and every other member's live sessions get theirs.

pub(crate) mod convert;
mod manage;
mod migrate;
mod read;
mod send;

use chappe_core::messaging::chats::{referenced_chats, ChatError};
use chappe_store::chats::ChatWrite;
use chappe_store::{MessageRecord, StoredCopy};
use chappe_tl::api::{enums, types};

use self::convert::{chat_tl_for, participants_tl, view_after};
use crate::convert::clamp_date;
use crate::messages::convert::message_tl;
use crate::{Api, RequestContext, RpcError, SessionRef};

impl From<ChatError> for RpcError {
    fn from(error: ChatError) -> Self {
        let (code, name) = error.rpc_name();
        if code >= 500 {
            tracing::error!(%error, "basic group operation failed");
        }
        RpcError::new(code, name)
    }
}

/// The caller's own session, which gets its updates in the RPC result.
fn own_session(ctx: &RequestContext) -> SessionRef {
    SessionRef {
        auth_key_id: ctx.auth_key_id,
        session_id: ctx.session_id,
    }
}

/// What a group write tells each member besides the new message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extra {
    None,
    /// The member list changed: `updateChatParticipants` follows.
    Participants,
}

impl Api {
    /// The groups among `ids` as `viewer` sees them (unknown ones left out).
    pub(crate) async fn chats_seen_by(
        &self,
        viewer: i64,
        ids: &[i64],
    ) -> Result<Vec<enums::Chat>, RpcError> {
        let views = self.messaging.chat_views(viewer, ids).await?;
        let hashes = self.accounts.access_hashes();
        Ok(views
            .iter()
            .map(|v| chat_tl_for(hashes, viewer, v))
            .collect())
    }

    /// The groups the messages belong to, as `viewer` sees them.
    pub(crate) async fn chats_of_messages(
        &self,
        viewer: i64,
        messages: &[MessageRecord],
    ) -> Result<Vec<enums::Chat>, RpcError> {
        let mut chats = self
            .chats_seen_by(viewer, &referenced_chats(messages))
            .await?;
        let mut channel_ids = Vec::new();
        for m in messages {
            if let chappe_store::Peer::Channel(id) = m.peer {
                if !channel_ids.contains(&id) {
                    channel_ids.push(id);
                }
            }
        }
        chats.extend(self.channels_seen_by(viewer, &channel_ids).await?);
        Ok(chats)
    }

    /// The groups a difference names: in its messages and its read entries.
    pub(crate) async fn chats_of_difference(
        &self,
        viewer: i64,
        messages: &[MessageRecord],
        entries: &[chappe_store::UpdateEntry],
    ) -> Result<Vec<enums::Chat>, RpcError> {
        let mut ids = referenced_chats(messages);
        for entry in entries {
            let peer = match &entry.kind {
                chappe_store::UpdateKind::ReadHistoryInbox { peer, .. }
                | chappe_store::UpdateKind::ReadHistoryOutbox { peer, .. } => *peer,
                _ => continue,
            };
            if let chappe_store::Peer::Chat(id) = peer {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        self.chats_seen_by(viewer, &ids).await
    }

    /// The groups a page of the chat list shows, as `viewer` sees them.
    pub(crate) async fn chats_of_dialogs(
        &self,
        viewer: i64,
        page: &chappe_core::messaging::DialogsPage,
    ) -> Result<Vec<enums::Chat>, RpcError> {
        let ids: Vec<i64> = page
            .dialogs
            .iter()
            .filter_map(|d| match d.peer {
                chappe_store::Peer::Chat(id) => Some(id),
                chappe_store::Peer::User(_) | chappe_store::Peer::Channel(_) => None,
            })
            .collect();
        let mut chats = self.chats_seen_by(viewer, &ids).await?;
        let channel_ids: Vec<i64> = page
            .dialogs
            .iter()
            .filter_map(|d| match d.peer {
                chappe_store::Peer::Channel(id) => Some(id),
                _ => None,
            })
            .collect();
        chats.extend(self.channels_seen_by(viewer, &channel_ids).await?);
        Ok(chats)
    }

    /// The `updates` one member gets for their copy of a group write.
    async fn write_updates(
        &self,
        ctx: &RequestContext,
        write: &ChatWrite,
        copy: &StoredCopy,
        extra: Extra,
        random_id: Option<i64>,
    ) -> Result<enums::Updates, RpcError> {
        let owner = copy.message.owner;
        let view = view_after(write, owner, Some(copy));
        let mut updates = Vec::new();
        if let Some(random_id) = random_id {
            updates.push(enums::Update::UpdateMessageId(types::UpdateMessageId {
                id: copy.message.id,
                random_id,
            }));
        }
        updates.push(enums::Update::UpdateNewMessage(types::UpdateNewMessage {
            message: message_tl(&copy.message),
            pts: copy.pts,
            pts_count: 1,
        }));
        let mut user_ids = chappe_core::messaging::referenced_users([&copy.message]);
        if extra == Extra::Participants {
            updates.push(enums::Update::UpdateChatParticipants(
                types::UpdateChatParticipants {
                    participants: participants_tl(&view),
                },
            ));
            user_ids.extend(view.participants.iter().map(|p| p.user_id));
        }
        let users = self.users_seen_by(owner, &user_ids, ctx.now).await?;
        Ok(enums::Updates::Updates(types::Updates {
            updates,
            users,
            chats: vec![chat_tl_for(self.accounts.access_hashes(), owner, &view)],
            date: clamp_date(ctx.now),
            seq: 0,
        }))
    }

    /// Pushes a committed write to every member's live sessions and answers
    /// the caller's `updates` (their copy comes first in the write).
    pub(crate) async fn deliver_write(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        write: &ChatWrite,
        extra: Extra,
    ) -> Result<enums::Updates, RpcError> {
        let mut result = None;
        for copy in &write.copies {
            let updates = self.write_updates(ctx, write, copy, extra, None).await?;
            if copy.message.owner == viewer {
                self.fanout
                    .to_user(viewer, &updates, Some(own_session(ctx)));
                result = Some(updates);
            } else {
                self.fanout.to_user(copy.message.owner, &updates, None);
            }
        }
        result.ok_or_else(RpcError::internal)
    }
}
