//! The `messages` namespace for private chats: sending, history, the chat
//! list, read receipts, fetching messages by id, and (in [`edit`],
//! [`search`], [`chat_list`]) edits, deletes, forwards, search, typing,
//! drafts and pinned dialogs, on the
//! [`chappe_core::Messaging`] service. [`convert`] turns its records into TL
//! for one viewer; updates go to live sessions only after the store
//! committed (the log already holds them for `updates.getDifference`).
//!
//! Group and channel peers are routed to `crate::chats` and
//! `crate::channels`, which own those writes.

mod chat_list;
pub(crate) mod convert;
mod edit;
mod read;
mod search;
mod send;

pub(crate) use edit::difference_parts;

pub use send::send_service_message;

use chappe_core::MessagingError;
use chappe_store::Peer;
use chappe_tl::api::enums;

use crate::{Api, RpcError, SessionRef};

impl From<MessagingError> for RpcError {
    fn from(error: MessagingError) -> Self {
        let (code, message) = error.rpc_name();
        if code >= 500 {
            tracing::error!(error = %error, "messaging failure");
        }
        RpcError::new(code, message)
    }
}

fn peer_id_invalid() -> RpcError {
    RpcError::bad_request("PEER_ID_INVALID")
}

/// The caller's own session, which gets its updates in the RPC result.
fn own_session(ctx: &crate::RequestContext) -> SessionRef {
    SessionRef {
        auth_key_id: ctx.auth_key_id,
        session_id: ctx.session_id,
    }
}

impl Api {
    /// The chat an `InputPeer` names for `viewer`, checking the access hash
    /// the viewer was given.
    pub(crate) fn resolve_peer(
        &self,
        viewer: i64,
        input: &enums::InputPeer,
    ) -> Result<Peer, RpcError> {
        match input {
            enums::InputPeer::InputPeerSelf(_) => Ok(Peer::User(viewer)),
            enums::InputPeer::InputPeerUser(u)
                if u.user_id == viewer
                    || self
                        .accounts
                        .access_hashes()
                        .check(viewer, u.user_id, u.access_hash) =>
            {
                Ok(Peer::User(u.user_id))
            }
            // Groups have no access hash: membership is checked by the
            // operation itself.
            enums::InputPeer::InputPeerChat(c) if c.chat_id > 0 => Ok(Peer::Chat(c.chat_id)),
            enums::InputPeer::InputPeerChannel(c)
                if self.accounts.access_hashes().check_channel(
                    viewer,
                    c.channel_id,
                    c.access_hash,
                ) =>
            {
                Ok(Peer::Channel(c.channel_id))
            }
            _ => Err(peer_id_invalid()),
        }
    }
}
