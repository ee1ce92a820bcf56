//! `chappe-load keys`: N auth-key creations over C connections, each connection making
//! its share one after another (the server accepts a new handshake on a connection
//! whose previous one finished).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chappe_client::{ClientConfig, RawConnection};

use crate::cli::KeysArgs;
use crate::cpu::clock_ticks_per_second;
use crate::workers::{run_workers, WorkerOutcome};

/// Failed key creations tolerated per connection before it gives up.
const MAX_FAILURES_PER_CONNECTION: u32 = 10;

pub async fn run(args: KeysArgs) -> anyhow::Result<()> {
    let config = Arc::new(args.target.client_config()?);
    let server_pid = args.target.server_pid;
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let tickets = Arc::new(AtomicU64::new(0));
    println!(
        "keys: {} auth keys over {} connections to {} (clock ticks: {}/s)",
        args.count,
        args.connections,
        config.server,
        clock_ticks_per_second()
    );

    let mut batch = run_workers(args.connections, server_pid, || {
        worker(config.clone(), tickets.clone(), args.count, deadline)
    })
    .await?;
    let (wall, failures, cpu, latencies) =
        (batch.wall, batch.failures, batch.cpu, &mut batch.latencies);

    let created = latencies.len() as u64;
    println!(
        "created {created} keys in {:.2} s: {:.1} keys/s (wall), {failures} failed",
        wall.as_secs_f64(),
        created as f64 / wall.as_secs_f64()
    );
    println!(
        "latency per key: p50 {:.2} ms, p99 {:.2} ms",
        latencies.percentile(50.0).as_secs_f64() * 1e3,
        latencies.percentile(99.0).as_secs_f64() * 1e3
    );
    cpu.print(wall, created, "key");
    anyhow::ensure!(created > 0, "no key was created");
    Ok(())
}

/// Takes tickets until `count` are taken or the deadline passes; reconnects after a
/// failed creation (the server closes the connection on most handshake errors).
async fn worker(
    config: Arc<ClientConfig>,
    tickets: Arc<AtomicU64>,
    count: u64,
    deadline: Instant,
) -> WorkerOutcome {
    let mut outcome = WorkerOutcome::new();
    let mut connection: Option<RawConnection> = None;
    while Instant::now() < deadline && tickets.fetch_add(1, Ordering::Relaxed) < count {
        let raw = match &mut connection {
            Some(raw) => raw,
            None => match RawConnection::connect(&config).await {
                Ok(raw) => connection.insert(raw),
                Err(e) => {
                    outcome.fatal = Some(anyhow::Error::new(e).context("connecting"));
                    return outcome;
                }
            },
        };
        let started = Instant::now();
        match raw.create_auth_key(&config).await {
            Ok(_) => outcome.latencies.record(started.elapsed()),
            Err(e) => {
                outcome.failures += 1;
                connection = None;
                if outcome.failures >= MAX_FAILURES_PER_CONNECTION {
                    outcome.fatal = Some(anyhow::Error::new(e).context("too many failures"));
                    return outcome;
                }
            }
        }
    }
    outcome
}
