//! chappe-client: chappe's own MTProto client, for tests, tools and the load generator.
//!
//! It drives the same sans-IO crates the server uses, in the client role: a TCP
//! connection framed by `chappe-transport`, auth-key creation by `chappe-mtproto`'s
//! [`chappe_mtproto::ClientHandshake`], and an encrypted session by `chappe-session`'s
//! [`chappe_session::ClientSession`], run by one tokio task per connection.
//!
//! ```no_run
//! # async fn demo(addr: std::net::SocketAddr, pem: &str) -> Result<(), Box<dyn std::error::Error>> {
//! use chappe_client::{Client, ClientConfig};
//! use chappe_tl::api::functions::help::GetNearestDc;
//!
//! let client = Client::connect(ClientConfig::from_pem(addr, pem)?).await?;
//! let nearest = client.invoke(&GetNearestDc).await?;
//! let key = client.auth_key().clone(); // persist it to resume later
//! # Ok(()) }
//! ```
//!
//! Code map:
//! - [`config`]: [`ClientConfig`] and its setters.
//! - `raw`: [`RawConnection`], a framed connection used step by step; `handshake` adds
//!   [`RawConnection::create_auth_key`].
//! - `client`: the [`Client`] handle; `driver`: the task behind it.
//! - `error`: [`ClientError`] (connecting) and [`InvocationError`] (calls).
//! - [`requests`]: login with a code, plain texts.

mod client;
mod clock;
pub mod config;
mod driver;
mod error;
mod handshake;
mod raw;
pub mod requests;

pub use client::Client;
pub use config::{default_init, ClientConfig, ResumeKey};
pub use driver::Update;
pub use error::{ClientError, InvocationError};
pub use handshake::NewAuthKey;
pub use raw::{RawConnection, Received};

/// Re-exported so callers name the same types this crate takes.
pub use chappe_crypto::{AuthKey, RsaPadding, RsaPublicKey};
pub use chappe_mtproto::{InnerDataKind, KeyKind};
pub use chappe_session::InitConnection;
pub use chappe_transport::TransportKind;
