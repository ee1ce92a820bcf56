//! Cloud messages, per-user update logs and dialogs: Telegram's "common box".
//!
//! Every user owns one box for private chats (and, later, basic groups):
//! their own message id counter (ids start at 1) and their own pts counter.
//! A private message A -> B is stored twice, once in each box, each copy
//! remembering the id of the other ([`MessageRecord::peer_copy_id`]) so reads,
//! edits and deletes can be mirrored (see `box_edit`). Every change to a box
//! appends an [`UpdateEntry`] to the owner's log at the next pts; clients
//! replay the log with `updates.getDifference`.
//!
//! All tables are keyed by the box owner first, so they shard by user id;
//! channel boxes will get their own owner ids (negative keys) the same way.

/// Who a message or dialog is with. Channels will be added as a variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Peer {
    /// A private chat with this user (the owner themself for Saved Messages).
    User(i64),
    /// A basic group (Telegram's "chat") with this id.
    Chat(i64),
    /// A channel or supergroup with this id (see [`crate::channels`]).
    Channel(i64),
}

/// Channel keys sit below this, as the Bot API's `-100…` ids do, so they
/// never meet basic group keys.
const CHANNEL_KEY_BASE: i64 = 1_000_000_000_000;

impl Peer {
    /// A single number for index keys: user ids as they are (positive),
    /// basic group ids negated, as the Bot API does, so the two never meet.
    pub fn key(self) -> i64 {
        match self {
            Peer::User(id) => id,
            Peer::Chat(id) => id.wrapping_neg(),
            Peer::Channel(id) => CHANNEL_KEY_BASE.wrapping_add(id).wrapping_neg(),
        }
    }

    /// The peer a [`Peer::key`] stands for, if it is a valid key.
    pub fn from_key(key: i64) -> Option<Peer> {
        match key {
            k if k > 0 => Some(Peer::User(k)),
            k if k <= -CHANNEL_KEY_BASE && k != i64::MIN => {
                Some(Peer::Channel(-k - CHANNEL_KEY_BASE)).filter(|p| p.key() == k)
            }
            k if k < 0 => Some(Peer::Chat(-k)),
            _ => None,
        }
    }
}

/// One message as one box holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    /// The box owner.
    pub owner: i64,
    /// The id in the owner's box.
    pub id: i32,
    /// The chat the message belongs to, seen from the owner.
    pub peer: Peer,
    /// Who sent it.
    pub from_id: i64,
    /// Whether the owner sent it.
    pub out: bool,
    /// Unix time (seconds) it was sent.
    pub date: i64,
    /// The text.
    pub text: String,
    /// Formatting entities, serialized by the API layer: the store and the
    /// domain never look inside (empty: none).
    pub entities: Vec<u8>,
    /// The message (in this box) it replies to.
    pub reply_to: Option<i32>,
    /// Sent without a notification.
    pub silent: bool,
    /// The id of the same message in the other participant's box, if it
    /// has a copy there.
    pub peer_copy_id: Option<i32>,
    /// Unix time (seconds) of the last edit, if it was edited.
    pub edit_date: Option<i64>,
    /// Where a forwarded message came from (see [`crate::edits`]).
    pub fwd_from: Option<crate::edits::ForwardHeader>,
    /// What a service message in a basic group says happened (none: an
    /// ordinary message).
    pub action: Option<crate::chats::ChatAction>,
}

/// What one update log entry records. Entries name messages by id rather
/// than copying them, so replaying the log shows messages as they are now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateKind {
    /// A new message with this id landed in the box.
    NewMessage { id: i32 },
    /// The owner read incoming messages of `peer` up to `max_id`.
    ReadHistoryInbox {
        peer: Peer,
        max_id: i32,
        still_unread: i32,
    },
    /// `peer` read the owner's outgoing messages up to `max_id` (an id in
    /// the owner's box).
    ReadHistoryOutbox { peer: Peer, max_id: i32 },
    /// The message with this id was edited.
    EditMessage { id: i32 },
    /// These messages left the box; the entry takes one pts per id.
    DeleteMessages { ids: Vec<i32> },
}

/// One entry of a box's update log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateEntry {
    /// The pts after this entry; the entry covers
    /// `pts - pts_count + 1 ..= pts`.
    pub pts: i32,
    /// How many pts the entry takes (1, or the number of deleted ids).
    pub pts_count: i32,
    /// Unix time (seconds) of the change.
    pub date: i64,
    /// What changed.
    pub kind: UpdateKind,
}

/// The counters of one box.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BoxState {
    /// The pts of the newest log entry (0: empty box).
    pub pts: i32,
    /// The newest message id handed out (0: none yet).
    pub last_message_id: i32,
}

/// One chat in a user's chat list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogRecord {
    /// Who the chat is with.
    pub peer: Peer,
    /// The newest message id.
    pub top_message: i32,
    /// The newest message's date.
    pub top_date: i64,
    /// Incoming messages up to this id are read.
    pub read_inbox_max_id: i32,
    /// The peer read the owner's messages up to this id.
    pub read_outbox_max_id: i32,
    /// Incoming messages above `read_inbox_max_id`.
    pub unread_count: i32,
}

/// A private message to store, in one transaction, in the boxes it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPrivateMessage {
    /// The sender.
    pub from: i64,
    /// The recipient (the sender for Saved Messages: one copy).
    pub to: i64,
    /// Whether the sender's box keeps a copy (false for the service account,
    /// which has no box).
    pub sender_copy: bool,
    /// Whether the recipient's box gets a copy (false when the recipient
    /// blocked the sender: Telegram shows the sender a sent message that
    /// never arrives).
    pub deliver: bool,
    /// The client's random id; a repeat from the same sender answers the
    /// first send instead of storing again. Only used with `sender_copy`.
    pub random_id: Option<i64>,
    /// Unix time (seconds).
    pub date: i64,
    pub text: String,
    /// Opaque entities, as in [`MessageRecord::entities`].
    pub entities: Vec<u8>,
    /// The message replied to, as an id in the sender's box (mapped to the
    /// recipient's copy when it has one).
    pub reply_to: Option<i32>,
    pub silent: bool,
    /// Set when the message is a forward.
    pub fwd_from: Option<crate::edits::ForwardHeader>,
}

/// One stored copy of a message and the pts its log entry got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCopy {
    pub message: MessageRecord,
    pub pts: i32,
}

/// What [`crate::Store::send_private_message`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentPrivateMessage {
    /// The sender's copy (for a repeated random id: the first send's).
    pub sender: Option<StoredCopy>,
    /// The recipient's copy (none for a repeat or an undelivered message).
    pub recipient: Option<StoredCopy>,
    /// The random id was used before: nothing was stored now.
    pub duplicate: bool,
}

/// A range of one chat's history, in id order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HistoryQuery {
    pub peer: Peer,
    /// Only ids below this (exclusive).
    pub below: Option<i32>,
    /// Only ids above this (exclusive).
    pub above: Option<i32>,
    /// Newest first (from `below` down) or oldest first (from `above` up).
    pub newest_first: bool,
    /// At most this many.
    pub limit: usize,
}

/// What [`crate::Store::read_history`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOutcome {
    /// The reader's log entry (none: nothing new was read).
    pub reader: Option<UpdateEntry>,
    /// The reader's box pts now.
    pub reader_pts: i32,
    /// The other participant and their log entry, when their outbox moved.
    pub other: Option<(i64, UpdateEntry)>,
}

/// The most update log entries one read returns.
pub const MAX_UPDATES_PER_READ: usize = 1000;

/// Incoming messages of `messages` (any order) above `read_max_id`.
pub(crate) fn count_unread(
    messages: impl IntoIterator<Item = (i32, bool)>,
    read_max_id: i32,
) -> i32 {
    let n = messages
        .into_iter()
        .filter(|&(id, out)| !out && id > read_max_id)
        .count();
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Orders a chat list as clients show it: newest top message first.
pub(crate) fn sort_dialogs(dialogs: &mut [DialogRecord]) {
    dialogs.sort_by(|a, b| {
        (b.top_date, b.top_message, b.peer.key()).cmp(&(a.top_date, a.top_message, a.peer.key()))
    });
}

/// The inclusive id range a [`HistoryQuery`] covers, or `None` if empty.
pub(crate) fn id_bounds(query: &HistoryQuery) -> Option<(i32, i32)> {
    let low = match query.above {
        Some(above) => above.checked_add(1)?,
        None => i32::MIN,
    };
    let high = match query.below {
        Some(below) => below.checked_sub(1)?,
        None => i32::MAX,
    };
    (low <= high && query.limit > 0).then_some((low, high))
}

/// Why [`crate::Store::send_private_checked`] stored nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrivateSendRefusal {
    /// No user has the recipient's id.
    RecipientMissing,
    /// The sender blocked the recipient.
    RecipientBlocked,
}
