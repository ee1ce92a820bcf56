//! MTProto service messages (the "System messages" part of the MTProto schema):
//! decoding whichever of them a peer sends, and encoding the ones we answer with,
//! through the types generated from `schema/mtproto.tl` (`chappe_tl::mtproto`).
//!
//! Both roles share this module; each handles the subset that makes sense for it.

use chappe_tl::mtproto::{functions as f, types as t};
use chappe_tl::{from_bytes_with, DecodeError, Deserializable, Limits, Serializable};

use crate::salt::FutureSalt;
use crate::wire::{constructor_of, ids, MAX_IDS_PER_VECTOR};

/// Service messages are small and flat: no deep nesting, vectors of at most 8192 ids
/// (MTProto's own limit for acks, state and re-send requests).
const LIMITS: Limits = Limits {
    max_message_len: 1 << 20,
    max_depth: 4,
    max_vector_len: MAX_IDS_PER_VECTOR,
};

/// A decoded service message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Service {
    MsgsAck {
        msg_ids: Vec<i64>,
    },
    /// `bad_msg_notification`, or `bad_server_salt` when `new_server_salt` is set.
    BadMsg {
        bad_msg_id: i64,
        bad_msg_seqno: i32,
        error_code: i32,
        new_server_salt: Option<i64>,
    },
    MsgsStateReq {
        msg_ids: Vec<i64>,
    },
    MsgsStateInfo {
        req_msg_id: i64,
    },
    MsgsAllInfo,
    /// `msg_detailed_info` (with `msg_id`) or `msg_new_detailed_info`.
    MsgDetailedInfo {
        msg_id: Option<i64>,
        answer_msg_id: i64,
    },
    /// `msg_resend_req` (re-send these messages of yours) or, with `answers`,
    /// `msg_resend_ans_req` (re-send your answers to these messages of mine).
    MsgResendReq {
        msg_ids: Vec<i64>,
        answers: bool,
    },
    RpcDropAnswer {
        req_msg_id: i64,
    },
    GetFutureSalts {
        num: i32,
    },
    FutureSalts {
        req_msg_id: i64,
        salts: Vec<FutureSalt>,
    },
    /// `ping`, or `ping_delay_disconnect` when `disconnect_delay` is set.
    Ping {
        ping_id: i64,
        disconnect_delay: Option<i32>,
    },
    Pong {
        msg_id: i64,
        ping_id: i64,
    },
    DestroySession {
        session_id: i64,
    },
    DestroySessionRes {
        session_id: i64,
    },
    NewSessionCreated {
        first_msg_id: i64,
        unique_id: i64,
        server_salt: i64,
    },
    HttpWait,
    DestroyAuthKey,
    DestroyAuthKeyRes,
}

fn decode<T: Deserializable>(body: &[u8]) -> Result<T, DecodeError> {
    from_bytes_with(body, &LIMITS)
}

/// Decodes `body` if it is a service message: `None` when its constructor is not one
/// (an RPC query, a result, an update …), `Some(Err)` when it is one but malformed.
pub(crate) fn parse(body: &[u8]) -> Option<Result<Service, DecodeError>> {
    let parsed = match constructor_of(body)? {
        ids::MSGS_ACK => {
            decode::<t::MsgsAck>(body).map(|m| Service::MsgsAck { msg_ids: m.msg_ids })
        }
        ids::BAD_MSG_NOTIFICATION => {
            decode::<t::BadMsgNotification>(body).map(|m| Service::BadMsg {
                bad_msg_id: m.bad_msg_id,
                bad_msg_seqno: m.bad_msg_seqno,
                error_code: m.error_code,
                new_server_salt: None,
            })
        }
        ids::BAD_SERVER_SALT => decode::<t::BadServerSalt>(body).map(|m| Service::BadMsg {
            bad_msg_id: m.bad_msg_id,
            bad_msg_seqno: m.bad_msg_seqno,
            error_code: m.error_code,
            new_server_salt: Some(m.new_server_salt),
        }),
        ids::MSGS_STATE_REQ => {
            decode::<t::MsgsStateReq>(body).map(|m| Service::MsgsStateReq { msg_ids: m.msg_ids })
        }
        ids::MSGS_STATE_INFO => decode::<t::MsgsStateInfo>(body).map(|m| Service::MsgsStateInfo {
            req_msg_id: m.req_msg_id,
        }),
        ids::MSGS_ALL_INFO => decode::<t::MsgsAllInfo>(body).map(|_| Service::MsgsAllInfo),
        ids::MSG_DETAILED_INFO => {
            decode::<t::MsgDetailedInfo>(body).map(|m| Service::MsgDetailedInfo {
                msg_id: Some(m.msg_id),
                answer_msg_id: m.answer_msg_id,
            })
        }
        ids::MSG_NEW_DETAILED_INFO => {
            decode::<t::MsgNewDetailedInfo>(body).map(|m| Service::MsgDetailedInfo {
                msg_id: None,
                answer_msg_id: m.answer_msg_id,
            })
        }
        ids::MSG_RESEND_REQ => decode::<t::MsgResendReq>(body).map(|m| Service::MsgResendReq {
            msg_ids: m.msg_ids,
            answers: false,
        }),
        ids::MSG_RESEND_ANS_REQ => {
            decode::<t::MsgResendAnsReq>(body).map(|m| Service::MsgResendReq {
                msg_ids: m.msg_ids,
                answers: true,
            })
        }
        ids::RPC_DROP_ANSWER => decode::<f::RpcDropAnswer>(body).map(|m| Service::RpcDropAnswer {
            req_msg_id: m.req_msg_id,
        }),
        ids::GET_FUTURE_SALTS => {
            decode::<f::GetFutureSalts>(body).map(|m| Service::GetFutureSalts { num: m.num })
        }
        ids::FUTURE_SALTS => decode::<t::FutureSalts>(body).map(|m| Service::FutureSalts {
            req_msg_id: m.req_msg_id,
            salts: m
                .salts
                .into_iter()
                .map(|s| FutureSalt {
                    valid_since: s.valid_since,
                    valid_until: s.valid_until,
                    salt: s.salt,
                })
                .collect(),
        }),
        ids::PING => decode::<f::Ping>(body).map(|m| Service::Ping {
            ping_id: m.ping_id,
            disconnect_delay: None,
        }),
        ids::PING_DELAY_DISCONNECT => {
            decode::<f::PingDelayDisconnect>(body).map(|m| Service::Ping {
                ping_id: m.ping_id,
                disconnect_delay: Some(m.disconnect_delay),
            })
        }
        ids::PONG => decode::<t::Pong>(body).map(|m| Service::Pong {
            msg_id: m.msg_id,
            ping_id: m.ping_id,
        }),
        ids::DESTROY_SESSION => {
            decode::<f::DestroySession>(body).map(|m| Service::DestroySession {
                session_id: m.session_id,
            })
        }
        ids::DESTROY_SESSION_OK => {
            decode::<t::DestroySessionOk>(body).map(|m| Service::DestroySessionRes {
                session_id: m.session_id,
            })
        }
        ids::DESTROY_SESSION_NONE => {
            decode::<t::DestroySessionNone>(body).map(|m| Service::DestroySessionRes {
                session_id: m.session_id,
            })
        }
        ids::NEW_SESSION_CREATED => {
            decode::<t::NewSessionCreated>(body).map(|m| Service::NewSessionCreated {
                first_msg_id: m.first_msg_id,
                unique_id: m.unique_id,
                server_salt: m.server_salt,
            })
        }
        ids::HTTP_WAIT => decode::<t::HttpWait>(body).map(|_| Service::HttpWait),
        ids::DESTROY_AUTH_KEY => decode::<f::DestroyAuthKey>(body).map(|_| Service::DestroyAuthKey),
        ids::DESTROY_AUTH_KEY_OK | ids::DESTROY_AUTH_KEY_NONE | ids::DESTROY_AUTH_KEY_FAIL => {
            Ok(Service::DestroyAuthKeyRes)
        }
        _ => return None,
    };
    Some(parsed)
}

/// Whether a peer may send `constructor` as a non-content-related message. API queries
/// must be content-related (else code 35); service messages may be either.
pub(crate) fn may_be_non_content(constructor: u32) -> bool {
    matches!(
        constructor,
        ids::MSGS_ACK
            | ids::MSG_CONTAINER
            | ids::MSG_COPY
            | ids::GZIP_PACKED
            | ids::BAD_MSG_NOTIFICATION
            | ids::BAD_SERVER_SALT
            | ids::MSGS_STATE_REQ
            | ids::MSGS_STATE_INFO
            | ids::MSGS_ALL_INFO
            | ids::MSG_DETAILED_INFO
            | ids::MSG_NEW_DETAILED_INFO
            | ids::MSG_RESEND_REQ
            | ids::MSG_RESEND_ANS_REQ
            | ids::RPC_DROP_ANSWER
            | ids::GET_FUTURE_SALTS
            | ids::FUTURE_SALTS
            | ids::PING
            | ids::PING_DELAY_DISCONNECT
            | ids::PONG
            | ids::DESTROY_SESSION
            | ids::DESTROY_SESSION_OK
            | ids::DESTROY_SESSION_NONE
            | ids::HTTP_WAIT
            | ids::DESTROY_AUTH_KEY
    )
}

/// Whether `constructor` must never be marked content-related (else code 34).
pub(crate) fn must_be_non_content(constructor: u32) -> bool {
    matches!(
        constructor,
        ids::MSGS_ACK | ids::MSG_CONTAINER | ids::MSG_COPY
    )
}

pub(crate) fn msgs_ack(msg_ids: &[i64]) -> Vec<u8> {
    t::MsgsAck {
        msg_ids: msg_ids.to_vec(),
    }
    .to_bytes()
}

pub(crate) fn bad_msg_notification(bad_msg_id: i64, bad_msg_seqno: i32, code: i32) -> Vec<u8> {
    t::BadMsgNotification {
        bad_msg_id,
        bad_msg_seqno,
        error_code: code,
    }
    .to_bytes()
}

pub(crate) fn bad_server_salt(bad_msg_id: i64, bad_msg_seqno: i32, new_salt: i64) -> Vec<u8> {
    t::BadServerSalt {
        bad_msg_id,
        bad_msg_seqno,
        error_code: 48,
        new_server_salt: new_salt,
    }
    .to_bytes()
}

pub(crate) fn msgs_state_info(req_msg_id: i64, info: &[u8]) -> Vec<u8> {
    t::MsgsStateInfo {
        req_msg_id,
        info: info.to_vec(),
    }
    .to_bytes()
}

pub(crate) fn pong(msg_id: i64, ping_id: i64) -> Vec<u8> {
    t::Pong { msg_id, ping_id }.to_bytes()
}

pub(crate) fn future_salts(req_msg_id: i64, now: i32, salts: &[FutureSalt]) -> Vec<u8> {
    t::FutureSalts {
        req_msg_id,
        now,
        salts: salts
            .iter()
            .map(|s| t::FutureSalt {
                valid_since: s.valid_since,
                valid_until: s.valid_until,
                salt: s.salt,
            })
            .collect(),
    }
    .to_bytes()
}

pub(crate) fn new_session_created(first_msg_id: i64, unique_id: i64, server_salt: i64) -> Vec<u8> {
    t::NewSessionCreated {
        first_msg_id,
        unique_id,
        server_salt,
    }
    .to_bytes()
}

pub(crate) fn destroy_session_res(session_id: i64, destroyed: bool) -> Vec<u8> {
    if destroyed {
        t::DestroySessionOk { session_id }.to_bytes()
    } else {
        t::DestroySessionNone { session_id }.to_bytes()
    }
}

pub(crate) fn destroy_auth_key_ok() -> Vec<u8> {
    t::DestroyAuthKeyOk.to_bytes()
}

pub(crate) fn rpc_answer_unknown() -> Vec<u8> {
    t::RpcAnswerUnknown.to_bytes()
}

pub(crate) fn rpc_answer_dropped_running() -> Vec<u8> {
    t::RpcAnswerDroppedRunning.to_bytes()
}

pub(crate) fn rpc_answer_dropped(msg_id: i64, seq_no: i32, bytes: i32) -> Vec<u8> {
    t::RpcAnswerDropped {
        msg_id,
        seq_no,
        bytes,
    }
    .to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoders_round_trip_through_parse() {
        let cases: Vec<(Vec<u8>, Service)> = vec![
            (
                msgs_ack(&[4, 8]),
                Service::MsgsAck {
                    msg_ids: vec![4, 8],
                },
            ),
            (
                bad_msg_notification(12, 3, 16),
                Service::BadMsg {
                    bad_msg_id: 12,
                    bad_msg_seqno: 3,
                    error_code: 16,
                    new_server_salt: None,
                },
            ),
            (
                bad_server_salt(12, 3, -9),
                Service::BadMsg {
                    bad_msg_id: 12,
                    bad_msg_seqno: 3,
                    error_code: 48,
                    new_server_salt: Some(-9),
                },
            ),
            (
                pong(5, 6),
                Service::Pong {
                    msg_id: 5,
                    ping_id: 6,
                },
            ),
            (
                new_session_created(1, 2, 3),
                Service::NewSessionCreated {
                    first_msg_id: 1,
                    unique_id: 2,
                    server_salt: 3,
                },
            ),
            (
                future_salts(
                    7,
                    100,
                    &[FutureSalt {
                        valid_since: 1,
                        valid_until: 2,
                        salt: 3,
                    }],
                ),
                Service::FutureSalts {
                    req_msg_id: 7,
                    salts: vec![FutureSalt {
                        valid_since: 1,
                        valid_until: 2,
                        salt: 3,
                    }],
                },
            ),
            (
                msgs_state_info(9, &[1, 4]),
                Service::MsgsStateInfo { req_msg_id: 9 },
            ),
            (
                destroy_session_res(77, false),
                Service::DestroySessionRes { session_id: 77 },
            ),
            (destroy_auth_key_ok(), Service::DestroyAuthKeyRes),
        ];
        for (bytes, expected) in cases {
            assert_eq!(parse(&bytes), Some(Ok(expected)));
        }
    }

    #[test]
    fn non_service_and_truncated() {
        assert_eq!(parse(&0x1234_5678u32.to_le_bytes()), None);
        assert_eq!(parse(&[]), None);
        let truncated = &pong(1, 2)[..10];
        assert_eq!(parse(truncated), Some(Err(DecodeError::UnexpectedEof)));
    }
}
