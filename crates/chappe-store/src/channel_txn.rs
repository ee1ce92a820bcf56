//! The rules of the channel writes, once for every backend.
//!
//! A backend gives [`ChannelTxn`] (channel, participant and username
//! tables) and [`BoxTxn`] (the channel's box and members' dialog rows) over
//! one transaction; the functions here check who may do what and then
//! write, so a change commits or fails as one. Every check runs before the
//! first write, as the memory backend has no rollback.

use crate::box_txn::{append, overflow, BoxTxn};
use crate::channels::{
    admin_rights, banned_rights, box_owner, ChannelChange, ChannelParticipant, ChannelRecord,
    ChannelRefusal, ChannelWrite, NewChannel, NewChannelMessage,
};
use crate::chats::ChatAction;
use crate::messages::{DialogRecord, MessageRecord, Peer, StoredCopy, UpdateKind};
use crate::StoreError;

/// The channel tables, inside one transaction.
pub(crate) trait ChannelTxn {
    /// Hands out the next channel id (durably counted, never reused).
    fn next_channel_id(&mut self) -> Result<i64, StoreError>;
    fn channel(&mut self, id: i64) -> Result<Option<ChannelRecord>, StoreError>;
    fn put_channel(&mut self, channel: &ChannelRecord) -> Result<(), StoreError>;
    fn participant(
        &mut self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<Option<ChannelParticipant>, StoreError>;
    /// Stores the row and keeps the member index in step with
    /// [`ChannelParticipant::is_member`].
    fn put_participant(
        &mut self,
        channel_id: i64,
        participant: &ChannelParticipant,
    ) -> Result<(), StoreError>;
    fn delete_participant(&mut self, channel_id: i64, user_id: i64) -> Result<(), StoreError>;
    /// Whether a user or another channel holds this username (any case).
    fn username_taken(&mut self, username: &str, channel_id: i64) -> Result<bool, StoreError>;
    /// Moves the channel's username index entry from `old` to `new`.
    fn set_username(
        &mut self,
        channel_id: i64,
        old: Option<&str>,
        new: Option<&str>,
    ) -> Result<(), StoreError>;
}

type Refusable = Result<ChannelWrite, ChannelRefusal>;

/// The rights `user` holds: everything for the creator.
fn rights_of(channel: &ChannelRecord, p: Option<&ChannelParticipant>) -> u32 {
    match p {
        Some(p) if p.user_id == channel.creator && p.is_member() => admin_rights::ALL,
        Some(p) if p.is_member() => p.admin_rights,
        _ => 0,
    }
}

/// The member's dialog row for the channel, as written when they join: the
/// newest post counts as read, so joining shows no backlog as unread.
fn join_dialog(
    boxes: &mut impl BoxTxn,
    channel: &ChannelRecord,
    user: i64,
    date: i64,
) -> Result<(), StoreError> {
    let state = boxes.box_state(box_owner(channel.id))?;
    let dialog = DialogRecord {
        peer: Peer::Channel(channel.id),
        top_message: state.last_message_id,
        top_date: date,
        read_inbox_max_id: state.last_message_id,
        read_outbox_max_id: state.last_message_id,
        unread_count: 0,
    };
    boxes.put_dialog(user, &dialog)
}

/// Stores `message` in the channel box with the next id and logs it.
pub(crate) fn post(
    boxes: &mut impl BoxTxn,
    channel_id: i64,
    mut message: MessageRecord,
) -> Result<StoredCopy, StoreError> {
    let owner = box_owner(channel_id);
    let mut state = boxes.box_state(owner)?;
    if state.pts == i32::MAX {
        return Err(overflow());
    }
    state.last_message_id = state.last_message_id.checked_add(1).ok_or_else(overflow)?;
    message.owner = owner;
    message.id = state.last_message_id;
    boxes.put_box_state(owner, state)?;
    boxes.put_message(&message)?;
    let entry = append(
        boxes,
        owner,
        message.date,
        UpdateKind::NewMessage { id: message.id },
    )?;
    Ok(StoredCopy {
        message,
        pts: entry.pts,
    })
}

fn service(channel_id: i64, from: i64, date: i64, action: ChatAction) -> MessageRecord {
    MessageRecord {
        owner: 0,
        id: 0,
        peer: Peer::Channel(channel_id),
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

/// The whole creation; see [`crate::Store::create_channel`].
pub(crate) fn create(
    boxes: &mut impl BoxTxn,
    channels: &mut impl ChannelTxn,
    new: &NewChannel,
) -> Result<ChannelWrite, StoreError> {
    let id = channels.next_channel_id()?;
    let mut channel = ChannelRecord {
        id,
        title: new.title.clone(),
        about: new.about.clone(),
        username: None,
        broadcast: new.broadcast,
        creator: new.creator,
        date: new.date,
        participants_count: 1,
        deleted: false,
    };
    let creator = ChannelParticipant {
        user_id: new.creator,
        inviter_id: new.creator,
        date: new.date,
        admin_rights: admin_rights::ALL,
        banned_rights: 0,
        changed_by: new.creator,
    };
    channels.put_participant(id, &creator)?;
    let action = ChatAction::ChannelCreate {
        title: new.title.clone(),
    };
    let copy = post(boxes, id, service(id, new.creator, new.date, action))?;
    join_dialog(boxes, &channel, new.creator, new.date)?;
    channel.participants_count = 1;
    channels.put_channel(&channel)?;
    let mut write = ChannelWrite::of(channel);
    write.message = Some(copy);
    write.participant = Some(creator);
    write.added = vec![new.creator];
    Ok(write)
}

/// Adds `user` as a member (the caller checked they are not one).
fn add_member(
    boxes: &mut impl BoxTxn,
    channels: &mut impl ChannelTxn,
    channel: &mut ChannelRecord,
    user: i64,
    inviter: i64,
    date: i64,
) -> Result<ChannelParticipant, StoreError> {
    let p = ChannelParticipant {
        user_id: user,
        inviter_id: inviter,
        date,
        admin_rights: 0,
        banned_rights: 0,
        changed_by: inviter,
    };
    channels.put_participant(channel.id, &p)?;
    join_dialog(boxes, channel, user, date)?;
    channel.participants_count = channel.participants_count.saturating_add(1);
    Ok(p)
}

/// One change; see [`crate::Store::change_channel`].
pub(crate) fn change(
    boxes: &mut impl BoxTxn,
    channels: &mut impl ChannelTxn,
    channel_id: i64,
    by: i64,
    change: &ChannelChange,
    date: i64,
) -> Result<Refusable, StoreError> {
    let Some(mut channel) = channels.channel(channel_id)?.filter(|c| !c.deleted) else {
        return Ok(Err(ChannelRefusal::ChannelNotFound));
    };
    let actor = channels.participant(channel_id, by)?;
    let is_member = actor.as_ref().is_some_and(ChannelParticipant::is_member);
    let rights = rights_of(&channel, actor.as_ref());
    if let ChannelChange::Join = change {
        return join(boxes, channels, channel, by, actor, date);
    }
    if !is_member {
        let refusal = match actor {
            Some(_) => ChannelRefusal::Banned,
            None if channel.username.is_none() => ChannelRefusal::Private,
            None => ChannelRefusal::NotMember,
        };
        return Ok(Err(refusal));
    }
    let need = |right: u32| -> Result<(), ChannelRefusal> {
        if rights & right == right {
            Ok(())
        } else {
            Err(ChannelRefusal::AdminRequired)
        }
    };
    match change {
        ChannelChange::Join => Ok(Err(ChannelRefusal::NotModified)),
        ChannelChange::Invite { users } => {
            let actor_banned = actor
                .as_ref()
                .is_some_and(|p| p.banned_rights & banned_rights::INVITE_USERS != 0);
            if (channel.broadcast || actor_banned) && need(admin_rights::INVITE_USERS).is_err() {
                return Ok(Err(ChannelRefusal::AdminRequired));
            }
            let mut fresh = Vec::new();
            for &user in users {
                if fresh.contains(&user) {
                    continue;
                }
                match channels.participant(channel_id, user)? {
                    Some(p) if p.is_member() => continue,
                    // Only an admin who may ban lifts a ban by inviting.
                    Some(_) if need(admin_rights::BAN_USERS).is_err() => {
                        return Ok(Err(ChannelRefusal::Banned))
                    }
                    _ => fresh.push(user),
                }
            }
            if fresh.is_empty() {
                return Ok(Err(ChannelRefusal::AlreadyMember));
            }
            let mut last = None;
            for &user in &fresh {
                last = Some(add_member(boxes, channels, &mut channel, user, by, date)?);
            }
            channels.put_channel(&channel)?;
            let mut write = ChannelWrite::of(channel);
            write.participant = last;
            write.added = fresh;
            Ok(Ok(write))
        }
        ChannelChange::Leave => {
            channels.delete_participant(channel_id, by)?;
            boxes.delete_dialog(by, Peer::Channel(channel_id))?;
            channel.participants_count = channel.participants_count.saturating_sub(1);
            channels.put_channel(&channel)?;
            Ok(Ok(ChannelWrite::of(channel)))
        }
        ChannelChange::EditAdmin { user_id, rights } => {
            if let Err(r) = need(admin_rights::ADD_ADMINS) {
                return Ok(Err(r));
            }
            if *user_id == channel.creator {
                return Ok(Err(ChannelRefusal::CreatorImmutable));
            }
            let Some(mut p) = channels
                .participant(channel_id, *user_id)?
                .filter(ChannelParticipant::is_member)
            else {
                return Ok(Err(ChannelRefusal::UserNotMember));
            };
            // An admin hands out only rights they hold themself.
            let rights = rights & admin_rights::ALL;
            if rights & !rights_of(&channel, actor.as_ref()) != 0 {
                return Ok(Err(ChannelRefusal::AdminRequired));
            }
            if p.admin_rights == rights {
                return Ok(Err(ChannelRefusal::NotModified));
            }
            p.admin_rights = rights;
            p.banned_rights = 0;
            p.changed_by = by;
            channels.put_participant(channel_id, &p)?;
            let mut write = ChannelWrite::of(channel);
            write.participant = Some(p);
            Ok(Ok(write))
        }
        ChannelChange::EditBanned { user_id, rights } => {
            if let Err(r) = need(admin_rights::BAN_USERS) {
                return Ok(Err(r));
            }
            if *user_id == channel.creator || *user_id == by {
                return Ok(Err(ChannelRefusal::CreatorImmutable));
            }
            let old = channels.participant(channel_id, *user_id)?;
            let was_member = old.as_ref().is_some_and(ChannelParticipant::is_member);
            let kick = rights & banned_rights::VIEW_MESSAGES != 0;
            if *rights == 0 {
                // Unbanned: a kicked user's row goes (they may join again);
                // a restricted member stays a plain member.
                let Some(mut p) = old else {
                    return Ok(Err(ChannelRefusal::UserNotMember));
                };
                if p.banned_rights == 0 {
                    return Ok(Err(ChannelRefusal::NotModified));
                }
                if was_member {
                    p.banned_rights = 0;
                    p.changed_by = by;
                    channels.put_participant(channel_id, &p)?;
                    let mut write = ChannelWrite::of(channel);
                    write.participant = Some(p);
                    return Ok(Ok(write));
                }
                channels.delete_participant(channel_id, *user_id)?;
                return Ok(Ok(ChannelWrite::of(channel)));
            }
            if !kick && !was_member {
                return Ok(Err(ChannelRefusal::UserNotMember));
            }
            let p = ChannelParticipant {
                user_id: *user_id,
                inviter_id: old.as_ref().map_or(by, |p| p.inviter_id),
                date: old.as_ref().map_or(date, |p| p.date),
                admin_rights: 0,
                banned_rights: *rights,
                changed_by: by,
            };
            if kick && was_member {
                boxes.delete_dialog(*user_id, Peer::Channel(channel_id))?;
                channel.participants_count = channel.participants_count.saturating_sub(1);
                channels.put_channel(&channel)?;
            }
            channels.put_participant(channel_id, &p)?;
            let mut write = ChannelWrite::of(channel);
            write.participant = Some(p);
            Ok(Ok(write))
        }
        ChannelChange::EditTitle { title } => {
            if let Err(r) = need(admin_rights::CHANGE_INFO) {
                return Ok(Err(r));
            }
            if &channel.title == title {
                return Ok(Err(ChannelRefusal::NotModified));
            }
            channel.title = title.clone();
            let action = ChatAction::EditTitle {
                title: title.clone(),
            };
            let copy = post(boxes, channel_id, service(channel_id, by, date, action))?;
            channels.put_channel(&channel)?;
            let mut write = ChannelWrite::of(channel);
            write.message = Some(copy);
            Ok(Ok(write))
        }
        ChannelChange::EditAbout { about } => {
            if let Err(r) = need(admin_rights::CHANGE_INFO) {
                return Ok(Err(r));
            }
            if &channel.about == about {
                return Ok(Err(ChannelRefusal::NotModified));
            }
            channel.about = about.clone();
            channels.put_channel(&channel)?;
            Ok(Ok(ChannelWrite::of(channel)))
        }
        ChannelChange::UpdateUsername { username } => {
            if let Err(r) = need(admin_rights::CHANGE_INFO) {
                return Ok(Err(r));
            }
            let same = match (&channel.username, username) {
                (Some(a), Some(b)) => a == b,
                (None, None) => true,
                _ => false,
            };
            if same {
                return Ok(Err(ChannelRefusal::NotModified));
            }
            if let Some(name) = username {
                if channels.username_taken(name, channel_id)? {
                    return Ok(Err(ChannelRefusal::UsernameOccupied));
                }
            }
            channels.set_username(channel_id, channel.username.as_deref(), username.as_deref())?;
            channel.username = username.clone();
            channels.put_channel(&channel)?;
            Ok(Ok(ChannelWrite::of(channel)))
        }
        ChannelChange::Delete => {
            if by != channel.creator {
                return Ok(Err(ChannelRefusal::AdminRequired));
            }
            channels.set_username(channel_id, channel.username.as_deref(), None)?;
            channel.username = None;
            channel.deleted = true;
            channels.put_channel(&channel)?;
            boxes.delete_dialog(by, Peer::Channel(channel_id))?;
            Ok(Ok(ChannelWrite::of(channel)))
        }
        ChannelChange::DeleteMessages { ids } => {
            let owner = box_owner(channel_id);
            let may_delete_any = rights & admin_rights::DELETE_MESSAGES != 0;
            let mut found = Vec::new();
            for &id in ids {
                let Some(m) = boxes.message(owner, id)? else {
                    continue;
                };
                if m.from_id != by && !may_delete_any {
                    return Ok(Err(ChannelRefusal::MessageDeleteForbidden));
                }
                if !found.contains(&id) {
                    found.push(id);
                }
            }
            if found.is_empty() {
                return Ok(Err(ChannelRefusal::MessageIdInvalid));
            }
            let mut state = boxes.box_state(owner)?;
            let count = i32::try_from(found.len()).map_err(|_| overflow())?;
            state.pts = state.pts.checked_add(count).ok_or_else(overflow)?;
            for &id in &found {
                boxes.delete_message(owner, id)?;
            }
            let entry = crate::messages::UpdateEntry {
                pts: state.pts,
                pts_count: count,
                date,
                kind: UpdateKind::DeleteMessages { ids: found },
            };
            boxes.put_update(owner, &entry)?;
            boxes.put_box_state(owner, state)?;
            let mut write = ChannelWrite::of(channel);
            write.entry = Some(entry);
            Ok(Ok(write))
        }
        ChannelChange::ReadHistory { max_id } => {
            let state = boxes.box_state(box_owner(channel_id))?;
            let peer = Peer::Channel(channel_id);
            let mut dialog = match boxes.dialog(by, peer)? {
                Some(d) => d,
                None => {
                    join_dialog(boxes, &channel, by, date)?;
                    boxes.dialog(by, peer)?.ok_or_else(overflow)?
                }
            };
            let target = if *max_id <= 0 {
                state.last_message_id
            } else {
                (*max_id).min(state.last_message_id)
            };
            if target > dialog.read_inbox_max_id {
                dialog.read_inbox_max_id = target;
                boxes.put_dialog(by, &dialog)?;
            }
            let mut write = ChannelWrite::of(channel);
            write.read_max_id = dialog.read_inbox_max_id;
            Ok(Ok(write))
        }
    }
}

fn join(
    boxes: &mut impl BoxTxn,
    channels: &mut impl ChannelTxn,
    mut channel: ChannelRecord,
    by: i64,
    actor: Option<ChannelParticipant>,
    date: i64,
) -> Result<Refusable, StoreError> {
    match actor {
        Some(p) if p.is_member() => return Ok(Err(ChannelRefusal::AlreadyMember)),
        Some(_) => return Ok(Err(ChannelRefusal::Banned)),
        None => {}
    }
    if channel.username.is_none() {
        return Ok(Err(ChannelRefusal::Private));
    }
    let p = add_member(boxes, channels, &mut channel, by, by, date)?;
    channels.put_channel(&channel)?;
    let mut write = ChannelWrite::of(channel);
    write.participant = Some(p);
    write.added = vec![by];
    Ok(Ok(write))
}

/// A post; see [`crate::Store::send_channel_message`].
pub(crate) fn send(
    boxes: &mut impl BoxTxn,
    channels: &mut impl ChannelTxn,
    new: &NewChannelMessage,
) -> Result<Refusable, StoreError> {
    let Some(channel) = channels.channel(new.channel_id)?.filter(|c| !c.deleted) else {
        return Ok(Err(ChannelRefusal::ChannelNotFound));
    };
    let actor = channels.participant(new.channel_id, new.from)?;
    let Some(actor) = actor else {
        return Ok(Err(if channel.username.is_none() {
            ChannelRefusal::Private
        } else {
            ChannelRefusal::WriteForbidden
        }));
    };
    if !actor.is_member() {
        return Ok(Err(ChannelRefusal::Banned));
    }
    let rights = rights_of(&channel, Some(&actor));
    if channel.broadcast {
        if rights & admin_rights::POST_MESSAGES == 0 {
            return Ok(Err(if rights == 0 {
                ChannelRefusal::WriteForbidden
            } else {
                ChannelRefusal::AdminRequired
            }));
        }
    } else if actor.banned_rights & banned_rights::SEND_MESSAGES != 0 {
        return Ok(Err(ChannelRefusal::WriteForbidden));
    }
    let owner = box_owner(new.channel_id);
    if let Some(random_id) = new.random_id {
        if let Some((id, pts)) = boxes.random_id(owner, random_id)? {
            if let Some(m) = boxes.message(owner, id)?.filter(|m| m.from_id == new.from) {
                let mut write = ChannelWrite::of(channel);
                write.message = Some(StoredCopy { message: m, pts });
                write.duplicate = true;
                return Ok(Ok(write));
            }
        }
    }
    let reply_to = match new.reply_to {
        Some(id) if boxes.message(owner, id)?.is_some() => Some(id),
        _ => None,
    };
    let message = MessageRecord {
        owner,
        id: 0,
        peer: Peer::Channel(new.channel_id),
        from_id: new.from,
        out: false,
        date: new.date,
        text: new.text.clone(),
        entities: new.entities.clone(),
        reply_to,
        silent: new.silent,
        peer_copy_id: None,
        edit_date: None,
        fwd_from: None,
        action: None,
    };
    let copy = post(boxes, new.channel_id, message)?;
    if let Some(random_id) = new.random_id {
        boxes.put_random_id(owner, random_id, (copy.message.id, copy.pts))?;
    }
    // The sender has read everything up to their own post.
    if let Some(mut dialog) = boxes.dialog(new.from, Peer::Channel(new.channel_id))? {
        dialog.read_inbox_max_id = copy.message.id;
        boxes.put_dialog(new.from, &dialog)?;
    }
    let mut write = ChannelWrite::of(channel);
    write.message = Some(copy);
    write.participant = Some(actor);
    Ok(Ok(write))
}
