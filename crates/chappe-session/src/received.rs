//! The bounded memory of message ids received from the peer: duplicate detection,
//! the "too old to tell" floor, the seqno ordering rules and the per-message state that
//! `msgs_state_req` asks about.
//!
//! MTProto's rule: remember the last N msg_ids; a message whose id equals a remembered
//! one is a duplicate, one below every remembered id cannot be told apart from a
//! duplicate and is refused as too old. When over N, the lowest id is forgotten.

use std::collections::BTreeMap;
use std::ops::Bound;

/// What the receiver knows about one remembered message (`msgs_state_info` bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Received {
    pub(crate) seq_no: i32,
    /// It was an RPC query handed to the application.
    pub(crate) is_call: bool,
    /// A content-related answer to it has been produced.
    pub(crate) answered: bool,
    /// An explicit acknowledgement (msgs_ack or the answer) has been sent for it.
    pub(crate) acked: bool,
    /// It was a container (containers never need acknowledging).
    pub(crate) is_container: bool,
}

/// How a message id relates to what has been received before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seen {
    /// Not received before.
    New,
    /// Received before.
    Duplicate,
    /// Below every remembered id once the memory is full: it may or may not have been
    /// received (bad_msg_notification code 20).
    Forgotten,
}

/// A seqno ordering violation (bad_msg_notification codes 32 and 33).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeqNoViolation {
    /// An earlier message has a higher seqno, or the same odd one (code 32).
    TooLow,
    /// A later message has a lower seqno, or the same odd one (code 33).
    TooHigh,
}

#[derive(Debug, Clone)]
pub(crate) struct ReceivedWindow {
    records: BTreeMap<i64, Received>,
    capacity: usize,
    /// The highest id ever forgotten; ids at or below it are [`Seen::Forgotten`].
    floor: Option<i64>,
}

impl ReceivedWindow {
    pub(crate) fn new(capacity: usize) -> Self {
        ReceivedWindow {
            records: BTreeMap::new(),
            capacity: capacity.max(1),
            floor: None,
        }
    }

    pub(crate) fn seen(&self, msg_id: i64) -> Seen {
        if self.records.contains_key(&msg_id) {
            Seen::Duplicate
        } else if self.floor.is_some_and(|floor| msg_id <= floor) {
            Seen::Forgotten
        } else {
            Seen::New
        }
    }

    /// Checks MTProto's seqno ordering for a new message against its remembered
    /// neighbours: seqno must not decrease as msg_id increases, and two messages may
    /// share a seqno only if it is even (neither of them is content-related).
    pub(crate) fn check_seq_no(&self, msg_id: i64, seq_no: i32) -> Option<SeqNoViolation> {
        let below = self.records.range(..msg_id).next_back();
        if let Some((_, earlier)) = below {
            if earlier.seq_no > seq_no || (earlier.seq_no == seq_no && seq_no & 1 == 1) {
                return Some(SeqNoViolation::TooLow);
            }
        }
        let above = self
            .records
            .range((Bound::Excluded(msg_id), Bound::Unbounded))
            .next();
        if let Some((_, later)) = above {
            if later.seq_no < seq_no || (later.seq_no == seq_no && seq_no & 1 == 1) {
                return Some(SeqNoViolation::TooHigh);
            }
        }
        None
    }

    pub(crate) fn insert(&mut self, msg_id: i64, record: Received) {
        self.records.insert(msg_id, record);
        while self.records.len() > self.capacity {
            if let Some((forgotten, _)) = self.records.pop_first() {
                self.floor = Some(self.floor.map_or(forgotten, |f| f.max(forgotten)));
            }
        }
    }

    pub(crate) fn get_mut(&mut self, msg_id: i64) -> Option<&mut Received> {
        self.records.get_mut(&msg_id)
    }

    pub(crate) fn get(&self, msg_id: i64) -> Option<&Received> {
        self.records.get(&msg_id)
    }

    /// The `msgs_state_info` status byte for `msg_id`.
    pub(crate) fn state_byte(&self, msg_id: i64) -> u8 {
        if let Some(r) = self.records.get(&msg_id) {
            let mut state = 4u8;
            let content_related = r.seq_no & 1 == 1 && !r.is_container;
            if !content_related {
                state |= 16;
            } else if r.acked {
                state |= 8;
            }
            if r.is_call {
                state |= 32;
            }
            if r.answered {
                state |= 64;
            }
            return state;
        }
        if self.floor.is_some_and(|floor| msg_id <= floor) {
            return 1;
        }
        match self.records.last_key_value() {
            Some((&highest, _)) if msg_id < highest => 2,
            _ => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(seq_no: i32) -> Received {
        Received {
            seq_no,
            ..Received::default()
        }
    }

    #[test]
    fn duplicates_and_floor() {
        let mut w = ReceivedWindow::new(3);
        for id in [40, 80, 120] {
            assert_eq!(w.seen(id), Seen::New);
            w.insert(id, rec(1));
        }
        assert_eq!(w.seen(80), Seen::Duplicate);
        w.insert(160, rec(3));
        assert_eq!(w.seen(40), Seen::Forgotten);
        assert_eq!(w.seen(36), Seen::Forgotten);
        assert_eq!(w.seen(44), Seen::New);
        assert_eq!(w.state_byte(40), 1);
        assert_eq!(w.state_byte(100), 2);
        assert_eq!(w.state_byte(200), 3);
        assert_eq!(w.state_byte(80) & 4, 4);
    }

    #[test]
    fn seq_no_rules() {
        let mut w = ReceivedWindow::new(16);
        w.insert(100, rec(5));
        w.insert(200, rec(8));
        // Between them: 6 (even) or 7 (odd) fit.
        assert_eq!(w.check_seq_no(150, 6), None);
        assert_eq!(w.check_seq_no(150, 7), None);
        assert_eq!(w.check_seq_no(150, 4), Some(SeqNoViolation::TooLow));
        assert_eq!(w.check_seq_no(150, 5), Some(SeqNoViolation::TooLow));
        assert_eq!(w.check_seq_no(150, 9), Some(SeqNoViolation::TooHigh));
        // Equal even seqnos are fine (non-content messages do not advance it).
        assert_eq!(w.check_seq_no(250, 8), None);
        assert_eq!(w.check_seq_no(50, 5), Some(SeqNoViolation::TooHigh));
        assert_eq!(w.check_seq_no(50, 4), None);
    }
}
