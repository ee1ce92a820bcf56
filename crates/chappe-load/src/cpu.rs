//! CPU time of a process (user + system) from /proc/PID/stat, to divide a server's work
//! by what it got done.

use std::time::Duration;

use anyhow::Context;

/// CPU time used so far by process `pid` (`None`: this process).
pub fn cpu_time(pid: Option<u32>) -> anyhow::Result<Duration> {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/stat"),
        None => "/proc/self/stat".to_owned(),
    };
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let ticks = parse_cpu_ticks(&stat).with_context(|| format!("parsing {path}"))?;
    Ok(ticks_to_duration(ticks, clock_ticks_per_second()))
}

/// utime + stime (fields 14 and 15) of a stat line. The command name (field 2) is in
/// parentheses and may itself hold spaces or parentheses, so fields are counted from
/// the last `)`.
pub fn parse_cpu_ticks(stat: &str) -> anyhow::Result<u64> {
    let after_name = stat
        .rfind(')')
        .and_then(|i| stat.get(i + 1..))
        .context("no command name")?;
    // After the name come field 3 (state) onwards: utime is the 12th of those.
    let mut fields = after_name.split_whitespace().skip(11);
    let utime: u64 = fields.next().context("no utime")?.parse()?;
    let stime: u64 = fields.next().context("no stime")?.parse()?;
    Ok(utime + stime)
}

/// The kernel's clock ticks per second (USER_HZ), 100 if it cannot be asked.
pub fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf only reads a configuration value; it has no memory effects.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    u64::try_from(ticks).ok().filter(|&t| t > 0).unwrap_or(100)
}

fn ticks_to_duration(ticks: u64, per_second: u64) -> Duration {
    Duration::from_secs(ticks / per_second)
        + Duration::from_nanos((ticks % per_second) * 1_000_000_000 / per_second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utime_and_stime_past_an_awkward_command_name() {
        let stat = "4242 (we ird) name)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 3 0 12345 0 0";
        assert_eq!(parse_cpu_ticks(stat).expect("valid"), 325);
        assert!(parse_cpu_ticks("4242 (cut short) S 1").is_err());
    }

    #[test]
    fn ticks_become_durations() {
        assert_eq!(ticks_to_duration(325, 100), Duration::from_millis(3250));
        assert!(cpu_time(None).is_ok());
    }
}
