//! Editing a post in a channel box (`messages.editMessage` on a channel
//! peer), once for every backend.
//!
//! A channel post is stored once, so an edit is one rewrite of that record
//! and one `EditMessage` entry in the channel's own update log, in the same
//! transaction as the rights check: members catch up on it through
//! `updates.getChannelDifference` like on a post. Who may edit follows
//! Telegram: the author of a message, and in a broadcast channel also an
//! admin holding `edit_messages`.

use crate::box_txn::{append, overflow, BoxTxn};
use crate::channel_txn::ChannelTxn;
use crate::channels::{admin_rights, banned_rights, box_owner, ChannelRecord, ChannelRefusal};
use crate::edits::MessageEdit;
use crate::messages::{StoredCopy, UpdateKind};
use crate::StoreError;

/// What [`crate::Store::edit_channel_message`] did.
// Made once per edit and consumed at once: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelEditOutcome {
    /// The editor may not act in the channel at all (gone, private, banned).
    Refused(ChannelRefusal),
    /// The channel box has no such message, or it is a service message.
    NotFound,
    /// The editor neither wrote the message nor may edit others' posts.
    NotAuthor,
    /// Text and entities are the same as now: nothing was written.
    NotModified,
    /// The post changed; `copy.pts` is its log entry's.
    Edited {
        channel: ChannelRecord,
        copy: StoredCopy,
    },
}

/// The whole edit; `edit.owner` is the editing user.
pub(crate) fn edit(
    boxes: &mut impl BoxTxn,
    channels: &mut impl ChannelTxn,
    channel_id: i64,
    edit: &MessageEdit,
) -> Result<ChannelEditOutcome, StoreError> {
    let Some(channel) = channels.channel(channel_id)?.filter(|c| !c.deleted) else {
        return Ok(ChannelEditOutcome::Refused(ChannelRefusal::ChannelNotFound));
    };
    let editor = edit.owner;
    let Some(actor) = channels.participant(channel_id, editor)? else {
        return Ok(ChannelEditOutcome::Refused(if channel.username.is_none() {
            ChannelRefusal::Private
        } else {
            ChannelRefusal::NotMember
        }));
    };
    if !actor.is_member() {
        return Ok(ChannelEditOutcome::Refused(ChannelRefusal::Banned));
    }
    let rights = if editor == channel.creator {
        admin_rights::ALL
    } else {
        actor.admin_rights
    };
    let owner = box_owner(channel_id);
    let Some(mut message) = boxes.message(owner, edit.id)? else {
        return Ok(ChannelEditOutcome::NotFound);
    };
    if message.action.is_some() {
        return Ok(ChannelEditOutcome::NotFound);
    }
    let may_edit = if channel.broadcast {
        // Posting rights lapse with the admin role; editing others' posts
        // needs its own right.
        rights & admin_rights::EDIT_MESSAGES != 0
            || (message.from_id == editor && rights & admin_rights::POST_MESSAGES != 0)
    } else {
        message.from_id == editor && actor.banned_rights & banned_rights::SEND_MESSAGES == 0
    };
    if !may_edit {
        return Ok(ChannelEditOutcome::NotAuthor);
    }
    if message.text == edit.text && message.entities == edit.entities {
        return Ok(ChannelEditOutcome::NotModified);
    }
    // Checked before the first write: the memory backend cannot roll back.
    if boxes.box_state(owner)?.pts == i32::MAX {
        return Err(overflow());
    }
    message.text.clone_from(&edit.text);
    message.entities.clone_from(&edit.entities);
    message.edit_date = Some(edit.date);
    boxes.put_message(&message)?;
    let entry = append(
        boxes,
        owner,
        edit.date,
        UpdateKind::EditMessage { id: message.id },
    )?;
    Ok(ChannelEditOutcome::Edited {
        channel,
        copy: StoredCopy {
            message,
            pts: entry.pts,
        },
    })
}
