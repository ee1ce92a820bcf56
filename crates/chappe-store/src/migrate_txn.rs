//! Migrating a basic group to a supergroup, once for every backend.
//!
//! One transaction over the group tables ([`ChatTxn`]), the channel tables
//! ([`ChannelTxn`]) and the message boxes ([`BoxTxn`]): the supergroup is
//! created with every member of the group as a participant, its first post
//! is `messageActionChannelMigrateFrom`, every member's box gets
//! `messageActionChatMigrateTo` from the creator, and the group is
//! deactivated. Every check runs before the first write, as the memory
//! backend has no rollback.

use crate::box_txn::{overflow, store_copy, BoxTxn};
use crate::channel_txn::ChannelTxn;
use crate::channels::{admin_rights, ChannelParticipant, ChannelRecord};
use crate::chat_txn::ChatTxn;
use crate::chats::{ChatAction, ChatMigration, ChatParticipant, ChatRefusal};
use crate::messages::{DialogRecord, MessageRecord, Peer};
use crate::StoreError;

/// What a basic group admin holds in the supergroup: the rights a basic
/// group admin had (info, deletes, bans, invites, pins), not the right to
/// name admins, which stays with the creator.
pub(crate) const MIGRATED_ADMIN_RIGHTS: u32 = admin_rights::CHANGE_INFO
    | admin_rights::DELETE_MESSAGES
    | admin_rights::BAN_USERS
    | admin_rights::INVITE_USERS
    | admin_rights::PIN_MESSAGES;

fn service(owner: i64, peer: Peer, from: i64, date: i64, action: ChatAction) -> MessageRecord {
    MessageRecord {
        owner,
        id: 0,
        peer,
        from_id: from,
        out: false,
        date,
        text: String::new(),
        entities: Vec::new(),
        reply_to: None,
        silent: false,
        peer_copy_id: None,
        edit_date: None,
        fwd_from: None,
        action: Some(action),
    }
}

/// The supergroup row of one group member.
fn channel_participant(creator: i64, p: &ChatParticipant) -> ChannelParticipant {
    let rights = if p.user_id == creator {
        admin_rights::ALL
    } else if p.admin {
        MIGRATED_ADMIN_RIGHTS
    } else {
        0
    };
    ChannelParticipant {
        user_id: p.user_id,
        inviter_id: p.inviter_id,
        date: p.date,
        admin_rights: rights,
        banned_rights: 0,
        changed_by: creator,
    }
}

/// The whole migration; see [`crate::Store::migrate_chat`].
pub(crate) fn migrate(
    boxes: &mut impl BoxTxn,
    chats: &mut impl ChatTxn,
    channels: &mut impl ChannelTxn,
    chat_id: i64,
    by: i64,
    date: i64,
) -> Result<Result<ChatMigration, ChatRefusal>, StoreError> {
    let Some(mut chat) = chats.chat(chat_id)?.filter(|c| !c.deactivated) else {
        return Ok(Err(ChatRefusal::ChatNotFound));
    };
    let participants = chats.participants(chat_id)?;
    if !participants.iter().any(|p| p.user_id == by) {
        return Ok(Err(ChatRefusal::NotMember));
    }
    if by != chat.creator {
        return Ok(Err(ChatRefusal::NotAdmin));
    }
    // The creator's copy first, as every group write answers the actor
    // from the first copy.
    let mut members: Vec<i64> = vec![by];
    members.extend(participants.iter().map(|p| p.user_id).filter(|&u| u != by));
    for &owner in &members {
        let state = boxes.box_state(owner)?;
        if state.pts == i32::MAX || state.last_message_id == i32::MAX {
            return Err(overflow());
        }
    }
    let count = i32::try_from(participants.len()).map_err(|_| overflow())?;

    // Groups and channels share one id space, so the supergroup's id is
    // never its group's (clients key one answer's chats by bare id).
    let channel_id = channels.next_channel_id()?;
    let channel = ChannelRecord {
        id: channel_id,
        title: chat.title.clone(),
        about: String::new(),
        username: None,
        broadcast: false,
        creator: chat.creator,
        date,
        participants_count: count,
        deleted: false,
    };
    let from = ChatAction::ChannelMigrateFrom {
        title: chat.title.clone(),
        chat_id,
    };
    let channel_peer = Peer::Channel(channel_id);
    let channel_message =
        crate::channel_txn::post(boxes, channel_id, service(0, channel_peer, by, date, from))?;
    let top = channel_message.message.id;
    let mut channel_participants = Vec::with_capacity(participants.len());
    for p in &participants {
        let row = channel_participant(chat.creator, p);
        channels.put_participant(channel_id, &row)?;
        // The first post counts as read: nobody starts with a backlog.
        let dialog = DialogRecord {
            peer: channel_peer,
            top_message: top,
            top_date: date,
            read_inbox_max_id: top,
            read_outbox_max_id: top,
            unread_count: 0,
        };
        boxes.put_dialog(p.user_id, &dialog)?;
        channel_participants.push(row);
    }
    channels.put_channel(&channel)?;

    let mut copies = Vec::with_capacity(members.len());
    let mut author_copy = None;
    for &owner in &members {
        let mut message = service(
            owner,
            Peer::Chat(chat_id),
            by,
            date,
            ChatAction::ChatMigrateTo { channel_id },
        );
        message.out = owner == by;
        message.peer_copy_id = if message.out { None } else { author_copy };
        let copy = store_copy(boxes, owner, message)?;
        if owner == by {
            author_copy = Some(copy.message.id);
        }
        copies.push(copy);
    }

    chat.deactivated = true;
    chat.migrated_to = Some(channel_id);
    chat.version = chat.version.saturating_add(1);
    chats.put_chat(&chat)?;
    Ok(Ok(ChatMigration {
        chat,
        participants,
        copies,
        channel,
        channel_participants,
        channel_message,
    }))
}
