//! The auth-key handshake (core.telegram.org/mtproto/auth_key) as sans-IO state machines.
//!
//! ```text
//! client                                   server
//! req_pq_multi(nonce)                 →
//!                                     ←    resPQ(nonce, server_nonce, pq, fingerprints)
//! req_DH_params(p, q, RSA(inner data)) →
//!                                     ←    server_DH_params_ok(AES-IGE(g, dh_prime, g_a, time))
//! set_client_DH_params(AES-IGE(g_b))  →
//!                        (server stores the key, or finds its id taken)
//!                                     ←    dh_gen_ok | dh_gen_retry | dh_gen_fail
//! ```
//!
//! Both sides take and return plain message *bodies*; the caller frames them with
//! [`crate::plain`]. [`ServerHandshake`] and [`ClientHandshake`] hold one connection's
//! state each.

mod client;
mod sealed;
mod server;

#[cfg(test)]
mod tests;

pub use client::{ClientHandshake, ClientHandshakeConfig, ClientOutput, InnerDataKind};
pub use server::{HandshakeConfig, HandshakeOutput, ServerHandshake};

use chappe_crypto::AuthKey;
use chappe_tl::{DecodeError, Deserializable, Limits, Reader};

/// Whether a key is permanent or a PFS temporary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A permanent key (`p_q_inner_data` / `p_q_inner_data_dc`).
    Perm,
    /// A temporary key (`p_q_inner_data_temp*`), valid until `expires_at` (unix seconds).
    Temp {
        /// Unix time in seconds after which the key is void.
        expires_at: i64,
    },
}

/// A newly created authorization key and what goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedKey {
    /// The key.
    pub auth_key: AuthKey,
    /// Permanent or temporary.
    pub kind: KeyKind,
    /// The DC the client named in `p_q_inner_data_dc`/`_temp_dc` (negative for media
    /// DCs, +10000 for test DCs), or the server's own DC id for the plain variants.
    pub dc: i32,
    /// The first server salt: `new_nonce[0..8] XOR server_nonce[0..8]`.
    pub first_salt: i64,
}

/// Decoding bounds for handshake messages, which are all small.
const LIMITS: Limits = Limits {
    max_message_len: 4096,
    max_depth: 4,
    max_vector_len: 64,
};

/// Decodes a whole handshake message.
fn decode_exact<T: Deserializable>(bytes: &[u8]) -> Result<T, DecodeError> {
    chappe_tl::from_bytes_with(bytes, &LIMITS)
}

/// Decodes a value at the start of `bytes`, returning it and the bytes it used (for data
/// followed by padding).
fn decode_prefix<T: Deserializable>(bytes: &[u8]) -> Result<(T, usize), DecodeError> {
    let mut reader = Reader::new(bytes, LIMITS);
    let value = T::deserialize(&mut reader)?;
    Ok((value, reader.position()))
}

/// The constructor id a message starts with, for error reports (0 if too short).
fn constructor_of(body: &[u8]) -> u32 {
    body.get(..4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

/// Whole seconds of a unix time in nanoseconds.
fn unix_secs(now_unix_ns: u64) -> i64 {
    (now_unix_ns / 1_000_000_000) as i64
}
