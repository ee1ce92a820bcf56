//! `messages.search` (one chat) and `messages.searchGlobal` (every private
//! chat): a case-insensitive substring match over the texts, newest first.
//!
//! There is no text index yet, so both scan: one chat through its history
//! index, the whole box by message id (ids grow with time in a common box,
//! so id order is time order across chats). A call looks at no more than
//! [`SEARCH_SCAN_LIMIT`] messages; beyond that the count is marked inexact.
//! What a filter asks beyond the text (links, media) is the caller's
//! `also` predicate, so the core never looks inside entities.

use chappe_store::{HistoryQuery, MessageRecord, Peer};

use super::{Messaging, MessagingError};

/// The most messages one search call reads.
pub const SEARCH_SCAN_LIMIT: usize = 10_000;
/// The most results one page returns.
pub const MAX_SEARCH_LIMIT: i32 = 100;
const DEFAULT_SEARCH_LIMIT: i32 = 20;
const SCAN_PAGE: usize = 100;

/// What to look for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchRequest {
    /// Empty: every message (that the filter takes).
    pub query: String,
    /// Only messages sent by this user.
    pub from_id: Option<i64>,
    /// Only messages sent at or after this time (0: no bound).
    pub min_date: i64,
    /// Only messages sent at or before this time (0: no bound).
    pub max_date: i64,
    /// Only ids below this (0: from the newest).
    pub offset_id: i32,
    /// Results to skip from the offset (negative values are treated as 0).
    pub add_offset: i32,
    pub limit: i32,
    /// Only ids below this (0: no bound).
    pub max_id: i32,
    /// Only ids above this (0: no bound).
    pub min_id: i32,
}

/// One page of results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchPage {
    /// Newest first.
    pub messages: Vec<MessageRecord>,
    /// Matches from the offset on, as far as the scan reached.
    pub count: usize,
    /// The scan stopped at [`SEARCH_SCAN_LIMIT`]: `count` is a lower bound.
    pub inexact: bool,
}

/// Collects matches of a newest-first stream of messages into a page.
struct Collector<'a> {
    req: &'a SearchRequest,
    needle: String,
    also: &'a (dyn Fn(&MessageRecord) -> bool + Sync),
    skip: usize,
    take: usize,
    scanned: usize,
    page: SearchPage,
}

impl<'a> Collector<'a> {
    fn new(req: &'a SearchRequest, also: &'a (dyn Fn(&MessageRecord) -> bool + Sync)) -> Self {
        let limit = if req.limit <= 0 {
            DEFAULT_SEARCH_LIMIT
        } else {
            req.limit.min(MAX_SEARCH_LIMIT)
        };
        Self {
            req,
            needle: req.query.trim().to_lowercase(),
            also,
            skip: usize::try_from(req.add_offset.max(0)).unwrap_or(0),
            take: usize::try_from(limit).unwrap_or(0),
            scanned: 0,
            page: SearchPage {
                messages: Vec::new(),
                count: 0,
                inexact: false,
            },
        }
    }

    fn matches(&self, m: &MessageRecord) -> bool {
        let r = self.req;
        (r.min_id <= 0 || m.id > r.min_id)
            && (r.min_date <= 0 || m.date >= r.min_date)
            && (r.max_date <= 0 || m.date <= r.max_date)
            && r.from_id.is_none_or(|from| m.from_id == from)
            && (self.needle.is_empty() || m.text.to_lowercase().contains(&self.needle))
            && (self.also)(m)
    }

    /// Takes one message; false once the scan budget is spent.
    fn visit(&mut self, m: MessageRecord) -> bool {
        if self.scanned >= SEARCH_SCAN_LIMIT {
            self.page.inexact = true;
            return false;
        }
        self.scanned += 1;
        if self.matches(&m) {
            self.page.count += 1;
            if self.page.count > self.skip && self.page.messages.len() < self.take {
                self.page.messages.push(m);
            }
        }
        true
    }

    /// The exclusive upper id bound the request sets.
    fn below(&self) -> Option<i32> {
        let r = self.req;
        [r.offset_id, r.max_id].into_iter().filter(|&v| v > 0).min()
    }

    /// The exclusive lower id bound the request sets.
    fn above(&self) -> Option<i32> {
        (self.req.min_id > 0).then_some(self.req.min_id)
    }
}

impl Messaging {
    /// Searches `owner`'s chat with `peer`.
    pub async fn search_chat(
        &self,
        owner: i64,
        peer: Peer,
        req: &SearchRequest,
        also: &(dyn Fn(&MessageRecord) -> bool + Sync),
    ) -> Result<SearchPage, MessagingError> {
        // A channel's own box is searched by `search_channel`, which
        // checked the reader's access.
        let channel_box =
            matches!(peer, Peer::Channel(id) if owner == chappe_store::channels::box_owner(id));
        if !channel_box {
            super::edit::private_user(peer)?;
        }
        self.check_peer(owner, peer).await?;
        let mut c = Collector::new(req, also);
        let mut below = c.below();
        let above = c.above();
        'scan: loop {
            let page = self
                .store
                .history(
                    owner,
                    HistoryQuery {
                        peer,
                        below,
                        above,
                        newest_first: true,
                        limit: SCAN_PAGE,
                    },
                )
                .await?;
            let Some(last) = page.last() else {
                break;
            };
            below = Some(last.id);
            for m in page {
                if !c.visit(m) {
                    break 'scan;
                }
            }
        }
        Ok(c.page)
    }

    /// Searches every private chat of `owner`, newest first.
    pub async fn search_global(
        &self,
        owner: i64,
        req: &SearchRequest,
        also: &(dyn Fn(&MessageRecord) -> bool + Sync),
    ) -> Result<SearchPage, MessagingError> {
        let mut c = Collector::new(req, also);
        let last = self.store.box_state(owner).await?.last_message_id;
        let mut below = c.below().map_or(last, |b| b.saturating_sub(1).min(last));
        let floor = c.above().unwrap_or(0);
        // Ids of deleted messages are gaps: each costs a lookup, so they
        // count against the scan budget like messages do.
        let mut looked = 0usize;
        while below > floor && looked < SEARCH_SCAN_LIMIT {
            let low = below
                .saturating_sub(i32::try_from(SCAN_PAGE).unwrap_or(i32::MAX) - 1)
                .max(floor.saturating_add(1));
            let ids: Vec<i32> = (low..=below).rev().collect();
            looked += ids.len();
            below = low.saturating_sub(1);
            let messages = self.store.get_messages(owner, &ids).await?;
            for m in messages {
                if matches!(m.peer, Peer::User(_)) && !c.visit(m) {
                    return Ok(c.page);
                }
            }
        }
        if below > floor {
            c.page.inexact = true;
        }
        Ok(c.page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: i32, text: &str, date: i64) -> MessageRecord {
        MessageRecord {
            owner: 1,
            id,
            peer: Peer::User(2),
            from_id: 2,
            out: false,
            date,
            text: text.into(),
            entities: Vec::new(),
            reply_to: None,
            silent: false,
            peer_copy_id: None,
            edit_date: None,
            fwd_from: None,
            action: None,
        }
    }

    #[test]
    fn matches_case_insensitively_within_bounds() {
        let req = SearchRequest {
            query: "HeLLo".into(),
            min_date: 10,
            max_date: 20,
            limit: 1,
            add_offset: 1,
            ..SearchRequest::default()
        };
        let all = |_: &MessageRecord| true;
        let mut c = Collector::new(&req, &all);
        assert!(c.visit(message(5, "say hello", 15)));
        assert!(c.visit(message(4, "HELLO there", 12)));
        assert!(c.visit(message(3, "hello", 30)));
        assert!(c.visit(message(2, "bye", 15)));
        assert_eq!(c.page.count, 2);
        // The first match is skipped by add_offset, the limit takes one.
        let ids: Vec<i32> = c.page.messages.iter().map(|m| m.id).collect();
        assert_eq!(ids, vec![4]);
        let none = |_: &MessageRecord| false;
        let mut c = Collector::new(&req, &none);
        c.visit(message(5, "hello", 15));
        assert_eq!(c.page.count, 0);
    }
}
