//! End-to-end behaviour of a client and a server session through the pair harness.

use std::time::Duration;

use chappe_session::wire::{ids, put_i64, put_long_vector, put_u32, Reader};
use chappe_session::{
    ClientConfig, ClientEvent, InitConnection, RpcError, ServerConfig, SessionEvent,
};

use crate::pair::{constructor, current_salt, echo_of, flatten, parse_plaintext, Pair, START};

fn query(tag: u8, len: usize) -> Vec<u8> {
    let mut q = vec![tag, 0x51, 0x52, 0x53];
    q.extend((0..len).map(|i| (i % 7) as u8));
    q
}

fn ping(ping_id: i64) -> Vec<u8> {
    let mut body = Vec::new();
    put_u32(&mut body, ids::PING);
    put_i64(&mut body, ping_id);
    body
}

#[test]
fn ping_pong_and_new_session_notice() {
    let mut pair = Pair::synced();
    let request = pair.client.invoke(ping(0x1234));
    pair.run();
    let results = pair.results();
    assert_eq!(results.len(), 1);
    let (id, result) = &results[0];
    assert_eq!(*id, request);
    let pong = result.as_ref().unwrap();
    assert_eq!(constructor(pong), ids::PONG);
    let mut r = Reader::new(&pong[12..]);
    assert_eq!(r.i64().unwrap(), 0x1234);
    assert!(pair
        .client_events
        .iter()
        .any(|e| matches!(e, ClientEvent::NewSession { unique_id: 77, .. })));
    // Pings are not RPC calls.
    assert!(pair.calls.is_empty());
}

#[test]
fn rpc_round_trip_and_everything_acknowledged() {
    let mut pair = Pair::synced();
    let q = query(1, 20);
    let request = pair.client.invoke(q.clone());
    pair.run();
    assert_eq!(pair.calls.len(), 1);
    assert_eq!(pair.calls[0].body, q);
    assert_eq!(pair.results(), vec![(request, Ok(echo_of(&q)))]);
    assert_eq!(pair.server.pending_calls(), 0);
    assert_eq!(pair.client.pending_requests(), 0);
    // The client acknowledged the result and new_session_created: nothing to re-send.
    pair.server.on_connection_attached();
    assert!(pair.server.poll_transmit_plaintext(pair.now).is_none());
}

#[test]
fn rpc_error_is_delivered_as_error() {
    let mut pair = Pair::synced();
    pair.handler = Box::new(|_| Some(Err(RpcError::new(400, "PEER_ID_INVALID"))));
    let request = pair.client.invoke(query(2, 0));
    pair.run();
    assert_eq!(
        pair.results(),
        vec![(request, Err(RpcError::new(400, "PEER_ID_INVALID")))]
    );
}

#[test]
fn several_calls_travel_in_one_container() {
    let mut pair = Pair::synced();
    let requests: Vec<_> = (0..3)
        .map(|i| pair.client.invoke(query(10 + i, 8)))
        .collect();
    let plaintext = pair
        .client
        .poll_transmit_plaintext(pair.client_now())
        .unwrap();
    let message = parse_plaintext(&plaintext);
    assert_eq!(constructor(&message.body), ids::MSG_CONTAINER);
    assert_eq!(flatten(&message.body).len(), 3);
    pair.server.handle_message(&message, pair.now).unwrap();
    pair.run();
    assert_eq!(pair.calls.len(), 3);
    let results = pair.results();
    assert_eq!(results.len(), 3);
    for (i, request) in requests.iter().enumerate() {
        let expected = echo_of(&query(10 + i as u8, 8));
        assert!(results.contains(&(*request, Ok(expected))));
    }
    // The server answered all three in one container too.
    assert!(pair
        .server_sent
        .iter()
        .any(|m| constructor(&m.body) == ids::MSG_CONTAINER && flatten(&m.body).len() >= 3));
}

#[test]
fn gzip_both_ways() {
    let mut pair = Pair::synced();
    let big_query = query(3, 20_000);
    let big_result: Vec<u8> = std::iter::repeat_n(*b"result!!", 10_000)
        .flatten()
        .collect();
    let answer = big_result.clone();
    pair.handler = Box::new(move |_| Some(Ok(answer.clone())));
    let request = pair.client.invoke(big_query.clone());
    pair.run();
    // The server saw the inflated query…
    assert_eq!(pair.calls[0].body, big_query);
    // …and the result crossed the wire compressed, arriving whole.
    assert_eq!(pair.results(), vec![(request, Ok(big_result.clone()))]);
    let largest = pair.server_sent.iter().map(|m| m.body.len()).max().unwrap();
    assert!(largest < big_result.len() / 10, "result was not compressed");
}

#[test]
fn bad_salt_is_recovered() {
    let mut pair = Pair::new(ClientConfig::default(), 0);
    let q = query(4, 4);
    let request = pair.client.invoke(q.clone());
    pair.run();
    assert_eq!(pair.results(), vec![(request, Ok(echo_of(&q)))]);
    assert_eq!(pair.client.salt(), current_salt(pair.now));
    assert_eq!(pair.calls.len(), 1, "the refused message must not run");
}

#[test]
fn salt_rotation_is_followed() {
    let mut pair = Pair::synced();
    pair.client.invoke(query(5, 0));
    pair.run();
    // Two slots later the old salt is refused; the client learns the new one.
    pair.advance(Duration::from_secs(3 * 1800));
    let q = query(6, 0);
    let request = pair.client.invoke(q.clone());
    pair.run();
    assert!(pair.results().contains(&(request, Ok(echo_of(&q)))));
    assert_eq!(pair.client.salt(), current_salt(pair.now));
}

#[test]
fn client_clock_an_hour_behind_or_ahead_is_corrected() {
    for skew_secs in [-3600i64, 3600] {
        let skew = skew_secs * 1_000_000_000;
        let mut pair = Pair::with(
            ClientConfig::default(),
            ServerConfig::default(),
            current_salt(START),
            skew,
        );
        let q = query(7, 4);
        let request = pair.client.invoke(q.clone());
        pair.run();
        assert_eq!(pair.results(), vec![(request, Ok(echo_of(&q)))]);
        let offset = pair.client.time_offset_nanos();
        assert!(
            (offset + skew).abs() < 1_000_000_000,
            "offset {offset} for skew {skew}"
        );
        assert_eq!(pair.calls.len(), 1);
    }
}

#[test]
fn init_connection_and_layer_are_unwrapped_and_reported() {
    let config = ClientConfig {
        init: Some(InitConnection {
            layer: 230,
            api_id: 12345,
            device_model: "test rig".into(),
            system_version: "1".into(),
            app_version: "0.1".into(),
            system_lang_code: "en".into(),
            lang_pack: "".into(),
            lang_code: "en".into(),
        }),
        ..ClientConfig::default()
    };
    let mut pair = Pair::new(config, current_salt(START));
    let q = query(8, 4);
    pair.client.invoke(q.clone());
    pair.client.invoke(query(9, 4));
    pair.run();
    assert_eq!(pair.calls.len(), 2);
    assert_eq!(pair.calls[0].body, q);
    assert!(pair.calls.iter().all(|c| c.layer == Some(230)));
    assert_eq!(pair.server.layer(), Some(230));
    assert!(pair
        .server_events
        .contains(&SessionEvent::LayerChanged(230)));
    let info = pair
        .server_events
        .iter()
        .find_map(|e| match e {
            SessionEvent::ClientInfo(info) => Some(info.clone()),
            _ => None,
        })
        .expect("client info reported");
    assert_eq!(
        (info.api_id, info.device_model.as_str()),
        (12345, "test rig")
    );
}

#[test]
fn unacked_result_is_resent_after_reconnect_and_delivered_once() {
    let mut pair = Pair::synced();
    pair.cut_to_client = true;
    let q = query(11, 4);
    let request = pair.client.invoke(q.clone());
    pair.run();
    assert!(pair.results().is_empty());
    assert_eq!(pair.calls.len(), 1);

    // The connection comes back: both sides re-attach.
    pair.cut_to_client = false;
    pair.server.on_connection_attached();
    pair.client.on_connection_attached();
    pair.run();
    assert_eq!(pair.results(), vec![(request, Ok(echo_of(&q)))]);
    assert_eq!(
        pair.calls.len(),
        1,
        "the server must not run the query twice"
    );

    // A second re-send of the same answer (the client's ack was lost) is not
    // delivered twice.
    let resent = pair.server_packets.clone();
    let now = pair.client_now();
    for packet in &resent {
        pair.client.handle_packet(packet, now).unwrap();
    }
    while let Some(event) = pair.client.poll_event() {
        assert!(
            !matches!(event, ClientEvent::Result { .. }),
            "duplicate result"
        );
    }
}

#[test]
fn msgs_state_req_reports_received_and_unknown() {
    let mut pair = Pair::synced();
    pair.handler = Box::new(|_| None);
    pair.client.invoke(query(12, 0));
    pair.run();
    let held = pair.held[0].req_msg_id;
    let unknown_low = held - (1 << 32);
    let unknown_high = held + (1 << 40);
    let mut req = Vec::new();
    put_u32(&mut req, ids::MSGS_STATE_REQ);
    put_long_vector(&mut req, &[held, unknown_low, unknown_high]);
    let request = pair.client.invoke(req);
    pair.run();
    let info = pair
        .results()
        .into_iter()
        .find(|(id, _)| *id == request)
        .and_then(|(_, r)| r.ok())
        .expect("msgs_state_info");
    assert_eq!(constructor(&info), ids::MSGS_STATE_INFO);
    let mut r = Reader::new(&info[12..]);
    let states = r.bytes().unwrap().to_vec();
    assert_eq!(states.len(), 3);
    assert_eq!(states[0] & 7, 4, "received");
    assert_eq!(states[0] & 32, 32, "an RPC query being processed");
    assert_eq!(states[1], 2, "within the remembered range, not received");
    assert_eq!(states[2], 3, "above everything received");
}

#[test]
fn destroy_session_is_passed_to_the_runtime_and_answered() {
    let mut pair = Pair::synced();
    let mut body = Vec::new();
    put_u32(&mut body, ids::DESTROY_SESSION);
    put_i64(&mut body, 0x0bad);
    let request = pair.client.invoke(body);
    pair.run();
    assert!(pair.server_events.iter().any(|e| matches!(
        e,
        SessionEvent::DestroySession {
            session_id: 0x0bad,
            ..
        }
    )));
    let (_, result) = pair
        .results()
        .into_iter()
        .find(|(id, _)| *id == request)
        .unwrap();
    let result = result.unwrap();
    assert_eq!(constructor(&result), ids::DESTROY_SESSION_OK);
    assert_eq!(Reader::new(&result[4..]).i64().unwrap(), 0x0bad);
}

#[test]
fn destroy_auth_key_is_answered_and_reported() {
    let mut pair = Pair::synced();
    let request = pair
        .client
        .invoke(ids::DESTROY_AUTH_KEY.to_le_bytes().to_vec());
    pair.run();
    assert!(pair.server_events.contains(&SessionEvent::DestroyAuthKey));
    let (_, result) = pair
        .results()
        .into_iter()
        .find(|(id, _)| *id == request)
        .unwrap();
    assert_eq!(constructor(&result.unwrap()), ids::DESTROY_AUTH_KEY_OK);
}

#[test]
fn ping_delay_disconnect_sets_a_deadline() {
    let mut pair = Pair::synced();
    let mut body = Vec::new();
    put_u32(&mut body, ids::PING_DELAY_DISCONNECT);
    put_i64(&mut body, 9);
    body.extend_from_slice(&75i32.to_le_bytes());
    pair.client.invoke(body);
    let sent_at = pair.now;
    pair.run();
    assert!(pair.server_events.contains(&SessionEvent::DisconnectAfter(
        sent_at.saturating_add(Duration::from_secs(75))
    )));
    assert_eq!(
        constructor(pair.results()[0].1.as_ref().unwrap()),
        ids::PONG
    );
}

#[test]
fn future_salts_are_the_ones_the_server_accepts() {
    let mut pair = Pair::synced();
    let mut body = Vec::new();
    put_u32(&mut body, ids::GET_FUTURE_SALTS);
    body.extend_from_slice(&3i32.to_le_bytes());
    pair.client.invoke(body);
    pair.run();
    let answer = pair.results()[0].1.clone().unwrap();
    assert_eq!(constructor(&answer), ids::FUTURE_SALTS);
    let mut r = Reader::new(&answer[4..]);
    r.i64().unwrap();
    r.i32().unwrap();
    assert_eq!(r.i32().unwrap(), 3);
    let _since = r.i32().unwrap();
    let _until = r.i32().unwrap();
    assert_eq!(r.i64().unwrap(), current_salt(pair.now));
}

#[test]
fn invoke_after_msg_waits_for_the_named_call() {
    let mut pair = Pair::synced();
    pair.handler = Box::new(|_| None);
    pair.client.invoke(query(13, 0));
    pair.run();
    let first = pair.held[0].req_msg_id;
    let mut wrapped = Vec::new();
    put_u32(&mut wrapped, ids::INVOKE_AFTER_MSG);
    put_i64(&mut wrapped, first);
    wrapped.extend_from_slice(&query(14, 0));
    pair.client.invoke(wrapped);
    pair.run();
    assert_eq!(pair.calls.len(), 1, "the second call must wait");
    pair.handler = crate::pair::echo();
    pair.answer_held(first, Ok(vec![1, 2, 3, 4]));
    pair.run();
    assert_eq!(pair.calls.len(), 2);
    assert_eq!(pair.calls[1].body, query(14, 0));
    assert_eq!(pair.results().len(), 2);
}

#[test]
fn rpc_drop_answer_on_a_running_call() {
    let mut pair = Pair::synced();
    pair.handler = Box::new(|_| None);
    let original = pair.client.invoke(query(15, 0));
    pair.run();
    let running = pair.held[0].req_msg_id;
    let mut drop = Vec::new();
    put_u32(&mut drop, ids::RPC_DROP_ANSWER);
    put_i64(&mut drop, running);
    let drop_request = pair.client.invoke(drop);
    pair.run();
    pair.answer_held(running, Ok(vec![9, 9, 9, 9]));
    pair.run();
    let results = pair.results();
    for request in [original, drop_request] {
        let (_, result) = results.iter().find(|(id, _)| *id == request).unwrap();
        assert_eq!(
            constructor(result.as_ref().unwrap()),
            ids::RPC_ANSWER_DROPPED_RUNNING
        );
    }
}

#[test]
fn updates_reach_the_client_and_are_acknowledged() {
    let mut pair = Pair::synced();
    pair.client.invoke(ping(1));
    pair.run();
    let update = query(16, 40);
    pair.server.push_update(update.clone());
    pair.run();
    assert!(pair.client_events.contains(&ClientEvent::Update(update)));
    pair.server.on_connection_attached();
    assert!(pair.server.poll_transmit_plaintext(pair.now).is_none());
}

#[test]
fn too_many_pending_calls_are_refused_with_flood_wait() {
    let server = ServerConfig {
        max_pending_calls: 2,
        ..ServerConfig::default()
    };
    let mut pair = Pair::with(ClientConfig::default(), server, current_salt(START), 0);
    pair.handler = Box::new(|_| None);
    let requests: Vec<_> = (0..3)
        .map(|i| pair.client.invoke(query(20 + i, 0)))
        .collect();
    pair.run();
    assert_eq!(pair.held.len(), 2);
    assert_eq!(
        pair.results(),
        vec![(requests[2], Err(RpcError::new(420, "FLOOD_WAIT_1")))]
    );
}
