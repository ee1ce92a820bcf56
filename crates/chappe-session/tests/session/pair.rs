//! A client and a server session connected in memory, with a simulated clock, stepped
//! until nothing more happens. Packets go through real MTProto 2.0 encryption.

use std::collections::VecDeque;
use std::time::Duration;

use chappe_crypto::{decrypt_message, Side};
use chappe_session::wire::{ids, parse_container, Reader};
use chappe_session::{
    AuthKey, ClientConfig, ClientEvent, ClientSession, DecryptedMessage, IncomingCall, RpcError,
    ServerConfig, ServerSalts, ServerSession, SessionEvent, Timestamp,
};
use rand::rngs::StdRng;
use rand::SeedableRng;

pub const START: Timestamp = Timestamp::from_secs(1_700_000_000);
pub const SESSION_ID: i64 = 0x5e55_1014;
pub const SECRET: [u8; 32] = [0x42; 32];

pub fn auth_key() -> AuthKey {
    AuthKey::from_bytes(std::array::from_fn(|i| (i * 7 + 3) as u8))
}

pub fn salts() -> ServerSalts {
    ServerSalts::new(SECRET)
}

pub fn current_salt(now: Timestamp) -> i64 {
    salts().current(auth_key().id(), now)
}

/// What the simulated application does with a call: answer now, or hold it.
pub type Handler = Box<dyn FnMut(&IncomingCall) -> Option<Result<Vec<u8>, RpcError>>>;

/// The default application: answers every call with `0xec000000 ++ body`.
pub fn echo() -> Handler {
    Box::new(|call| Some(Ok(echo_of(&call.body))))
}

pub fn echo_of(body: &[u8]) -> Vec<u8> {
    let mut out = 0xec00_0000u32.to_le_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

pub struct Pair {
    pub now: Timestamp,
    /// The client's clock minus the true time.
    pub client_skew_nanos: i64,
    pub client: ClientSession,
    pub server: ServerSession,
    pub handler: Handler,
    pub rng: StdRng,
    /// Server→client packets are dropped while this is set (a dead connection).
    pub cut_to_client: bool,
    pub calls: Vec<IncomingCall>,
    pub held: Vec<IncomingCall>,
    pub server_events: Vec<SessionEvent>,
    pub client_events: Vec<ClientEvent>,
    /// Every message the server sent, decrypted (containers as one message).
    pub server_sent: Vec<DecryptedMessage>,
    /// Every packet the server sent, encrypted, in order.
    pub server_packets: Vec<Vec<u8>>,
    to_server: VecDeque<Vec<u8>>,
}

impl Pair {
    pub fn new(client_config: ClientConfig, client_salt: i64) -> Self {
        Self::with(client_config, ServerConfig::default(), client_salt, 0)
    }

    pub fn with(
        client_config: ClientConfig,
        server_config: ServerConfig,
        client_salt: i64,
        client_skew_nanos: i64,
    ) -> Self {
        Pair {
            now: START,
            client_skew_nanos,
            client: ClientSession::new(client_config, auth_key(), SESSION_ID, client_salt, 0),
            server: ServerSession::new(server_config, salts(), auth_key(), SESSION_ID, 77, true),
            handler: echo(),
            rng: StdRng::seed_from_u64(7),
            cut_to_client: false,
            calls: Vec::new(),
            held: Vec::new(),
            server_events: Vec::new(),
            client_events: Vec::new(),
            server_sent: Vec::new(),
            server_packets: Vec::new(),
            to_server: VecDeque::new(),
        }
    }

    /// A pair whose client already knows the right salt.
    pub fn synced() -> Self {
        Self::new(ClientConfig::default(), current_salt(START))
    }

    pub fn client_now(&self) -> Timestamp {
        Timestamp::from_nanos(
            self.now
                .as_nanos()
                .saturating_add_signed(self.client_skew_nanos),
        )
    }

    /// One round: client output to the server, server events to the handler, server
    /// output to the client. Returns whether anything moved.
    pub fn step(&mut self) -> bool {
        let mut moved = false;
        let client_now = self.client_now();
        while let Some(packet) = self.client.poll_transmit(client_now, &mut self.rng) {
            self.to_server.push_back(packet);
        }
        while let Some(packet) = self.to_server.pop_front() {
            moved = true;
            let message = decrypt_message(&auth_key(), Side::Client, &packet).expect("decrypts");
            self.server
                .handle_message(&message, self.now)
                .expect("right session");
        }
        while let Some(event) = self.server.poll_event() {
            moved = true;
            match event {
                SessionEvent::Call(call) => {
                    self.calls.push(call.clone());
                    match (self.handler)(&call) {
                        Some(result) => assert!(self.server.push_result(call.req_msg_id, result)),
                        None => self.held.push(call),
                    }
                }
                SessionEvent::DestroySession {
                    req_msg_id,
                    session_id,
                } => {
                    self.server
                        .answer_destroy_session(req_msg_id, session_id, true);
                    self.server_events.push(SessionEvent::DestroySession {
                        req_msg_id,
                        session_id,
                    });
                }
                other => self.server_events.push(other),
            }
        }
        while let Some(packet) = self.server.poll_transmit(self.now, &mut self.rng) {
            moved = true;
            let message = decrypt_message(&auth_key(), Side::Server, &packet).expect("decrypts");
            self.server_sent.push(message);
            self.server_packets.push(packet.clone());
            if !self.cut_to_client {
                self.client
                    .handle_packet(&packet, client_now)
                    .expect("client accepts");
            }
        }
        while let Some(event) = self.client.poll_event() {
            moved = true;
            self.client_events.push(event);
        }
        moved
    }

    /// Steps until quiet, advancing the clock to pending timers (delayed acks).
    pub fn run(&mut self) {
        for _ in 0..1000 {
            if self.step() {
                continue;
            }
            let client_due = self.client.poll_timeout().map(|t| {
                Timestamp::from_nanos(t.as_nanos().saturating_add_signed(-self.client_skew_nanos))
            });
            let due = [client_due, self.server.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            match due {
                Some(due) => self.now = self.now.max(due),
                None => return,
            }
        }
        panic!("the pair never went quiet");
    }

    pub fn advance(&mut self, by: Duration) {
        self.now = self.now.saturating_add(by);
    }

    /// Answers a held call.
    pub fn answer_held(&mut self, req_msg_id: i64, result: Result<Vec<u8>, RpcError>) {
        self.held.retain(|c| c.req_msg_id != req_msg_id);
        assert!(self.server.push_result(req_msg_id, result));
    }

    pub fn results(&self) -> Vec<(chappe_session::RequestId, Result<Vec<u8>, RpcError>)> {
        self.client_events
            .iter()
            .filter_map(|e| match e {
                ClientEvent::Result { request, result } => Some((*request, result.clone())),
                _ => None,
            })
            .collect()
    }
}

/// A container's messages' bodies, or the body itself.
pub fn flatten(body: &[u8]) -> Vec<Vec<u8>> {
    match parse_container(body) {
        Ok(inner) => inner.iter().map(|m| m.body.to_vec()).collect(),
        Err(_) => vec![body.to_vec()],
    }
}

/// The constructor id a body starts with.
pub fn constructor(body: &[u8]) -> u32 {
    Reader::new(body).u32().unwrap_or(0)
}

/// `(bad_msg_id, error_code)` of a bad_msg_notification or bad_server_salt body.
pub fn bad_msg(body: &[u8]) -> Option<(i64, i32)> {
    let mut r = Reader::new(body);
    match r.u32().ok()? {
        ids::BAD_MSG_NOTIFICATION | ids::BAD_SERVER_SALT => {
            let id = r.i64().ok()?;
            let _seq = r.i32().ok()?;
            Some((id, r.i32().ok()?))
        }
        _ => None,
    }
}

/// Splits an unencrypted plaintext (header and body, no padding) into its fields.
pub fn parse_plaintext(plaintext: &[u8]) -> DecryptedMessage {
    let mut r = Reader::new(plaintext);
    let salt = r.i64().unwrap();
    let session_id = r.i64().unwrap();
    let msg_id = r.i64().unwrap();
    let seq_no = r.i32().unwrap();
    let len = r.i32().unwrap() as usize;
    let body = r.take(len).unwrap().to_vec();
    DecryptedMessage {
        salt,
        session_id,
        msg_id,
        seq_no,
        body,
    }
}
