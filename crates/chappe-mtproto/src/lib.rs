//! Sans-IO MTProto building blocks shared by the server and our client: the plain
//! (unencrypted) message envelope, msg_id generation and checks, and the auth-key
//! handshake in both roles.
//!
//! Nothing here does I/O, reads a clock or owns randomness: callers pass `now` (unix time
//! in nanoseconds) and a `rand_core::CryptoRng`, so every exchange can be replayed
//! byte for byte in tests.
//!
//! Code map:
//! - [`plain`]: `auth_key_id = 0 | msg_id | length | body` framing.
//! - [`msg_id`]: server msg_id generation and client msg_id validation.
//! - [`handshake`]: [`ServerHandshake`] and [`ClientHandshake`], one per connection.

mod error;
pub mod handshake;
pub mod msg_id;
pub mod plain;

pub use error::{HandshakeError, MsgIdError, PlainError};
pub use handshake::{
    ClientHandshake, ClientHandshakeConfig, ClientOutput, CreatedKey, HandshakeConfig,
    HandshakeOutput, InnerDataKind, KeyKind, ServerHandshake,
};
pub use msg_id::{check_client_msg_id, msg_id_time, MsgIdGenerator};
pub use plain::{decode_plain, encode_plain, PlainMessage};
