//! Invite links of basic groups and channels (`messages.exportChatInvite`):
//! a random hash naming the group, who made it, and the limits that decide
//! whether it still lets people in. Admins list, edit, revoke and delete
//! the links of their group; backends keep them findable by group.

use crate::Peer;

/// One invite link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteRecord {
    /// The random, URL-safe part of the link (`t.me/+HASH`); the key.
    pub hash: String,
    /// The group it lets people into ([`Peer::Chat`] or [`Peer::Channel`]).
    pub peer: Peer,
    /// The user who made the link.
    pub admin_id: i64,
    /// Unix time it was made.
    pub date: i64,
    /// Unix time after which it no longer works, if any.
    pub expire_date: Option<i64>,
    /// How many joins it allows, if limited.
    pub usage_limit: Option<i32>,
    /// How many joined through it.
    pub usage: i32,
    /// Whether an admin revoked it.
    pub revoked: bool,
    /// The admin's label for the link (may be empty).
    pub title: String,
}

/// Why a link cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteRefusal {
    /// No link with this hash.
    Unknown,
    /// Revoked, past its expiry or used up.
    Expired,
}

impl InviteRecord {
    /// Whether the link still lets someone in at `now`.
    pub fn check(&self, now: i64) -> Result<(), InviteRefusal> {
        let expired = self.expire_date.is_some_and(|at| at <= now);
        let used_up = self.usage_limit.is_some_and(|limit| self.usage >= limit);
        if self.revoked || expired || used_up {
            Err(InviteRefusal::Expired)
        } else {
            Ok(())
        }
    }
}

/// A change to a link made by an admin; `None` fields stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InviteEdit {
    /// Revokes the link (for good: a revoked link is never live again).
    pub revoke: bool,
    /// `Some(None)` removes the expiry.
    pub expire_date: Option<Option<i64>>,
    /// `Some(None)` removes the limit.
    pub usage_limit: Option<Option<i32>>,
    pub title: Option<String>,
}

impl InviteRecord {
    /// The link after `edit`.
    pub fn edited(&self, edit: &InviteEdit) -> InviteRecord {
        let mut record = self.clone();
        record.revoked |= edit.revoke;
        if let Some(expire_date) = edit.expire_date {
            record.expire_date = expire_date;
        }
        if let Some(usage_limit) = edit.usage_limit {
            record.usage_limit = usage_limit;
        }
        if let Some(title) = &edit.title {
            record.title.clone_from(title);
        }
        record
    }
}

/// Applies one use of `record` at `now`, checking it first (shared by the
/// backends so they count the same way).
pub(crate) fn consume(
    record: Option<InviteRecord>,
    now: i64,
) -> Result<InviteRecord, InviteRefusal> {
    let mut record = record.ok_or(InviteRefusal::Unknown)?;
    record.check(now)?;
    record.usage = record.usage.saturating_add(1);
    Ok(record)
}
