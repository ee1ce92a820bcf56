//! The chat list state beside the messages: drafts
//! (`messages.saveDraft`, `getAllDrafts`) and pinned dialogs
//! (`toggleDialogPin`, `reorderPinnedDialogs`, `getPinnedDialogs`).
//!
//! Pins are a read-modify-write of the user's pin list; two of one user's
//! sessions pinning at the same instant can lose one pin (the last write
//! wins), which the user sees and repeats.

use chappe_store::{DraftRecord, Peer, MAX_PINNED_DIALOGS};

use super::{Messaging, MessagingError, MAX_MESSAGE_LENGTH};

impl Messaging {
    /// Stores `owner`'s draft for `peer`; an empty text without a reply
    /// clears it. Answers the draft as stored (`None`: cleared).
    pub async fn save_draft(
        &self,
        owner: i64,
        peer: Peer,
        draft: DraftRecord,
    ) -> Result<Option<DraftRecord>, MessagingError> {
        super::edit::private_user(peer)?;
        self.check_peer(owner, peer).await?;
        if draft.text.encode_utf16().count() > MAX_MESSAGE_LENGTH {
            return Err(MessagingError::MessageTooLong);
        }
        let draft = (!draft.text.is_empty() || draft.reply_to.is_some()).then_some(draft);
        self.store.put_draft(owner, peer, draft.clone()).await?;
        Ok(draft)
    }

    /// Clears `owner`'s draft for `peer`; true if there was one.
    pub async fn clear_draft(&self, owner: i64, peer: Peer) -> Result<bool, MessagingError> {
        let had = self
            .store
            .list_drafts(owner)
            .await?
            .iter()
            .any(|(p, _)| *p == peer);
        if had {
            self.store.put_draft(owner, peer, None).await?;
        }
        Ok(had)
    }

    /// All of `owner`'s drafts.
    pub async fn drafts(&self, owner: i64) -> Result<Vec<(Peer, DraftRecord)>, MessagingError> {
        Ok(self.store.list_drafts(owner).await?)
    }

    /// `owner`'s pinned dialogs that still exist, in pin order.
    pub async fn pinned_dialogs(&self, owner: i64) -> Result<Vec<Peer>, MessagingError> {
        let mut pinned = Vec::new();
        for peer in self.store.pinned_dialogs(owner).await? {
            if self.store.get_dialog(owner, peer).await?.is_some() {
                pinned.push(peer);
            }
        }
        Ok(pinned)
    }

    /// Pins (first in the list) or unpins `owner`'s dialog with `peer`;
    /// true if that changed anything.
    pub async fn toggle_pin(
        &self,
        owner: i64,
        peer: Peer,
        pinned: bool,
    ) -> Result<bool, MessagingError> {
        super::edit::private_user(peer)?;
        if self.store.get_dialog(owner, peer).await?.is_none() {
            return Err(MessagingError::PeerIdInvalid);
        }
        let mut list = self.pinned_dialogs(owner).await?;
        let present = list.contains(&peer);
        if present == pinned {
            return Ok(false);
        }
        if pinned {
            if list.len() >= MAX_PINNED_DIALOGS {
                return Err(MessagingError::PinnedDialogsTooMuch);
            }
            list.insert(0, peer);
        } else {
            list.retain(|p| *p != peer);
        }
        self.store.set_pinned_dialogs(owner, list).await?;
        Ok(true)
    }

    /// Orders `owner`'s pinned dialogs as `order`; those pinned but not in
    /// `order` follow in their old order, or are unpinned with `force`.
    /// Answers the new list.
    pub async fn reorder_pinned(
        &self,
        owner: i64,
        order: &[Peer],
        force: bool,
    ) -> Result<Vec<Peer>, MessagingError> {
        let old = self.pinned_dialogs(owner).await?;
        let mut list = Vec::new();
        for &peer in order {
            super::edit::private_user(peer)?;
            if list.contains(&peer) {
                continue;
            }
            let exists = old.contains(&peer) || self.store.get_dialog(owner, peer).await?.is_some();
            if !exists {
                return Err(MessagingError::PeerIdInvalid);
            }
            list.push(peer);
        }
        if !force {
            for peer in old {
                if !list.contains(&peer) {
                    list.push(peer);
                }
            }
        }
        if list.len() > MAX_PINNED_DIALOGS {
            return Err(MessagingError::PinnedDialogsTooMuch);
        }
        self.store.set_pinned_dialogs(owner, list.clone()).await?;
        Ok(list)
    }
}
