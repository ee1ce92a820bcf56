//! Managing a group's invite links: listing them (one admin's at a time,
//! newest first), reading, editing and revoking one, deleting revoked ones,
//! and counting links per admin.
//!
//! A link is managed by its maker while they may still make links there,
//! and by whoever oversees the group's links: the creator and the admins of
//! a basic group, and in a channel the admins allowed to invite.

use chappe_store::channels::admin_rights;
use chappe_store::invites::{InviteEdit, InviteRecord};
use chappe_store::Peer;

use super::super::channels::ChannelError;
use super::super::chats::{ChatError, Membership};
use super::super::Messaging;
use super::InviteError;

/// The most links one page lists (also what a limit of 0 asks for).
pub const MAX_INVITES_PAGE: usize = 100;

/// What `by` may do with a group's links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Sees and manages every admin's links.
    Overseer,
    /// Manages only the links they made.
    Maker,
}

/// Which of one admin's links a page lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitesQuery {
    pub peer: Peer,
    pub admin_id: i64,
    /// The revoked links instead of the live ones.
    pub revoked: bool,
    /// Continue after this link (its date and hash), newest first.
    pub offset: Option<(i64, String)>,
    pub limit: usize,
}

/// One page of links and how many match in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitesPage {
    pub count: usize,
    pub invites: Vec<InviteRecord>,
}

/// How many links one admin has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdminInvites {
    pub admin_id: i64,
    pub live: usize,
    pub revoked: usize,
}

/// Newest first; the hash breaks ties so paging never skips or repeats.
fn newest_first(a: &InviteRecord, b: &InviteRecord) -> std::cmp::Ordering {
    (b.date, &b.hash).cmp(&(a.date, &a.hash))
}

impl Messaging {
    async fn invite_role(&self, by: i64, peer: Peer) -> Result<Role, InviteError> {
        match peer {
            Peer::Chat(id) => {
                let view = self.chat_view(by, id).await?;
                match view.map(|v| v.membership) {
                    Some(Membership::Creator | Membership::Admin) => Ok(Role::Overseer),
                    Some(Membership::Member) => Ok(Role::Maker),
                    Some(_) => Err(ChatError::ChatWriteForbidden.into()),
                    None => Err(ChatError::ChatIdInvalid.into()),
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
                Ok(Role::Overseer)
            }
            Peer::User(_) => Err(InviteError::PeerIdInvalid),
        }
    }

    /// The link of `peer` with this hash, if `by` may manage it.
    async fn managed_invite(
        &self,
        by: i64,
        peer: Peer,
        hash: &str,
    ) -> Result<InviteRecord, InviteError> {
        let role = self.invite_role(by, peer).await?;
        let record = self
            .store
            .get_invite(hash)
            .await?
            .filter(|r| r.peer == peer)
            .ok_or(InviteError::HashInvalid)?;
        if role == Role::Maker && record.admin_id != by {
            return Err(ChatError::ChatAdminRequired.into());
        }
        Ok(record)
    }

    /// One admin's live or revoked links, newest first.
    pub async fn list_invites(
        &self,
        by: i64,
        query: InvitesQuery,
    ) -> Result<InvitesPage, InviteError> {
        let role = self.invite_role(by, query.peer).await?;
        if role == Role::Maker && query.admin_id != by {
            return Err(ChatError::ChatAdminRequired.into());
        }
        let mut all: Vec<InviteRecord> = self
            .store
            .invites_of(query.peer, Some(query.admin_id))
            .await?
            .into_iter()
            .filter(|r| r.revoked == query.revoked)
            .collect();
        all.sort_by(newest_first);
        let count = all.len();
        let start = match &query.offset {
            Some((date, hash)) => all
                .iter()
                .position(|r| (r.date, &r.hash) < (*date, hash))
                .unwrap_or(count),
            None => 0,
        };
        let limit = match query.limit {
            0 => MAX_INVITES_PAGE,
            n => n.min(MAX_INVITES_PAGE),
        };
        let invites = all.into_iter().skip(start).take(limit).collect();
        Ok(InvitesPage { count, invites })
    }

    /// One link of the group.
    pub async fn get_managed_invite(
        &self,
        by: i64,
        peer: Peer,
        hash: &str,
    ) -> Result<InviteRecord, InviteError> {
        self.managed_invite(by, peer, hash).await
    }

    /// Changes or revokes a link. A revoked link stays revoked and keeps
    /// its settings.
    pub async fn edit_invite(
        &self,
        by: i64,
        peer: Peer,
        hash: &str,
        edit: InviteEdit,
    ) -> Result<InviteRecord, InviteError> {
        let record = self.managed_invite(by, peer, hash).await?;
        if record.revoked {
            return Err(InviteError::HashExpired);
        }
        let edit = if edit.revoke {
            InviteEdit {
                revoke: true,
                ..InviteEdit::default()
            }
        } else {
            edit
        };
        self.store
            .edit_invite(hash, edit)
            .await?
            .ok_or(InviteError::HashInvalid)
    }

    /// Deletes one revoked link.
    pub async fn delete_invite(&self, by: i64, peer: Peer, hash: &str) -> Result<(), InviteError> {
        let record = self.managed_invite(by, peer, hash).await?;
        if !record.revoked || !self.store.delete_revoked_invite(hash).await? {
            return Err(InviteError::RevokedMissing);
        }
        Ok(())
    }

    /// Deletes every revoked link `admin_id` made for the group.
    pub async fn delete_revoked_invites(
        &self,
        by: i64,
        peer: Peer,
        admin_id: i64,
    ) -> Result<usize, InviteError> {
        let role = self.invite_role(by, peer).await?;
        if role == Role::Maker && admin_id != by {
            return Err(ChatError::ChatAdminRequired.into());
        }
        Ok(self.store.delete_revoked_invites(peer, admin_id).await?)
    }

    /// How many live and revoked links each admin of the group has, by
    /// admin id; only for those who oversee the group's links.
    pub async fn admins_with_invites(
        &self,
        by: i64,
        peer: Peer,
    ) -> Result<Vec<AdminInvites>, InviteError> {
        if self.invite_role(by, peer).await? != Role::Overseer {
            return Err(ChatError::ChatAdminRequired.into());
        }
        let mut out: Vec<AdminInvites> = Vec::new();
        for record in self.store.invites_of(peer, None).await? {
            let at = match out.binary_search_by_key(&record.admin_id, |a| a.admin_id) {
                Ok(at) => at,
                Err(at) => {
                    out.insert(
                        at,
                        AdminInvites {
                            admin_id: record.admin_id,
                            live: 0,
                            revoked: 0,
                        },
                    );
                    at
                }
            };
            if record.revoked {
                out[at].revoked += 1;
            } else {
                out[at].live += 1;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(hash: &str, date: i64) -> InviteRecord {
        InviteRecord {
            hash: hash.into(),
            peer: Peer::Chat(1),
            admin_id: 1,
            date,
            expire_date: None,
            usage_limit: None,
            usage: 0,
            revoked: false,
            title: String::new(),
        }
    }

    #[test]
    fn newest_first_orders_by_date_then_hash() {
        let mut links = [link("a", 1), link("c", 2), link("b", 2)];
        links.sort_by(newest_first);
        let hashes: Vec<&str> = links.iter().map(|l| l.hash.as_str()).collect();
        assert_eq!(hashes, ["c", "b", "a"]);
    }
}
