//! `chappe-load messages`: 1:1 message delivery end to end. P pairs of users log in with
//! test numbers, each user on its own connection; every sender keeps N
//! `messages.sendMessage` calls in flight to its peer, and every recipient reads the
//! `updateShortMessage` pushes its session gets. A push is matched to its send by the
//! text, which carries a sequence number and the send time (both ends are in this
//! process, so one monotonic clock serves both), so no table of sends is needed.
//!
//! Only sends issued inside the measured window count; after the window the recipients
//! wait a short grace period for the pushes still on their way, and pushes that never
//! came are reported as lost.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use chappe_client::requests::send_text;
use chappe_client::{Client, ClientConfig, Update};
use chappe_tl::api::{enums, functions, types};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::cli::MessagesArgs;
use crate::cpu::{clock_ticks_per_second, cpu_time};
use crate::report::{CpuUse, Latencies};

/// Test numbers available: X in 1..=3, YYYY in 0000..=9999.
const TEST_NUMBERS: u64 = 30_000;
/// Failed sends tolerated per sending task before it gives up.
const MAX_FAILURES_PER_TASK: u32 = 10;
/// How long recipients keep reading after the window for pushes still under way.
const GRACE: Duration = Duration::from_secs(3);
/// What every message text starts with, so other pushes are not taken for ours.
const TEXT_TAG: &str = "chappe-load";

pub async fn run(args: MessagesArgs) -> anyhow::Result<()> {
    let users = u64::from(args.pairs) * 2;
    anyhow::ensure!(
        args.first_number + users <= TEST_NUMBERS,
        "--first-number {} + {users} users passes the last of the {TEST_NUMBERS} test numbers",
        args.first_number
    );
    let config = args
        .target
        .client_config()?
        .max_in_flight(args.in_flight as usize);
    println!(
        "messages: {} pairs (test numbers from #{}), {} sends in flight per sender, {} s measured after {} s warm-up, to {} (clock ticks: {}/s)",
        args.pairs,
        args.first_number,
        args.in_flight,
        args.duration,
        args.warmup,
        config.server,
        clock_ticks_per_second()
    );

    let pairs = log_in_pairs(&config, args.first_number, args.pairs).await?;
    println!("logged in {users} users");

    let epoch = Instant::now();
    let window = Window {
        start: Duration::from_secs(args.warmup),
        end: Duration::from_secs(args.warmup + args.duration),
    };
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    let (stop_tx, stop_rx) = watch::channel(false);
    let delivered = Arc::new(AtomicU64::new(0));
    let mut senders = JoinSet::new();
    let mut recipients = JoinSet::new();
    for (index, pair) in pairs.into_iter().enumerate() {
        let updates = pair
            .recipient
            .take_updates()
            .context("the recipient's updates channel was taken")?;
        recipients.spawn(receive(
            pair.recipient.clone(),
            updates,
            epoch,
            window,
            delivered.clone(),
            stop_rx.clone(),
        ));
        // Senders get no pushes of their own sends (the sending session is skipped);
        // dropping the channel keeps anything else from piling up.
        drop(pair.sender.take_updates());
        let seq = Arc::new(AtomicU64::new(0));
        for _ in 0..args.in_flight {
            senders.spawn(send(
                pair.sender.clone(),
                pair.peer.clone(),
                seq.clone(),
                nonce.wrapping_add((index as i64) << 40),
                epoch,
                window,
            ));
        }
    }

    // CPU is read at the window's edges, so logins and warm-up are not charged.
    tokio::time::sleep_until((epoch + window.start).into()).await;
    let server_before = args
        .target
        .server_pid
        .map(|pid| cpu_time(Some(pid)))
        .transpose()?;
    let client_before = cpu_time(None)?;
    tokio::time::sleep_until((epoch + window.end).into()).await;
    let cpu = CpuUse {
        server: match (args.target.server_pid, server_before) {
            (Some(pid), Some(before)) => Some(cpu_time(Some(pid))?.saturating_sub(before)),
            _ => None,
        },
        client: cpu_time(None)?.saturating_sub(client_before),
    };

    let mut sent = SendOutcome::default();
    while let Some(joined) = senders.join_next().await {
        let outcome = joined.context("a sending task panicked")?;
        if let Some(e) = &outcome.fatal {
            eprintln!("a sending task stopped: {e:#}");
        }
        sent.merge(outcome);
    }
    // Recipients stop once every acknowledged send has arrived or the grace ends.
    let grace_end = Instant::now() + GRACE;
    while delivered.load(Ordering::Relaxed) < sent.acked && Instant::now() < grace_end {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = stop_tx.send(true);
    let mut received = ReceiveOutcome::default();
    while let Some(joined) = recipients.join_next().await {
        received.merge(joined.context("a receiving task panicked")?);
    }

    report(&args, &mut sent, &mut received, cpu, window);
    anyhow::ensure!(received.delivered > 0, "no message was delivered");
    Ok(())
}

/// The measured part of the run, as offsets from the run's epoch.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Duration,
    end: Duration,
}

impl Window {
    fn contains(&self, at: Duration) -> bool {
        at >= self.start && at < self.end
    }

    fn length(&self) -> Duration {
        self.end.saturating_sub(self.start)
    }
}

fn report(
    args: &MessagesArgs,
    sent: &mut SendOutcome,
    received: &mut ReceiveOutcome,
    cpu: CpuUse,
    window: Window,
) {
    let wall = window.length();
    let secs = wall.as_secs_f64();
    let delivered = received.delivered;
    println!(
        "delivered {delivered} messages sent in the {secs:.0} s window: {:.0} msg/s ({} pairs x {} in flight); {} sends acknowledged, {} never pushed, {} sends failed",
        delivered as f64 / secs,
        args.pairs,
        args.in_flight,
        sent.acked,
        sent.acked.saturating_sub(delivered),
        sent.failures
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let line = |what: &str, l: &mut Latencies| {
        println!(
            "{what}: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            ms(l.percentile(50.0)),
            ms(l.percentile(90.0)),
            ms(l.percentile(99.0)),
            ms(l.percentile(100.0))
        );
    };
    line(
        "delivery latency (send issued -> push received)",
        &mut received.latencies,
    );
    line("send RPC latency", &mut sent.latencies);
    cpu.print(wall, delivered, "message");
}

/// One sender, its peer as the sender sees it, and the peer's own connection.
struct Pair {
    sender: Client,
    recipient: Client,
    peer: enums::InputPeer,
}

/// Logs in every user of every pair at once and looks each recipient up for its sender.
async fn log_in_pairs(
    config: &ClientConfig,
    first_number: u64,
    pairs: u32,
) -> anyhow::Result<Vec<Pair>> {
    let mut logins = JoinSet::new();
    for index in 0..pairs {
        let config = config.clone();
        logins.spawn(async move {
            let sender_number = test_number(first_number + 2 * u64::from(index));
            let recipient_number = test_number(first_number + 2 * u64::from(index) + 1);
            let sender = log_in(&config, &sender_number).await?;
            let recipient = log_in(&config, &recipient_number).await?;
            let peer = resolve(&sender, &recipient_number.0).await?;
            anyhow::Ok((
                index,
                Pair {
                    sender,
                    recipient,
                    peer,
                },
            ))
        });
    }
    let mut done = Vec::with_capacity(pairs as usize);
    while let Some(joined) = logins.join_next().await {
        done.push(joined.context("a login task panicked")??);
    }
    done.sort_by_key(|(index, _)| *index);
    Ok(done.into_iter().map(|(_, pair)| pair).collect())
}

/// The test number and code of ticket `n` (`99966XYYYY`, code X five times).
pub(crate) fn test_number(n: u64) -> (String, String) {
    let dc = 1 + n / 10_000;
    (
        format!("99966{dc}{:04}", n % 10_000),
        dc.to_string().repeat(5),
    )
}

/// A new connection logged in as the test number (the account is made on first sign-in),
/// whose session then makes one call as that user so the server pushes to it.
async fn log_in(config: &ClientConfig, (phone, code): &(String, String)) -> anyhow::Result<Client> {
    let client = Client::connect(config.clone())
        .await
        .context("connecting")?;
    let authorization = client
        .sign_in_with_code(phone, code)
        .await
        .with_context(|| format!("logging in {phone}"))?;
    anyhow::ensure!(
        matches!(authorization, enums::auth::Authorization::Authorization(_)),
        "auth.signIn of {phone} answered {authorization:?}"
    );
    client
        .invoke(&functions::updates::GetState)
        .await
        .context("updates.getState")?;
    Ok(client)
}

/// The user behind `phone` as `client` sees it (with its access hash for this viewer).
async fn resolve(client: &Client, phone: &str) -> anyhow::Result<enums::InputPeer> {
    let resolved = client
        .invoke(&functions::contacts::ResolvePhone {
            phone: phone.to_owned(),
        })
        .await
        .with_context(|| format!("contacts.resolvePhone {phone}"))?;
    let enums::contacts::ResolvedPeer::ResolvedPeer(resolved) = resolved;
    resolved
        .users
        .iter()
        .find_map(|user| match user {
            enums::User::User(u) => Some(enums::InputPeer::InputPeerUser(types::InputPeerUser {
                user_id: u.id,
                access_hash: u.access_hash?,
            })),
            enums::User::UserEmpty(_) => None,
        })
        .with_context(|| {
            format!("contacts.resolvePhone {phone} returned no user with an access hash")
        })
}

/// The text of message `seq` issued `at` after the epoch.
fn message_text(seq: u64, at: Duration) -> String {
    format!("{TEXT_TAG} {seq} {}", at.as_nanos())
}

/// When the message of `text` was issued, if it is one of ours.
fn issued_at(text: &str) -> Option<Duration> {
    let mut words = text.strip_prefix(TEXT_TAG)?.split_whitespace();
    let _seq: u64 = words.next()?.parse().ok()?;
    let nanos: u64 = words.next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

#[derive(Default)]
struct SendOutcome {
    latencies: Latencies,
    /// Sends issued inside the window and answered.
    acked: u64,
    failures: u32,
    fatal: Option<anyhow::Error>,
}

impl SendOutcome {
    fn merge(&mut self, other: SendOutcome) {
        self.latencies.merge(other.latencies);
        self.acked += other.acked;
        self.failures += other.failures;
    }
}

/// One of a sender's N sending loops: send, wait for the answer, repeat until the window
/// ends.
async fn send(
    client: Client,
    peer: enums::InputPeer,
    seq: Arc<AtomicU64>,
    random_base: i64,
    epoch: Instant,
    window: Window,
) -> SendOutcome {
    let mut outcome = SendOutcome::default();
    loop {
        let at = epoch.elapsed();
        if at >= window.end {
            break;
        }
        let n = seq.fetch_add(1, Ordering::Relaxed);
        let request = send_text(
            peer.clone(),
            message_text(n, at),
            random_base.wrapping_add(n as i64),
        );
        match client.invoke(&request).await {
            Ok(_) if window.contains(at) => {
                outcome.acked += 1;
                outcome.latencies.record(epoch.elapsed().saturating_sub(at));
            }
            Ok(_) => {}
            Err(e) => {
                outcome.failures += 1;
                if outcome.failures >= MAX_FAILURES_PER_TASK {
                    outcome.fatal = Some(anyhow::Error::new(e).context("too many failed sends"));
                    break;
                }
            }
        }
    }
    outcome
}

#[derive(Default)]
struct ReceiveOutcome {
    latencies: Latencies,
    /// Pushes of messages issued inside the window.
    delivered: u64,
}

impl ReceiveOutcome {
    fn merge(&mut self, other: ReceiveOutcome) {
        self.latencies.merge(other.latencies);
        self.delivered += other.delivered;
    }
}

/// Reads one recipient's pushes until told to stop or the connection ends.
async fn receive(
    client: Client,
    mut updates: tokio::sync::mpsc::Receiver<Update>,
    epoch: Instant,
    window: Window,
    delivered: Arc<AtomicU64>,
    mut stop: watch::Receiver<bool>,
) -> ReceiveOutcome {
    let mut outcome = ReceiveOutcome::default();
    loop {
        let update = tokio::select! {
            update = updates.recv() => update,
            _ = stop.wait_for(|stop| *stop) => None,
        };
        let Some(update) = update else { break };
        let Update::Updates(updates) = update else {
            continue;
        };
        let enums::Updates::UpdateShortMessage(message) = *updates else {
            continue;
        };
        let Some(at) = issued_at(&message.message) else {
            continue;
        };
        if window.contains(at) {
            outcome.delivered += 1;
            delivered.fetch_add(1, Ordering::Relaxed);
            outcome.latencies.record(epoch.elapsed().saturating_sub(at));
        }
    }
    // Keeps the connection (and so the session) open while reading.
    drop(client);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_carry_their_issue_time() {
        let at = Duration::from_nanos(1_234_567_890);
        assert_eq!(issued_at(&message_text(7, at)), Some(at));
        assert_eq!(issued_at("hello"), None);
        assert_eq!(issued_at("chappe-load 7"), None);
    }

    #[test]
    fn tickets_map_to_distinct_test_numbers_with_their_codes() {
        assert_eq!(test_number(0), ("9996610000".into(), "11111".into()));
        assert_eq!(test_number(29_999), ("9996639999".into(), "33333".into()));
    }

    #[test]
    fn the_window_is_half_open() {
        let window = Window {
            start: Duration::from_secs(1),
            end: Duration::from_secs(3),
        };
        assert!(!window.contains(Duration::from_millis(999)));
        assert!(window.contains(Duration::from_secs(1)));
        assert!(!window.contains(Duration::from_secs(3)));
        assert_eq!(window.length(), Duration::from_secs(2));
    }
}
