//! The client side of an MTProto session: builds content messages with client msg_ids
//! (≡ 0 mod 4, increasing, corrected by the server's clock), seqnos, containers and
//! acknowledgements, and recovers from the server's complaints (bad salt, bad time,
//! lost session) by re-sending. Results, errors and updates come out as
//! [`ClientEvent`]s, keyed by a [`RequestId`] that stays the same across re-sends.

mod incoming;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use chappe_crypto::rand_core::CryptoRng;
use chappe_crypto::{encrypt_message, AuthKey, Side};

use crate::gzip;
use crate::received::ReceivedWindow;
use crate::seq_no::SeqNoCounter;
use crate::server::RpcError;
use crate::service;
use crate::time::{MsgIdGenerator, Timestamp};
use crate::wire::{
    self, ids, put_i32, put_message, put_u32, MAX_CONTAINER_MESSAGES, MAX_IDS_PER_VECTOR,
    MESSAGE_HEADER_LEN,
};
use crate::wrappers;

/// Most of our own service messages waiting to be sent.
const MAX_QUEUED_SERVICE_MESSAGES: usize = 64;

/// What the first call of a session is wrapped in:
/// `invokeWithLayer(layer, initConnection(api_id, …, query))`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitConnection {
    /// The API layer the client speaks.
    pub layer: i32,
    /// The application's api_id.
    pub api_id: i32,
    /// Device model.
    pub device_model: String,
    /// Operating system version.
    pub system_version: String,
    /// Application version.
    pub app_version: String,
    /// The system's language code.
    pub system_lang_code: String,
    /// Language pack name (empty for none).
    pub lang_pack: String,
    /// The application's language code.
    pub lang_code: String,
}

/// Settings of a client session.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Wrap the first call in invokeWithLayer + initConnection.
    pub init: Option<InitConnection>,
    /// How many server msg_ids are remembered for duplicate detection.
    pub remembered_msg_ids: usize,
    /// Largest size a `gzip_packed` from the server may inflate to.
    pub max_inflated_size: usize,
    /// Requests at least this long are sent `gzip_packed` when that makes them
    /// smaller; `None` never compresses.
    pub compress_threshold: Option<usize>,
    /// How long an acknowledgement may wait for a request to travel with.
    pub ack_delay: Duration,
    /// This many owed acknowledgements are sent at once.
    pub ack_threshold: usize,
    /// Soft size limit of one packet.
    pub max_packet_bytes: usize,
    /// A request re-sent this many times (bad salt, bad time …) fails instead.
    pub max_attempts: u32,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            init: None,
            remembered_msg_ids: 1024,
            max_inflated_size: 16 << 20,
            compress_threshold: Some(1024),
            ack_delay: Duration::from_millis(500),
            ack_threshold: 16,
            max_packet_bytes: 1 << 20,
            max_attempts: 8,
        }
    }
}

/// A request's identity across re-sends (its msg_id changes when it is re-sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RequestId(pub u64);

/// What the client session has to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// The answer to a request: the serialized result object (already inflated), or
    /// the `rpc_error`. Answers the server sends bare (pong, future_salts,
    /// msgs_state_info, destroy_auth_key_ok) are results too.
    Result {
        /// The request answered.
        request: RequestId,
        /// Its result.
        result: Result<Vec<u8>, RpcError>,
    },
    /// A server-initiated message that is not a service message (an `Updates`).
    Update(Vec<u8>),
    /// The server refused a request with a bad_msg_notification re-sending cannot fix.
    Failed {
        /// The request refused.
        request: RequestId,
        /// The bad_msg_notification error code (0: too many attempts).
        error_code: i32,
    },
    /// The server created the session anew (`new_session_created`): updates may have
    /// been missed, fetch the difference.
    NewSession {
        /// The server's id of this incarnation of the session.
        unique_id: i64,
        /// The first message the new session covers.
        first_msg_id: i64,
    },
}

#[derive(Debug, Clone)]
struct Request {
    body: Vec<u8>,
    /// The msg_id it was last sent with, if it is on the wire.
    msg_id: Option<i64>,
    /// The seqno it was last sent with.
    seq_no: i32,
    /// Every msg_id it was sent with, so a late answer to an earlier send still
    /// matches.
    sent_as: Vec<i64>,
    /// The container it was last sent in.
    container: Option<i64>,
    /// The server acknowledged receiving it.
    acked: bool,
    attempts: u32,
}

/// The client side of one MTProto session.
#[derive(Debug)]
pub struct ClientSession {
    config: ClientConfig,
    auth_key: AuthKey,
    session_id: i64,
    salt: i64,
    /// Server time minus our time.
    time_offset_nanos: i64,
    ids: MsgIdGenerator,
    seq: SeqNoCounter,
    next_request: u64,
    requests: BTreeMap<RequestId, Request>,
    queue: VecDeque<RequestId>,
    /// Requests to send again under their original msg_id (inside a container).
    resend: VecDeque<RequestId>,
    by_msg_id: HashMap<i64, RequestId>,
    /// Non-content-related messages of our own to send (pong, msg_resend_req).
    service_queue: VecDeque<Vec<u8>>,
    acks: Vec<i64>,
    acks_since: Option<Timestamp>,
    received: ReceivedWindow,
    events: VecDeque<ClientEvent>,
    wrap_next_call: bool,
}

impl ClientSession {
    /// A session `session_id` (choose it at random) under `auth_key`, starting with
    /// `salt` (from the handshake, or 0 to learn it from the server) and the server's
    /// clock ahead of ours by `time_offset_nanos`.
    pub fn new(
        config: ClientConfig,
        auth_key: AuthKey,
        session_id: i64,
        salt: i64,
        time_offset_nanos: i64,
    ) -> Self {
        ClientSession {
            received: ReceivedWindow::new(config.remembered_msg_ids),
            wrap_next_call: config.init.is_some(),
            config,
            auth_key,
            session_id,
            salt,
            time_offset_nanos,
            ids: MsgIdGenerator::default(),
            seq: SeqNoCounter::default(),
            next_request: 0,
            requests: BTreeMap::new(),
            queue: VecDeque::new(),
            resend: VecDeque::new(),
            by_msg_id: HashMap::new(),
            service_queue: VecDeque::new(),
            acks: Vec::new(),
            acks_since: None,
            events: VecDeque::new(),
        }
    }

    /// The session id.
    pub fn session_id(&self) -> i64 {
        self.session_id
    }

    /// The server salt in use.
    pub fn salt(&self) -> i64 {
        self.salt
    }

    /// Server time minus local time, as learnt from the server.
    pub fn time_offset_nanos(&self) -> i64 {
        self.time_offset_nanos
    }

    /// Requests sent or queued and not answered yet.
    pub fn pending_requests(&self) -> usize {
        self.requests.len()
    }

    /// Queues an RPC query (or a service query such as `ping`); the first one of the
    /// session is wrapped in invokeWithLayer + initConnection when configured.
    pub fn invoke(&mut self, query: Vec<u8>) -> RequestId {
        let mut body = query;
        if self.wrap_next_call && !is_service_query(&body) {
            if let Some(init) = &self.config.init {
                body = wrappers::wrap_init(init, &body);
            }
            self.wrap_next_call = false;
        }
        if let Some(threshold) = self.config.compress_threshold {
            body = gzip::pack_if_smaller(body, threshold);
        }
        let id = RequestId(self.next_request);
        self.next_request += 1;
        self.requests.insert(
            id,
            Request {
                body,
                msg_id: None,
                seq_no: 0,
                sent_as: Vec::new(),
                container: None,
                acked: false,
                attempts: 0,
            },
        );
        self.queue.push_back(id);
        id
    }

    /// Wraps the next call in invokeWithLayer + initConnection again (after the
    /// server announced a new session, or on a new connection if desired).
    pub fn reinit_connection(&mut self) {
        self.wrap_next_call = self.config.init.is_some();
    }

    /// The next thing to report.
    pub fn poll_event(&mut self) -> Option<ClientEvent> {
        self.events.pop_front()
    }

    /// A connection was (re)attached: requests the server has not acknowledged are
    /// sent again. They keep their msg_id (wrapped in a new container, as MTProto
    /// asks), so a server that did receive them recognises the duplicate and re-sends
    /// its answer instead of running the query twice.
    pub fn on_connection_attached(&mut self) {
        let unacked: Vec<RequestId> = self
            .requests
            .iter()
            .filter(|(_, r)| r.msg_id.is_some() && !r.acked)
            .map(|(id, _)| *id)
            .collect();
        for id in unacked {
            if !self.resend.contains(&id) {
                self.resend.push_back(id);
            }
        }
    }

    /// When [`ClientSession::poll_transmit`] has something to send without new input.
    pub fn poll_timeout(&self) -> Option<Timestamp> {
        if !self.queue.is_empty() || !self.resend.is_empty() || !self.service_queue.is_empty() {
            return Some(Timestamp::default());
        }
        self.acks_since
            .map(|since| since.saturating_add(self.config.ack_delay))
    }

    /// The next packet to send, encrypted, or `None` when nothing is due.
    pub fn poll_transmit<R: CryptoRng + ?Sized>(
        &mut self,
        now: Timestamp,
        rng: &mut R,
    ) -> Option<Vec<u8>> {
        let plaintext = self.poll_transmit_plaintext(now)?;
        Some(encrypt_message(
            &self.auth_key,
            Side::Client,
            &plaintext,
            rng,
        ))
    }

    /// [`ClientSession::poll_transmit`] before encryption (header and body, no padding).
    pub fn poll_transmit_plaintext(&mut self, now: Timestamp) -> Option<Vec<u8>> {
        let acks_due = self.acks_since.is_some_and(|since| {
            self.acks.len() >= self.config.ack_threshold
                || now >= since.saturating_add(self.config.ack_delay)
        });
        if self.queue.is_empty()
            && self.resend.is_empty()
            && self.service_queue.is_empty()
            && !acks_due
        {
            return None;
        }
        let time = now.offset_by(self.time_offset_nanos);
        // (msg_id, seq_no, body, request it carries)
        let mut items: Vec<(i64, i32, Vec<u8>, Option<RequestId>)> = Vec::new();
        let mut size = 0usize;
        let fits = |count: usize, size: usize, extra: usize, limit: usize| {
            count == 0 || (count + 1 < MAX_CONTAINER_MESSAGES && size + extra <= limit)
        };
        while let Some(body) = self.service_queue.pop_front() {
            size += MESSAGE_HEADER_LEN + body.len();
            items.push((self.ids.next(time, 0), self.seq.next(false), body, None));
        }
        let mut has_resend = false;
        while let Some(&id) = self.resend.front() {
            let Some(request) = self.requests.get(&id) else {
                self.resend.pop_front();
                continue;
            };
            let Some(msg_id) = request.msg_id else {
                // Re-queued for a new id meanwhile.
                self.resend.pop_front();
                continue;
            };
            let extra = MESSAGE_HEADER_LEN + request.body.len();
            if !fits(items.len(), size, extra, self.config.max_packet_bytes) {
                break;
            }
            self.resend.pop_front();
            size += extra;
            has_resend = true;
            items.push((msg_id, request.seq_no, request.body.clone(), Some(id)));
        }
        while let Some(&id) = self.queue.front() {
            let Some(request) = self.requests.get_mut(&id) else {
                self.queue.pop_front();
                continue;
            };
            let extra = MESSAGE_HEADER_LEN + request.body.len();
            if !fits(items.len(), size, extra, self.config.max_packet_bytes) {
                break;
            }
            self.queue.pop_front();
            let msg_id = self.ids.next(time, 0);
            request.msg_id = Some(msg_id);
            request.sent_as.push(msg_id);
            request.container = None;
            request.attempts += 1;
            self.by_msg_id.insert(msg_id, id);
            size += extra;
            request.seq_no = self.seq.next(true);
            items.push((msg_id, request.seq_no, request.body.clone(), Some(id)));
        }
        if !self.acks.is_empty() {
            let take = self.acks.len().min(MAX_IDS_PER_VECTOR);
            let acked: Vec<i64> = self.acks.drain(..take).collect();
            if self.acks.is_empty() {
                self.acks_since = None;
            }
            let body = service::msgs_ack(&acked);
            size += MESSAGE_HEADER_LEN + body.len();
            items.push((self.ids.next(time, 0), self.seq.next(false), body, None));
        }

        let (msg_id, seq_no, body) = if items.len() == 1 && !has_resend {
            let (msg_id, seq_no, body, _) = items.pop()?;
            (msg_id, seq_no, body)
        } else {
            let mut body = Vec::with_capacity(size + 8);
            put_u32(&mut body, ids::MSG_CONTAINER);
            put_i32(&mut body, items.len() as i32);
            for (msg_id, seq_no, item, _) in &items {
                put_message(&mut body, *msg_id, *seq_no, item);
            }
            let container = self.ids.next(time, 0);
            for request in items.iter().filter_map(|item| item.3) {
                if let Some(r) = self.requests.get_mut(&request) {
                    r.container = Some(container);
                }
            }
            (container, self.seq.next(false), body)
        };
        Some(wire::plaintext(
            self.salt,
            self.session_id,
            msg_id,
            seq_no,
            &body,
        ))
    }

    /// Takes a request off the wire to send it again with a new msg_id, or fails it
    /// after too many attempts.
    fn requeue(&mut self, id: RequestId) {
        let Some(request) = self.requests.get_mut(&id) else {
            return;
        };
        if request.attempts >= self.config.max_attempts {
            self.fail(id, 0);
            return;
        }
        request.msg_id = None;
        request.container = None;
        request.acked = false;
        self.resend.retain(|queued| *queued != id);
        if !self.queue.contains(&id) {
            self.queue.push_back(id);
        }
    }

    fn fail(&mut self, id: RequestId, error_code: i32) {
        self.forget(id);
        self.events.push_back(ClientEvent::Failed {
            request: id,
            error_code,
        });
    }

    fn complete(&mut self, id: RequestId, result: Result<Vec<u8>, RpcError>) {
        self.forget(id);
        self.events.push_back(ClientEvent::Result {
            request: id,
            result,
        });
    }

    /// Queues one of our own non-content-related service messages (pong,
    /// msg_resend_req); a server flooding us with pings cannot grow this unboundedly.
    fn queue_service(&mut self, body: Vec<u8>) {
        if self.service_queue.len() < MAX_QUEUED_SERVICE_MESSAGES {
            self.service_queue.push_back(body);
        }
    }

    fn forget(&mut self, id: RequestId) {
        if let Some(request) = self.requests.remove(&id) {
            for msg_id in request.sent_as {
                self.by_msg_id.remove(&msg_id);
            }
        }
        self.queue.retain(|queued| *queued != id);
        self.resend.retain(|queued| *queued != id);
    }

    fn owe_ack(&mut self, msg_id: i64, now: Timestamp) {
        // Bounded: what stays unacknowledged the server simply sends again.
        if self.acks.len() >= 2 * MAX_IDS_PER_VECTOR {
            return;
        }
        self.acks.push(msg_id);
        self.acks_since.get_or_insert(now);
    }
}

/// Service queries are not wrapped in initConnection (the server handles them below
/// the API layer).
fn is_service_query(body: &[u8]) -> bool {
    matches!(
        wire::constructor_of(body),
        Some(
            ids::PING
                | ids::PING_DELAY_DISCONNECT
                | ids::GET_FUTURE_SALTS
                | ids::DESTROY_SESSION
                | ids::RPC_DROP_ANSWER
                | ids::MSGS_STATE_REQ
                | ids::MSG_RESEND_REQ
                | ids::DESTROY_AUTH_KEY
        )
    )
}
