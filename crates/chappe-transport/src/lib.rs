//! chappe-transport: sans-IO MTProto transport codecs for both ends of a
//! connection.
//!
//! A connection's bytes are MTProto payloads wrapped in one of four framings
//! (abridged, intermediate, padded intermediate, full), optionally encrypted
//! with obfuscated2 (AES-256-CTR keyed from a 64-byte random header, with an
//! optional MTProxy secret). WebSocket (`/apiws`) carries the same obfuscated
//! byte stream in binary messages, so it needs nothing extra here: feed each
//! message's payload.
//!
//! - [`ServerTransport`] recognises the client's transport from its first
//!   bytes, yields [`Frame`]s and encodes replies, quick ACKs and transport
//!   errors.
//! - [`ClientTransport`] writes the marker or header, encodes requests and
//!   yields [`ClientEvent`]s.
//!
//! Nothing here does I/O or reads a clock; randomness (padding, headers) comes
//! from the caller's RNG.

#![warn(missing_docs)]

mod buffer;
mod client;
mod detect;
mod error;
mod framing;
mod kind;
mod link;
mod obfuscation;
mod quick_ack;
mod server;
#[cfg(feature = "test-support")]
pub mod testing;

/// The RNG trait version the encoders take, re-exported so callers need not
/// match it by hand.
pub use rand_core;

pub use client::{ClientConfig, ClientEvent, ClientTransport, ObfuscationConfig};
pub use error::TransportError;
pub use kind::TransportKind;
pub use obfuscation::mtproxy_secret_from_bytes;
pub use quick_ack::{quick_ack_token, quick_ack_token_from_msg_key_large};
pub use server::{transport_error, Frame, ServerTransport, TransportConfig, DEFAULT_MAX_FRAME_LEN};
