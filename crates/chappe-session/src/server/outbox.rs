//! What the server has to send in one session: fresh messages, content-related messages
//! sent but not yet acknowledged (kept for re-sending), and acknowledgements owed to
//! the client, packed into packets with server msg_ids and seqnos.
//!
//! Message ids are assigned when a message is first put on the wire, so a message that
//! waited in the queue (no connection attached) still leaves with a fresh id. A
//! re-sent message keeps its original id and seqno and is always wrapped in a
//! container with a new id: MTProto forbids sending a message again on its own with the
//! same id, and clients check the age of the outer id only.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Duration;

use crate::seq_no::SeqNoCounter;
use crate::service;
use crate::time::{MsgIdGenerator, Timestamp};
use crate::wire::{ids, put_i32, put_message, put_u32, MAX_IDS_PER_VECTOR, MESSAGE_HEADER_LEN};

/// Most acknowledgements owed at once.
const MAX_OWED_ACKS: usize = 2 * MAX_IDS_PER_VECTOR;
/// Low msg_id bits of a server message that answers a client message.
const RESPONSE_BITS: i64 = 1;
/// Low msg_id bits of any other server message.
const NOTIFICATION_BITS: i64 = 3;

/// One message waiting to be sent for the first time.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub(crate) body: Vec<u8>,
    pub(crate) content_related: bool,
    /// Whether it answers a client message (msg_id ≡ 1 mod 4) or not (≡ 3 mod 4).
    pub(crate) response: bool,
    /// The client request this is the `rpc_result` of.
    pub(crate) answers: Option<i64>,
}

#[derive(Debug, Clone)]
struct Sent {
    seq_no: i32,
    body: Vec<u8>,
    answers: Option<i64>,
}

/// Where an answer went when the client asked to drop it (`rpc_answer_dropped`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DroppedAnswer {
    pub(crate) msg_id: i64,
    pub(crate) seq_no: i32,
    pub(crate) bytes: i32,
}

/// Bounds and timing of the outbox.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OutboxLimits {
    pub(crate) max_bytes: usize,
    pub(crate) max_messages: usize,
    pub(crate) max_packet_bytes: usize,
    pub(crate) max_container_messages: usize,
    pub(crate) ack_delay: Duration,
    pub(crate) ack_threshold: usize,
}

/// An outer message ready to be encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Packet {
    pub(crate) msg_id: i64,
    pub(crate) seq_no: i32,
    pub(crate) body: Vec<u8>,
}

#[derive(Debug)]
pub(crate) struct Outbox {
    limits: OutboxLimits,
    ids: MsgIdGenerator,
    seq: SeqNoCounter,
    fresh: VecDeque<Outgoing>,
    unacked: BTreeMap<i64, Sent>,
    resend: BTreeSet<i64>,
    /// Request msg_id → msg_id of its sent, unacknowledged answer.
    sent_answers: HashMap<i64, i64>,
    acks: Vec<i64>,
    acks_since: Option<Timestamp>,
    /// Body bytes held in `fresh` and `unacked`.
    bytes: usize,
}

impl Outbox {
    pub(crate) fn new(limits: OutboxLimits) -> Self {
        Outbox {
            limits,
            ids: MsgIdGenerator::default(),
            seq: SeqNoCounter::default(),
            fresh: VecDeque::new(),
            unacked: BTreeMap::new(),
            resend: BTreeSet::new(),
            sent_answers: HashMap::new(),
            acks: Vec::new(),
            acks_since: None,
            bytes: 0,
        }
    }

    pub(crate) fn push(&mut self, message: Outgoing) {
        self.bytes += message.body.len();
        self.fresh.push_back(message);
        self.enforce_limits();
    }

    /// Queues `message` ahead of everything not yet sent (`new_session_created`).
    pub(crate) fn push_front(&mut self, message: Outgoing) {
        self.bytes += message.body.len();
        self.fresh.push_front(message);
        self.enforce_limits();
    }

    /// Drops the oldest unacknowledged messages, then the oldest unsent ones, until the
    /// outbox fits its bounds again. A client that never acknowledges cannot make the
    /// server hold unbounded memory; what is dropped is lost to it (updates are
    /// recovered through getDifference, answers through a retried request).
    fn enforce_limits(&mut self) {
        while self.bytes > self.limits.max_bytes
            || self.fresh.len() + self.unacked.len() > self.limits.max_messages
        {
            if let Some((msg_id, sent)) = self.unacked.pop_first() {
                tracing::debug!(msg_id, "outbox full: dropping an unacknowledged message");
                self.forget_sent(msg_id, &sent);
            } else if let Some(oldest) = self.fresh.pop_front() {
                tracing::debug!("outbox full: dropping an unsent message");
                self.bytes = self.bytes.saturating_sub(oldest.body.len());
            } else {
                break;
            }
        }
    }

    fn forget_sent(&mut self, msg_id: i64, sent: &Sent) {
        self.bytes = self.bytes.saturating_sub(sent.body.len());
        self.resend.remove(&msg_id);
        if let Some(req) = sent.answers {
            self.sent_answers.remove(&req);
        }
    }

    /// Owes the client an acknowledgement of `msg_id`. Beyond a bound, further acks
    /// are not recorded: the client re-sends what stays unacknowledged.
    pub(crate) fn owe_ack(&mut self, msg_id: i64, now: Timestamp) {
        if self.acks.len() >= MAX_OWED_ACKS {
            return;
        }
        self.acks.push(msg_id);
        self.acks_since.get_or_insert(now);
    }

    /// An answer to `msg_id` is being sent; it acknowledges the message by itself.
    pub(crate) fn answered(&mut self, msg_id: i64) {
        self.acks.retain(|&id| id != msg_id);
        if self.acks.is_empty() {
            self.acks_since = None;
        }
    }

    /// The client acknowledged these server messages: they need no re-sending.
    pub(crate) fn on_client_ack(&mut self, msg_ids: &[i64]) {
        for msg_id in msg_ids {
            if let Some(sent) = self.unacked.remove(msg_id) {
                self.forget_sent(*msg_id, &sent);
            }
        }
    }

    /// Re-sends every unacknowledged message (a connection was (re)attached).
    pub(crate) fn resend_unacked(&mut self) {
        self.resend.extend(self.unacked.keys().copied());
    }

    /// Re-sends the given messages if every one of them is still held.
    pub(crate) fn resend_if_all_known(&mut self, msg_ids: &[i64]) -> bool {
        if !msg_ids.iter().all(|id| self.unacked.contains_key(id)) {
            return false;
        }
        self.resend.extend(msg_ids.iter().copied());
        true
    }

    pub(crate) fn holds(&self, msg_id: i64) -> bool {
        self.unacked.contains_key(&msg_id)
    }

    /// Whether the answer to `req_msg_id` was sent and is still held.
    pub(crate) fn answer_held(&self, req_msg_id: i64) -> bool {
        self.sent_answers.contains_key(&req_msg_id)
    }

    /// Re-sends the answer to `req_msg_id` if one was sent and is not acknowledged.
    pub(crate) fn resend_answer(&mut self, req_msg_id: i64) -> bool {
        match self.sent_answers.get(&req_msg_id) {
            Some(&answer) => {
                self.resend.insert(answer);
                true
            }
            None => false,
        }
    }

    /// Removes the answer to `req_msg_id`, sent or not, and tells where it was.
    pub(crate) fn take_answer(&mut self, req_msg_id: i64) -> Option<DroppedAnswer> {
        if let Some(pos) = self
            .fresh
            .iter()
            .position(|m| m.answers == Some(req_msg_id))
        {
            let message = self.fresh.remove(pos)?;
            self.bytes = self.bytes.saturating_sub(message.body.len());
            return Some(DroppedAnswer {
                msg_id: 0,
                seq_no: 0,
                bytes: i32::try_from(message.body.len()).unwrap_or(i32::MAX),
            });
        }
        let msg_id = self.sent_answers.get(&req_msg_id).copied()?;
        let sent = self.unacked.remove(&msg_id)?;
        self.forget_sent(msg_id, &sent);
        Some(DroppedAnswer {
            msg_id,
            seq_no: sent.seq_no,
            bytes: i32::try_from(sent.body.len()).unwrap_or(i32::MAX),
        })
    }

    fn acks_due(&self, now: Timestamp) -> bool {
        match self.acks_since {
            Some(since) => {
                self.acks.len() >= self.limits.ack_threshold
                    || now >= since.saturating_add(self.limits.ack_delay)
            }
            None => false,
        }
    }

    /// When [`Outbox::next_packet`] has something to send without new input.
    pub(crate) fn poll_timeout(&self) -> Option<Timestamp> {
        if !self.fresh.is_empty() || !self.resend.is_empty() {
            return Some(Timestamp::default());
        }
        self.acks_since
            .map(|since| since.saturating_add(self.limits.ack_delay))
    }

    /// Whether `extra` more bytes / one more message still fit the packet being built.
    fn fits(&self, count: usize, size: usize, extra: usize) -> bool {
        count == 0
            || (count < self.limits.max_container_messages
                && size + extra <= self.limits.max_packet_bytes)
    }

    /// The next outer message to send, if any: re-sends first, then fresh messages,
    /// then owed acknowledgements, packed into one container when there are several.
    pub(crate) fn next_packet(&mut self, now: Timestamp) -> Option<Packet> {
        if self.fresh.is_empty() && self.resend.is_empty() && !self.acks_due(now) {
            return None;
        }
        let mut items: Vec<Packet> = Vec::new();
        let mut size = 0usize;
        let mut any_response = false;
        let mut has_resend = false;

        while let Some(&msg_id) = self.resend.first() {
            let Some(sent) = self.unacked.get(&msg_id) else {
                self.resend.remove(&msg_id);
                continue;
            };
            let len = MESSAGE_HEADER_LEN + sent.body.len();
            if !self.fits(items.len(), size, len) {
                break;
            }
            self.resend.remove(&msg_id);
            any_response |= msg_id & 3 == RESPONSE_BITS;
            items.push(Packet {
                msg_id,
                seq_no: sent.seq_no,
                body: sent.body.clone(),
            });
            size += len;
            has_resend = true;
        }

        while let Some(front) = self.fresh.front() {
            let len = MESSAGE_HEADER_LEN + front.body.len();
            if !self.fits(items.len(), size, len) {
                break;
            }
            let Some(message) = self.fresh.pop_front() else {
                break;
            };
            let bits = if message.response {
                RESPONSE_BITS
            } else {
                NOTIFICATION_BITS
            };
            any_response |= message.response;
            let msg_id = self.ids.next(now, bits);
            let seq_no = self.seq.next(message.content_related);
            if message.content_related {
                self.unacked.insert(
                    msg_id,
                    Sent {
                        seq_no,
                        body: message.body.clone(),
                        answers: message.answers,
                    },
                );
                if let Some(req) = message.answers {
                    self.sent_answers.insert(req, msg_id);
                }
            } else {
                self.bytes = self.bytes.saturating_sub(message.body.len());
            }
            items.push(Packet {
                msg_id,
                seq_no,
                body: message.body,
            });
            size += len;
        }

        if !self.acks.is_empty() {
            let take = self.acks.len().min(MAX_IDS_PER_VECTOR);
            let acked: Vec<i64> = self.acks.drain(..take).collect();
            if self.acks.is_empty() {
                self.acks_since = None;
            }
            let body = service::msgs_ack(&acked);
            size += MESSAGE_HEADER_LEN + body.len();
            any_response = true;
            items.push(Packet {
                msg_id: self.ids.next(now, RESPONSE_BITS),
                seq_no: self.seq.next(false),
                body,
            });
        }

        if items.len() == 1 && !has_resend {
            return items.pop();
        }
        let mut body = Vec::with_capacity(size + 8);
        put_u32(&mut body, ids::MSG_CONTAINER);
        put_i32(&mut body, items.len() as i32);
        for item in &items {
            put_message(&mut body, item.msg_id, item.seq_no, &item.body);
        }
        let bits = if any_response {
            RESPONSE_BITS
        } else {
            NOTIFICATION_BITS
        };
        Some(Packet {
            msg_id: self.ids.next(now, bits),
            seq_no: self.seq.next(false),
            body,
        })
    }

    #[cfg(test)]
    pub(crate) fn unacked_len(&self) -> usize {
        self.unacked.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::parse_container;

    fn limits() -> OutboxLimits {
        OutboxLimits {
            max_bytes: 1 << 20,
            max_messages: 100,
            max_packet_bytes: 1 << 16,
            max_container_messages: 16,
            ack_delay: Duration::from_millis(100),
            ack_threshold: 8,
        }
    }

    fn content(body: &[u8], answers: Option<i64>) -> Outgoing {
        Outgoing {
            body: body.to_vec(),
            content_related: true,
            response: answers.is_some(),
            answers,
        }
    }

    const NOW: Timestamp = Timestamp::from_secs(1_700_000_000);

    #[test]
    fn single_message_goes_bare_and_several_in_a_container() {
        let mut outbox = Outbox::new(limits());
        outbox.push(content(&[1, 0, 0, 0], Some(4)));
        let p = outbox.next_packet(NOW).unwrap();
        assert_eq!((p.msg_id & 3, p.seq_no), (1, 1));
        assert_eq!(p.body, vec![1, 0, 0, 0]);
        assert!(outbox.next_packet(NOW).is_none());

        outbox.push(content(&[2, 0, 0, 0], None));
        outbox.owe_ack(8, NOW);
        let p = outbox.next_packet(NOW).unwrap();
        let inner = parse_container(&p.body).unwrap();
        assert_eq!(inner.len(), 2);
        assert!(inner
            .iter()
            .all(|m| m.msg_id < p.msg_id && m.seq_no <= p.seq_no));
        assert_eq!(inner[0].msg_id & 3, 3);
        assert_eq!(p.seq_no % 2, 0);
    }

    #[test]
    fn lone_acks_wait_for_the_delay_or_the_threshold() {
        let mut outbox = Outbox::new(limits());
        outbox.owe_ack(4, NOW);
        assert!(outbox.next_packet(NOW).is_none());
        assert_eq!(
            outbox.poll_timeout(),
            Some(NOW.saturating_add(Duration::from_millis(100)))
        );
        assert!(outbox
            .next_packet(NOW.saturating_add(Duration::from_millis(100)))
            .is_some());
        for id in 0..8 {
            outbox.owe_ack(id * 4, NOW);
        }
        assert!(outbox.next_packet(NOW).is_some());
        outbox.owe_ack(4, NOW);
        outbox.answered(4);
        assert_eq!(outbox.poll_timeout(), None);
    }

    #[test]
    fn resend_keeps_ids_inside_a_new_container_until_acked() {
        let mut outbox = Outbox::new(limits());
        outbox.push(content(&[9, 0, 0, 0], Some(40)));
        let first = outbox.next_packet(NOW).unwrap();
        outbox.resend_unacked();
        let again = outbox.next_packet(NOW).unwrap();
        let inner = parse_container(&again.body).unwrap();
        assert_eq!(inner.len(), 1);
        assert_eq!(
            (inner[0].msg_id, inner[0].body),
            (first.msg_id, &first.body[..])
        );
        assert!(again.msg_id > first.msg_id);

        assert!(outbox.resend_answer(40));
        outbox.on_client_ack(&[first.msg_id]);
        assert!(!outbox.resend_answer(40));
        outbox.resend_unacked();
        assert!(outbox.next_packet(NOW).is_none());
    }

    #[test]
    fn bounded_by_bytes_and_messages() {
        let mut small = limits();
        small.max_messages = 4;
        let mut outbox = Outbox::new(small);
        for i in 0..10u8 {
            outbox.push(content(&[i, 0, 0, 0], None));
            let _ = outbox.next_packet(NOW);
        }
        assert!(outbox.unacked_len() <= 4);
    }

    #[test]
    fn take_answer_from_queue_or_from_sent() {
        let mut outbox = Outbox::new(limits());
        outbox.push(content(&[1, 0, 0, 0], Some(4)));
        assert_eq!(outbox.take_answer(4).map(|d| d.msg_id), Some(0));
        outbox.push(content(&[1, 0, 0, 0], Some(8)));
        let sent = outbox.next_packet(NOW).unwrap();
        let dropped = outbox.take_answer(8).unwrap();
        assert_eq!(
            (dropped.msg_id, dropped.seq_no, dropped.bytes),
            (sent.msg_id, 1, 4)
        );
        assert_eq!(outbox.take_answer(8), None);
    }
}
