//! Checking and dispatching what the client sends: msg_id, seqno, salt and container
//! rules (answered with `bad_msg_notification` / `bad_server_salt` as the MTProto
//! documents them), duplicate detection, `gzip_packed`, and routing each accepted
//! message to the service handlers or to the application as an RPC call.
//!
//! Checks run in this order: msg_id parity (18), msg_id age (16/17; container contents
//! are exempt, that is how an old message is legitimately re-sent), duplicates (ignored,
//! with the stored answer re-sent; 19 for a repeated container id, 20 below the
//! remembered window), salt (48), container structure (64), content-relatedness
//! (34/35), seqno order (32/33). A refused message is not processed at all.

use chappe_crypto::DecryptedMessage;

use super::calls::Admission;
use super::{ServerSession, SessionEvent};
use crate::gzip;
use crate::received::{Received, Seen, SeqNoViolation};
use crate::server::IncomingCall;
use crate::service::{self, may_be_non_content, must_be_non_content};
use crate::time::{msg_id_age, MsgIdAge, Timestamp};
use crate::wire::{constructor_of, ids, parse_container, InnerMessage};
use crate::wrappers;
use crate::SessionError;

/// bad_msg_notification error codes.
mod code {
    pub(super) const MSG_ID_TOO_LOW: i32 = 16;
    pub(super) const MSG_ID_TOO_HIGH: i32 = 17;
    pub(super) const MSG_ID_NOT_DIVISIBLE_BY_4: i32 = 18;
    pub(super) const CONTAINER_ID_REUSED: i32 = 19;
    pub(super) const MSG_ID_TOO_OLD: i32 = 20;
    pub(super) const SEQ_NO_TOO_LOW: i32 = 32;
    pub(super) const SEQ_NO_TOO_HIGH: i32 = 33;
    pub(super) const EVEN_SEQ_NO_EXPECTED: i32 = 34;
    pub(super) const ODD_SEQ_NO_EXPECTED: i32 = 35;
    pub(super) const INVALID_CONTAINER: i32 = 64;
}

impl ServerSession {
    /// Processes one decrypted client message (the runtime decrypted it with
    /// `chappe_crypto::decrypt_message(key, Side::Client, packet)` and routed it here by
    /// its session_id). Problems with the message itself are answered to the client as
    /// MTProto prescribes; the only error is a message for another session.
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
        self.accept(message, now);
        Ok(())
    }

    fn accept(&mut self, message: &DecryptedMessage, now: Timestamp) {
        let (msg_id, seq_no, body) = (message.msg_id, message.seq_no, &message.body[..]);
        let is_container = constructor_of(body) == Some(ids::MSG_CONTAINER);
        if msg_id & 3 != 0 {
            return self.reject(msg_id, seq_no, code::MSG_ID_NOT_DIVISIBLE_BY_4);
        }
        match msg_id_age(
            msg_id,
            now,
            self.config.max_msg_age,
            self.config.max_msg_ahead,
        ) {
            MsgIdAge::TooOld => return self.reject(msg_id, seq_no, code::MSG_ID_TOO_LOW),
            MsgIdAge::TooNew => return self.reject(msg_id, seq_no, code::MSG_ID_TOO_HIGH),
            MsgIdAge::Fresh => {}
        }
        match self.received.seen(msg_id) {
            Seen::New => {}
            Seen::Duplicate if is_container => {
                return self.reject(msg_id, seq_no, code::CONTAINER_ID_REUSED);
            }
            Seen::Duplicate => return self.on_duplicate(msg_id, now),
            Seen::Forgotten => return self.reject(msg_id, seq_no, code::MSG_ID_TOO_OLD),
        }
        if !self.salt.is_valid(message.salt, now) {
            let salt = self.salt.current(now);
            tracing::debug!(msg_id, "bad server salt");
            return self.queue_service_answer(None, service::bad_server_salt(msg_id, seq_no, salt));
        }
        if is_container {
            self.handle_container(msg_id, seq_no, body, now);
        } else {
            self.note_first_msg_id(msg_id, now);
            self.handle_one(msg_id, seq_no, body, now);
        }
    }

    fn reject(&mut self, msg_id: i64, seq_no: i32, error_code: i32) {
        tracing::debug!(msg_id, seq_no, error_code, "bad_msg_notification");
        let body = service::bad_msg_notification(msg_id, seq_no, error_code);
        self.queue_service_answer(None, body);
    }

    /// A message received before arrived again: the client did not see our reaction.
    /// Acknowledge it again and re-send its answer if that is still held.
    fn on_duplicate(&mut self, msg_id: i64, now: Timestamp) {
        let Some(record) = self.received.get(msg_id).copied() else {
            return;
        };
        if record.is_container {
            return;
        }
        if !self.outbox.resend_answer(msg_id) && record.seq_no & 1 == 1 {
            self.outbox.owe_ack(msg_id, now);
        }
    }

    /// Tells the client the session is new, once, with the lowest msg_id accepted; a
    /// later message with a lower id gets a new notification (MTProto's rule).
    fn note_first_msg_id(&mut self, msg_id: i64, now: Timestamp) {
        let lower = self.first_msg_id.is_none_or(|first| msg_id < first);
        if !lower {
            return;
        }
        self.first_msg_id = Some(msg_id);
        if self.announce {
            let salt = self.salt.current(now);
            self.outbox.push_front(super::outbox::Outgoing {
                body: service::new_session_created(msg_id, self.unique_id, salt),
                content_related: true,
                response: false,
                answers: None,
            });
        }
    }

    fn handle_container(&mut self, msg_id: i64, seq_no: i32, body: &[u8], now: Timestamp) {
        if seq_no & 1 == 1 {
            return self.reject(msg_id, seq_no, code::EVEN_SEQ_NO_EXPECTED);
        }
        let Ok(inner) = parse_container(body) else {
            return self.reject(msg_id, seq_no, code::INVALID_CONTAINER);
        };
        // A container is accepted or refused as a whole: its contents must be older
        // than it, not containers themselves, and not numbered after it.
        let valid = inner.iter().all(|m| {
            m.msg_id < msg_id
                && m.seq_no <= seq_no
                && constructor_of(m.body) != Some(ids::MSG_CONTAINER)
        });
        if !valid {
            return self.reject(msg_id, seq_no, code::INVALID_CONTAINER);
        }
        if let Some(violation) = self.seq_no_violation(msg_id, seq_no) {
            return self.reject(msg_id, seq_no, violation);
        }
        self.received.insert(
            msg_id,
            Received {
                seq_no,
                is_container: true,
                ..Received::default()
            },
        );
        let first = inner.iter().map(|m| m.msg_id).min().unwrap_or(msg_id);
        self.note_first_msg_id(first, now);
        for message in inner {
            self.handle_inner(message, now);
        }
    }

    fn handle_inner(&mut self, message: InnerMessage<'_>, now: Timestamp) {
        let InnerMessage {
            msg_id,
            seq_no,
            body,
        } = message;
        if msg_id & 3 != 0 {
            return self.reject(msg_id, seq_no, code::MSG_ID_NOT_DIVISIBLE_BY_4);
        }
        match self.received.seen(msg_id) {
            Seen::New => self.handle_one(msg_id, seq_no, body, now),
            Seen::Duplicate => self.on_duplicate(msg_id, now),
            Seen::Forgotten => self.reject(msg_id, seq_no, code::MSG_ID_TOO_OLD),
        }
    }

    fn seq_no_violation(&self, msg_id: i64, seq_no: i32) -> Option<i32> {
        if !self.config.check_seq_no {
            return None;
        }
        self.received
            .check_seq_no(msg_id, seq_no)
            .map(|violation| match violation {
                SeqNoViolation::TooLow => code::SEQ_NO_TOO_LOW,
                SeqNoViolation::TooHigh => code::SEQ_NO_TOO_HIGH,
            })
    }

    /// One message that is not a container (on its own or inside one).
    fn handle_one(&mut self, msg_id: i64, seq_no: i32, body: &[u8], now: Timestamp) {
        let content_related = seq_no & 1 == 1;
        let inflated;
        let body = if constructor_of(body) == Some(ids::GZIP_PACKED) {
            match gzip::unpack(body, self.config.max_inflated_size) {
                Ok(object) => {
                    inflated = object;
                    &inflated[..]
                }
                Err(error) => {
                    tracing::debug!(msg_id, %error, "undecodable gzip_packed message");
                    return self.reject(msg_id, seq_no, code::INVALID_CONTAINER);
                }
            }
        } else {
            body
        };
        let constructor = constructor_of(body);
        if let Some(constructor) = constructor {
            if constructor == ids::GZIP_PACKED || constructor == ids::MSG_CONTAINER {
                return self.reject(msg_id, seq_no, code::INVALID_CONTAINER);
            }
            if content_related && must_be_non_content(constructor) {
                return self.reject(msg_id, seq_no, code::EVEN_SEQ_NO_EXPECTED);
            }
            if !content_related && !may_be_non_content(constructor) {
                return self.reject(msg_id, seq_no, code::ODD_SEQ_NO_EXPECTED);
            }
        }
        if let Some(violation) = self.seq_no_violation(msg_id, seq_no) {
            return self.reject(msg_id, seq_no, violation);
        }
        self.received.insert(
            msg_id,
            Received {
                seq_no,
                ..Received::default()
            },
        );
        if content_related {
            self.outbox.owe_ack(msg_id, now);
            if let Some(record) = self.received.get_mut(msg_id) {
                record.acked = true;
            }
        }
        match service::parse(body) {
            Some(Ok(message)) => self.handle_service(msg_id, message, now),
            Some(Err(error)) => tracing::debug!(msg_id, %error, "malformed service message"),
            None if constructor.is_some() => self.handle_call(msg_id, body),
            // Shorter than a constructor id: nothing to run.
            None => {}
        }
    }

    fn handle_call(&mut self, msg_id: i64, body: &[u8]) {
        let unwrapped = match wrappers::unwrap(body, self.config.max_inflated_size) {
            Ok(unwrapped) => unwrapped,
            Err(error) => {
                tracing::debug!(msg_id, %error, "malformed invocation wrapper");
                return self.answer_error(msg_id, 400, "INPUT_FETCH_ERROR");
            }
        };
        if let Some(layer) = unwrapped.layer {
            if self.layer != Some(layer) {
                self.layer = Some(layer);
                self.emit(SessionEvent::LayerChanged(layer));
            }
        }
        if let Some(info) = unwrapped.client_info {
            self.emit(SessionEvent::ClientInfo(info));
        }
        if unwrapped.query.len() < 4 {
            return self.answer_error(msg_id, 400, "INPUT_FETCH_ERROR");
        }
        if let Some(record) = self.received.get_mut(msg_id) {
            record.is_call = true;
        }
        let call = IncomingCall {
            req_msg_id: msg_id,
            layer: self.layer,
            without_updates: unwrapped.without_updates,
            body: unwrapped.query,
        };
        match self.calls.admit(call, unwrapped.after) {
            Admission::Run(call) => self.emit(SessionEvent::Call(call)),
            Admission::Held => {}
            Admission::Busy => self.answer_error(msg_id, 420, "FLOOD_WAIT_1"),
            Admission::WaitFailed => self.answer_error(msg_id, 400, "MSG_WAIT_FAILED"),
        }
    }
}
