//! Basic groups (Telegram's "chats"): the group record, its members, and
//! the writes that change them.
//!
//! A basic group has no box of its own. Every message to it (service
//! messages included) is stored once in the box of every current member,
//! each copy with that box's own id and pts, in one transaction (see
//! `chat_txn`). Each copy remembers the id of the author's copy
//! ([`crate::MessageRecord::peer_copy_id`]), which is what read receipts and
//! replies use to find "the same message" in another box. A member who
//! leaves keeps the copies they hold and gets no new ones.

use crate::messages::{StoredCopy, UpdateEntry};

/// The memory backend's counter of group ids, shared by basic groups and
/// channels: as on Telegram, a basic group and a channel never have the same
/// id, which clients that key chats by bare id (Pyrogram and its forks keep
/// one map for both) rely on. The redb backend keeps one stored counter.
#[derive(Clone, Debug, Default)]
pub(crate) struct GroupIds(std::sync::Arc<std::sync::atomic::AtomicI64>);

impl GroupIds {
    /// The next unused id (ids start at 1).
    pub(crate) fn next(&self) -> Result<i64, crate::StoreError> {
        use std::sync::atomic::Ordering;
        let last = self
            .0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
                last.checked_add(1)
            })
            .map_err(|_| crate::StoreError::Corrupt {
                table: "counters",
                reason: "group ids exhausted".into(),
            })?;
        Ok(last + 1)
    }
}

/// The longest title a group may have, in characters.
pub const MAX_CHAT_TITLE_CHARS: usize = 128;

/// The most members a basic group may have (Telegram's `chat_size_max`).
pub const MAX_CHAT_MEMBERS: usize = 200;

/// One basic group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatRecord {
    pub id: i64,
    pub title: String,
    /// The user who created it.
    pub creator: i64,
    /// Unix time (seconds) it was created.
    pub date: i64,
    /// Bumped on every membership, admin or title change, as Telegram's
    /// `chat.version` / `chatParticipants.version`.
    pub version: i32,
    /// Migrated to a supergroup; no more writes.
    pub deactivated: bool,
    /// The supergroup it was migrated to (see [`crate::Store::migrate_chat`]).
    pub migrated_to: Option<i64>,
}

/// One current member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatParticipant {
    pub user_id: i64,
    /// Who added them (the creator for themself).
    pub inviter_id: i64,
    /// Unix time (seconds) they joined.
    pub date: i64,
    /// Made an admin by the creator.
    pub admin: bool,
}

/// What a service message says happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChatAction {
    /// The group was created with these members (the creator included).
    Create { title: String, users: Vec<i64> },
    /// These users were added.
    AddUsers { users: Vec<i64> },
    /// This user left or was removed.
    DeleteUser { user_id: i64 },
    /// The title changed to this.
    EditTitle { title: String },
    /// A channel was created with this title (`messageActionChannelCreate`).
    ChannelCreate { title: String },
    /// The group was migrated to this supergroup (`messageActionChatMigrateTo`).
    ChatMigrateTo { channel_id: i64 },
    /// The supergroup was migrated from this group
    /// (`messageActionChannelMigrateFrom`): its first post.
    ChannelMigrateFrom { title: String, chat_id: i64 },
}

/// A group to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChat {
    pub creator: i64,
    pub title: String,
    /// Members besides the creator (repeats and the creator are dropped).
    pub invited: Vec<i64>,
    pub date: i64,
}

/// A change to an existing group, made by `by`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChatChange {
    AddUser {
        user_id: i64,
    },
    /// Leaving when `user_id == by`.
    DeleteUser {
        user_id: i64,
    },
    EditTitle {
        title: String,
    },
    /// Only the creator may do this; it sends no message.
    EditAdmin {
        user_id: i64,
        admin: bool,
    },
}

/// A message to a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChatMessage {
    pub chat_id: i64,
    pub from: i64,
    /// A repeat from the same sender answers the first send.
    pub random_id: Option<i64>,
    pub date: i64,
    pub text: String,
    /// Opaque entities, as in [`crate::MessageRecord::entities`].
    pub entities: Vec<u8>,
    /// A message in the sender's box.
    pub reply_to: Option<i32>,
    pub silent: bool,
}

/// Why a group write was refused (nothing was written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatRefusal {
    ChatNotFound,
    /// The acting user is not a member.
    NotMember,
    /// The user to add is already a member.
    AlreadyMember,
    /// The user to remove or promote is not a member.
    UserNotMember,
    /// The acting user lacks the right (admin or creator).
    NotAdmin,
    /// The change would change nothing.
    NotModified,
    /// The group is full.
    TooManyMembers,
}

/// A group write that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatWrite {
    /// The group after the write.
    pub chat: ChatRecord,
    /// Its members after the write.
    pub participants: Vec<ChatParticipant>,
    /// The message copies stored, one per box, the author's first (empty
    /// for admin changes).
    pub copies: Vec<StoredCopy>,
    /// The random id was used before: `copies` holds only the first send's
    /// author copy and nothing was stored now.
    pub duplicate: bool,
}

/// A basic group migrated to a supergroup; see
/// [`crate::Store::migrate_chat`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatMigration {
    /// The group after the write (deactivated, `migrated_to` set).
    pub chat: ChatRecord,
    /// Its members, each now a participant of the supergroup.
    pub participants: Vec<ChatParticipant>,
    /// The "migrated to" service message, one copy per member's box, the
    /// creator's first.
    pub copies: Vec<StoredCopy>,
    /// The new supergroup.
    pub channel: crate::channels::ChannelRecord,
    /// Its participant rows, in the order of `participants`.
    pub channel_participants: Vec<crate::channels::ChannelParticipant>,
    /// The supergroup's first post, the "migrated from" service message.
    pub channel_message: StoredCopy,
}

/// What [`crate::Store::read_chat_history`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatReadOutcome {
    /// The reader's log entry (none: nothing new was read).
    pub reader: Option<UpdateEntry>,
    /// The reader's box pts now.
    pub reader_pts: i32,
    /// Every author whose outbox moved, with their log entry.
    pub others: Vec<(i64, UpdateEntry)>,
}

/// The group's title made canonical: trimmed, and `None` when empty or
/// longer than [`MAX_CHAT_TITLE_CHARS`].
pub fn clean_title(title: &str) -> Option<String> {
    let title = title.trim();
    let chars = title.chars().count();
    (1..=MAX_CHAT_TITLE_CHARS)
        .contains(&chars)
        .then(|| title.to_owned())
}
