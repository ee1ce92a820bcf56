//! The rules of the message writes, once for every backend.
//!
//! A backend implements [`BoxTxn`] over one of its transactions (the memory
//! backend over its locked maps, redb over a write transaction); the
//! functions here run the whole operation inside it, so "send a private
//! message" (both ids, both pts, both copies, both log entries, both dialogs
//! and the random id index) commits or fails as one.

use crate::messages::{
    count_unread, BoxState, DialogRecord, HistoryQuery, MessageRecord, NewPrivateMessage, Peer,
    ReadOutcome, SentPrivateMessage, StoredCopy, UpdateEntry, UpdateKind,
};
use crate::StoreError;

/// The table operations the message writes need, inside one transaction.
pub(crate) trait BoxTxn {
    fn box_state(&mut self, owner: i64) -> Result<BoxState, StoreError>;
    fn put_box_state(&mut self, owner: i64, state: BoxState) -> Result<(), StoreError>;
    fn message(&mut self, owner: i64, id: i32) -> Result<Option<MessageRecord>, StoreError>;
    /// Stores the message and its history index entry.
    fn put_message(&mut self, message: &MessageRecord) -> Result<(), StoreError>;
    fn dialog(&mut self, owner: i64, peer: Peer) -> Result<Option<DialogRecord>, StoreError>;
    fn put_dialog(&mut self, owner: i64, dialog: &DialogRecord) -> Result<(), StoreError>;
    fn put_update(&mut self, owner: i64, entry: &UpdateEntry) -> Result<(), StoreError>;
    /// (message id, pts) of the sender's copy sent with this random id.
    fn random_id(&mut self, owner: i64, random_id: i64) -> Result<Option<(i32, i32)>, StoreError>;
    fn put_random_id(
        &mut self,
        owner: i64,
        random_id: i64,
        sent: (i32, i32),
    ) -> Result<(), StoreError>;
    fn history(
        &mut self,
        owner: i64,
        query: &HistoryQuery,
    ) -> Result<Vec<MessageRecord>, StoreError>;
    /// Removes the message and its history index entry (no-op if absent).
    fn delete_message(&mut self, owner: i64, id: i32) -> Result<(), StoreError>;
    fn delete_dialog(&mut self, owner: i64, peer: Peer) -> Result<(), StoreError>;
}

pub(crate) fn overflow() -> StoreError {
    StoreError::Corrupt {
        table: "boxes",
        reason: "message id or pts counter overflowed".into(),
    }
}

/// Appends one entry of `pts_count` 1 to `owner`'s log; answers it.
pub(crate) fn append(
    txn: &mut impl BoxTxn,
    owner: i64,
    date: i64,
    kind: UpdateKind,
) -> Result<UpdateEntry, StoreError> {
    let mut state = txn.box_state(owner)?;
    state.pts = state.pts.checked_add(1).ok_or_else(overflow)?;
    let entry = UpdateEntry {
        pts: state.pts,
        pts_count: 1,
        date,
        kind,
    };
    txn.put_update(owner, &entry)?;
    txn.put_box_state(owner, state)?;
    Ok(entry)
}

/// Stores `message` in `owner`'s box with the next id, logs it and moves
/// the dialog; answers the copy and its pts.
pub(crate) fn store_copy(
    txn: &mut impl BoxTxn,
    owner: i64,
    mut message: MessageRecord,
) -> Result<StoredCopy, StoreError> {
    let mut state = txn.box_state(owner)?;
    state.last_message_id = state.last_message_id.checked_add(1).ok_or_else(overflow)?;
    message.owner = owner;
    message.id = state.last_message_id;
    txn.put_box_state(owner, state)?;
    txn.put_message(&message)?;

    let mut dialog = txn.dialog(owner, message.peer)?.unwrap_or(DialogRecord {
        peer: message.peer,
        top_message: 0,
        top_date: 0,
        read_inbox_max_id: 0,
        read_outbox_max_id: 0,
        unread_count: 0,
    });
    dialog.top_message = message.id;
    dialog.top_date = message.date;
    if message.out {
        // Sending marks everything before as read, as Telegram does.
        dialog.read_inbox_max_id = message.id;
        dialog.unread_count = 0;
    } else {
        dialog.unread_count = dialog.unread_count.saturating_add(1);
    }
    if message.peer == Peer::User(owner) {
        // Saved Messages: nothing is ever unread or unread by the peer.
        dialog.read_outbox_max_id = message.id;
    }
    txn.put_dialog(owner, &dialog)?;
    let entry = append(
        txn,
        owner,
        message.date,
        UpdateKind::NewMessage { id: message.id },
    )?;
    Ok(StoredCopy {
        message,
        pts: entry.pts,
    })
}

/// The whole private send; see [`crate::Store::send_private_message`].
pub(crate) fn send_private(
    txn: &mut impl BoxTxn,
    new: &NewPrivateMessage,
) -> Result<SentPrivateMessage, StoreError> {
    let random_id = new.random_id.filter(|_| new.sender_copy);
    if let Some(random_id) = random_id {
        if let Some((id, pts)) = txn.random_id(new.from, random_id)? {
            let message = txn.message(new.from, id)?;
            return Ok(SentPrivateMessage {
                sender: message.map(|message| StoredCopy { message, pts }),
                recipient: None,
                duplicate: true,
            });
        }
    }
    let base = MessageRecord {
        owner: 0,
        id: 0,
        peer: Peer::User(new.to),
        from_id: new.from,
        out: true,
        date: new.date,
        text: new.text.clone(),
        entities: new.entities.clone(),
        reply_to: None,
        silent: new.silent,
        peer_copy_id: None,
        edit_date: None,
        fwd_from: new.fwd_from,
        action: None,
    };
    let to_self = new.from == new.to;
    let deliver = new.deliver && !to_self;
    // Counters are checked before anything is written, so an exhausted box
    // fails the send without leaving half of it behind (the memory backend
    // has no rollback).
    for (owner, used) in [(new.from, new.sender_copy), (new.to, deliver)] {
        let state = txn.box_state(owner)?;
        if used && (state.pts == i32::MAX || state.last_message_id == i32::MAX) {
            return Err(overflow());
        }
    }

    // The reply target in each box: the sender's own message, and the copy
    // of it the recipient holds (a reply to a message the recipient lacks
    // reaches them without the reply).
    let mut sender_reply = None;
    let mut recipient_reply = None;
    if let Some(reply_id) = new.reply_to.filter(|_| new.sender_copy) {
        if let Some(replied) = txn.message(new.from, reply_id)? {
            if replied.peer == Peer::User(new.to) {
                sender_reply = Some(reply_id);
                recipient_reply = replied.peer_copy_id;
            }
        }
    }

    // Ids are allocated before either copy is written so each copy can
    // name the other.
    let sender_id = if new.sender_copy {
        Some(
            txn.box_state(new.from)?
                .last_message_id
                .checked_add(1)
                .ok_or_else(overflow)?,
        )
    } else {
        None
    };
    let recipient_id = if deliver {
        Some(
            txn.box_state(new.to)?
                .last_message_id
                .checked_add(1)
                .ok_or_else(overflow)?,
        )
    } else {
        None
    };

    let sender = match sender_id {
        Some(_) => {
            let message = MessageRecord {
                reply_to: sender_reply,
                peer_copy_id: recipient_id,
                ..base.clone()
            };
            let copy = store_copy(txn, new.from, message)?;
            if let Some(random_id) = random_id {
                txn.put_random_id(new.from, random_id, (copy.message.id, copy.pts))?;
            }
            Some(copy)
        }
        None => None,
    };
    let recipient = match recipient_id {
        Some(_) => {
            let message = MessageRecord {
                peer: Peer::User(new.from),
                out: false,
                reply_to: recipient_reply,
                peer_copy_id: sender_id,
                ..base
            };
            Some(store_copy(txn, new.to, message)?)
        }
        None => None,
    };
    Ok(SentPrivateMessage {
        sender,
        recipient,
        duplicate: false,
    })
}

/// Visits `owner`'s messages of `peer` newest first from `below`
/// (exclusive), in pages, until `visit` answers false.
pub(crate) fn scan_down(
    txn: &mut impl BoxTxn,
    owner: i64,
    peer: Peer,
    below: i32,
    mut visit: impl FnMut(&MessageRecord) -> bool,
) -> Result<(), StoreError> {
    let mut below = below;
    loop {
        let query = HistoryQuery {
            peer,
            below: Some(below),
            above: None,
            newest_first: true,
            limit: 100,
        };
        let page = txn.history(owner, &query)?;
        let Some(last) = page.last() else {
            return Ok(());
        };
        below = last.id;
        for message in &page {
            if !visit(message) {
                return Ok(());
            }
        }
    }
}

/// The whole read; see [`crate::Store::read_history`].
pub(crate) fn read_history(
    txn: &mut impl BoxTxn,
    owner: i64,
    peer: Peer,
    max_id: i32,
    now: i64,
) -> Result<ReadOutcome, StoreError> {
    let unchanged = |txn: &mut _| -> Result<ReadOutcome, StoreError> {
        Ok(ReadOutcome {
            reader: None,
            reader_pts: BoxTxn::box_state(txn, owner)?.pts,
            other: None,
        })
    };
    let Some(mut dialog) = txn.dialog(owner, peer)? else {
        return unchanged(txn);
    };
    let max_id = if max_id <= 0 {
        dialog.top_message
    } else {
        max_id.min(dialog.top_message)
    };
    if max_id <= dialog.read_inbox_max_id {
        return unchanged(txn);
    }
    if txn.box_state(owner)?.pts == i32::MAX {
        return Err(overflow());
    }
    let previous = dialog.read_inbox_max_id;
    dialog.read_inbox_max_id = max_id;
    let mut after = Vec::new();
    scan_down(txn, owner, peer, i32::MAX, |m| {
        if m.id <= max_id {
            return false;
        }
        after.push((m.id, m.out));
        true
    })?;
    dialog.unread_count = count_unread(after, max_id);
    txn.put_dialog(owner, &dialog)?;
    let reader = append(
        txn,
        owner,
        now,
        UpdateKind::ReadHistoryInbox {
            peer,
            max_id,
            still_unread: dialog.unread_count,
        },
    )?;

    // The other side's outbox: its copy of the newest incoming message
    // now read.
    let Peer::User(other) = peer else {
        // Basic groups move their senders' outboxes in chat_txn.
        return Ok(ReadOutcome {
            reader_pts: reader.pts,
            reader: Some(reader),
            other: None,
        });
    };
    let mut newest_read_copy = None;
    if other != owner {
        scan_down(txn, owner, peer, max_id.saturating_add(1), |m| {
            if m.id <= previous {
                return false;
            }
            if !m.out {
                newest_read_copy = m.peer_copy_id;
                return newest_read_copy.is_none();
            }
            true
        })?;
    }
    let mut other_entry = None;
    if let Some(copy_id) = newest_read_copy {
        if let Some(mut theirs) = txn.dialog(other, Peer::User(owner))? {
            if copy_id > theirs.read_outbox_max_id {
                theirs.read_outbox_max_id = copy_id;
                txn.put_dialog(other, &theirs)?;
                let entry = append(
                    txn,
                    other,
                    now,
                    UpdateKind::ReadHistoryOutbox {
                        peer: Peer::User(owner),
                        max_id: copy_id,
                    },
                )?;
                other_entry = Some((other, entry));
            }
        }
    }
    Ok(ReadOutcome {
        reader_pts: reader.pts,
        reader: Some(reader),
        other: other_entry,
    })
}
