//! RPC calls between the moment the session hands them to the application and the
//! moment their answer is queued: the bound on how many may be outstanding, the
//! ordering `invokeAfterMsg(s)` asks for, and `rpc_drop_answer` on a running call.
//!
//! `invokeAfterMsg(s)` is implemented the simple, correct way: a call naming earlier
//! messages is held back until every one of them that is still outstanding has been
//! answered; if one of them failed, the held call fails with `MSG_WAIT_FAILED` without
//! running. Only ids below the call's own count, which rules out waiting cycles.

use std::collections::{BTreeMap, HashMap};

use crate::server::IncomingCall;

/// How many finished calls are remembered for `invokeAfterMsg` outcomes.
const REMEMBERED_OUTCOMES: usize = 1024;

#[derive(Debug, Clone, Copy, Default)]
struct Running {
    /// `rpc_drop_answer` arrived while it ran: answer it with
    /// `rpc_answer_dropped_running` instead of its result.
    dropped: bool,
}

#[derive(Debug)]
struct Waiting {
    call: IncomingCall,
    after: Vec<i64>,
    dropped: bool,
}

/// What to do with a newly arrived call.
#[derive(Debug)]
pub(crate) enum Admission {
    /// Hand it to the application now.
    Run(IncomingCall),
    /// Held until the messages it names are answered.
    Held,
    /// Too many calls outstanding: refuse it.
    Busy,
    /// A message it names failed: answer it with `MSG_WAIT_FAILED`.
    WaitFailed,
}

/// A held call whose wait is over.
#[derive(Debug)]
pub(crate) enum Released {
    Run(IncomingCall),
    WaitFailed(i64),
}

/// What `rpc_drop_answer` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DropOutcome {
    /// The call is running or held; its answer will be `rpc_answer_dropped_running`.
    Running,
    /// No such call outstanding.
    NotRunning,
}

#[derive(Debug)]
pub(crate) struct Calls {
    running: HashMap<i64, Running>,
    waiting: Vec<Waiting>,
    /// req_msg_id → whether it succeeded.
    outcomes: BTreeMap<i64, bool>,
    max_outstanding: usize,
}

impl Calls {
    pub(crate) fn new(max_outstanding: usize) -> Self {
        Calls {
            running: HashMap::new(),
            waiting: Vec::new(),
            outcomes: BTreeMap::new(),
            max_outstanding: max_outstanding.max(1),
        }
    }

    pub(crate) fn outstanding(&self) -> usize {
        self.running.len() + self.waiting.len()
    }

    fn is_outstanding(&self, msg_id: i64) -> bool {
        self.running.contains_key(&msg_id)
            || self.waiting.iter().any(|w| w.call.req_msg_id == msg_id)
    }

    /// Starts tracking a request the session answers itself later (destroy_session).
    pub(crate) fn start_internal(&mut self, msg_id: i64) -> bool {
        if self.outstanding() >= self.max_outstanding {
            return false;
        }
        self.running.insert(msg_id, Running::default());
        true
    }

    pub(crate) fn admit(&mut self, call: IncomingCall, mut after: Vec<i64>) -> Admission {
        if self.outstanding() >= self.max_outstanding {
            return Admission::Busy;
        }
        let own = call.req_msg_id;
        after.retain(|&id| id < own);
        if after.iter().any(|id| self.outcomes.get(id) == Some(&false)) {
            self.record(own, false);
            return Admission::WaitFailed;
        }
        after.retain(|&id| self.is_outstanding(id));
        if after.is_empty() {
            self.running.insert(own, Running::default());
            Admission::Run(call)
        } else {
            self.waiting.push(Waiting {
                call,
                after,
                dropped: false,
            });
            Admission::Held
        }
    }

    /// The answer to `msg_id` is being queued. Returns whether `rpc_drop_answer` asked
    /// for it to be replaced, or `None` if no such call was outstanding.
    pub(crate) fn finish(&mut self, msg_id: i64, ok: bool) -> Option<bool> {
        let running = self.running.remove(&msg_id)?;
        self.record(msg_id, ok);
        Some(running.dropped)
    }

    fn record(&mut self, msg_id: i64, ok: bool) {
        self.outcomes.insert(msg_id, ok);
        while self.outcomes.len() > REMEMBERED_OUTCOMES {
            self.outcomes.pop_first();
        }
    }

    /// Held calls whose wait is over, in arrival order. Failed ones are finished here.
    pub(crate) fn release(&mut self) -> Vec<Released> {
        let mut released = Vec::new();
        loop {
            let ready = self
                .waiting
                .iter()
                .position(|w| w.after.iter().all(|id| !self.is_outstanding(*id)));
            let Some(index) = ready else {
                return released;
            };
            let waiting = self.waiting.remove(index);
            let own = waiting.call.req_msg_id;
            if waiting
                .after
                .iter()
                .any(|id| self.outcomes.get(id) == Some(&false))
            {
                self.record(own, false);
                released.push(Released::WaitFailed(own));
            } else {
                self.running.insert(
                    own,
                    Running {
                        dropped: waiting.dropped,
                    },
                );
                released.push(Released::Run(waiting.call));
            }
        }
    }

    pub(crate) fn drop_answer(&mut self, msg_id: i64) -> DropOutcome {
        if let Some(running) = self.running.get_mut(&msg_id) {
            running.dropped = true;
            return DropOutcome::Running;
        }
        if let Some(waiting) = self
            .waiting
            .iter_mut()
            .find(|w| w.call.req_msg_id == msg_id)
        {
            waiting.dropped = true;
            return DropOutcome::Running;
        }
        DropOutcome::NotRunning
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(id: i64) -> IncomingCall {
        IncomingCall {
            req_msg_id: id,
            layer: None,
            without_updates: false,
            body: vec![],
        }
    }

    #[test]
    fn after_msg_waits_for_running_call() {
        let mut calls = Calls::new(8);
        assert!(matches!(calls.admit(call(4), vec![]), Admission::Run(_)));
        assert!(matches!(calls.admit(call(8), vec![4]), Admission::Held));
        assert!(calls.release().is_empty());
        assert_eq!(calls.finish(4, true), Some(false));
        let released = calls.release();
        assert!(matches!(&released[..], [Released::Run(c)] if c.req_msg_id == 8));
    }

    #[test]
    fn failed_dependency_fails_the_waiter() {
        let mut calls = Calls::new(8);
        let _ = calls.admit(call(4), vec![]);
        let _ = calls.admit(call(8), vec![4]);
        let _ = calls.admit(call(12), vec![8]);
        calls.finish(4, false);
        let released = calls.release();
        assert!(matches!(
            &released[..],
            [Released::WaitFailed(8), Released::WaitFailed(12)]
        ));
        assert!(matches!(
            calls.admit(call(16), vec![4]),
            Admission::WaitFailed
        ));
    }

    #[test]
    fn unknown_or_later_ids_do_not_hold_and_bound_is_enforced() {
        let mut calls = Calls::new(2);
        assert!(matches!(
            calls.admit(call(8), vec![100, 4]),
            Admission::Run(_)
        ));
        assert!(matches!(calls.admit(call(12), vec![]), Admission::Run(_)));
        assert!(matches!(calls.admit(call(16), vec![]), Admission::Busy));
        assert_eq!(calls.drop_answer(8), DropOutcome::Running);
        assert_eq!(calls.finish(8, true), Some(true));
        assert_eq!(calls.finish(8, true), None);
        assert_eq!(calls.drop_answer(8), DropOutcome::NotRunning);
    }
}
