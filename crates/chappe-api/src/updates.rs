//! The `updates` namespace.
//!
//! Cloud chats (issue #4) bring the per-box update log; until then no box holds any update,
//! so the state is the initial one and every difference from it is empty. These answers are
//! exact for a server with no messages, not placeholders: the log will feed them.

use chappe_tl::api::{enums, functions, types};

use crate::convert::clamp_date;
use crate::{Api, RequestContext, RpcError};

impl Api {
    pub(crate) fn updates_get_state(&self, ctx: &RequestContext) -> enums::updates::State {
        enums::updates::State::State(types::updates::State {
            pts: 0,
            qts: 0,
            date: clamp_date(ctx.now),
            seq: 0,
            unread_count: 0,
        })
    }

    pub(crate) fn updates_get_difference(
        &self,
        ctx: &RequestContext,
        req: functions::updates::GetDifference,
    ) -> Result<enums::updates::Difference, RpcError> {
        // A client can only have seen pts/qts values this server gave out, all of them 0 now.
        if req.pts > 0 || req.qts > 0 {
            return Err(RpcError::bad_request("PERSISTENT_TIMESTAMP_INVALID"));
        }
        Ok(enums::updates::Difference::DifferenceEmpty(
            types::updates::DifferenceEmpty {
                date: clamp_date(ctx.now),
                seq: 0,
            },
        ))
    }
}
