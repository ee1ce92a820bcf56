//! Channels (Telegram's broadcast channels and supergroups): the channel
//! record, its participants, and the writes that change them.
//!
//! Unlike a basic group, a channel has ONE message box of its own: its own
//! message ids and pts, every post stored once. The box lives in the same
//! box tables as users' boxes under the owner key
//! [`crate::Peer::Channel`]`(id).key()` (negative and below every basic
//! group key), so history, message and log reads are the users' ones.
//! Posts do not touch members' rows: a member's own state (read inbox, the
//! chat list entry) is their dialog row for `Peer::Channel`, written when
//! they join and when they read.
//!
//! Participants are keyed (channel, user), with an extra key-only index of
//! the members who see the channel (not banned from viewing) so fan-out can
//! page through ids without decoding records; the member count is kept in
//! the channel record, so a post never scans members.

use crate::messages::{Peer, StoredCopy, UpdateEntry};

/// The longest about text, in characters.
pub const MAX_ABOUT_CHARS: usize = 255;

/// Admin right bits, as in Telegram's `chatAdminRights` flags.
pub mod admin_rights {
    pub const CHANGE_INFO: u32 = 1 << 0;
    pub const POST_MESSAGES: u32 = 1 << 1;
    pub const EDIT_MESSAGES: u32 = 1 << 2;
    pub const DELETE_MESSAGES: u32 = 1 << 3;
    pub const BAN_USERS: u32 = 1 << 4;
    pub const INVITE_USERS: u32 = 1 << 5;
    pub const PIN_MESSAGES: u32 = 1 << 7;
    pub const ADD_ADMINS: u32 = 1 << 9;
    /// What the creator holds.
    pub const ALL: u32 = CHANGE_INFO
        | POST_MESSAGES
        | EDIT_MESSAGES
        | DELETE_MESSAGES
        | BAN_USERS
        | INVITE_USERS
        | PIN_MESSAGES
        | ADD_ADMINS;
}

/// Banned right bits, as in Telegram's `chatBannedRights` flags.
pub mod banned_rights {
    /// Kicked: may not see the channel at all.
    pub const VIEW_MESSAGES: u32 = 1 << 0;
    pub const SEND_MESSAGES: u32 = 1 << 1;
    pub const INVITE_USERS: u32 = 1 << 15;
}

/// One channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelRecord {
    pub id: i64,
    pub title: String,
    pub about: String,
    /// Public channels have one; it is unique among users and channels.
    pub username: Option<String>,
    /// A broadcast channel (only admins post); otherwise a supergroup.
    pub broadcast: bool,
    pub creator: i64,
    /// Unix time (seconds) it was created.
    pub date: i64,
    /// Members who see the channel (the banned from viewing excluded).
    pub participants_count: i32,
    /// Deleted by its creator: no more reads or writes.
    pub deleted: bool,
}

/// One participant row: a member, or a user banned from the channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelParticipant {
    pub user_id: i64,
    /// Who added them (themself when they joined).
    pub inviter_id: i64,
    /// Unix time (seconds) they joined (or were banned).
    pub date: i64,
    /// [`admin_rights`] bits (0: not an admin).
    pub admin_rights: u32,
    /// [`banned_rights`] bits (0: not restricted).
    pub banned_rights: u32,
    /// Who promoted or restricted them last.
    pub changed_by: i64,
}

impl ChannelParticipant {
    /// Whether the user sees the channel as a member.
    pub fn is_member(&self) -> bool {
        self.banned_rights & banned_rights::VIEW_MESSAGES == 0
    }
}

/// A channel to create; the creator is its first member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChannel {
    pub creator: i64,
    pub title: String,
    pub about: String,
    pub broadcast: bool,
    pub date: i64,
}

/// A change to a channel made by `by`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelChange {
    /// Adds these users (already members are skipped).
    Invite {
        users: Vec<i64>,
    },
    /// `by` joins a public channel.
    Join,
    /// `by` leaves.
    Leave,
    /// Sets `user_id`'s admin rights (0 demotes).
    EditAdmin {
        user_id: i64,
        rights: u32,
    },
    /// Sets `user_id`'s banned rights (with VIEW_MESSAGES: kicked; 0: unbanned).
    EditBanned {
        user_id: i64,
        rights: u32,
    },
    EditTitle {
        title: String,
    },
    EditAbout {
        about: String,
    },
    /// Sets or clears the public username (already checked for syntax).
    UpdateUsername {
        username: Option<String>,
    },
    /// The creator deletes the channel.
    Delete,
    /// Deletes messages from the channel box.
    DeleteMessages {
        ids: Vec<i32>,
    },
    /// Marks `by`'s inbox read up to `max_id` (0: all).
    ReadHistory {
        max_id: i32,
    },
}

/// A message posted to a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewChannelMessage {
    pub channel_id: i64,
    pub from: i64,
    /// A repeat from the same sender answers the first send.
    pub random_id: Option<i64>,
    pub date: i64,
    pub text: String,
    pub entities: Vec<u8>,
    /// A message id in the channel box.
    pub reply_to: Option<i32>,
    pub silent: bool,
}

/// Why a channel write was refused (nothing was written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelRefusal {
    ChannelNotFound,
    /// The channel is private and the user is not a member.
    Private,
    /// The acting user is not a member.
    NotMember,
    /// The acting user lacks the admin right.
    AdminRequired,
    /// The acting user may not write here.
    WriteForbidden,
    /// The user is banned from the channel.
    Banned,
    AlreadyMember,
    /// The target user is not a participant.
    UserNotMember,
    /// The creator's rights cannot be changed.
    CreatorImmutable,
    NotModified,
    UsernameOccupied,
    MessageIdInvalid,
    /// The acting user may delete only their own messages.
    MessageDeleteForbidden,
}

/// A channel write that happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelWrite {
    /// The channel after the write.
    pub channel: ChannelRecord,
    /// The message stored in the channel box (a post or a service message).
    pub message: Option<StoredCopy>,
    /// The log entry of a delete.
    pub entry: Option<UpdateEntry>,
    /// The affected user's row after the write (none: they have no row).
    pub participant: Option<ChannelParticipant>,
    /// Users newly added (invites and joins).
    pub added: Vec<i64>,
    /// After a read: the reader's read inbox max id.
    pub read_max_id: i32,
    /// The random id was used before: `message` is the first send.
    pub duplicate: bool,
}

impl ChannelWrite {
    pub(crate) fn of(channel: ChannelRecord) -> Self {
        Self {
            channel,
            message: None,
            entry: None,
            participant: None,
            added: Vec::new(),
            read_max_id: 0,
            duplicate: false,
        }
    }
}

/// The box owner key of a channel's message box.
pub fn box_owner(channel_id: i64) -> i64 {
    Peer::Channel(channel_id).key()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_keys_round_trip_and_never_meet_other_peers() {
        for id in [1, 2, 999_999_999, 1_000_000_000_000, i64::MAX / 4] {
            let key = box_owner(id);
            assert_eq!(Peer::from_key(key), Some(Peer::Channel(id)));
            assert!(key < Peer::Chat(999_999_999_999).key());
        }
        assert_eq!(Peer::from_key(-5), Some(Peer::Chat(5)));
        assert_eq!(Peer::from_key(5), Some(Peer::User(5)));
    }
}
