//! Changing private messages through `Api::handle`: edits, deletes (with and
//! without revoke, whole histories), forwards, search, drafts, pinned
//! dialogs and typing, with the pushes each makes and what
//! `updates.getDifference` replays afterwards.

mod common;

use chappe_api::{PushTarget, SessionRef};
use chappe_tl::api::{enums, functions, types};
use common::requests::{history, send, user_peer as peer};
use common::{fixture, Fixture, NOW};

const KEY_A: i64 = 1;
const KEY_B: i64 = 2;
const KEY_C: i64 = 3;

fn edit(to: enums::InputPeer, id: i32, text: &str) -> functions::messages::EditMessage {
    functions::messages::EditMessage {
        no_webpage: false,
        invert_media: false,
        peer: to,
        id,
        message: Some(text.into()),
        media: None,
        reply_markup: None,
        entities: None,
        schedule_date: None,
        schedule_repeat_period: None,
        quick_reply_shortcut_id: None,
        rich_message: None,
    }
}

fn delete(ids: Vec<i32>, revoke: bool) -> functions::messages::DeleteMessages {
    functions::messages::DeleteMessages { revoke, id: ids }
}

fn difference(pts: i32) -> functions::updates::GetDifference {
    functions::updates::GetDifference {
        pts,
        pts_limit: None,
        pts_total_limit: None,
        date: NOW as i32,
        qts: 0,
        qts_limit: None,
    }
}

fn dialogs_req(exclude_pinned: bool) -> functions::messages::GetDialogs {
    functions::messages::GetDialogs {
        exclude_pinned,
        folder_id: None,
        offset_date: 0,
        offset_id: 0,
        offset_peer: enums::InputPeer::InputPeerEmpty(types::InputPeerEmpty),
        limit: 10,
        hash: 0,
    }
}

fn search(
    to: enums::InputPeer,
    q: &str,
    filter: enums::MessagesFilter,
) -> functions::messages::Search {
    functions::messages::Search {
        peer: to,
        q: q.into(),
        from_id: None,
        saved_peer_id: None,
        saved_reaction: None,
        top_msg_id: None,
        filter,
        min_date: 0,
        max_date: 0,
        offset_id: 0,
        add_offset: 0,
        limit: 20,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
}

fn forward(
    from: enums::InputPeer,
    ids: Vec<i32>,
    random_ids: Vec<i64>,
    to: enums::InputPeer,
) -> functions::messages::ForwardMessages {
    functions::messages::ForwardMessages {
        silent: false,
        background: false,
        with_my_score: false,
        drop_author: false,
        drop_media_captions: false,
        noforwards: false,
        allow_paid_floodskip: false,
        from_ephemeral: false,
        from_peer: from,
        id: ids,
        random_id: random_ids,
        to_peer: to,
        top_msg_id: None,
        reply_to: None,
        schedule_date: None,
        schedule_repeat_period: None,
        send_as: None,
        quick_reply_shortcut: None,
        effect: None,
        video_timestamp: None,
        allow_paid_stars: None,
        suggested_post: None,
    }
}

fn save_draft(to: enums::InputPeer, text: &str) -> functions::messages::SaveDraft {
    functions::messages::SaveDraft {
        no_webpage: false,
        invert_media: false,
        reply_to: None,
        peer: to,
        message: text.into(),
        entities: None,
        media: None,
        effect: None,
        suggested_post: None,
        rich_message: None,
    }
}

fn dialog_peer(viewer: i64, target: i64) -> enums::InputDialogPeer {
    enums::InputDialogPeer::InputDialogPeer(types::InputDialogPeer {
        peer: peer(viewer, target),
    })
}

async fn three_users() -> (Fixture, i64, i64, i64) {
    let f = fixture();
    let a = f.login("9996612001", KEY_A).await;
    let b = f.login("9996612002", KEY_B).await;
    let c = f.login("9996612003", KEY_C).await;
    f.fanout.take();
    (f, a, b, c)
}

async fn send_ok(f: &Fixture, key: i64, from: i64, to: i64, text: &str, random_id: i64) {
    let _: enums::Updates = f
        .ok(key, Some(from), send(peer(from, to), text, random_id))
        .await;
}

fn own(key: i64) -> Option<SessionRef> {
    Some(SessionRef {
        auth_key_id: key,
        session_id: 1,
    })
}

fn message_of(m: &enums::Message) -> &types::Message {
    match m {
        enums::Message::Message(m) => m,
        other => panic!("not a message: {other:?}"),
    }
}

fn updates_list(u: &enums::Updates) -> &[enums::Update] {
    match u {
        enums::Updates::Updates(u) => &u.updates,
        other => panic!("not updates: {other:?}"),
    }
}

fn messages_of(m: &enums::messages::Messages) -> (Vec<&types::Message>, Option<i32>) {
    let (list, count) = match m {
        enums::messages::Messages::Messages(m) => (&m.messages, None),
        enums::messages::Messages::MessagesSlice(m) => (&m.messages, Some(m.count)),
        other => panic!("unexpected {other:?}"),
    };
    (list.iter().map(message_of).collect(), count)
}

fn other_updates(d: &enums::updates::Difference) -> &[enums::Update] {
    match d {
        enums::updates::Difference::Difference(d) => &d.other_updates,
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn edit_changes_both_copies_and_pushes_both_sides() {
    let (f, a, b, _) = three_users().await;
    send_ok(&f, KEY_A, a, b, "helo", 1).await;
    f.fanout.take();

    let result: enums::Updates = f.ok(KEY_A, Some(a), edit(peer(a, b), 1, "hello")).await;
    let [enums::Update::UpdateEditMessage(u)] = updates_list(&result) else {
        panic!("{result:?}");
    };
    let m = message_of(&u.message);
    assert_eq!((m.id, m.message.as_str(), m.out), (1, "hello", true));
    assert_eq!(m.edit_date, Some(NOW as i32));
    assert_eq!((u.pts, u.pts_count), (2, 1));

    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 2, "{pushed:?}");
    assert_eq!(
        pushed[0].0,
        PushTarget::User {
            user_id: a,
            except: own(KEY_A)
        }
    );
    assert_eq!(
        pushed[1].0,
        PushTarget::User {
            user_id: b,
            except: None
        }
    );
    let [enums::Update::UpdateEditMessage(theirs)] = updates_list(&pushed[1].1) else {
        panic!("{pushed:?}");
    };
    let tm = message_of(&theirs.message);
    assert_eq!((tm.id, tm.message.as_str(), tm.out), (1, "hello", false));
    assert_eq!((theirs.pts, theirs.pts_count), (2, 1));

    // The recipient's log replays the edit with the new text.
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(1)).await;
    let [enums::Update::UpdateEditMessage(replayed)] = other_updates(&diff) else {
        panic!("{diff:?}");
    };
    assert_eq!(message_of(&replayed.message).message, "hello");

    assert_eq!(
        f.err(KEY_A, Some(a), edit(peer(a, b), 1, "hello")).await,
        "MESSAGE_NOT_MODIFIED"
    );
    assert_eq!(
        f.err(KEY_B, Some(b), edit(peer(b, a), 1, "mine")).await,
        "MESSAGE_AUTHOR_REQUIRED"
    );
    assert_eq!(
        f.err(KEY_A, Some(a), edit(peer(a, b), 9, "x")).await,
        "MESSAGE_ID_INVALID"
    );
    // The message is in the chat with b, not in Saved Messages.
    let saved = enums::InputPeer::InputPeerSelf(types::InputPeerSelf);
    assert_eq!(
        f.err(KEY_A, Some(a), edit(saved, 1, "x")).await,
        "MESSAGE_ID_INVALID"
    );
    assert_eq!(
        f.err(KEY_A, Some(a), edit(peer(a, b), 1, "  ")).await,
        "MESSAGE_EMPTY"
    );
}

#[tokio::test]
async fn deletes_with_and_without_revoke() {
    let (f, a, b, _) = three_users().await;
    for i in 0..3 {
        send_ok(&f, KEY_A, a, b, &format!("m{i}"), 10 + i).await;
    }
    f.fanout.take();

    // Only the caller's copy: b keeps all three.
    let r: enums::messages::AffectedMessages = f.ok(KEY_A, Some(a), delete(vec![3], false)).await;
    let enums::messages::AffectedMessages::AffectedMessages(r) = r;
    assert_eq!((r.pts, r.pts_count), (4, 1));
    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 1);
    assert_eq!(
        pushed[0].0,
        PushTarget::User {
            user_id: a,
            except: own(KEY_A)
        }
    );
    let b_history: enums::messages::Messages = f.ok(KEY_B, Some(b), history(peer(b, a))).await;
    assert_eq!(messages_of(&b_history).0.len(), 3);

    // Revoke: b's copy of message 1 goes too, pushed and logged in b's box.
    let r: enums::messages::AffectedMessages = f.ok(KEY_A, Some(a), delete(vec![1], true)).await;
    let enums::messages::AffectedMessages::AffectedMessages(r) = r;
    assert_eq!((r.pts, r.pts_count), (5, 1));
    let pushed = f.fanout.take();
    let to_b = pushed
        .iter()
        .find(|(t, _)| {
            *t == PushTarget::User {
                user_id: b,
                except: None,
            }
        })
        .expect("pushed to b");
    let [enums::Update::UpdateDeleteMessages(d)] = updates_list(&to_b.1) else {
        panic!("{pushed:?}");
    };
    assert_eq!((d.messages.clone(), d.pts, d.pts_count), (vec![1], 4, 1));
    let diff: enums::updates::Difference = f.ok(KEY_B, Some(b), difference(3)).await;
    let [enums::Update::UpdateDeleteMessages(d)] = other_updates(&diff) else {
        panic!("{diff:?}");
    };
    assert_eq!(d.messages, vec![1]);
    let b_history: enums::messages::Messages = f.ok(KEY_B, Some(b), history(peer(b, a))).await;
    let ids: Vec<i32> = messages_of(&b_history).0.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![3, 2]);

    // Unknown ids delete nothing.
    let r: enums::messages::AffectedMessages = f.ok(KEY_A, Some(a), delete(vec![99], true)).await;
    let enums::messages::AffectedMessages::AffectedMessages(r) = r;
    assert_eq!((r.pts, r.pts_count), (5, 0));

    // b clears the whole chat for both: the dialogs go on both sides.
    let cleared: enums::messages::AffectedHistory = f
        .ok(
            KEY_B,
            Some(b),
            functions::messages::DeleteHistory {
                just_clear: false,
                revoke: true,
                peer: peer(b, a),
                max_id: 0,
                min_date: None,
                max_date: None,
            },
        )
        .await;
    let enums::messages::AffectedHistory::AffectedHistory(h) = cleared;
    assert_eq!((h.pts_count, h.offset), (2, 0));
    for (key, user) in [(KEY_A, a), (KEY_B, b)] {
        let d: enums::messages::Dialogs = f.ok(key, Some(user), dialogs_req(false)).await;
        let enums::messages::Dialogs::Dialogs(d) = d else {
            panic!("{d:?}");
        };
        assert!(d.dialogs.is_empty(), "{d:?}");
    }
}

#[tokio::test]
async fn forwards_copy_with_the_original_author() {
    let (f, a, b, c) = three_users().await;
    send_ok(&f, KEY_A, a, b, "news", 1).await;
    f.fanout.take();

    let result: enums::Updates = f
        .ok(
            KEY_B,
            Some(b),
            forward(peer(b, a), vec![1], vec![77], peer(b, c)),
        )
        .await;
    let [enums::Update::UpdateMessageId(mid), enums::Update::UpdateNewMessage(new)] =
        updates_list(&result)
    else {
        panic!("{result:?}");
    };
    assert_eq!((mid.id, mid.random_id), (2, 77));
    let m = message_of(&new.message);
    assert_eq!((m.id, m.message.as_str()), (2, "news"));
    let Some(enums::MessageFwdHeader::MessageFwdHeader(fwd)) = &m.fwd_from else {
        panic!("no header: {m:?}");
    };
    assert_eq!(
        fwd.from_id,
        Some(enums::Peer::PeerUser(types::PeerUser { user_id: a }))
    );
    assert_eq!(fwd.date, NOW as i32);
    // The original author is among the users so clients can name them.
    let enums::Updates::Updates(u) = &result else {
        panic!()
    };
    assert!(u
        .users
        .iter()
        .any(|u| matches!(u, enums::User::User(u) if u.id == a)));

    let pushed = f.fanout.take();
    let to_c = pushed
        .iter()
        .find(|(t, _)| {
            *t == PushTarget::User {
                user_id: c,
                except: None,
            }
        })
        .expect("pushed to c");
    let [enums::Update::UpdateNewMessage(theirs)] = updates_list(&to_c.1) else {
        panic!("{pushed:?}");
    };
    assert!(message_of(&theirs.message).fwd_from.is_some());

    // A repeated random id answers the first forward and pushes nothing.
    let again: enums::Updates = f
        .ok(
            KEY_B,
            Some(b),
            forward(peer(b, a), vec![1], vec![77], peer(b, c)),
        )
        .await;
    let [enums::Update::UpdateMessageId(mid), _] = updates_list(&again) else {
        panic!("{again:?}");
    };
    assert_eq!(mid.id, 2);
    assert!(f.fanout.take().is_empty());

    let mut anonymous = forward(peer(b, a), vec![1], vec![78], peer(b, c));
    anonymous.drop_author = true;
    let result: enums::Updates = f.ok(KEY_B, Some(b), anonymous).await;
    let [_, enums::Update::UpdateNewMessage(new)] = updates_list(&result) else {
        panic!("{result:?}");
    };
    assert!(message_of(&new.message).fwd_from.is_none());

    assert_eq!(
        f.err(
            KEY_B,
            Some(b),
            forward(peer(b, a), vec![1, 1], vec![5], peer(b, c))
        )
        .await,
        "RANDOM_ID_INVALID"
    );
    assert_eq!(
        f.err(
            KEY_B,
            Some(b),
            forward(peer(b, a), vec![40], vec![5], peer(b, c))
        )
        .await,
        "MESSAGE_ID_INVALID"
    );
    assert_eq!(
        f.err(
            KEY_B,
            Some(b),
            forward(peer(b, a), vec![], vec![], peer(b, c))
        )
        .await,
        "MESSAGE_IDS_EMPTY"
    );
}

#[tokio::test]
async fn search_in_a_chat_and_across_chats() {
    let (f, a, b, c) = three_users().await;
    send_ok(&f, KEY_A, a, b, "Hello world", 1).await;
    send_ok(&f, KEY_B, b, a, "hello back", 2).await;
    send_ok(&f, KEY_A, a, b, "bye", 3).await;
    send_ok(&f, KEY_A, a, c, "HELLO c", 4).await;
    let mut linked = send(peer(a, b), "see example.org", 5);
    linked.entities = Some(vec![enums::MessageEntity::MessageEntityUrl(
        types::MessageEntityUrl {
            offset: 4,
            length: 11,
        },
    )]);
    let _: enums::Updates = f.ok(KEY_A, Some(a), linked).await;

    let empty = || enums::MessagesFilter::InputMessagesFilterEmpty(types::InputMessagesFilterEmpty);
    let found: enums::messages::Messages = f
        .ok(KEY_A, Some(a), search(peer(a, b), "hello", empty()))
        .await;
    let texts: Vec<&str> = messages_of(&found)
        .0
        .iter()
        .map(|m| m.message.as_str())
        .collect();
    assert_eq!(texts, vec!["hello back", "Hello world"]);

    let urls: enums::messages::Messages = f
        .ok(
            KEY_A,
            Some(a),
            search(
                peer(a, b),
                "",
                enums::MessagesFilter::InputMessagesFilterUrl(types::InputMessagesFilterUrl),
            ),
        )
        .await;
    let ids: Vec<i32> = messages_of(&urls).0.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![5]);
    // No media exists, so a media filter honestly finds nothing.
    let photos: enums::messages::Messages = f
        .ok(
            KEY_A,
            Some(a),
            search(
                peer(a, b),
                "",
                enums::MessagesFilter::InputMessagesFilterPhotos(types::InputMessagesFilterPhotos),
            ),
        )
        .await;
    assert!(messages_of(&photos).0.is_empty());

    let mut from_b = search(peer(a, b), "", empty());
    from_b.from_id = Some(peer(a, b));
    let only_b: enums::messages::Messages = f.ok(KEY_A, Some(a), from_b).await;
    let ids: Vec<i32> = messages_of(&only_b).0.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![2]);

    let global = |offset_id: i32, limit: i32| functions::messages::SearchGlobal {
        broadcasts_only: false,
        groups_only: false,
        users_only: false,
        folder_id: None,
        community: None,
        q: "hello".into(),
        filter: empty(),
        min_date: 0,
        max_date: 0,
        offset_rate: 0,
        offset_peer: enums::InputPeer::InputPeerEmpty(types::InputPeerEmpty),
        offset_id,
        limit,
    };
    let all: enums::messages::Messages = f.ok(KEY_A, Some(a), global(0, 2)).await;
    let (page, count) = messages_of(&all);
    let ids: Vec<i32> = page.iter().map(|m| m.id).collect();
    // a's box: 1 "Hello world", 2 "hello back", 3 "bye", 4 "HELLO c".
    assert_eq!((ids, count), (vec![4, 2], Some(3)));
    let rest: enums::messages::Messages = f.ok(KEY_A, Some(a), global(2, 2)).await;
    let ids: Vec<i32> = messages_of(&rest).0.iter().map(|m| m.id).collect();
    assert_eq!(ids, vec![1]);
}

#[tokio::test]
async fn drafts_are_kept_shown_and_cleared_by_sending() {
    let (f, a, b, _) = three_users().await;
    send_ok(&f, KEY_A, a, b, "hi", 1).await;
    f.fanout.take();

    let ok: bool = f
        .ok(KEY_A, Some(a), save_draft(peer(a, b), "half a tho"))
        .await;
    assert!(ok);
    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 1);
    assert_eq!(
        pushed[0].0,
        PushTarget::User {
            user_id: a,
            except: own(KEY_A)
        }
    );
    let enums::Updates::UpdateShort(short) = &pushed[0].1 else {
        panic!("{pushed:?}");
    };
    let enums::Update::UpdateDraftMessage(u) = &short.update else {
        panic!("{short:?}");
    };
    let enums::DraftMessage::DraftMessage(draft) = &u.draft else {
        panic!("{u:?}");
    };
    assert_eq!(draft.message, "half a tho");

    let d: enums::messages::Dialogs = f.ok(KEY_A, Some(a), dialogs_req(false)).await;
    let enums::messages::Dialogs::Dialogs(d) = d else {
        panic!("{d:?}");
    };
    let enums::Dialog::Dialog(dialog) = &d.dialogs[0] else {
        panic!()
    };
    assert!(
        matches!(&dialog.draft, Some(enums::DraftMessage::DraftMessage(x)) if x.message == "half a tho")
    );

    let all: enums::Updates = f
        .ok(KEY_A, Some(a), functions::messages::GetAllDrafts {})
        .await;
    assert_eq!(updates_list(&all).len(), 1);

    let mut sending = send(peer(a, b), "half a thought", 2);
    sending.clear_draft = true;
    let _: enums::Updates = f.ok(KEY_A, Some(a), sending).await;
    let pushed = f.fanout.take();
    assert!(pushed.iter().any(|(_, u)| matches!(u,
        enums::Updates::UpdateShort(s) if matches!(&s.update,
            enums::Update::UpdateDraftMessage(d) if matches!(d.draft, enums::DraftMessage::DraftMessageEmpty(_))))));
    let all: enums::Updates = f
        .ok(KEY_A, Some(a), functions::messages::GetAllDrafts {})
        .await;
    assert!(updates_list(&all).is_empty());

    // An empty draft clears too.
    let _: bool = f.ok(KEY_A, Some(a), save_draft(peer(a, b), "x")).await;
    let _: bool = f.ok(KEY_A, Some(a), save_draft(peer(a, b), "")).await;
    let all: enums::Updates = f
        .ok(KEY_A, Some(a), functions::messages::GetAllDrafts {})
        .await;
    assert!(updates_list(&all).is_empty());
}

#[tokio::test]
async fn pinned_dialogs_lead_the_list() {
    let (f, a, b, c) = three_users().await;
    send_ok(&f, KEY_A, a, b, "to b", 1).await;
    send_ok(&f, KEY_A, a, c, "to c", 2).await;
    f.fanout.take();

    let pin = |target: i64, pinned: bool| functions::messages::ToggleDialogPin {
        pinned,
        peer: dialog_peer(a, target),
    };
    let ok: bool = f.ok(KEY_A, Some(a), pin(b, true)).await;
    assert!(ok);
    let pushed = f.fanout.take();
    assert!(matches!(&pushed[..], [(_, enums::Updates::UpdateShort(s))]
        if matches!(&s.update, enums::Update::UpdateDialogPinned(p) if p.pinned)));

    let peers_of = |d: &enums::messages::Dialogs| -> Vec<(i64, bool)> {
        let enums::messages::Dialogs::Dialogs(d) = d else {
            panic!("{d:?}");
        };
        d.dialogs
            .iter()
            .map(|x| {
                let enums::Dialog::Dialog(x) = x else {
                    panic!()
                };
                let enums::Peer::PeerUser(u) = &x.peer else {
                    panic!()
                };
                (u.user_id, x.pinned)
            })
            .collect()
    };
    let d: enums::messages::Dialogs = f.ok(KEY_A, Some(a), dialogs_req(false)).await;
    assert_eq!(peers_of(&d), vec![(b, true), (c, false)]);
    let d: enums::messages::Dialogs = f.ok(KEY_A, Some(a), dialogs_req(true)).await;
    assert_eq!(peers_of(&d), vec![(c, false)]);

    let _: bool = f.ok(KEY_A, Some(a), pin(c, true)).await;
    let pinned: enums::messages::PeerDialogs = f
        .ok(
            KEY_A,
            Some(a),
            functions::messages::GetPinnedDialogs { folder_id: 0 },
        )
        .await;
    let enums::messages::PeerDialogs::PeerDialogs(p) = pinned;
    assert_eq!(p.dialogs.len(), 2);

    let _: bool = f
        .ok(
            KEY_A,
            Some(a),
            functions::messages::ReorderPinnedDialogs {
                force: true,
                folder_id: 0,
                order: vec![dialog_peer(a, b)],
            },
        )
        .await;
    let d: enums::messages::Dialogs = f.ok(KEY_A, Some(a), dialogs_req(false)).await;
    assert_eq!(peers_of(&d), vec![(b, true), (c, false)]);

    // No dialog with that user: nothing to pin.
    let lonely = f.login("9996612004", 9).await;
    assert_eq!(
        f.err(
            KEY_A,
            Some(a),
            functions::messages::ToggleDialogPin {
                pinned: true,
                peer: dialog_peer(a, lonely),
            }
        )
        .await,
        "PEER_ID_INVALID"
    );
}

#[tokio::test]
async fn typing_is_pushed_to_the_peer_only() {
    let (f, a, b, _) = three_users().await;
    let typing = |to: enums::InputPeer| functions::messages::SetTyping {
        peer: to,
        top_msg_id: None,
        action: enums::SendMessageAction::SendMessageTypingAction(types::SendMessageTypingAction),
    };
    let ok: bool = f.ok(KEY_A, Some(a), typing(peer(a, b))).await;
    assert!(ok);
    let pushed = f.fanout.take();
    assert_eq!(pushed.len(), 1);
    assert_eq!(
        pushed[0].0,
        PushTarget::User {
            user_id: b,
            except: None
        }
    );
    let enums::Updates::UpdateShort(s) = &pushed[0].1 else {
        panic!("{pushed:?}");
    };
    assert!(matches!(&s.update, enums::Update::UpdateUserTyping(u) if u.user_id == a));

    // Typing in Saved Messages tells nobody.
    let _: bool = f
        .ok(
            KEY_A,
            Some(a),
            typing(enums::InputPeer::InputPeerSelf(types::InputPeerSelf)),
        )
        .await;
    assert!(f.fanout.take().is_empty());
}
