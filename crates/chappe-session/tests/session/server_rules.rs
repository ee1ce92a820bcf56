//! The server's MTProto checks, driven with hand-made decrypted messages.

use std::time::Duration;

use chappe_session::gzip;
use chappe_session::wire::{ids, put_i32, put_long_vector, put_message, put_u32, Reader};
use chappe_session::{
    DecryptedMessage, IncomingCall, ServerConfig, ServerSession, SessionError, SessionEvent,
    Timestamp,
};

use crate::pair::{
    auth_key, bad_msg, constructor, current_salt, flatten, salts, SESSION_ID, START,
};

const QUERY: [u8; 8] = [0x01, 0x51, 0x52, 0x53, 9, 9, 9, 9];

pub struct Rig {
    pub server: ServerSession,
    pub now: Timestamp,
}

impl Rig {
    pub fn new(config: ServerConfig, is_new: bool) -> Self {
        Rig {
            server: ServerSession::new(config, salts(), auth_key(), SESSION_ID, 5, is_new),
            now: START,
        }
    }

    /// A client msg_id `n` steps after the start of the clock.
    pub fn id(&self, n: i64) -> i64 {
        ((START.as_secs() as i64) << 32) + n * 4
    }

    pub fn send(&mut self, msg_id: i64, seq_no: i32, body: &[u8]) {
        let message = DecryptedMessage {
            salt: current_salt(self.now),
            session_id: SESSION_ID,
            msg_id,
            seq_no,
            body: body.to_vec(),
        };
        self.server.handle_message(&message, self.now).unwrap();
    }

    /// Everything the server sends from now on (acks flushed), containers flattened.
    pub fn output(&mut self) -> Vec<Vec<u8>> {
        let later = self.now.saturating_add(Duration::from_secs(1));
        let mut out = Vec::new();
        while let Some(plaintext) = self.server.poll_transmit_plaintext(later) {
            let mut r = Reader::new(&plaintext);
            r.take(28).unwrap();
            let len = r.i32().unwrap() as usize;
            out.extend(flatten(r.take(len).unwrap()));
        }
        out
    }

    pub fn bad_codes(&mut self) -> Vec<(i64, i32)> {
        self.output().iter().filter_map(|b| bad_msg(b)).collect()
    }

    pub fn calls(&mut self) -> Vec<IncomingCall> {
        let mut calls = Vec::new();
        while let Some(event) = self.server.poll_event() {
            if let SessionEvent::Call(call) = event {
                calls.push(call);
            }
        }
        calls
    }
}

fn rig() -> Rig {
    Rig::new(ServerConfig::default(), false)
}

fn container(items: &[(i64, i32, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    put_u32(&mut body, ids::MSG_CONTAINER);
    put_i32(&mut body, items.len() as i32);
    for (msg_id, seq_no, inner) in items {
        put_message(&mut body, *msg_id, *seq_no, inner);
    }
    body
}

fn msgs_ack(ids_: &[i64]) -> Vec<u8> {
    let mut body = Vec::new();
    put_u32(&mut body, ids::MSGS_ACK);
    put_long_vector(&mut body, ids_);
    body
}

#[test]
fn msg_id_parity_and_age() {
    let mut rig = rig();
    let odd = rig.id(1) + 1;
    rig.send(odd, 1, &QUERY);
    let old = rig.id(0) - (301i64 << 32);
    rig.send(old, 1, &QUERY);
    let ahead = rig.id(0) + (31i64 << 32);
    rig.send(ahead, 1, &QUERY);
    assert_eq!(rig.bad_codes(), vec![(odd, 18), (old, 16), (ahead, 17)]);
    assert!(rig.calls().is_empty());
}

#[test]
fn content_relatedness_is_enforced() {
    let mut rig = rig();
    rig.send(rig.id(1), 0, &QUERY);
    rig.send(rig.id(2), 1, &msgs_ack(&[1]));
    assert_eq!(rig.bad_codes(), vec![(rig.id(1), 35), (rig.id(2), 34)]);
    assert!(rig.calls().is_empty());
    // Service queries may go either way.
    let mut ping = Vec::new();
    put_u32(&mut ping, ids::PING);
    ping.extend_from_slice(&7i64.to_le_bytes());
    rig.send(rig.id(3), 0, &ping);
    assert!(rig.output().iter().any(|b| constructor(b) == ids::PONG));
}

#[test]
fn seq_no_must_follow_msg_id() {
    let mut rig = rig();
    rig.send(rig.id(10), 5, &QUERY);
    rig.send(rig.id(11), 3, &QUERY);
    rig.send(rig.id(12), 5, &QUERY);
    rig.send(rig.id(9), 7, &QUERY);
    rig.send(rig.id(13), 6, &msgs_ack(&[]));
    rig.send(rig.id(14), 6, &msgs_ack(&[]));
    let codes = rig.bad_codes();
    assert_eq!(
        codes,
        vec![(rig.id(11), 32), (rig.id(12), 32), (rig.id(9), 33)]
    );
    assert_eq!(rig.calls().len(), 1);
}

#[test]
fn seq_no_check_can_be_disabled() {
    let mut rig = Rig::new(
        ServerConfig {
            check_seq_no: false,
            ..ServerConfig::default()
        },
        false,
    );
    rig.send(rig.id(10), 5, &QUERY);
    rig.send(rig.id(11), 3, &QUERY);
    assert!(rig.bad_codes().is_empty());
    assert_eq!(rig.calls().len(), 2);
}

#[test]
fn containers_are_checked_as_a_whole() {
    let mut rig = rig();
    // Inner id not below the container's.
    let c = rig.id(5);
    rig.send(c, 2, &container(&[(rig.id(6), 1, &QUERY)]));
    // A container inside a container.
    let nested = container(&[]);
    let c2 = rig.id(8);
    rig.send(c2, 2, &container(&[(rig.id(7), 0, &nested)]));
    // Content-related container.
    let c3 = rig.id(10);
    rig.send(c3, 3, &container(&[(rig.id(9), 1, &QUERY)]));
    // Truncated.
    let c4 = rig.id(12);
    let mut broken = container(&[(rig.id(11), 1, &QUERY)]);
    broken.truncate(broken.len() - 4);
    rig.send(c4, 2, &broken);
    assert_eq!(rig.bad_codes(), vec![(c, 64), (c2, 64), (c3, 34), (c4, 64)]);
    assert!(rig.calls().is_empty());

    // A good one: two calls and an ack.
    let good = container(&[
        (rig.id(20), 1, &QUERY),
        (rig.id(21), 3, &QUERY),
        (rig.id(22), 4, &msgs_ack(&[])),
    ]);
    rig.send(rig.id(23), 4, &good);
    let calls = rig.calls();
    assert_eq!(
        calls.iter().map(|c| c.req_msg_id).collect::<Vec<_>>(),
        vec![rig.id(20), rig.id(21)]
    );
    // Reusing the container's id is code 19.
    rig.send(rig.id(23), 4, &good);
    assert_eq!(rig.bad_codes(), vec![(rig.id(23), 19)]);
}

#[test]
fn old_messages_are_accepted_inside_a_fresh_container() {
    let mut rig = rig();
    rig.now = START.saturating_add(Duration::from_secs(1000));
    let old = rig.id(1);
    let fresh = ((rig.now.as_secs() as i64) << 32) + 4;
    rig.send(fresh, 2, &container(&[(old, 1, &QUERY)]));
    assert_eq!(rig.calls().len(), 1);
    assert!(rig.bad_codes().is_empty());
}

#[test]
fn duplicates_run_once_and_get_the_stored_answer() {
    let mut rig = rig();
    let id = rig.id(1);
    rig.send(id, 1, &QUERY);
    rig.send(id, 1, &QUERY);
    let calls = rig.calls();
    assert_eq!(calls.len(), 1);
    assert!(rig.server.push_result(id, Ok(vec![7, 7, 7, 7])));
    let first = rig.output();
    assert!(first.iter().any(|b| constructor(b) == ids::RPC_RESULT));
    // Delivered again: no new call, the same answer comes back.
    rig.send(id, 1, &QUERY);
    assert!(rig.calls().is_empty());
    let again = rig.output();
    let answer = first
        .iter()
        .find(|b| constructor(b) == ids::RPC_RESULT)
        .unwrap();
    assert!(again.contains(answer));
    // Unknown results are refused.
    assert!(!rig.server.push_result(id, Ok(vec![])));
}

#[test]
fn below_the_remembered_window_is_too_old() {
    let mut rig = Rig::new(
        ServerConfig {
            remembered_msg_ids: 4,
            ..ServerConfig::default()
        },
        false,
    );
    for n in 10..16 {
        rig.send(rig.id(n), ((n - 10) * 2 + 1) as i32, &QUERY);
    }
    rig.calls();
    rig.output();
    let c = rig.id(20);
    rig.send(c, 20, &container(&[(rig.id(11), 3, &QUERY)]));
    assert_eq!(rig.bad_codes(), vec![(rig.id(11), 20)]);
}

#[test]
fn bad_salt_is_refused_with_the_current_salt() {
    let mut rig = rig();
    let message = DecryptedMessage {
        salt: 12345,
        session_id: SESSION_ID,
        msg_id: rig.id(1),
        seq_no: 1,
        body: QUERY.to_vec(),
    };
    rig.server.handle_message(&message, rig.now).unwrap();
    assert!(rig.calls().is_empty());
    let out = rig.output();
    assert_eq!(out.len(), 1);
    let mut r = Reader::new(&out[0]);
    assert_eq!(r.u32().unwrap(), ids::BAD_SERVER_SALT);
    assert_eq!(r.i64().unwrap(), rig.id(1));
    r.i32().unwrap();
    assert_eq!(r.i32().unwrap(), 48);
    assert_eq!(r.i64().unwrap(), current_salt(rig.now));
}

#[test]
fn the_handshake_salt_is_accepted_until_its_deadline() {
    const FIRST_SALT: i64 = 0x0bad_cafe;
    let mut rig = rig();
    rig.server
        .accept_initial_salt(FIRST_SALT, rig.now.saturating_add(Duration::from_secs(60)));
    let with_first_salt = |msg_id| DecryptedMessage {
        salt: FIRST_SALT,
        session_id: SESSION_ID,
        msg_id,
        seq_no: 1,
        body: QUERY.to_vec(),
    };
    rig.server
        .handle_message(&with_first_salt(rig.id(1)), rig.now)
        .expect("first salt accepted");
    assert_eq!(
        rig.calls().len(),
        1,
        "the handshake's salt is good at first"
    );
    assert!(rig
        .output()
        .iter()
        .all(|b| constructor(b) != ids::BAD_SERVER_SALT));

    rig.now = rig.now.saturating_add(Duration::from_secs(61));
    let late = ((rig.now.as_secs() as i64) << 32) + 4;
    rig.server
        .handle_message(&with_first_salt(late), rig.now)
        .expect("late salt answered with bad_server_salt");
    assert!(rig.calls().is_empty(), "past its deadline it is refused");
    assert!(rig
        .output()
        .iter()
        .any(|b| constructor(b) == ids::BAD_SERVER_SALT));
}

#[test]
fn wrong_session_is_an_error() {
    let mut rig = rig();
    let message = DecryptedMessage {
        salt: current_salt(rig.now),
        session_id: SESSION_ID + 1,
        msg_id: rig.id(1),
        seq_no: 1,
        body: QUERY.to_vec(),
    };
    assert!(matches!(
        rig.server.handle_message(&message, rig.now),
        Err(SessionError::WrongSession { .. })
    ));
}

#[test]
fn new_session_created_once_for_new_sessions_only() {
    let mut fresh = Rig::new(ServerConfig::default(), true);
    fresh.send(fresh.id(5), 1, &QUERY);
    fresh.send(fresh.id(6), 3, &QUERY);
    let out = fresh.output();
    let notices: Vec<_> = out
        .iter()
        .filter(|b| constructor(b) == ids::NEW_SESSION_CREATED)
        .collect();
    assert_eq!(notices.len(), 1);
    let mut r = Reader::new(&notices[0][4..]);
    assert_eq!(r.i64().unwrap(), fresh.id(5));
    assert_eq!(r.i64().unwrap(), 5);
    assert_eq!(r.i64().unwrap(), current_salt(fresh.now));

    let mut restored = rig();
    restored.send(restored.id(5), 1, &QUERY);
    assert!(!restored
        .output()
        .iter()
        .any(|b| constructor(b) == ids::NEW_SESSION_CREATED));
}

#[test]
fn gzip_bomb_is_refused_without_running() {
    let mut rig = Rig::new(
        ServerConfig {
            max_inflated_size: 1 << 16,
            ..ServerConfig::default()
        },
        false,
    );
    let mut bomb_query = QUERY.to_vec();
    bomb_query.extend(std::iter::repeat_n(0u8, 1 << 20));
    let packed = gzip::pack(&bomb_query);
    rig.send(rig.id(1), 1, &packed);
    assert!(rig.calls().is_empty());
    assert_eq!(rig.bad_codes(), vec![(rig.id(1), 64)]);
}

fn id_vector_message(constructor: u32, msg_ids: &[i64]) -> Vec<u8> {
    let mut body = Vec::new();
    put_u32(&mut body, constructor);
    put_long_vector(&mut body, msg_ids);
    body
}

#[test]
fn resend_requests_resend_held_answers_or_report_state() {
    let mut rig = rig();
    let query = rig.id(1);
    rig.send(query, 1, &QUERY);
    rig.calls();
    rig.server.push_result(query, Ok(vec![3, 3, 3, 3]));
    let answer = rig
        .output()
        .into_iter()
        .find(|b| constructor(b) == ids::RPC_RESULT)
        .unwrap();

    // msg_resend_ans_req names our query: its answer comes again.
    rig.send(
        rig.id(2),
        3,
        &id_vector_message(ids::MSG_RESEND_ANS_REQ, &[query]),
    );
    assert!(rig.output().contains(&answer));

    // msg_resend_req naming something we never sent: msgs_state_info instead.
    let req = rig.id(3);
    rig.send(req, 5, &id_vector_message(ids::MSG_RESEND_REQ, &[12345]));
    let out = rig.output();
    let info = out
        .iter()
        .find(|b| constructor(b) == ids::MSGS_STATE_INFO)
        .expect("msgs_state_info");
    let mut r = Reader::new(&info[4..]);
    assert_eq!(r.i64().unwrap(), req);
    assert_eq!(r.bytes().unwrap(), &[1]);
}

#[test]
fn acknowledged_answers_are_forgotten() {
    let mut rig = rig();
    let query = rig.id(1);
    rig.send(query, 1, &QUERY);
    rig.calls();
    rig.server.push_result(query, Ok(vec![3, 3, 3, 3]));
    let plaintext = rig.server.poll_transmit_plaintext(rig.now).unwrap();
    let answer_id = Reader::new(&plaintext[16..]).i64().unwrap();
    rig.send(rig.id(2), 2, &msgs_ack(&[answer_id]));
    rig.server.on_connection_attached();
    assert!(rig.output().is_empty());
}
