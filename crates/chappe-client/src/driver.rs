//! The background task behind a [`crate::Client`]: it owns the socket and the
//! [`ClientSession`], takes calls from the handles, reads and writes in one `select!` loop
//! (so a slow writer never stops reading), wakes for the session's timers, and routes
//! results to the waiting callers and updates to the updates channel.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chappe_mtproto::plain::is_plain;
use chappe_session::{ClientEvent as SessionEvent, ClientSession, RequestId};
use chappe_tl::api::enums;
use chappe_tl::Deserializable;
use chappe_transport::{ClientEvent as TransportEvent, ClientTransport};
use rand::rngs::StdRng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};

use crate::raw::READ_CHUNK;
use crate::{clock, InvocationError};

/// Commands are not taken while this much output waits for the socket, so a server that
/// stops reading slows callers down instead of growing the buffer.
const MAX_PENDING_OUTPUT: usize = 4 * 1024 * 1024;
/// How long the loop sleeps when the session has no timer running.
const IDLE_WAKE: Duration = Duration::from_secs(3600);

/// Where a call's answer goes.
pub(crate) type Reply = oneshot::Sender<Result<Vec<u8>, InvocationError>>;

/// What a [`crate::Client`] handle asks the task to do.
pub(crate) enum Command {
    Invoke { body: Vec<u8>, reply: Reply },
    Disconnect,
}

/// Something the server sent that is not the answer to a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// An `Updates` object.
    Updates(Box<enums::Updates>),
    /// A server-initiated object that is not an `Updates` this layer can decode.
    Undecodable(Vec<u8>),
    /// The server created our session anew (`new_session_created`): updates may have
    /// been missed.
    NewSession,
}

/// State the task shares with the handles.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Why the task stopped; set before any waiting caller is told.
    closed: Mutex<Option<InvocationError>>,
    /// The salt the session currently uses, for callers that persist it.
    salt: AtomicI64,
}

impl Shared {
    pub(crate) fn new(salt: i64) -> Self {
        Self {
            closed: Mutex::new(None),
            salt: AtomicI64::new(salt),
        }
    }

    pub(crate) fn closed_reason(&self) -> Option<InvocationError> {
        lock(&self.closed).clone()
    }

    pub(crate) fn salt(&self) -> i64 {
        self.salt.load(Ordering::Relaxed)
    }
}

pub(crate) struct Driver {
    pub(crate) session: ClientSession,
    pub(crate) transport: ClientTransport,
    pub(crate) rng: StdRng,
    pub(crate) updates: mpsc::Sender<Update>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) pending: HashMap<RequestId, Reply>,
    pub(crate) out: Vec<u8>,
    /// Calls on the wire at once; more wait in the command queue.
    pub(crate) max_in_flight: usize,
}

impl Driver {
    /// Runs until the server closes, a fatal error, a disconnect or every handle is gone.
    pub(crate) async fn run(mut self, stream: TcpStream, mut commands: mpsc::Receiver<Command>) {
        let (mut reader, mut writer) = stream.into_split();
        let mut buf = vec![0u8; READ_CHUNK];
        let reason = loop {
            if let Err(e) = self.collect_output() {
                break e;
            }
            let now = clock::now();
            let sleep = self
                .session
                .poll_timeout()
                .map_or(IDLE_WAKE, |at| clock::until(now, at));
            let accepting =
                self.out.len() < MAX_PENDING_OUTPUT && self.pending.len() < self.max_in_flight;
            tokio::select! {
                read = reader.read(&mut buf) => match read {
                    Ok(0) => break InvocationError::Io("the server closed the connection".into()),
                    Ok(n) => if let Err(e) = self.on_bytes(&buf[..n]) { break e },
                    Err(e) => break InvocationError::Io(e.to_string()),
                },
                written = writer.write(&self.out), if !self.out.is_empty() => match written {
                    Ok(0) => break InvocationError::Io("the socket accepts no more data".into()),
                    Ok(n) => { self.out.drain(..n); }
                    Err(e) => break InvocationError::Io(e.to_string()),
                },
                command = commands.recv(), if accepting => match command {
                    Some(Command::Invoke { body, reply }) => {
                        let id = self.session.invoke(body);
                        self.pending.insert(id, reply);
                    }
                    Some(Command::Disconnect) | None => break InvocationError::Dropped,
                },
                _ = tokio::time::sleep(sleep) => {}
            }
        };
        tracing::debug!(reason = %reason, "client connection ended");
        *lock(&self.shared.closed) = Some(reason.clone());
        for (_, reply) in self.pending.drain() {
            let _ = reply.send(Err(reason.clone()));
        }
        commands.close();
        while let Ok(command) = commands.try_recv() {
            if let Command::Invoke { reply, .. } = command {
                let _ = reply.send(Err(reason.clone()));
            }
        }
        let _ = writer.shutdown().await;
    }

    /// Frames every packet the session has ready.
    fn collect_output(&mut self) -> Result<(), InvocationError> {
        let now = clock::now();
        while let Some(packet) = self.session.poll_transmit(now, &mut self.rng) {
            self.transport
                .encode_frame(&packet, false, &mut self.out, &mut self.rng)
                .map_err(|e| InvocationError::Io(e.to_string()))?;
        }
        Ok(())
    }

    fn on_bytes(&mut self, bytes: &[u8]) -> Result<(), InvocationError> {
        let transport_failed =
            |e: chappe_transport::TransportError| InvocationError::Io(e.to_string());
        self.transport.feed(bytes).map_err(transport_failed)?;
        while let Some(event) = self.transport.next_event().map_err(transport_failed)? {
            match event {
                TransportEvent::Frame(packet) => self.on_packet(&packet),
                TransportEvent::QuickAck(_) => {}
                TransportEvent::TransportError(code) => {
                    return Err(InvocationError::from_transport_code(code))
                }
            }
        }
        Ok(())
    }

    fn on_packet(&mut self, packet: &[u8]) {
        if is_plain(packet) {
            tracing::debug!("ignoring a plain message on an encrypted session");
            return;
        }
        if let Err(e) = self.session.handle_packet(packet, clock::now()) {
            // Not ours or damaged: nothing in it can be trusted, and dropping it is safe
            // (the server re-sends what we do not acknowledge).
            tracing::debug!(error = %e, "dropping an unusable packet");
        }
        self.shared
            .salt
            .store(self.session.salt(), Ordering::Relaxed);
        while let Some(event) = self.session.poll_event() {
            self.on_session_event(event);
        }
    }

    fn on_session_event(&mut self, event: SessionEvent) {
        match event {
            SessionEvent::Result { request, result } => {
                if let Some(reply) = self.pending.remove(&request) {
                    let _ = reply.send(result.map_err(InvocationError::from));
                }
            }
            SessionEvent::Failed {
                request,
                error_code,
            } => {
                if let Some(reply) = self.pending.remove(&request) {
                    let _ = reply.send(Err(InvocationError::BadMessage(error_code)));
                }
            }
            SessionEvent::Update(body) => {
                let update = match enums::Updates::from_bytes(&body) {
                    Ok(updates) => Update::Updates(Box::new(updates)),
                    Err(_) => Update::Undecodable(body),
                };
                self.push_update(update);
            }
            SessionEvent::NewSession { .. } => self.push_update(Update::NewSession),
        }
    }

    /// Never waits: a caller that does not read its updates must not stall the session.
    fn push_update(&self, update: Update) {
        if self.updates.try_send(update).is_err() {
            tracing::debug!("updates channel full or closed; update dropped");
        }
    }
}

/// A poisoned lock only means a panic elsewhere mid-assignment of a whole value.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
