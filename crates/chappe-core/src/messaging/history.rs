//! One chat's history with `messages.getHistory` paging
//! (core.telegram.org/api/offsets): messages newest first; `offset_id`
//! (or `offset_date`) marks a position, `add_offset` shifts the window from
//! it (negative: towards newer messages), `max_id`/`min_id` bound the ids.

use chappe_store::{HistoryQuery, MessageRecord, Peer};

use super::{Messaging, MessagingError};

/// The most messages one page returns (Telegram's limit for getHistory).
pub const MAX_HISTORY_LIMIT: i32 = 100;
/// A page size of 0 or less asks for this many.
const DEFAULT_LIMIT: i32 = 20;
/// `add_offset` is capped so one call reads a bounded number of rows.
const MAX_ADD_OFFSET: i32 = 1000;

/// The paging parameters of `messages.getHistory`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryRequest {
    pub offset_id: i32,
    pub offset_date: i64,
    pub add_offset: i32,
    pub limit: i32,
    pub max_id: i32,
    pub min_id: i32,
}

/// One page of history and how many messages the chat holds in all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryPage {
    /// Newest first.
    pub messages: Vec<MessageRecord>,
    pub count: usize,
}

impl Messaging {
    /// A page of `owner`'s chat with `peer`.
    pub async fn history(
        &self,
        owner: i64,
        peer: Peer,
        req: HistoryRequest,
    ) -> Result<HistoryPage, MessagingError> {
        self.check_peer(owner, peer).await?;
        let limit = if req.limit <= 0 {
            DEFAULT_LIMIT
        } else {
            req.limit.min(MAX_HISTORY_LIMIT)
        };
        let upper = (req.max_id > 0).then_some(req.max_id);
        let lower = (req.min_id > 0).then_some(req.min_id);
        // The position the window is counted from: messages with ids below
        // it are "older". None: the newest end of the chat.
        let pivot = if req.offset_id > 0 {
            Some(req.offset_id)
        } else if req.offset_date > 0 {
            Some(
                self.first_id_at_or_after(owner, peer, req.offset_date)
                    .await?,
            )
        } else {
            None
        };
        let add_offset = req.add_offset.clamp(-limit, MAX_ADD_OFFSET);

        let mut messages = Vec::new();
        let mut older_take = limit;
        if add_offset < 0 {
            if let Some(pivot) = pivot {
                // The -add_offset messages closest above the pivot
                // (inclusive), newest first.
                let above = lower.max(Some(pivot.saturating_sub(1)));
                let mut newer = self
                    .store
                    .history(
                        owner,
                        HistoryQuery {
                            peer,
                            below: upper,
                            above,
                            newest_first: false,
                            limit: usize::try_from(-add_offset).unwrap_or(0),
                        },
                    )
                    .await?;
                newer.reverse();
                messages = newer;
            }
            older_take = limit + add_offset;
        }
        let skip = usize::try_from(add_offset.max(0)).unwrap_or(0);
        let take = usize::try_from(older_take).unwrap_or(0);
        if take > 0 {
            let below = match (pivot, upper) {
                (Some(p), Some(u)) => Some(p.min(u)),
                (p, u) => p.or(u),
            };
            let older = self
                .store
                .history(
                    owner,
                    HistoryQuery {
                        peer,
                        below,
                        above: lower,
                        newest_first: true,
                        limit: skip + take,
                    },
                )
                .await?;
            messages.extend(older.into_iter().skip(skip));
        }
        let count = self.store.history_count(owner, peer).await?;
        Ok(HistoryPage { messages, count })
    }

    /// The id just above the newest message sent before `date`, so that
    /// "ids below it" are exactly the messages older than `date`.
    async fn first_id_at_or_after(
        &self,
        owner: i64,
        peer: Peer,
        date: i64,
    ) -> Result<i32, MessagingError> {
        let mut below = None;
        loop {
            let page = self
                .store
                .history(
                    owner,
                    HistoryQuery {
                        peer,
                        below,
                        above: None,
                        newest_first: true,
                        limit: 100,
                    },
                )
                .await?;
            let Some(last) = page.last() else {
                // Nothing is older than `date`.
                return Ok(1);
            };
            if let Some(m) = page.iter().find(|m| m.date < date) {
                return Ok(m.id.saturating_add(1));
            }
            below = Some(last.id);
        }
    }
}
