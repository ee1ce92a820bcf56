//! Changing private messages after they were sent: `messages.editMessage`,
//! `deleteMessages`, `deleteHistory` and `forwardMessages` (and who sees
//! `setTyping`); also the edit of a channel post and clearing a left
//! group's history. The store does
//! each in one transaction over every box involved; the rules that need
//! no transaction (text limits, which chat a message is in, blocks) are
//! checked here first.

use chappe_store::channel_edit::ChannelEditOutcome;
use chappe_store::channels::{box_owner, ChannelRecord};
use chappe_store::{
    DeleteOutcome, EditOutcome, ForwardHeader, HistoryQuery, MessageEdit, NewPrivateMessage, Peer,
    SentPrivateMessage, StoredCopy, SERVICE_USER_ID,
};

use super::channels::{refusal, ChannelError};
use super::send::check_text;
use super::{Messaging, MessagingError};

/// The most messages one `messages.deleteHistory` call removes; the client
/// repeats the call while the answer's offset is not 0.
pub const DELETE_HISTORY_BATCH: usize = 1000;

/// The most messages one `messages.forwardMessages` call copies (Telegram's
/// limit).
pub const MAX_FORWARD: usize = 100;

/// The user a private chat is with; other chats are not handled here.
pub(super) fn private_user(peer: Peer) -> Result<i64, MessagingError> {
    match peer {
        Peer::User(id) => Ok(id),
        Peer::Chat(_) | Peer::Channel(_) => Err(MessagingError::PeerIdInvalid),
    }
}

/// What an edit changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edited {
    /// The editor's copy and the pts of its log entry.
    pub mine: StoredCopy,
    /// The other participant and their copy, if they hold one.
    pub theirs: Option<(i64, StoredCopy)>,
}

/// What `messages.deleteHistory` did in one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryDeleted {
    pub outcome: DeleteOutcome,
    /// 0 when the chat has nothing more to delete below `max_id`; otherwise
    /// the newest message left, and the client calls again.
    pub offset: i32,
}

/// What a client asked to forward.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForwardRequest {
    pub from_peer: Option<Peer>,
    pub ids: Vec<i32>,
    /// One per id, deduplicated like `messages.sendMessage`'s.
    pub random_ids: Vec<i64>,
    pub to_peer: Option<Peer>,
    pub silent: bool,
    /// Copy without the "forwarded from" header.
    pub drop_author: bool,
}

impl Messaging {
    /// Who should see `owner` typing in the chat with `peer`: the other
    /// participant, unless it is Saved Messages, the service account, or
    /// they blocked `owner`.
    pub async fn typing_recipient(
        &self,
        owner: i64,
        peer: Peer,
    ) -> Result<Option<i64>, MessagingError> {
        let to = private_user(peer)?;
        self.check_peer(owner, peer).await?;
        if to == owner || to == SERVICE_USER_ID || self.store.is_blocked(to, owner).await? {
            return Ok(None);
        }
        Ok(Some(to))
    }

    /// Changes the text (`None`: kept) and entities (`None`: kept) of
    /// `owner`'s message `id` in the chat with `peer`.
    pub async fn edit_private(
        &self,
        owner: i64,
        peer: Peer,
        id: i32,
        text: Option<String>,
        entities: Option<Vec<u8>>,
        now: i64,
    ) -> Result<Edited, MessagingError> {
        private_user(peer)?;
        let current = self
            .store
            .get_messages(owner, &[id])
            .await?
            .into_iter()
            .next()
            .filter(|m| m.peer == peer)
            .ok_or(MessagingError::MessageIdInvalid)?;
        let text = text.unwrap_or_else(|| current.text.clone());
        let entities = entities.unwrap_or_else(|| current.entities.clone());
        check_text(&text)?;
        let edit = MessageEdit {
            owner,
            id,
            text,
            entities,
            date: now,
        };
        match self.store.edit_private_message(edit).await? {
            EditOutcome::NotFound => Err(MessagingError::MessageIdInvalid),
            EditOutcome::NotAuthor => Err(MessagingError::MessageAuthorRequired),
            EditOutcome::NotModified => Err(MessagingError::MessageNotModified),
            EditOutcome::Edited { mine, theirs } => Ok(Edited { mine, theirs }),
        }
    }

    /// `editor` changes the text (`None`: kept) and entities (`None`:
    /// kept) of post `id` in the channel; the store checks who may edit in
    /// the same transaction as the write. Answers the channel and the post
    /// as edited, with the pts of the channel's log entry.
    pub async fn edit_channel(
        &self,
        editor: i64,
        channel_id: i64,
        id: i32,
        text: Option<String>,
        entities: Option<Vec<u8>>,
        now: i64,
    ) -> Result<(ChannelRecord, StoredCopy), ChannelError> {
        // Who may not even read the channel learns nothing about its posts.
        self.readable_channel(editor, channel_id).await?;
        let current = self
            .store
            .get_messages(box_owner(channel_id), &[id])
            .await?
            .into_iter()
            .next()
            .ok_or(MessagingError::MessageIdInvalid)?;
        let text = text.unwrap_or_else(|| current.text.clone());
        let entities = entities.unwrap_or_else(|| current.entities.clone());
        check_text(&text)?;
        let edit = MessageEdit {
            owner: editor,
            id,
            text,
            entities,
            date: now,
        };
        match self.store.edit_channel_message(channel_id, edit).await? {
            ChannelEditOutcome::Refused(r) => Err(refusal(r)),
            ChannelEditOutcome::NotFound => Err(MessagingError::MessageIdInvalid.into()),
            ChannelEditOutcome::NotAuthor => Err(MessagingError::MessageAuthorRequired.into()),
            ChannelEditOutcome::NotModified => Err(MessagingError::MessageNotModified.into()),
            ChannelEditOutcome::Edited { channel, copy } => Ok((channel, copy)),
        }
    }

    /// Deletes `ids` from `owner`'s box; with `revoke` the other side's
    /// copies too. Ids not in the box, or in a group, are skipped (groups
    /// delete through their own service).
    pub async fn delete_messages(
        &self,
        owner: i64,
        ids: &[i32],
        revoke: bool,
        now: i64,
    ) -> Result<DeleteOutcome, MessagingError> {
        let private: Vec<i32> = self
            .store
            .get_messages(owner, ids)
            .await?
            .into_iter()
            .filter(|m| matches!(m.peer, Peer::User(_)))
            .map(|m| m.id)
            .collect();
        Ok(self
            .store
            .delete_private_messages(owner, private, revoke, now)
            .await?)
    }

    /// Deletes up to [`DELETE_HISTORY_BATCH`] of the newest messages of
    /// `owner`'s chat with `peer` with ids up to `max_id` (0: all).
    pub async fn delete_history(
        &self,
        owner: i64,
        peer: Peer,
        max_id: i32,
        revoke: bool,
        now: i64,
    ) -> Result<HistoryDeleted, MessagingError> {
        private_user(peer)?;
        self.check_peer(owner, peer).await?;
        let below = (max_id > 0).then(|| max_id.saturating_add(1));
        // One more than the batch tells whether anything is left after it.
        let mut batch = self
            .store
            .history(
                owner,
                HistoryQuery {
                    peer,
                    below,
                    above: None,
                    newest_first: true,
                    limit: DELETE_HISTORY_BATCH + 1,
                },
            )
            .await?;
        let left = batch.get(DELETE_HISTORY_BATCH).map(|m| m.id);
        batch.truncate(DELETE_HISTORY_BATCH);
        let ids: Vec<i32> = batch.iter().map(|m| m.id).collect();
        let outcome = self
            .store
            .delete_private_messages(owner, ids, revoke, now)
            .await?;
        Ok(HistoryDeleted {
            outcome,
            offset: left.unwrap_or(0),
        })
    }

    /// Deletes every message of the basic group `chat_id` from `owner`'s
    /// own box (`messages.deleteChatUser` with `revoke_history`, after they
    /// left): a batch of [`DELETE_HISTORY_BATCH`] per transaction, each
    /// logged as one delete. The other members' copies stay.
    pub async fn clear_chat_history(
        &self,
        owner: i64,
        chat_id: i64,
        now: i64,
    ) -> Result<Vec<DeleteOutcome>, MessagingError> {
        let peer = Peer::Chat(chat_id);
        let mut outcomes = Vec::new();
        loop {
            let query = HistoryQuery {
                peer,
                below: None,
                above: None,
                newest_first: true,
                limit: DELETE_HISTORY_BATCH,
            };
            let ids: Vec<i32> = self
                .store
                .history(owner, query)
                .await?
                .iter()
                .map(|m| m.id)
                .collect();
            if ids.is_empty() {
                return Ok(outcomes);
            }
            let outcome = self
                .store
                .delete_private_messages(owner, ids, false, now)
                .await?;
            if outcome.mine.is_none() {
                // Nothing went (raced with another delete): stop rather
                // than spin.
                return Ok(outcomes);
            }
            outcomes.push(outcome);
        }
    }

    /// Copies `owner`'s messages `req.ids` of the chat `req.from_peer` into
    /// the chat `req.to_peer` as new messages, all in one transaction.
    /// Answers one send per id, in order.
    pub async fn forward_private(
        &self,
        owner: i64,
        req: ForwardRequest,
        now: i64,
    ) -> Result<Vec<SentPrivateMessage>, MessagingError> {
        let from_peer = req.from_peer.ok_or(MessagingError::PeerIdInvalid)?;
        let to_peer = req.to_peer.ok_or(MessagingError::PeerIdInvalid)?;
        private_user(from_peer)?;
        let to = private_user(to_peer)?;
        if req.ids.is_empty() {
            return Err(MessagingError::MessageIdsEmpty);
        }
        if req.ids.len() != req.random_ids.len() || req.ids.len() > MAX_FORWARD {
            return Err(MessagingError::RandomIdInvalid);
        }
        self.check_peer(owner, to_peer).await?;
        let mut deliver = to != SERVICE_USER_ID;
        if owner != to {
            if self.store.is_blocked(owner, to).await? {
                return Err(MessagingError::YouBlockedUser);
            }
            deliver = deliver && !self.store.is_blocked(to, owner).await?;
        }
        let sources = self.store.get_messages(owner, &req.ids).await?;
        let mut new = Vec::with_capacity(req.ids.len());
        for (&id, &random_id) in req.ids.iter().zip(&req.random_ids) {
            let source = sources
                .iter()
                .find(|m| m.id == id && m.peer == from_peer)
                .ok_or(MessagingError::MessageIdInvalid)?;
            // A forward of a forward names the original author.
            let fwd_from = if req.drop_author {
                None
            } else {
                Some(source.fwd_from.unwrap_or(ForwardHeader {
                    from_id: source.from_id,
                    date: source.date,
                }))
            };
            new.push(NewPrivateMessage {
                from: owner,
                to,
                sender_copy: true,
                deliver,
                random_id: Some(random_id),
                date: now,
                text: source.text.clone(),
                entities: source.entities.clone(),
                reply_to: None,
                silent: req.silent,
                fwd_from,
            });
        }
        Ok(self.store.send_private_messages(new).await?)
    }
}
