//! Private messages through `Api::handle`: sending (with pushes and random id
//! repeats), history paging, the chat list, read receipts on both sides, and
//! replaying the update log with `updates.getDifference`.

mod common;

use chappe_api::{PushTarget, SessionRef};
use chappe_tl::api::{enums, functions, types};
use common::requests::{hashes, history_page as history, send, user_peer as peer};
use common::{fixture, Fixture, NOW};

const KEY_A: i64 = 1;
const KEY_B: i64 = 2;

/// `target` as `viewer` names them.
fn difference(pts: i32, limit: Option<i32>) -> functions::updates::GetDifference {
    functions::updates::GetDifference {
        pts,
        pts_limit: limit,
        pts_total_limit: None,
        date: NOW as i32,
        qts: 0,
        qts_limit: None,
    }
}

async fn two_users() -> (Fixture, i64, i64) {
    let f = fixture();
    let a = f.login("9996611001", KEY_A).await;
    let b = f.login("9996611002", KEY_B).await;
    f.fanout.take();
    (f, a, b)
}

fn sent_of(updates: &enums::Updates) -> &types::UpdateShortSentMessage {
    match updates {
        enums::Updates::UpdateShortSentMessage(s) => s,
        other => panic!("not updateShortSentMessage: {other:?}"),
    }
}

fn ids_of(messages: &enums::messages::Messages) -> (Vec<i32>, Option<i32>) {
    let (list, count) = match messages {
        enums::messages::Messages::Messages(m) => (&m.messages, None),
        enums::messages::Messages::MessagesSlice(m) => (&m.messages, Some(m.count)),
        other => panic!("unexpected {other:?}"),
    };
    let ids = list
        .iter()
        .map(|m| match m {
            enums::Message::Message(m) => m.id,
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    (ids, count)
}

async fn send_n(f: &Fixture, a: i64, b: i64, n: i64) {
    for i in 0..n {
        let _: enums::Updates = f
            .ok(KEY_A, Some(a), send(peer(a, b), &format!("m{i}"), 1000 + i))
            .await;
    }
}

#[tokio::test]
async fn send_answers_the_sender_and_pushes_both_sides() {
    let (f, a, b) = two_users().await;
    let result: enums::Updates = f.ok(KEY_A, Some(a), send(peer(a, b), "hello", 5)).await;
    let sent = sent_of(&result);
    assert_eq!(
        (sent.id, sent.pts, sent.pts_count, sent.out),
        (1, 1, 1, true)
    );
    assert_eq!(sent.date, NOW as i32);

    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 2, "{pushed:?}");
    let (target, update) = &pushed[0];
    assert_eq!(
        target,
        &PushTarget::User {
            user_id: a,
            except: Some(SessionRef {
                auth_key_id: KEY_A,
                session_id: 1
            })
        }
    );
    let enums::Updates::UpdateShortMessage(mine) = update else {
        panic!("{update:?}");
    };
    assert_eq!((mine.out, mine.user_id, mine.id), (true, b, 1));
    let (target, update) = &pushed[1];
    assert_eq!(
        target,
        &PushTarget::User {
            user_id: b,
            except: None
        }
    );
    let enums::Updates::UpdateShortMessage(theirs) = update else {
        panic!("{update:?}");
    };
    assert_eq!(
        (
            theirs.out,
            theirs.user_id,
            theirs.id,
            theirs.pts,
            theirs.message.as_str()
        ),
        (false, a, 1, 1, "hello")
    );

    // The same random id again: the first answer, nothing stored or pushed.
    let again: enums::Updates = f.ok(KEY_A, Some(a), send(peer(a, b), "hello", 5)).await;
    assert_eq!(sent_of(&again), sent);
    assert!(f.fanout.take().is_empty());
    let enums::updates::State::State(state) =
        f.ok(KEY_B, Some(b), functions::updates::GetState).await;
    assert_eq!((state.pts, state.unread_count), (1, 1));
}

#[tokio::test]
async fn send_checks_peer_and_text() {
    let (f, a, b) = two_users().await;
    let wrong = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: b,
        access_hash: hashes().for_user(a, b) ^ 1,
    });
    assert_eq!(
        f.err(KEY_A, Some(a), send(wrong, "x", 1)).await,
        "PEER_ID_INVALID"
    );
    // B's hash for A is not A's hash for B.
    let borrowed = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: b,
        access_hash: hashes().for_user(b, b),
    });
    assert_eq!(
        f.err(KEY_A, Some(a), send(borrowed, "x", 1)).await,
        "PEER_ID_INVALID"
    );
    let chat = enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id: 5 });
    assert_eq!(
        f.err(KEY_A, Some(a), send(chat, "x", 1)).await,
        "PEER_ID_INVALID"
    );
    assert_eq!(
        f.err(KEY_A, Some(a), send(peer(a, b), "  ", 1)).await,
        "MESSAGE_EMPTY"
    );
    let long = "x".repeat(4097);
    assert_eq!(
        f.err(KEY_A, Some(a), send(peer(a, b), &long, 1)).await,
        "MESSAGE_TOO_LONG"
    );
    let _: enums::Updates = f
        .ok(KEY_A, Some(a), send(peer(a, b), &"x".repeat(4096), 2))
        .await;

    // Saved Messages: one copy, out.
    let saved: enums::Updates = f
        .ok(
            KEY_A,
            Some(a),
            send(
                enums::InputPeer::InputPeerSelf(types::InputPeerSelf),
                "note",
                3,
            ),
        )
        .await;
    assert_eq!((sent_of(&saved).id, sent_of(&saved).pts), (2, 2));
}

#[tokio::test]
async fn history_pages_like_telegram() {
    let (f, a, b) = two_users().await;
    send_n(&f, a, b, 10).await;
    // A's box: ids 1..=10.
    let page: enums::messages::Messages = f.ok(KEY_A, Some(a), history(peer(a, b), 0, 0, 3)).await;
    assert_eq!(ids_of(&page), (vec![10, 9, 8], Some(10)));
    let page: enums::messages::Messages = f.ok(KEY_A, Some(a), history(peer(a, b), 8, 0, 3)).await;
    assert_eq!(ids_of(&page), (vec![7, 6, 5], Some(10)));
    let page: enums::messages::Messages = f.ok(KEY_A, Some(a), history(peer(a, b), 8, 2, 3)).await;
    assert_eq!(ids_of(&page), (vec![5, 4, 3], Some(10)));
    // A negative add_offset reaches newer messages, the offset one included.
    let page: enums::messages::Messages = f.ok(KEY_A, Some(a), history(peer(a, b), 5, -2, 4)).await;
    assert_eq!(ids_of(&page), (vec![6, 5, 4, 3], Some(10)));
    let page: enums::messages::Messages =
        f.ok(KEY_A, Some(a), history(peer(a, b), 10, -3, 4)).await;
    assert_eq!(ids_of(&page), (vec![10, 9], Some(10)));
    let page: enums::messages::Messages = f.ok(KEY_A, Some(a), history(peer(a, b), 3, 0, 5)).await;
    assert_eq!(ids_of(&page), (vec![2, 1], Some(10)));
    let page: enums::messages::Messages = f
        .ok(
            KEY_A,
            Some(a),
            functions::messages::GetHistory {
                max_id: 9,
                min_id: 4,
                ..history(peer(a, b), 0, 0, 100)
            },
        )
        .await;
    assert_eq!(ids_of(&page), (vec![8, 7, 6, 5], Some(10)));
    // All of it: a plain messages.messages with the users.
    let page: enums::messages::Messages =
        f.ok(KEY_A, Some(a), history(peer(a, b), 0, 0, 100)).await;
    assert_eq!(ids_of(&page).1, None);
    let enums::messages::Messages::Messages(all) = page else {
        panic!()
    };
    assert_eq!(all.messages.len(), 10);
    let mut users: Vec<i64> = all.users.iter().map(|u| common::user_of(u).id).collect();
    users.sort_unstable();
    assert_eq!(users, vec![a, b]);
    // B sees incoming messages with from_id set and peer_id = A.
    let page: enums::messages::Messages = f.ok(KEY_B, Some(b), history(peer(b, a), 0, 0, 1)).await;
    let enums::messages::Messages::MessagesSlice(slice) = page else {
        panic!()
    };
    let Some(enums::Message::Message(m)) = slice.messages.first() else {
        panic!()
    };
    assert!(!m.out);
    assert_eq!(m.message, "m9");
    assert_eq!(
        m.from_id,
        Some(enums::Peer::PeerUser(types::PeerUser { user_id: a }))
    );
    assert_eq!(
        m.peer_id,
        enums::Peer::PeerUser(types::PeerUser { user_id: a })
    );
}

#[tokio::test]
async fn dialogs_and_read_history_on_both_sides() {
    let (f, a, b) = two_users().await;
    let c = f.login("9996611003", 3).await;
    send_n(&f, a, b, 3).await;
    let _: enums::Updates = f.ok(3, Some(c), send(peer(c, b), "from c", 1)).await;
    f.fanout.take();

    let dialogs: enums::messages::Dialogs = f
        .ok(
            KEY_B,
            Some(b),
            functions::messages::GetDialogs {
                exclude_pinned: false,
                folder_id: None,
                offset_date: 0,
                offset_id: 0,
                offset_peer: enums::InputPeer::InputPeerEmpty(types::InputPeerEmpty),
                limit: 10,
                hash: 0,
            },
        )
        .await;
    let enums::messages::Dialogs::Dialogs(list) = dialogs else {
        panic!("{dialogs:?}")
    };
    let summary: Vec<(enums::Peer, i32, i32)> = list
        .dialogs
        .iter()
        .map(|d| match d {
            enums::Dialog::Dialog(d) => (d.peer.clone(), d.top_message, d.unread_count),
            other => panic!("{other:?}"),
        })
        .collect();
    // Dialogs come newest first (same second: the higher top message wins).
    assert_eq!(
        summary,
        vec![
            (enums::Peer::PeerUser(types::PeerUser { user_id: c }), 4, 1),
            (enums::Peer::PeerUser(types::PeerUser { user_id: a }), 3, 3),
        ]
    );
    assert_eq!(list.messages.len(), 2);
    assert_eq!(list.users.len(), 2);
    let paged: enums::messages::Dialogs = f
        .ok(
            KEY_B,
            Some(b),
            functions::messages::GetDialogs {
                exclude_pinned: false,
                folder_id: None,
                offset_date: NOW as i32,
                offset_id: 4,
                offset_peer: peer(b, c),
                limit: 1,
                hash: 0,
            },
        )
        .await;
    let enums::messages::Dialogs::DialogsSlice(slice) = paged else {
        panic!("{paged:?}")
    };
    assert_eq!(slice.count, 2);
    assert_eq!(slice.dialogs.len(), 1);

    // B reads A's messages up to 2.
    let affected: enums::messages::AffectedMessages = f
        .ok(
            KEY_B,
            Some(b),
            functions::messages::ReadHistory {
                peer: peer(b, a),
                max_id: 2,
            },
        )
        .await;
    let enums::messages::AffectedMessages::AffectedMessages(affected) = affected;
    assert_eq!((affected.pts, affected.pts_count), (5, 1));
    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 2, "{pushed:?}");
    let outbox = pushed
        .iter()
        .find(|(t, _)| matches!(t, PushTarget::User { user_id, .. } if *user_id == a))
        .expect("pushed to A");
    let enums::Updates::Updates(u) = &outbox.1 else {
        panic!()
    };
    assert_eq!(
        u.updates,
        vec![enums::Update::UpdateReadHistoryOutbox(
            types::UpdateReadHistoryOutbox {
                peer: enums::Peer::PeerUser(types::PeerUser { user_id: b }),
                max_id: 2,
                pts: 4,
                pts_count: 1,
            }
        )]
    );
    let enums::updates::State::State(state) =
        f.ok(KEY_B, Some(b), functions::updates::GetState).await;
    assert_eq!((state.pts, state.unread_count), (5, 2));

    // A sees its outbox read in the dialog.
    let peers: enums::messages::PeerDialogs = f
        .ok(
            KEY_A,
            Some(a),
            functions::messages::GetPeerDialogs {
                peers: vec![enums::InputDialogPeer::InputDialogPeer(
                    types::InputDialogPeer { peer: peer(a, b) },
                )],
            },
        )
        .await;
    let enums::messages::PeerDialogs::PeerDialogs(peers) = peers;
    let Some(enums::Dialog::Dialog(d)) = peers.dialogs.first() else {
        panic!()
    };
    assert_eq!((d.read_outbox_max_id, d.top_message), (2, 3));

    // getMessages on the caller's box.
    let got: enums::messages::Messages = f
        .ok(
            KEY_B,
            Some(b),
            functions::messages::GetMessages {
                id: vec![
                    enums::InputMessage::InputMessageId(types::InputMessageId { id: 4 }),
                    enums::InputMessage::InputMessageId(types::InputMessageId { id: 77 }),
                ],
            },
        )
        .await;
    assert_eq!(ids_of(&got), (vec![4], None));
}

#[tokio::test]
async fn difference_replays_the_log_in_slices() {
    let (f, a, b) = two_users().await;
    let enums::updates::Difference::DifferenceEmpty(_) =
        f.ok(KEY_B, Some(b), difference(0, None)).await
    else {
        panic!("a fresh box has nothing to replay")
    };
    send_n(&f, a, b, 5).await;
    let _: enums::messages::AffectedMessages = f
        .ok(
            KEY_B,
            Some(b),
            functions::messages::ReadHistory {
                peer: peer(b, a),
                max_id: 0,
            },
        )
        .await;
    // B's log: 5 new messages then the read (pts 6).
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(0, None)).await;
    let enums::updates::Difference::Difference(d) = diff else {
        panic!("{diff:?}")
    };
    let texts: Vec<String> = d
        .new_messages
        .iter()
        .map(|m| match m {
            enums::Message::Message(m) => m.message.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(texts, vec!["m0", "m1", "m2", "m3", "m4"]);
    assert_eq!(d.other_updates.len(), 1);
    assert!(matches!(
        d.other_updates[0],
        enums::Update::UpdateReadHistoryInbox(ref u) if u.max_id == 5 && u.pts == 6
    ));
    let enums::updates::State::State(state) = &d.state;
    assert_eq!(state.pts, 6);
    assert_eq!(common::user_of(&d.users[0]).id, a);

    // A limit of 2 makes slices whose intermediate states walk the log.
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(1, Some(2))).await;
    let enums::updates::Difference::DifferenceSlice(s) = diff else {
        panic!("{diff:?}")
    };
    assert_eq!(s.new_messages.len(), 2);
    let enums::updates::State::State(mid) = &s.intermediate_state;
    assert_eq!(mid.pts, 3);
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(5, Some(2))).await;
    assert!(
        matches!(diff, enums::updates::Difference::Difference(_)),
        "{diff:?}"
    );

    // pts_total_limit: a client further behind than it is willing to replay is told to
    // reload instead (differenceTooLong with the box's pts).
    let mut far_behind = difference(1, None);
    far_behind.pts_total_limit = Some(3);
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), far_behind).await;
    assert!(
        matches!(diff, enums::updates::Difference::DifferenceTooLong(ref t) if t.pts == 6),
        "{diff:?}"
    );
    let mut near = difference(3, None);
    near.pts_total_limit = Some(3);
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), near).await;
    assert!(
        matches!(diff, enums::updates::Difference::Difference(_)),
        "{diff:?}"
    );

    // Up to date, ahead of the box, and impossible.
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(6, None)).await;
    assert!(matches!(
        diff,
        enums::updates::Difference::DifferenceEmpty(_)
    ));
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(60, None)).await;
    let enums::updates::Difference::Difference(ahead) = diff else {
        panic!("{diff:?}")
    };
    let enums::updates::State::State(state) = &ahead.state;
    assert_eq!(state.pts, 6);
    assert!(ahead.new_messages.is_empty());
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(-1, None)).await;
    assert!(matches!(
        diff,
        enums::updates::Difference::DifferenceTooLong(types::updates::DifferenceTooLong { pts: 6 })
    ));
}

#[tokio::test]
async fn service_messages_come_from_777000() {
    let (f, _a, b) = two_users().await;
    f.api
        .send_service_message(b, "Login code: 12345", NOW)
        .await
        .expect("sent");
    let pushed = f.fanout.take();
    let [(PushTarget::User { user_id, .. }, enums::Updates::UpdateShortMessage(m))] =
        pushed.as_slice()
    else {
        panic!("{pushed:?}")
    };
    assert_eq!((*user_id, m.user_id, m.out), (b, 777_000, false));
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(0, None)).await;
    let enums::updates::Difference::Difference(d) = diff else {
        panic!("{diff:?}")
    };
    let service = common::user_of(&d.users[0]);
    assert_eq!(
        (service.id, service.first_name.as_deref()),
        (777_000, Some("Telegram"))
    );
    // The hash B was given for 777000 works for getHistory.
    let to_service = enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: 777_000,
        access_hash: service.access_hash.expect("hash"),
    });
    let page: enums::messages::Messages = f.ok(KEY_B, Some(b), history(to_service, 0, 0, 10)).await;
    assert_eq!(ids_of(&page), (vec![1], None));
}
