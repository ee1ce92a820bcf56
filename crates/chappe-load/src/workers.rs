//! Running a batch of bounded workers and measuring what the batch cost the server and
//! this process: the part every benchmark shares.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::task::JoinSet;

use crate::cpu::cpu_time;
use crate::report::{CpuUse, Latencies};

/// What one worker did.
pub struct WorkerOutcome {
    pub latencies: Latencies,
    pub failures: u32,
    /// Why the worker stopped early, if it did.
    pub fatal: Option<anyhow::Error>,
}

impl WorkerOutcome {
    pub fn new() -> Self {
        Self {
            latencies: Latencies::default(),
            failures: 0,
            fatal: None,
        }
    }
}

/// What the whole batch did, and its cost.
pub struct Batch {
    pub latencies: Latencies,
    pub failures: u32,
    pub wall: Duration,
    pub cpu: CpuUse,
}

/// Runs `workers` copies of the worker `make` builds, all at once, and measures the batch.
pub async fn run_workers<F, Fut>(
    workers: u32,
    server_pid: Option<u32>,
    make: F,
) -> anyhow::Result<Batch>
where
    F: Fn() -> Fut,
    Fut: Future<Output = WorkerOutcome> + Send + 'static,
{
    let server_before = server_pid.map(|pid| cpu_time(Some(pid))).transpose()?;
    let client_before = cpu_time(None)?;
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for _ in 0..workers {
        tasks.spawn(make());
    }
    let mut latencies = Latencies::default();
    let mut failures = 0u32;
    while let Some(joined) = tasks.join_next().await {
        let outcome = joined.context("a worker task panicked")?;
        latencies.merge(outcome.latencies);
        failures += outcome.failures;
        if let Some(e) = outcome.fatal {
            eprintln!("a worker stopped: {e:#}");
        }
    }
    let wall = started.elapsed();
    let cpu = CpuUse {
        server: match (server_pid, server_before) {
            (Some(pid), Some(before)) => Some(cpu_time(Some(pid))?.saturating_sub(before)),
            _ => None,
        },
        client: cpu_time(None)?.saturating_sub(client_before),
    };
    Ok(Batch {
        latencies,
        failures,
        wall,
        cpu,
    })
}
