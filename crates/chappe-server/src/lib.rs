//! The chappe server runtime: the only crate that owns sockets.
//!
//! It accepts TCP and WebSocket connections, runs each through the sans-IO transport,
//! handshake and session state machines, hands decoded RPC calls to `chappe-api`, and sends
//! results and pushed updates back on whichever connection the session is attached to.

pub mod config;
mod websocket;

pub use config::ServerConfig;
