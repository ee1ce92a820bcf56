//! Reading and writing a channel's box on [`Messaging`]: posts, history,
//! single messages, read state, the channel difference, participant
//! lists, members for fan-out, and channel rows in the chat list.

use chappe_store::channels::{
    box_owner, ChannelChange, ChannelParticipant, ChannelWrite, NewChannelMessage,
};
use chappe_store::{DialogRecord, HistoryQuery, MessageRecord, Peer, UpdateEntry, UpdateKind};

use super::channels::{refusal, ChannelError, ChannelView};
use super::send::check_text;
use super::{HistoryPage, HistoryRequest, Messaging, OutgoingMessage};

/// The most entries one channel difference carries (Telegram's client
/// limit is 100 for users).
pub const CHANNEL_DIFFERENCE_LIMIT: usize = 100;
/// The most participants one page returns.
pub const MAX_PARTICIPANTS_LIMIT: usize = 200;
/// Filtered participant lists look at this many rows at most.
pub const PARTICIPANTS_SCAN_LIMIT: usize = 10_000;
/// Member ids fetched per store read during fan-out.
pub const MEMBER_PAGE: usize = 5_000;

/// What changed in a channel box since the client's pts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelDifference {
    /// Up to date at `pts`.
    Empty { pts: i32 },
    /// Entries after the client's pts and the messages they name;
    /// `complete` when they reach `pts`, the box pts (otherwise `pts` is the
    /// last entry's and the client asks again).
    Entries {
        entries: Vec<UpdateEntry>,
        messages: Vec<MessageRecord>,
        pts: i32,
        complete: bool,
    },
    /// The client is too far behind (or ahead): reload from the newest
    /// messages.
    TooLong {
        pts: i32,
        top_message: i32,
        messages: Vec<MessageRecord>,
    },
}

/// Which participants a page lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParticipantsFilter {
    Recent,
    Admins,
    /// Banned from viewing.
    Kicked,
    /// Restricted (any banned right).
    Banned,
    /// Members whose name or username starts with this.
    Search(String),
}

/// A page of participants and how many match in all (as far as scanned).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantsPage {
    pub participants: Vec<ChannelParticipant>,
    pub count: usize,
}

/// Whether the username, first or last name starts with `query_lower`.
fn name_matches(user: &chappe_store::UserRecord, query_lower: &str) -> bool {
    let prefix = |field: &str| field.to_lowercase().starts_with(query_lower);
    user.username.as_deref().is_some_and(prefix)
        || prefix(&user.first_name)
        || prefix(&user.last_name)
}

impl Messaging {
    /// Posts `message` from `from` to the channel; answers the stored post
    /// once committed (a repeated random id answers the first post).
    pub async fn send_channel(
        &self,
        from: i64,
        channel_id: i64,
        message: OutgoingMessage,
        now: i64,
    ) -> Result<ChannelWrite, ChannelError> {
        check_text(&message.text)?;
        let new = NewChannelMessage {
            channel_id,
            from,
            random_id: message.random_id,
            date: now,
            text: message.text,
            entities: message.entities,
            reply_to: message.reply_to,
            silent: message.silent,
        };
        self.store.send_channel_message(new).await?.map_err(refusal)
    }

    /// A page of the channel's history for `viewer`.
    pub async fn channel_history(
        &self,
        viewer: i64,
        channel_id: i64,
        req: HistoryRequest,
    ) -> Result<(ChannelView, HistoryPage), ChannelError> {
        let view = self.readable_channel(viewer, channel_id).await?;
        let page = self
            .history(box_owner(channel_id), Peer::Channel(channel_id), req)
            .await?;
        Ok((view, page))
    }

    /// `messages.search` in a channel the viewer may read.
    pub async fn search_channel(
        &self,
        viewer: i64,
        channel_id: i64,
        req: &super::SearchRequest,
        also: &(dyn Fn(&MessageRecord) -> bool + Sync),
    ) -> Result<(ChannelView, super::SearchPage), ChannelError> {
        let view = self.readable_channel(viewer, channel_id).await?;
        let page = self
            .search_chat(box_owner(channel_id), Peer::Channel(channel_id), req, also)
            .await?;
        Ok((view, page))
    }

    /// The channel's messages among `ids`, in the order asked.
    pub async fn channel_messages(
        &self,
        viewer: i64,
        channel_id: i64,
        ids: &[i32],
    ) -> Result<(ChannelView, Vec<MessageRecord>), ChannelError> {
        let view = self.readable_channel(viewer, channel_id).await?;
        let messages = self.store.get_messages(box_owner(channel_id), ids).await?;
        Ok((view, messages))
    }

    /// Marks the member's inbox read up to `max_id` (0: all); answers the
    /// read position now.
    pub async fn read_channel_history(
        &self,
        viewer: i64,
        channel_id: i64,
        max_id: i32,
        now: i64,
    ) -> Result<i32, ChannelError> {
        let write = self
            .change_channel(
                viewer,
                channel_id,
                ChannelChange::ReadHistory { max_id },
                now,
            )
            .await?;
        Ok(write.read_max_id)
    }

    /// The channel's box pts.
    pub async fn channel_pts(&self, channel_id: i64) -> Result<i32, ChannelError> {
        Ok(self.store.box_state(box_owner(channel_id)).await?.pts)
    }

    /// The newest message id handed out in the channel box.
    pub async fn channel_top_id(&self, channel_id: i64) -> Result<i32, ChannelError> {
        Ok(self
            .store
            .box_state(box_owner(channel_id))
            .await?
            .last_message_id)
    }

    /// What changed in the channel box after `pts`, at most `limit`
    /// entries (capped at [`CHANNEL_DIFFERENCE_LIMIT`]).
    pub async fn channel_difference(
        &self,
        viewer: i64,
        channel_id: i64,
        pts: i32,
        limit: usize,
    ) -> Result<(ChannelView, ChannelDifference), ChannelError> {
        let view = self.readable_channel(viewer, channel_id).await?;
        let owner = box_owner(channel_id);
        let state = self.store.box_state(owner).await?;
        if pts == state.pts {
            return Ok((view, ChannelDifference::Empty { pts }));
        }
        if pts <= 0 || pts > state.pts {
            let query = HistoryQuery {
                peer: Peer::Channel(channel_id),
                below: None,
                above: None,
                newest_first: true,
                limit: 20,
            };
            let messages = self.store.history(owner, query).await?;
            let top_message = messages.first().map_or(0, |m| m.id);
            let diff = ChannelDifference::TooLong {
                pts: state.pts,
                top_message,
                messages,
            };
            return Ok((view, diff));
        }
        let limit = match limit {
            0 => CHANNEL_DIFFERENCE_LIMIT,
            n => n.min(CHANNEL_DIFFERENCE_LIMIT),
        };
        let entries = self.store.updates_after(owner, pts, limit).await?;
        let reached = entries.last().map_or(state.pts, |e| e.pts);
        let ids: Vec<i32> = entries
            .iter()
            .filter_map(|e| match e.kind {
                UpdateKind::NewMessage { id } | UpdateKind::EditMessage { id } => Some(id),
                _ => None,
            })
            .collect();
        let messages = self.store.get_messages(owner, &ids).await?;
        let complete = reached >= state.pts || entries.is_empty();
        let diff = ChannelDifference::Entries {
            entries,
            messages,
            pts: if complete { state.pts } else { reached },
            complete,
        };
        Ok((view, diff))
    }

    /// A page of the channel's participants. Only admins see the banned
    /// lists; broadcast subscribers see only admins, as on Telegram.
    pub async fn channel_participants(
        &self,
        viewer: i64,
        channel_id: i64,
        filter: ParticipantsFilter,
        offset: usize,
        limit: usize,
    ) -> Result<(ChannelView, ParticipantsPage), ChannelError> {
        let view = self.readable_channel(viewer, channel_id).await?;
        let is_admin = view.admin_rights() != 0;
        let filter = match filter {
            ParticipantsFilter::Kicked | ParticipantsFilter::Banned if !is_admin => {
                return Err(ChannelError::ChatAdminRequired)
            }
            _ if view.channel.broadcast && !is_admin => ParticipantsFilter::Admins,
            f => f,
        };
        let limit = limit.clamp(1, MAX_PARTICIPANTS_LIMIT);
        let creator = view.channel.creator;
        let search = match &filter {
            ParticipantsFilter::Search(q) => Some(q.to_lowercase()),
            _ => None,
        };
        let mut matched = Vec::new();
        let mut count = 0usize;
        let mut after = 0i64;
        let mut scanned = 0usize;
        // Recent without a search counts from the channel record and pages
        // by skipping; the filtered lists scan a bounded number of rows.
        'scan: loop {
            let rows = self
                .store
                .channel_participants(channel_id, after, MEMBER_PAGE)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.user_id;
            let mut users = Vec::new();
            if search.is_some() {
                let ids: Vec<i64> = rows.iter().map(|p| p.user_id).collect();
                users = self.store.get_users(&ids).await?;
            }
            for p in rows {
                scanned += 1;
                let keep = match &filter {
                    ParticipantsFilter::Recent => p.is_member(),
                    ParticipantsFilter::Admins => {
                        p.is_member() && (p.admin_rights != 0 || p.user_id == creator)
                    }
                    ParticipantsFilter::Kicked => !p.is_member(),
                    ParticipantsFilter::Banned => p.banned_rights != 0,
                    ParticipantsFilter::Search(_) => {
                        let q = search.as_deref().unwrap_or_default();
                        p.is_member()
                            && users
                                .iter()
                                .any(|u| u.id == p.user_id && name_matches(u, q))
                    }
                };
                if keep {
                    if count >= offset && matched.len() < limit {
                        matched.push(p);
                    }
                    count += 1;
                }
                if scanned >= PARTICIPANTS_SCAN_LIMIT {
                    break 'scan;
                }
            }
        }
        if matches!(filter, ParticipantsFilter::Recent) {
            count = usize::try_from(view.channel.participants_count).unwrap_or(count);
        }
        Ok((
            view,
            ParticipantsPage {
                participants: matched,
                count,
            },
        ))
    }

    /// The user's participant row, if `viewer` may read the channel.
    pub async fn channel_participant(
        &self,
        viewer: i64,
        channel_id: i64,
        user_id: i64,
    ) -> Result<(ChannelView, ChannelParticipant), ChannelError> {
        let view = self.readable_channel(viewer, channel_id).await?;
        let p = self
            .store
            .channel_participant(channel_id, user_id)
            .await?
            .ok_or(ChannelError::UserNotParticipant)?;
        Ok((view, p))
    }

    /// A page of the ids of members who see the channel, above `after`:
    /// fan-out walks them with [`MEMBER_PAGE`]-sized reads.
    pub async fn channel_member_ids(
        &self,
        channel_id: i64,
        after: i64,
    ) -> Result<Vec<i64>, ChannelError> {
        Ok(self
            .store
            .channel_member_ids(channel_id, after, MEMBER_PAGE)
            .await?)
    }

    /// Brings channel rows of a chat list up to date: their top message
    /// and unread count come from the channel box (posts never touch
    /// members' rows). Answers the channels' top messages.
    pub(crate) async fn refresh_channel_dialogs(
        &self,
        dialogs: &mut [DialogRecord],
    ) -> Result<Vec<MessageRecord>, chappe_store::StoreError> {
        let mut tops = Vec::new();
        for d in dialogs.iter_mut() {
            let Peer::Channel(id) = d.peer else { continue };
            let query = HistoryQuery {
                peer: d.peer,
                below: None,
                above: None,
                newest_first: true,
                limit: 1,
            };
            let Some(top) = self
                .store
                .history(box_owner(id), query)
                .await?
                .into_iter()
                .next()
            else {
                continue;
            };
            d.top_message = top.id;
            d.top_date = top.date;
            // Ids are dense in a channel box; deleted posts make this an
            // upper bound.
            d.unread_count = top.id.saturating_sub(d.read_inbox_max_id).max(0);
            d.read_outbox_max_id = top.id;
            tops.push(top);
        }
        Ok(tops)
    }
}
