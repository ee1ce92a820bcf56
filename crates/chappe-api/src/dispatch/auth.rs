//! The `auth` namespace: login, logout and temporary keys. `auth.checkPassword`
//! and `auth.resetAuthorizations` go on to the account methods ([`super::rest`]).

use chappe_tl::api::Request;

use super::{ok, viewer, Answer};
use crate::{Api, RequestContext};

impl Api {
    pub(super) fn dispatch_auth<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::AuthSendCode(req) => {
                Box::pin(async move { ok(self.auth_send_code(ctx, req).await?) })
            }
            Request::AuthResendCode(req) => {
                Box::pin(async move { ok(self.auth_resend_code(ctx, req).await?) })
            }
            Request::AuthCancelCode(req) => {
                Box::pin(async move { ok(self.auth_cancel_code(req).await?) })
            }
            Request::AuthSignIn(req) => {
                Box::pin(async move { ok(self.auth_sign_in(ctx, req).await?) })
            }
            Request::AuthSignUp(req) => {
                Box::pin(async move { ok(self.auth_sign_up(ctx, req).await?) })
            }
            Request::AuthLogOut(_) => Box::pin(async move { ok(self.auth_log_out(ctx).await?) }),
            Request::AuthBindTempAuthKey(req) => {
                Box::pin(async move { ok(self.auth_bind_temp_auth_key(ctx, req).await?) })
            }
            Request::AuthExportLoginToken(req) => {
                Box::pin(async move { ok(self.auth_export_login_token(ctx, req).await?) })
            }
            Request::AuthImportLoginToken(req) => {
                Box::pin(async move { ok(self.auth_import_login_token(ctx, req).await?) })
            }
            Request::AuthAcceptLoginToken(req) => {
                Box::pin(
                    async move { ok(self.auth_accept_login_token(ctx, viewer(ctx)?, req).await?) },
                )
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
