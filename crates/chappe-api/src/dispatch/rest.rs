//! Whatever the namespace sub-dispatchers do not answer: the `account` and
//! `contacts` methods in `more`, then `400 METHOD_NOT_IMPLEMENTED` with the
//! method's name in a `warn` line.

use chappe_tl::api::Request;

use super::Answer;
use crate::{Api, RequestContext, RpcError};

impl Api {
    pub(super) fn dispatch_rest<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        Box::pin(async move {
            let method = request.constructor_name();
            match self.handle_account_and_contacts(ctx, request).await {
                Ok(answer) => answer,
                Err(_) => {
                    tracing::warn!(method, "method not implemented");
                    Err(RpcError::method_not_implemented())
                }
            }
        })
    }
}
