//! Messages to basic groups and read receipts in them: one copy per
//! member's box, stored in one transaction (see `chappe_store::chats`).

use chappe_store::chats::{ChatReadOutcome, ChatRefusal, ChatWrite, NewChatMessage};

use super::chats::{refusal, ChatError};
use super::send::check_text;
use super::{Messaging, MessagingError, OutgoingMessage};

impl Messaging {
    /// Sends `message` from member `from` to group `chat_id`. Answers every
    /// stored copy once committed, the sender's first; a repeated random id
    /// answers the first send's copy with `duplicate` set.
    pub async fn send_chat(
        &self,
        from: i64,
        chat_id: i64,
        message: OutgoingMessage,
        now: i64,
    ) -> Result<ChatWrite, ChatError> {
        check_text(&message.text)?;
        let new = NewChatMessage {
            chat_id,
            from,
            random_id: message.random_id,
            date: now,
            text: message.text,
            entities: message.entities,
            reply_to: message.reply_to,
            silent: message.silent,
        };
        let error = match self.store.send_chat_message(new).await? {
            Ok(write) => return Ok(write),
            Err(ChatRefusal::NotMember) => self.not_member(from, chat_id).await?,
            Err(other) => refusal(other),
        };
        // As a peer, a group the sender never saw is just an invalid peer.
        Err(match error {
            ChatError::ChatIdInvalid => MessagingError::PeerIdInvalid.into(),
            other => other,
        })
    }

    /// Marks `owner`'s incoming messages of the group read up to `max_id`
    /// (0: all), moving each author's read outbox in the same transaction.
    pub async fn read_chat_history(
        &self,
        owner: i64,
        chat_id: i64,
        max_id: i32,
        now: i64,
    ) -> Result<ChatReadOutcome, ChatError> {
        self.check_chat_peer(owner, chat_id).await?;
        Ok(self
            .store
            .read_chat_history(owner, chat_id, max_id, now)
            .await?)
    }
}
