//! Group peers in `messages.sendMessage` and `messages.readHistory`.

use chappe_core::messaging::OutgoingMessage;
use chappe_tl::api::{enums, types};

use super::convert::short_chat_message;
use super::{own_session, Extra};
use crate::convert::clamp_date;
use crate::messages::convert::entry_update;
use crate::{Api, RequestContext, RpcError};

impl Api {
    /// Sends to group `chat_id`: the caller gets `updates` with
    /// `updateMessageID` and `updateNewMessage`; every other member's
    /// sessions get `updateShortChatMessage`.
    pub(crate) async fn send_to_chat(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        chat_id: i64,
        message: OutgoingMessage,
    ) -> Result<enums::Updates, RpcError> {
        let random_id = message.random_id;
        let write = self
            .messaging
            .send_chat(viewer, chat_id, message, ctx.now)
            .await?;
        let mine = write
            .copies
            .first()
            .filter(|c| c.message.owner == viewer)
            .ok_or_else(|| RpcError::bad_request("RANDOM_ID_DUPLICATE"))?;
        let result = self
            .write_updates(ctx, &write, mine, Extra::None, random_id)
            .await?;
        if !write.duplicate {
            self.fanout.to_user(
                viewer,
                &short_chat_message(mine, chat_id),
                Some(own_session(ctx)),
            );
            for copy in &write.copies[1..] {
                self.fanout
                    .to_user(copy.message.owner, &short_chat_message(copy, chat_id), None);
            }
        }
        Ok(result)
    }

    /// `messages.readHistory` for a group: the reader's other sessions and
    /// every author whose outbox moved are told.
    pub(crate) async fn read_chat(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        chat_id: i64,
        max_id: i32,
    ) -> Result<enums::messages::AffectedMessages, RpcError> {
        let outcome = self
            .messaging
            .read_chat_history(viewer, chat_id, max_id, ctx.now)
            .await?;
        let date = clamp_date(ctx.now);
        let pushes = outcome
            .reader
            .iter()
            .map(|entry| (viewer, entry))
            .chain(outcome.others.iter().map(|(who, entry)| (*who, entry)));
        for (who, entry) in pushes {
            let Some(update) = entry_update(entry) else {
                continue;
            };
            let chats = self.chats_seen_by(who, &[chat_id]).await?;
            let updates = enums::Updates::Updates(types::Updates {
                updates: vec![update],
                users: Vec::new(),
                chats,
                date,
                seq: 0,
            });
            let except = (who == viewer).then(|| own_session(ctx));
            self.fanout.to_user(who, &updates, except);
        }
        Ok(enums::messages::AffectedMessages::AffectedMessages(
            types::messages::AffectedMessages {
                pts: outcome.reader_pts,
                pts_count: i32::from(outcome.reader.is_some()),
            },
        ))
    }
}
