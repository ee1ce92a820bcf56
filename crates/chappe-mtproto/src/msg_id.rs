//! Message identifiers: `msg_id ≈ unixtime * 2^32`, with the lower two bits telling who
//! sent it (client: 0 mod 4; server responses: 1 mod 4; server-initiated: 3 mod 4).

use crate::MsgIdError;

const NANOS_PER_SEC: u64 = 1_000_000_000;
/// A client msg_id may be this far behind the server clock.
const MAX_PAST_SECS: i64 = 300;
/// … and this far ahead.
const MAX_FUTURE_SECS: i64 = 30;

/// The msg_id that corresponds to a unix time in nanoseconds, before its lower bits are
/// set: seconds in the upper 32 bits, the fraction of a second scaled to 2^32 below.
pub fn msg_id_from_unix_ns(unix_ns: u64) -> i64 {
    let secs = unix_ns / NANOS_PER_SEC;
    let frac = ((unix_ns % NANOS_PER_SEC) << 32) / NANOS_PER_SEC;
    ((secs << 32) | frac) as i64
}

/// The unix time (whole seconds) a msg_id claims.
pub fn msg_id_time(msg_id: i64) -> i64 {
    msg_id >> 32
}

/// Checks a msg_id received from a client against the server clock: divisible by 4 and
/// within 300 s in the past / 30 s in the future.
pub fn check_client_msg_id(msg_id: i64, now_unix_ns: u64) -> Result<(), MsgIdError> {
    if msg_id % 4 != 0 {
        return Err(MsgIdError::WrongParity);
    }
    let now = (now_unix_ns / NANOS_PER_SEC) as i64;
    let claimed = msg_id_time(msg_id);
    if claimed < now - MAX_PAST_SECS {
        return Err(MsgIdError::TooOld);
    }
    if claimed > now + MAX_FUTURE_SECS {
        return Err(MsgIdError::TooNew);
    }
    Ok(())
}

/// Hands out strictly increasing msg_ids of the three kinds; one per session (a server
/// session's ids must grow monotonically across both server kinds).
#[derive(Debug, Clone, Default)]
pub struct MsgIdGenerator {
    last: i64,
}

impl MsgIdGenerator {
    /// A generator that has issued nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A server id answering a client message (≡ 1 mod 4).
    pub fn next_response(&mut self, now_unix_ns: u64) -> i64 {
        self.next_with_low_bits(now_unix_ns, 1)
    }

    /// A server id for a message the server initiates (≡ 3 mod 4).
    pub fn next_server_initiated(&mut self, now_unix_ns: u64) -> i64 {
        self.next_with_low_bits(now_unix_ns, 3)
    }

    /// A client id (≡ 0 mod 4), for our client.
    pub fn next_client(&mut self, now_unix_ns: u64) -> i64 {
        self.next_with_low_bits(now_unix_ns, 0)
    }

    fn next_with_low_bits(&mut self, now_unix_ns: u64, low_bits: i64) -> i64 {
        let from_clock = msg_id_from_unix_ns(now_unix_ns) & !3;
        // If the clock has not moved past the last id (or went back), step just past it.
        let after_last = (self.last & !3).saturating_add(4);
        let id = from_clock.max(after_last) | low_bits;
        self.last = id;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_700_000_000 * NANOS_PER_SEC + 500_000_000;

    #[test]
    fn time_maps_to_the_upper_bits() {
        let id = msg_id_from_unix_ns(T);
        assert_eq!(msg_id_time(id), 1_700_000_000);
        // Half a second is 2^31 in the lower half.
        assert_eq!(id & 0xffff_ffff, 1 << 31);
    }

    #[test]
    fn ids_have_the_right_residues_and_strictly_increase() {
        let mut generator = MsgIdGenerator::new();
        let mut previous = 0;
        for step in 0..100 {
            // The clock stands still for a while, then jumps backwards.
            let now = if step < 50 { T } else { T - 1_000 };
            let id = match step % 3 {
                0 => generator.next_response(now),
                1 => generator.next_server_initiated(now),
                _ => generator.next_client(now),
            };
            assert!(id > previous);
            assert_eq!(id.rem_euclid(4), [1, 3, 0][step % 3]);
            previous = id;
        }
    }

    #[test]
    fn client_id_checks() {
        let now_id = msg_id_from_unix_ns(T) & !3;
        assert_eq!(check_client_msg_id(now_id, T), Ok(()));
        assert_eq!(
            check_client_msg_id(now_id | 1, T),
            Err(MsgIdError::WrongParity)
        );
        let old = now_id - (301 << 32);
        assert_eq!(check_client_msg_id(old, T), Err(MsgIdError::TooOld));
        let new = now_id + (31 << 32);
        assert_eq!(check_client_msg_id(new, T), Err(MsgIdError::TooNew));
        assert_eq!(MsgIdError::TooNew.bad_msg_code(), 17);
    }
}
