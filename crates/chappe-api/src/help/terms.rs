//! `help.acceptTermsOfService`: records which terms the user accepted. chappe publishes
//! no terms of its own yet, so `help.getTermsOfServiceUpdate` never has an update pending,
//! before or after an acceptance; the record is what a future terms update compares with.

use chappe_store::{TermsAcceptance, TERMS_ID_MAX_LEN};
use chappe_tl::api::{enums, functions};

use crate::{Api, RequestContext, RpcError};

impl Api {
    pub(crate) async fn help_accept_terms_of_service(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::help::AcceptTermsOfService,
    ) -> Result<bool, RpcError> {
        let enums::DataJson::DataJson(id) = req.id;
        if id.data.is_empty() || id.data.len() > TERMS_ID_MAX_LEN {
            return Err(RpcError::bad_request("DATA_JSON_INVALID"));
        }
        self.store
            .put_terms_acceptance(
                viewer,
                TermsAcceptance {
                    terms_id: id.data,
                    accepted_at: ctx.now,
                },
            )
            .await?;
        Ok(true)
    }
}
