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
            Request::MessagesExportChatInvite(req) => {
                answer!(self.messages_export_chat_invite(ctx, viewer(ctx)?, req))
            }
            Request::MessagesCheckChatInvite(req) => {
                answer!(self.messages_check_chat_invite(ctx, viewer(ctx)?, req))
            }
            Request::MessagesImportChatInvite(req) => Box::pin(async move {
                ok(layered::join_result(
                    self.messages_import_chat_invite(ctx, viewer(ctx)?, req)
                        .await?,
                ))
            }),
            Request::MessagesGetExportedChatInvites(req) => {
                answer!(self.messages_get_exported_chat_invites(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetExportedChatInvite(req) => {
                answer!(self.messages_get_exported_chat_invite(ctx, viewer(ctx)?, req))
            }
            Request::MessagesEditExportedChatInvite(req) => {
                answer!(self.messages_edit_exported_chat_invite(ctx, viewer(ctx)?, req))
            }
            Request::MessagesDeleteExportedChatInvite(req) => {
                answer!(self.messages_delete_exported_chat_invite(viewer(ctx)?, req))
            }
            Request::MessagesDeleteRevokedExportedChatInvites(req) => {
                answer!(self.messages_delete_revoked_exported_chat_invites(viewer(ctx)?, req))
            }
            Request::MessagesGetAdminsWithInvites(req) => {
                answer!(self.messages_get_admins_with_invites(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
