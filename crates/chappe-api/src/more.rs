//! Methods of the `account` and `contacts` namespaces (being written; until then every one
//! of them answers METHOD_NOT_IMPLEMENTED through the dispatcher).

use chappe_tl::api::Request;

use crate::{Api, RequestContext, Response, RpcError};

impl Api {
    /// Handles `request` if it belongs to `account` or `contacts`; gives it back otherwise.
    pub(crate) async fn handle_account_and_contacts(
        &self,
        _ctx: &RequestContext,
        request: Request,
    ) -> Result<Result<Response, RpcError>, Request> {
        Err(request)
    }
}
