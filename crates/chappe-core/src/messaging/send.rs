//! Sending private messages, from users and from the service account.

use chappe_store::{NewPrivateMessage, PrivateSendRefusal, SentPrivateMessage, SERVICE_USER_ID};

use super::{Messaging, MessagingError};

/// The longest text, in UTF-16 code units as Telegram counts it.
pub const MAX_MESSAGE_LENGTH: usize = 4096;

/// What a client asked to send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub text: String,
    /// Entities serialized by the API layer (empty: none).
    pub entities: Vec<u8>,
    pub random_id: Option<i64>,
    /// A message in the sender's box to reply to.
    pub reply_to: Option<i32>,
    pub silent: bool,
}

pub(super) fn check_text(text: &str) -> Result<(), MessagingError> {
    if text.trim().is_empty() {
        return Err(MessagingError::MessageEmpty);
    }
    if text.encode_utf16().count() > MAX_MESSAGE_LENGTH {
        return Err(MessagingError::MessageTooLong);
    }
    Ok(())
}

impl Messaging {
    /// Sends `message` from `from` to user `to` (`to == from`: Saved
    /// Messages). Answers both stored copies once committed; a repeated
    /// random id answers the first send.
    ///
    /// Blocks: if the sender blocked the recipient, `YOU_BLOCKED_USER`; if
    /// the recipient blocked the sender, the sender gets a normal result and
    /// the recipient nothing, as on Telegram.
    pub async fn send_private(
        &self,
        from: i64,
        to: i64,
        message: OutgoingMessage,
        now: i64,
    ) -> Result<SentPrivateMessage, MessagingError> {
        check_text(&message.text)?;
        let new = NewPrivateMessage {
            from,
            to,
            sender_copy: true,
            deliver: to != SERVICE_USER_ID,
            random_id: message.random_id,
            date: now,
            text: message.text,
            entities: message.entities,
            reply_to: message.reply_to,
            silent: message.silent,
            fwd_from: None,
        };
        if from != to && to != SERVICE_USER_ID {
            // The common case: the recipient and the blocks both ways are read in
            // the send's own transaction.
            return match self.store.send_private_checked(new).await? {
                Ok(sent) => Ok(sent),
                Err(PrivateSendRefusal::RecipientMissing) => Err(MessagingError::PeerIdInvalid),
                Err(PrivateSendRefusal::RecipientBlocked) => Err(MessagingError::YouBlockedUser),
            };
        }
        // To the service account nothing is delivered, but a block still refuses.
        if from != to && self.store.is_blocked(from, to).await? {
            return Err(MessagingError::YouBlockedUser);
        }
        Ok(self.store.send_private_message(new).await?)
    }

    /// Sends `text` from the service account 777000 ("Telegram") to `to`,
    /// as login codes and notices arrive. The service account keeps no copy.
    pub async fn send_service_message(
        &self,
        to: i64,
        text: &str,
        now: i64,
    ) -> Result<SentPrivateMessage, MessagingError> {
        check_text(text)?;
        if self.store.get_user(to).await?.is_none() {
            return Err(MessagingError::PeerIdInvalid);
        }
        let new = NewPrivateMessage {
            from: SERVICE_USER_ID,
            to,
            sender_copy: false,
            deliver: true,
            random_id: None,
            date: now,
            text: text.to_owned(),
            entities: Vec::new(),
            reply_to: None,
            silent: false,
            fwd_from: None,
        };
        Ok(self.store.send_private_message(new).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        assert!(matches!(
            check_text(" \n"),
            Err(MessagingError::MessageEmpty)
        ));
        assert!(check_text(&"a".repeat(MAX_MESSAGE_LENGTH)).is_ok());
        // One emoji is two UTF-16 units.
        let long = "\u{1F600}".repeat(MAX_MESSAGE_LENGTH / 2 + 1);
        assert!(matches!(
            check_text(&long),
            Err(MessagingError::MessageTooLong)
        ));
    }
}
