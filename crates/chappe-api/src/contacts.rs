//! The `contacts` namespace: importing, listing and deleting contacts, finding users by
//! username, phone or name, and the block list.

use std::collections::HashSet;

use chappe_core::ImportedContact;
use chappe_store::UserRecord;
use chappe_tl::api::{enums, functions, types};

use crate::convert::{clamp_date, user_for};
use crate::{Api, RequestContext, RpcError};

/// Telegram's list hash (core.telegram.org/api/offsets#hash-generation) over `ids`.
pub(crate) fn list_hash(ids: impl IntoIterator<Item = i64>) -> i64 {
    let mut hash: u64 = 0;
    for id in ids {
        hash ^= hash >> 21;
        hash ^= hash << 35;
        hash ^= hash >> 4;
        hash = hash.wrapping_add(id as u64);
    }
    hash as i64
}

fn peer_user(user_id: i64) -> enums::Peer {
    enums::Peer::PeerUser(types::PeerUser { user_id })
}

fn peer_id_invalid() -> RpcError {
    RpcError::bad_request("PEER_ID_INVALID")
}

impl Api {
    fn users_for(&self, viewer: i64, users: &[UserRecord], now: i64) -> Vec<enums::User> {
        users
            .iter()
            .map(|user| user_for(self.accounts.access_hashes(), viewer, user, now))
            .collect()
    }

    /// A user named by an `InputPeer` with the viewer's access hash (not the viewer).
    fn resolve_user_peer(&self, viewer: i64, peer: &enums::InputPeer) -> Result<i64, RpcError> {
        match peer {
            enums::InputPeer::InputPeerUser(user)
                if user.user_id != viewer
                    && self.accounts.access_hashes().check(
                        viewer,
                        user.user_id,
                        user.access_hash,
                    ) =>
            {
                Ok(user.user_id)
            }
            _ => Err(peer_id_invalid()),
        }
    }

    pub(crate) async fn contacts_import_contacts(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::ImportContacts,
    ) -> Result<enums::contacts::ImportedContacts, RpcError> {
        let entries = req
            .contacts
            .into_iter()
            .map(
                |enums::InputContact::InputPhoneContact(c)| ImportedContact {
                    client_id: c.client_id,
                    phone: c.phone,
                    first_name: c.first_name,
                    last_name: c.last_name,
                },
            )
            .collect();
        let imported = self
            .accounts
            .import_contacts(viewer, entries, ctx.now)
            .await?;
        Ok(enums::contacts::ImportedContacts::ImportedContacts(
            types::contacts::ImportedContacts {
                imported: imported
                    .imported
                    .iter()
                    .map(|&(client_id, user_id)| {
                        enums::ImportedContact::ImportedContact(types::ImportedContact {
                            user_id,
                            client_id,
                        })
                    })
                    .collect(),
                popular_invites: Vec::new(),
                retry_contacts: imported.retry_contacts,
                users: self.users_for(viewer, &imported.users, ctx.now),
            },
        ))
    }

    pub(crate) async fn contacts_get_contacts(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::GetContacts,
    ) -> Result<enums::contacts::Contacts, RpcError> {
        let list = self.accounts.contacts(viewer).await?;
        let mut ids: Vec<i64> = list.contacts.iter().map(|c| c.user_id).collect();
        ids.sort_unstable();
        if req.hash != 0 && req.hash == list_hash(ids.iter().copied()) {
            return Ok(enums::contacts::Contacts::ContactsNotModified(
                types::contacts::ContactsNotModified,
            ));
        }
        // Mutual: the contact has the viewer in their own list.
        let owners: HashSet<i64> = self
            .accounts
            .contact_owners_of(viewer)
            .await?
            .into_iter()
            .collect();
        let contacts = ids
            .iter()
            .map(|&user_id| {
                enums::Contact::Contact(types::Contact {
                    user_id,
                    mutual: owners.contains(&user_id),
                })
            })
            .collect();
        Ok(enums::contacts::Contacts::Contacts(
            types::contacts::Contacts {
                contacts,
                saved_count: 0,
                users: self.users_for(viewer, &list.users, ctx.now),
            },
        ))
    }

    pub(crate) async fn contacts_delete_contacts(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::DeleteContacts,
    ) -> Result<enums::Updates, RpcError> {
        let ids = req
            .id
            .iter()
            .map(|input| self.resolve_input_user(viewer, input))
            .collect::<Result<Vec<i64>, RpcError>>()?;
        let deleted = self.accounts.delete_contacts(viewer, &ids).await?;
        let users = self.accounts.get_users(&deleted).await?;
        // The updateContact updates belong to the update fan-out, which does not exist yet.
        Ok(enums::Updates::Updates(types::Updates {
            updates: Vec::new(),
            users: self.users_for(viewer, &users, ctx.now),
            chats: Vec::new(),
            date: ctx.tl_date(0),
            seq: 0,
        }))
    }

    fn resolved_peer(
        &self,
        viewer: i64,
        user: &UserRecord,
        now: i64,
    ) -> enums::contacts::ResolvedPeer {
        enums::contacts::ResolvedPeer::ResolvedPeer(types::contacts::ResolvedPeer {
            peer: peer_user(user.id),
            chats: Vec::new(),
            users: vec![user_for(self.accounts.access_hashes(), viewer, user, now)],
        })
    }

    pub(crate) async fn contacts_resolve_username(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::ResolveUsername,
    ) -> Result<enums::contacts::ResolvedPeer, RpcError> {
        let user = match self.accounts.resolve_username(&req.username).await {
            Ok(user) => user,
            Err(error) => {
                // Users and public channels share one username space.
                return match self.resolved_channel(viewer, &req.username).await? {
                    Some(found) => Ok(found),
                    None => Err(error.into()),
                };
            }
        };
        Ok(self.resolved_peer(viewer, &user, ctx.now))
    }

    pub(crate) async fn contacts_resolve_phone(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::ResolvePhone,
    ) -> Result<enums::contacts::ResolvedPeer, RpcError> {
        let user = self.accounts.resolve_phone(&req.phone).await?;
        Ok(self.resolved_peer(viewer, &user, ctx.now))
    }

    pub(crate) async fn contacts_search(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::Search,
    ) -> Result<enums::contacts::Found, RpcError> {
        let limit = usize::try_from(req.limit).unwrap_or(0);
        let found = self.accounts.search(&req.q, limit).await?;
        let contacts: HashSet<i64> = self
            .accounts
            .contacts(viewer)
            .await?
            .contacts
            .iter()
            .map(|c| c.user_id)
            .collect();
        let (mine, others): (Vec<&UserRecord>, Vec<&UserRecord>) =
            found.iter().partition(|u| contacts.contains(&u.id));
        Ok(enums::contacts::Found::Found(types::contacts::Found {
            my_results: mine.iter().map(|u| peer_user(u.id)).collect(),
            results: others.iter().map(|u| peer_user(u.id)).collect(),
            chats: Vec::new(),
            users: self.users_for(viewer, &found, ctx.now),
        }))
    }

    pub(crate) async fn contacts_block(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::Block,
    ) -> Result<bool, RpcError> {
        let target = self.resolve_user_peer(viewer, &req.id)?;
        self.accounts.block(viewer, target, ctx.now).await?;
        Ok(true)
    }

    pub(crate) async fn contacts_unblock(
        &self,
        viewer: i64,
        req: functions::contacts::Unblock,
    ) -> Result<bool, RpcError> {
        let target = self.resolve_user_peer(viewer, &req.id)?;
        self.accounts.unblock(viewer, target).await?;
        Ok(true)
    }

    pub(crate) async fn contacts_get_blocked(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::contacts::GetBlocked,
    ) -> Result<enums::contacts::Blocked, RpcError> {
        let offset = usize::try_from(req.offset).unwrap_or(0);
        let limit = usize::try_from(req.limit).unwrap_or(0);
        let page = self.accounts.blocked(viewer, offset, limit).await?;
        let blocked = page
            .blocked
            .iter()
            .map(|b| {
                enums::PeerBlocked::PeerBlocked(types::PeerBlocked {
                    peer_id: peer_user(b.user_id),
                    date: clamp_date(b.blocked_at),
                })
            })
            .collect();
        let users = self.users_for(viewer, &page.users, ctx.now);
        if offset == 0 && page.total == page.blocked.len() {
            return Ok(enums::contacts::Blocked::Blocked(
                types::contacts::Blocked {
                    blocked,
                    chats: Vec::new(),
                    users,
                },
            ));
        }
        Ok(enums::contacts::Blocked::BlockedSlice(
            types::contacts::BlockedSlice {
                count: i32::try_from(page.total).unwrap_or(i32::MAX),
                blocked,
                chats: Vec::new(),
                users,
            },
        ))
    }
}
