//! The `auth` namespace: login codes, sign-in, sign-up and log-out.

use chappe_core::{SentCode, SignInOutcome};
use chappe_store::CodeKind;
use chappe_tl::api::{enums, functions, types};

use crate::convert::user_for;
use crate::{Api, RequestContext, RpcError};

/// Digits in every login code chappe sends.
const CODE_LENGTH: i32 = 5;

impl Api {
    pub(crate) async fn auth_send_code(
        &self,
        ctx: &RequestContext,
        req: functions::auth::SendCode,
    ) -> Result<enums::auth::SentCode, RpcError> {
        let sent = self
            .accounts
            .send_code(&req.phone_number, ctx.client_ip, ctx.now)
            .await?;
        Ok(sent_code(sent))
    }

    pub(crate) async fn auth_resend_code(
        &self,
        ctx: &RequestContext,
        req: functions::auth::ResendCode,
    ) -> Result<enums::auth::SentCode, RpcError> {
        let sent = self
            .accounts
            .resend_code(&req.phone_number, &req.phone_code_hash, ctx.now)
            .await?;
        Ok(sent_code(sent))
    }

    pub(crate) async fn auth_cancel_code(
        &self,
        req: functions::auth::CancelCode,
    ) -> Result<bool, RpcError> {
        Ok(self
            .accounts
            .cancel_code(&req.phone_number, &req.phone_code_hash)
            .await?)
    }

    pub(crate) async fn auth_sign_in(
        &self,
        ctx: &RequestContext,
        req: functions::auth::SignIn,
    ) -> Result<enums::auth::Authorization, RpcError> {
        let Some(code) = req.phone_code else {
            // Email verification as a second factor is not offered by this server.
            return Err(RpcError::bad_request("PHONE_CODE_EMPTY"));
        };
        let outcome = self
            .accounts
            .sign_in(
                &req.phone_number,
                &req.phone_code_hash,
                &code,
                ctx.auth_key_id,
                ctx.client_ip,
                ctx.now,
            )
            .await?;
        match outcome {
            SignInOutcome::Authorized(user) => {
                tracing::info!(
                    user_id = user.id,
                    auth_key_id = ctx.auth_key_id,
                    "signed in"
                );
                Ok(self.authorization(&user, ctx.now))
            }
            SignInOutcome::SignUpRequired => {
                Ok(enums::auth::Authorization::AuthorizationSignUpRequired(
                    types::auth::AuthorizationSignUpRequired {
                        terms_of_service: None,
                    },
                ))
            }
            SignInOutcome::PasswordNeeded(_) => Err(RpcError::new(401, "SESSION_PASSWORD_NEEDED")),
        }
    }

    pub(crate) async fn auth_sign_up(
        &self,
        ctx: &RequestContext,
        req: functions::auth::SignUp,
    ) -> Result<enums::auth::Authorization, RpcError> {
        let user = self
            .accounts
            .sign_up(
                &req.phone_number,
                &req.phone_code_hash,
                &req.first_name,
                &req.last_name,
                ctx.auth_key_id,
                ctx.now,
            )
            .await?;
        tracing::info!(
            user_id = user.id,
            auth_key_id = ctx.auth_key_id,
            "signed up"
        );
        Ok(self.authorization(&user, ctx.now))
    }

    pub(crate) async fn auth_log_out(
        &self,
        ctx: &RequestContext,
    ) -> Result<enums::auth::LoggedOut, RpcError> {
        if self.accounts.log_out(ctx.auth_key_id).await?.is_none() {
            return Err(RpcError::auth_key_unregistered());
        }
        Ok(enums::auth::LoggedOut::LoggedOut(types::auth::LoggedOut {
            future_auth_token: None,
        }))
    }

    pub(crate) fn authorization(
        &self,
        user: &chappe_store::UserRecord,
        now: i64,
    ) -> enums::auth::Authorization {
        enums::auth::Authorization::Authorization(types::auth::Authorization {
            setup_password_required: false,
            otherwise_relogin_days: None,
            tmp_sessions: None,
            future_auth_token: None,
            user: user_for(self.accounts.access_hashes(), user.id, user, now),
        })
    }
}

fn sent_code(sent: SentCode) -> enums::auth::SentCode {
    enums::auth::SentCode::SentCode(types::auth::SentCode {
        r#type: code_type(sent.code_kind),
        phone_code_hash: sent.phone_code_hash,
        next_type: sent.next.map(next_code_type),
        timeout: Some(sent.timeout_secs),
    })
}

fn code_type(kind: CodeKind) -> enums::auth::SentCodeType {
    match kind {
        // The code arrives as a message from the service account in the user's other sessions.
        CodeKind::App => enums::auth::SentCodeType::SentCodeTypeApp(types::auth::SentCodeTypeApp {
            length: CODE_LENGTH,
        }),
        CodeKind::Sms => enums::auth::SentCodeType::SentCodeTypeSms(types::auth::SentCodeTypeSms {
            length: CODE_LENGTH,
        }),
    }
}

/// TL has no "in-app" code type for `next_type`; a resend goes through the delivery hook,
/// which clients present as an SMS.
fn next_code_type(_kind: CodeKind) -> enums::auth::CodeType {
    enums::auth::CodeType::CodeTypeSms(types::auth::CodeTypeSms)
}
