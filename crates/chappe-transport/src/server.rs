//! The server end of one connection: recognises the client's transport from
//! its first bytes, then turns the byte stream into MTProto payloads and
//! frames replies the same way. Does no I/O: the runtime feeds what it reads
//! (TCP reads or WebSocket binary messages, split or joined anyhow) and writes
//! what the encoders append.

use rand_core::Rng;

use crate::buffer::InBuffer;
use crate::detect::{detect, Detected};
use crate::error::TransportError;
use crate::framing::Role;
use crate::kind::TransportKind;
use crate::link::{Link, Received};
use crate::obfuscation::{accept_header, HEADER_LEN};

/// Default limit on one MTProto payload: 2 MiB. The largest legitimate
/// payloads are a 1 MiB `upload.getFile` result and 512 KiB upload parts plus
/// their envelopes; a lower limit caps the memory one connection can pin.
pub const DEFAULT_MAX_FRAME_LEN: usize = 2 * 1024 * 1024;

/// Settings for a server transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportConfig {
    /// Largest MTProto payload accepted; a frame declaring more is an error
    /// before any of its body is buffered.
    pub max_frame_len: usize,
    /// Largest number of received bytes held at once. The caller must take
    /// frames out with `next_frame` between feeds; this allows one partial
    /// frame plus one more feed of up to `max_frame_len`.
    pub max_buffered: usize,
    /// MTProxy secrets to try on obfuscated2 headers, after no secret.
    pub mtproxy_secrets: Vec<[u8; 16]>,
    /// Accept only obfuscated2 connections keyed with one of
    /// `mtproxy_secrets` (an MTProxy-style port).
    pub require_secret: bool,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            max_buffered: default_max_buffered(DEFAULT_MAX_FRAME_LEN),
            mtproxy_secrets: Vec::new(),
            require_secret: false,
        }
    }
}

/// Room for one partial frame, one further feed of a whole frame, and slack
/// for read sizes.
pub(crate) fn default_max_buffered(max_frame_len: usize) -> usize {
    max_frame_len.saturating_mul(2).saturating_add(64 * 1024)
}

/// One MTProto payload received from a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The MTProto message (unencrypted or encrypted), without framing or
    /// padding.
    pub payload: Vec<u8>,
    /// The client asked for a quick ACK of this payload; answer with
    /// [`ServerTransport::encode_quick_ack`] once it is decrypted and accepted.
    pub quick_ack_requested: bool,
}

/// Transport error codes a server sends (negative, as on the wire).
pub mod transport_error {
    /// The HTTP-403 equivalent.
    pub const FORBIDDEN: i32 = -403;
    /// Unknown auth key, or a malformed MTProto packet.
    pub const AUTH_KEY_NOT_FOUND: i32 = -404;
    /// Too many connections or container/service-message limits exceeded.
    pub const TRANSPORT_FLOOD: i32 = -429;
    /// Invalid DC id.
    pub const INVALID_DC: i32 = -444;
}

/// The server end of one MTProto connection.
#[derive(Debug)]
pub struct ServerTransport {
    config: TransportConfig,
    input: InBuffer,
    link: Option<Link>,
    header_dc_id: Option<i16>,
    secret_index: Option<usize>,
    failed: bool,
}

impl ServerTransport {
    /// A transport for a freshly accepted connection; it learns the
    /// client's transport from the first bytes fed.
    pub fn new(config: TransportConfig) -> Self {
        ServerTransport {
            config,
            input: InBuffer::default(),
            link: None,
            header_dc_id: None,
            secret_index: None,
            failed: false,
        }
    }

    /// Buffers bytes received from the client. Recognises the transport as
    /// soon as enough bytes are there; an error ends the connection.
    pub fn feed(&mut self, incoming: &[u8]) -> Result<(), TransportError> {
        let result = self.absorb(incoming);
        self.failed |= result.is_err();
        result
    }

    /// Takes the next complete payload off the buffer, or `None` until more
    /// bytes are fed. An error ends the connection (a transport error may
    /// still be encoded for the client before closing).
    pub fn next_frame(&mut self) -> Result<Option<Frame>, TransportError> {
        if self.failed {
            return Err(TransportError::Failed);
        }
        let Some(link) = &mut self.link else {
            return Ok(None);
        };
        loop {
            let result = link.receive(&mut self.input, self.config.max_frame_len);
            self.failed |= result.is_err();
            return match result? {
                Some(Received::Payload {
                    payload,
                    quick_ack_requested,
                }) => Ok(Some(Frame {
                    payload,
                    quick_ack_requested,
                })),
                // Server-role framing reads no quick ACKs (clients send none).
                Some(Received::QuickAck(_)) => continue,
                None => Ok(None),
            };
        }
    }

    /// Appends `payload` framed (and encrypted, when obfuscated) to `out`.
    pub fn encode_frame(
        &mut self,
        payload: &[u8],
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        self.link_mut()?.send(payload, false, out, rng)
    }

    /// Appends a quick ACK for `token` (see [`crate::quick_ack_token`]) to
    /// `out`. Its top bit is forced on, as the framing needs it.
    pub fn encode_quick_ack(
        &mut self,
        token: u32,
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        self.link_mut()?.send_quick_ack(token, out, rng)
    }

    /// Appends a transport error frame to `out`: `code` as a little-endian
    /// i32, made negative if given as positive (404 and −404 both send −404).
    pub fn encode_transport_error(
        &mut self,
        code: i32,
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        let code = if code > 0 { -code } else { code };
        self.link_mut()?.send(&code.to_le_bytes(), false, out, rng)
    }

    /// The client's transport, once recognised.
    pub fn kind(&self) -> Option<TransportKind> {
        self.link.as_ref().map(Link::kind)
    }

    /// Whether the client wrapped its transport in obfuscated2.
    pub fn is_obfuscated(&self) -> bool {
        self.link.as_ref().is_some_and(Link::is_obfuscated)
    }

    /// Bytes 60..62 of an obfuscated2 header: the DC an MTProxy client wants
    /// (negative for media DCs, +10000 for test DCs); random from clients
    /// that don't set it.
    pub fn header_dc_id(&self) -> Option<i16> {
        self.header_dc_id
    }

    /// Which of `mtproxy_secrets` keyed this connection, if any.
    pub fn mtproxy_secret_index(&self) -> Option<usize> {
        self.secret_index
    }

    /// Bytes received and not yet returned as frames.
    pub fn buffered_len(&self) -> usize {
        self.input.pending_len()
    }

    fn link_mut(&mut self) -> Result<&mut Link, TransportError> {
        self.link.as_mut().ok_or(TransportError::NotDetected)
    }

    fn absorb(&mut self, incoming: &[u8]) -> Result<(), TransportError> {
        if self.failed {
            return Err(TransportError::Failed);
        }
        let buffered = self.input.pending_len().saturating_add(incoming.len());
        if buffered > self.config.max_buffered {
            return Err(TransportError::BufferLimit {
                buffered,
                max: self.config.max_buffered,
            });
        }
        let appended = self.input.append(incoming);
        match &mut self.link {
            Some(link) => link.decrypt_incoming(appended),
            None => self.recognise()?,
        }
        Ok(())
    }

    /// Looks at the buffered prefix and, once it is conclusive, sets up the
    /// link and strips the marker or header.
    fn recognise(&mut self) -> Result<(), TransportError> {
        match detect(self.input.pending())? {
            Detected::NeedMore => Ok(()),
            Detected::Plain { .. } if self.config.require_secret => {
                Err(TransportError::SecretRequired)
            }
            Detected::Plain { kind, marker_len } => {
                self.input.consume(marker_len);
                self.link = Some(Link::new(Role::Server, kind, None));
                Ok(())
            }
            Detected::Obfuscated => self.accept_obfuscated(),
        }
    }

    fn accept_obfuscated(&mut self) -> Result<(), TransportError> {
        let header: [u8; HEADER_LEN] = self
            .input
            .pending()
            .get(..HEADER_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or(TransportError::UnknownProtocol)?;
        let no_secret = (!self.config.require_secret).then_some((None, None));
        let with_secrets = self
            .config
            .mtproxy_secrets
            .iter()
            .enumerate()
            .map(|(index, secret)| (Some(index), Some(secret)));
        let (secret_index, accepted) = no_secret
            .into_iter()
            .chain(with_secrets)
            .find_map(|(index, secret)| Some((index, accept_header(&header, secret)?)))
            .ok_or(TransportError::UnknownProtocol)?;
        self.input.consume(HEADER_LEN);
        let mut link = Link::new(Role::Server, accepted.kind, Some(accepted.obfuscation));
        // Bytes that arrived with the header are already part of the stream.
        link.decrypt_incoming(self.input.pending_mut());
        self.link = Some(link);
        self.header_dc_id = Some(accepted.dc_id);
        self.secret_index = secret_index;
        Ok(())
    }
}
