//! The one error type of this crate: everything that can go wrong while
//! recognising, decoding or encoding an MTProto transport stream.
//!
//! Every decoding error is fatal for the connection: the byte stream has lost
//! its framing (or was never MTProto), so the caller should close it, after
//! optionally sending a transport error such as −404.

/// What went wrong in a transport codec.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The peer opened with an HTTP request line; MTProto over HTTP is not
    /// served on this port.
    #[error("the connection speaks HTTP, not an MTProto TCP transport")]
    HttpRequest,

    /// The peer opened with a TLS handshake (fake-TLS MTProxy or plain TLS),
    /// which this server does not speak.
    #[error("the connection starts a TLS handshake, which is not supported")]
    TlsHandshake,

    /// The first 64 bytes did not decrypt to an obfuscated2 header with a known
    /// protocol tag under any configured secret.
    #[error("unrecognised transport: the obfuscated2 header matched no protocol tag")]
    UnknownProtocol,

    /// The server only accepts obfuscated2 with an MTProxy secret and the
    /// peer used a plain transport.
    #[error("this server requires an obfuscated connection with a proxy secret")]
    SecretRequired,

    /// A frame header declared a length that no valid frame can have (zero,
    /// not a multiple of four where the framing requires it, or too short).
    #[error("invalid frame length {len}")]
    InvalidFrameLength {
        /// The declared length, in bytes.
        len: u64,
    },

    /// A frame header declared a payload larger than the configured limit.
    #[error("frame of {len} bytes exceeds the limit of {max} bytes")]
    FrameTooLarge {
        /// The declared payload length, in bytes.
        len: u64,
        /// The configured `max_frame_len`.
        max: usize,
    },

    /// The full transport's per-connection sequence number skipped or repeated.
    #[error("full transport sequence number {got}, expected {expected}")]
    BadSeqno {
        /// The next sequence number this side expected.
        expected: u32,
        /// The sequence number in the frame.
        got: u32,
    },

    /// The full transport's CRC32 did not match the frame contents.
    #[error("full transport CRC32 mismatch: frame says {got:#010x}, computed {computed:#010x}")]
    BadCrc {
        /// The CRC32 carried by the frame.
        got: u32,
        /// The CRC32 computed over the received bytes.
        computed: u32,
    },

    /// A padded-intermediate frame whose MTProto payload could not be told
    /// apart from its random padding.
    #[error("padded intermediate frame of {len} bytes has no recoverable MTProto payload")]
    UnrecoverablePadding {
        /// The frame's total length (payload plus padding).
        len: usize,
    },

    /// More bytes were fed than the configured buffer limit allows; the caller
    /// must drain decoded frames between feeds.
    #[error("{buffered} buffered bytes would exceed the limit of {max}")]
    BufferLimit {
        /// Bytes that would be buffered after this feed.
        buffered: usize,
        /// The configured `max_buffered` limit.
        max: usize,
    },

    /// A payload handed to an encoder cannot be framed: empty, or not a
    /// multiple of four bytes for a framing that counts in 4-byte words.
    #[error("payload of {len} bytes cannot be framed by this transport")]
    UnframablePayload {
        /// The payload length, in bytes.
        len: usize,
    },

    /// A payload handed to an encoder is larger than the framing can express
    /// or than the configured limit.
    #[error("payload of {len} bytes is too large to send")]
    PayloadTooLarge {
        /// The payload length, in bytes.
        len: usize,
    },

    /// Something was asked of the server transport before the client's first
    /// bytes revealed which transport it speaks.
    #[error("the transport is not known yet: no frame has been received")]
    NotDetected,

    /// The full transport has no way to carry a quick acknowledgement.
    #[error("the full transport does not support quick acknowledgements")]
    QuickAckUnsupported,

    /// The full transport cannot be obfuscated: obfuscated2 needs a protocol
    /// tag and the full transport has none.
    #[error("the full transport cannot be combined with obfuscation")]
    FullNotObfuscatable,

    /// An earlier error already broke this stream; nothing more can be decoded.
    #[error("the transport already failed")]
    Failed,
}
