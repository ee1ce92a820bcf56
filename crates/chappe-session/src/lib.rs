//! The MTProto 2.0 session layer, sans-IO, in both roles.
//!
//! Below it the runtime has already framed transport packets and (for the server)
//! decrypted them with `chappe-crypto`; above it the application runs RPC calls and
//! produces results and updates. In between, this crate enforces the rules of
//! MTProto's encrypted session: msg_id and seqno discipline, server salts,
//! acknowledgements, containers, `gzip_packed`, re-sending after reconnects, and the
//! service messages (ping, future salts, message state, answer cancellation, session
//! and key destruction), plus the invocation wrappers (`invokeWithLayer`,
//! `initConnection`, `invokeWithoutUpdates`, `invokeAfterMsg(s)`).
//!
//! Code map:
//! - [`server`]: [`ServerSession`], one per (auth_key_id, session_id).
//! - [`client`]: [`ClientSession`], for our client library and tests.
//! - [`salt`]: stateless, restart-proof server salts ([`ServerSalts`]).
//! - [`wire`]: TL primitives and MTProto framing (plaintext header, containers,
//!   `rpc_result`); [`gzip`]: bounded `gzip_packed`.
//! - [`time`]: [`Timestamp`] and msg_id ↔ time.
//! - internal: `received` (duplicate/seqno memory), `service` (service message codec),
//!   `wrappers` (invocation wrappers), `seq_no`.
//!
//! Architecture invariants: no I/O, no clock, no global randomness (time and an RNG
//! are passed in); every buffer, queue and memory is bounded; no input panics.

pub mod client;
mod error;
pub mod gzip;
mod received;
pub mod salt;
mod seq_no;
pub mod server;
mod service;
pub mod time;
pub mod wire;
mod wrappers;

pub use client::{ClientConfig, ClientEvent, ClientSession, InitConnection, RequestId};
pub use error::SessionError;
pub use salt::{FutureSalt, ServerSalts, SALT_SLOT};
pub use server::{IncomingCall, RpcError, ServerConfig, ServerSession, SessionEvent};
pub use time::Timestamp;
pub use wrappers::{ClientInfo, ClientProxy};

/// Re-exported so callers name the same types this crate takes.
pub use chappe_crypto::{AuthKey, DecryptedMessage};
