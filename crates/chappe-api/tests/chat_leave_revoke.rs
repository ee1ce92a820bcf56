//! `messages.deleteChatUser` with `revoke_history` through `Api::handle`:
//! a member leaving clears their own copy of the group's history (the
//! others keep theirs); removing someone else with it is not done yet.

mod common;

use chappe_store::{HistoryQuery, Peer};
use chappe_tl::api::{enums, functions};
use common::fixture;
use common::requests::{chat_peer, input_user as user, send};

#[tokio::test]
async fn leaving_with_revoke_history_clears_only_the_leavers_box() {
    let f = fixture();
    let a = f.login("9996621601", 1).await;
    let b = f.login("9996621602", 2).await;
    let c = f.login("9996621603", 3).await;
    let chat = f
        .create_chat(1, a, "Leavers", vec![user(a, b), user(a, c)])
        .await;
    let chat_id = chat.id;
    for (random_id, (key, by, text)) in [(1, a, "hi"), (2, b, "hello"), (1, a, "bye")]
        .into_iter()
        .enumerate()
    {
        let random_id = i64::try_from(random_id).expect("small") + 1;
        let _: enums::Updates = f
            .ok(key, Some(by), send(chat_peer(chat_id), text, random_id))
            .await;
    }
    let history = |owner: i64| {
        let store = f.store.clone();
        async move {
            store
                .history(
                    owner,
                    HistoryQuery {
                        peer: Peer::Chat(chat_id),
                        below: None,
                        above: None,
                        newest_first: true,
                        limit: 100,
                    },
                )
                .await
                .expect("history")
        }
    };
    let kept_by_a = history(a).await.len();
    assert!(history(b).await.len() >= 4);

    // Removing someone else with their history is refused, not half done.
    assert_eq!(
        f.err(
            1,
            Some(a),
            functions::messages::DeleteChatUser {
                revoke_history: true,
                chat_id,
                user_id: user(a, c),
            }
        )
        .await,
        "METHOD_NOT_IMPLEMENTED"
    );

    f.fanout.set_online(b);
    f.fanout.take();
    let left: enums::Updates = f
        .ok(
            2,
            Some(b),
            functions::messages::DeleteChatUser {
                revoke_history: true,
                chat_id,
                user_id: user(b, b),
            },
        )
        .await;
    let enums::Updates::Updates(left) = left else {
        panic!("not updates");
    };
    let deleted: Vec<i32> = left
        .updates
        .iter()
        .filter_map(|u| match u {
            enums::Update::UpdateDeleteMessages(d) => Some(d.messages.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(!deleted.is_empty());
    assert!(history(b).await.is_empty());
    assert_eq!(
        f.store
            .get_dialog(b, Peer::Chat(chat_id))
            .await
            .expect("dialog"),
        None
    );
    // The box's pts moved past the delete entries the result names.
    let state = f.store.box_state(b).await.expect("state");
    let last = left
        .updates
        .iter()
        .filter_map(|u| match u {
            enums::Update::UpdateDeleteMessages(d) => Some(d.pts),
            _ => None,
        })
        .max();
    assert_eq!(last, Some(state.pts));
    // The others keep their copies (plus the "left" service message).
    assert_eq!(history(a).await.len(), kept_by_a + 1);
    let members = f.store.chat_participants(chat_id).await.expect("members");
    assert!(!members.iter().any(|p| p.user_id == b));
}
