//! The `messages` methods for chat invite links: exporting, checking and
//! importing them, and managing the links a chat has.

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{layered, Api, RequestContext};

impl Api {
    pub(super) fn dispatch_messages_invites<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::MessagesExportChatInvite(req) => Box::pin(async move {
                ok(self
                    .messages_export_chat_invite(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesCheckChatInvite(req) => Box::pin(async move {
                ok(self
                    .messages_check_chat_invite(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesImportChatInvite(req) => Box::pin(async move {
                ok(layered::join_result(
                    self.messages_import_chat_invite(ctx, viewer(ctx)?, req)
                        .await?,
                ))
            }),
            Request::MessagesGetExportedChatInvites(req) => Box::pin(async move {
                ok(self
                    .messages_get_exported_chat_invites(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesGetExportedChatInvite(req) => Box::pin(async move {
                ok(self
                    .messages_get_exported_chat_invite(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesEditExportedChatInvite(req) => Box::pin(async move {
                ok(self
                    .messages_edit_exported_chat_invite(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesDeleteExportedChatInvite(req) => Box::pin(async move {
                ok(self
                    .messages_delete_exported_chat_invite(viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesDeleteRevokedExportedChatInvites(req) => Box::pin(async move {
                ok(self
                    .messages_delete_revoked_exported_chat_invites(viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesGetAdminsWithInvites(req) => Box::pin(async move {
                ok(self
                    .messages_get_admins_with_invites(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            other => self.dispatch_rest(ctx, other),
        }
    }
}
