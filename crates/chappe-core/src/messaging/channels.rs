//! Channels and supergroups on [`Messaging`]: creating them, membership,
//! rights, title and username, and how one user sees a channel. Posts,
//! history, the channel difference and participant lists are in
//! [`super::channel_posts`].
//!
//! Who may do what is checked by the store inside the write transaction
//! (`chappe_store::channels`); this layer checks inputs (titles,
//! usernames), read access for non-members, and turns refusals into
//! Telegram errors.

use chappe_store::channels::{
    admin_rights, ChannelChange, ChannelParticipant, ChannelRecord, ChannelRefusal, ChannelWrite,
    NewChannel, MAX_ABOUT_CHARS,
};
use chappe_store::chats::clean_title;
use chappe_store::StoreError;

use super::{Messaging, MessagingError};
use crate::accounts::valid_username;

/// Why a channel operation failed; [`ChannelError::rpc_name`] gives the
/// Telegram code and name.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error("no such channel")]
    ChannelInvalid,
    #[error("the channel is private")]
    ChannelPrivate,
    #[error("admin rights required")]
    ChatAdminRequired,
    #[error("may not write here")]
    ChatWriteForbidden,
    #[error("banned from the channel")]
    UserBannedInChannel,
    #[error("already a member")]
    UserAlreadyParticipant,
    #[error("not a member")]
    UserNotParticipant,
    #[error("the creator cannot be changed")]
    UserCreator,
    #[error("title empty or too long")]
    ChatTitleEmpty,
    #[error("about too long")]
    ChatAboutTooLong,
    #[error("nothing changed")]
    ChatNotModified,
    #[error("invalid username")]
    UsernameInvalid,
    #[error("username taken")]
    UsernameOccupied,
    #[error("username unchanged")]
    UsernameNotModified,
    #[error("no such user")]
    UserIdInvalid,
    #[error("may not delete that message")]
    MessageDeleteForbidden,
    #[error(transparent)]
    Messaging(#[from] MessagingError),
}

impl From<StoreError> for ChannelError {
    fn from(error: StoreError) -> Self {
        Self::Messaging(error.into())
    }
}

impl ChannelError {
    /// The Telegram RPC error code and name for this error.
    pub fn rpc_name(&self) -> (i32, &'static str) {
        match self {
            Self::ChannelInvalid => (400, "CHANNEL_INVALID"),
            Self::ChannelPrivate => (406, "CHANNEL_PRIVATE"),
            Self::ChatAdminRequired => (400, "CHAT_ADMIN_REQUIRED"),
            Self::ChatWriteForbidden => (403, "CHAT_WRITE_FORBIDDEN"),
            Self::UserBannedInChannel => (400, "USER_BANNED_IN_CHANNEL"),
            Self::UserAlreadyParticipant => (400, "USER_ALREADY_PARTICIPANT"),
            Self::UserNotParticipant => (400, "USER_NOT_PARTICIPANT"),
            Self::UserCreator => (400, "USER_CREATOR"),
            Self::ChatTitleEmpty => (400, "CHAT_TITLE_EMPTY"),
            Self::ChatAboutTooLong => (400, "CHAT_ABOUT_TOO_LONG"),
            Self::ChatNotModified => (400, "CHAT_NOT_MODIFIED"),
            Self::UsernameInvalid => (400, "USERNAME_INVALID"),
            Self::UsernameOccupied => (400, "USERNAME_OCCUPIED"),
            Self::UsernameNotModified => (400, "USERNAME_NOT_MODIFIED"),
            Self::UserIdInvalid => (400, "USER_ID_INVALID"),
            Self::MessageDeleteForbidden => (403, "MESSAGE_DELETE_FORBIDDEN"),
            Self::Messaging(e) => e.rpc_name(),
        }
    }
}

/// The error a store refusal stands for.
pub(super) fn refusal(r: ChannelRefusal) -> ChannelError {
    match r {
        ChannelRefusal::ChannelNotFound => ChannelError::ChannelInvalid,
        ChannelRefusal::Private => ChannelError::ChannelPrivate,
        ChannelRefusal::NotMember => ChannelError::UserNotParticipant,
        ChannelRefusal::AdminRequired => ChannelError::ChatAdminRequired,
        ChannelRefusal::WriteForbidden => ChannelError::ChatWriteForbidden,
        ChannelRefusal::Banned => ChannelError::UserBannedInChannel,
        ChannelRefusal::AlreadyMember => ChannelError::UserAlreadyParticipant,
        ChannelRefusal::UserNotMember => ChannelError::UserNotParticipant,
        ChannelRefusal::CreatorImmutable => ChannelError::UserCreator,
        ChannelRefusal::NotModified => ChannelError::ChatNotModified,
        ChannelRefusal::UsernameOccupied => ChannelError::UsernameOccupied,
        ChannelRefusal::MessageIdInvalid => MessagingError::MessageIdInvalid.into(),
        ChannelRefusal::MessageDeleteForbidden => ChannelError::MessageDeleteForbidden,
    }
}

/// One channel as one user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelView {
    pub channel: ChannelRecord,
    /// The viewer's participant row (none: never joined, or left).
    pub participant: Option<ChannelParticipant>,
}

impl ChannelView {
    /// Whether the viewer is a member who sees the channel.
    pub fn is_member(&self) -> bool {
        self.participant
            .as_ref()
            .is_some_and(ChannelParticipant::is_member)
    }

    /// Whether the viewer created it (and is still in it).
    pub fn is_creator(&self) -> bool {
        self.is_member()
            && self
                .participant
                .as_ref()
                .is_some_and(|p| p.user_id == self.channel.creator)
    }

    /// The viewer's admin rights (all of them for the creator).
    pub fn admin_rights(&self) -> u32 {
        match &self.participant {
            _ if self.is_creator() => admin_rights::ALL,
            Some(p) if p.is_member() => p.admin_rights,
            _ => 0,
        }
    }

    /// The viewer's banned rights.
    pub fn banned_rights(&self) -> u32 {
        self.participant.as_ref().map_or(0, |p| p.banned_rights)
    }

    /// Whether the viewer may read the channel: a member, or anyone not
    /// banned for a public one.
    pub fn can_read(&self) -> bool {
        !self.channel.deleted
            && (self.is_member() || (self.participant.is_none() && self.channel.username.is_some()))
    }
}

/// The username made canonical: `None` for an empty one (clearing it).
pub fn clean_username(username: &str) -> Result<Option<String>, ChannelError> {
    let name = username.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if valid_username(name) {
        Ok(Some(name.to_owned()))
    } else {
        Err(ChannelError::UsernameInvalid)
    }
}

impl Messaging {
    /// Creates a broadcast channel or a supergroup with `creator` as its
    /// only member and the "created" service message in its box.
    pub async fn create_channel(
        &self,
        creator: i64,
        title: &str,
        about: &str,
        broadcast: bool,
        now: i64,
    ) -> Result<ChannelWrite, ChannelError> {
        let title = clean_title(title).ok_or(ChannelError::ChatTitleEmpty)?;
        if about.chars().count() > MAX_ABOUT_CHARS {
            return Err(ChannelError::ChatAboutTooLong);
        }
        let new = NewChannel {
            creator,
            title,
            about: about.trim().to_owned(),
            broadcast,
            date: now,
        };
        Ok(self.store.create_channel(new).await?)
    }

    /// The channel as `viewer` sees it, if it exists.
    pub async fn channel_view(
        &self,
        viewer: i64,
        id: i64,
    ) -> Result<Option<ChannelView>, ChannelError> {
        let Some(channel) = self.store.get_channel(id).await? else {
            return Ok(None);
        };
        let participant = self.store.channel_participant(id, viewer).await?;
        Ok(Some(ChannelView {
            channel,
            participant,
        }))
    }

    /// The existing channels among `ids` as `viewer` sees them.
    pub async fn channel_views(
        &self,
        viewer: i64,
        ids: &[i64],
    ) -> Result<Vec<ChannelView>, ChannelError> {
        let mut views = Vec::with_capacity(ids.len());
        for &id in ids {
            if views.iter().any(|v: &ChannelView| v.channel.id == id) {
                continue;
            }
            if let Some(view) = self.channel_view(viewer, id).await? {
                views.push(view);
            }
        }
        Ok(views)
    }

    /// The channel if `viewer` may read it: `CHANNEL_INVALID` when it does
    /// not exist (or was deleted), `CHANNEL_PRIVATE` when it is closed to
    /// them.
    pub async fn readable_channel(
        &self,
        viewer: i64,
        id: i64,
    ) -> Result<ChannelView, ChannelError> {
        let view = self
            .channel_view(viewer, id)
            .await?
            .filter(|v| !v.channel.deleted)
            .ok_or(ChannelError::ChannelInvalid)?;
        if view.can_read() {
            Ok(view)
        } else {
            Err(ChannelError::ChannelPrivate)
        }
    }

    /// The public channel with this username, if any.
    pub async fn channel_by_username(
        &self,
        username: &str,
    ) -> Result<Option<ChannelRecord>, ChannelError> {
        Ok(self
            .store
            .channel_by_username(username)
            .await?
            .filter(|c| !c.deleted))
    }

    /// Applies `change` by `by`, mapping refusals to errors.
    pub async fn change_channel(
        &self,
        by: i64,
        channel_id: i64,
        change: ChannelChange,
        now: i64,
    ) -> Result<ChannelWrite, ChannelError> {
        match &change {
            ChannelChange::EditTitle { title } => {
                let title = clean_title(title).ok_or(ChannelError::ChatTitleEmpty)?;
                return self
                    .apply(by, channel_id, ChannelChange::EditTitle { title }, now)
                    .await;
            }
            ChannelChange::EditAbout { about } if about.chars().count() > MAX_ABOUT_CHARS => {
                return Err(ChannelError::ChatAboutTooLong)
            }
            ChannelChange::Invite { users } => {
                let found = self.store.get_users(users).await?;
                if users.is_empty() || users.iter().any(|u| !found.iter().any(|f| f.id == *u)) {
                    return Err(ChannelError::UserIdInvalid);
                }
            }
            _ => {}
        }
        let target = match &change {
            ChannelChange::EditAdmin { user_id, .. }
            | ChannelChange::EditBanned { user_id, .. } => Some(*user_id),
            _ => None,
        };
        if let Some(user_id) = target {
            if self.store.get_user(user_id).await?.is_none() {
                return Err(ChannelError::UserIdInvalid);
            }
        }
        self.apply(by, channel_id, change, now).await
    }

    async fn apply(
        &self,
        by: i64,
        channel_id: i64,
        change: ChannelChange,
        now: i64,
    ) -> Result<ChannelWrite, ChannelError> {
        let username_change = matches!(change, ChannelChange::UpdateUsername { .. });
        match self
            .store
            .change_channel(channel_id, by, change, now)
            .await?
        {
            Ok(write) => Ok(write),
            Err(ChannelRefusal::NotModified) if username_change => {
                Err(ChannelError::UsernameNotModified)
            }
            Err(r) => Err(refusal(r)),
        }
    }

    /// `channels.checkUsername`: whether `username` is valid and free for
    /// channel `channel_id` (0: a channel not created yet).
    pub async fn check_channel_username(
        &self,
        channel_id: i64,
        username: &str,
    ) -> Result<bool, ChannelError> {
        let Some(name) = clean_username(username)? else {
            return Err(ChannelError::UsernameInvalid);
        };
        if self.store.user_by_username(&name).await?.is_some() {
            return Ok(false);
        }
        Ok(match self.store.channel_by_username(&name).await? {
            Some(c) => c.id == channel_id,
            None => true,
        })
    }
}
