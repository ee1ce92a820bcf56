//! [`RpcError`]: what a handler answers instead of a result, in Telegram's
//! own codes and names so clients map it to the errors they know.

/// An `rpc_error` to send back: `code` is Telegram's HTTP-like class (400
/// bad request, 401 unauthorized, 420 flood, 500 internal), `message` the
/// upper-case error name (`PHONE_CODE_INVALID`, `FLOOD_WAIT_30`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} {message}")]
pub struct RpcError {
    /// The error class.
    pub code: i32,
    /// The error name clients match on.
    pub message: String,
}

impl RpcError {
    /// An error with any code and name.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// `400 <message>`: the request is wrong and retrying will not help.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, message)
    }

    /// `400 METHOD_NOT_IMPLEMENTED`: chappe does not (yet) implement the
    /// method. A 400 rather than a 5xx so clients fail the call at once
    /// instead of retrying it.
    pub fn method_not_implemented() -> Self {
        Self::bad_request("METHOD_NOT_IMPLEMENTED")
    }

    /// `401 AUTH_KEY_UNREGISTERED`: the method needs a logged-in user and
    /// the auth key has none. Clients read it as "not logged in" (Telethon's
    /// `get_me`, GramJS's `isUserAuthorized`).
    pub fn auth_key_unregistered() -> Self {
        Self::new(401, "AUTH_KEY_UNREGISTERED")
    }

    /// `500 INTERNAL`: the server failed (e.g. storage); the client may retry.
    pub fn internal() -> Self {
        Self::new(500, "INTERNAL")
    }
}

/// A storage failure is the server's fault: log it here, where the cause is
/// known, and tell the client only that it may retry.
impl From<chappe_store::StoreError> for RpcError {
    fn from(err: chappe_store::StoreError) -> Self {
        tracing::error!(error = %err, "store failed while handling a request");
        Self::internal()
    }
}

/// Account errors already carry Telegram's code and name.
impl From<chappe_core::AccountError> for RpcError {
    fn from(error: chappe_core::AccountError) -> Self {
        let (code, message) = error.rpc_name();
        if code >= 500 {
            tracing::error!(error = %error, "account service failure");
        }
        RpcError::new(code, message)
    }
}
