//! The `messages` methods for basic groups, their migration to a
//! supergroup included.

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{layered, Api, RequestContext};

impl Api {
    pub(super) fn dispatch_messages_chats<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::MessagesCreateChat(req) => Box::pin(async move {
                ok(layered::invited_users(
                    self.messages_create_chat(ctx, viewer(ctx)?, req).await?,
                ))
            }),
            Request::MessagesAddChatUser(req) => Box::pin(async move {
                ok(layered::invited_users(
                    self.messages_add_chat_user(ctx, viewer(ctx)?, req).await?,
                ))
            }),
            Request::MessagesDeleteChatUser(req) => Box::pin(async move {
                ok(self
                    .messages_delete_chat_user(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesEditChatTitle(req) => Box::pin(async move {
                ok(self
                    .messages_edit_chat_title(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesEditChatAdmin(req) => Box::pin(async move {
                ok(self
                    .messages_edit_chat_admin(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesGetChats(req) => {
                Box::pin(async move { ok(self.messages_get_chats(viewer(ctx)?, req).await?) })
            }
            Request::MessagesGetFullChat(req) => {
                Box::pin(
                    async move { ok(self.messages_get_full_chat(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesMigrateChat(req) => {
                Box::pin(
                    async move { ok(self.messages_migrate_chat(ctx, viewer(ctx)?, req).await?) },
                )
            }
            other => self.dispatch_messages_invites(ctx, other),
        }
    }
}
