//! Creating a group and changing its members, title and admins; leaving
//! with `revoke_history` also clears the leaver's copy of the history.

use chappe_tl::api::{enums, functions, types};

use super::convert::view_after;
use super::Extra;
use crate::convert::clamp_date;
use crate::messages::convert::entry_update;
use crate::{Api, RequestContext, RpcError};

fn invited(updates: enums::Updates) -> enums::messages::InvitedUsers {
    enums::messages::InvitedUsers::InvitedUsers(types::messages::InvitedUsers {
        updates,
        // Nobody restricts who may invite them yet.
        missing_invitees: Vec::new(),
    })
}

impl Api {
    pub(crate) async fn messages_create_chat(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::CreateChat,
    ) -> Result<enums::messages::InvitedUsers, RpcError> {
        if req.ttl_period.is_some_and(|t| t != 0) {
            // Auto-deleting messages are not kept yet.
            return Err(RpcError::method_not_implemented());
        }
        let mut users = Vec::with_capacity(req.users.len());
        for input in &req.users {
            users.push(self.resolve_input_user(viewer, input)?);
        }
        let write = self
            .messaging
            .create_chat(viewer, &req.title, &users, ctx.now)
            .await?;
        let updates = self
            .deliver_write(ctx, viewer, &write, Extra::Participants)
            .await?;
        Ok(invited(updates))
    }

    pub(crate) async fn messages_add_chat_user(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::AddChatUser,
    ) -> Result<enums::messages::InvitedUsers, RpcError> {
        let user = self.resolve_input_user(viewer, &req.user_id)?;
        // fwd_limit (how much history the new member sees) has no meaning
        // here: a new member's box starts empty.
        let write = self
            .messaging
            .add_chat_user(viewer, req.chat_id, user, ctx.now)
            .await?;
        let updates = self
            .deliver_write(ctx, viewer, &write, Extra::Participants)
            .await?;
        Ok(invited(updates))
    }

    pub(crate) async fn messages_delete_chat_user(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::DeleteChatUser,
    ) -> Result<enums::Updates, RpcError> {
        let user = self.resolve_input_user(viewer, &req.user_id)?;
        if req.revoke_history && user != viewer {
            // Removing someone's messages from every member's box is not
            // done yet; leaving with one's own history cleared is.
            return Err(RpcError::method_not_implemented());
        }
        let write = self
            .messaging
            .delete_chat_user(viewer, req.chat_id, user, ctx.now)
            .await?;
        let mut result = self
            .deliver_write(ctx, viewer, &write, Extra::Participants)
            .await?;
        if req.revoke_history {
            let cleared = self
                .messaging
                .clear_chat_history(viewer, req.chat_id, ctx.now)
                .await?;
            let deletes: Vec<enums::Update> = cleared
                .iter()
                .filter_map(|outcome| outcome.mine.as_ref().and_then(entry_update))
                .collect();
            if !deletes.is_empty() {
                let push = enums::Updates::Updates(types::Updates {
                    updates: deletes.clone(),
                    users: Vec::new(),
                    chats: Vec::new(),
                    date: clamp_date(ctx.now),
                    seq: 0,
                });
                self.fanout
                    .to_user(viewer, &push, Some(super::own_session(ctx)));
                if let enums::Updates::Updates(u) = &mut result {
                    u.updates.extend(deletes);
                }
            }
        }
        Ok(result)
    }

    pub(crate) async fn messages_edit_chat_title(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::EditChatTitle,
    ) -> Result<enums::Updates, RpcError> {
        let write = self
            .messaging
            .edit_chat_title(viewer, req.chat_id, &req.title, ctx.now)
            .await?;
        self.deliver_write(ctx, viewer, &write, Extra::None).await
    }

    pub(crate) async fn messages_edit_chat_admin(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::EditChatAdmin,
    ) -> Result<bool, RpcError> {
        let user = self.resolve_input_user(viewer, &req.user_id)?;
        let write = self
            .messaging
            .edit_chat_admin(viewer, req.chat_id, user, req.is_admin, ctx.now)
            .await?;
        // No message: every member (the caller's other sessions too) learns
        // of it from this update alone.
        for member in &write.participants {
            let view = view_after(&write, member.user_id, None);
            let updates = enums::Updates::Updates(types::Updates {
                updates: vec![enums::Update::UpdateChatParticipantAdmin(
                    types::UpdateChatParticipantAdmin {
                        chat_id: write.chat.id,
                        user_id: user,
                        is_admin: req.is_admin,
                        version: write.chat.version,
                    },
                )],
                users: Vec::new(),
                chats: vec![super::convert::chat_tl(&view)],
                date: clamp_date(ctx.now),
                seq: 0,
            });
            let except = (member.user_id == viewer).then(|| super::own_session(ctx));
            self.fanout.to_user(member.user_id, &updates, except);
        }
        Ok(true)
    }
}
