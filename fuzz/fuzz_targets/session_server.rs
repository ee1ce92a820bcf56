//! Arbitrary decrypted messages into a ServerSession: nothing may panic, and the
//! session must keep producing well-formed output while the runtime answers calls,
//! pushes updates and re-attaches connections.
//!
//! Input layout: one flags byte, then repeated records of
//! `offset:u8 seq_no:u8 len:u16le body[len]`, where `offset` picks the msg_id near the
//! fuzzer's clock (so the time checks do not reject everything) and `flags` chooses a
//! valid salt, a new or restored session, and whether calls get answered.

#![no_main]

use libfuzzer_sys::fuzz_target;

use chappe_session::{
    AuthKey, DecryptedMessage, RpcError, ServerConfig, ServerSalts, ServerSession,
    SessionEvent, Timestamp,
};

const SESSION_ID: i64 = 0x0123_4567_89ab_cdef;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, mut rest)) = data.split_first() else {
        return;
    };
    let key = AuthKey::from_bytes([7; 256]);
    let salts = ServerSalts::new([1; 32]);
    let mut now = Timestamp::from_secs(1_700_000_000);
    let salt = salts.current(key.id(), now);
    let config = ServerConfig {
        max_pending_calls: 8,
        max_outbox_messages: 64,
        max_outbox_bytes: 1 << 16,
        remembered_msg_ids: 64,
        max_inflated_size: 1 << 16,
        ..ServerConfig::default()
    };
    let mut session = ServerSession::new(config, salts, key, SESSION_ID, 1, flags & 2 != 0);
    let base = (now.as_secs() as i64) << 32;

    while rest.len() >= 4 {
        let offset = i64::from(rest[0] as i8);
        let seq_no = i32::from(rest[1]);
        let len = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
        rest = &rest[4..];
        let body = &rest[..len.min(rest.len())];
        rest = &rest[body.len()..];

        let message = DecryptedMessage {
            salt: if flags & 1 != 0 { salt } else { offset },
            session_id: SESSION_ID,
            // Mostly valid client ids (multiples of 4), sometimes not, around `now`.
            msg_id: base + offset * 4 + i64::from(flags >> 6),
            seq_no,
            body: body.to_vec(),
        };
        let _ = session.handle_message(&message, now);

        while let Some(event) = session.poll_event() {
            match event {
                SessionEvent::Call(call) if flags & 4 != 0 => {
                    let result = if call.body.len() % 2 == 0 {
                        Ok(call.body)
                    } else {
                        Err(RpcError::new(400, "FUZZ"))
                    };
                    session.push_result(call.req_msg_id, result);
                }
                SessionEvent::DestroySession {
                    req_msg_id,
                    session_id,
                } => session.answer_destroy_session(req_msg_id, session_id, flags & 8 != 0),
                _ => {}
            }
        }
        if flags & 16 != 0 {
            session.push_update(body.to_vec());
        }
        if flags & 32 != 0 {
            session.on_connection_attached();
        }
        now = now.saturating_add(std::time::Duration::from_millis(50));
        while session.poll_transmit_plaintext(now).is_some() {}
    }
});
