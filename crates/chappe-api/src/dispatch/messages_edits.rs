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
                Box::pin(
                    async move { ok(self.messages_edit_message(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesDeleteMessages(req) => Box::pin(async move {
                ok(self
                    .messages_delete_messages(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesDeleteHistory(req) => {
                Box::pin(
                    async move { ok(self.messages_delete_history(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesForwardMessages(req) => Box::pin(async move {
                ok(self
                    .messages_forward_messages(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesSearch(req) => {
                Box::pin(async move { ok(self.messages_search(ctx, viewer(ctx)?, req).await?) })
            }
            Request::MessagesSearchGlobal(req) => {
                Box::pin(
                    async move { ok(self.messages_search_global(ctx, viewer(ctx)?, req).await?) },
                )
            }
            Request::MessagesSaveDraft(req) => {
                Box::pin(async move { ok(self.messages_save_draft(ctx, viewer(ctx)?, req).await?) })
            }
            Request::MessagesGetAllDrafts(_) => {
                Box::pin(async move { ok(self.messages_get_all_drafts(ctx, viewer(ctx)?).await?) })
            }
            Request::MessagesToggleDialogPin(req) => Box::pin(async move {
                ok(self
                    .messages_toggle_dialog_pin(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesReorderPinnedDialogs(req) => Box::pin(async move {
                ok(self
                    .messages_reorder_pinned_dialogs(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            Request::MessagesGetPinnedDialogs(req) => Box::pin(async move {
                ok(self
                    .messages_get_pinned_dialogs(ctx, viewer(ctx)?, req)
                    .await?)
            }),
            other => self.dispatch_messages_chats(ctx, other),
        }
    }
}
