//! The rules of the basic group writes, once for every backend.
//!
//! A backend gives [`ChatTxn`] (group and member tables) and
//! [`BoxTxn`] (message boxes) over the same transaction; the functions here
//! check the rules and then store the message in every member's box, so a
//! group message or membership change commits or fails as one.

use crate::box_txn::{self, overflow, store_copy, BoxTxn};
use crate::chats::{
    ChatAction, ChatChange, ChatParticipant, ChatReadOutcome, ChatRecord, ChatRefusal, ChatWrite,
    NewChat, NewChatMessage, MAX_CHAT_MEMBERS,
};
use crate::messages::{HistoryQuery, MessageRecord, Peer, StoredCopy, UpdateKind};
use crate::StoreError;

/// The group and member table operations, inside one transaction.
pub(crate) trait ChatTxn {
    /// Hands out the next group id (durably counted, never reused).
    fn next_chat_id(&mut self) -> Result<i64, StoreError>;
    fn chat(&mut self, id: i64) -> Result<Option<ChatRecord>, StoreError>;
    fn put_chat(&mut self, chat: &ChatRecord) -> Result<(), StoreError>;
    /// The members, by user id.
    fn participants(&mut self, chat_id: i64) -> Result<Vec<ChatParticipant>, StoreError>;
    fn put_participant(
        &mut self,
        chat_id: i64,
        participant: &ChatParticipant,
    ) -> Result<(), StoreError>;
    fn delete_participant(&mut self, chat_id: i64, user_id: i64) -> Result<(), StoreError>;
}

/// How far back a reply target is looked for in another member's box.
const REPLY_SCAN_LIMIT: usize = 500;

/// What a group message carries besides its boxes.
struct Content {
    from: i64,
    date: i64,
    text: String,
    entities: Vec<u8>,
    silent: bool,
    action: Option<ChatAction>,
    /// The replied message as (author, id in the author's box).
    reply_key: Option<(i64, i32)>,
    /// The reply target in the sender's own box.
    sender_reply: Option<i32>,
}

/// The author key of a copy: (author, id of the author's copy).
fn author_key(m: &MessageRecord) -> Option<(i64, i32)> {
    if m.out {
        Some((m.from_id, m.id))
    } else {
        m.peer_copy_id.map(|id| (m.from_id, id))
    }
}

/// `owner`'s copy of the message with this author key, looked for among
/// the newest [`REPLY_SCAN_LIMIT`] messages of the group.
fn find_copy(
    boxes: &mut impl BoxTxn,
    owner: i64,
    chat_id: i64,
    key: (i64, i32),
) -> Result<Option<i32>, StoreError> {
    let query = HistoryQuery {
        peer: Peer::Chat(chat_id),
        below: None,
        above: None,
        newest_first: true,
        limit: REPLY_SCAN_LIMIT,
    };
    Ok(boxes
        .history(owner, &query)?
        .iter()
        .find(|m| author_key(m) == Some(key))
        .map(|m| m.id))
}

/// Fails if any of the boxes cannot take one more message. Every write
/// calls it before it writes anything, as the memory backend has no
/// rollback.
fn check_room(boxes: &mut impl BoxTxn, members: &[i64]) -> Result<(), StoreError> {
    for &owner in members {
        let state = boxes.box_state(owner)?;
        if state.pts == i32::MAX || state.last_message_id == i32::MAX {
            return Err(overflow());
        }
    }
    Ok(())
}

/// Stores the message in the box of every user of `members`, the author
/// (when a member) first, each copy naming the author's copy.
fn deliver(
    boxes: &mut impl BoxTxn,
    chat_id: i64,
    members: &[i64],
    content: Content,
) -> Result<Vec<StoredCopy>, StoreError> {
    check_room(boxes, members)?;
    let author_in = members.contains(&content.from);
    let author_id = if author_in {
        Some(boxes.box_state(content.from)?.last_message_id + 1)
    } else {
        None
    };
    let order = members
        .iter()
        .copied()
        .filter(|&m| m == content.from)
        .chain(members.iter().copied().filter(|&m| m != content.from));
    let mut copies = Vec::with_capacity(members.len());
    for owner in order.collect::<Vec<_>>() {
        let out = owner == content.from;
        let reply_to = if out {
            content.sender_reply
        } else {
            match content.reply_key {
                Some((author, id)) if author == owner => Some(id),
                Some(key) => find_copy(boxes, owner, chat_id, key)?,
                None => None,
            }
        };
        let message = MessageRecord {
            owner,
            id: 0,
            peer: Peer::Chat(chat_id),
            from_id: content.from,
            out,
            date: content.date,
            text: content.text.clone(),
            entities: content.entities.clone(),
            reply_to,
            silent: content.silent,
            peer_copy_id: if out { None } else { author_id },
            edit_date: None,
            fwd_from: None,
            action: content.action.clone(),
        };
        copies.push(store_copy(boxes, owner, message)?);
    }
    Ok(copies)
}

fn service(from: i64, date: i64, action: ChatAction) -> Content {
    Content {
        from,
        date,
        text: String::new(),
        entities: Vec::new(),
        silent: false,
        action: Some(action),
        reply_key: None,
        sender_reply: None,
    }
}

fn member_ids(participants: &[ChatParticipant]) -> Vec<i64> {
    participants.iter().map(|p| p.user_id).collect()
}

/// The whole creation; see [`crate::Store::create_chat`].
pub(crate) fn create(
    boxes: &mut impl BoxTxn,
    chats: &mut impl ChatTxn,
    new: &NewChat,
) -> Result<Result<ChatWrite, ChatRefusal>, StoreError> {
    let mut users = vec![new.creator];
    for &u in &new.invited {
        if !users.contains(&u) {
            users.push(u);
        }
    }
    if users.len() > MAX_CHAT_MEMBERS {
        return Ok(Err(ChatRefusal::TooManyMembers));
    }
    check_room(boxes, &users)?;
    let id = chats.next_chat_id()?;
    let chat = ChatRecord {
        id,
        title: new.title.clone(),
        creator: new.creator,
        date: new.date,
        version: 1,
        deactivated: false,
        migrated_to: None,
    };
    chats.put_chat(&chat)?;
    let participants: Vec<ChatParticipant> = users
        .iter()
        .map(|&user_id| ChatParticipant {
            user_id,
            inviter_id: new.creator,
            date: new.date,
            admin: false,
        })
        .collect();
    for p in &participants {
        chats.put_participant(id, p)?;
    }
    let action = ChatAction::Create {
        title: new.title.clone(),
        users: users.clone(),
    };
    let copies = deliver(boxes, id, &users, service(new.creator, new.date, action))?;
    Ok(Ok(ChatWrite {
        chat,
        participants,
        copies,
        duplicate: false,
    }))
}

/// One change; see [`crate::Store::change_chat`].
pub(crate) fn change(
    boxes: &mut impl BoxTxn,
    chats: &mut impl ChatTxn,
    chat_id: i64,
    by: i64,
    change: &ChatChange,
    date: i64,
) -> Result<Result<ChatWrite, ChatRefusal>, StoreError> {
    let Some(mut chat) = chats.chat(chat_id)?.filter(|c| !c.deactivated) else {
        return Ok(Err(ChatRefusal::ChatNotFound));
    };
    let mut participants = chats.participants(chat_id)?;
    let Some(actor) = participants.iter().find(|p| p.user_id == by).cloned() else {
        return Ok(Err(ChatRefusal::NotMember));
    };
    let target = |user_id: i64| participants.iter().find(|p| p.user_id == user_id).cloned();
    let copies = match change {
        ChatChange::AddUser { user_id } => {
            if target(*user_id).is_some() {
                return Ok(Err(ChatRefusal::AlreadyMember));
            }
            if participants.len() >= MAX_CHAT_MEMBERS {
                return Ok(Err(ChatRefusal::TooManyMembers));
            }
            let mut everyone = member_ids(&participants);
            everyone.push(*user_id);
            check_room(boxes, &everyone)?;
            let p = ChatParticipant {
                user_id: *user_id,
                inviter_id: by,
                date,
                admin: false,
            };
            chats.put_participant(chat_id, &p)?;
            participants.push(p);
            let action = ChatAction::AddUsers {
                users: vec![*user_id],
            };
            deliver(
                boxes,
                chat_id,
                &member_ids(&participants),
                service(by, date, action),
            )?
        }
        ChatChange::DeleteUser { user_id } => {
            let Some(removed) = target(*user_id) else {
                return Ok(Err(ChatRefusal::UserNotMember));
            };
            let allowed = *user_id == by
                || by == chat.creator
                || (actor.admin && *user_id != chat.creator && !removed.admin);
            if !allowed {
                return Ok(Err(ChatRefusal::NotAdmin));
            }
            // The removed user still gets the message saying so.
            let action = ChatAction::DeleteUser { user_id: *user_id };
            let copies = deliver(
                boxes,
                chat_id,
                &member_ids(&participants),
                service(by, date, action),
            )?;
            chats.delete_participant(chat_id, *user_id)?;
            participants.retain(|p| p.user_id != *user_id);
            copies
        }
        ChatChange::EditTitle { title } => {
            if *title == chat.title {
                return Ok(Err(ChatRefusal::NotModified));
            }
            chat.title = title.clone();
            let action = ChatAction::EditTitle {
                title: title.clone(),
            };
            deliver(
                boxes,
                chat_id,
                &member_ids(&participants),
                service(by, date, action),
            )?
        }
        ChatChange::EditAdmin { user_id, admin } => {
            if by != chat.creator {
                return Ok(Err(ChatRefusal::NotAdmin));
            }
            let Some(mut p) = target(*user_id) else {
                return Ok(Err(ChatRefusal::UserNotMember));
            };
            if *user_id == chat.creator || p.admin == *admin {
                return Ok(Err(ChatRefusal::NotModified));
            }
            p.admin = *admin;
            chats.put_participant(chat_id, &p)?;
            for q in participants.iter_mut().filter(|q| q.user_id == *user_id) {
                q.admin = *admin;
            }
            Vec::new()
        }
    };
    chat.version = chat.version.saturating_add(1);
    chats.put_chat(&chat)?;
    Ok(Ok(ChatWrite {
        chat,
        participants,
        copies,
        duplicate: false,
    }))
}

/// A message from a member; see [`crate::Store::send_chat_message`].
pub(crate) fn send(
    boxes: &mut impl BoxTxn,
    chats: &mut impl ChatTxn,
    new: &NewChatMessage,
) -> Result<Result<ChatWrite, ChatRefusal>, StoreError> {
    let Some(chat) = chats.chat(new.chat_id)?.filter(|c| !c.deactivated) else {
        return Ok(Err(ChatRefusal::ChatNotFound));
    };
    let participants = chats.participants(new.chat_id)?;
    if !participants.iter().any(|p| p.user_id == new.from) {
        return Ok(Err(ChatRefusal::NotMember));
    }
    if let Some(random_id) = new.random_id {
        if let Some((id, pts)) = boxes.random_id(new.from, random_id)? {
            let copies = boxes
                .message(new.from, id)?
                .map(|message| StoredCopy { message, pts })
                .into_iter()
                .collect();
            return Ok(Ok(ChatWrite {
                chat,
                participants,
                copies,
                duplicate: true,
            }));
        }
    }
    let mut sender_reply = None;
    let mut reply_key = None;
    if let Some(reply_id) = new.reply_to {
        if let Some(replied) = boxes.message(new.from, reply_id)? {
            if replied.peer == Peer::Chat(new.chat_id) {
                sender_reply = Some(reply_id);
                reply_key = author_key(&replied);
            }
        }
    }
    let content = Content {
        from: new.from,
        date: new.date,
        text: new.text.clone(),
        entities: new.entities.clone(),
        silent: new.silent,
        action: None,
        reply_key,
        sender_reply,
    };
    let copies = deliver(boxes, new.chat_id, &member_ids(&participants), content)?;
    if let (Some(random_id), Some(mine)) = (new.random_id, copies.first()) {
        boxes.put_random_id(new.from, random_id, (mine.message.id, mine.pts))?;
    }
    Ok(Ok(ChatWrite {
        chat,
        participants,
        copies,
        duplicate: false,
    }))
}

/// The whole read; see [`crate::Store::read_chat_history`]. The reader's
/// inbox moves as in a private chat; then every author of a newly read
/// message has their outbox moved to their own copy of it.
pub(crate) fn read(
    boxes: &mut impl BoxTxn,
    owner: i64,
    chat_id: i64,
    max_id: i32,
    now: i64,
) -> Result<ChatReadOutcome, StoreError> {
    let peer = Peer::Chat(chat_id);
    let previous = boxes
        .dialog(owner, peer)?
        .map(|d| d.read_inbox_max_id)
        .unwrap_or(0);
    let outcome = box_txn::read_history(boxes, owner, peer, max_id, now)?;
    let Some(reader) = outcome.reader else {
        return Ok(ChatReadOutcome {
            reader: None,
            reader_pts: outcome.reader_pts,
            others: Vec::new(),
        });
    };
    let UpdateKind::ReadHistoryInbox { max_id, .. } = reader.kind else {
        return Ok(ChatReadOutcome {
            reader_pts: outcome.reader_pts,
            reader: Some(reader),
            others: Vec::new(),
        });
    };
    // The newest read copy of each author.
    let mut newest: Vec<(i64, i32)> = Vec::new();
    box_txn::scan_down(boxes, owner, peer, max_id.saturating_add(1), |m| {
        if m.id <= previous {
            return false;
        }
        if let (false, Some(copy)) = (m.out, m.peer_copy_id) {
            if !newest.iter().any(|&(a, _)| a == m.from_id) {
                newest.push((m.from_id, copy));
            }
        }
        true
    })?;
    let mut others = Vec::new();
    for (author, copy_id) in newest {
        let Some(mut theirs) = boxes.dialog(author, peer)? else {
            continue;
        };
        if copy_id <= theirs.read_outbox_max_id {
            continue;
        }
        if boxes.box_state(author)?.pts == i32::MAX {
            return Err(overflow());
        }
        theirs.read_outbox_max_id = copy_id;
        boxes.put_dialog(author, &theirs)?;
        let entry = box_txn::append(
            boxes,
            author,
            now,
            UpdateKind::ReadHistoryOutbox {
                peer,
                max_id: copy_id,
            },
        )?;
        others.push((author, entry));
    }
    Ok(ChatReadOutcome {
        reader_pts: outcome.reader_pts,
        reader: Some(reader),
        others,
    })
}
