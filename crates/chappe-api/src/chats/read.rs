//! `messages.getChats` and `messages.getFullChat`.

use chappe_core::messaging::chats::ChatError;
use chappe_tl::api::{enums, functions, types};

use super::convert::{chat_tl_for, participants_tl};
use crate::{Api, RequestContext, RpcError};

impl Api {
    pub(crate) async fn messages_get_chats(
        &self,
        viewer: i64,
        req: functions::messages::GetChats,
    ) -> Result<enums::messages::Chats, RpcError> {
        Ok(enums::messages::Chats::Chats(types::messages::Chats {
            chats: self.chats_seen_by(viewer, &req.id).await?,
        }))
    }

    pub(crate) async fn messages_get_full_chat(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::GetFullChat,
    ) -> Result<enums::messages::ChatFull, RpcError> {
        let view = self
            .messaging
            .chat_view(viewer, req.chat_id)
            .await?
            .ok_or(ChatError::ChatIdInvalid)?;
        let user_ids: Vec<i64> = view.participants.iter().map(|p| p.user_id).collect();
        let users = self.users_seen_by(viewer, &user_ids, ctx.now).await?;
        let full = types::ChatFull {
            can_set_username: false,
            has_scheduled: false,
            translations_disabled: false,
            has_welcome_messages: false,
            id: view.chat.id,
            about: String::new(),
            participants: participants_tl(&view),
            chat_photo: None,
            notify_settings: enums::PeerNotifySettings::PeerNotifySettings(
                types::PeerNotifySettings::default(),
            ),
            exported_invite: None,
            bot_info: None,
            pinned_msg_id: None,
            folder_id: None,
            call: None,
            ttl_period: None,
            groupcall_default_join_as: None,
            theme_emoticon: None,
            requests_pending: None,
            recent_requesters: None,
            available_reactions: None,
            reactions_limit: None,
        };
        Ok(enums::messages::ChatFull::ChatFull(
            types::messages::ChatFull {
                full_chat: enums::ChatFull::ChatFull(full),
                chats: vec![chat_tl_for(self.accounts.access_hashes(), viewer, &view)],
                users,
            },
        ))
    }
}
