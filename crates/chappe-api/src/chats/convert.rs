//! Basic group records to TL for one viewer: `chat`/`chatForbidden`, the
//! member list, and service messages.

use chappe_core::messaging::chats::{ChatView, Membership};
use chappe_core::AccessHashes;
use chappe_store::chats::{ChatAction, ChatParticipant, ChatRecord, ChatWrite};
use chappe_store::{MessageRecord, Peer, StoredCopy};
use chappe_tl::api::{enums, types};

use crate::convert::clamp_date;
use crate::messages::convert::{entities_tl, peer_tl, reply_header};

fn count_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The rights a basic group admin (and the creator) has: everything a
/// basic group knows of.
fn admin_rights() -> enums::ChatAdminRights {
    enums::ChatAdminRights::ChatAdminRights(types::ChatAdminRights {
        change_info: true,
        delete_messages: true,
        ban_users: true,
        invite_users: true,
        pin_messages: true,
        manage_call: true,
        other: true,
        ..types::ChatAdminRights::default()
    })
}

/// How `viewer` stands in the group right after `write` (no store read:
/// the write carries the members, and a removed viewer's copy says who
/// removed them).
pub(crate) fn view_after(write: &ChatWrite, viewer: i64, copy: Option<&StoredCopy>) -> ChatView {
    let membership = match write.participants.iter().find(|p| p.user_id == viewer) {
        Some(_) if write.chat.creator == viewer => Membership::Creator,
        Some(p) if p.admin => Membership::Admin,
        Some(_) => Membership::Member,
        None if copy.is_some_and(|c| c.message.from_id != viewer) => Membership::Kicked,
        None => Membership::Left,
    };
    let participants = if matches!(membership, Membership::Left | Membership::Kicked) {
        Vec::new()
    } else {
        write.participants.clone()
    };
    ChatView {
        chat: write.chat.clone(),
        membership,
        participants,
        participants_count: write.participants.len(),
    }
}

pub(crate) fn chat_tl(view: &ChatView) -> enums::Chat {
    let c = &view.chat;
    if view.membership == Membership::Kicked {
        return enums::Chat::ChatForbidden(types::ChatForbidden {
            id: c.id,
            title: c.title.clone(),
        });
    }
    let left = view.membership == Membership::Left;
    enums::Chat::Chat(types::Chat {
        creator: view.membership == Membership::Creator,
        left,
        deactivated: c.deactivated,
        call_active: false,
        call_not_empty: false,
        noforwards: false,
        id: c.id,
        title: c.title.clone(),
        photo: enums::ChatPhoto::ChatPhotoEmpty(types::ChatPhotoEmpty),
        participants_count: if left {
            0
        } else {
            count_i32(view.participants_count)
        },
        date: clamp_date(c.date),
        version: c.version,
        migrated_to: None,
        admin_rights: matches!(view.membership, Membership::Creator | Membership::Admin)
            .then(admin_rights),
        default_banned_rights: None,
    })
}

/// [`chat_tl`] for `viewer`, naming the supergroup a migrated group moved
/// to with the viewer's own access hash.
pub(crate) fn chat_tl_for(hashes: &AccessHashes, viewer: i64, view: &ChatView) -> enums::Chat {
    let mut chat = chat_tl(view);
    if let (enums::Chat::Chat(c), Some(channel_id)) = (&mut chat, view.chat.migrated_to) {
        c.migrated_to = Some(enums::InputChannel::InputChannel(types::InputChannel {
            channel_id,
            access_hash: hashes.for_channel(viewer, channel_id),
        }));
    }
    chat
}

fn participant_tl(chat: &ChatRecord, p: &ChatParticipant) -> enums::ChatParticipant {
    if p.user_id == chat.creator {
        enums::ChatParticipant::ChatParticipantCreator(types::ChatParticipantCreator {
            user_id: p.user_id,
            rank: None,
        })
    } else if p.admin {
        enums::ChatParticipant::ChatParticipantAdmin(types::ChatParticipantAdmin {
            user_id: p.user_id,
            inviter_id: p.inviter_id,
            date: clamp_date(p.date),
            rank: None,
        })
    } else {
        enums::ChatParticipant::ChatParticipant(types::ChatParticipant {
            user_id: p.user_id,
            inviter_id: p.inviter_id,
            date: clamp_date(p.date),
            rank: None,
        })
    }
}

/// The member list as the viewer may see it (forbidden to non-members).
pub(crate) fn participants_tl(view: &ChatView) -> enums::ChatParticipants {
    if !view.is_member() {
        return enums::ChatParticipants::ChatParticipantsForbidden(
            types::ChatParticipantsForbidden {
                chat_id: view.chat.id,
                self_participant: None,
            },
        );
    }
    enums::ChatParticipants::ChatParticipants(types::ChatParticipants {
        chat_id: view.chat.id,
        participants: view
            .participants
            .iter()
            .map(|p| participant_tl(&view.chat, p))
            .collect(),
        version: view.chat.version,
    })
}

fn action_tl(action: &ChatAction) -> enums::MessageAction {
    match action {
        ChatAction::Create { title, users } => {
            enums::MessageAction::MessageActionChatCreate(types::MessageActionChatCreate {
                title: title.clone(),
                users: users.clone(),
            })
        }
        ChatAction::AddUsers { users } => {
            enums::MessageAction::MessageActionChatAddUser(types::MessageActionChatAddUser {
                users: users.clone(),
            })
        }
        ChatAction::DeleteUser { user_id } => {
            enums::MessageAction::MessageActionChatDeleteUser(types::MessageActionChatDeleteUser {
                user_id: *user_id,
            })
        }
        ChatAction::EditTitle { title } => {
            enums::MessageAction::MessageActionChatEditTitle(types::MessageActionChatEditTitle {
                title: title.clone(),
            })
        }
        ChatAction::ChannelCreate { title } => {
            enums::MessageAction::MessageActionChannelCreate(types::MessageActionChannelCreate {
                title: title.clone(),
            })
        }
        ChatAction::ChatMigrateTo { channel_id } => {
            enums::MessageAction::MessageActionChatMigrateTo(types::MessageActionChatMigrateTo {
                channel_id: *channel_id,
            })
        }
        ChatAction::ChannelMigrateFrom { title, chat_id } => {
            enums::MessageAction::MessageActionChannelMigrateFrom(
                types::MessageActionChannelMigrateFrom {
                    title: title.clone(),
                    chat_id: *chat_id,
                },
            )
        }
    }
}

/// A stored service message as `messageService`.
pub(crate) fn service_message_tl(m: &MessageRecord, action: &ChatAction) -> enums::Message {
    enums::Message::MessageService(types::MessageService {
        out: m.out,
        mentioned: false,
        media_unread: false,
        reactions_are_possible: false,
        silent: m.silent,
        post: false,
        legacy: false,
        id: m.id,
        from_id: Some(peer_tl(Peer::User(m.from_id))),
        peer_id: peer_tl(m.peer),
        saved_peer_id: None,
        reply_to: None,
        date: clamp_date(m.date),
        action: action_tl(action),
        reactions: None,
        ttl_period: None,
    })
}

/// A group text message copy as the short update its owner's other
/// members' sessions get.
pub(crate) fn short_chat_message(copy: &StoredCopy, chat_id: i64) -> enums::Updates {
    let m = &copy.message;
    enums::Updates::UpdateShortChatMessage(types::UpdateShortChatMessage {
        out: m.out,
        mentioned: false,
        media_unread: false,
        silent: m.silent,
        id: m.id,
        from_id: m.from_id,
        chat_id,
        message: m.text.clone(),
        pts: copy.pts,
        pts_count: 1,
        date: clamp_date(m.date),
        fwd_from: None,
        via_bot_id: None,
        reply_to: reply_header(m.reply_to),
        entities: entities_tl(&m.entities),
        ttl_period: None,
    })
}
