//! The server side of one MTProto session: one [`ServerSession`] per
//! (auth_key_id, session_id), shared by every connection the client opens for it.
//!
//! Input goes in through [`ServerSession::handle_message`] (a message the runtime has
//! decrypted), [`ServerSession::push_result`] and [`ServerSession::push_update`];
//! output comes out of [`ServerSession::poll_event`] (RPC calls and facts the runtime
//! must act on) and [`ServerSession::poll_transmit`] (encrypted packets). Nothing here
//! blocks, reads a clock or touches a socket.

mod calls;
mod incoming;
mod outbox;
mod services;

use std::collections::VecDeque;
use std::time::Duration;

use chappe_crypto::rand_core::CryptoRng;
use chappe_crypto::{encrypt_message, AuthKey, Side};

use crate::gzip;
use crate::received::ReceivedWindow;
use crate::salt::{SaltCache, ServerSalts};
use crate::time::Timestamp;
use crate::wire;
use crate::wrappers::ClientInfo;
use calls::{Calls, Released};
use outbox::{Outbox, OutboxLimits, Outgoing};

/// Bounds and timings of a server session. `Default` gives production values.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Client msg_ids older than this are refused (code 16). MTProto: 300 s.
    pub max_msg_age: Duration,
    /// Client msg_ids further ahead than this are refused (code 17). MTProto: 30 s.
    pub max_msg_ahead: Duration,
    /// How many client msg_ids are remembered for duplicate detection.
    pub remembered_msg_ids: usize,
    /// Most RPC calls outstanding (handed out or held) at once; more are refused with
    /// `420 FLOOD_WAIT_1`, which clients retry after a second.
    pub max_pending_calls: usize,
    /// Most body bytes kept for sending and re-sending.
    pub max_outbox_bytes: usize,
    /// Most messages kept for sending and re-sending.
    pub max_outbox_messages: usize,
    /// Soft size limit of one packet; a single larger message is still sent alone.
    pub max_packet_bytes: usize,
    /// Most messages packed into one container (MTProto allows 1024; one place is
    /// kept for acknowledgements).
    pub max_container_messages: usize,
    /// Largest size a `gzip_packed` from the client may inflate to.
    pub max_inflated_size: usize,
    /// Results at least this long are sent `gzip_packed` when that makes them smaller.
    pub compress_threshold: usize,
    /// How long an acknowledgement may wait for something to travel with.
    pub ack_delay: Duration,
    /// This many owed acknowledgements are sent at once without waiting.
    pub ack_threshold: usize,
    /// Whether seqno ordering is enforced (codes 32/33).
    pub check_seq_no: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_msg_age: Duration::from_secs(300),
            max_msg_ahead: Duration::from_secs(30),
            remembered_msg_ids: 2048,
            max_pending_calls: 256,
            max_outbox_bytes: 16 << 20,
            max_outbox_messages: 4096,
            max_packet_bytes: 1 << 20,
            max_container_messages: 256,
            max_inflated_size: 16 << 20,
            compress_threshold: 512,
            ack_delay: Duration::from_millis(100),
            ack_threshold: 32,
            check_seq_no: true,
        }
    }
}

/// An RPC query for the application to run, with its wrappers removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingCall {
    /// msg_id of the client message; pass it back to [`ServerSession::push_result`].
    pub req_msg_id: i64,
    /// The session's API layer (from `invokeWithLayer`), if known.
    pub layer: Option<i32>,
    /// The call came inside `invokeWithoutUpdates`.
    pub without_updates: bool,
    /// The serialized query (constructor id first), in the session's layer.
    pub body: Vec<u8>,
}

/// An RPC error result (`rpc_error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcError {
    /// Error code (400, 401, 420, …).
    pub code: i32,
    /// Error name, e.g. `PHONE_CODE_INVALID` or `FLOOD_WAIT_5`.
    pub message: String,
}

impl RpcError {
    /// An error with this code and name.
    pub fn new(code: i32, message: impl Into<String>) -> Self {
        RpcError {
            code,
            message: message.into(),
        }
    }
}

/// Something the runtime must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// Run this call and answer with [`ServerSession::push_result`].
    Call(IncomingCall),
    /// The client switched the session to this API layer (`invokeWithLayer`).
    LayerChanged(i32),
    /// The client described itself (`initConnection`); persist it with the auth key.
    ClientInfo(ClientInfo),
    /// `ping_delay_disconnect`: close the connection that delivered it at this time
    /// unless another one arrives first (each replaces the previous deadline).
    DisconnectAfter(Timestamp),
    /// The client asks to forget its other session `session_id`. Destroy it if it
    /// exists and answer with [`ServerSession::answer_destroy_session`].
    DestroySession {
        /// The request to answer.
        req_msg_id: i64,
        /// The session to destroy.
        session_id: i64,
    },
    /// The client asks to delete its auth key. `destroy_auth_key_ok` is already
    /// queued: send it, then delete the key and close the connections using it.
    DestroyAuthKey,
}

/// The server side of one MTProto session.
#[derive(Debug)]
pub struct ServerSession {
    config: ServerConfig,
    auth_key: AuthKey,
    session_id: i64,
    salt: SaltCache,
    unique_id: i64,
    /// Whether the client must be told this session is new (`new_session_created`).
    announce: bool,
    /// Lowest msg_id accepted so far.
    first_msg_id: Option<i64>,
    layer: Option<i32>,
    received: ReceivedWindow,
    calls: Calls,
    outbox: Outbox,
    events: VecDeque<SessionEvent>,
}

/// Most non-call events kept for the runtime to collect.
const MAX_QUEUED_EVENTS: usize = 64;

impl ServerSession {
    /// A session for `session_id` under `auth_key`. `unique_id` is a fresh random
    /// number identifying this incarnation of the session; `is_new` says the server had
    /// no state for it, so the client is sent `new_session_created` (pass `false` when
    /// restoring a session the client already knows about).
    pub fn new(
        config: ServerConfig,
        salts: ServerSalts,
        auth_key: AuthKey,
        session_id: i64,
        unique_id: i64,
        is_new: bool,
    ) -> Self {
        let limits = OutboxLimits {
            max_bytes: config.max_outbox_bytes,
            max_messages: config.max_outbox_messages,
            max_packet_bytes: config.max_packet_bytes,
            max_container_messages: config
                .max_container_messages
                .clamp(2, wire::MAX_CONTAINER_MESSAGES - 1),
            ack_delay: config.ack_delay,
            ack_threshold: config.ack_threshold.max(1),
        };
        ServerSession {
            salt: SaltCache::new(salts, auth_key.id()),
            received: ReceivedWindow::new(config.remembered_msg_ids),
            calls: Calls::new(config.max_pending_calls),
            outbox: Outbox::new(limits),
            config,
            auth_key,
            session_id,
            unique_id,
            announce: is_new,
            first_msg_id: None,
            layer: None,
            events: VecDeque::new(),
        }
    }

    /// The client-chosen session id.
    pub fn session_id(&self) -> i64 {
        self.session_id
    }

    /// The id of the auth key this session lives under.
    pub fn auth_key_id(&self) -> i64 {
        self.auth_key.id()
    }

    /// The session's API layer, if the client announced one.
    pub fn layer(&self) -> Option<i32> {
        self.layer
    }

    /// Also accepts `salt` (the one the auth-key handshake gave the client) until
    /// `until`, besides the derived salts.
    pub fn accept_initial_salt(&mut self, salt: i64, until: Timestamp) {
        self.salt.accept_initial(salt, until);
    }

    /// Sets the layer (when restoring a session, or from what the auth key last used).
    pub fn set_layer(&mut self, layer: i32) {
        self.layer = Some(layer);
    }

    /// How many calls are handed out or held and not answered yet.
    pub fn pending_calls(&self) -> usize {
        self.calls.outstanding()
    }

    /// The next thing the runtime must act on.
    pub fn poll_event(&mut self) -> Option<SessionEvent> {
        self.events.pop_front()
    }

    fn emit(&mut self, event: SessionEvent) {
        let is_call = matches!(event, SessionEvent::Call(_));
        // Calls are bounded by max_pending_calls; everything else is capped here so a
        // runtime that does not drain events cannot be made to hold unbounded memory.
        if is_call || self.events.len() < MAX_QUEUED_EVENTS + self.config.max_pending_calls {
            self.events.push_back(event);
        }
    }

    /// Answers the call `req_msg_id` with an encoded result object, or an error.
    /// Returns `false` (and does nothing) if no such call is outstanding.
    pub fn push_result(&mut self, req_msg_id: i64, result: Result<Vec<u8>, RpcError>) -> bool {
        let Some(dropped) = self.calls.finish(req_msg_id, result.is_ok()) else {
            return false;
        };
        let object = if dropped {
            crate::service::rpc_answer_dropped_running()
        } else {
            match result {
                Ok(object) => gzip::pack_if_smaller(object, self.config.compress_threshold),
                Err(error) => wire::rpc_error(error.code, &error.message),
            }
        };
        self.queue_answer(req_msg_id, &object);
        self.release_held_calls();
        true
    }

    /// Queues a server-initiated content-related message (an `Updates` object).
    pub fn push_update(&mut self, body: Vec<u8>) {
        let body = gzip::pack_if_smaller(body, self.config.compress_threshold);
        self.outbox.push(Outgoing {
            body,
            content_related: true,
            response: false,
            answers: None,
        });
    }

    /// Answers a [`SessionEvent::DestroySession`]: `destroyed` says whether a session
    /// with that id existed and is now gone.
    pub fn answer_destroy_session(&mut self, req_msg_id: i64, session_id: i64, destroyed: bool) {
        if self.calls.finish(req_msg_id, true).is_some() {
            let object = crate::service::destroy_session_res(session_id, destroyed);
            self.queue_answer(req_msg_id, &object);
            self.release_held_calls();
        }
    }

    /// A connection was attached (a new one, or the client reconnected): everything
    /// sent and not acknowledged is sent again.
    pub fn on_connection_attached(&mut self) {
        self.outbox.resend_unacked();
    }

    /// When to call [`ServerSession::poll_transmit`] again without new input (owed
    /// acknowledgements fall due). `None`: nothing is waiting.
    pub fn poll_timeout(&self) -> Option<Timestamp> {
        self.outbox.poll_timeout()
    }

    /// The next packet to send, encrypted for the client (`auth_key_id | msg_key |
    /// ciphertext`), or `None` when nothing is due.
    pub fn poll_transmit<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
    ) -> Option<Vec<u8>> {
        let plaintext = self.poll_transmit_plaintext(now)?;
        Some(encrypt_message(
            &self.auth_key,
            Side::Server,
            &plaintext,
            rng,
        ))
    }

    /// [`ServerSession::poll_transmit`] before encryption: the plaintext header and
    /// body without padding. For tests and diagnostics.
    pub fn poll_transmit_plaintext(&mut self, now: Timestamp) -> Option<Vec<u8>> {
        let packet = self.outbox.next_packet(now)?;
        let salt = self.salt.current(now);
        Some(wire::plaintext(
            salt,
            self.session_id,
            packet.msg_id,
            packet.seq_no,
            &packet.body,
        ))
    }

    /// Queues `rpc_result(req_msg_id, object)`; it acknowledges the request itself.
    fn queue_answer(&mut self, req_msg_id: i64, object: &[u8]) {
        self.outbox.answered(req_msg_id);
        if let Some(record) = self.received.get_mut(req_msg_id) {
            record.answered = true;
            record.acked = true;
        }
        self.outbox.push(Outgoing {
            body: wire::rpc_result(req_msg_id, object),
            content_related: true,
            response: true,
            answers: Some(req_msg_id),
        });
    }

    fn answer_error(&mut self, req_msg_id: i64, code: i32, message: &str) {
        self.queue_answer(req_msg_id, &wire::rpc_error(code, message));
    }

    fn release_held_calls(&mut self) {
        for released in self.calls.release() {
            match released {
                Released::Run(call) => self.emit(SessionEvent::Call(call)),
                Released::WaitFailed(req_msg_id) => {
                    self.answer_error(req_msg_id, 400, "MSG_WAIT_FAILED")
                }
            }
        }
    }

    /// Queues a non-content-related answer (pong, future_salts, msgs_state_info, bad
    /// message notifications): never re-sent, never acknowledged.
    fn queue_service_answer(&mut self, req_msg_id: Option<i64>, body: Vec<u8>) {
        if let Some(req) = req_msg_id {
            self.outbox.answered(req);
        }
        self.outbox.push(Outgoing {
            body,
            content_related: false,
            response: true,
            answers: None,
        });
    }
}
