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
            Request::MessagesDeleteChatUser(req) => {
                answer!(self.messages_delete_chat_user(ctx, viewer(ctx)?, req))
            }
            Request::MessagesEditChatTitle(req) => {
                answer!(self.messages_edit_chat_title(ctx, viewer(ctx)?, req))
            }
            Request::MessagesEditChatAdmin(req) => {
                answer!(self.messages_edit_chat_admin(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetChats(req) => answer!(self.messages_get_chats(viewer(ctx)?, req)),
            Request::MessagesGetFullChat(req) => {
                answer!(self.messages_get_full_chat(ctx, viewer(ctx)?, req))
            }
            Request::MessagesMigrateChat(req) => {
                answer!(self.messages_migrate_chat(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_messages_invites(ctx, other),
        }
    }
}
