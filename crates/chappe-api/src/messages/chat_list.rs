//! The chat list state beside messages: drafts (`messages.saveDraft`,
//! `getAllDrafts`, cleared by `sendMessage`'s `clear_draft`) and pinned
//! dialogs (`toggleDialogPin`, `reorderPinnedDialogs`, `getPinnedDialogs`),
//! and how both show in `getDialogs`. Neither has a pts: the user's other
//! sessions learn of a change from a push only.

use chappe_core::messaging::DialogsPage;
use chappe_store::{DraftRecord, Peer};
use chappe_tl::api::{enums, functions, types};

use super::convert::{entities_blob, entities_tl, peer_tl};
use super::own_session;
use crate::convert::clamp_date;
use crate::{Api, RequestContext, RpcError};

fn draft_tl(draft: Option<&DraftRecord>, now: i64) -> enums::DraftMessage {
    match draft {
        None => enums::DraftMessage::DraftMessageEmpty(types::DraftMessageEmpty {
            date: Some(clamp_date(now)),
        }),
        Some(d) => enums::DraftMessage::DraftMessage(types::DraftMessage {
            no_webpage: d.no_webpage,
            reply_to: d.reply_to.map(|id| {
                enums::InputReplyTo::InputReplyToMessage(types::InputReplyToMessage {
                    reply_to_msg_id: id,
                    ..types::InputReplyToMessage::default()
                })
            }),
            message: d.text.clone(),
            entities: entities_tl(&d.entities),
            date: clamp_date(d.date),
            ..types::DraftMessage::default()
        }),
    }
}

fn draft_update(peer: Peer, draft: Option<&DraftRecord>, now: i64) -> enums::Update {
    enums::Update::UpdateDraftMessage(types::UpdateDraftMessage {
        peer: peer_tl(peer),
        top_msg_id: None,
        saved_peer_id: None,
        draft: draft_tl(draft, now),
    })
}

fn dialog_peer_tl(peer: Peer) -> enums::DialogPeer {
    enums::DialogPeer::DialogPeer(types::DialogPeer {
        peer: peer_tl(peer),
    })
}

fn one_update(update: enums::Update, now: i64) -> enums::Updates {
    enums::Updates::UpdateShort(types::UpdateShort {
        update,
        date: clamp_date(now),
    })
}

/// Marks the page's pinned dialogs and attaches their drafts.
pub(crate) fn decorate_dialogs(page: &DialogsPage, dialogs: &mut [enums::Dialog]) {
    for (record, dialog) in page.dialogs.iter().zip(dialogs.iter_mut()) {
        let enums::Dialog::Dialog(d) = dialog else {
            continue;
        };
        d.pinned = page.pinned.contains(&record.peer);
        d.draft = page
            .drafts
            .iter()
            .find(|(p, _)| *p == record.peer)
            .map(|(_, draft)| draft_tl(Some(draft), 0));
    }
}

impl Api {
    fn dialog_peer(&self, viewer: i64, input: &enums::InputDialogPeer) -> Result<Peer, RpcError> {
        match input {
            enums::InputDialogPeer::InputDialogPeer(p) => self.resolve_peer(viewer, &p.peer),
            _ => Err(super::peer_id_invalid()),
        }
    }

    pub(crate) async fn messages_save_draft(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::SaveDraft,
    ) -> Result<bool, RpcError> {
        if req.media.is_some() || req.suggested_post.is_some() || req.rich_message.is_some() {
            return Err(RpcError::method_not_implemented());
        }
        let peer = self.resolve_peer(viewer, &req.peer)?;
        let reply_to = match &req.reply_to {
            Some(enums::InputReplyTo::InputReplyToMessage(r)) if r.reply_to_peer_id.is_none() => {
                Some(r.reply_to_msg_id)
            }
            Some(_) => return Err(RpcError::bad_request("REPLY_TO_INVALID")),
            None => None,
        };
        let draft = DraftRecord {
            text: req.message,
            entities: entities_blob(&req.entities),
            reply_to,
            no_webpage: req.no_webpage,
            date: ctx.now,
        };
        let saved = self.messaging.save_draft(viewer, peer, draft).await?;
        let push = one_update(draft_update(peer, saved.as_ref(), ctx.now), ctx.now);
        self.fanout.to_user(viewer, &push, Some(own_session(ctx)));
        Ok(true)
    }

    /// Clears the caller's draft for `peer` after a send and tells their
    /// other sessions; a missing draft changes nothing.
    pub(crate) async fn clear_draft_after_send(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        peer: Peer,
    ) -> Result<(), RpcError> {
        if self.messaging.clear_draft(viewer, peer).await? {
            let push = one_update(draft_update(peer, None, ctx.now), ctx.now);
            self.fanout.to_user(viewer, &push, Some(own_session(ctx)));
        }
        Ok(())
    }

    pub(crate) async fn messages_get_all_drafts(
        &self,
        ctx: &RequestContext,
        viewer: i64,
    ) -> Result<enums::Updates, RpcError> {
        let drafts = self.messaging.drafts(viewer).await?;
        let user_ids: Vec<i64> = drafts
            .iter()
            .filter_map(|(p, _)| match p {
                Peer::User(id) => Some(*id),
                Peer::Chat(_) | Peer::Channel(_) => None,
            })
            .collect();
        let users = self.users_seen_by(viewer, &user_ids, ctx.now).await?;
        let updates = drafts
            .iter()
            .map(|(peer, d)| draft_update(*peer, Some(d), ctx.now))
            .collect();
        Ok(enums::Updates::Updates(types::Updates {
            updates,
            users,
            chats: Vec::new(),
            date: clamp_date(ctx.now),
            seq: 0,
        }))
    }

    pub(crate) async fn messages_toggle_dialog_pin(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::ToggleDialogPin,
    ) -> Result<bool, RpcError> {
        let peer = self.dialog_peer(viewer, &req.peer)?;
        if self.messaging.toggle_pin(viewer, peer, req.pinned).await? {
            let update = enums::Update::UpdateDialogPinned(types::UpdateDialogPinned {
                pinned: req.pinned,
                folder_id: None,
                peer: dialog_peer_tl(peer),
            });
            self.fanout
                .to_user(viewer, &one_update(update, ctx.now), Some(own_session(ctx)));
        }
        Ok(true)
    }

    pub(crate) async fn messages_reorder_pinned_dialogs(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::ReorderPinnedDialogs,
    ) -> Result<bool, RpcError> {
        if req.folder_id != 0 {
            // Folders (the archive) are not kept: nothing is pinned there.
            return Err(RpcError::bad_request("FOLDER_ID_INVALID"));
        }
        let order = req
            .order
            .iter()
            .map(|p| self.dialog_peer(viewer, p))
            .collect::<Result<Vec<_>, _>>()?;
        let list = self
            .messaging
            .reorder_pinned(viewer, &order, req.force)
            .await?;
        let update = enums::Update::UpdatePinnedDialogs(types::UpdatePinnedDialogs {
            folder_id: None,
            order: Some(list.into_iter().map(dialog_peer_tl).collect()),
        });
        self.fanout
            .to_user(viewer, &one_update(update, ctx.now), Some(own_session(ctx)));
        Ok(true)
    }

    pub(crate) async fn messages_get_pinned_dialogs(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetPinnedDialogs,
    ) -> Result<enums::messages::PeerDialogs, RpcError> {
        let peers = if req.folder_id == 0 {
            self.messaging.pinned_dialogs(viewer).await?
        } else {
            Vec::new()
        };
        let page = self.messaging.peer_dialogs(viewer, &peers).await?;
        let (dialogs, messages, users) = self.dialogs_parts(ctx, viewer, &page).await?;
        let state = self.updates_state(ctx, viewer).await?;
        Ok(enums::messages::PeerDialogs::PeerDialogs(
            types::messages::PeerDialogs {
                dialogs,
                messages,
                chats: Vec::new(),
                users,
                state,
            },
        ))
    }
}
