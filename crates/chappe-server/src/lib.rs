//! The chappe server runtime: the only crate that owns sockets.
//!
//! It accepts TCP and WebSocket connections, runs each through the sans-IO transport,
//! handshake and session state machines, hands decoded RPC calls to `chappe-api`, and sends
//! results back on whichever connection the session is attached to.
//!
//! Code map: [`server`] starts up and accepts; `connection` drives one connection;
//! `calls` runs one RPC; `registry` holds live sessions; `auth_keys` caches keys over the
//! store; `websocket` turns `/apiws` into a byte stream; `keys` owns the RSA key file.

mod auth_keys;
mod calls;
mod clock;
pub mod config;
mod connection;
mod delivery;
mod fanout;
pub mod keys;
pub mod open;
mod registry;
pub mod server;
mod state;
mod websocket;

pub use config::ServerConfig;
pub use server::{Server, StartError};
