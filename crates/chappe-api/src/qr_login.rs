//! Login by QR code (`auth.exportLoginToken`, `auth.acceptLoginToken`,
//! `auth.importLoginToken`): TL in and out over `chappe_core`'s QR login. Accepting a
//! token tells every session of the exporting auth key with `updateLoginToken`, upon
//! which the waiting device exports again and receives `auth.loginTokenSuccess`.

use chappe_core::{Authorization, QrExport, QrLoginError};
use chappe_tl::api::{enums, functions, types};

use crate::convert::clamp_date;
use crate::{Api, RequestContext, RpcError};

impl From<QrLoginError> for RpcError {
    fn from(error: QrLoginError) -> Self {
        match error {
            QrLoginError::Account(err) => err.into(),
            other => {
                let (code, message) = other.rpc_name();
                RpcError::new(code, message)
            }
        }
    }
}

impl Api {
    pub(crate) async fn auth_export_login_token(
        &self,
        ctx: &RequestContext,
        _req: functions::auth::ExportLoginToken,
    ) -> Result<enums::auth::LoginToken, RpcError> {
        let export = self
            .accounts
            .export_login_token(ctx.auth_key_id, ctx.now)
            .await?;
        Ok(self.login_token(export, ctx.now))
    }

    pub(crate) async fn auth_import_login_token(
        &self,
        ctx: &RequestContext,
        req: functions::auth::ImportLoginToken,
    ) -> Result<enums::auth::LoginToken, RpcError> {
        let export = self
            .accounts
            .import_login_token(ctx.auth_key_id, &req.token, ctx.now)
            .await?;
        Ok(self.login_token(export, ctx.now))
    }

    pub(crate) async fn auth_accept_login_token(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::auth::AcceptLoginToken,
    ) -> Result<enums::Authorization, RpcError> {
        let accepted = self
            .accounts
            .accept_login_token(viewer, ctx.auth_key_id, &req.token, ctx.now)
            .await?;
        // The login is durable by now; the waiting device learns of it from this push.
        let update = enums::Updates::UpdateShort(types::UpdateShort {
            update: enums::Update::UpdateLoginToken(types::UpdateLoginToken),
            date: ctx.tl_date(0),
        });
        self.fanout
            .to_auth_key(accepted.exporter_auth_key_id, &update);
        Ok(authorization_tl(accepted.authorization))
    }

    fn login_token(&self, export: QrExport, now: i64) -> enums::auth::LoginToken {
        match export {
            QrExport::Token { token, expires_at } => {
                enums::auth::LoginToken::LoginToken(types::auth::LoginToken {
                    expires: clamp_date(expires_at),
                    token,
                })
            }
            QrExport::Success(user) => {
                tracing::info!(user_id = user.id, "logged in by QR code");
                enums::auth::LoginToken::LoginTokenSuccess(types::auth::LoginTokenSuccess {
                    authorization: self.authorization(&user, now),
                })
            }
        }
    }
}

/// One session entry as `account.getAuthorizations` lists it.
fn authorization_tl(auth: Authorization) -> enums::Authorization {
    let client = auth.client.unwrap_or_default();
    enums::Authorization::Authorization(types::Authorization {
        current: auth.current,
        hash: auth.hash,
        device_model: client.device_model,
        system_version: client.system_version,
        api_id: client.api_id,
        app_version: client.app_version,
        date_created: clamp_date(auth.created_at),
        date_active: clamp_date(auth.last_seen_at),
        ip: auth.ip.map(|ip| ip.to_string()).unwrap_or_default(),
        ..types::Authorization::default()
    })
}
