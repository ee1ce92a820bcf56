//! One client connection: bytes in, transport frames, then either the auth-key handshake
//! (plain packets) or a session (encrypted packets); session output goes back out on
//! whichever connection the session is attached to.

use std::net::SocketAddr;
use std::sync::Arc;

use chappe_crypto::{decrypt_message_with_key_large, Side};
use chappe_mtproto::handshake::{HandshakeOutput, KeyKind, ServerHandshake};
use chappe_mtproto::msg_id::MsgIdGenerator;
use chappe_mtproto::plain::{decode_plain, encode_plain, is_plain};
use chappe_session::{ServerSession, SessionEvent, Timestamp};
use chappe_store::{AuthKeyKind, AuthKeyRecord, SessionRecord};
use chappe_transport::{
    quick_ack_token_from_msg_key_large, transport_error, Frame, ServerTransport,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Notify;
use tracing::Instrument;

use crate::auth_keys::KnownKey;
use crate::calls::spawn_call;
use crate::clock;
use crate::registry::{Outlet, SessionKey, SessionSlot};
use crate::state::ServerState;

/// How long the salt a handshake gave the client stays good (one salt slot).
const FIRST_SALT_LIFETIME: std::time::Duration = chappe_session::SALT_SLOT;
/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 64 * 1024;
/// Most distinct sessions one connection may carry; clients use one or two.
const MAX_SESSIONS_PER_CONNECTION: usize = 16;
/// A connection that sends nothing for this long is closed. Clients ping far more often
/// (Telethon every minute, Pyrogram and GramJS every few seconds).
const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Why a connection ended early (logged at debug level; the client just sees it close).
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    #[error("socket: {0}")]
    Io(#[from] std::io::Error),
    #[error("transport: {0}")]
    Transport(#[from] chappe_transport::TransportError),
    #[error("handshake: {0}")]
    Handshake(#[from] chappe_mtproto::HandshakeError),
    #[error("plain message: {0}")]
    Plain(#[from] chappe_mtproto::PlainError),
    #[error("store: {0}")]
    Store(#[from] chappe_store::StoreError),
}

/// Serves one accepted connection until it closes.
pub async fn serve<S>(stream: S, peer: SocketAddr, state: Arc<ServerState>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    let mut connection = Connection::new(state, peer);
    let span = tracing::debug_span!("connection", id = connection.id, %peer);
    match connection.run(stream).instrument(span).await {
        Ok(()) => tracing::debug!(id = connection.id, %peer, "connection closed"),
        Err(e) => tracing::debug!(id = connection.id, %peer, error = %e, "connection ended"),
    }
    let users = connection.detach_all();
    mark_offline_if_gone(&connection.state, users).await;
}

/// Users whose last connection just closed go offline, as Telegram shows them.
async fn mark_offline_if_gone(state: &ServerState, users: Vec<i64>) {
    let now = clock::unix_secs(clock::now());
    for user in users {
        let online = state
            .sessions
            .sessions_of_user(user)
            .iter()
            .any(|slot| slot.is_attached());
        if !online {
            if let Err(e) = state.api.went_offline(user, now).await {
                tracing::debug!(user, error = %e.message, "could not mark the user offline");
            }
        }
    }
}

struct Connection {
    id: u64,
    peer: SocketAddr,
    state: Arc<ServerState>,
    transport: ServerTransport,
    handshake: Option<ServerHandshake>,
    plain_msg_ids: MsgIdGenerator,
    sessions: Vec<Arc<SessionSlot>>,
    /// Sessions opened here whose record is not stored yet (see `handle_encrypted`).
    unsaved_sessions: Vec<SessionKey>,
    outlet: Outlet,
    out: Vec<u8>,
    disconnect_at: Option<Timestamp>,
    /// When the connection is closed for silence; pushed back by every read.
    idle_deadline: Timestamp,
    destroy_key: Option<i64>,
    closing: bool,
    rng: StdRng,
}

impl Connection {
    fn new(state: Arc<ServerState>, peer: SocketAddr) -> Self {
        let id = state.next_connection_id();
        Self {
            id,
            peer,
            transport: ServerTransport::new(state.transport_config.clone()),
            state,
            handshake: None,
            plain_msg_ids: MsgIdGenerator::new(),
            sessions: Vec::new(),
            unsaved_sessions: Vec::new(),
            outlet: Outlet {
                connection_id: id,
                wake: Arc::new(Notify::new()),
            },
            out: Vec::new(),
            disconnect_at: None,
            idle_deadline: clock::now().saturating_add(IDLE_TIMEOUT),
            destroy_key: None,
            closing: false,
            rng: StdRng::from_rng(&mut rand::rng()),
        }
    }

    async fn run<S>(&mut self, stream: S) -> Result<(), ConnectionError>
    where
        S: AsyncRead + AsyncWrite + Unpin + Send,
    {
        let (mut reader, mut writer) = tokio::io::split(stream);
        let mut buf = vec![0u8; READ_CHUNK];
        let wake = self.outlet.wake.clone();
        loop {
            let sleep = clock::until(clock::now(), self.next_deadline());
            tokio::select! {
                read = reader.read(&mut buf) => {
                    let n = read?;
                    if n == 0 {
                        return Ok(());
                    }
                    self.idle_deadline = clock::now().saturating_add(IDLE_TIMEOUT);
                    self.transport.feed(&buf[..n])?;
                    while !self.closing {
                        let Some(frame) = self.transport.next_frame()? else { break };
                        self.handle_frame(frame).await?;
                    }
                }
                _ = wake.notified() => {}
                _ = tokio::time::sleep(sleep) => {}
            }
            self.collect_output();
            if !self.out.is_empty() {
                writer.write_all(&self.out).await?;
                self.out.clear();
            }
            if let Some(key_id) = self.destroy_key.take() {
                self.destroy_auth_key(key_id).await?;
                return Ok(());
            }
            if self.closing {
                writer.flush().await?;
                return Ok(());
            }
            let now = clock::now();
            if self.disconnect_at.is_some_and(|at| at <= now) {
                tracing::debug!(id = self.id, "ping_delay_disconnect deadline passed");
                return Ok(());
            }
            if self.idle_deadline <= now {
                tracing::debug!(id = self.id, "idle connection closed");
                return Ok(());
            }
        }
    }

    /// The earliest time something must happen without input: owed acknowledgements of an
    /// attached session, a `ping_delay_disconnect` deadline, or the idle timeout.
    fn next_deadline(&self) -> Timestamp {
        self.sessions
            .iter()
            .filter(|slot| slot.is_attached_to(self.id))
            .filter_map(|slot| slot.session().poll_timeout())
            .chain(self.disconnect_at)
            .fold(self.idle_deadline, Timestamp::min)
    }

    async fn handle_frame(&mut self, frame: Frame) -> Result<(), ConnectionError> {
        if is_plain(&frame.payload) {
            self.handle_plain(&frame.payload).await
        } else {
            self.handle_encrypted(&frame.payload, frame.quick_ack_requested)
                .await
        }
    }

    async fn handle_plain(&mut self, packet: &[u8]) -> Result<(), ConnectionError> {
        let message = decode_plain(packet)?;
        let now = clock::now();
        let handshake = match &mut self.handshake {
            // A client may make several keys on one connection (a temporary one after the
            // permanent one), so a finished handshake is replaced by a fresh one.
            Some(h) if !h.is_over() => h,
            slot => slot.insert(ServerHandshake::new(self.state.handshake.clone())),
        };
        let reply = match handshake.handle(message.body, now.as_nanos(), &mut self.rng)? {
            HandshakeOutput::Reply(body) => body,
            HandshakeOutput::KeyCreated(created) => {
                let id = created.auth_key.id();
                if self.state.auth_keys.exists(id).await? {
                    tracing::warn!(auth_key_id = id, "new auth key collides with a stored one");
                    handshake.key_id_taken()?
                } else {
                    let kind = match created.kind {
                        KeyKind::Perm => AuthKeyKind::Perm,
                        KeyKind::Temp { expires_at } => AuthKeyKind::Temp { expires_at },
                    };
                    let record = AuthKeyRecord {
                        id,
                        key: *created.auth_key.as_bytes(),
                        kind,
                        created_at: clock::unix_secs(now),
                        perm_key_id: None,
                        user_id: None,
                    };
                    // Durable before dh_gen_ok: the client starts using the key at once.
                    let first_salt = (created.first_salt, now.saturating_add(FIRST_SALT_LIFETIME));
                    self.state.auth_keys.insert(record, first_salt).await?;
                    tracing::info!(auth_key_id = id, kind = ?created.kind, dc = created.dc, peer = %self.peer, "auth key created");
                    handshake.key_stored()?
                }
            }
        };
        let packet = encode_plain(self.plain_msg_ids.next_response(now.as_nanos()), &reply);
        self.transport
            .encode_frame(&packet, &mut self.out, &mut self.rng)?;
        Ok(())
    }

    async fn handle_encrypted(
        &mut self,
        packet: &[u8],
        quick_ack_requested: bool,
    ) -> Result<(), ConnectionError> {
        let Some(key_id) = packet
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .map(i64::from_le_bytes)
        else {
            return self.refuse_key();
        };
        let now = clock::now();
        let known = match self.state.auth_keys.get(key_id).await? {
            Some(k) if !is_expired(&k, now) => k,
            _ => {
                tracing::debug!(auth_key_id = key_id, "unknown auth key");
                return self.refuse_key();
            }
        };
        let message = match decrypt_message_with_key_large(&known.key, Side::Client, packet) {
            Ok((message, msg_key_large)) => {
                if quick_ack_requested {
                    let token = quick_ack_token_from_msg_key_large(&msg_key_large);
                    if let Err(e) =
                        self.transport
                            .encode_quick_ack(token, &mut self.out, &mut self.rng)
                    {
                        tracing::debug!(error = %e, "quick ack not sent");
                    }
                }
                message
            }
            Err(e) => {
                // A packet that fails its msg_key check was not made with this key: drop the
                // connection (the client reconnects), as the security guidelines ask.
                tracing::debug!(auth_key_id = key_id, error = %e, "undecryptable packet");
                self.closing = true;
                return Ok(());
            }
        };
        let key = SessionKey {
            auth_key_id: key_id,
            session_id: message.session_id,
        };
        let slot = match self.state.sessions.get(&key) {
            Some(slot) => slot,
            None => {
                let (slot, is_new) = self.open_session(key, &known, now).await?;
                if is_new {
                    if self.unsaved_sessions.len() >= MAX_SESSIONS_PER_CONNECTION {
                        // Sessions that never got past service answers: forgetting them
                        // only means a `new_session_created` again after a restart.
                        self.unsaved_sessions.remove(0);
                    }
                    self.unsaved_sessions.push(key);
                }
                slot
            }
        };
        if !self.sessions.iter().any(|s| Arc::ptr_eq(s, &slot)) {
            if self.sessions.len() >= MAX_SESSIONS_PER_CONNECTION {
                self.sessions.retain(|s| s.is_attached_to(self.id));
            }
            if self.sessions.len() >= MAX_SESSIONS_PER_CONNECTION {
                tracing::debug!(id = self.id, "too many sessions on one connection");
                self.closing = true;
                return Ok(());
            }
            self.sessions.push(slot.clone());
        }
        slot.touch(clock::unix_secs(now));
        let events = {
            let mut session = slot.session();
            if slot.attach(&self.outlet) {
                session.on_connection_attached();
            }
            if let Err(e) = session.handle_message(&message, now) {
                tracing::debug!(error = %e, "message refused by its session");
            }
            std::iter::from_fn(|| session.poll_event()).collect::<Vec<_>>()
        };
        // The session record is written once per message however many of its parts
        // changed it (a new session's first call usually brings the session, its layer
        // and its client info: one commit, not three), and always before any call of
        // the message runs, so no answer precedes the record that restoring the session
        // after a restart needs. A new session's record waits for the first message that
        // yields anything: one answered by the session alone (the `bad_server_salt` of a
        // fresh key's first message, a ping) leaves nothing a restart would have to keep.
        let first_save = self.unsaved_sessions.contains(&key);
        if first_save {
            if events.is_empty() {
                return Ok(());
            }
            self.unsaved_sessions.retain(|k| *k != key);
        }
        let mut unsaved = first_save;
        let mut must_save = first_save;
        for event in events {
            if unsaved && matches!(event, SessionEvent::Call(_)) {
                self.save_session(&slot, std::mem::take(&mut must_save))
                    .await?;
                unsaved = false;
            }
            unsaved |= self.handle_event(&slot, event, now).await?;
        }
        if unsaved {
            self.save_session(&slot, must_save).await?;
        }
        Ok(())
    }

    /// Transport error −404 ("auth key not found"), then close.
    fn refuse_key(&mut self) -> Result<(), ConnectionError> {
        self.transport.encode_transport_error(
            transport_error::AUTH_KEY_NOT_FOUND,
            &mut self.out,
            &mut self.rng,
        )?;
        self.closing = true;
        Ok(())
    }

    /// Registers a session seen for the first time since start-up: restored from the store
    /// if the client used it before (so no `new_session_created` and the layer is kept),
    /// new otherwise. Answers whether it is new: its record is not stored yet, the caller
    /// stores it once the first message has filled it in.
    async fn open_session(
        &mut self,
        key: SessionKey,
        known: &KnownKey,
        now: Timestamp,
    ) -> Result<(Arc<SessionSlot>, bool), ConnectionError> {
        let store = &self.state.store;
        let stored = store.get_session(key.auth_key_id, key.session_id).await?;
        let is_new = stored.is_none();
        let mut record = stored.unwrap_or_else(|| SessionRecord {
            auth_key_id: key.auth_key_id,
            session_id: key.session_id,
            layer: None,
            client: None,
            ip: Some(self.peer.ip()),
            created_at: clock::unix_secs(now),
            last_seen_at: clock::unix_secs(now),
        });
        if record.layer.is_none() {
            // Clients reconnecting with a new session id do not repeat invokeWithLayer
            // (Telethon after a reconnect): the key's most recent layer still applies.
            record.layer = store
                .list_sessions(key.auth_key_id)
                .await?
                .into_iter()
                .filter(|s| s.layer.is_some())
                .max_by_key(|s| s.last_seen_at)
                .and_then(|s| s.layer);
        }
        let mut session = ServerSession::new(
            self.state.session_config.clone(),
            self.state.salts.clone(),
            (*known.key).clone(),
            key.session_id,
            self.rng.random(),
            is_new,
        );
        if let Some(layer) = record.layer {
            session.set_layer(layer);
        }
        if let Some((salt, until)) = known.first_salt {
            session.accept_initial_salt(salt, until);
        }
        let slot = self
            .state
            .sessions
            .insert_or_get(SessionSlot::new(key, session, record));
        Ok((slot, is_new))
    }

    /// Answers whether the event changed the session record (which the caller then stores).
    async fn handle_event(
        &mut self,
        slot: &Arc<SessionSlot>,
        event: SessionEvent,
        now: Timestamp,
    ) -> Result<bool, ConnectionError> {
        match event {
            SessionEvent::Call(call) => spawn_call(self.state.clone(), slot.clone(), call),
            SessionEvent::LayerChanged(layer) => {
                let mut record = slot.record();
                record.layer = Some(layer);
                record.last_seen_at = clock::unix_secs(now);
                return Ok(true);
            }
            SessionEvent::ClientInfo(info) => {
                {
                    let mut record = slot.record();
                    record.client = Some(chappe_store::ClientInfo {
                        api_id: info.api_id,
                        device_model: info.device_model,
                        system_version: info.system_version,
                        app_version: info.app_version,
                        system_lang_code: info.system_lang_code,
                        lang_pack: info.lang_pack,
                        lang_code: info.lang_code,
                    });
                    record.ip = Some(self.peer.ip());
                    record.last_seen_at = clock::unix_secs(now);
                }
                return Ok(true);
            }
            SessionEvent::DisconnectAfter(at) => self.disconnect_at = Some(at),
            SessionEvent::DestroySession {
                req_msg_id,
                session_id,
            } => {
                let target = SessionKey {
                    auth_key_id: slot.key.auth_key_id,
                    session_id,
                };
                let live = self.state.sessions.remove(&target).is_some();
                let stored = self
                    .state
                    .store
                    .delete_session(target.auth_key_id, session_id)
                    .await?;
                slot.session()
                    .answer_destroy_session(req_msg_id, session_id, live || stored);
            }
            SessionEvent::DestroyAuthKey => self.destroy_key = Some(slot.key.auth_key_id),
        }
        Ok(false)
    }

    /// Stores the session's record. A new session's first write must succeed (it fails
    /// when the key was deleted meanwhile, and the session must not go on); later writes
    /// are metadata (layer, device list details), whose failure must not break the
    /// session, so they are logged.
    async fn save_session(
        &self,
        slot: &SessionSlot,
        must_succeed: bool,
    ) -> Result<(), ConnectionError> {
        let record = slot.record().clone();
        match self.state.store.put_session(record).await {
            Ok(()) => Ok(()),
            Err(e) if must_succeed => Err(e.into()),
            Err(e) => {
                tracing::warn!(error = %e, "could not store session details");
                Ok(())
            }
        }
    }

    async fn destroy_auth_key(&mut self, key_id: i64) -> Result<(), ConnectionError> {
        for slot in self.state.sessions.remove_auth_key(key_id) {
            slot.detach(self.id);
        }
        self.state.auth_keys.remove(key_id).await?;
        self.state.api.accounts().forget_auth_key(key_id);
        tracing::info!(
            auth_key_id = key_id,
            "auth key destroyed at the client's request"
        );
        Ok(())
    }

    /// Moves every packet the attached sessions have ready into the output buffer.
    fn collect_output(&mut self) {
        let now = clock::now();
        for slot in &self.sessions {
            if !slot.is_attached_to(self.id) {
                continue;
            }
            let mut session = slot.session();
            while let Some(packet) = session.poll_transmit(now, &mut self.rng) {
                if let Err(e) = self
                    .transport
                    .encode_frame(&packet, &mut self.out, &mut self.rng)
                {
                    tracing::warn!(error = %e, "could not frame an outgoing packet");
                }
            }
        }
    }

    /// Lets go of every session this connection carried; answers the users they were
    /// taking updates for.
    fn detach_all(&self) -> Vec<i64> {
        let mut users = Vec::new();
        for slot in &self.sessions {
            if slot.is_attached_to(self.id) {
                users.extend(slot.subscriber());
            }
            slot.detach(self.id);
        }
        users.sort_unstable();
        users.dedup();
        users
    }
}

fn is_expired(key: &KnownKey, now: Timestamp) -> bool {
    matches!(key.kind, AuthKeyKind::Temp { expires_at } if expires_at < clock::unix_secs(now))
}
