//! Requests the message tests build over and over, with every field Telegram's schema
//! requires and the defaults a plain client would send.

use chappe_core::AccessHashes;
use chappe_tl::api::{enums, functions, types};

/// The access hashes the fixture's account service hands out.
pub fn hashes() -> AccessHashes {
    AccessHashes::new([7; 32])
}

/// `target` as `viewer` names it in a peer.
pub fn user_peer(viewer: i64, target: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerUser(types::InputPeerUser {
        user_id: target,
        access_hash: hashes().for_user(viewer, target),
    })
}

/// `target` as `viewer` names it in a user argument.
pub fn input_user(viewer: i64, target: i64) -> enums::InputUser {
    enums::InputUser::InputUser(types::InputUser {
        user_id: target,
        access_hash: hashes().for_user(viewer, target),
    })
}

/// Channel `id` as `viewer` names it in a channel argument.
pub fn input_channel(viewer: i64, id: i64) -> enums::InputChannel {
    enums::InputChannel::InputChannel(types::InputChannel {
        channel_id: id,
        access_hash: hashes().for_channel(viewer, id),
    })
}

/// Channel `id` as `viewer` names it in a peer.
pub fn channel_peer(viewer: i64, id: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerChannel(types::InputPeerChannel {
        channel_id: id,
        access_hash: hashes().for_channel(viewer, id),
    })
}

pub fn chat_peer(chat_id: i64) -> enums::InputPeer {
    enums::InputPeer::InputPeerChat(types::InputPeerChat { chat_id })
}

/// A plain text message (the client library's builder, as our own clients send it).
pub fn send(
    peer: enums::InputPeer,
    text: &str,
    random_id: i64,
) -> functions::messages::SendMessage {
    chappe_client::requests::send_text(peer, text, random_id)
}

/// One page of history from `offset_id` (0: the newest).
pub fn history_page(
    peer: enums::InputPeer,
    offset_id: i32,
    add_offset: i32,
    limit: i32,
) -> functions::messages::GetHistory {
    functions::messages::GetHistory {
        peer,
        offset_id,
        offset_date: 0,
        add_offset,
        limit,
        max_id: 0,
        min_id: 0,
        hash: 0,
    }
}

/// The newest 50 messages.
pub fn history(peer: enums::InputPeer) -> functions::messages::GetHistory {
    history_page(peer, 0, 0, 50)
}

/// `channels.createChannel`: a broadcast channel, or else a supergroup.
pub fn create_channel(title: &str, broadcast: bool) -> functions::channels::CreateChannel {
    functions::channels::CreateChannel {
        broadcast,
        megagroup: !broadcast,
        for_import: false,
        forum: false,
        title: title.into(),
        about: String::new(),
        geo_point: None,
        address: None,
        ttl_period: None,
    }
}
