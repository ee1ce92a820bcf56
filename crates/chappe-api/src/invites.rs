//! Invite links: `messages.exportChatInvite`, `checkChatInvite` and
//! `importChatInvite` for basic groups and channels. The rules live in
//! `chappe_core::messaging::invites`; this module draws the link's secret,
//! turns links and groups into TL and delivers a join like an invite.
//! Listing, editing and deleting links is in `manage`.

use chappe_core::messaging::invites::{InviteError, InviteTarget, Joined, NewInvite};
use chappe_store::invites::InviteRecord;
use chappe_store::Peer;
use chappe_tl::api::{enums, functions, types};
use rand::rngs::{StdRng, SysRng};
use rand::{Rng, SeedableRng};

use crate::chats::convert::chat_tl;
use crate::chats::Extra;
use crate::convert::clamp_date;
use crate::{Api, RequestContext, RpcError};

mod manage;

impl From<InviteError> for RpcError {
    fn from(error: InviteError) -> Self {
        let (code, message) = error.rpc_name();
        if code >= 500 {
            tracing::error!(error = %error, "invite link failure");
        }
        RpcError::new(code, message)
    }
}

/// 16 bytes from the OS generator: the whole secret of a link.
fn fresh_secret() -> Result<[u8; 16], RpcError> {
    let mut rng = StdRng::try_from_rng(&mut SysRng).map_err(|_| RpcError::internal())?;
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    Ok(bytes)
}

fn optional_date(date: Option<i32>) -> Option<i64> {
    date.filter(|&d| d > 0).map(i64::from)
}

impl Api {
    fn exported_tl(&self, record: &InviteRecord) -> enums::ExportedChatInvite {
        enums::ExportedChatInvite::ChatInviteExported(types::ChatInviteExported {
            revoked: record.revoked,
            permanent: false,
            request_needed: false,
            link: format!("{}+{}", self.config.me_url_prefix, record.hash),
            admin_id: record.admin_id,
            date: clamp_date(record.date),
            start_date: None,
            expire_date: record.expire_date.map(clamp_date),
            usage_limit: record.usage_limit,
            usage: Some(record.usage).filter(|&u| u > 0),
            requested: None,
            subscription_expired: None,
            title: Some(record.title.clone()).filter(|t| !t.is_empty()),
            subscription_pricing: None,
        })
    }

    pub(crate) async fn messages_export_chat_invite(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::ExportChatInvite,
    ) -> Result<enums::ExportedChatInvite, RpcError> {
        // Join requests, paid subscriptions and the one permanent link per
        // admin are not kept yet.
        if req.request_needed || req.subscription_pricing.is_some() || req.legacy_revoke_permanent {
            return Err(RpcError::method_not_implemented());
        }
        let peer = self.resolve_peer(viewer, &req.peer)?;
        if !matches!(peer, Peer::Chat(_) | Peer::Channel(_)) {
            return Err(RpcError::bad_request("PEER_ID_INVALID"));
        }
        if req.usage_limit.is_some_and(|l| !(0..=99_999).contains(&l)) {
            return Err(RpcError::bad_request("USAGE_LIMIT_INVALID"));
        }
        let expire_date = optional_date(req.expire_date);
        if expire_date.is_some_and(|at| at <= ctx.now) {
            return Err(RpcError::bad_request("EXPIRE_DATE_INVALID"));
        }
        let new = NewInvite {
            peer,
            expire_date,
            usage_limit: req.usage_limit.filter(|&l| l > 0),
            title: req.title.unwrap_or_default(),
        };
        let record = self
            .messaging
            .export_invite(viewer, new, fresh_secret()?, ctx.now)
            .await?;
        Ok(self.exported_tl(&record))
    }

    pub(crate) async fn messages_check_chat_invite(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::CheckChatInvite,
    ) -> Result<enums::ChatInvite, RpcError> {
        let (_, target) = self
            .messaging
            .check_invite(viewer, &req.hash, ctx.now)
            .await?;
        let photo = enums::Photo::PhotoEmpty(types::PhotoEmpty { id: 0 });
        let invite = match target {
            InviteTarget::Chat(view) if view.is_member() => {
                return Ok(enums::ChatInvite::ChatInviteAlready(
                    types::ChatInviteAlready {
                        chat: chat_tl(&view),
                    },
                ))
            }
            InviteTarget::Channel(view) if view.is_member() => {
                return Ok(enums::ChatInvite::ChatInviteAlready(
                    types::ChatInviteAlready {
                        chat: self.channel_view_tl(viewer, &view),
                    },
                ))
            }
            InviteTarget::Chat(view) => types::ChatInvite {
                channel: false,
                broadcast: false,
                public: false,
                megagroup: false,
                title: view.chat.title.clone(),
                about: None,
                participants_count: i32::try_from(view.participants_count).unwrap_or(i32::MAX),
                ..chat_invite(photo)
            },
            InviteTarget::Channel(view) => types::ChatInvite {
                channel: true,
                broadcast: view.channel.broadcast,
                public: view.channel.username.is_some(),
                megagroup: !view.channel.broadcast,
                title: view.channel.title.clone(),
                about: Some(view.channel.about.clone()).filter(|a| !a.is_empty()),
                participants_count: view.channel.participants_count,
                ..chat_invite(photo)
            },
        };
        Ok(enums::ChatInvite::ChatInvite(invite))
    }

    /// The joiner's `updates`: the same as an invite by the link's maker
    /// gives the invited user, pushed to the other members alike.
    pub(crate) async fn messages_import_chat_invite(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::messages::ImportChatInvite,
    ) -> Result<enums::Updates, RpcError> {
        let joined = self
            .messaging
            .import_invite(viewer, &req.hash, ctx.now)
            .await?;
        match joined {
            Joined::Chat(write) => {
                self.deliver_write(ctx, viewer, &write, Extra::Participants)
                    .await
            }
            Joined::Channel(write) => self.change_result(ctx, viewer, &write).await,
        }
    }
}

/// A `chatInvite` with the fields chappe does not fill.
fn chat_invite(photo: enums::Photo) -> types::ChatInvite {
    types::ChatInvite {
        channel: false,
        broadcast: false,
        public: false,
        megagroup: false,
        request_needed: false,
        verified: false,
        scam: false,
        fake: false,
        can_refulfill_subscription: false,
        title: String::new(),
        about: None,
        photo,
        participants_count: 0,
        participants: None,
        color: 0,
        subscription_pricing: None,
        subscription_form_id: None,
        bot_verification: None,
    }
}
