//! MTProto 2.0 message encryption in both directions.
//!
//! Wire layout: `auth_key_id (8) | msg_key (16) | AES-256-IGE(plaintext)`, where the
//! plaintext is `salt (8) | session_id (8) | msg_id (8) | seq_no (4) | length (4) | body |
//! padding (12..=1024, total a multiple of 16)`. `msg_key` is the middle 128 bits of
//! `SHA256(auth_key[88+x .. 120+x] + plaintext)`, with x = 0 for messages the client sends
//! and x = 8 for messages the server sends.

use rand_core::CryptoRng;

use crate::auth_key::AuthKey;
use crate::hash::{ct_eq, sha256};
use crate::ige::{ige_decrypt, ige_encrypt};
use crate::CryptoError;

/// Bytes before the ciphertext: auth_key_id and msg_key.
pub const ENVELOPE_HEADER_LEN: usize = 24;
/// Bytes of the plaintext header (salt, session_id, msg_id, seq_no, length).
pub const PLAINTEXT_HEADER_LEN: usize = 32;
/// Smallest padding MTProto 2.0 allows.
pub const MIN_PADDING: usize = 12;
/// Largest padding MTProto 2.0 allows.
pub const MAX_PADDING: usize = 1024;
/// Extra whole blocks of random padding added on top of the minimum, at most. A little
/// length hiding without spending much bandwidth.
const MAX_EXTRA_PADDING_BLOCKS: u32 = 3;

/// Which party sent (encrypted) a message; it selects the key schedule offset x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Client → server (x = 0).
    Client,
    /// Server → client (x = 8).
    Server,
}

impl Side {
    fn x(self) -> usize {
        match self {
            Side::Client => 0,
            Side::Server => 8,
        }
    }
}

/// A decrypted, verified message: the plaintext header fields and the body without padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecryptedMessage {
    /// Server salt the sender used.
    pub salt: i64,
    /// Session id.
    pub session_id: i64,
    /// Message id.
    pub msg_id: i64,
    /// Sequence number.
    pub seq_no: i32,
    /// The TL-serialized message body (`length` bytes).
    pub body: Vec<u8>,
}

/// Derives the AES-256-IGE key and IV for a message (MTProto 2.0 KDF).
pub fn message_key_iv(key: &AuthKey, msg_key: &[u8; 16], sender: Side) -> ([u8; 32], [u8; 32]) {
    let x = sender.x();
    let auth_key = key.as_bytes();
    let sha256_a = sha256(&[msg_key, &auth_key[x..x + 36]]);
    let sha256_b = sha256(&[&auth_key[40 + x..76 + x], msg_key]);
    let mut aes_key = [0u8; 32];
    aes_key[..8].copy_from_slice(&sha256_a[..8]);
    aes_key[8..24].copy_from_slice(&sha256_b[8..24]);
    aes_key[24..].copy_from_slice(&sha256_a[24..]);
    let mut aes_iv = [0u8; 32];
    aes_iv[..8].copy_from_slice(&sha256_b[..8]);
    aes_iv[8..24].copy_from_slice(&sha256_a[8..24]);
    aes_iv[24..].copy_from_slice(&sha256_b[24..]);
    (aes_key, aes_iv)
}

fn compute_msg_key(key: &AuthKey, sender: Side, padded_plaintext: &[u8]) -> [u8; 16] {
    msg_key_of(&compute_msg_key_large(key, sender, padded_plaintext))
}

/// msg_key_large = SHA256(auth_key[88+x..120+x] ‖ padded plaintext); msg_key is its middle.
fn compute_msg_key_large(key: &AuthKey, sender: Side, padded_plaintext: &[u8]) -> [u8; 32] {
    let x = sender.x();
    sha256(&[&key.as_bytes()[88 + x..120 + x], padded_plaintext])
}

fn msg_key_of(large: &[u8; 32]) -> [u8; 16] {
    let mut msg_key = [0u8; 16];
    msg_key.copy_from_slice(&large[8..24]);
    msg_key
}

/// Encrypts `plaintext` (header and body, without padding) as `sender`, adding 12 to
/// 1024 bytes of random padding so the encrypted part is a multiple of 16 bytes.
/// Returns `auth_key_id | msg_key | ciphertext`.
pub fn encrypt_message<R: CryptoRng + ?Sized>(
    key: &AuthKey,
    sender: Side,
    plaintext: &[u8],
    rng: &mut R,
) -> Vec<u8> {
    let minimum = MIN_PADDING + (16 - (plaintext.len() + MIN_PADDING) % 16) % 16;
    let extra_blocks = rng.next_u32() % (MAX_EXTRA_PADDING_BLOCKS + 1);
    let mut padding = vec![0u8; minimum + 16 * extra_blocks as usize];
    rng.fill_bytes(&mut padding);
    encrypt_with_padding(key, sender, plaintext, &padding)
}

/// [`encrypt_message`] with the padding given, for deterministic tests. The caller makes
/// `plaintext.len() + padding.len()` a multiple of 16 with 12..=1024 padding bytes.
pub(crate) fn encrypt_with_padding(
    key: &AuthKey,
    sender: Side,
    plaintext: &[u8],
    padding: &[u8],
) -> Vec<u8> {
    let mut packet = Vec::with_capacity(ENVELOPE_HEADER_LEN + plaintext.len() + padding.len());
    packet.extend_from_slice(&key.id().to_le_bytes());
    packet.extend_from_slice(&[0u8; 16]);
    packet.extend_from_slice(plaintext);
    packet.extend_from_slice(padding);
    let (header, body) = packet.split_at_mut(ENVELOPE_HEADER_LEN);
    let msg_key = compute_msg_key(key, sender, body);
    let (aes_key, aes_iv) = message_key_iv(key, &msg_key, sender);
    // The body is a multiple of 16 by construction of the padding, so this cannot fail;
    // should a caller break that contract the result is simply not a valid message.
    let _ = ige_encrypt(body, &aes_key, &aes_iv);
    header[8..].copy_from_slice(&msg_key);
    packet
}

/// Decrypts and verifies a packet that `sender` encrypted with `key`: the auth_key_id must
/// be `key`'s, the msg_key must match (compared in constant time), and the plaintext must
/// have a length field that fits with 12..=1024 bytes of padding.
pub fn decrypt_message(
    key: &AuthKey,
    sender: Side,
    packet: &[u8],
) -> Result<DecryptedMessage, CryptoError> {
    decrypt_message_with_key_large(key, sender, packet).map(|(message, _)| message)
}

/// [`decrypt_message`], also returning msg_key_large, whose first four bytes are the quick-ACK
/// token a client may ask for (so the server need not hash the plaintext again).
pub fn decrypt_message_with_key_large(
    key: &AuthKey,
    sender: Side,
    packet: &[u8],
) -> Result<(DecryptedMessage, [u8; 32]), CryptoError> {
    let minimum_ciphertext = (PLAINTEXT_HEADER_LEN + MIN_PADDING).div_ceil(16) * 16;
    let Some(ciphertext) = packet.get(ENVELOPE_HEADER_LEN..) else {
        return Err(CryptoError::InvalidLength(
            "packet shorter than its envelope",
        ));
    };
    if ciphertext.len() < minimum_ciphertext || ciphertext.len() % 16 != 0 {
        return Err(CryptoError::InvalidLength(
            "ciphertext must be a multiple of 16 bytes and hold a header",
        ));
    }
    let (id_bytes, rest) = packet.split_at(8);
    if !ct_eq(id_bytes, &key.id().to_le_bytes()) {
        return Err(CryptoError::AuthKeyIdMismatch);
    }
    let mut msg_key = [0u8; 16];
    msg_key.copy_from_slice(&rest[..16]);

    let (aes_key, aes_iv) = message_key_iv(key, &msg_key, sender);
    let mut plaintext = ciphertext.to_vec();
    ige_decrypt(&mut plaintext, &aes_key, &aes_iv)?;
    let msg_key_large = compute_msg_key_large(key, sender, &plaintext);
    if !ct_eq(&msg_key_of(&msg_key_large), &msg_key) {
        return Err(CryptoError::MsgKeyMismatch);
    }
    Ok((parse_plaintext(plaintext)?, msg_key_large))
}

fn parse_plaintext(mut plaintext: Vec<u8>) -> Result<DecryptedMessage, CryptoError> {
    let salt = read_le::<8>(&plaintext, 0).map(i64::from_le_bytes);
    let session_id = read_le::<8>(&plaintext, 8).map(i64::from_le_bytes);
    let msg_id = read_le::<8>(&plaintext, 16).map(i64::from_le_bytes);
    let seq_no = read_le::<4>(&plaintext, 24).map(i32::from_le_bytes);
    let length = read_le::<4>(&plaintext, 28).map(u32::from_le_bytes);
    let (Some(salt), Some(session_id), Some(msg_id), Some(seq_no), Some(length)) =
        (salt, session_id, msg_id, seq_no, length)
    else {
        return Err(CryptoError::MalformedPlaintext("shorter than its header"));
    };
    let length = length as usize;
    if !length.is_multiple_of(4) {
        return Err(CryptoError::MalformedPlaintext(
            "length is not a multiple of 4",
        ));
    }
    let room = plaintext.len().saturating_sub(PLAINTEXT_HEADER_LEN);
    let Some(padding) = room.checked_sub(length) else {
        return Err(CryptoError::MalformedPlaintext(
            "length exceeds the plaintext",
        ));
    };
    if !(MIN_PADDING..=MAX_PADDING).contains(&padding) {
        return Err(CryptoError::MalformedPlaintext(
            "padding outside 12..=1024 bytes",
        ));
    }
    plaintext.truncate(PLAINTEXT_HEADER_LEN + length);
    plaintext.drain(..PLAINTEXT_HEADER_LEN);
    Ok(DecryptedMessage {
        salt,
        session_id,
        msg_id,
        seq_no,
        body: plaintext,
    })
}

fn read_le<const N: usize>(buf: &[u8], at: usize) -> Option<[u8; N]> {
    buf.get(at..at.checked_add(N)?)?.try_into().ok()
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;
