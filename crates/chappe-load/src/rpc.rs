//! `chappe-load rpc`: C connections with K calls of help.getNearestDc in flight each,
//! for a warm-up and then a measured window; round trips per second, latency
//! percentiles, and the server's CPU time per call.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chappe_client::{Client, InvocationError};
use chappe_tl::api::functions::help::GetNearestDc;
use tokio::task::JoinSet;

use crate::cli::RpcArgs;
use crate::cpu::cpu_time;
use crate::report::{CpuUse, Latencies};

/// Latency samples kept per caller task; calls beyond it are counted, not sampled.
const MAX_SAMPLES_PER_TASK: usize = 1_000_000;
/// Longest one call may take before the run is declared stuck.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn run(args: RpcArgs) -> anyhow::Result<()> {
    let config = args
        .target
        .client_config()?
        .max_in_flight(args.in_flight as usize);
    let server_pid = args.target.server_pid;
    println!(
        "rpc: help.getNearestDc over {} connections x {} in flight to {}, {} s warm-up, {} s measured",
        args.connections, args.in_flight, config.server, args.warmup, args.duration
    );
    let mut clients = Vec::new();
    for _ in 0..args.connections {
        clients.push(
            Client::connect(config.clone())
                .await
                .context("connecting and creating a key")?,
        );
    }

    let window_start = Instant::now() + Duration::from_secs(args.warmup);
    let window_end = window_start + Duration::from_secs(args.duration);
    let budget = Arc::new(AtomicU64::new(args.max_calls));
    let mut callers = JoinSet::new();
    for client in &clients {
        for _ in 0..args.in_flight {
            callers.spawn(caller(
                client.clone(),
                budget.clone(),
                window_start,
                window_end,
            ));
        }
    }

    tokio::time::sleep_until(window_start.into()).await;
    let server_before = server_pid.map(|pid| cpu_time(Some(pid))).transpose()?;
    let client_before = cpu_time(None)?;
    tokio::time::sleep_until(window_end.into()).await;
    let cpu = CpuUse {
        server: match (server_pid, server_before) {
            (Some(pid), Some(before)) => Some(cpu_time(Some(pid))?.saturating_sub(before)),
            _ => None,
        },
        client: cpu_time(None)?.saturating_sub(client_before),
    };

    let mut latencies = Latencies::default();
    let mut measured = 0u64;
    let mut errors = 0u64;
    while let Some(joined) = callers.join_next().await {
        let tally = joined.context("a caller task panicked")?;
        measured += tally.measured;
        errors += tally.errors;
        latencies.merge(tally.latencies);
        if let Some(e) = tally.last_error {
            eprintln!("a caller saw: {e}");
        }
    }
    for client in &clients {
        client.disconnect().await;
    }

    let window = window_end - window_start;
    println!(
        "{measured} calls in {:.2} s: {:.0} calls/s, {errors} errors",
        window.as_secs_f64(),
        measured as f64 / window.as_secs_f64()
    );
    println!(
        "latency: p50 {:.3} ms, p99 {:.3} ms ({} samples)",
        latencies.percentile(50.0).as_secs_f64() * 1e3,
        latencies.percentile(99.0).as_secs_f64() * 1e3,
        latencies.len()
    );
    cpu.print(window, measured, "call");
    anyhow::ensure!(measured > 0, "no call completed in the measured window");
    Ok(())
}

#[derive(Default)]
struct Tally {
    latencies: Latencies,
    measured: u64,
    errors: u64,
    last_error: Option<InvocationError>,
}

/// Calls one after another until the window ends or the budget is spent; counts the
/// calls that started and ended inside the window.
async fn caller(client: Client, budget: Arc<AtomicU64>, start: Instant, end: Instant) -> Tally {
    let mut tally = Tally::default();
    loop {
        let began = Instant::now();
        let spent = budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_err();
        if began >= end || spent {
            break;
        }
        let result = tokio::time::timeout(CALL_TIMEOUT, client.invoke(&GetNearestDc)).await;
        let finished = Instant::now();
        let in_window = began >= start && finished <= end;
        match result {
            Ok(Ok(_)) if in_window => {
                tally.measured += 1;
                if tally.latencies.len() < MAX_SAMPLES_PER_TASK {
                    tally.latencies.record(finished - began);
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tally.errors += 1;
                let fatal = client.closed_reason_if_closed().is_some();
                tally.last_error = Some(e);
                if fatal {
                    break;
                }
            }
            Err(_) => {
                tally.errors += 1;
                tally.last_error = Some(InvocationError::Io("call timed out".into()));
                break;
            }
        }
    }
    tally
}
