//! The chat list (`messages.getDialogs`): pinned dialogs first (on the
//! first page, in pin order), then newest top message first, paged by the
//! top message of the last dialog the client has.

use chappe_store::{DialogRecord, DraftRecord, MessageRecord, Peer};

use super::{Messaging, MessagingError};

/// The most dialogs one page returns.
const MAX_DIALOGS_LIMIT: i32 = 100;

/// The paging parameters of `messages.getDialogs`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DialogsRequest {
    pub offset_date: i64,
    pub offset_id: i32,
    pub offset_peer: Option<Peer>,
    pub limit: i32,
    /// Leave pinned dialogs out.
    pub exclude_pinned: bool,
}

/// One page of dialogs, their top messages, and the total number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogsPage {
    pub dialogs: Vec<DialogRecord>,
    pub messages: Vec<MessageRecord>,
    pub count: usize,
    /// The page's dialogs that are pinned.
    pub pinned: Vec<Peer>,
    /// The drafts of the page's dialogs.
    pub drafts: Vec<(Peer, DraftRecord)>,
}

impl Messaging {
    /// A page of `owner`'s dialogs.
    pub async fn dialogs(
        &self,
        owner: i64,
        req: DialogsRequest,
    ) -> Result<DialogsPage, MessagingError> {
        let mut all = self.store.list_dialogs(owner).await?;
        let channel_tops = self.refresh_channel_dialogs(&mut all).await?;
        if !channel_tops.is_empty() {
            all.sort_by(|a, b| {
                (b.top_date, b.top_message, b.peer.key()).cmp(&(
                    a.top_date,
                    a.top_message,
                    a.peer.key(),
                ))
            });
        }
        let total = all.len();
        let pinned = self.pinned_dialogs(owner).await?;
        let first_page = req.offset_id <= 0 && req.offset_date <= 0;
        // Pinned dialogs lead the first page; later pages (and
        // exclude_pinned) never show them, so they are not paged twice.
        let mut lead = Vec::new();
        for &peer in &pinned {
            if let Some(at) = all.iter().position(|d| d.peer == peer) {
                let d = all.remove(at);
                if first_page && !req.exclude_pinned {
                    lead.push(d);
                }
            }
        }
        let count = if req.exclude_pinned { all.len() } else { total };
        let limit = usize::try_from(req.limit.clamp(0, MAX_DIALOGS_LIMIT)).unwrap_or(0);
        let limit = if limit == 0 {
            MAX_DIALOGS_LIMIT as usize
        } else {
            limit
        };
        // In a common box ids grow with time, so "after the offset" is
        // "top message below offset_id"; the date is the fallback when the
        // client sends no id.
        let dialogs: Vec<DialogRecord> = lead
            .into_iter()
            .chain(all.into_iter().filter(|d| {
                if req.offset_id > 0 {
                    d.top_message < req.offset_id
                } else if req.offset_date > 0 {
                    d.top_date < req.offset_date
                } else {
                    true
                }
            }))
            .take(limit)
            .collect();
        let messages = self.top_messages(owner, &dialogs, channel_tops).await?;
        self.page_with_chat_list(owner, dialogs, messages, count, &pinned)
            .await
    }

    /// The top messages of `dialogs`: from `owner`'s box, and for
    /// channels from `channel_tops` (the channel boxes' newest posts).
    async fn top_messages(
        &self,
        owner: i64,
        dialogs: &[DialogRecord],
        channel_tops: Vec<MessageRecord>,
    ) -> Result<Vec<MessageRecord>, MessagingError> {
        let ids: Vec<i32> = dialogs
            .iter()
            .filter(|d| !matches!(d.peer, Peer::Channel(_)))
            .map(|d| d.top_message)
            .collect();
        let mut messages = self.store.get_messages(owner, &ids).await?;
        messages.extend(
            channel_tops
                .into_iter()
                .filter(|m| dialogs.iter().any(|d| d.peer == m.peer)),
        );
        Ok(messages)
    }

    /// A page of `dialogs` with which of them are pinned and their drafts.
    async fn page_with_chat_list(
        &self,
        owner: i64,
        dialogs: Vec<DialogRecord>,
        messages: Vec<MessageRecord>,
        count: usize,
        pinned: &[Peer],
    ) -> Result<DialogsPage, MessagingError> {
        let pinned = dialogs
            .iter()
            .map(|d| d.peer)
            .filter(|p| pinned.contains(p))
            .collect();
        let drafts = self
            .store
            .list_drafts(owner)
            .await?
            .into_iter()
            .filter(|(p, _)| dialogs.iter().any(|d| d.peer == *p))
            .collect();
        Ok(DialogsPage {
            dialogs,
            messages,
            count,
            pinned,
            drafts,
        })
    }

    /// `owner`'s dialogs with these peers (missing ones skipped) and their
    /// top messages.
    pub async fn peer_dialogs(
        &self,
        owner: i64,
        peers: &[Peer],
    ) -> Result<DialogsPage, MessagingError> {
        let mut dialogs = Vec::new();
        for &peer in peers {
            if let Some(d) = self.store.get_dialog(owner, peer).await? {
                if !dialogs.contains(&d) {
                    dialogs.push(d);
                }
            }
        }
        let channel_tops = self.refresh_channel_dialogs(&mut dialogs).await?;
        let messages = self.top_messages(owner, &dialogs, channel_tops).await?;
        let count = dialogs.len();
        let pinned = self.pinned_dialogs(owner).await?;
        self.page_with_chat_list(owner, dialogs, messages, count, &pinned)
            .await
    }
}
