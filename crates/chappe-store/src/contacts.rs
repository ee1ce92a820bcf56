//! Contacts and the block list, both keyed by the owning user id first so
//! they shard with the owner; a reverse index (contact -> owners) lets status
//! changes reach everyone who has a user as a contact.

/// One entry of a user's contact list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRecord {
    /// The user the entry points at.
    pub user_id: i64,
    /// The first name the owner gave the contact.
    pub first_name: String,
    /// The last name the owner gave the contact.
    pub last_name: String,
    /// Unix time (seconds) the entry was added or last changed.
    pub added_at: i64,
}

/// One entry of a user's block list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockedRecord {
    /// The blocked user.
    pub user_id: i64,
    /// Unix time (seconds) the block was made.
    pub blocked_at: i64,
}
