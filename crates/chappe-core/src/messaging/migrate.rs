//! Migrating a basic group to a supergroup (`messages.migrateChat`) on
//! [`Messaging`], and what the supergroup remembers of the group.
//!
//! The whole migration is one store transaction (see
//! `chappe_store::Store::migrate_chat`), which checks that the caller is
//! the group's creator and that the group is still active; this layer
//! turns its refusals into Telegram's errors.

use chappe_store::channels::box_owner;
use chappe_store::chats::{ChatAction, ChatMigration, ChatRefusal};
use chappe_store::{Peer, StoreError};

use super::{Messaging, MessagingError};

/// Why a migration failed; [`MigrateError::rpc_name`] gives the Telegram
/// code and name.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// No such group, the caller never saw it, or it is already migrated.
    #[error("no such group")]
    ChatIdInvalid,
    /// Only the creator may migrate a group.
    #[error("only the creator may migrate the group")]
    ChatAdminRequired,
    #[error(transparent)]
    Messaging(#[from] MessagingError),
}

impl From<StoreError> for MigrateError {
    fn from(error: StoreError) -> Self {
        Self::Messaging(error.into())
    }
}

impl MigrateError {
    /// The Telegram RPC error code and name for this error.
    pub fn rpc_name(&self) -> (i32, &'static str) {
        match self {
            Self::ChatIdInvalid => (400, "CHAT_ID_INVALID"),
            Self::ChatAdminRequired => (403, "CHAT_ADMIN_REQUIRED"),
            Self::Messaging(e) => e.rpc_name(),
        }
    }
}

/// The group a supergroup was migrated from, as one viewer sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MigratedFrom {
    pub chat_id: i64,
    /// The newest message of the group in the viewer's box (the "migrated
    /// to" message): where the old history ends for them.
    pub max_id: i32,
}

impl Messaging {
    /// `by` migrates group `chat_id` to a new supergroup; answers the
    /// committed migration.
    pub async fn migrate_chat(
        &self,
        by: i64,
        chat_id: i64,
        now: i64,
    ) -> Result<ChatMigration, MigrateError> {
        match self.store.migrate_chat(chat_id, by, now).await? {
            Ok(migration) => Ok(migration),
            Err(ChatRefusal::NotAdmin) => Err(MigrateError::ChatAdminRequired),
            // A former member lacks the right; to anyone else the group
            // does not exist.
            Err(ChatRefusal::NotMember) => Err(
                if self
                    .store
                    .get_dialog(by, Peer::Chat(chat_id))
                    .await?
                    .is_some()
                {
                    MigrateError::ChatAdminRequired
                } else {
                    MigrateError::ChatIdInvalid
                },
            ),
            Err(_) => Err(MigrateError::ChatIdInvalid),
        }
    }

    /// The group supergroup `channel_id` was migrated from, for `viewer`:
    /// `None` when it was created as a supergroup or the viewer has no
    /// copy of the group's history. A migrated supergroup's first post
    /// names the group, so nothing else is stored.
    pub async fn channel_migrated_from(
        &self,
        viewer: i64,
        channel_id: i64,
    ) -> Result<Option<MigratedFrom>, MessagingError> {
        let first = self.store.get_messages(box_owner(channel_id), &[1]).await?;
        let Some(ChatAction::ChannelMigrateFrom { chat_id, .. }) =
            first.into_iter().next().and_then(|m| m.action)
        else {
            return Ok(None);
        };
        let dialog = self.store.get_dialog(viewer, Peer::Chat(chat_id)).await?;
        Ok(dialog.map(|d| MigratedFrom {
            chat_id,
            max_id: d.top_message,
        }))
    }
}
