//! The `updates` namespace: the caller's box state and the difference since
//! a pts, read from the box's durable update log (see
//! `chappe_core::messaging`). qts (secret chats, bots) and seq are always 0:
//! nothing produces them yet.

use chappe_core::messaging::{Difference, UpdatesState};
use chappe_tl::api::{enums, functions, types};

use crate::convert::clamp_date;
use crate::messages::convert::entry_users;
use crate::{Api, RequestContext, RpcError};

fn state_tl(state: UpdatesState, now: i64) -> enums::updates::State {
    enums::updates::State::State(types::updates::State {
        pts: state.pts,
        qts: 0,
        date: clamp_date(now),
        seq: 0,
        unread_count: state.unread_count,
    })
}

impl Api {
    pub(crate) async fn updates_state(
        &self,
        ctx: &RequestContext,
        viewer: i64,
    ) -> Result<enums::updates::State, RpcError> {
        Ok(state_tl(self.messaging.state(viewer).await?, ctx.now))
    }

    pub(crate) async fn updates_get_state(
        &self,
        ctx: &RequestContext,
        viewer: i64,
    ) -> Result<enums::updates::State, RpcError> {
        self.updates_state(ctx, viewer).await
    }

    pub(crate) async fn updates_get_difference(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::updates::GetDifference,
    ) -> Result<enums::updates::Difference, RpcError> {
        // pts_limit caps one answer; pts_total_limit is how far behind the client is
        // willing to replay at all (beyond it: differenceTooLong, and it reloads).
        let limit = req
            .pts_limit
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(0);
        let total_limit = req.pts_total_limit.and_then(|l| usize::try_from(l).ok());
        let difference = self
            .messaging
            .difference(viewer, req.pts, limit, total_limit)
            .await?;
        let (entries, messages, state, complete) = match difference {
            Difference::Empty => {
                return Ok(enums::updates::Difference::DifferenceEmpty(
                    types::updates::DifferenceEmpty {
                        date: clamp_date(ctx.now),
                        seq: 0,
                    },
                ))
            }
            Difference::TooLong { pts } => {
                return Ok(enums::updates::Difference::DifferenceTooLong(
                    types::updates::DifferenceTooLong { pts },
                ))
            }
            Difference::Entries {
                entries,
                messages,
                state,
                complete,
            } => (entries, messages, state, complete),
        };
        let mut user_ids = chappe_core::messaging::referenced_users(&messages);
        user_ids.extend(entries.iter().filter_map(entry_users));
        let users = self.users_seen_by(viewer, &user_ids, ctx.now).await?;
        let chats = self
            .chats_of_difference(viewer, &messages, &entries)
            .await?;
        let (new_messages, other_updates) = crate::messages::difference_parts(&entries, &messages);
        let state = state_tl(state, ctx.now);
        Ok(if complete {
            enums::updates::Difference::Difference(types::updates::Difference {
                new_messages,
                new_encrypted_messages: Vec::new(),
                other_updates,
                chats,
                users,
                state,
            })
        } else {
            enums::updates::Difference::DifferenceSlice(types::updates::DifferenceSlice {
                new_messages,
                new_encrypted_messages: Vec::new(),
                other_updates,
                chats,
                users,
                intermediate_state: state,
            })
        })
    }
}
