//! Error types, one per job: plain envelopes, msg_id checks, the handshake.

use chappe_crypto::CryptoError;
use chappe_tl::DecodeError;

/// A plain (unencrypted) message that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlainError {
    /// Fewer bytes than the 20-byte header.
    #[error("plain message shorter than its header")]
    TooShort,
    /// The auth_key_id is not zero, so this is an encrypted message.
    #[error("auth_key_id is not zero")]
    NotPlain,
    /// The length field is negative, larger than the data, or over the size limit.
    #[error("bad length field")]
    BadLength,
}

/// Why a client's msg_id is refused; each maps to a `bad_msg_notification` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MsgIdError {
    /// More than 300 s in the past (code 16).
    #[error("msg_id too low")]
    TooOld,
    /// More than 30 s in the future (code 17).
    #[error("msg_id too high")]
    TooNew,
    /// Not divisible by 4, as client msg_ids must be (code 18).
    #[error("msg_id has wrong lower bits")]
    WrongParity,
}

impl MsgIdError {
    /// The `bad_msg_notification.error_code` for this error.
    pub fn bad_msg_code(self) -> i32 {
        match self {
            MsgIdError::TooOld => 16,
            MsgIdError::TooNew => 17,
            MsgIdError::WrongParity => 18,
        }
    }
}

/// A handshake step that failed. The server maps any of these to closing the connection;
/// our client to giving up (or starting over).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    /// The message did not decode as the TL the current step expects.
    #[error("malformed message: {0}")]
    Decode(#[from] DecodeError),
    /// A message that does not belong to the current step.
    #[error("unexpected message {constructor:#010x} while waiting for {expected}")]
    UnexpectedMessage {
        /// Constructor id received (0 if too short to have one).
        constructor: u32,
        /// What the state machine waits for.
        expected: &'static str,
    },
    /// nonce or server_nonce differs from the one this handshake uses.
    #[error("nonce mismatch")]
    NonceMismatch,
    /// The client picked an RSA fingerprint we do not have (or the server offered none of ours).
    #[error("unknown RSA key fingerprint")]
    UnknownFingerprint,
    /// pq, p or q do not match what the server handed out.
    #[error("pq/p/q mismatch")]
    PqMismatch,
    /// A SHA1 or nonce hash inside encrypted data did not verify.
    #[error("hash mismatch")]
    HashMismatch,
    /// A field with a value the protocol does not allow (bad expires_in, bad padding…).
    #[error("invalid field: {0}")]
    InvalidField(&'static str),
    /// A cryptographic check or operation failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    /// The server answered server_DH_params_fail or dh_gen_fail.
    #[error("server refused the handshake")]
    Refused,
    /// Too many dh_gen_retry rounds.
    #[error("too many retries")]
    TooManyRetries,
    /// The handshake already finished or failed; start a new one.
    #[error("handshake is over")]
    Finished,
}
