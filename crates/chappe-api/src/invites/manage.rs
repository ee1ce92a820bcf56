//! Managing invite links: `messages.getExportedChatInvites`,
//! `getExportedChatInvite`, `editExportedChatInvite`,
//! `deleteExportedChatInvite`, `deleteRevokedExportedChatInvites` and
//! `getAdminsWithInvites`. Who may do what is decided in
//! `chappe_core::messaging::invites::manage`.

use chappe_core::messaging::invites::manage::InvitesQuery;
use chappe_store::invites::{InviteEdit, InviteRecord};
use chappe_store::Peer;
use chappe_tl::api::{enums, functions, types};

use super::optional_date;
use crate::{Api, RequestContext, RpcError};

/// The hash in a link as clients send it: the full `t.me/+HASH` or
/// `t.me/joinchat/HASH` link, or the bare hash.
fn link_hash(link: &str) -> &str {
    let link = link.trim().trim_end_matches('/');
    let last = link.rsplit('/').next().unwrap_or(link);
    last.trim_start_matches('+')
}

impl Api {
    fn link_group(&self, viewer: i64, peer: &enums::InputPeer) -> Result<Peer, RpcError> {
        match self.resolve_peer(viewer, peer)? {
            peer @ (Peer::Chat(_) | Peer::Channel(_)) => Ok(peer),
            Peer::User(_) => Err(RpcError::bad_request("PEER_ID_INVALID")),
        }
    }

    fn link_admin(&self, viewer: i64, admin: &enums::InputUser) -> Result<i64, RpcError> {
        self.resolve_input_user(viewer, admin)
            .map_err(|_| RpcError::bad_request("ADMIN_ID_INVALID"))
    }

    async fn link_users(
        &self,
        viewer: i64,
        records: &[&InviteRecord],
        now: i64,
    ) -> Result<Vec<enums::User>, RpcError> {
        let mut ids: Vec<i64> = records.iter().map(|r| r.admin_id).collect();
        ids.sort_unstable();
        ids.dedup();
        self.users_seen_by(viewer, &ids, now).await
    }

    async fn one_link(
        &self,
        viewer: i64,
        record: &InviteRecord,
        now: i64,
    ) -> Result<enums::messages::ExportedChatInvite, RpcError> {
        Ok(enums::messages::ExportedChatInvite::ExportedChatInvite(
            types::messages::ExportedChatInvite {
                invite: self.exported_tl(record),
                users: self.link_users(viewer, &[record], now).await?,
            },
        ))
    }

    pub(crate) async fn messages_get_exported_chat_invites(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetExportedChatInvites,
    ) -> Result<enums::messages::ExportedChatInvites, RpcError> {
        let peer = self.link_group(viewer, &req.peer)?;
        let admin_id = self.link_admin(viewer, &req.admin_id)?;
        let offset = match (req.offset_date, &req.offset_link) {
            (Some(date), Some(link)) => Some((i64::from(date), link_hash(link).to_owned())),
            _ => None,
        };
        let query = InvitesQuery {
            peer,
            admin_id,
            revoked: req.revoked,
            offset,
            limit: usize::try_from(req.limit).unwrap_or(0),
        };
        let page = self.messaging.list_invites(viewer, query).await?;
        let records: Vec<&InviteRecord> = page.invites.iter().collect();
        let users = self.link_users(viewer, &records, ctx.now).await?;
        Ok(enums::messages::ExportedChatInvites::ExportedChatInvites(
            types::messages::ExportedChatInvites {
                count: i32::try_from(page.count).unwrap_or(i32::MAX),
                invites: page.invites.iter().map(|r| self.exported_tl(r)).collect(),
                users,
            },
        ))
    }

    pub(crate) async fn messages_get_exported_chat_invite(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetExportedChatInvite,
    ) -> Result<enums::messages::ExportedChatInvite, RpcError> {
        let peer = self.link_group(viewer, &req.peer)?;
        let record = self
            .messaging
            .get_managed_invite(viewer, peer, link_hash(&req.link))
            .await?;
        self.one_link(viewer, &record, ctx.now).await
    }

    /// chappe keeps no permanent link per admin, so revoking one never
    /// replaces it: the answer is always `messages.exportedChatInvite`.
    pub(crate) async fn messages_edit_exported_chat_invite(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::EditExportedChatInvite,
    ) -> Result<enums::messages::ExportedChatInvite, RpcError> {
        if req.request_needed == Some(true) {
            // Join requests are not kept yet.
            return Err(RpcError::method_not_implemented());
        }
        let peer = self.link_group(viewer, &req.peer)?;
        if req.usage_limit.is_some_and(|l| !(0..=99_999).contains(&l)) {
            return Err(RpcError::bad_request("USAGE_LIMIT_INVALID"));
        }
        let expire_date = req.expire_date.map(|d| optional_date(Some(d)));
        if expire_date.flatten().is_some_and(|at| at <= ctx.now) {
            return Err(RpcError::bad_request("EXPIRE_DATE_INVALID"));
        }
        let edit = InviteEdit {
            revoke: req.revoked,
            expire_date,
            usage_limit: req.usage_limit.map(|l| Some(l).filter(|&l| l > 0)),
            title: req.title.map(|t| {
                t.chars()
                    .take(chappe_core::messaging::invites::MAX_INVITE_TITLE_CHARS)
                    .collect()
            }),
        };
        let record = self
            .messaging
            .edit_invite(viewer, peer, link_hash(&req.link), edit)
            .await?;
        self.one_link(viewer, &record, ctx.now).await
    }

    pub(crate) async fn messages_delete_exported_chat_invite(
        &self,
        viewer: i64,
        req: functions::messages::DeleteExportedChatInvite,
    ) -> Result<bool, RpcError> {
        let peer = self.link_group(viewer, &req.peer)?;
        self.messaging
            .delete_invite(viewer, peer, link_hash(&req.link))
            .await?;
        Ok(true)
    }

    pub(crate) async fn messages_delete_revoked_exported_chat_invites(
        &self,
        viewer: i64,
        req: functions::messages::DeleteRevokedExportedChatInvites,
    ) -> Result<bool, RpcError> {
        let peer = self.link_group(viewer, &req.peer)?;
        let admin_id = self.link_admin(viewer, &req.admin_id)?;
        self.messaging
            .delete_revoked_invites(viewer, peer, admin_id)
            .await?;
        Ok(true)
    }

    pub(crate) async fn messages_get_admins_with_invites(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetAdminsWithInvites,
    ) -> Result<enums::messages::ChatAdminsWithInvites, RpcError> {
        let peer = self.link_group(viewer, &req.peer)?;
        let admins = self.messaging.admins_with_invites(viewer, peer).await?;
        let ids: Vec<i64> = admins.iter().map(|a| a.admin_id).collect();
        let users = self.users_seen_by(viewer, &ids, ctx.now).await?;
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        Ok(
            enums::messages::ChatAdminsWithInvites::ChatAdminsWithInvites(
                types::messages::ChatAdminsWithInvites {
                    admins: admins
                        .iter()
                        .map(|a| {
                            enums::ChatAdminWithInvites::ChatAdminWithInvites(
                                types::ChatAdminWithInvites {
                                    admin_id: a.admin_id,
                                    invites_count: count(a.live),
                                    revoked_invites_count: count(a.revoked),
                                },
                            )
                        })
                        .collect(),
                    users,
                },
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::link_hash;

    #[test]
    fn link_hash_takes_the_hash_from_any_link_form() {
        assert_eq!(link_hash("https://t.me/+AbC_d-9"), "AbC_d-9");
        assert_eq!(link_hash("t.me/joinchat/AbC"), "AbC");
        assert_eq!(link_hash("AbC"), "AbC");
        assert_eq!(link_hash("+AbC/"), "AbC");
    }
}
