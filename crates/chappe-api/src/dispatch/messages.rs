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
                answer!(self.messages_send_message(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetHistory(req) => {
                answer!(self.messages_get_history(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetDialogs(req) => {
                answer!(self.messages_get_dialogs(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetPeerDialogs(req) => {
                answer!(self.messages_get_peer_dialogs(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetMessages(req) => {
                answer!(self.messages_get_messages(ctx, viewer(ctx)?, req))
            }
            Request::MessagesReadHistory(req) => {
                answer!(self.messages_read_history(ctx, viewer(ctx)?, req))
            }
            Request::MessagesSetTyping(req) => {
                answer!(self.messages_set_typing(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_messages_edits(ctx, other),
        }
    }
}
