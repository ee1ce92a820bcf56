//! The client end of one connection, for our own client library and for
//! tests: writes the transport marker or obfuscated2 header, frames
//! requests, and reads the server's frames, quick ACKs and transport errors.

use rand_core::Rng;

use crate::buffer::InBuffer;
use crate::error::TransportError;
use crate::framing::Role;
use crate::kind::TransportKind;
use crate::link::{Link, Received};
use crate::obfuscation::client_header;
use crate::server::{default_max_buffered, DEFAULT_MAX_FRAME_LEN};

/// How a client obfuscates its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ObfuscationConfig {
    /// MTProxy secret (16 bytes; see [`crate::mtproxy_secret_from_bytes`]).
    pub secret: Option<[u8; 16]>,
    /// DC id to put in the header, as MTProxy expects: negative for media
    /// DCs, +10000 for test DCs. Random bytes when `None`.
    pub dc_id: Option<i16>,
}

/// Settings for a client transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The framing to speak.
    pub kind: TransportKind,
    /// `None` for a plain connection.
    pub obfuscation: Option<ObfuscationConfig>,
    /// Largest payload accepted from the server.
    pub max_frame_len: usize,
    /// Largest number of received bytes held at once.
    pub max_buffered: usize,
}

impl ClientConfig {
    /// A plain connection of `kind` with default limits.
    pub fn new(kind: TransportKind) -> Self {
        ClientConfig {
            kind,
            obfuscation: None,
            max_frame_len: DEFAULT_MAX_FRAME_LEN,
            max_buffered: default_max_buffered(DEFAULT_MAX_FRAME_LEN),
        }
    }

    /// The same, wrapped in obfuscated2.
    pub fn obfuscated(mut self, obfuscation: ObfuscationConfig) -> Self {
        self.obfuscation = Some(obfuscation);
        self
    }
}

/// Something received from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// An MTProto payload.
    Frame(Vec<u8>),
    /// The server accepted the payload whose quick-ACK token this is.
    QuickAck(u32),
    /// A transport error (negative, e.g. −404 for an unknown auth key).
    TransportError(i32),
}

/// The client end of one MTProto connection.
#[derive(Debug)]
pub struct ClientTransport {
    link: Link,
    input: InBuffer,
    /// Marker or obfuscated2 header not yet handed out for sending.
    preamble: Vec<u8>,
    max_frame_len: usize,
    max_buffered: usize,
    failed: bool,
}

impl ClientTransport {
    /// Sets up a connection; the marker or header goes out with the first
    /// [`encode_frame`](Self::encode_frame) unless taken earlier with
    /// [`write_preamble`](Self::write_preamble).
    pub fn new(config: ClientConfig, rng: &mut impl Rng) -> Result<Self, TransportError> {
        let (preamble, obfuscation) = match config.obfuscation {
            None => (config.kind.plain_marker().to_vec(), None),
            Some(ObfuscationConfig { secret, dc_id }) => {
                let (header, obfuscation) = client_header(config.kind, dc_id, secret.as_ref(), rng)
                    .ok_or(TransportError::FullNotObfuscatable)?;
                (header.to_vec(), Some(obfuscation))
            }
        };
        Ok(ClientTransport {
            link: Link::new(Role::Client, config.kind, obfuscation),
            input: InBuffer::default(),
            preamble,
            max_frame_len: config.max_frame_len,
            max_buffered: config.max_buffered,
            failed: false,
        })
    }

    /// Appends the marker or obfuscated2 header to `out` if it has not been
    /// sent yet. WebSocket clients send it as a message of its own.
    pub fn write_preamble(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.preamble);
    }

    /// Appends `payload` framed (after the preamble, the first time) to
    /// `out`. `request_quick_ack` is ignored by the full transport, which
    /// cannot carry it.
    pub fn encode_frame(
        &mut self,
        payload: &[u8],
        request_quick_ack: bool,
        out: &mut Vec<u8>,
        rng: &mut impl Rng,
    ) -> Result<(), TransportError> {
        let start = out.len();
        self.write_preamble(out);
        let request_quick_ack = request_quick_ack && self.link.kind().supports_quick_ack();
        let result = self.link.send(payload, request_quick_ack, out, rng);
        if result.is_err() && out.len() > start {
            // Keep the preamble for the next attempt rather than lose it.
            self.preamble = out.split_off(start);
        }
        result
    }

    /// Buffers bytes received from the server.
    pub fn feed(&mut self, incoming: &[u8]) -> Result<(), TransportError> {
        if self.failed {
            return Err(TransportError::Failed);
        }
        let buffered = self.input.pending_len().saturating_add(incoming.len());
        if buffered > self.max_buffered {
            self.failed = true;
            return Err(TransportError::BufferLimit {
                buffered,
                max: self.max_buffered,
            });
        }
        let appended = self.input.append(incoming);
        self.link.decrypt_incoming(appended);
        Ok(())
    }

    /// Takes the next frame, quick ACK or transport error off the buffer.
    pub fn next_event(&mut self) -> Result<Option<ClientEvent>, TransportError> {
        if self.failed {
            return Err(TransportError::Failed);
        }
        let result = self.link.receive(&mut self.input, self.max_frame_len);
        self.failed |= result.is_err();
        Ok(result?.map(|received| match received {
            Received::QuickAck(token) => ClientEvent::QuickAck(token),
            Received::Payload { payload, .. } => match <[u8; 4]>::try_from(payload.as_slice()) {
                Ok(word) if i32::from_le_bytes(word) < 0 => {
                    ClientEvent::TransportError(i32::from_le_bytes(word))
                }
                _ => ClientEvent::Frame(payload),
            },
        }))
    }

    /// The framing this client speaks.
    pub fn kind(&self) -> TransportKind {
        self.link.kind()
    }

    /// Whether the stream is wrapped in obfuscated2.
    pub fn is_obfuscated(&self) -> bool {
        self.link.is_obfuscated()
    }
}
