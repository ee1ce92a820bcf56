//! Cryptography for MTProto 2.0, written for both the server and the client role.
//!
//! Everything here is sans-IO: randomness comes in as a `rand_core` [`CryptoRng`]
//! so tests can be deterministic, and nothing here reads a clock or a socket.
//!
//! Code map:
//! - [`ige`]: AES-256 in IGE mode (the MTProto payload cipher).
//! - [`auth_key`] and [`message`]: the 256-byte authorization key and MTProto 2.0
//!   message encryption in both directions.
//! - [`message_v1`]: MTProto 1.0 messages (only `auth.bindTempAuthKey` still uses them).
//! - [`obfuscated`]: the obfuscated2 transport layer's AES-256-CTR keys.
//! - [`rsa_key`]: the server's RSA key, fingerprints and both `req_DH_params` paddings.
//! - [`dh`]: Telegram's 2048-bit DH group, secret exponents and range checks.
//! - [`pq`]: the proof-of-work `pq` numbers (generation and factorisation).
//! - [`handshake_kdf`]: the key derivations used while creating an auth key.
//! - [`hash`]: SHA helpers and constant-time comparison.
//! - [`srp`]: SRP-2048 two-step verification (server and client role).
//!
//! [`CryptoRng`]: rand_core::CryptoRng

pub mod auth_key;
pub mod dh;
mod error;
pub mod handshake_kdf;
pub mod hash;
pub mod ige;
pub mod message;
pub mod message_v1;
pub mod obfuscated;
pub mod pq;
pub mod req_dh_padding;
pub mod rsa_key;
pub mod srp;

#[cfg(test)]
mod test_util;

pub use auth_key::AuthKey;
pub use dh::{check_dh_value, DhSecret, DH_G, DH_PRIME};
pub use error::CryptoError;
pub use handshake_kdf::{new_nonce_hash, server_salt, tmp_aes_key_iv};
pub use ige::{ige_decrypt, ige_encrypt};
pub use message::{
    decrypt_message, decrypt_message_with_key_large, encrypt_message, DecryptedMessage, Side,
};
pub use message_v1::{decrypt_message_v1, encrypt_message_v1};
pub use obfuscated::{ObfuscatedCipher, ObfuscatedInit};
pub use pq::{factorize_pq, generate_pq, PqPair};
pub use rsa_key::{RsaPadding, RsaPublicKey, ServerRsaKey};
pub use srp::{SrpChallenge, SrpError, SrpVerifier};

/// The `rand_core` version this crate's APIs take, re-exported so callers name the same traits.
pub use rand_core;
