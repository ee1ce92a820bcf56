//! [`Api::handle`]: the login gate, then routing by TL namespace to one
//! sub-dispatcher per namespace (the big `messages` namespace is split
//! further); whatever no sub-dispatcher knows goes to [`rest`]: the
//! `account` and `contacts` methods, else not implemented.
//!
//! Sub-dispatchers are plain functions: each match arm builds its method's
//! `async` block and returns it boxed ([`Answer`]), and a method a
//! sub-dispatcher does not know is passed on by a plain call. An
//! unoptimised build gives every arm's temporaries their own stack slot;
//! when one `async fn` awaited every handler, its poll frame held a slot
//! for each handler future (close to 1 MB, half a test thread's stack).
//! Now no frame holds more than one handler future: the arms' unstarted
//! blocks hold only their captures, and [`Api::handle`] awaits one box.

/// The boxed answer of one handler call: `answer!(self.method(ctx, viewer(ctx)?, req))`
/// awaits the call inside the box, so `?` and the await happen there.
macro_rules! answer {
    ($call:expr) => {
        Box::pin(async move { ok($call.await?) })
    };
}

mod account;
mod auth;
mod channels;
mod help;
mod messages;
mod messages_chats;
mod messages_edits;
mod messages_invites;
mod rest;
mod updates;
mod users;

use std::future::Future;
use std::pin::Pin;

use chappe_tl::api::Request;

use crate::access::allowed_before_login;
use crate::{Api, LayerEncode, RequestContext, Response, RpcError};

/// One method's answer, built on the heap so that the frame awaiting it
/// holds a pointer, not the handler future.
type Answer<'a> = Pin<Box<dyn Future<Output = Result<Response, RpcError>> + Send + 'a>>;

fn ok<T: LayerEncode + Send + 'static>(value: T) -> Result<Response, RpcError> {
    Ok(Box::new(value))
}

/// An answer that needs no waiting.
fn ready<'a>(answer: Result<Response, RpcError>) -> Answer<'a> {
    Box::pin(std::future::ready(answer))
}

/// The logged-in user; the login gate has already refused callers without one.
fn viewer(ctx: &RequestContext) -> Result<i64, RpcError> {
    ctx.user_id.ok_or_else(RpcError::auth_key_unregistered)
}

impl Api {
    /// Answers one request for the caller described by `ctx`.
    ///
    /// The result is durable before this returns: a handler that changes
    /// state answers only after the store has committed.
    pub async fn handle(
        &self,
        ctx: &RequestContext,
        request: Request,
    ) -> Result<Response, RpcError> {
        let method = request.constructor_name();
        if ctx.user_id.is_none() && !allowed_before_login(&request) {
            tracing::debug!(method, "method needs a logged-in user");
            return Err(RpcError::auth_key_unregistered());
        }
        let namespace = method.split_once('.').map(|(namespace, _)| namespace);
        let answer = match namespace {
            Some("help") => self.dispatch_help(ctx, request),
            Some("auth") => self.dispatch_auth(ctx, request),
            Some("account") => self.dispatch_account(ctx, request),
            Some("users") => self.dispatch_users(ctx, request),
            Some("updates") => self.dispatch_updates(ctx, request),
            Some("messages") => self.dispatch_messages(ctx, request),
            Some("channels") => self.dispatch_channels(ctx, request),
            _ => self.dispatch_rest(ctx, request),
        };
        answer.await
    }
}
