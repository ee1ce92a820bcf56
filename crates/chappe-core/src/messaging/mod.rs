//! [`Messaging`]: cloud messages in private chats, on Telegram's "common box"
//! model (see `chappe_store::messages`): sending ([`send`]), reading a chat
//! and the chat list ([`history`], [`dialogs`]), read receipts, edits,
//! deletes and forwards ([`edit`]), search ([`search`]), drafts and pins
//! ([`chat_list`]), and the update log clients replay ([`difference`]).
//!
//! No TL here: entities arrive already serialized by the API layer and are
//! stored as an opaque blob. Every method takes `now`. Results are returned
//! only after the store committed; pushing them to live sessions is the
//! caller's job, after this returns.

mod channel_posts;
pub mod channels;
mod chat_list;
mod chat_send;
pub mod chats;
mod dialogs;
mod difference;
mod edit;
mod error;
mod history;
pub mod invites;
pub mod migrate;
mod search;
mod send;

use std::sync::Arc;

use chappe_store::{MessageRecord, Peer, ReadOutcome, Store, UserRecord, SERVICE_USER_ID};

pub use channel_posts::{
    ChannelDifference, ParticipantsFilter, ParticipantsPage, CHANNEL_DIFFERENCE_LIMIT,
    MAX_PARTICIPANTS_LIMIT, MEMBER_PAGE,
};
pub use dialogs::{DialogsPage, DialogsRequest};
pub use difference::{Difference, UpdatesState, DIFFERENCE_LIMIT};
pub use edit::{Edited, ForwardRequest, HistoryDeleted, DELETE_HISTORY_BATCH, MAX_FORWARD};
pub use error::MessagingError;
pub use history::{HistoryPage, HistoryRequest, MAX_HISTORY_LIMIT};
pub use search::{SearchPage, SearchRequest, MAX_SEARCH_LIMIT, SEARCH_SCAN_LIMIT};
pub use send::{OutgoingMessage, MAX_MESSAGE_LENGTH};

/// The messaging service. Cheap to share behind an `Arc`.
pub struct Messaging {
    store: Arc<dyn Store>,
}

impl std::fmt::Debug for Messaging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messaging").finish_non_exhaustive()
    }
}

/// The service account as clients know it: it has no stored row (it never
/// logs in), so it is made up whenever a message from it needs its user.
pub fn service_user() -> UserRecord {
    UserRecord {
        id: SERVICE_USER_ID,
        phone: "42777".into(),
        first_name: "Telegram".into(),
        last_name: String::new(),
        username: None,
        about: String::new(),
        created_at: 0,
        banned: false,
        last_online_at: 0,
    }
}

impl Messaging {
    /// A service over `store`.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// The messages of `owner`'s box among `ids`, in the order asked.
    pub async fn messages(
        &self,
        owner: i64,
        ids: &[i32],
    ) -> Result<Vec<MessageRecord>, MessagingError> {
        Ok(self.store.get_messages(owner, ids).await?)
    }

    /// Marks `owner`'s incoming messages of `peer` read up to `max_id` (0:
    /// all), moving the other side's read outbox in the same transaction.
    pub async fn read_history(
        &self,
        owner: i64,
        peer: Peer,
        max_id: i32,
        now: i64,
    ) -> Result<ReadOutcome, MessagingError> {
        Ok(self.store.read_history(owner, peer, max_id, now).await?)
    }

    /// The users among `ids` (repeats dropped, order kept), with the service
    /// account made up when it is asked for.
    pub async fn users(&self, ids: &[i64]) -> Result<Vec<UserRecord>, MessagingError> {
        let mut unique = Vec::with_capacity(ids.len());
        for &id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        let mut users = self.store.get_users(&unique).await?;
        if unique.contains(&SERVICE_USER_ID) && !users.iter().any(|u| u.id == SERVICE_USER_ID) {
            users.push(service_user());
        }
        Ok(users)
    }

    /// Whether `peer` names a chat `owner` can have: an existing user, the
    /// owner, or the service account.
    pub(crate) async fn check_peer(&self, owner: i64, peer: Peer) -> Result<(), MessagingError> {
        let id = match peer {
            Peer::User(id) => id,
            Peer::Chat(chat_id) => return self.check_chat_peer(owner, chat_id).await,
            // The channel box itself (its reader checked access), or a
            // member of a readable channel.
            Peer::Channel(id) if owner == chappe_store::channels::box_owner(id) => return Ok(()),
            Peer::Channel(id) => {
                return match self.readable_channel(owner, id).await {
                    Ok(_) => Ok(()),
                    Err(channels::ChannelError::Messaging(e)) => Err(e),
                    Err(_) => Err(MessagingError::PeerIdInvalid),
                }
            }
        };
        if id == owner || id == SERVICE_USER_ID || self.store.get_user(id).await?.is_some() {
            Ok(())
        } else {
            Err(MessagingError::PeerIdInvalid)
        }
    }
}

/// The user ids a set of messages refers to (peers, senders and the
/// authors of forwarded originals).
pub fn referenced_users<'a>(messages: impl IntoIterator<Item = &'a MessageRecord>) -> Vec<i64> {
    let mut ids = Vec::new();
    for m in messages {
        let peer = match m.peer {
            Peer::User(id) => Some(id),
            Peer::Chat(_) | Peer::Channel(_) => None,
        };
        let fwd = m.fwd_from.map(|f| f.from_id);
        let action = chats::action_users(m);
        for id in peer.into_iter().chain([m.from_id]).chain(fwd).chain(action) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}
