//! Basic groups on [`Messaging`]: creating them, changing members, title
//! and admins, and how one user sees a group. Messages to a group are in
//! [`super::chat_send`].
//!
//! The rules that must hold against concurrent writes (membership, who may
//! remove whom) are checked by the store inside the write transaction; this
//! layer checks the inputs and turns refusals into Telegram errors.

use chappe_store::chats::{
    clean_title, ChatAction, ChatChange, ChatParticipant, ChatRecord, ChatRefusal, ChatWrite,
    NewChat,
};
use chappe_store::{MessageRecord, Peer, StoreError, SERVICE_USER_ID};

use super::{Messaging, MessagingError};

/// Why a basic group operation failed; [`ChatError::rpc_name`] gives the
/// Telegram code and name.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("no such group")]
    ChatIdInvalid,
    #[error("title empty or too long")]
    ChatTitleEmpty,
    #[error("no such user")]
    UserIdInvalid,
    #[error("already a member")]
    UserAlreadyParticipant,
    #[error("not a member")]
    UserNotParticipant,
    #[error("admin rights required")]
    ChatAdminRequired,
    #[error("nothing changed")]
    ChatNotModified,
    #[error("the group is full")]
    UsersTooMuch,
    #[error("not a member any more")]
    ChatWriteForbidden,
    #[error(transparent)]
    Messaging(#[from] MessagingError),
}

impl From<StoreError> for ChatError {
    fn from(error: StoreError) -> Self {
        Self::Messaging(error.into())
    }
}

impl ChatError {
    /// The Telegram RPC error code and name for this error.
    pub fn rpc_name(&self) -> (i32, &'static str) {
        match self {
            Self::ChatIdInvalid => (400, "CHAT_ID_INVALID"),
            Self::ChatTitleEmpty => (400, "CHAT_TITLE_EMPTY"),
            Self::UserIdInvalid => (400, "USER_ID_INVALID"),
            Self::UserAlreadyParticipant => (400, "USER_ALREADY_PARTICIPANT"),
            Self::UserNotParticipant => (400, "USER_NOT_PARTICIPANT"),
            Self::ChatAdminRequired => (400, "CHAT_ADMIN_REQUIRED"),
            Self::ChatNotModified => (400, "CHAT_NOT_MODIFIED"),
            Self::UsersTooMuch => (400, "USERS_TOO_MUCH"),
            Self::ChatWriteForbidden => (403, "CHAT_WRITE_FORBIDDEN"),
            Self::Messaging(e) => e.rpc_name(),
        }
    }
}

/// How the viewer stands in a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Membership {
    Creator,
    Admin,
    Member,
    /// Left by themself: Telegram still shows the group, marked left.
    Left,
    /// Removed by someone else: Telegram shows it as forbidden.
    Kicked,
}

/// One group as one user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatView {
    pub chat: ChatRecord,
    pub membership: Membership,
    /// The members (empty when the viewer is not one).
    pub participants: Vec<ChatParticipant>,
    pub participants_count: usize,
}

impl ChatView {
    /// Whether the viewer is a current member.
    pub fn is_member(&self) -> bool {
        matches!(
            self.membership,
            Membership::Creator | Membership::Admin | Membership::Member
        )
    }
}

/// The user ids a service message names besides its sender.
pub fn action_users(m: &MessageRecord) -> Vec<i64> {
    match &m.action {
        Some(ChatAction::Create { users, .. }) | Some(ChatAction::AddUsers { users }) => {
            users.clone()
        }
        Some(ChatAction::DeleteUser { user_id }) => vec![*user_id],
        Some(ChatAction::EditTitle { .. })
        | Some(ChatAction::ChannelCreate { .. })
        | Some(ChatAction::ChatMigrateTo { .. })
        | Some(ChatAction::ChannelMigrateFrom { .. })
        | None => Vec::new(),
    }
}

/// The group ids a set of messages belongs to, repeats dropped.
pub fn referenced_chats<'a>(messages: impl IntoIterator<Item = &'a MessageRecord>) -> Vec<i64> {
    let mut ids = Vec::new();
    for m in messages {
        if let Peer::Chat(id) = m.peer {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

pub(super) fn refusal(refusal: ChatRefusal) -> ChatError {
    match refusal {
        ChatRefusal::ChatNotFound => ChatError::ChatIdInvalid,
        ChatRefusal::NotMember => ChatError::ChatWriteForbidden,
        ChatRefusal::AlreadyMember => ChatError::UserAlreadyParticipant,
        ChatRefusal::UserNotMember => ChatError::UserNotParticipant,
        ChatRefusal::NotAdmin => ChatError::ChatAdminRequired,
        ChatRefusal::NotModified => ChatError::ChatNotModified,
        ChatRefusal::TooManyMembers => ChatError::UsersTooMuch,
    }
}

impl Messaging {
    /// Creates a group of `creator` and `invited` titled `title`; answers
    /// the write once committed (its copies: the "created" message in every
    /// member's box, the creator's first).
    pub async fn create_chat(
        &self,
        creator: i64,
        title: &str,
        invited: &[i64],
        now: i64,
    ) -> Result<ChatWrite, ChatError> {
        let title = clean_title(title).ok_or(ChatError::ChatTitleEmpty)?;
        for &user in invited {
            self.check_user(user).await?;
        }
        let new = NewChat {
            creator,
            title,
            invited: invited.to_vec(),
            date: now,
        };
        self.store.create_chat(new).await?.map_err(refusal)
    }

    /// Member `by` adds `user_id`.
    pub async fn add_chat_user(
        &self,
        by: i64,
        chat_id: i64,
        user_id: i64,
        now: i64,
    ) -> Result<ChatWrite, ChatError> {
        self.check_user(user_id).await?;
        self.change(by, chat_id, ChatChange::AddUser { user_id }, now)
            .await
    }

    /// `by` removes `user_id` (or leaves, when they are the same).
    pub async fn delete_chat_user(
        &self,
        by: i64,
        chat_id: i64,
        user_id: i64,
        now: i64,
    ) -> Result<ChatWrite, ChatError> {
        self.change(by, chat_id, ChatChange::DeleteUser { user_id }, now)
            .await
    }

    /// Member `by` renames the group.
    pub async fn edit_chat_title(
        &self,
        by: i64,
        chat_id: i64,
        title: &str,
        now: i64,
    ) -> Result<ChatWrite, ChatError> {
        let title = clean_title(title).ok_or(ChatError::ChatTitleEmpty)?;
        self.change(by, chat_id, ChatChange::EditTitle { title }, now)
            .await
    }

    /// The creator makes `user_id` an admin or takes it back.
    pub async fn edit_chat_admin(
        &self,
        by: i64,
        chat_id: i64,
        user_id: i64,
        admin: bool,
        now: i64,
    ) -> Result<ChatWrite, ChatError> {
        self.change(by, chat_id, ChatChange::EditAdmin { user_id, admin }, now)
            .await
    }

    async fn change(
        &self,
        by: i64,
        chat_id: i64,
        change: ChatChange,
        now: i64,
    ) -> Result<ChatWrite, ChatError> {
        match self.store.change_chat(chat_id, by, change, now).await? {
            Ok(write) => Ok(write),
            Err(ChatRefusal::NotMember) => Err(self.not_member(by, chat_id).await?),
            Err(other) => Err(refusal(other)),
        }
    }

    /// The error for a non-member acting on a group: former members are
    /// forbidden; to anyone else the group does not exist.
    pub(super) async fn not_member(&self, user: i64, chat_id: i64) -> Result<ChatError, ChatError> {
        Ok(
            if self
                .store
                .get_dialog(user, Peer::Chat(chat_id))
                .await?
                .is_some()
            {
                ChatError::ChatWriteForbidden
            } else {
                ChatError::ChatIdInvalid
            },
        )
    }

    async fn check_user(&self, user: i64) -> Result<(), ChatError> {
        if user == SERVICE_USER_ID || self.store.get_user(user).await?.is_none() {
            return Err(ChatError::UserIdInvalid);
        }
        Ok(())
    }

    /// How `viewer` sees group `chat_id`: `None` if it does not exist or
    /// the viewer never belonged to it.
    pub async fn chat_view(
        &self,
        viewer: i64,
        chat_id: i64,
    ) -> Result<Option<ChatView>, ChatError> {
        let Some(chat) = self.store.get_chat(chat_id).await? else {
            return Ok(None);
        };
        let participants = self.store.chat_participants(chat_id).await?;
        let participants_count = participants.len();
        let membership = match participants.iter().find(|p| p.user_id == viewer) {
            Some(_) if chat.creator == viewer => Membership::Creator,
            Some(p) if p.admin => Membership::Admin,
            Some(_) => Membership::Member,
            None => {
                let Some(dialog) = self.store.get_dialog(viewer, Peer::Chat(chat_id)).await? else {
                    return Ok(None);
                };
                // A former member's last copy is the message that removed
                // them: its sender tells leaving from being removed.
                let last = self
                    .store
                    .get_messages(viewer, &[dialog.top_message])
                    .await?;
                match last.first() {
                    Some(m)
                        if m.from_id != viewer
                            && m.action == Some(ChatAction::DeleteUser { user_id: viewer }) =>
                    {
                        Membership::Kicked
                    }
                    _ => Membership::Left,
                }
            }
        };
        let participants = if matches!(membership, Membership::Left | Membership::Kicked) {
            Vec::new()
        } else {
            participants
        };
        Ok(Some(ChatView {
            chat,
            membership,
            participants,
            participants_count,
        }))
    }

    /// The groups among `ids` `viewer` can see, in the order asked.
    pub async fn chat_views(&self, viewer: i64, ids: &[i64]) -> Result<Vec<ChatView>, ChatError> {
        let mut views = Vec::with_capacity(ids.len());
        for &id in ids {
            if views.iter().any(|v: &ChatView| v.chat.id == id) {
                continue;
            }
            if let Some(view) = self.chat_view(viewer, id).await? {
                views.push(view);
            }
        }
        Ok(views)
    }

    /// Whether `owner` may read group `chat_id`'s messages in their box: a
    /// member or a former member.
    pub(super) async fn check_chat_peer(
        &self,
        owner: i64,
        chat_id: i64,
    ) -> Result<(), MessagingError> {
        let member = self
            .store
            .chat_participants(chat_id)
            .await?
            .iter()
            .any(|p| p.user_id == owner);
        if member
            || self
                .store
                .get_dialog(owner, Peer::Chat(chat_id))
                .await?
                .is_some()
        {
            Ok(())
        } else {
            Err(MessagingError::PeerIdInvalid)
        }
    }
}
