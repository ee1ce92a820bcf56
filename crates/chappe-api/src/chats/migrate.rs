//! `messages.migrateChat`: a basic group becomes a supergroup.
//!
//! The store does the whole migration in one transaction (see
//! `chappe_store::Store::migrate_chat`); afterwards every member gets the
//! same kind of `updates`: `updateChannel`, the supergroup's first post
//! (`messageActionChannelMigrateFrom`) and their copy of the group's last
//! message (`messageActionChatMigrateTo`), with the deactivated group and
//! the supergroup as they see them. The caller's comes back as the result,
//! everyone else's (the caller's other sessions too) is pushed.

use chappe_core::messaging::channels::ChannelView;
use chappe_core::messaging::migrate::MigrateError;
use chappe_store::chats::{ChatMigration, ChatWrite};
use chappe_store::StoredCopy;
use chappe_tl::api::{enums, functions, types};

use super::convert::{chat_tl_for, view_after};
use super::own_session;
use crate::channels::convert::channel_message_tl;
use crate::convert::clamp_date;
use crate::messages::convert::message_tl;
use crate::{Api, RequestContext, RpcError};

impl From<MigrateError> for RpcError {
    fn from(error: MigrateError) -> Self {
        let (code, name) = error.rpc_name();
        if code >= 500 {
            tracing::error!(%error, "migrating a basic group failed");
        }
        RpcError::new(code, name)
    }
}

impl Api {
    pub(crate) async fn messages_migrate_chat(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::MigrateChat,
    ) -> Result<enums::Updates, RpcError> {
        let migration = self
            .messaging
            .migrate_chat(viewer, req.chat_id, ctx.now)
            .await?;
        // The group after the write, in the shape the group views take.
        let write = ChatWrite {
            chat: migration.chat.clone(),
            participants: migration.participants.clone(),
            copies: Vec::new(),
            duplicate: false,
        };
        let mut result = None;
        for copy in &migration.copies {
            let owner = copy.message.owner;
            let updates = self
                .migration_updates(ctx, &migration, &write, copy)
                .await?;
            if owner == viewer {
                self.fanout
                    .to_user(viewer, &updates, Some(own_session(ctx)));
                result = Some(updates);
            } else {
                self.fanout.to_user(owner, &updates, None);
            }
        }
        result.ok_or_else(RpcError::internal)
    }

    /// The `updates` one member gets: `copy` is their copy of the
    /// "migrated to" message.
    async fn migration_updates(
        &self,
        ctx: &RequestContext,
        migration: &ChatMigration,
        write: &ChatWrite,
        copy: &StoredCopy,
    ) -> Result<enums::Updates, RpcError> {
        let owner = copy.message.owner;
        let channel = &migration.channel;
        let post = &migration.channel_message;
        let chat_view = view_after(write, owner, Some(copy));
        let channel_view = ChannelView {
            channel: channel.clone(),
            participant: migration
                .channel_participants
                .iter()
                .find(|p| p.user_id == owner)
                .cloned(),
        };
        let updates = vec![
            enums::Update::UpdateChannel(types::UpdateChannel {
                channel_id: channel.id,
            }),
            enums::Update::UpdateNewChannelMessage(types::UpdateNewChannelMessage {
                message: channel_message_tl(&post.message, owner, channel.broadcast),
                pts: post.pts,
                pts_count: 1,
            }),
            enums::Update::UpdateNewMessage(types::UpdateNewMessage {
                message: message_tl(&copy.message),
                pts: copy.pts,
                pts_count: 1,
            }),
        ];
        let users = self
            .users_seen_by(owner, &[copy.message.from_id], ctx.now)
            .await?;
        Ok(enums::Updates::Updates(types::Updates {
            updates,
            users,
            chats: vec![
                chat_tl_for(self.accounts.access_hashes(), owner, &chat_view),
                self.channel_view_tl(owner, &channel_view),
            ],
            date: clamp_date(ctx.now),
            seq: 0,
        }))
    }
}
