//! The rules of editing, deleting and forwarding private messages, once for
//! every backend, each inside one [`BoxTxn`] transaction like the sends in
//! `box_txn`.
//!
//! Both copies of a private message change together: an edit rewrites the
//! owner's copy and the other participant's (found through
//! `peer_copy_id`), a revoking delete removes both, and every box that
//! changed gets one log entry. All counters are checked before the first
//! write so the memory backend, which cannot roll back, never keeps half an
//! operation.

use std::collections::BTreeMap;

use crate::box_txn::{overflow, scan_down, send_private, BoxTxn};
use crate::edits::{DeleteOutcome, EditOutcome, MessageEdit};
use crate::messages::{
    count_unread, HistoryQuery, NewPrivateMessage, Peer, SentPrivateMessage, StoredCopy,
    UpdateEntry, UpdateKind,
};
use crate::StoreError;

/// Appends one entry taking `count` pts to `owner`'s log.
fn append_counted(
    txn: &mut impl BoxTxn,
    owner: i64,
    date: i64,
    count: i32,
    kind: UpdateKind,
) -> Result<UpdateEntry, StoreError> {
    let mut state = txn.box_state(owner)?;
    state.pts = state.pts.checked_add(count).ok_or_else(overflow)?;
    let entry = UpdateEntry {
        pts: state.pts,
        pts_count: count,
        date,
        kind,
    };
    txn.put_update(owner, &entry)?;
    txn.put_box_state(owner, state)?;
    Ok(entry)
}

/// Fails unless `owner`'s pts can grow by `count`.
fn check_room(txn: &mut impl BoxTxn, owner: i64, count: usize) -> Result<(), StoreError> {
    let count = i32::try_from(count).map_err(|_| overflow())?;
    txn.box_state(owner)?
        .pts
        .checked_add(count)
        .map(|_| ())
        .ok_or_else(overflow)
}

/// The other participant of a private chat, if the chat has one.
fn other_user(owner: i64, peer: Peer) -> Option<i64> {
    match peer {
        Peer::User(id) if id != owner => Some(id),
        Peer::User(_) | Peer::Chat(_) | Peer::Channel(_) => None,
    }
}

/// The whole edit; see [`crate::Store::edit_private_message`].
pub(crate) fn edit_private(
    txn: &mut impl BoxTxn,
    edit: &MessageEdit,
) -> Result<EditOutcome, StoreError> {
    let Some(mut mine) = txn.message(edit.owner, edit.id)? else {
        return Ok(EditOutcome::NotFound);
    };
    if !mine.out || mine.from_id != edit.owner || !matches!(mine.peer, Peer::User(_)) {
        return Ok(EditOutcome::NotAuthor);
    }
    if mine.text == edit.text && mine.entities == edit.entities {
        return Ok(EditOutcome::NotModified);
    }
    let other = other_user(edit.owner, mine.peer);
    let mut theirs = None;
    if let (Some(other), Some(copy_id)) = (other, mine.peer_copy_id) {
        theirs = txn.message(other, copy_id)?.map(|m| (other, m));
    }
    check_room(txn, edit.owner, 1)?;
    if let Some((other, _)) = &theirs {
        check_room(txn, *other, 1)?;
    }

    mine.text.clone_from(&edit.text);
    mine.entities.clone_from(&edit.entities);
    mine.edit_date = Some(edit.date);
    txn.put_message(&mine)?;
    let entry = append_counted(
        txn,
        edit.owner,
        edit.date,
        1,
        UpdateKind::EditMessage { id: mine.id },
    )?;
    let mine = StoredCopy {
        message: mine,
        pts: entry.pts,
    };
    let theirs = match theirs {
        Some((other, mut copy)) => {
            copy.text.clone_from(&edit.text);
            copy.entities.clone_from(&edit.entities);
            copy.edit_date = Some(edit.date);
            txn.put_message(&copy)?;
            let entry = append_counted(
                txn,
                other,
                edit.date,
                1,
                UpdateKind::EditMessage { id: copy.id },
            )?;
            Some((
                other,
                StoredCopy {
                    message: copy,
                    pts: entry.pts,
                },
            ))
        }
        None => None,
    };
    Ok(EditOutcome::Edited { mine, theirs })
}

/// Points `owner`'s dialog with `peer` at its newest remaining message and
/// recounts its unread messages; drops the dialog when none remain.
fn refresh_dialog(txn: &mut impl BoxTxn, owner: i64, peer: Peer) -> Result<(), StoreError> {
    let Some(mut dialog) = txn.dialog(owner, peer)? else {
        return Ok(());
    };
    let newest = txn.history(
        owner,
        &HistoryQuery {
            peer,
            below: None,
            above: None,
            newest_first: true,
            limit: 1,
        },
    )?;
    let Some(top) = newest.first() else {
        return txn.delete_dialog(owner, peer);
    };
    dialog.top_message = top.id;
    dialog.top_date = top.date;
    let read = dialog.read_inbox_max_id;
    let mut unread = Vec::new();
    scan_down(txn, owner, peer, i32::MAX, |m| {
        if m.id <= read {
            return false;
        }
        unread.push((m.id, m.out));
        true
    })?;
    dialog.unread_count = count_unread(unread, read);
    txn.put_dialog(owner, &dialog)
}

/// The whole delete; see [`crate::Store::delete_private_messages`].
pub(crate) fn delete_private(
    txn: &mut impl BoxTxn,
    owner: i64,
    ids: &[i32],
    revoke: bool,
    now: i64,
) -> Result<DeleteOutcome, StoreError> {
    // Everything is looked up first: what goes from which box.
    let mut mine = Vec::new();
    let mut chats = Vec::new();
    let mut others: BTreeMap<i64, (Vec<i32>, Vec<Peer>)> = BTreeMap::new();
    for &id in ids {
        if mine.contains(&id) {
            continue;
        }
        let Some(message) = txn.message(owner, id)? else {
            continue;
        };
        mine.push(id);
        if !chats.contains(&message.peer) {
            chats.push(message.peer);
        }
        if !revoke {
            continue;
        }
        let (Some(other), Some(copy_id)) = (other_user(owner, message.peer), message.peer_copy_id)
        else {
            continue;
        };
        if let Some(copy) = txn.message(other, copy_id)? {
            let (their_ids, their_chats) = others.entry(other).or_default();
            their_ids.push(copy_id);
            if !their_chats.contains(&copy.peer) {
                their_chats.push(copy.peer);
            }
        }
    }
    check_room(txn, owner, mine.len())?;
    for (other, (their_ids, _)) in &others {
        check_room(txn, *other, their_ids.len())?;
    }

    let remove = |txn: &mut _,
                  box_owner: i64,
                  gone: Vec<i32>,
                  chats: &[Peer]|
     -> Result<Option<UpdateEntry>, StoreError> {
        if gone.is_empty() {
            return Ok(None);
        }
        for &id in &gone {
            BoxTxn::delete_message(txn, box_owner, id)?;
        }
        for &chat in chats {
            refresh_dialog(txn, box_owner, chat)?;
        }
        let count = i32::try_from(gone.len()).map_err(|_| overflow())?;
        let entry = append_counted(
            txn,
            box_owner,
            now,
            count,
            UpdateKind::DeleteMessages { ids: gone },
        )?;
        Ok(Some(entry))
    };
    let mine_entry = remove(txn, owner, mine, &chats)?;
    let mut other_entries = Vec::new();
    for (other, (their_ids, their_chats)) in others {
        if let Some(entry) = remove(txn, other, their_ids, &their_chats)? {
            other_entries.push((other, entry));
        }
    }
    Ok(DeleteOutcome {
        pts: txn.box_state(owner)?.pts,
        mine: mine_entry,
        others: other_entries,
    })
}

/// Several sends in one transaction (a forward of several messages); each
/// behaves as [`send_private`], random ids included.
pub(crate) fn send_many(
    txn: &mut impl BoxTxn,
    messages: &[NewPrivateMessage],
) -> Result<Vec<SentPrivateMessage>, StoreError> {
    // Room for all of them first: a later overflow must not leave the
    // earlier ones stored in the memory backend.
    let mut needed: BTreeMap<i64, usize> = BTreeMap::new();
    for m in messages {
        if m.sender_copy {
            *needed.entry(m.from).or_default() += 1;
        }
        if m.deliver && m.to != m.from {
            *needed.entry(m.to).or_default() += 1;
        }
    }
    for (owner, count) in needed {
        check_room(txn, owner, count)?;
        let count = i32::try_from(count).map_err(|_| overflow())?;
        txn.box_state(owner)?
            .last_message_id
            .checked_add(count)
            .ok_or_else(overflow)?;
    }
    messages.iter().map(|m| send_private(txn, m)).collect()
}
