//! What the client does with the server's messages: duplicate filtering (inner
//! messages of containers too, so re-sent answers are not delivered twice), results,
//! updates, and recovery from bad_server_salt, bad_msg_notification and
//! new_session_created.

use chappe_crypto::{decrypt_message, DecryptedMessage, Side};

use super::{ClientEvent, ClientSession, RequestId};
use crate::gzip;
use crate::received::{Received, Seen};
use crate::server::RpcError;
use crate::service::{self, Service};
use crate::time::{msg_id_time_nanos, MsgIdGenerator, Timestamp};
use crate::wire::{constructor_of, ids, parse_container, put_long_vector, put_u32, Reader};
use crate::SessionError;

impl ClientSession {
    /// Decrypts and processes one packet from the server.
    pub fn handle_packet(&mut self, packet: &[u8], now: Timestamp) -> Result<(), SessionError> {
        let message = decrypt_message(&self.auth_key, Side::Server, packet)?;
        self.handle_message(&message, now)
    }

    /// Processes one decrypted server message.
    pub fn handle_message(
        &mut self,
        message: &DecryptedMessage,
        now: Timestamp,
    ) -> Result<(), SessionError> {
        if message.session_id != self.session_id {
            return Err(SessionError::WrongSession {
                expected: self.session_id,
                found: message.session_id,
            });
        }
        if message.msg_id & 1 == 0 {
            return Err(SessionError::BadServerMsgId(message.msg_id));
        }
        let (msg_id, seq_no, body) = (message.msg_id, message.seq_no, &message.body[..]);
        if self.received.seen(msg_id) != Seen::New {
            tracing::debug!(msg_id, "ignoring a repeated or too old server message");
            return Ok(());
        }
        if constructor_of(body) != Some(ids::MSG_CONTAINER) {
            self.remember(msg_id, seq_no);
            self.process(msg_id, seq_no, body, now);
            return Ok(());
        }
        let inner = parse_container(body)?;
        self.received.insert(
            msg_id,
            Received {
                seq_no,
                is_container: true,
                ..Received::default()
            },
        );
        for message in inner {
            if message.msg_id & 1 == 0 {
                continue;
            }
            // Re-sent messages keep their ids: one already seen is acknowledged again
            // (our earlier ack may be what got lost) and not processed twice. Ids
            // below the remembered window are accepted: containers exist to re-send
            // old messages.
            if self.received.seen(message.msg_id) == Seen::Duplicate {
                if message.seq_no & 1 == 1 {
                    self.owe_ack(message.msg_id, now);
                }
                continue;
            }
            self.remember(message.msg_id, message.seq_no);
            self.process(message.msg_id, message.seq_no, message.body, now);
        }
        Ok(())
    }

    fn remember(&mut self, msg_id: i64, seq_no: i32) {
        self.received.insert(
            msg_id,
            Received {
                seq_no,
                ..Received::default()
            },
        );
    }

    fn process(&mut self, msg_id: i64, seq_no: i32, body: &[u8], now: Timestamp) {
        if seq_no & 1 == 1 {
            self.owe_ack(msg_id, now);
        }
        let inflated;
        let body = if constructor_of(body) == Some(ids::GZIP_PACKED) {
            match gzip::unpack(body, self.config.max_inflated_size) {
                Ok(object) => {
                    inflated = object;
                    &inflated[..]
                }
                Err(error) => {
                    tracing::debug!(msg_id, %error, "undecodable gzip_packed from the server");
                    return;
                }
            }
        } else {
            body
        };
        if constructor_of(body) == Some(ids::RPC_RESULT) {
            return self.on_rpc_result(body);
        }
        match service::parse(body) {
            Some(Ok(message)) => self.on_service(msg_id, body, message, now),
            Some(Err(error)) => tracing::debug!(msg_id, %error, "malformed service message"),
            None if !body.is_empty() => self.events.push_back(ClientEvent::Update(body.to_vec())),
            None => {}
        }
    }

    fn on_rpc_result(&mut self, body: &[u8]) {
        let mut r = Reader::new(body);
        let (Ok(_), Ok(req_msg_id)) = (r.u32(), r.i64()) else {
            return;
        };
        let Some(&request) = self.by_msg_id.get(&req_msg_id) else {
            tracing::debug!(req_msg_id, "result for an unknown or answered request");
            return;
        };
        let mut object = r.rest().to_vec();
        if constructor_of(&object) == Some(ids::GZIP_PACKED) {
            match gzip::unpack(&object, self.config.max_inflated_size) {
                Ok(inflated) => object = inflated,
                Err(error) => {
                    tracing::debug!(req_msg_id, %error, "undecodable gzip_packed result");
                    return;
                }
            }
        }
        let result = match parse_rpc_error(&object) {
            Some(error) => Err(error),
            None => Ok(object),
        };
        self.complete(request, result);
    }

    /// Requests a bad_msg_notification is about: the message itself or the container
    /// it travelled in.
    fn requests_sent_as(&self, msg_id: i64) -> Vec<RequestId> {
        self.requests
            .iter()
            .filter(|(_, r)| r.msg_id == Some(msg_id) || r.container == Some(msg_id))
            .map(|(id, _)| *id)
            .collect()
    }

    fn on_service(&mut self, msg_id: i64, body: &[u8], message: Service, now: Timestamp) {
        match message {
            Service::MsgsAck { msg_ids } => {
                for acked in msg_ids {
                    if let Some(request) = self.by_msg_id.get(&acked).copied() {
                        if let Some(r) = self.requests.get_mut(&request) {
                            r.acked |= r.msg_id == Some(acked);
                        }
                    }
                }
            }
            Service::BadMsg {
                bad_msg_id,
                error_code,
                new_server_salt,
                ..
            } => self.on_bad_msg(msg_id, bad_msg_id, error_code, new_server_salt, now),
            Service::NewSessionCreated {
                first_msg_id,
                unique_id,
                server_salt,
            } => {
                self.salt = server_salt;
                // What we sent before the server's first message of this session is
                // lost with the old session: send it again.
                let lost: Vec<RequestId> = self
                    .requests
                    .iter()
                    .filter(|(_, r)| r.msg_id.is_some_and(|id| id < first_msg_id))
                    .map(|(id, _)| *id)
                    .collect();
                for request in lost {
                    self.requeue(request);
                }
                self.events.push_back(ClientEvent::NewSession {
                    unique_id,
                    first_msg_id,
                });
            }
            Service::Pong { msg_id: req, .. }
            | Service::FutureSalts {
                req_msg_id: req, ..
            }
            | Service::MsgsStateInfo { req_msg_id: req } => {
                if let Some(request) = self.by_msg_id.get(&req).copied() {
                    self.complete(request, Ok(body.to_vec()));
                }
            }
            Service::DestroyAuthKeyRes => self.complete_first_of(ids::DESTROY_AUTH_KEY, body),
            Service::DestroySessionRes { .. } => self.complete_first_of(ids::DESTROY_SESSION, body),
            Service::MsgDetailedInfo { answer_msg_id, .. } => {
                if self.received.seen(answer_msg_id) == Seen::Duplicate {
                    self.owe_ack(answer_msg_id, now);
                } else {
                    let mut request = Vec::with_capacity(16);
                    put_u32(&mut request, ids::MSG_RESEND_REQ);
                    put_long_vector(&mut request, &[answer_msg_id]);
                    self.queue_service(request);
                }
            }
            Service::Ping { ping_id, .. } => {
                self.queue_service(service::pong(msg_id, ping_id));
            }
            // Nothing a client needs to act on.
            Service::MsgsStateReq { .. }
            | Service::MsgsAllInfo
            | Service::MsgResendReq { .. }
            | Service::RpcDropAnswer { .. }
            | Service::GetFutureSalts { .. }
            | Service::DestroySession { .. }
            | Service::HttpWait
            | Service::DestroyAuthKey => {}
        }
    }

    /// Bare answers without a request id go to the oldest request of that kind.
    fn complete_first_of(&mut self, constructor: u32, body: &[u8]) {
        let found = self
            .requests
            .iter()
            .find(|(_, r)| r.msg_id.is_some() && constructor_of(&r.body) == Some(constructor))
            .map(|(id, _)| *id);
        if let Some(request) = found {
            self.complete(request, Ok(body.to_vec()));
        }
    }

    fn on_bad_msg(
        &mut self,
        notification_msg_id: i64,
        bad_msg_id: i64,
        error_code: i32,
        new_server_salt: Option<i64>,
        now: Timestamp,
    ) {
        let affected = self.requests_sent_as(bad_msg_id);
        // MTProto: only trust a notification about a message we did send recently.
        if affected.is_empty() {
            tracing::debug!(
                bad_msg_id,
                error_code,
                "bad_msg_notification about no pending request"
            );
            return;
        }
        let retry = match (new_server_salt, error_code) {
            (Some(salt), _) => {
                self.salt = salt;
                true
            }
            (None, 16 | 17) => {
                let server_now = msg_id_time_nanos(notification_msg_id);
                let offset = server_now - i128::from(now.as_nanos());
                self.time_offset_nanos =
                    i64::try_from(offset).unwrap_or(if offset < 0 { i64::MIN } else { i64::MAX });
                // Ids already used were refused; new ones follow the corrected clock
                // even if that is earlier.
                self.ids = MsgIdGenerator::default();
                true
            }
            (None, 32) => {
                self.seq.skip(64);
                true
            }
            (None, 20) => true,
            (None, _) => false,
        };
        for request in affected {
            if retry {
                self.requeue(request);
            } else {
                self.fail(request, error_code);
            }
        }
    }
}

/// `rpc_error#2144ca19 error_code:int error_message:string`, if `object` is one.
fn parse_rpc_error(object: &[u8]) -> Option<RpcError> {
    let mut r = Reader::new(object);
    r.expect(ids::RPC_ERROR).ok()?;
    let code = r.i32().ok()?;
    let message = r.string().ok()?;
    Some(RpcError { code, message })
}
