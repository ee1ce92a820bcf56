//! `messages.search` and `messages.searchGlobal` over private chats.
//!
//! A filter is answered for what it asks: chappe stores no media, calls,
//! pins or mentions (mentions exist only in groups), so those filters match
//! nothing; `inputMessagesFilterUrl` matches messages with a link entity;
//! `inputMessagesFilterEmpty` matches every text. The scan is bounded (see
//! [`chappe_core::messaging::SEARCH_SCAN_LIMIT`]); past it the count is
//! marked inexact.

use chappe_core::messaging::{SearchPage, SearchRequest};
use chappe_store::{MessageRecord, Peer};
use chappe_tl::api::{enums, functions, types};

use super::convert::{entities_tl, message_tl};
use crate::{Api, RequestContext, RpcError};

/// What a filter asks beyond the text, as a predicate over one message.
fn filter_matcher(filter: &enums::MessagesFilter) -> fn(&MessageRecord) -> bool {
    fn all(_: &MessageRecord) -> bool {
        true
    }
    fn none(_: &MessageRecord) -> bool {
        false
    }
    fn has_link(m: &MessageRecord) -> bool {
        entities_tl(&m.entities).is_some_and(|list| {
            list.iter().any(|e| {
                matches!(
                    e,
                    enums::MessageEntity::MessageEntityUrl(_)
                        | enums::MessageEntity::MessageEntityTextUrl(_)
                )
            })
        })
    }
    match filter {
        enums::MessagesFilter::InputMessagesFilterEmpty(_) => all,
        enums::MessagesFilter::InputMessagesFilterUrl(_) => has_link,
        _ => none,
    }
}

fn count_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Api {
    async fn search_result(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        page: SearchPage,
        global: bool,
    ) -> Result<enums::messages::Messages, RpcError> {
        let users = self
            .users_of_messages(viewer, &page.messages, ctx.now)
            .await?;
        let next_rate = (global && page.count > page.messages.len())
            .then(|| {
                page.messages
                    .last()
                    .map(|m| crate::convert::clamp_date(m.date))
            })
            .flatten();
        let messages: Vec<enums::Message> = page.messages.iter().map(message_tl).collect();
        Ok(if page.count > messages.len() || page.inexact {
            enums::messages::Messages::MessagesSlice(types::messages::MessagesSlice {
                inexact: page.inexact,
                count: count_i32(page.count),
                next_rate,
                offset_id_offset: None,
                search_flood: None,
                messages,
                topics: Vec::new(),
                chats: Vec::new(),
                users,
            })
        } else {
            enums::messages::Messages::Messages(types::messages::Messages {
                messages,
                topics: Vec::new(),
                chats: Vec::new(),
                users,
            })
        })
    }

    pub(crate) async fn messages_search(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::Search,
    ) -> Result<enums::messages::Messages, RpcError> {
        if req.saved_peer_id.is_some() || req.saved_reaction.is_some() || req.top_msg_id.is_some() {
            // Saved-message tags and forum topics do not exist in chappe.
            return Err(RpcError::method_not_implemented());
        }
        let peer = self.resolve_peer(viewer, &req.peer)?;
        let from_id = match &req.from_id {
            None => None,
            Some(input) => match self.resolve_peer(viewer, input)? {
                Peer::User(id) => Some(id),
                Peer::Chat(_) | Peer::Channel(_) => return Err(super::peer_id_invalid()),
            },
        };
        let search = SearchRequest {
            query: req.q,
            from_id,
            min_date: i64::from(req.min_date),
            max_date: i64::from(req.max_date),
            offset_id: req.offset_id,
            add_offset: req.add_offset,
            limit: req.limit,
            max_id: req.max_id,
            min_id: req.min_id,
        };
        let matcher = filter_matcher(&req.filter);
        if let Peer::Channel(id) = peer {
            return self
                .channel_search(ctx, viewer, id, &search, &matcher)
                .await;
        }
        let page = self
            .messaging
            .search_chat(viewer, peer, &search, &matcher)
            .await?;
        self.search_result(ctx, viewer, page, false).await
    }

    pub(crate) async fn messages_search_global(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::SearchGlobal,
    ) -> Result<enums::messages::Messages, RpcError> {
        let matcher = filter_matcher(&req.filter);
        // Only private chats exist here: asking for groups or channels
        // alone finds nothing; archived folders are empty.
        let nothing = req.broadcasts_only
            || req.groups_only
            || req.community.is_some()
            || req.folder_id.is_some_and(|f| f != 0);
        let search = SearchRequest {
            query: req.q,
            from_id: None,
            min_date: i64::from(req.min_date),
            max_date: i64::from(req.max_date),
            // Ids in a common box grow across chats, so the id alone is
            // the position; offset_rate and offset_peer add nothing.
            offset_id: req.offset_id,
            add_offset: 0,
            limit: req.limit,
            max_id: 0,
            min_id: 0,
        };
        let page = if nothing {
            SearchPage {
                messages: Vec::new(),
                count: 0,
                inexact: false,
            }
        } else {
            self.messaging
                .search_global(viewer, &search, &matcher)
                .await?
        };
        self.search_result(ctx, viewer, page, true).await
    }
}
