//! Arbitrary input into the server and the client: nothing panics, memory stays
//! bounded, and the server keeps answering.

use chappe_session::wire::{ids, put_i32, put_message, put_u32};
use chappe_session::{ClientConfig, ClientSession, DecryptedMessage, ServerConfig, Timestamp};
use proptest::prelude::*;

use crate::pair::{auth_key, current_salt, SESSION_ID, START};
use crate::server_rules::Rig;

/// Bodies that are likely to reach deep code: real constructor ids followed by noise.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let known = prop::sample::select(vec![
        ids::MSG_CONTAINER,
        ids::GZIP_PACKED,
        ids::MSGS_ACK,
        ids::PING,
        ids::PING_DELAY_DISCONNECT,
        ids::GET_FUTURE_SALTS,
        ids::MSGS_STATE_REQ,
        ids::MSG_RESEND_REQ,
        ids::RPC_DROP_ANSWER,
        ids::DESTROY_SESSION,
        ids::DESTROY_AUTH_KEY,
        ids::INVOKE_WITH_LAYER,
        ids::INIT_CONNECTION,
        ids::INVOKE_AFTER_MSG,
        ids::INVOKE_AFTER_MSGS,
        ids::INVOKE_WITHOUT_UPDATES,
        ids::RPC_RESULT,
        ids::VECTOR,
        0x1234_5678,
    ]);
    (known, prop::collection::vec(any::<u8>(), 0..256)).prop_map(|(id, rest)| {
        let mut body = id.to_le_bytes().to_vec();
        body.extend(rest);
        body
    })
}

/// A container of arbitrary messages with plausible ids.
fn container_body() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((0i64..64, any::<i32>(), body()), 0..8).prop_map(|items| {
        let mut out = Vec::new();
        put_u32(&mut out, ids::MSG_CONTAINER);
        put_i32(&mut out, items.len() as i32);
        for (n, seq_no, inner) in items {
            let msg_id = ((START.as_secs() as i64) << 32) + n * 4;
            put_message(&mut out, msg_id, seq_no & 7, &inner);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn server_survives_arbitrary_messages(
        messages in prop::collection::vec(
            (0i64..128, any::<bool>(), 0i32..16, prop_oneof![body(), container_body()]),
            1..24,
        ),
        answer_some in any::<bool>(),
    ) {
        let mut rig = Rig::new(ServerConfig::default(), true);
        for (n, good_salt, seq_no, body) in messages {
            let message = DecryptedMessage {
                salt: if good_salt { current_salt(rig.now) } else { n },
                session_id: SESSION_ID,
                msg_id: rig.id(64) + n * 4 - (n % 3),
                seq_no,
                body,
            };
            rig.server.handle_message(&message, rig.now).unwrap();
            if answer_some {
                for call in rig.calls() {
                    rig.server.push_result(call.req_msg_id, Ok(vec![1, 2, 3, 4]));
                }
            }
            rig.server.push_update(vec![5, 6, 7, 8]);
            rig.server.on_connection_attached();
            let _ = rig.output();
        }
    }

    #[test]
    fn client_survives_arbitrary_server_messages(
        messages in prop::collection::vec((any::<i64>(), any::<i32>(), prop_oneof![body(), container_body()]), 1..16),
    ) {
        let mut client = ClientSession::new(ClientConfig::default(), auth_key(), SESSION_ID, 0, 0);
        client.invoke(vec![1, 2, 3, 4]);
        let now = Timestamp::from_secs(1_700_000_000);
        let _ = client.poll_transmit_plaintext(now);
        for (msg_id, seq_no, body) in messages {
            let message = DecryptedMessage { salt: 0, session_id: SESSION_ID, msg_id: msg_id | 1, seq_no, body };
            let _ = client.handle_message(&message, now);
            while client.poll_event().is_some() {}
            let _ = client.poll_transmit_plaintext(now);
        }
    }
}
