//! `chappe-load signups`: N complete sign-ups of new accounts, each a new connection, a new
//! auth key, `auth.sendCode` and `auth.signIn`, over C concurrent workers. Test numbers
//! (`99966XYYYY`, code X five times) are used, so the server creates each account on its
//! first sign-in and no code delivery is involved; a fresh data directory is needed for the
//! accounts to be new.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chappe_client::{Client, ClientConfig};
use chappe_tl::api::{enums, functions, types};

use crate::cli::SignupsArgs;
use crate::cpu::clock_ticks_per_second;
use crate::workers::{run_workers, WorkerOutcome};

/// Test numbers available: X in 1..=3, YYYY in 0000..=9999.
pub const MAX_SIGNUPS: u64 = 30_000;
/// Failed sign-ups tolerated per worker before it gives up.
const MAX_FAILURES_PER_WORKER: u32 = 10;

pub async fn run(args: SignupsArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.count <= MAX_SIGNUPS,
        "at most {MAX_SIGNUPS} sign-ups: that is how many test numbers there are"
    );
    let config = Arc::new(args.target.client_config()?);
    let server_pid = args.target.server_pid;
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let tickets = Arc::new(AtomicU64::new(0));
    println!(
        "signups: {} new accounts (new key + auth.sendCode + auth.signIn) over {} workers to {} (clock ticks: {}/s)",
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
    let done = latencies.len() as u64;
    println!(
        "signed up {done} accounts in {:.2} s: {:.1} sign-ups/s (wall), {failures} failed",
        wall.as_secs_f64(),
        done as f64 / wall.as_secs_f64()
    );
    println!(
        "latency per sign-up: p50 {:.2} ms, p99 {:.2} ms",
        latencies.percentile(50.0).as_secs_f64() * 1e3,
        latencies.percentile(99.0).as_secs_f64() * 1e3
    );
    cpu.print(wall, done, "sign-up");
    anyhow::ensure!(done > 0, "no sign-up succeeded");
    Ok(())
}

/// Takes tickets until `count` are taken or the deadline passes.
async fn worker(
    config: Arc<ClientConfig>,
    tickets: Arc<AtomicU64>,
    count: u64,
    deadline: Instant,
) -> WorkerOutcome {
    let mut outcome = WorkerOutcome::new();
    while Instant::now() < deadline {
        let ticket = tickets.fetch_add(1, Ordering::Relaxed);
        if ticket >= count {
            break;
        }
        let started = Instant::now();
        match sign_up(&config, ticket).await {
            Ok(()) => outcome.latencies.record(started.elapsed()),
            Err(e) => {
                outcome.failures += 1;
                if outcome.failures >= MAX_FAILURES_PER_WORKER {
                    outcome.fatal = Some(e.context("too many failures"));
                    return outcome;
                }
            }
        }
    }
    outcome
}

/// The test number and code of ticket `n`.
fn test_number(n: u64) -> (String, String) {
    let dc = 1 + n / 10_000;
    (
        format!("99966{dc}{:04}", n % 10_000),
        dc.to_string().repeat(5),
    )
}

async fn sign_up(config: &ClientConfig, ticket: u64) -> anyhow::Result<()> {
    let (phone, code) = test_number(ticket);
    let client = Client::connect(config.clone())
        .await
        .context("connecting")?;
    let result = async {
        let sent = client
            .invoke(&functions::auth::SendCode {
                phone_number: phone.clone(),
                api_id: 1,
                api_hash: "0".repeat(32),
                settings: enums::CodeSettings::CodeSettings(types::CodeSettings::default()),
            })
            .await
            .context("auth.sendCode")?;
        let enums::auth::SentCode::SentCode(sent) = sent else {
            anyhow::bail!("auth.sendCode answered {sent:?}");
        };
        let authorization = client
            .invoke(&functions::auth::SignIn {
                phone_number: phone,
                phone_code_hash: sent.phone_code_hash,
                phone_code: Some(code),
                email_verification: None,
            })
            .await
            .context("auth.signIn")?;
        anyhow::ensure!(
            matches!(authorization, enums::auth::Authorization::Authorization(_)),
            "auth.signIn answered {authorization:?}"
        );
        Ok(())
    }
    .await;
    client.disconnect().await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_map_to_distinct_test_numbers_with_their_codes() {
        assert_eq!(test_number(0), ("9996610000".into(), "11111".into()));
        assert_eq!(test_number(9_999), ("9996619999".into(), "11111".into()));
        assert_eq!(test_number(10_000), ("9996620000".into(), "22222".into()));
        assert_eq!(
            test_number(MAX_SIGNUPS - 1),
            ("9996639999".into(), "33333".into())
        );
    }
}
