//! Running one RPC call: decode it from the session's layer into the canonical request,
//! let the API answer it, encode the answer back into that layer, and hand it to the session.

use std::sync::Arc;

use chappe_api::RequestContext;
use chappe_session::{IncomingCall, RpcError};
use chappe_tl::layers::{decode_request, resolve_layer};
use chappe_tl::{DecodeError, Limits, CANONICAL_LAYER};
use tracing::Instrument;

use crate::clock;
use crate::registry::SessionSlot;
use crate::state::ServerState;

/// Runs `call` on its own task; the session's connection is woken when the answer is queued.
pub fn spawn_call(state: Arc<ServerState>, slot: Arc<SessionSlot>, call: IncomingCall) {
    let span = tracing::debug_span!(
        "rpc",
        msg_id = call.req_msg_id,
        session = slot.key.session_id
    );
    tokio::spawn(
        async move {
            let result = answer(&state, &slot, &call).await;
            if !slot.session().push_result(call.req_msg_id, result) {
                tracing::debug!("the call was cancelled before its answer");
            }
            slot.wake();
        }
        .instrument(span),
    );
}

async fn answer(
    state: &ServerState,
    slot: &SessionSlot,
    call: &IncomingCall,
) -> Result<Vec<u8>, RpcError> {
    // Without invokeWithLayer a client gets the newest layer, as Telegram does for
    // sessions that never announced one.
    let layer = resolve_layer(call.layer.unwrap_or(CANONICAL_LAYER));
    let request = decode_request(layer, &call.body, &Limits::default()).map_err(|e| {
        tracing::debug!(layer, error = %e, "undecodable request");
        match e {
            DecodeError::UnknownConstructor { .. } => RpcError::new(400, "INPUT_METHOD_INVALID"),
            _ => RpcError::new(400, "INPUT_FETCH_ERROR"),
        }
    })?;
    let method = request.constructor_name();
    let (lang_code, session_id, client_ip) = {
        let record = slot.record();
        (
            record
                .client
                .as_ref()
                .map(|c| c.lang_code.clone())
                .unwrap_or_default(),
            record.session_id,
            record.ip,
        )
    };
    // A temporary key bound to a permanent one acts as the permanent key's login.
    let raw_key_id = slot.key.auth_key_id;
    let (login_key_id, temp_auth_key_id) = login_key(state, raw_key_id).await?;
    let user_id = state
        .api
        .accounts()
        .user_of_auth_key(login_key_id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "cannot tell who is logged in");
            RpcError::new(500, "INTERNAL")
        })?;
    state
        .sessions
        .note_caller(slot, login_key_id, user_id, !call.without_updates);
    let ctx = RequestContext {
        auth_key_id: login_key_id,
        session_id,
        msg_id: call.req_msg_id,
        temp_auth_key_id,
        layer,
        lang_code,
        user_id,
        client_ip,
        now: clock::unix_secs(clock::now()),
    };
    let binds_key = matches!(request, chappe_tl::api::Request::AuthBindTempAuthKey(_));
    let response = state.api.handle(&ctx, request).await.map_err(|e| {
        tracing::debug!(method, code = e.code, error = %e.message, "rpc error");
        RpcError::new(e.code, e.message)
    })?;
    if binds_key {
        // The binding is in the store; the next call on this key must see it, and a
        // temporary key it replaced must stop acting as the permanent key's login.
        let reloaded = async {
            state.auth_keys.reload(raw_key_id).await?;
            let perm = state
                .auth_keys
                .get(raw_key_id)
                .await?
                .and_then(|k| k.perm_key_id);
            match perm {
                Some(perm) => state.auth_keys.reload_bound_to(perm).await,
                None => Ok(()),
            }
        };
        reloaded.await.map_err(|e| {
            tracing::error!(error = %e, "cannot reload a bound auth key");
            RpcError::new(500, "INTERNAL")
        })?;
    }
    let mut out = Vec::new();
    response.encode_for_layer(layer, &mut out).map_err(|e| {
        tracing::warn!(method, layer, error = %e, "result cannot be expressed in the client's layer");
        RpcError::new(500, "INTERNAL")
    })?;
    tracing::debug!(method, layer, "rpc answered");
    Ok(out)
}

/// The auth key whose login a call on `auth_key_id` uses, and the temporary key it came
/// on (if it came on one).
async fn login_key(state: &ServerState, auth_key_id: i64) -> Result<(i64, Option<i64>), RpcError> {
    let known = state.auth_keys.get(auth_key_id).await.map_err(|e| {
        tracing::error!(error = %e, "cannot read the auth key");
        RpcError::new(500, "INTERNAL")
    })?;
    let Some(known) = known else {
        return Ok((auth_key_id, None));
    };
    let temp = matches!(known.kind, chappe_store::AuthKeyKind::Temp { .. }).then_some(auth_key_id);
    Ok((known.perm_key_id.unwrap_or(auth_key_id), temp))
}
