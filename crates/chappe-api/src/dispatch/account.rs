//! The `account` namespace: push devices here, the rest (2FA, sessions,
//! profile) in `more` through [`super::rest`].

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{Api, RequestContext};

impl Api {
    pub(super) fn dispatch_account<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::AccountRegisterDevice(req) => {
                answer!(self.account_register_device(ctx, viewer(ctx)?, req))
            }
            Request::AccountUnregisterDevice(req) => {
                answer!(self.account_unregister_device(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
