//! Reading: `messages.getHistory`, `getDialogs`, `getPeerDialogs`,
//! `getMessages` and `readHistory`.

use chappe_core::messaging::{DialogsPage, DialogsRequest, HistoryRequest};
use chappe_store::{MessageRecord, Peer};
use chappe_tl::api::{enums, functions, types};

use super::convert::{dialog_tl, message_tl};
use super::own_session;
use crate::convert::clamp_date;
use crate::{Api, RequestContext, RpcError};

fn count_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Api {
    async fn messages_result(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        messages: Vec<MessageRecord>,
        count: Option<usize>,
    ) -> Result<enums::messages::Messages, RpcError> {
        let users = self.users_of_messages(viewer, &messages, ctx.now).await?;
        let chats = self.chats_of_messages(viewer, &messages).await?;
        let list = messages.iter().map(message_tl).collect();
        Ok(match count {
            Some(count) if count > messages.len() => {
                enums::messages::Messages::MessagesSlice(types::messages::MessagesSlice {
                    inexact: false,
                    count: count_i32(count),
                    next_rate: None,
                    offset_id_offset: None,
                    search_flood: None,
                    messages: list,
                    topics: Vec::new(),
                    chats: chats.clone(),
                    users,
                })
            }
            _ => enums::messages::Messages::Messages(types::messages::Messages {
                messages: list,
                topics: Vec::new(),
                chats,
                users,
            }),
        })
    }

    pub(crate) async fn messages_get_history(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetHistory,
    ) -> Result<enums::messages::Messages, RpcError> {
        let peer = self.resolve_peer(viewer, &req.peer)?;
        let history = HistoryRequest {
            offset_id: req.offset_id,
            offset_date: i64::from(req.offset_date),
            add_offset: req.add_offset,
            limit: req.limit,
            max_id: req.max_id,
            min_id: req.min_id,
        };
        if let Peer::Channel(id) = peer {
            return self.channel_get_history(ctx, viewer, id, history).await;
        }
        let page = self.messaging.history(viewer, peer, history).await?;
        self.messages_result(ctx, viewer, page.messages, Some(page.count))
            .await
    }

    pub(crate) async fn messages_get_messages(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetMessages,
    ) -> Result<enums::messages::Messages, RpcError> {
        // Replies, pins and callback queries need more than a box lookup;
        // they are left out rather than guessed.
        let ids: Vec<i32> = req
            .id
            .iter()
            .filter_map(|input| match input {
                enums::InputMessage::InputMessageId(m) => Some(m.id),
                _ => None,
            })
            .collect();
        let messages = self.messaging.messages(viewer, &ids).await?;
        self.messages_result(ctx, viewer, messages, None).await
    }

    pub(crate) async fn dialogs_parts(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        page: &DialogsPage,
    ) -> Result<(Vec<enums::Dialog>, Vec<enums::Message>, Vec<enums::User>), RpcError> {
        let mut user_ids: Vec<i64> = page
            .dialogs
            .iter()
            .filter_map(|d| match d.peer {
                Peer::User(id) => Some(id),
                Peer::Chat(_) | Peer::Channel(_) => None,
            })
            .collect();
        user_ids.extend(chappe_core::messaging::referenced_users(&page.messages));
        let users = self.users_seen_by(viewer, &user_ids, ctx.now).await?;
        let mut dialogs: Vec<enums::Dialog> = page.dialogs.iter().map(dialog_tl).collect();
        super::chat_list::decorate_dialogs(page, &mut dialogs);
        let mut messages: Vec<enums::Message> = page.messages.iter().map(message_tl).collect();
        self.channel_dialog_parts(viewer, page, &mut dialogs, &mut messages)
            .await?;
        Ok((dialogs, messages, users))
    }

    pub(crate) async fn messages_get_dialogs(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetDialogs,
    ) -> Result<enums::messages::Dialogs, RpcError> {
        // Folders (archive) are not kept yet: everything is in folder 0.
        if req.folder_id.is_some_and(|f| f != 0) {
            return Ok(enums::messages::Dialogs::Dialogs(
                types::messages::Dialogs {
                    dialogs: Vec::new(),
                    messages: Vec::new(),
                    chats: Vec::new(),
                    users: Vec::new(),
                },
            ));
        }
        let offset_peer = match &req.offset_peer {
            enums::InputPeer::InputPeerEmpty(_) => None,
            other => self.resolve_peer(viewer, other).ok(),
        };
        let page = self
            .messaging
            .dialogs(
                viewer,
                DialogsRequest {
                    offset_date: i64::from(req.offset_date),
                    offset_id: req.offset_id,
                    offset_peer,
                    limit: req.limit,
                    exclude_pinned: req.exclude_pinned,
                },
            )
            .await?;
        let (dialogs, messages, users) = self.dialogs_parts(ctx, viewer, &page).await?;
        let chats = self.chats_of_dialogs(viewer, &page).await?;
        Ok(if page.count > dialogs.len() {
            enums::messages::Dialogs::DialogsSlice(types::messages::DialogsSlice {
                count: count_i32(page.count),
                dialogs,
                messages,
                chats,
                users,
            })
        } else {
            enums::messages::Dialogs::Dialogs(types::messages::Dialogs {
                dialogs,
                messages,
                chats,
                users,
            })
        })
    }

    pub(crate) async fn messages_get_peer_dialogs(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetPeerDialogs,
    ) -> Result<enums::messages::PeerDialogs, RpcError> {
        let mut peers = Vec::new();
        for input in &req.peers {
            match input {
                enums::InputDialogPeer::InputDialogPeer(p) => {
                    peers.push(self.resolve_peer(viewer, &p.peer)?);
                }
                _ => return Err(RpcError::bad_request("PEER_ID_INVALID")),
            }
        }
        let page = self.messaging.peer_dialogs(viewer, &peers).await?;
        let (dialogs, messages, users) = self.dialogs_parts(ctx, viewer, &page).await?;
        let chats = self.chats_of_dialogs(viewer, &page).await?;
        let state = self.updates_state(ctx, viewer).await?;
        Ok(enums::messages::PeerDialogs::PeerDialogs(
            types::messages::PeerDialogs {
                dialogs,
                messages,
                chats,
                users,
                state,
            },
        ))
    }

    pub(crate) async fn messages_read_history(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::ReadHistory,
    ) -> Result<enums::messages::AffectedMessages, RpcError> {
        let peer = self.resolve_peer(viewer, &req.peer)?;
        if let Peer::Chat(chat_id) = peer {
            return self.read_chat(ctx, viewer, chat_id, req.max_id).await;
        }
        if let Peer::Channel(_) = peer {
            // Channels are read with channels.readHistory, as on Telegram.
            return Err(super::peer_id_invalid());
        }
        let outcome = self
            .messaging
            .read_history(viewer, peer, req.max_id, ctx.now)
            .await?;
        let date = clamp_date(ctx.now);
        if let Some(entry) = &outcome.reader {
            if let Some(update) = super::convert::entry_update(entry) {
                let users = self.users_seen_by(viewer, &[peer.key()], ctx.now).await?;
                let updates = enums::Updates::Updates(types::Updates {
                    updates: vec![update],
                    users,
                    chats: Vec::new(),
                    date,
                    seq: 0,
                });
                self.fanout
                    .to_user(viewer, &updates, Some(own_session(ctx)));
            }
        }
        if let Some((other, entry)) = &outcome.other {
            if let Some(update) = super::convert::entry_update(entry) {
                let users = self.users_seen_by(*other, &[viewer], ctx.now).await?;
                let updates = enums::Updates::Updates(types::Updates {
                    updates: vec![update],
                    users,
                    chats: Vec::new(),
                    date,
                    seq: 0,
                });
                self.fanout.to_user(*other, &updates, None);
            }
        }
        Ok(enums::messages::AffectedMessages::AffectedMessages(
            types::messages::AffectedMessages {
                pts: outcome.reader_pts,
                pts_count: i32::from(outcome.reader.is_some()),
            },
        ))
    }
}
