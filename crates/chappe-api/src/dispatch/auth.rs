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
            Request::AuthSendCode(req) => answer!(self.auth_send_code(ctx, req)),
            Request::AuthResendCode(req) => answer!(self.auth_resend_code(ctx, req)),
            Request::AuthCancelCode(req) => answer!(self.auth_cancel_code(req)),
            Request::AuthSignIn(req) => answer!(self.auth_sign_in(ctx, req)),
            Request::AuthSignUp(req) => answer!(self.auth_sign_up(ctx, req)),
            Request::AuthLogOut(_) => answer!(self.auth_log_out(ctx)),
            Request::AuthBindTempAuthKey(req) => answer!(self.auth_bind_temp_auth_key(ctx, req)),
            Request::AuthExportLoginToken(req) => answer!(self.auth_export_login_token(ctx, req)),
            Request::AuthImportLoginToken(req) => answer!(self.auth_import_login_token(ctx, req)),
            Request::AuthAcceptLoginToken(req) => {
                answer!(self.auth_accept_login_token(ctx, viewer(ctx)?, req))
            }
            other => self.dispatch_rest(ctx, other),
        }
    }
}
