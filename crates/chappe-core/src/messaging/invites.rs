//! Invite links on [`Messaging`]: making one for a basic group or a
//! channel, telling a user where a link leads, and joining through it.
//!
//! The link's limits (expiry, uses) are checked and its use counted by the
//! store in one transaction; the join itself then goes through the same
//! write as an invite by the link's maker, so the group's own rules (the
//! maker still a member and allowed to invite, the joiner not banned) hold.
//! Listing, editing and deleting links is in [`manage`].

use chappe_store::channels::{admin_rights, ChannelChange, ChannelWrite};
use chappe_store::chats::ChatWrite;
use chappe_store::invites::{InviteRecord, InviteRefusal};
use chappe_store::Peer;

use super::channels::{ChannelError, ChannelView};
use super::chats::{ChatError, ChatView};
use super::{Messaging, MessagingError};

pub mod manage;

/// Longest link title kept, in characters.
pub const MAX_INVITE_TITLE_CHARS: usize = 32;

/// Why an invite link operation failed; [`InviteError::rpc_name`] gives the
/// Telegram code and name.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("no such link")]
    HashInvalid,
    #[error("the link expired")]
    HashExpired,
    #[error("already a member")]
    AlreadyParticipant,
    #[error("bad peer")]
    PeerIdInvalid,
    #[error("the link is not revoked")]
    RevokedMissing,
    #[error(transparent)]
    Chat(#[from] ChatError),
    #[error(transparent)]
    Channel(#[from] ChannelError),
    #[error(transparent)]
    Messaging(#[from] MessagingError),
}

impl From<chappe_store::StoreError> for InviteError {
    fn from(error: chappe_store::StoreError) -> Self {
        Self::Messaging(error.into())
    }
}

impl InviteError {
    /// The Telegram RPC error code and name for this error.
    pub fn rpc_name(&self) -> (i32, &'static str) {
        match self {
            Self::HashInvalid => (400, "INVITE_HASH_INVALID"),
            Self::HashExpired => (400, "INVITE_HASH_EXPIRED"),
            Self::AlreadyParticipant => (400, "USER_ALREADY_PARTICIPANT"),
            Self::PeerIdInvalid => (400, "PEER_ID_INVALID"),
            Self::RevokedMissing => (400, "INVITE_REVOKED_MISSING"),
            Self::Chat(e) => e.rpc_name(),
            Self::Channel(e) => e.rpc_name(),
            Self::Messaging(e) => e.rpc_name(),
        }
    }
}

/// What a new link may be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInvite {
    pub peer: Peer,
    pub expire_date: Option<i64>,
    pub usage_limit: Option<i32>,
    pub title: String,
}

/// Where a link leads, as the asking user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InviteTarget {
    Chat(ChatView),
    Channel(ChannelView),
}

impl InviteTarget {
    /// Whether the asking user is already in.
    pub fn is_member(&self) -> bool {
        match self {
            Self::Chat(v) => v.is_member(),
            Self::Channel(v) => v.is_member(),
        }
    }
}

/// What joining through a link wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Joined {
    Chat(Box<ChatWrite>),
    Channel(Box<ChannelWrite>),
}

/// A link hash as clients show it: URL-safe base64 without padding.
pub fn encode_hash(random: &[u8; 16]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(22);
    for chunk in random.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

impl Messaging {
    /// `by` makes a link: any member of a basic group (members may add
    /// people there), an admin allowed to invite (or the creator) of a
    /// channel. `random` is the link's secret, drawn by the caller.
    pub async fn export_invite(
        &self,
        by: i64,
        new: NewInvite,
        random: [u8; 16],
        now: i64,
    ) -> Result<InviteRecord, InviteError> {
        match new.peer {
            Peer::Chat(id) => {
                let view = self.chat_view(by, id).await?;
                if !view.as_ref().is_some_and(ChatView::is_member) {
                    return Err(match view {
                        Some(_) => ChatError::ChatWriteForbidden.into(),
                        None => ChatError::ChatIdInvalid.into(),
                    });
                }
            }
            Peer::Channel(id) => {
                let view = self.readable_channel(by, id).await?;
                if !view.is_member() {
                    return Err(ChannelError::ChannelPrivate.into());
                }
                if view.admin_rights() & admin_rights::INVITE_USERS == 0 {
                    return Err(ChannelError::ChatAdminRequired.into());
                }
            }
            Peer::User(_) => return Err(InviteError::PeerIdInvalid),
        }
        let record = InviteRecord {
            hash: encode_hash(&random),
            peer: new.peer,
            admin_id: by,
            date: now,
            expire_date: new.expire_date,
            usage_limit: new.usage_limit,
            usage: 0,
            revoked: false,
            title: new.title.chars().take(MAX_INVITE_TITLE_CHARS).collect(),
        };
        self.store.put_invite(record.clone()).await?;
        Ok(record)
    }

    /// Where the link leads for `viewer`, if it still works.
    pub async fn check_invite(
        &self,
        viewer: i64,
        hash: &str,
        now: i64,
    ) -> Result<(InviteRecord, InviteTarget), InviteError> {
        let record = self
            .store
            .get_invite(hash)
            .await?
            .ok_or(InviteError::HashInvalid)?;
        let target = self.target(viewer, record.peer).await?;
        // A member is told so even about a dead link: it only leads home.
        if !target.is_member() {
            record.check(now).map_err(|_| InviteError::HashExpired)?;
        }
        Ok((record, target))
    }

    /// `viewer` joins through the link, counting one use.
    pub async fn import_invite(
        &self,
        viewer: i64,
        hash: &str,
        now: i64,
    ) -> Result<Joined, InviteError> {
        let (record, target) = self.check_invite(viewer, hash, now).await?;
        if target.is_member() {
            return Err(InviteError::AlreadyParticipant);
        }
        let record = self
            .store
            .use_invite(&record.hash, now)
            .await?
            .map_err(|r| match r {
                InviteRefusal::Unknown => InviteError::HashInvalid,
                InviteRefusal::Expired => InviteError::HashExpired,
            })?;
        // The join is an invite by the link's maker, so it obeys the
        // group's rules as of now (a maker who left lets nobody in).
        match record.peer {
            Peer::Chat(id) => Ok(Joined::Chat(Box::new(
                self.add_chat_user(record.admin_id, id, viewer, now)
                    .await
                    .map_err(lost_maker_chat)?,
            ))),
            Peer::Channel(id) => {
                let users = vec![viewer];
                let change = ChannelChange::Invite { users };
                Ok(Joined::Channel(Box::new(
                    self.change_channel(record.admin_id, id, change, now)
                        .await
                        .map_err(lost_maker_channel)?,
                )))
            }
            Peer::User(_) => Err(InviteError::HashInvalid),
        }
    }

    async fn target(&self, viewer: i64, peer: Peer) -> Result<InviteTarget, InviteError> {
        match peer {
            Peer::Chat(id) => {
                let view = self.chat_view(viewer, id).await?;
                match view {
                    Some(view) => Ok(InviteTarget::Chat(view)),
                    None => Ok(InviteTarget::Chat(self.outsider_chat_view(id).await?)),
                }
            }
            Peer::Channel(id) => {
                let view = self
                    .channel_view(viewer, id)
                    .await?
                    .filter(|v| !v.channel.deleted)
                    .ok_or(InviteError::HashInvalid)?;
                Ok(InviteTarget::Channel(view))
            }
            Peer::User(_) => Err(InviteError::HashInvalid),
        }
    }

    /// A group as someone who never was in it sees it through a link.
    async fn outsider_chat_view(&self, id: i64) -> Result<ChatView, InviteError> {
        let chat = self
            .store
            .get_chat(id)
            .await?
            .ok_or(InviteError::HashInvalid)?;
        let participants = self.store.chat_participants(id).await?;
        Ok(ChatView {
            chat,
            membership: super::chats::Membership::Left,
            participants_count: participants.len(),
            participants,
        })
    }
}

/// The maker lost the right to add people: the link is dead.
fn lost_maker_chat(e: ChatError) -> InviteError {
    match e {
        ChatError::ChatIdInvalid | ChatError::ChatWriteForbidden | ChatError::ChatAdminRequired => {
            InviteError::HashExpired
        }
        other => other.into(),
    }
}

fn lost_maker_channel(e: ChannelError) -> InviteError {
    match e {
        ChannelError::ChatAdminRequired
        | ChannelError::ChannelPrivate
        | ChannelError::UserNotParticipant => InviteError::HashExpired,
        ChannelError::ChannelInvalid => InviteError::HashInvalid,
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_url_safe_base64_without_padding() {
        let hash = encode_hash(&[0xff; 16]);
        assert_eq!(hash, format!("{}w", "_".repeat(21)));
        assert_eq!(encode_hash(&[0; 16]), "A".repeat(22));
        let mixed = encode_hash(&[0xfb, 0xef, 0xbe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert!(mixed.starts_with("----"), "{mixed}");
        assert!(mixed.ends_with("AQ"), "{mixed}");
    }
}
