//! chappe's RPC handlers: a canonical TL request (decoded from whatever
//! layer the client speaks) in, a result the runtime encodes for that layer
//! out, or an [`RpcError`].
//!
//! [`Api::handle`] is the single entry point. It first applies the login
//! gate (see below), then dispatches to one handler per method; handlers
//! live in one module per TL namespace (`help` now; `auth`, `users`,
//! `messages` ... later) and are thin: typed request in, typed result out.
//!
//! # Errors clients see
//! - A method that needs a logged-in user, called on an auth key without
//!   one: `401 AUTH_KEY_UNREGISTERED`. Only a short allow-list (`auth.*`,
//!   `langpack.*`, the `help` methods clients call before login, the 2FA
//!   and login-email `account` methods) is open before login.
//! - A method chappe does not implement yet: `400 METHOD_NOT_IMPLEMENTED`,
//!   with the method's TL name in a `warn` log line. Never a fake success.
//!   A 400 (not a 5xx) so clients fail the call at once instead of retrying.
//! - A storage failure: `500 INTERNAL` (the cause is logged).
//!
//! The runtime unwraps `invokeWithLayer`, `initConnection` and the other
//! `invoke*` wrappers before calling [`Api::handle`].

mod access;
mod account;
mod auth;
mod channels;
mod chats;
mod code_message;
mod config;
mod contacts;
mod context;
mod convert;
mod devices;
mod dispatch;
mod error;
mod fanout;
mod help;
mod invites;
mod layered;
mod messages;
mod more;
mod password;
mod pfs;
mod qr_login;
mod updates;
mod users;

use std::sync::Arc;

use chappe_core::{Accounts, Messaging};
use chappe_store::Store;

pub use chappe_tl::layers::LayerEncode;
pub use code_message::{login_code_text, ServiceMessageDelivery, UnixClock};
pub use config::{ApiConfig, ConfigError};
pub use context::RequestContext;
pub use error::RpcError;
pub use fanout::{PushJob, PushTarget, RecordingFanout, SessionRef, UpdateFanout};
pub use messages::send_service_message;

/// A handler's result, ready to be encoded for the session's layer with
/// [`LayerEncode::encode_for_layer`].
pub type Response = Box<dyn LayerEncode + Send>;

/// The API: configuration, storage and the data built from them at startup.
/// Shared by all connections (`Arc<Api>`); handlers take `&self`.
pub struct Api {
    config: ApiConfig,
    // Read directly only by handlers with no domain service yet.
    #[allow(dead_code)]
    store: Arc<dyn Store>,
    accounts: Arc<Accounts>,
    messaging: Arc<Messaging>,
    fanout: Arc<dyn UpdateFanout>,
    /// Orders each channel's background pushes.
    channel_pushes: Arc<channels::ChannelPushes>,
    help: help::HelpData,
    challenges: password::Challenges,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Api {
    /// Checks `config` and builds the API over `store`, the domain services and the
    /// fan-out that delivers updates to live sessions.
    pub fn new(
        config: ApiConfig,
        store: Arc<dyn Store>,
        accounts: Arc<Accounts>,
        messaging: Arc<Messaging>,
        fanout: Arc<dyn UpdateFanout>,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let help = help::HelpData::new(&config);
        Ok(Self {
            config,
            store,
            messaging,
            accounts,
            fanout,
            channel_pushes: Arc::default(),
            help,
            challenges: password::Challenges::new(),
        })
    }

    /// The account service (the runtime asks it who an auth key is logged in as).
    pub fn accounts(&self) -> &Arc<Accounts> {
        &self.accounts
    }

    /// The messaging service (cloud messages and update logs).
    pub fn messaging(&self) -> &Arc<Messaging> {
        &self.messaging
    }

    /// The configuration the API was built with.
    pub fn config(&self) -> &ApiConfig {
        &self.config
    }
}
