//! Quick-ACK tokens: how a client names a payload it wants acknowledged on
//! receipt and how the server answers with the same name.
//!
//! The token is the first 4 bytes of msg_key_large = SHA256(auth_key[88..120]
//! ‖ plaintext) — the hash whose middle 16 bytes are the msg_key of a
//! client-to-server message — read little-endian, with the top bit set.

use sha2::{Digest, Sha256};

use crate::framing::QUICK_ACK_BIT;

/// The token from an already computed msg_key_large (the session layer has it
/// after checking msg_key, so the server need not hash the message again).
pub fn quick_ack_token_from_msg_key_large(msg_key_large: &[u8; 32]) -> u32 {
    let [a, b, c, d, ..] = *msg_key_large;
    u32::from_le_bytes([a, b, c, d]) | QUICK_ACK_BIT
}

/// The token of a client-to-server message from the auth key and the
/// plaintext that was encrypted (including its random padding).
pub fn quick_ack_token(auth_key: &[u8; 256], plaintext: &[u8]) -> u32 {
    let msg_key_large: [u8; 32] = Sha256::new()
        .chain_update(&auth_key[88..120])
        .chain_update(plaintext)
        .finalize()
        .into();
    quick_ack_token_from_msg_key_large(&msg_key_large)
}
