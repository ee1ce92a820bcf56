//! Latency percentiles and the lines both benchmarks print.

use std::time::Duration;

/// Latency samples in microseconds.
#[derive(Debug, Default)]
pub struct Latencies {
    samples: Vec<u32>,
}

impl Latencies {
    /// Adds one sample.
    pub fn record(&mut self, latency: Duration) {
        self.samples
            .push(u32::try_from(latency.as_micros()).unwrap_or(u32::MAX));
    }

    /// Adds every sample of `other`.
    pub fn merge(&mut self, mut other: Latencies) {
        self.samples.append(&mut other.samples);
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// The `p`-th percentile (0 < p ≤ 100), nearest-rank; zero without samples.
    pub fn percentile(&mut self, p: f64) -> Duration {
        if self.samples.is_empty() {
            return Duration::ZERO;
        }
        self.samples.sort_unstable();
        let rank = ((p / 100.0) * self.samples.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.samples.len()) - 1;
        Duration::from_micros(u64::from(self.samples[index]))
    }
}

/// CPU seconds of the server and of this process over a run.
#[derive(Debug, Clone, Copy)]
pub struct CpuUse {
    pub server: Option<Duration>,
    pub client: Duration,
}

impl CpuUse {
    /// Prints CPU use, and per `unit` ("key", "call") costs for `done` units.
    pub fn print(&self, wall: Duration, done: u64, unit: &str) {
        let wall_s = wall.as_secs_f64();
        let per = |cpu: Duration| cpu.as_secs_f64() * 1e6 / done.max(1) as f64;
        if let Some(server) = self.server {
            let secs = server.as_secs_f64();
            println!(
                "server CPU: {secs:.2} s ({:.2} cores busy), {:.1} µs per {unit}, {:.0} {unit}s per server core-second",
                secs / wall_s,
                per(server),
                done as f64 / secs.max(f64::EPSILON),
            );
        }
        let client = self.client.as_secs_f64();
        println!(
            "client CPU (chappe-load itself): {client:.2} s ({:.2} cores busy), {:.1} µs per {unit}",
            client / wall_s,
            per(self.client),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut latencies = Latencies::default();
        assert_eq!(latencies.percentile(50.0), Duration::ZERO);
        for micros in (1..=100).rev() {
            latencies.record(Duration::from_micros(micros));
        }
        assert_eq!(latencies.percentile(50.0), Duration::from_micros(50));
        assert_eq!(latencies.percentile(99.0), Duration::from_micros(99));
        assert_eq!(latencies.percentile(100.0), Duration::from_micros(100));
    }
}
