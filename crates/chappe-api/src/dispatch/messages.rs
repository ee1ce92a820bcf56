//! The `messages` namespace, first part: sending, reading and the dialog
//! list. Its other methods are passed on to [`super::messages_edits`],
//! [`super::messages_chats`] and [`super::messages_invites`] in turn.

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{Api, RequestContext};

impl Api {
    pub(super) fn dispatch_messages<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::MessagesSendMessage(req) => {
                Box::pin(
                    async move { ok(self.messages_send_message(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesGetHistory(req) => {
                Box::pin(
                    async move { ok(self.messages_get_history(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesGetDialogs(req) => {
                Box::pin(
                    async move { ok(self.messages_get_dialogs(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesGetPeerDialogs(req) => Box::pin(async move {
                ok(self
                    .messages_get_peer_dialogs(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesGetMessages(req) => {
                Box::pin(
                    async move { ok(self.messages_get_messages(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesReadHistory(req) => {
                Box::pin(
                    async move { ok(self.messages_read_history(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesSetTyping(req) => {
                Box::pin(async move { ok(self.messages_set_typing(ctx, viewer(ctx)?, req).await?) })
            }
            other => self.dispatch_messages_edits(ctx, other),
        }
    }
}
