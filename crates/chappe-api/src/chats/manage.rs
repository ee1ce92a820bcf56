//! Creating a group and changing its members, title and admins.

use chappe_tl::api::{enums, functions, types};

use super::convert::view_after;
use super::Extra;
use crate::convert::clamp_date;
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
        if req.revoke_history {
            // Clearing the leaver's history needs group deletes.
            return Err(RpcError::method_not_implemented());
        }
        let user = self.resolve_input_user(viewer, &req.user_id)?;
        let write = self
            .messaging
            .delete_chat_user(viewer, req.chat_id, user, ctx.now)
            .await?;
        self.deliver_write(ctx, viewer, &write, Extra::Participants)
            .await
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
