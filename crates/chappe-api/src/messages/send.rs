//! `messages.sendMessage` and service messages: store first, then push to
//! live sessions.

use chappe_core::messaging::OutgoingMessage;
use chappe_core::Messaging;
use chappe_store::{Peer, StoredCopy};
use chappe_tl::api::{enums, functions, types};

use super::convert::{entities_tl, reply_header};
use super::own_session;
use crate::convert::clamp_date;
use crate::{Api, RequestContext, RpcError, SessionRef, UpdateFanout};

/// A stored copy as the short update its owner's sessions get.
fn short_message(copy: &StoredCopy) -> enums::Updates {
    let m = &copy.message;
    let user_id = match m.peer {
        Peer::User(id) => id,
        // Only private copies come here (groups use updateShortChatMessage).
        Peer::Chat(_) | Peer::Channel(_) => m.from_id,
    };
    enums::Updates::UpdateShortMessage(types::UpdateShortMessage {
        out: m.out,
        mentioned: false,
        media_unread: false,
        silent: m.silent,
        id: m.id,
        user_id,
        message: m.text.clone(),
        pts: copy.pts,
        pts_count: 1,
        date: clamp_date(m.date),
        fwd_from: None,
        via_bot_id: None,
        reply_to: reply_header(m.reply_to),
        entities: entities_tl(&m.entities),
        ttl_period: None,
    })
}

impl Api {
    pub(crate) async fn messages_send_message(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::SendMessage,
    ) -> Result<enums::Updates, RpcError> {
        if req.schedule_date.is_some() || req.send_as.is_some() {
            // Scheduled messages and sending as a channel need boxes chappe
            // does not have yet.
            return Err(RpcError::method_not_implemented());
        }
        let peer = self.resolve_peer(viewer, &req.peer)?;
        let reply_to = match &req.reply_to {
            Some(enums::InputReplyTo::InputReplyToMessage(r)) if r.reply_to_peer_id.is_none() => {
                Some(r.reply_to_msg_id)
            }
            Some(_) => return Err(RpcError::bad_request("REPLY_TO_INVALID")),
            None => None,
        };
        let outgoing = OutgoingMessage {
            text: req.message,
            entities: super::convert::entities_blob(&req.entities),
            random_id: Some(req.random_id),
            reply_to,
            silent: req.silent,
        };
        let to = match peer {
            Peer::User(to) => to,
            Peer::Chat(chat_id) => {
                return self.send_to_chat(ctx, viewer, chat_id, outgoing).await;
            }
            Peer::Channel(channel_id) => {
                return self
                    .channel_send_message(ctx, viewer, channel_id, outgoing)
                    .await;
            }
        };
        let sent = self
            .messaging
            .send_private(viewer, to, outgoing, ctx.now)
            .await?;
        let Some(mine) = sent.sender else {
            // The first send's message was deleted since; nothing to repeat.
            return Err(RpcError::bad_request("RANDOM_ID_DUPLICATE"));
        };
        if !sent.duplicate {
            self.fanout
                .to_user(viewer, &short_message(&mine), Some(own_session(ctx)));
            if let Some(theirs) = &sent.recipient {
                self.fanout.to_user(to, &short_message(theirs), None);
            }
            if req.clear_draft {
                self.clear_draft_after_send(ctx, viewer, Peer::User(to))
                    .await?;
            }
        }
        let m = &mine.message;
        Ok(enums::Updates::UpdateShortSentMessage(
            types::UpdateShortSentMessage {
                out: true,
                id: m.id,
                pts: mine.pts,
                pts_count: 1,
                date: clamp_date(m.date),
                media: None,
                entities: entities_tl(&m.entities),
                ttl_period: None,
            },
        ))
    }

    /// Sends `text` from the service account 777000 to `to` and pushes it to
    /// their live sessions (login codes, notices). Returns once stored.
    pub async fn send_service_message(
        &self,
        to: i64,
        text: &str,
        now: i64,
    ) -> Result<(), RpcError> {
        send_service_message(&self.messaging, &*self.fanout, to, text, now).await
    }
}

/// [`Api::send_service_message`] for code that runs before an [`Api`] exists (login
/// codes are delivered by the account service, which the API is built on).
pub async fn send_service_message(
    messaging: &Messaging,
    fanout: &dyn UpdateFanout,
    to: i64,
    text: &str,
    now: i64,
) -> Result<(), RpcError> {
    let sent = messaging.send_service_message(to, text, now).await?;
    if let Some(copy) = &sent.recipient {
        fanout.to_user(to, &short_message(copy), None::<SessionRef>);
    }
    Ok(())
}
