//! [`FloodLimiter`]: a sliding-window rate limit per key (a phone number, an
//! IP address), answering how long to wait when the limit is hit. In memory
//! and per process; memory is bounded by evicting the least recently used
//! keys.

use std::collections::{HashMap, VecDeque};

/// At most `limit` events per `window_secs` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloodRule {
    /// Events allowed in one window.
    pub limit: u32,
    /// The window length in seconds.
    pub window_secs: i64,
}

/// Counts events per key over a sliding window.
#[derive(Debug)]
pub struct FloodLimiter {
    rule: FloodRule,
    max_keys: usize,
    // Per key, the times of the accepted events still inside the window,
    // oldest first; never longer than `rule.limit`.
    hits: HashMap<String, VecDeque<i64>>,
}

impl FloodLimiter {
    /// A limiter applying `rule` and tracking at most `max_keys` keys (at
    /// least one).
    pub fn new(rule: FloodRule, max_keys: usize) -> Self {
        Self {
            rule,
            max_keys: max_keys.max(1),
            hits: HashMap::new(),
        }
    }

    /// Records an event for `key` at `now`, or refuses it with the number of
    /// seconds until one is allowed again (at least 1). A refused event is
    /// not counted.
    pub fn hit(&mut self, key: &str, now: i64) -> Result<(), u32> {
        let window = self.rule.window_secs.max(1);
        let limit = usize::try_from(self.rule.limit).unwrap_or(usize::MAX);
        if limit == 0 {
            return Err(clamp_wait(window));
        }
        if !self.hits.contains_key(key) && self.hits.len() >= self.max_keys {
            self.evict(now, window);
        }
        let times = self.hits.entry(key.to_owned()).or_default();
        while times
            .front()
            .is_some_and(|&t| t <= now.saturating_sub(window))
        {
            times.pop_front();
        }
        if times.len() >= limit {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(clamp_wait(
                oldest.saturating_add(window).saturating_sub(now),
            ));
        }
        times.push_back(now);
        Ok(())
    }

    /// How many keys are tracked.
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    // Drops keys whose window has passed; if that frees nothing, drops the
    // least recently active eighth, so eviction work is amortised over many
    // new keys. Forgetting a key only ever makes the limit more lenient.
    fn evict(&mut self, now: i64, window: i64) {
        let cutoff = now.saturating_sub(window);
        self.hits
            .retain(|_, times| times.back().is_some_and(|&t| t > cutoff));
        if self.hits.len() < self.max_keys {
            return;
        }
        let mut last_seen: Vec<(i64, String)> = self
            .hits
            .iter()
            .map(|(key, times)| (times.back().copied().unwrap_or(i64::MIN), key.clone()))
            .collect();
        let drop = (self.max_keys / 8).max(1).min(last_seen.len());
        if drop < last_seen.len() {
            last_seen.select_nth_unstable(drop);
        }
        for (_, key) in last_seen.iter().take(drop) {
            self.hits.remove(key);
        }
    }
}

fn clamp_wait(seconds: i64) -> u32 {
    u32::try_from(seconds.max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(limit: u32, window_secs: i64) -> FloodRule {
        FloodRule { limit, window_secs }
    }

    #[test]
    fn refuses_over_the_limit_and_recovers_after_the_window() {
        let mut limiter = FloodLimiter::new(rule(2, 60), 10);
        assert_eq!(limiter.hit("a", 100), Ok(()));
        assert_eq!(limiter.hit("a", 110), Ok(()));
        assert_eq!(limiter.hit("a", 120), Err(40));
        assert_eq!(limiter.hit("b", 120), Ok(()));
        // The refused hit did not count: at 160 the first hit left the window.
        assert_eq!(limiter.hit("a", 160), Ok(()));
        assert_eq!(limiter.hit("a", 161), Err(9));
    }

    #[test]
    fn zero_limit_refuses_everything() {
        let mut limiter = FloodLimiter::new(rule(0, 30), 10);
        assert_eq!(limiter.hit("a", 0), Err(30));
    }

    #[test]
    fn memory_is_bounded() {
        let mut limiter = FloodLimiter::new(rule(5, 3600), 64);
        for i in 0..10_000 {
            let _ = limiter.hit(&i.to_string(), i);
            assert!(limiter.len() <= 64);
        }
        // The most recent key survives eviction.
        assert!(limiter.hits.contains_key("9999"));
    }

    proptest::proptest! {
        #[test]
        fn memory_stays_bounded_under_any_key_pattern(
            steps in proptest::collection::vec((0u8..4, 0i64..30), 1..200),
        ) {
            let mut limiter = FloodLimiter::new(rule(3, 60), 2);
            let mut now = 0;
            for (key, advance) in steps {
                now += advance;
                let _ = limiter.hit(&key.to_string(), now);
                proptest::prop_assert!(limiter.len() <= 2);
            }
        }

        #[test]
        fn a_single_key_is_exactly_limited(times in proptest::collection::vec(0i64..10, 1..100)) {
            let mut limiter = FloodLimiter::new(rule(3, 60), 10);
            let mut now = 0;
            let mut accepted = Vec::new();
            for advance in times {
                now += advance;
                if limiter.hit("k", now).is_ok() {
                    accepted.push(now);
                }
            }
            for (i, &t) in accepted.iter().enumerate() {
                let in_window = accepted[i..].iter().filter(|&&u| u < t + 60).count();
                proptest::prop_assert!(in_window <= 3);
            }
        }
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        // Only "no panic, and still refusing" matters at the extremes.
        let mut limiter = FloodLimiter::new(rule(1, i64::MAX), 4);
        assert_eq!(limiter.hit("a", 0), Ok(()));
        assert_eq!(limiter.hit("a", 0), Err(u32::MAX));
        let _ = limiter.hit("a", i64::MAX);
        let mut limiter = FloodLimiter::new(rule(1, 10), 4);
        assert_eq!(limiter.hit("a", i64::MAX), Ok(()));
        assert!(limiter.hit("a", i64::MAX).is_err());
    }
}
