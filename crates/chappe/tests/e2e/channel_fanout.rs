//! One channel post reaches a thousand subscribers: an admin creates a broadcast channel
//! with a username, 1,000 subscribers (each on its own connection with its own auth key
//! and test number) find it with `contacts.resolveUsername`, join it and make a call so
//! their sessions take pushes; the admin posts once and every subscriber must be pushed
//! `updateNewChannelMessage` with the post's text, message id and channel pts. One more
//! subscriber is offline during the post and catches up with
//! `updates.getChannelDifference` after reconnecting with its key.

use std::time::{Duration, Instant};

use chappe_client::{Client, ClientConfig, Update};
use chappe_tl::api::{enums, functions, types};
use tokio::sync::mpsc::Receiver;
use tokio::task::JoinSet;

use super::support::{within, TestServer};

/// Subscribers online during the post.
const SUBSCRIBERS: u16 = 1_000;
/// Logins and joins in flight at once: enough to keep both cores busy without queueing
/// hundreds of handshakes behind each other.
const IN_FLIGHT: usize = 64;
/// Test numbers `999663YYYY` (code 33333): subscribers from 5000 on, admin and the
/// offline subscriber just below, a range no other test uses.
const FIRST_SUBSCRIBER: u16 = 5_000;
const ADMIN: u16 = 4_990;
const OFFLINE: u16 = 4_991;
const USERNAME: &str = "fanout_e2e";
const POST: &str = "one post for a thousand subscribers";
/// Longest wait for all pushes after the post was answered.
const PUSH_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_post_reaches_a_thousand_subscribers() {
    check_open_files_limit();
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let admin = log_in(server.config(), ADMIN).await;
    let channel = create_channel(&admin).await;

    // The offline subscriber joins, learns the channel's pts, and goes away.
    let offline = log_in(server.config(), OFFLINE).await;
    let offline_channel = join(&offline).await;
    let offline_pts = channel_pts(&offline, &offline_channel, 1).await.0;
    let offline_key = (offline.auth_key().clone(), offline.salt());
    drop(offline);

    let started = Instant::now();
    let mut subscribers = subscribe_all(&server).await;
    eprintln!(
        "{SUBSCRIBERS} subscribers logged in and joined in {:.1} s ({IN_FLIGHT} in flight)",
        started.elapsed().as_secs_f64()
    );

    let post_started = Instant::now();
    let (id, pts) = post(&admin, &channel).await;
    let answered = post_started.elapsed();
    let mut waits = JoinSet::new();
    for (number, client, updates) in subscribers.drain(..) {
        waits.spawn(async move {
            let pushed = tokio::time::timeout(PUSH_TIMEOUT, pushed_post(updates)).await;
            drop(client);
            (number, pushed)
        });
    }
    let mut missing = Vec::new();
    while let Some(joined) = waits.join_next().await {
        let (number, pushed) = joined.expect("waiting task");
        match pushed {
            Ok(Some(push)) => assert_eq!(
                push,
                (channel.channel_id, id, pts, POST.to_owned()),
                "subscriber {number} was pushed another post"
            ),
            Ok(None) | Err(_) => missing.push(number),
        }
    }
    let fanned_out = post_started.elapsed();
    assert!(
        missing.is_empty(),
        "{} of {SUBSCRIBERS} subscribers got no push, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(10)]
    );
    eprintln!(
        "post answered after {:.1} ms, pushed to all {SUBSCRIBERS} subscribers after {:.1} ms",
        answered.as_secs_f64() * 1e3,
        fanned_out.as_secs_f64() * 1e3
    );

    // The offline subscriber catches up from the pts it had.
    let offline = server
        .connect(server.config().resume(offline_key.0, offline_key.1))
        .await;
    let (caught_up_pts, posts) = channel_pts(&offline, &offline_channel, offline_pts).await;
    assert_eq!(caught_up_pts, pts, "the difference ends at the post's pts");
    assert_eq!(posts, vec![(id, POST.to_owned())]);
}

/// Fails early and plainly if this process (and so the server it starts, which inherits the
/// limit) may not open a socket per subscriber, rather than with connection errors later.
fn check_open_files_limit() {
    let Ok(limits) = std::fs::read_to_string("/proc/self/limits") else {
        return;
    };
    let soft = limits
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|soft| soft.parse::<u64>().ok());
    let needed = u64::from(SUBSCRIBERS) + 200;
    if let Some(soft) = soft {
        assert!(
            soft >= needed,
            "this test opens {SUBSCRIBERS} connections: raise `ulimit -n` from {soft} to at least {needed}"
        );
    }
}

/// Test number `999663YYYY` with its code.
fn test_number(n: u16) -> (String, String) {
    (format!("999663{n:04}"), "33333".to_owned())
}

/// A new connection and auth key logged in as test number `n` (signed up on first use).
async fn log_in(config: ClientConfig, n: u16) -> Client {
    let (phone, code) = test_number(n);
    let client = within("connecting", Client::connect(config))
        .await
        .expect("client connects");
    let authorization = within(
        "auth.sendCode + auth.signIn",
        client.sign_in_with_code(&phone, &code),
    )
    .await
    .expect("logged in");
    assert!(
        matches!(authorization, enums::auth::Authorization::Authorization(_)),
        "auth.signIn of {phone} answered {authorization:?}"
    );
    client
}

/// The admin's new broadcast channel, given the test's username.
async fn create_channel(admin: &Client) -> types::InputChannel {
    let created = within(
        "channels.createChannel",
        admin.invoke(&functions::channels::CreateChannel {
            broadcast: true,
            megagroup: false,
            for_import: false,
            forum: false,
            title: "Fan-out".into(),
            about: "a post to many subscribers".into(),
            geo_point: None,
            address: None,
            ttl_period: None,
        }),
    )
    .await
    .expect("channels.createChannel");
    let channel = input_channel(&created).expect("createChannel returns the channel");
    let taken = within(
        "channels.updateUsername",
        admin.invoke(&functions::channels::UpdateUsername {
            channel: enums::InputChannel::InputChannel(channel.clone()),
            username: USERNAME.into(),
        }),
    )
    .await
    .expect("channels.updateUsername");
    assert!(taken, "channels.updateUsername answered false");
    channel
}

/// The first channel of an `updates`, as an `InputChannel` for its viewer.
fn input_channel(updates: &enums::Updates) -> Option<types::InputChannel> {
    let enums::Updates::Updates(u) = updates else {
        return None;
    };
    u.chats.iter().find_map(|chat| match chat {
        enums::Chat::Channel(c) => Some(types::InputChannel {
            channel_id: c.id,
            access_hash: c.access_hash?,
        }),
        _ => None,
    })
}

/// Finds the channel by username, joins it, and returns it as this subscriber sees it.
async fn join(client: &Client) -> types::InputChannel {
    let resolved = within(
        "contacts.resolveUsername",
        client.invoke(&functions::contacts::ResolveUsername {
            username: USERNAME.into(),
            referer: None,
        }),
    )
    .await
    .expect("contacts.resolveUsername");
    let enums::contacts::ResolvedPeer::ResolvedPeer(resolved) = resolved;
    let channel = resolved
        .chats
        .iter()
        .find_map(|chat| match chat {
            enums::Chat::Channel(c) => Some(types::InputChannel {
                channel_id: c.id,
                access_hash: c.access_hash?,
            }),
            _ => None,
        })
        .expect("the username resolves to the channel");
    let joined = within(
        "channels.joinChannel",
        client.invoke(&functions::channels::JoinChannel {
            channel: enums::InputChannel::InputChannel(channel.clone()),
        }),
    )
    .await
    .expect("channels.joinChannel");
    let enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(joined) = joined else {
        panic!("channels.joinChannel answered {joined:?}");
    };
    assert!(
        input_channel(&joined.updates).is_some(),
        "the join result carries the channel"
    );
    channel
}

/// Logs in, joins and makes one call as every subscriber, `IN_FLIGHT` at a time; each
/// comes back with its pushes channel.
async fn subscribe_all(server: &TestServer) -> Vec<(u16, Client, Receiver<Update>)> {
    let mut tasks = JoinSet::new();
    let mut done = Vec::with_capacity(usize::from(SUBSCRIBERS));
    for number in FIRST_SUBSCRIBER..FIRST_SUBSCRIBER + SUBSCRIBERS {
        if tasks.len() >= IN_FLIGHT {
            done.push(
                tasks
                    .join_next()
                    .await
                    .expect("a task")
                    .expect("subscriber"),
            );
        }
        let config = server.config();
        tasks.spawn(async move {
            let client = log_in(config, number).await;
            join(&client).await;
            within(
                "updates.getState",
                client.invoke(&functions::updates::GetState),
            )
            .await
            .expect("updates.getState");
            let updates = client.take_updates().expect("updates channel");
            (number, client, updates)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        done.push(joined.expect("subscriber"));
    }
    done
}

/// Posts once; the post's message id and channel pts.
async fn post(admin: &Client, channel: &types::InputChannel) -> (i32, i32) {
    let sent = within(
        "messages.sendMessage",
        admin.invoke(&chappe_client::requests::send_text(
            enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
                channel_id: channel.channel_id,
                access_hash: channel.access_hash,
            }),
            POST,
            0x00fa_0e07,
        )),
    )
    .await
    .expect("messages.sendMessage");
    let enums::Updates::Updates(sent) = sent else {
        panic!("messages.sendMessage answered {sent:?}");
    };
    sent.updates
        .iter()
        .find_map(|u| match u {
            enums::Update::UpdateNewChannelMessage(m) => Some((message_id(&m.message), m.pts)),
            _ => None,
        })
        .expect("the answer carries updateNewChannelMessage")
}

fn message_id(message: &enums::Message) -> i32 {
    match message {
        enums::Message::Message(m) => m.id,
        enums::Message::MessageService(m) => m.id,
        enums::Message::MessageEmpty(m) => m.id,
    }
}

/// The first post pushed to a subscriber: channel id, message id, pts and text; `None`
/// if the connection ended first.
async fn pushed_post(mut updates: Receiver<Update>) -> Option<(i64, i32, i32, String)> {
    while let Some(update) = updates.recv().await {
        let Update::Updates(updates) = update else {
            continue;
        };
        let enums::Updates::Updates(updates) = *updates else {
            continue;
        };
        for update in updates.updates {
            let enums::Update::UpdateNewChannelMessage(pushed) = update else {
                continue;
            };
            let enums::Message::Message(m) = pushed.message else {
                continue;
            };
            let enums::Peer::PeerChannel(channel) = m.peer_id else {
                continue;
            };
            return Some((channel.channel_id, m.id, pushed.pts, m.message));
        }
    }
    None
}

/// Reads the channel's difference from `pts` to the end: the final pts and the posts
/// (id, text) it held.
async fn channel_pts(
    client: &Client,
    channel: &types::InputChannel,
    mut pts: i32,
) -> (i32, Vec<(i32, String)>) {
    let mut posts = Vec::new();
    loop {
        let difference = within(
            "updates.getChannelDifference",
            client.invoke(&functions::updates::GetChannelDifference {
                force: false,
                channel: enums::InputChannel::InputChannel(channel.clone()),
                filter: enums::ChannelMessagesFilter::ChannelMessagesFilterEmpty(
                    types::ChannelMessagesFilterEmpty,
                ),
                pts,
                limit: 100,
            }),
        )
        .await
        .expect("updates.getChannelDifference");
        match difference {
            enums::updates::ChannelDifference::ChannelDifferenceEmpty(d) => return (d.pts, posts),
            enums::updates::ChannelDifference::ChannelDifference(d) => {
                posts.extend(d.new_messages.iter().filter_map(|m| match m {
                    enums::Message::Message(m) => Some((m.id, m.message.clone())),
                    _ => None,
                }));
                pts = d.pts;
                if d.r#final {
                    return (pts, posts);
                }
            }
            other => panic!("updates.getChannelDifference answered {other:?}"),
        }
    }
}
