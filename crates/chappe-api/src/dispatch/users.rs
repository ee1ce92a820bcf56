//! The `users` namespace.

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{Api, RequestContext};

impl Api {
    pub(super) fn dispatch_users<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::UsersGetUsers(req) => answer!(self.users_get_users(ctx, viewer(ctx)?, req)),
            Request::UsersGetFullUser(req) => {
                answer!(self.users_get_full_user(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
