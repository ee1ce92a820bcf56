//! `auth.bindTempAuthKey` (Perfect Forward Secrecy): a client that talks over a
//! temporary auth key proves it owns a permanent one by sending a `bind_auth_key_inner`
//! encrypted with the permanent key (MTProto 1.0). Once bound, the runtime resolves every
//! call on the temporary key to the permanent key's login.
//!
//! Every field of the inner message must agree with the call that carries it (nonce,
//! both key ids, the session, expires_at, and the msg_id of the request itself), so a
//! captured binding cannot be replayed on another key, session or message.

use chappe_crypto::{decrypt_message_v1, AuthKey, Side};
use chappe_store::AuthKeyKind;
use chappe_tl::api::functions;

use crate::{Api, RequestContext, RpcError};

/// Constructor id of `bind_auth_key_inner` (MTProto service schema).
const BIND_AUTH_KEY_INNER: u32 = 0x75a3_f765;
/// Its serialized length: constructor, four longs and an int.
const INNER_LEN: usize = 4 + 8 * 4 + 4;

struct BindInner {
    nonce: i64,
    temp_auth_key_id: i64,
    perm_auth_key_id: i64,
    temp_session_id: i64,
    expires_at: i32,
}

fn invalid() -> RpcError {
    RpcError::bad_request("ENCRYPTED_MESSAGE_INVALID")
}

fn parse_inner(body: &[u8]) -> Option<BindInner> {
    if body.len() != INNER_LEN {
        return None;
    }
    let long = |at: usize| -> Option<i64> {
        Some(i64::from_le_bytes(body.get(at..at + 8)?.try_into().ok()?))
    };
    let constructor = u32::from_le_bytes(body.get(..4)?.try_into().ok()?);
    if constructor != BIND_AUTH_KEY_INNER {
        return None;
    }
    Some(BindInner {
        nonce: long(4)?,
        temp_auth_key_id: long(12)?,
        perm_auth_key_id: long(20)?,
        temp_session_id: long(28)?,
        expires_at: i32::from_le_bytes(body.get(36..40)?.try_into().ok()?),
    })
}

impl Api {
    pub(crate) async fn auth_bind_temp_auth_key(
        &self,
        ctx: &RequestContext,
        req: functions::auth::BindTempAuthKey,
    ) -> Result<bool, RpcError> {
        let temp_id = ctx
            .temp_auth_key_id
            .ok_or_else(|| RpcError::bad_request("TEMP_AUTH_KEY_EMPTY"))?;
        let temp = self
            .store
            .get_auth_key(temp_id)
            .await?
            .filter(|record| matches!(record.kind, AuthKeyKind::Temp { .. }))
            .ok_or_else(|| RpcError::bad_request("TEMP_AUTH_KEY_EMPTY"))?;
        let perm = self
            .store
            .get_auth_key(req.perm_auth_key_id)
            .await?
            .filter(|record| record.kind == AuthKeyKind::Perm)
            .ok_or_else(invalid)?;
        let message = decrypt_message_v1(
            &AuthKey::from_bytes(perm.key),
            Side::Client,
            &req.encrypted_message,
        )
        .map_err(|e| {
            tracing::debug!(error = %e, "binding message does not decrypt");
            invalid()
        })?;
        let inner = parse_inner(&message.body).ok_or_else(invalid)?;
        let agrees = message.msg_id == ctx.msg_id
            && inner.nonce == req.nonce
            && inner.temp_auth_key_id == temp_id
            && inner.perm_auth_key_id == req.perm_auth_key_id
            && inner.temp_session_id == ctx.session_id
            && inner.expires_at == req.expires_at
            && i64::from(req.expires_at) > ctx.now;
        if !agrees {
            tracing::debug!("binding message does not match its call");
            return Err(invalid());
        }
        match temp.perm_key_id {
            Some(bound) if bound == perm.id => return Ok(true),
            Some(_) => return Err(RpcError::bad_request("TEMP_AUTH_KEY_ALREADY_BOUND")),
            None => {}
        }
        let perm_id = perm.id;
        // A permanent key carries one temporary key at a time: the previous one loses
        // the binding (and with it the login) in the same transaction.
        let unbound = self.store.bind_temp_auth_key(temp.id, perm_id).await?;
        tracing::info!(
            perm_auth_key_id = perm_id,
            replaced = unbound.is_some(),
            "temporary auth key bound"
        );
        Ok(true)
    }
}
