//! Push-notification devices: `account.registerDevice` and `account.unregisterDevice`.
//! Tokens are stored per user, auth key and token type; they are dropped when that auth
//! key logs out (see `chappe_core`'s log-out path). chappe sends no pushes yet: the tokens
//! are kept for the delivery that comes later, so a registration is never lost.

use chappe_store::DeviceRecord;
use chappe_tl::api::functions;

use crate::{Api, RequestContext, RpcError};

/// Token types Telegram defines (1 APNS, 2 FCM, 3 MPNS, 4 Simple Push, 5 Ubuntu,
/// 6 BlackBerry, 7 MTProto, 8 Windows, 9 APNS VoIP, 10 Web Push, 11 MPNS VoIP,
/// 12 Tizen, 13 HMS).
const TOKEN_TYPES: std::ops::RangeInclusive<i32> = 1..=13;
/// Longest token accepted, in bytes (web push tokens are JSON of a few hundred).
const MAX_TOKEN_LEN: usize = 4096;
/// Longest encryption secret accepted, in bytes (FCM and APNS VoIP use 256).
const MAX_SECRET_LEN: usize = 1024;
/// Most other user ids kept with a token.
const MAX_OTHER_UIDS: usize = 64;

fn check_token(token_type: i32, token: &str) -> Result<(), RpcError> {
    if !TOKEN_TYPES.contains(&token_type) {
        return Err(RpcError::bad_request("TOKEN_TYPE_INVALID"));
    }
    if token.is_empty() {
        return Err(RpcError::bad_request("TOKEN_EMPTY"));
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(RpcError::bad_request("TOKEN_INVALID"));
    }
    Ok(())
}

impl Api {
    pub(crate) async fn account_register_device(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::account::RegisterDevice,
    ) -> Result<bool, RpcError> {
        check_token(req.token_type, &req.token)?;
        if req.secret.len() > MAX_SECRET_LEN {
            return Err(RpcError::bad_request("TOKEN_INVALID"));
        }
        let mut other_uids = req.other_uids;
        other_uids.retain(|&uid| uid != viewer);
        other_uids.truncate(MAX_OTHER_UIDS);
        self.store
            .put_device(DeviceRecord {
                user_id: viewer,
                auth_key_id: ctx.auth_key_id,
                token_type: req.token_type,
                token: req.token,
                app_sandbox: req.app_sandbox,
                secret: req.secret,
                no_muted: req.no_muted,
                other_uids,
                registered_at: ctx.now,
            })
            .await?;
        tracing::debug!(
            user_id = viewer,
            token_type = req.token_type,
            "push device registered"
        );
        Ok(true)
    }

    /// Idempotent: a token that is not (or no longer) registered answers `true` too.
    pub(crate) async fn account_unregister_device(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::account::UnregisterDevice,
    ) -> Result<bool, RpcError> {
        check_token(req.token_type, &req.token)?;
        self.store
            .delete_device(viewer, ctx.auth_key_id, req.token_type, &req.token)
            .await?;
        Ok(true)
    }
}
