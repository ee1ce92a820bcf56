//! Acknowledged means durable: a server killed with SIGKILL in the middle of a stream of
//! `messages.sendMessage` calls loses none of the messages it answered. After a restart on
//! the same data directory, both users' histories hold every acknowledged message, the
//! sender's copy under the very id the answer gave, the random ids still deduplicate, and
//! both update logs resume at or past every pts handed out before the kill.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chappe_client::{Client, Update};
use chappe_tl::api::{enums, functions, types};

use super::support::{within, TestServer};

/// Concurrent sending tasks on the sender's connection.
const SENDERS: i64 = 4;
/// Acknowledged messages to wait for before the kill.
const ACKED_BEFORE_KILL: usize = 200;
/// Sender, recipient: test numbers with their codes (accounts made on first sign-in).
const ALICE: (&str, &str) = ("9996610001", "11111");
const BOB: (&str, &str) = ("9996610002", "11111");

/// One send the server answered.
#[derive(Debug, Clone)]
struct Ack {
    random_id: i64,
    text: String,
    id: i32,
    pts: i32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_survive_a_kill_9() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let alice = log_in(&server, ALICE).await;
    let bob = log_in(&server, BOB).await;
    let bob_pts_before = pts(&bob).await;
    let alice_pts_before = pts(&alice).await;
    let to_bob = resolve(&alice, BOB.0).await;

    // Bob reads his pushes while the load runs, to know the last pts he was shown.
    let mut bob_updates = bob.take_updates().expect("updates channel");
    let bob_seen = tokio::spawn(async move {
        let mut max_pts = 0;
        while let Some(update) = bob_updates.recv().await {
            if let Update::Updates(updates) = update {
                if let enums::Updates::UpdateShortMessage(m) = *updates {
                    max_pts = max_pts.max(m.pts);
                }
            }
        }
        max_pts
    });

    let acked = Arc::new(Mutex::new(Vec::<Ack>::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for task in 0..SENDERS {
        let (alice, to_bob, acked, killed) =
            (alice.clone(), to_bob.clone(), acked.clone(), killed.clone());
        tasks.push(tokio::spawn(async move {
            for n in 0i64.. {
                let random_id = (task << 32) | n;
                let text = format!("durable {task} {n}");
                match alice.invoke(&send(&to_bob, &text, random_id)).await {
                    Ok(enums::Updates::UpdateShortSentMessage(sent)) => {
                        lock(&acked).push(Ack {
                            random_id,
                            text,
                            id: sent.id,
                            pts: sent.pts,
                        });
                    }
                    Ok(other) => panic!("messages.sendMessage answered {other:?}"),
                    // The only way out: the server went away under the load.
                    Err(e) if killed.load(Ordering::SeqCst) => return e,
                    Err(e) => panic!("a send failed before the kill: {e}"),
                }
            }
            unreachable!("the sender loop ends only on an error")
        }));
    }

    let started = Instant::now();
    while lock(&acked).len() < ACKED_BEFORE_KILL {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "only {} sends acknowledged in 60 s",
            lock(&acked).len()
        );
        assert!(
            !tasks.iter().any(|t| t.is_finished()),
            "a sender stopped before the kill"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    killed.store(true, Ordering::SeqCst);
    let data_dir = server.kill();
    for task in tasks {
        let error = within("a sender noticing the kill", task)
            .await
            .expect("sender task");
        eprintln!("sender stopped by the kill: {error}");
    }
    let acked = lock(&acked).clone();
    let bob_seen_pts = within("Bob's update reader ending", bob_seen)
        .await
        .expect("reader task");
    let alice_key = (alice.auth_key().clone(), alice.salt());
    let bob_key = (bob.auth_key().clone(), bob.salt());
    drop((alice, bob));

    let server = TestServer::start(&data_dir);
    let alice = server
        .connect(server.config().resume(alice_key.0, alice_key.1))
        .await;
    let bob = server
        .connect(server.config().resume(bob_key.0, bob_key.1))
        .await;

    // Update logs: every acked send moved both boxes one pts forward, in one commit.
    let last_acked_pts = acked.iter().map(|a| a.pts).max().unwrap_or(0);
    let alice_pts = pts(&alice).await;
    let bob_pts = pts(&bob).await;
    assert!(
        alice_pts >= last_acked_pts,
        "Alice's pts went back from {last_acked_pts} to {alice_pts}"
    );
    assert!(
        alice_pts >= alice_pts_before + acked.len() as i32,
        "Alice's pts {alice_pts} < {alice_pts_before} + {} acknowledged sends",
        acked.len()
    );
    assert!(
        bob_pts >= bob_seen_pts,
        "Bob's pts went back from {bob_seen_pts} to {bob_pts}"
    );
    assert!(
        bob_pts >= bob_pts_before + acked.len() as i32,
        "Bob's pts {bob_pts} < {bob_pts_before} + {} acknowledged sends",
        acked.len()
    );

    // Alice's box: every acknowledged message, under the id its answer gave.
    let alice_history = history(&alice, &to_bob).await;
    let mut missing = Vec::new();
    for ack in &acked {
        match alice_history.get(&ack.text) {
            Some(&(id, out)) => {
                assert_eq!(id, ack.id, "{:?} stored under another id", ack.text);
                assert!(out, "{:?} is not outgoing in Alice's box", ack.text);
            }
            None => missing.push(&ack.text),
        }
    }
    assert!(
        missing.is_empty(),
        "acknowledged but lost in Alice's box: {missing:?}"
    );

    // Bob's box: his copy of each of them.
    let to_alice = resolve(&bob, ALICE.0).await;
    let bob_history = history(&bob, &to_alice).await;
    let missing: Vec<_> = acked
        .iter()
        .filter(|ack| !matches!(bob_history.get(&ack.text), Some(&(_, false))))
        .map(|ack| &ack.text)
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but lost in Bob's box: {missing:?}"
    );

    // Random ids were stored with their messages: sending one again is not a new message.
    let first = &acked[0];
    let again = within(
        "resending an acknowledged random id",
        alice.invoke(&send(&to_bob, &first.text, first.random_id)),
    )
    .await
    .expect("a repeated send is answered");
    let enums::Updates::UpdateShortSentMessage(again) = again else {
        panic!("a repeated send answered {again:?}");
    };
    assert_eq!(
        again.id, first.id,
        "the repeated random id made a new message"
    );
    eprintln!(
        "{} acknowledged messages survived the kill (box sizes after restart: Alice {}, Bob {})",
        acked.len(),
        alice_history.len(),
        bob_history.len()
    );
}

/// A new connection logged in as a test number, having made one call as that user.
async fn log_in(server: &TestServer, (phone, code): (&str, &str)) -> Client {
    let client = server.connect(server.config()).await;
    let authorization = within(
        "auth.sendCode + auth.signIn",
        client.sign_in_with_code(phone, code),
    )
    .await
    .expect("logged in");
    assert!(
        matches!(authorization, enums::auth::Authorization::Authorization(_)),
        "auth.signIn answered {authorization:?}"
    );
    client
}

/// The box's pts as updates.getState reports it.
async fn pts(client: &Client) -> i32 {
    let enums::updates::State::State(state) = within(
        "updates.getState",
        client.invoke(&functions::updates::GetState),
    )
    .await
    .expect("updates.getState");
    state.pts
}

/// The user behind `phone`, with the access hash `client` sees.
async fn resolve(client: &Client, phone: &str) -> enums::InputPeer {
    let resolved = within(
        "contacts.resolvePhone",
        client.invoke(&functions::contacts::ResolvePhone {
            phone: phone.to_owned(),
        }),
    )
    .await
    .expect("contacts.resolvePhone");
    let enums::contacts::ResolvedPeer::ResolvedPeer(resolved) = resolved;
    let Some(enums::User::User(user)) = resolved.users.first() else {
        panic!("contacts.resolvePhone returned no user: {resolved:?}");
    };
    enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: user.id,
        access_hash: user.access_hash.expect("an access hash"),
    })
}

fn send(peer: &enums::InputPeer, text: &str, random_id: i64) -> functions::messages::SendMessage {
    chappe_client::requests::send_text(peer.clone(), text, random_id)
}

/// Every message of the chat with `peer`, newest first page by page: text → (id, out).
async fn history(client: &Client, peer: &enums::InputPeer) -> HashMap<String, (i32, bool)> {
    let mut all = HashMap::new();
    let mut offset_id = 0;
    loop {
        let page = within(
            "messages.getHistory",
            client.invoke(&functions::messages::GetHistory {
                peer: peer.clone(),
                offset_id,
                offset_date: 0,
                add_offset: 0,
                limit: 100,
                max_id: 0,
                min_id: 0,
                hash: 0,
            }),
        )
        .await
        .expect("messages.getHistory");
        let messages = match page {
            enums::messages::Messages::Messages(m) => m.messages,
            enums::messages::Messages::MessagesSlice(m) => m.messages,
            other => panic!("messages.getHistory answered {other:?}"),
        };
        let mut oldest = None;
        for message in messages {
            if let enums::Message::Message(m) = message {
                oldest = Some(oldest.map_or(m.id, |o: i32| o.min(m.id)));
                all.insert(m.message, (m.id, m.out));
            }
        }
        match oldest {
            Some(id) if id != offset_id => offset_id = id,
            _ => return all,
        }
    }
}

/// A poisoned lock only means another task panicked, which fails the test anyway.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
