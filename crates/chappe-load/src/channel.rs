//! `chappe-load channel`: fan-out of channel posts. An admin creates a broadcast channel
//! with a username; N subscribers log in with test numbers (each on its own connection
//! and auth key, C at a time), find the channel by username, join it and make a call so
//! their sessions take pushes. The admin then posts K times, one post after the other,
//! and for each post the run measures the time from issuing `messages.sendMessage` to the
//! first and to the last subscriber receiving its `updateNewChannelMessage`, and the
//! server's CPU time from the send until the last push arrived.
//!
//! The server answers the send right after the post is committed and pushes to the
//! online members afterwards, in the background (see `chappe-api/src/channels/push.rs`),
//! so the send RPC latency should not grow with the subscriber count; it is reported
//! beside the push times to show that it does not.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use chappe_client::requests::send_text;
use chappe_client::{Client, ClientConfig, Update};
use chappe_tl::api::{enums, functions, types};
use tokio::sync::mpsc::Receiver;
use tokio::task::JoinSet;

use crate::cli::ChannelArgs;
use crate::cpu::{clock_ticks_per_second, cpu_time};
use crate::messages::test_number;
use crate::report::{CpuUse, Latencies};

/// Test numbers available: X in 1..=3, YYYY in 0000..=9999.
const TEST_NUMBERS: u64 = 30_000;
/// Longest wait for one post's pushes before it is reported as incomplete.
const POST_TIMEOUT: Duration = Duration::from_secs(120);
/// What every post text starts with, followed by the post's index.
const TEXT_TAG: &str = "chappe-load post";

pub async fn run(args: ChannelArgs) -> anyhow::Result<()> {
    let numbers = u64::from(args.subscribers) + 1;
    anyhow::ensure!(
        args.first_number + numbers <= TEST_NUMBERS,
        "--first-number {} + {numbers} users passes the last of the {TEST_NUMBERS} test numbers",
        args.first_number
    );
    let config = args.target.client_config()?;
    println!(
        "channel: {} subscribers ({} logins in flight, test numbers from #{}), {} posts one at a time, to {} (clock ticks: {}/s)",
        args.subscribers,
        args.in_flight,
        args.first_number,
        args.posts,
        config.server,
        clock_ticks_per_second()
    );

    let admin = log_in(&config, args.first_number).await.context("admin")?;
    drop(admin.take_updates());
    let username = unique_username();
    let channel = create_channel(&admin, &username).await?;

    let started = Instant::now();
    let (subscribers, failed) = subscribe_all(&config, &args, &username).await;
    let online = subscribers.len();
    println!(
        "{online} subscribers logged in and joined @{username} in {:.1} s, {failed} failed",
        started.elapsed().as_secs_f64()
    );
    anyhow::ensure!(online > 0, "no subscriber joined");

    let arrivals = Arc::new(Mutex::new(vec![Arrivals::default(); args.posts as usize]));
    let mut readers = JoinSet::new();
    for (client, updates) in subscribers {
        readers.spawn(read_pushes(client, updates, arrivals.clone()));
    }

    let mut rows = Vec::with_capacity(args.posts as usize);
    let client_before = cpu_time(None)?;
    let run_started = Instant::now();
    for post in 0..args.posts {
        let server_before = args
            .target
            .server_pid
            .map(|pid| cpu_time(Some(pid)))
            .transpose()?;
        let sent_at = Instant::now();
        send_post(&admin, &channel, post).await?;
        let answered = sent_at.elapsed();
        let deadline = sent_at + POST_TIMEOUT;
        while lock(&arrivals)[post as usize].count < online && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let server_cpu = match (args.target.server_pid, server_before) {
            (Some(pid), Some(before)) => Some(cpu_time(Some(pid))?.saturating_sub(before)),
            _ => None,
        };
        let got = lock(&arrivals)[post as usize].clone();
        rows.push(PostRow {
            answered,
            first: got.first.map(|at| at.saturating_duration_since(sent_at)),
            last: got.last.map(|at| at.saturating_duration_since(sent_at)),
            delivered: got.count,
            server_cpu,
        });
    }
    let wall = run_started.elapsed();
    let cpu = CpuUse {
        server: rows.iter().map(|r| r.server_cpu).sum(),
        client: cpu_time(None)?.saturating_sub(client_before),
    };
    readers.abort_all();

    report(&rows, online, wall, cpu);
    let incomplete = rows.iter().filter(|r| r.delivered < online).count();
    anyhow::ensure!(
        incomplete == 0,
        "{incomplete} posts did not reach every subscriber within {POST_TIMEOUT:?}"
    );
    Ok(())
}

/// When one post's pushes arrived.
#[derive(Debug, Default, Clone)]
struct Arrivals {
    count: usize,
    first: Option<Instant>,
    last: Option<Instant>,
}

/// What one post took.
struct PostRow {
    answered: Duration,
    first: Option<Duration>,
    last: Option<Duration>,
    delivered: usize,
    server_cpu: Option<Duration>,
}

fn report(rows: &[PostRow], online: usize, wall: Duration, cpu: CpuUse) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let opt_ms = |d: Option<Duration>| d.map_or("-".to_owned(), |d| format!("{:.1}", ms(d)));
    println!("post | send RPC ms | first push ms | last push ms | delivered | server CPU ms");
    for (index, row) in rows.iter().enumerate() {
        println!(
            "{index} | {:.1} | {} | {} | {}/{online} | {}",
            ms(row.answered),
            opt_ms(row.first),
            opt_ms(row.last),
            row.delivered,
            opt_ms(row.server_cpu)
        );
    }
    let summary = |what: &str, pick: &dyn Fn(&PostRow) -> Option<Duration>| {
        let mut latencies = Latencies::default();
        for d in rows.iter().filter_map(pick) {
            latencies.record(d);
        }
        println!(
            "{what}: p50 {:.1} ms, max {:.1} ms over {} posts",
            ms(latencies.percentile(50.0)),
            ms(latencies.percentile(100.0)),
            latencies.len()
        );
    };
    summary("send RPC", &|r| Some(r.answered));
    summary("first push", &|r| r.first);
    summary("last push", &|r| r.last);
    let pushes: usize = rows.iter().map(|r| r.delivered).sum();
    cpu.print(wall, pushes as u64, "pushed update");
    if let Some(server) = cpu.server {
        println!(
            "server CPU per post to {online} subscribers: {:.1} ms",
            ms(server) / rows.len().max(1) as f64
        );
    }
}

/// A channel username no earlier run on the same data directory took.
fn unique_username() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("chappeload{secs}")
}

/// A new connection logged in as test number `n` (the account is made on first sign-in).
async fn log_in(config: &ClientConfig, n: u64) -> anyhow::Result<Client> {
    let (phone, code) = test_number(n);
    let client = Client::connect(config.clone())
        .await
        .context("connecting")?;
    let authorization = client
        .sign_in_with_code(&phone, &code)
        .await
        .with_context(|| format!("logging in {phone}"))?;
    anyhow::ensure!(
        matches!(authorization, enums::auth::Authorization::Authorization(_)),
        "auth.signIn of {phone} answered {authorization:?}"
    );
    Ok(client)
}

/// The first channel among `chats`, as an `InputChannel` for their viewer.
fn first_channel(chats: &[enums::Chat]) -> Option<types::InputChannel> {
    chats.iter().find_map(|chat| match chat {
        enums::Chat::Channel(c) => Some(types::InputChannel {
            channel_id: c.id,
            access_hash: c.access_hash?,
        }),
        _ => None,
    })
}

/// A new broadcast channel of the admin's, with `username`.
async fn create_channel(admin: &Client, username: &str) -> anyhow::Result<types::InputChannel> {
    let created = admin
        .invoke(&functions::channels::CreateChannel {
            broadcast: true,
            megagroup: false,
            for_import: false,
            forum: false,
            title: "chappe-load fan-out".into(),
            about: String::new(),
            geo_point: None,
            address: None,
            ttl_period: None,
        })
        .await
        .context("channels.createChannel")?;
    let enums::Updates::Updates(created) = created else {
        anyhow::bail!("channels.createChannel answered {created:?}");
    };
    let channel = first_channel(&created.chats).context("createChannel returned no channel")?;
    let taken = admin
        .invoke(&functions::channels::UpdateUsername {
            channel: enums::InputChannel::InputChannel(channel.clone()),
            username: username.to_owned(),
        })
        .await
        .context("channels.updateUsername")?;
    anyhow::ensure!(taken, "channels.updateUsername answered false");
    Ok(channel)
}

/// Logs in every subscriber, `in_flight` at a time, each joining by username and then
/// calling `updates.getState`; the subscribers that made it, with their pushes channels,
/// and how many failed.
async fn subscribe_all(
    config: &ClientConfig,
    args: &ChannelArgs,
    username: &str,
) -> (Vec<(Client, Receiver<Update>)>, usize) {
    let mut tasks = JoinSet::new();
    let mut done = Vec::with_capacity(args.subscribers as usize);
    let mut failed = 0;
    let mut collect = |joined: Result<anyhow::Result<_>, _>| match joined {
        Ok(Ok(subscriber)) => done.push(subscriber),
        Ok(Err(e)) => {
            failed += 1;
            if failed <= 5 {
                eprintln!("a subscriber failed: {e:#}");
            }
        }
        Err(e) => {
            failed += 1;
            eprintln!("a subscriber task panicked: {e}");
        }
    };
    for index in 0..u64::from(args.subscribers) {
        if tasks.len() >= args.in_flight as usize {
            if let Some(joined) = tasks.join_next().await {
                collect(joined);
            }
        }
        let (config, username) = (config.clone(), username.to_owned());
        let number = args.first_number + 1 + index;
        tasks.spawn(async move {
            let client = log_in(&config, number).await?;
            join(&client, &username).await?;
            client
                .invoke(&functions::updates::GetState)
                .await
                .context("updates.getState")?;
            let updates = client.take_updates().context("updates channel taken")?;
            anyhow::Ok((client, updates))
        });
    }
    while let Some(joined) = tasks.join_next().await {
        collect(joined);
    }
    (done, failed)
}

/// Finds the channel by username and joins it.
async fn join(client: &Client, username: &str) -> anyhow::Result<()> {
    let resolved = client
        .invoke(&functions::contacts::ResolveUsername {
            username: username.to_owned(),
            referer: None,
        })
        .await
        .context("contacts.resolveUsername")?;
    let enums::contacts::ResolvedPeer::ResolvedPeer(resolved) = resolved;
    let channel = first_channel(&resolved.chats).context("the username names no channel")?;
    let joined = client
        .invoke(&functions::channels::JoinChannel {
            channel: enums::InputChannel::InputChannel(channel),
        })
        .await
        .context("channels.joinChannel")?;
    anyhow::ensure!(
        matches!(
            joined,
            enums::messages::ChatInviteJoinResult::ChatInviteJoinResultOk(_)
        ),
        "channels.joinChannel answered {joined:?}"
    );
    Ok(())
}

/// Posts `post` and waits for the answer.
async fn send_post(admin: &Client, channel: &types::InputChannel, post: u32) -> anyhow::Result<()> {
    let sent = admin
        .invoke(&send_text(
            enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
                channel_id: channel.channel_id,
                access_hash: channel.access_hash,
            }),
            format!("{TEXT_TAG} {post}"),
            i64::from(post) + 1,
        ))
        .await
        .with_context(|| format!("messages.sendMessage of post {post}"))?;
    anyhow::ensure!(
        matches!(sent, enums::Updates::Updates(_)),
        "messages.sendMessage answered {sent:?}"
    );
    Ok(())
}

/// The post index in a pushed text, if it is one of ours.
fn post_index(text: &str) -> Option<usize> {
    text.strip_prefix(TEXT_TAG)?.trim().parse().ok()
}

/// Records when each of our posts reaches this subscriber, until the run aborts it.
async fn read_pushes(
    client: Client,
    mut updates: Receiver<Update>,
    arrivals: Arc<Mutex<Vec<Arrivals>>>,
) {
    while let Some(update) = updates.recv().await {
        let now = Instant::now();
        let Update::Updates(updates) = update else {
            continue;
        };
        let enums::Updates::Updates(updates) = *updates else {
            continue;
        };
        for update in &updates.updates {
            let enums::Update::UpdateNewChannelMessage(pushed) = update else {
                continue;
            };
            let enums::Message::Message(m) = &pushed.message else {
                continue;
            };
            let Some(index) = post_index(&m.message) else {
                continue;
            };
            if let Some(post) = lock(&arrivals).get_mut(index) {
                post.count += 1;
                post.first.get_or_insert(now);
                post.last = Some(now);
            }
        }
    }
    // Keeps the connection (and so the session) open while reading.
    drop(client);
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_texts_carry_their_index() {
        assert_eq!(post_index(&format!("{TEXT_TAG} 7")), Some(7));
        assert_eq!(post_index("chappe-load 7 123"), None);
        assert_eq!(post_index("hello"), None);
    }

    #[test]
    fn tickets_map_to_test_numbers_with_their_codes() {
        assert_eq!(test_number(0), ("9996610000".into(), "11111".into()));
        assert_eq!(test_number(10_001), ("9996620001".into(), "22222".into()));
    }
}
