//! The `updates` namespace, channel differences included.

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{Api, RequestContext};

impl Api {
    pub(super) fn dispatch_updates<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::UpdatesGetState(_) => answer!(self.updates_get_state(ctx, viewer(ctx)?)),
            Request::UpdatesGetDifference(req) => {
                answer!(self.updates_get_difference(ctx, viewer(ctx)?, req))
            }
            Request::UpdatesGetChannelDifference(req) => {
                answer!(self.updates_get_channel_difference(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
