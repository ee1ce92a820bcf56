//! One TCP connection with its transport codec, used step by step: send a frame, wait for
//! the next frame or transport error. Auth-key creation runs on it (see `handshake`), and
//! [`crate::Client`] takes it over for the encrypted session.

use chappe_transport::{ClientEvent, ClientTransport};
use rand::rngs::StdRng;
use rand::SeedableRng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{ClientConfig, ClientError};

/// Bytes read from the socket at a time.
pub(crate) const READ_CHUNK: usize = 64 * 1024;

/// A connected socket speaking one MTProto transport, not yet driven by a background task.
#[derive(Debug)]
pub struct RawConnection {
    pub(crate) stream: TcpStream,
    pub(crate) transport: ClientTransport,
    pub(crate) rng: StdRng,
    read_buf: Vec<u8>,
    out: Vec<u8>,
}

/// What [`RawConnection::recv`] got from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// One transport payload (a plain or encrypted MTProto packet).
    Frame(Vec<u8>),
    /// A transport error code (e.g. −404).
    TransportError(i32),
}

impl RawConnection {
    /// Opens a TCP connection to `config.server` with the configured transport.
    pub async fn connect(config: &ClientConfig) -> Result<Self, ClientError> {
        let stream =
            tokio::time::timeout(config.connect_timeout, TcpStream::connect(config.server))
                .await
                .map_err(|_| ClientError::Timeout("connecting"))??;
        // Small request/answer packets: waiting to coalesce them only adds latency.
        stream.set_nodelay(true)?;
        let mut rng = StdRng::from_rng(&mut rand::rng());
        let transport = ClientTransport::new(config.transport_config(), &mut rng)?;
        Ok(Self {
            stream,
            transport,
            rng,
            read_buf: vec![0; READ_CHUNK],
            out: Vec::new(),
        })
    }

    /// Frames `payload` and writes it out.
    pub async fn send(&mut self, payload: &[u8]) -> Result<(), ClientError> {
        self.out.clear();
        self.transport
            .encode_frame(payload, false, &mut self.out, &mut self.rng)?;
        self.stream.write_all(&self.out).await?;
        Ok(())
    }

    /// Writes bytes as they are, without framing (for tests of malformed input).
    pub async fn send_unframed(&mut self, bytes: &[u8]) -> Result<(), ClientError> {
        self.stream.write_all(bytes).await?;
        Ok(())
    }

    /// Waits for the next frame or transport error; quick ACKs are skipped.
    pub async fn recv(&mut self) -> Result<Received, ClientError> {
        loop {
            match self.transport.next_event()? {
                Some(ClientEvent::Frame(payload)) => return Ok(Received::Frame(payload)),
                Some(ClientEvent::TransportError(code)) => {
                    return Ok(Received::TransportError(code))
                }
                Some(ClientEvent::QuickAck(_)) => continue,
                None => {}
            }
            let n = self.stream.read(&mut self.read_buf).await?;
            if n == 0 {
                return Err(ClientError::Closed);
            }
            self.transport.feed(&self.read_buf[..n])?;
        }
    }
}
