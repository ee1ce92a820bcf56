//! Message sequence numbers: twice the number of content-related messages sent before,
//! plus one if this message is content-related itself.

/// One sender's seqno counter.
#[derive(Debug, Clone, Default)]
pub(crate) struct SeqNoCounter {
    content_related_sent: i32,
}

impl SeqNoCounter {
    /// The seqno of the next message. Wrapping rather than overflowing: a session would
    /// need 2^30 content-related messages to get there.
    pub(crate) fn next(&mut self, content_related: bool) -> i32 {
        let base = self.content_related_sent.wrapping_mul(2);
        if content_related {
            self.content_related_sent = self.content_related_sent.wrapping_add(1);
            base.wrapping_add(1)
        } else {
            base
        }
    }

    /// Skips ahead by `count` content-related messages (recovery from seqno too low).
    pub(crate) fn skip(&mut self, count: i32) {
        self.content_related_sent = self.content_related_sent.wrapping_add(count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_for_content_even_otherwise() {
        let mut seq = SeqNoCounter::default();
        assert_eq!(seq.next(false), 0);
        assert_eq!(seq.next(true), 1);
        assert_eq!(seq.next(true), 3);
        assert_eq!(seq.next(false), 4);
        assert_eq!(seq.next(false), 4);
        assert_eq!(seq.next(true), 5);
    }
}
