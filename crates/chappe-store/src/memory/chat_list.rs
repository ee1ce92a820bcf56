//! Drafts and pinned dialogs over plain maps.

use std::collections::{BTreeMap, HashMap};

use crate::{DraftRecord, Peer};

#[derive(Debug, Default)]
pub(super) struct ChatList {
    // (owner, peer key)
    drafts: BTreeMap<(i64, i64), (Peer, DraftRecord)>,
    pinned: HashMap<i64, Vec<Peer>>,
}

impl ChatList {
    pub(super) fn put_draft(&mut self, owner: i64, peer: Peer, draft: Option<DraftRecord>) {
        match draft {
            Some(d) => {
                self.drafts.insert((owner, peer.key()), (peer, d));
            }
            None => {
                self.drafts.remove(&(owner, peer.key()));
            }
        }
    }

    pub(super) fn drafts(&self, owner: i64) -> Vec<(Peer, DraftRecord)> {
        self.drafts
            .range((owner, i64::MIN)..=(owner, i64::MAX))
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(super) fn pinned(&self, owner: i64) -> Vec<Peer> {
        self.pinned.get(&owner).cloned().unwrap_or_default()
    }

    pub(super) fn set_pinned(&mut self, owner: i64, peers: Vec<Peer>) {
        if peers.is_empty() {
            self.pinned.remove(&owner);
        } else {
            self.pinned.insert(owner, peers);
        }
    }
}
