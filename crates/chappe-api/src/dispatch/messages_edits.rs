//! The `messages` methods that change or look up messages already sent:
//! edits, deletes, forwards, search, drafts and pinned dialogs.

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{Api, RequestContext};

impl Api {
    pub(super) fn dispatch_messages_edits<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::MessagesEditMessage(req) => {
                answer!(self.messages_edit_message(ctx, viewer(ctx)?, req))
            }
            Request::MessagesDeleteMessages(req) => {
                answer!(self.messages_delete_messages(ctx, viewer(ctx)?, req))
            }
            Request::MessagesDeleteHistory(req) => {
                answer!(self.messages_delete_history(ctx, viewer(ctx)?, req))
            }
            Request::MessagesForwardMessages(req) => {
                answer!(self.messages_forward_messages(ctx, viewer(ctx)?, req))
            }
            Request::MessagesSearch(req) => answer!(self.messages_search(ctx, viewer(ctx)?, req)),
            Request::MessagesSearchGlobal(req) => {
                answer!(self.messages_search_global(ctx, viewer(ctx)?, req))
            }
            Request::MessagesSaveDraft(req) => {
                answer!(self.messages_save_draft(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetAllDrafts(_) => {
                answer!(self.messages_get_all_drafts(ctx, viewer(ctx)?))
            }
            Request::MessagesToggleDialogPin(req) => {
                answer!(self.messages_toggle_dialog_pin(ctx, viewer(ctx)?, req))
            }
            Request::MessagesReorderPinnedDialogs(req) => {
                answer!(self.messages_reorder_pinned_dialogs(ctx, viewer(ctx)?, req))
            }
            Request::MessagesGetPinnedDialogs(req) => {
                answer!(self.messages_get_pinned_dialogs(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_messages_chats(ctx, other),
        }
    }
}
