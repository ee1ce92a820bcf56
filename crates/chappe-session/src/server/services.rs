//! The server's answers to MTProto service messages: acks, ping, future salts, message
//! state and re-send requests, answer cancellation, session and auth key destruction.
//!
//! Answer formats follow what clients expect: `pong`, `future_salts`,
//! `msgs_state_info` and `destroy_auth_key_ok` are sent bare (they carry the request
//! id themselves, or TDLib expects them bare); `rpc_drop_answer` and `destroy_session`
//! are answered inside `rpc_result`, which every client maps to the pending request.

use std::time::Duration;

use super::calls::DropOutcome;
use super::{ServerSession, SessionEvent};
use crate::service::{self, Service};
use crate::time::Timestamp;

impl ServerSession {
    pub(super) fn handle_service(&mut self, msg_id: i64, message: Service, now: Timestamp) {
        match message {
            Service::MsgsAck { msg_ids } => self.outbox.on_client_ack(&msg_ids),
            Service::Ping {
                ping_id,
                disconnect_delay,
            } => {
                self.queue_service_answer(Some(msg_id), service::pong(msg_id, ping_id));
                if let Some(delay) = disconnect_delay {
                    let delay = Duration::from_secs(u64::try_from(delay).unwrap_or(0));
                    self.emit(SessionEvent::DisconnectAfter(now.saturating_add(delay)));
                }
            }
            Service::GetFutureSalts { num } => {
                let salts = self.salt.future(now, num);
                let now_secs = i32::try_from(now.as_secs()).unwrap_or(i32::MAX);
                let body = service::future_salts(msg_id, now_secs, &salts);
                self.queue_service_answer(Some(msg_id), body);
            }
            Service::MsgsStateReq { msg_ids } => {
                let info: Vec<u8> = msg_ids
                    .iter()
                    .map(|&id| self.received.state_byte(id))
                    .collect();
                self.queue_service_answer(Some(msg_id), service::msgs_state_info(msg_id, &info));
            }
            Service::MsgResendReq { msg_ids, answers } => {
                self.resend_requested(msg_id, &msg_ids, answers)
            }
            Service::RpcDropAnswer { req_msg_id } => {
                let object = match self.calls.drop_answer(req_msg_id) {
                    DropOutcome::Running => service::rpc_answer_dropped_running(),
                    DropOutcome::NotRunning => match self.outbox.take_answer(req_msg_id) {
                        Some(dropped) => service::rpc_answer_dropped(
                            dropped.msg_id,
                            dropped.seq_no,
                            dropped.bytes,
                        ),
                        None => service::rpc_answer_unknown(),
                    },
                };
                self.queue_answer(msg_id, &object);
            }
            Service::DestroySession { session_id } => {
                if self.calls.start_internal(msg_id) {
                    self.emit(SessionEvent::DestroySession {
                        req_msg_id: msg_id,
                        session_id,
                    });
                } else {
                    self.answer_error(msg_id, 420, "FLOOD_WAIT_1");
                }
            }
            Service::DestroyAuthKey => {
                self.queue_service_answer(Some(msg_id), service::destroy_auth_key_ok());
                self.emit(SessionEvent::DestroyAuthKey);
            }
            // http_wait only matters to the HTTP transport, which holds replies itself.
            Service::HttpWait => {}
            // Messages only a server sends, or reports about our own messages that need
            // no reaction.
            Service::BadMsg { .. }
            | Service::MsgsStateInfo { .. }
            | Service::MsgsAllInfo
            | Service::MsgDetailedInfo { .. }
            | Service::FutureSalts { .. }
            | Service::Pong { .. }
            | Service::DestroySessionRes { .. }
            | Service::NewSessionCreated { .. }
            | Service::DestroyAuthKeyRes => {}
        }
    }

    /// `msg_resend_req` / `msg_resend_ans_req`: re-send what is asked for if all of
    /// it is still held; otherwise (MTProto's rule) answer as if it were a
    /// `msgs_state_req` about those ids.
    fn resend_requested(&mut self, req_msg_id: i64, msg_ids: &[i64], answers: bool) {
        let all_held = if answers {
            msg_ids.iter().all(|&id| self.outbox.answer_held(id))
        } else {
            msg_ids.iter().all(|&id| self.outbox.holds(id))
        };
        if all_held {
            for &id in msg_ids {
                if answers {
                    self.outbox.resend_answer(id);
                } else {
                    self.outbox.resend_if_all_known(&[id]);
                }
            }
            self.outbox.answered(req_msg_id);
            return;
        }
        let info: Vec<u8> = if answers {
            // Ids of the client's own messages: what we know about receiving them.
            msg_ids
                .iter()
                .map(|&id| self.received.state_byte(id))
                .collect()
        } else {
            // Ids of our messages: still held (4) or forgotten (1).
            msg_ids
                .iter()
                .map(|&id| if self.outbox.holds(id) { 4 } else { 1 })
                .collect()
        };
        self.queue_service_answer(
            Some(req_msg_id),
            service::msgs_state_info(req_msg_id, &info),
        );
    }
}
