//! `messages.editMessage`, `deleteMessages`, `deleteHistory`,
//! `forwardMessages` and `setTyping` for private chats (an edit in a
//! channel goes on to `crate::channels`). Each change is
//! committed by [`chappe_core::Messaging`] before the answer is built; then
//! the caller's other sessions and the other participant get the same
//! updates pushed (their log already holds them for
//! `updates.getDifference`).

use chappe_core::messaging::ForwardRequest;
use chappe_store::{
    DeleteOutcome, ForwardHeader, MessageRecord, Peer, StoredCopy, UpdateEntry, UpdateKind,
};
use chappe_tl::api::{enums, functions, types};

use super::convert::{entities_blob, entry_update, message_tl, peer_tl};
use super::own_session;
use crate::convert::clamp_date;
use crate::{Api, RequestContext, RpcError};

pub(crate) fn fwd_header_tl(fwd: ForwardHeader) -> enums::MessageFwdHeader {
    enums::MessageFwdHeader::MessageFwdHeader(types::MessageFwdHeader {
        from_id: Some(peer_tl(Peer::User(fwd.from_id))),
        date: clamp_date(fwd.date),
        ..types::MessageFwdHeader::default()
    })
}

/// A difference's log entries as TL: the new messages, and every other
/// entry as its update (an edit shows the message as it is now; one whose
/// message has since been deleted is left out, the later delete says so).
pub(crate) fn difference_parts(
    entries: &[UpdateEntry],
    messages: &[MessageRecord],
) -> (Vec<enums::Message>, Vec<enums::Update>) {
    let find = |id: i32| messages.iter().find(|m| m.id == id);
    let mut new_messages = Vec::new();
    let mut other_updates = Vec::new();
    for entry in entries {
        match entry.kind {
            UpdateKind::NewMessage { id } => {
                if let Some(m) = find(id) {
                    new_messages.push(message_tl(m));
                }
            }
            UpdateKind::EditMessage { id } => {
                if let Some(m) = find(id) {
                    other_updates.push(edit_update(m, entry.pts));
                }
            }
            _ => other_updates.extend(entry_update(entry)),
        }
    }
    (new_messages, other_updates)
}

fn edit_update(m: &MessageRecord, pts: i32) -> enums::Update {
    enums::Update::UpdateEditMessage(types::UpdateEditMessage {
        message: message_tl(m),
        pts,
        pts_count: 1,
    })
}

fn new_message_update(copy: &StoredCopy) -> enums::Update {
    enums::Update::UpdateNewMessage(types::UpdateNewMessage {
        message: message_tl(&copy.message),
        pts: copy.pts,
        pts_count: 1,
    })
}

fn updates_of(updates: Vec<enums::Update>, users: Vec<enums::User>, now: i64) -> enums::Updates {
    enums::Updates::Updates(types::Updates {
        updates,
        users,
        chats: Vec::new(),
        date: clamp_date(now),
        seq: 0,
    })
}

impl Api {
    /// `updates` carrying `updates` with the users `messages` name, as
    /// `viewer` sees them.
    async fn updates_for(
        &self,
        viewer: i64,
        updates: Vec<enums::Update>,
        messages: &[&MessageRecord],
        now: i64,
    ) -> Result<enums::Updates, RpcError> {
        let ids = chappe_core::messaging::referenced_users(messages.iter().copied());
        let users = self.users_seen_by(viewer, &ids, now).await?;
        Ok(updates_of(updates, users, now))
    }

    pub(crate) async fn messages_edit_message(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::EditMessage,
    ) -> Result<enums::Updates, RpcError> {
        if req.media.is_some()
            || req.reply_markup.is_some()
            || req.schedule_date.is_some()
            || req.quick_reply_shortcut_id.is_some()
            || req.rich_message.is_some()
        {
            // Media, keyboards and scheduled or quick-reply messages do
            // not exist in chappe yet.
            return Err(RpcError::method_not_implemented());
        }
        let peer = self.resolve_peer(viewer, &req.peer)?;
        let entities = req
            .entities
            .as_ref()
            .map(|e| entities_blob(&Some(e.clone())));
        if let Peer::Channel(channel_id) = peer {
            // Boxed: the channel path would otherwise grow every request's future.
            return Box::pin(self.channel_edit_message(
                ctx,
                viewer,
                channel_id,
                req.id,
                req.message,
                entities,
            ))
            .await;
        }
        let edited = self
            .messaging
            .edit_private(viewer, peer, req.id, req.message, entities, ctx.now)
            .await?;
        let mine = &edited.mine;
        let result = self
            .updates_for(
                viewer,
                vec![edit_update(&mine.message, mine.pts)],
                &[&mine.message],
                ctx.now,
            )
            .await?;
        self.fanout.to_user(viewer, &result, Some(own_session(ctx)));
        if let Some((other, theirs)) = &edited.theirs {
            let push = self
                .updates_for(
                    *other,
                    vec![edit_update(&theirs.message, theirs.pts)],
                    &[&theirs.message],
                    ctx.now,
                )
                .await?;
            self.fanout.to_user(*other, &push, None);
        }
        Ok(result)
    }

    /// Pushes a delete to the caller's other sessions and to every box
    /// whose copies went.
    fn push_deleted(&self, ctx: &RequestContext, viewer: i64, outcome: &DeleteOutcome) {
        if let Some(update) = outcome.mine.as_ref().and_then(entry_update) {
            let updates = updates_of(vec![update], Vec::new(), ctx.now);
            self.fanout
                .to_user(viewer, &updates, Some(own_session(ctx)));
        }
        for (other, entry) in &outcome.others {
            if let Some(update) = entry_update(entry) {
                let updates = updates_of(vec![update], Vec::new(), ctx.now);
                self.fanout.to_user(*other, &updates, None);
            }
        }
    }

    pub(crate) async fn messages_delete_messages(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::DeleteMessages,
    ) -> Result<enums::messages::AffectedMessages, RpcError> {
        let outcome = self
            .messaging
            .delete_messages(viewer, &req.id, req.revoke, ctx.now)
            .await?;
        self.push_deleted(ctx, viewer, &outcome);
        Ok(enums::messages::AffectedMessages::AffectedMessages(
            types::messages::AffectedMessages {
                pts: outcome.pts,
                pts_count: outcome.mine.as_ref().map_or(0, |e| e.pts_count),
            },
        ))
    }

    pub(crate) async fn messages_delete_history(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::DeleteHistory,
    ) -> Result<enums::messages::AffectedHistory, RpcError> {
        if req.min_date.is_some() || req.max_date.is_some() {
            // Deleting a date range needs a date index chappe does not keep.
            return Err(RpcError::method_not_implemented());
        }
        let peer = self.resolve_peer(viewer, &req.peer)?;
        // just_clear clears the caller's side only, whatever revoke says.
        let revoke = req.revoke && !req.just_clear;
        let deleted = self
            .messaging
            .delete_history(viewer, peer, req.max_id, revoke, ctx.now)
            .await?;
        self.push_deleted(ctx, viewer, &deleted.outcome);
        Ok(enums::messages::AffectedHistory::AffectedHistory(
            types::messages::AffectedHistory {
                pts: deleted.outcome.pts,
                pts_count: deleted.outcome.mine.as_ref().map_or(0, |e| e.pts_count),
                offset: deleted.offset,
            },
        ))
    }

    pub(crate) async fn messages_forward_messages(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::ForwardMessages,
    ) -> Result<enums::Updates, RpcError> {
        if req.top_msg_id.is_some()
            || req.reply_to.is_some()
            || req.schedule_date.is_some()
            || req.send_as.is_some()
            || req.quick_reply_shortcut.is_some()
            || req.suggested_post.is_some()
        {
            return Err(RpcError::method_not_implemented());
        }
        let from_peer = self.resolve_peer(viewer, &req.from_peer)?;
        let to_peer = self.resolve_peer(viewer, &req.to_peer)?;
        let sent = self
            .messaging
            .forward_private(
                viewer,
                ForwardRequest {
                    from_peer: Some(from_peer),
                    ids: req.id,
                    random_ids: req.random_id.clone(),
                    to_peer: Some(to_peer),
                    silent: req.silent,
                    drop_author: req.drop_author,
                },
                ctx.now,
            )
            .await?;
        let mut result = Vec::new();
        let mut mine_new = Vec::new();
        let mut mine_messages = Vec::new();
        let mut theirs: Vec<&StoredCopy> = Vec::new();
        for (one, random_id) in sent.iter().zip(&req.random_id) {
            let Some(copy) = &one.sender else {
                // A repeated random id whose first message was deleted.
                return Err(RpcError::bad_request("RANDOM_ID_DUPLICATE"));
            };
            result.push(enums::Update::UpdateMessageId(types::UpdateMessageId {
                id: copy.message.id,
                random_id: *random_id,
            }));
            result.push(new_message_update(copy));
            mine_messages.push(&copy.message);
            if !one.duplicate {
                mine_new.push(new_message_update(copy));
            }
            theirs.extend(&one.recipient);
        }
        let result = self
            .updates_for(viewer, result, &mine_messages, ctx.now)
            .await?;
        if !mine_new.is_empty() {
            let push = self
                .updates_for(viewer, mine_new, &mine_messages, ctx.now)
                .await?;
            self.fanout.to_user(viewer, &push, Some(own_session(ctx)));
        }
        if let (Peer::User(to), false) = (to_peer, theirs.is_empty()) {
            let messages: Vec<&MessageRecord> = theirs.iter().map(|c| &c.message).collect();
            let updates = theirs.iter().map(|c| new_message_update(c)).collect();
            let push = self.updates_for(to, updates, &messages, ctx.now).await?;
            self.fanout.to_user(to, &push, None);
        }
        Ok(result)
    }

    pub(crate) async fn messages_set_typing(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::SetTyping,
    ) -> Result<bool, RpcError> {
        let peer = self.resolve_peer(viewer, &req.peer)?;
        if let Some(to) = self.messaging.typing_recipient(viewer, peer).await? {
            let update = enums::Updates::UpdateShort(types::UpdateShort {
                update: enums::Update::UpdateUserTyping(types::UpdateUserTyping {
                    user_id: viewer,
                    top_msg_id: None,
                    action: req.action,
                }),
                date: clamp_date(ctx.now),
            });
            self.fanout.to_user(to, &update, None);
        }
        Ok(true)
    }
}
