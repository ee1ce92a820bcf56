//! Records for changing messages after they were sent (edits, deletes,
//! forwards) and for the per-user chat list state that is not a message
//! (drafts, pinned dialogs).
//!
//! Edits and deletes are box writes: they run inside one transaction in
//! `box_edit` and append to the update log like sends do. Drafts and pins
//! are not part of Telegram's pts sequence (their updates carry no pts), so
//! they live in their own small tables.

use crate::messages::{StoredCopy, UpdateEntry};

/// The most dialogs one user can pin (Telegram's `pinned_dialogs_count_max`
/// for accounts without premium).
pub const MAX_PINNED_DIALOGS: usize = 5;

/// Who first sent a forwarded message and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForwardHeader {
    /// The original author (a user id).
    pub from_id: i64,
    /// Unix time (seconds) the original was sent.
    pub date: i64,
}

/// A new text for a message in `owner`'s box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageEdit {
    pub owner: i64,
    pub id: i32,
    pub text: String,
    /// Opaque entities, as in [`crate::MessageRecord::entities`].
    pub entities: Vec<u8>,
    /// Unix time (seconds) of the edit.
    pub date: i64,
}

/// What [`crate::Store::edit_private_message`] did.
// Made once per edit and consumed at once: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditOutcome {
    /// The owner's box has no such message.
    NotFound,
    /// The owner did not write the message.
    NotAuthor,
    /// Text and entities are the same as now: nothing was written.
    NotModified,
    /// Both copies changed; each carries the pts of its log entry.
    Edited {
        mine: StoredCopy,
        /// The other participant and their copy, if they hold one.
        theirs: Option<(i64, StoredCopy)>,
    },
}

/// What [`crate::Store::delete_private_messages`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteOutcome {
    /// The owner's log entry (none: no asked id was in the box).
    pub mine: Option<UpdateEntry>,
    /// The owner's box pts now.
    pub pts: i32,
    /// With revoke: every other participant whose copies went, with their
    /// log entry.
    pub others: Vec<(i64, UpdateEntry)>,
}

/// An unsent message a user keeps for one chat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftRecord {
    pub text: String,
    /// Opaque entities, as in [`crate::MessageRecord::entities`].
    pub entities: Vec<u8>,
    /// A message in the owner's box the draft replies to.
    pub reply_to: Option<i32>,
    pub no_webpage: bool,
    /// Unix time (seconds) it was saved.
    pub date: i64,
}
