//! Channel records to TL for one viewer: `channel` (with the viewer's own
//! access hash and rights), posts, participants and rights flags.

use chappe_core::messaging::channels::ChannelView;
use chappe_core::AccessHashes;
use chappe_store::channels::{ChannelParticipant, ChannelRecord};
use chappe_store::{MessageRecord, Peer};
use chappe_tl::api::{enums, types};
use chappe_tl::{Deserializable, Serializable};

use crate::convert::clamp_date;
use crate::messages::convert::{message_tl, peer_tl};

/// The constructor ids whose flags word is the rights bits the store keeps.
const ADMIN_RIGHTS_ID: u32 = 0x5fb2_24d5;
const BANNED_RIGHTS_ID: u32 = 0x9f12_0418;

/// The flags word of a serialized `chatAdminRights`/`chatBannedRights`:
/// the store keeps rights as those very bits.
fn flags_of(bytes: &[u8]) -> u32 {
    bytes
        .get(4..8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

pub(crate) fn admin_bits(rights: &enums::ChatAdminRights) -> u32 {
    flags_of(&rights.to_bytes())
}

pub(crate) fn banned_bits(rights: &enums::ChatBannedRights) -> u32 {
    flags_of(&rights.to_bytes())
}

/// The rights bits as `chatAdminRights` (decoded from the flags word, so
/// every bit the schema names round-trips; a failed decode, which the
/// schema rules out, shows no rights).
pub(crate) fn admin_rights_tl(bits: u32) -> enums::ChatAdminRights {
    let mut bytes = ADMIN_RIGHTS_ID.to_le_bytes().to_vec();
    bytes.extend_from_slice(&bits.to_le_bytes());
    enums::ChatAdminRights::from_bytes(&bytes).unwrap_or_else(|_| {
        enums::ChatAdminRights::ChatAdminRights(types::ChatAdminRights::default())
    })
}

/// The banned bits as `chatBannedRights` (forever: no until date).
pub(crate) fn banned_rights_tl(bits: u32) -> enums::ChatBannedRights {
    let mut bytes = BANNED_RIGHTS_ID.to_le_bytes().to_vec();
    bytes.extend_from_slice(&bits.to_le_bytes());
    bytes.extend_from_slice(&0i32.to_le_bytes());
    enums::ChatBannedRights::from_bytes(&bytes).unwrap_or_else(|_| {
        enums::ChatBannedRights::ChatBannedRights(types::ChatBannedRights::default())
    })
}

/// The channel as the viewer sees it: `channelForbidden` when deleted or
/// closed to them.
pub(crate) fn channel_tl(hashes: &AccessHashes, viewer: i64, view: &ChannelView) -> enums::Chat {
    let c = &view.channel;
    let access_hash = hashes.for_channel(viewer, c.id);
    if c.deleted || !view.can_read() {
        return enums::Chat::ChannelForbidden(types::ChannelForbidden {
            broadcast: c.broadcast,
            megagroup: !c.broadcast,
            monoforum: false,
            id: c.id,
            access_hash,
            title: c.title.clone(),
            until_date: None,
        });
    }
    let admin = view.admin_rights();
    let banned = view.banned_rights();
    enums::Chat::Channel(types::Channel {
        creator: view.is_creator(),
        left: !view.is_member(),
        broadcast: c.broadcast,
        verified: false,
        megagroup: !c.broadcast,
        restricted: false,
        signatures: false,
        min: false,
        scam: false,
        has_link: false,
        has_geo: false,
        slowmode_enabled: false,
        call_active: false,
        call_not_empty: false,
        fake: false,
        gigagroup: false,
        noforwards: false,
        join_to_send: false,
        join_request: false,
        forum: false,
        stories_hidden: false,
        stories_hidden_min: false,
        stories_unavailable: false,
        signature_profiles: false,
        autotranslation: false,
        broadcast_messages_allowed: false,
        monoforum: false,
        forum_tabs: false,
        id: c.id,
        access_hash: Some(access_hash),
        title: c.title.clone(),
        username: c.username.clone(),
        photo: enums::ChatPhoto::ChatPhotoEmpty(types::ChatPhotoEmpty),
        date: clamp_date(
            view.participant
                .as_ref()
                .filter(|p| p.is_member())
                .map_or(c.date, |p| p.date),
        ),
        restriction_reason: None,
        admin_rights: (admin != 0).then(|| admin_rights_tl(admin)),
        banned_rights: (banned != 0).then(|| banned_rights_tl(banned)),
        default_banned_rights: (!c.broadcast).then(|| banned_rights_tl(0)),
        participants_count: Some(c.participants_count),
        usernames: None,
        stories_max_id: None,
        color: None,
        profile_color: None,
        emoji_status: None,
        level: None,
        subscription_until_date: None,
        bot_verification_icon: None,
        send_paid_messages_stars: None,
        linked_monoforum_id: None,
        linked_community_id: None,
    })
}

/// A post (or service message) of the channel box as the viewer sees it:
/// `out` for their own, and broadcast posts signed by the channel.
pub(crate) fn channel_message_tl(
    m: &MessageRecord,
    viewer: i64,
    broadcast: bool,
) -> enums::Message {
    let mut mine = m.clone();
    mine.out = m.from_id == viewer;
    let mut message = message_tl(&mine);
    if broadcast {
        match &mut message {
            enums::Message::Message(msg) => {
                msg.post = true;
                msg.from_id = None;
            }
            enums::Message::MessageService(msg) => {
                msg.post = true;
                msg.from_id = None;
            }
            enums::Message::MessageEmpty(_) => {}
        }
    }
    message
}

/// One participant row as TL.
pub(crate) fn participant_tl(
    channel: &ChannelRecord,
    p: &ChannelParticipant,
    viewer: i64,
) -> enums::ChannelParticipant {
    let date = clamp_date(p.date);
    if !p.is_member() || p.banned_rights != 0 {
        return enums::ChannelParticipant::ChannelParticipantBanned(
            types::ChannelParticipantBanned {
                left: !p.is_member(),
                peer: peer_tl(Peer::User(p.user_id)),
                kicked_by: p.changed_by,
                date,
                banned_rights: banned_rights_tl(p.banned_rights),
                rank: None,
            },
        );
    }
    if p.user_id == channel.creator {
        return enums::ChannelParticipant::ChannelParticipantCreator(
            types::ChannelParticipantCreator {
                user_id: p.user_id,
                admin_rights: admin_rights_tl(chappe_store::channels::admin_rights::ALL),
                rank: None,
            },
        );
    }
    if p.admin_rights != 0 {
        return enums::ChannelParticipant::ChannelParticipantAdmin(
            types::ChannelParticipantAdmin {
                can_edit: true,
                is_self: p.user_id == viewer,
                user_id: p.user_id,
                inviter_id: (p.user_id == viewer).then_some(p.inviter_id),
                promoted_by: p.changed_by,
                date,
                admin_rights: admin_rights_tl(p.admin_rights),
                rank: None,
            },
        );
    }
    if p.user_id == viewer {
        return enums::ChannelParticipant::ChannelParticipantSelf(types::ChannelParticipantSelf {
            via_request: false,
            user_id: p.user_id,
            inviter_id: p.inviter_id,
            date,
            subscription_until_date: None,
            rank: None,
        });
    }
    enums::ChannelParticipant::ChannelParticipant(types::ChannelParticipant {
        user_id: p.user_id,
        date,
        subscription_until_date: None,
        rank: None,
    })
}
