//! The box state and the difference since a client's pts
//! (`updates.getState`, `updates.getDifference`), read from the update log.

use chappe_store::{MessageRecord, UpdateEntry, UpdateKind};

use super::{Messaging, MessagingError};

/// The most log entries one difference carries; more make a slice.
pub const DIFFERENCE_LIMIT: usize = 100;

/// A box's state as `updates.state` reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UpdatesState {
    pub pts: i32,
    /// Unread incoming messages over all dialogs.
    pub unread_count: i32,
}

/// What changed in a box since the client's pts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Difference {
    /// The client is up to date.
    Empty,
    /// Entries after the client's pts (oldest first) with the messages the
    /// new-message and edit entries name (as they are now; deleted ones are
    /// missing). `complete`: they reach the box's pts and
    /// `state` is the box state; otherwise `state` is the state after the
    /// last entry and the client must ask again.
    Entries {
        entries: Vec<UpdateEntry>,
        messages: Vec<MessageRecord>,
        state: UpdatesState,
        complete: bool,
    },
    /// The client's pts is older than the log holds: it must reload.
    TooLong { pts: i32 },
}

impl Messaging {
    /// The state of `owner`'s box.
    pub async fn state(&self, owner: i64) -> Result<UpdatesState, MessagingError> {
        let pts = self.store.box_state(owner).await?.pts;
        let unread = self
            .store
            .list_dialogs(owner)
            .await?
            .iter()
            .fold(0i32, |sum, d| sum.saturating_add(d.unread_count));
        Ok(UpdatesState {
            pts,
            unread_count: unread,
        })
    }

    /// What happened in `owner`'s box after `pts`, at most `limit` entries
    /// (capped at [`DIFFERENCE_LIMIT`]; 0 means the cap). A client more than
    /// `total_limit` updates behind is told to reload ([`Difference::TooLong`]).
    pub async fn difference(
        &self,
        owner: i64,
        pts: i32,
        limit: usize,
        total_limit: Option<usize>,
    ) -> Result<Difference, MessagingError> {
        let state = self.state(owner).await?;
        // The whole log is kept for now, so only an impossible pts is "too
        // old"; log trimming will raise this floor.
        if pts < 0 {
            return Ok(Difference::TooLong { pts: state.pts });
        }
        if pts == state.pts {
            return Ok(Difference::Empty);
        }
        if pts > state.pts {
            // The client is ahead of the box (a reset server, a stale
            // cache): Telegram answers the box state so it starts over.
            return Ok(Difference::Entries {
                entries: Vec::new(),
                messages: Vec::new(),
                state,
                complete: true,
            });
        }
        let behind = usize::try_from(i64::from(state.pts) - i64::from(pts)).unwrap_or(usize::MAX);
        if total_limit.is_some_and(|total| behind > total) {
            return Ok(Difference::TooLong { pts: state.pts });
        }
        let limit = if limit == 0 {
            DIFFERENCE_LIMIT
        } else {
            limit.min(DIFFERENCE_LIMIT)
        };
        let mut entries = self.store.updates_after(owner, pts, limit).await?;
        // Entries committed after `state` was read belong to the next answer: keeping
        // them would report a state older than what the client was given, and it would
        // receive them twice.
        entries.retain(|e| e.pts <= state.pts);
        let reached = entries.last().map_or(pts, |e| e.pts);
        let ids: Vec<i32> = entries
            .iter()
            .filter_map(|e| match e.kind {
                UpdateKind::NewMessage { id } | UpdateKind::EditMessage { id } => Some(id),
                _ => None,
            })
            .collect();
        let messages = self.store.get_messages(owner, &ids).await?;
        // An empty read cannot make progress, so it ends the difference.
        let complete = reached >= state.pts || entries.is_empty();
        let state = if complete {
            state
        } else {
            UpdatesState {
                pts: reached,
                unread_count: state.unread_count,
            }
        };
        Ok(Difference::Entries {
            entries,
            messages,
            state,
            complete,
        })
    }
}
