//! The `account` namespace apart from 2FA (see `password`): the user's sessions
//! (authorizations), online status, profile and username.

use chappe_tl::api::{enums, functions, types};

use crate::convert::{clamp_date, user_for};
use crate::{Api, RequestContext, RpcError};

/// Days an unused authorization lives, as announced to clients (Telegram's default).
const AUTHORIZATION_TTL_DAYS: i32 = 180;

impl Api {
    pub(crate) async fn account_get_authorizations(
        &self,
        ctx: &RequestContext,
        viewer: i64,
    ) -> Result<enums::account::Authorizations, RpcError> {
        let list = self
            .accounts
            .authorizations(viewer, ctx.auth_key_id)
            .await?;
        let authorizations = list
            .into_iter()
            .map(|auth| {
                let client = auth.client.unwrap_or_default();
                enums::Authorization::Authorization(types::Authorization {
                    current: auth.current,
                    hash: auth.hash,
                    device_model: client.device_model,
                    platform: String::new(),
                    system_version: client.system_version,
                    api_id: client.api_id,
                    app_name: String::new(),
                    app_version: client.app_version,
                    date_created: clamp_date(auth.created_at),
                    date_active: clamp_date(auth.last_seen_at),
                    ip: auth.ip.map(|ip| ip.to_string()).unwrap_or_default(),
                    country: String::new(),
                    region: String::new(),
                    ..types::Authorization::default()
                })
            })
            .collect();
        Ok(enums::account::Authorizations::Authorizations(
            types::account::Authorizations {
                authorization_ttl_days: AUTHORIZATION_TTL_DAYS,
                authorizations,
            },
        ))
    }

    pub(crate) async fn account_reset_authorization(
        &self,
        viewer: i64,
        req: functions::account::ResetAuthorization,
    ) -> Result<bool, RpcError> {
        self.accounts.reset_authorization(viewer, req.hash).await?;
        Ok(true)
    }

    pub(crate) async fn auth_reset_authorizations(
        &self,
        ctx: &RequestContext,
        viewer: i64,
    ) -> Result<bool, RpcError> {
        self.accounts
            .reset_authorizations(viewer, ctx.auth_key_id)
            .await?;
        Ok(true)
    }

    /// Records the status, then tells every user who has the caller as a contact (and
    /// whom the caller has not blocked) with `updateUserStatus`, as Telegram does.
    pub(crate) async fn account_update_status(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::account::UpdateStatus,
    ) -> Result<bool, RpcError> {
        self.set_status(viewer, req.offline, ctx.now).await?;
        Ok(true)
    }

    /// The runtime's call when the last connection of `user_id` closed: an account still
    /// shown online goes offline now, as when its app says so.
    pub async fn went_offline(&self, user_id: i64, now: i64) -> Result<(), RpcError> {
        let Some(user) = self.accounts.get_user(user_id).await? else {
            return Ok(());
        };
        if user
            .last_online_at
            .saturating_add(crate::convert::ONLINE_FOR_SECS)
            > now
        {
            self.set_status(user_id, true, now).await?;
        }
        Ok(())
    }

    async fn set_status(&self, user_id: i64, offline: bool, now: i64) -> Result<(), RpcError> {
        // Going offline ends the online period now; going online starts one now.
        let at = if offline {
            now.saturating_sub(crate::convert::ONLINE_FOR_SECS)
        } else {
            now
        };
        self.accounts.set_last_online(user_id, at).await?;
        let update = enums::Updates::UpdateShort(types::UpdateShort {
            update: enums::Update::UpdateUserStatus(types::UpdateUserStatus {
                user_id,
                status: crate::convert::status_of(at, now),
            }),
            date: clamp_date(now),
        });
        for owner in self.accounts.contact_owners_of(user_id).await? {
            if owner != user_id && !self.accounts.is_blocked(user_id, owner).await? {
                self.fanout.to_user(owner, &update, None);
            }
        }
        Ok(())
    }

    pub(crate) async fn account_update_profile(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::account::UpdateProfile,
    ) -> Result<enums::User, RpcError> {
        let user = self
            .accounts
            .update_profile(
                viewer,
                req.first_name.as_deref(),
                req.last_name.as_deref(),
                req.about.as_deref(),
            )
            .await?;
        Ok(user_for(
            self.accounts.access_hashes(),
            viewer,
            &user,
            ctx.now,
        ))
    }

    /// Telegram answers `false` (not an error) for a valid name someone else holds.
    pub(crate) async fn account_check_username(
        &self,
        viewer: i64,
        req: functions::account::CheckUsername,
    ) -> Result<bool, RpcError> {
        match self.accounts.check_username(viewer, &req.username).await {
            Ok(()) => Ok(true),
            Err(chappe_core::AccountError::UsernameOccupied) => Ok(false),
            Err(err) => Err(err.into()),
        }
    }

    pub(crate) async fn account_update_username(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::account::UpdateUsername,
    ) -> Result<enums::User, RpcError> {
        let user = self.accounts.update_username(viewer, &req.username).await?;
        Ok(user_for(
            self.accounts.access_hashes(),
            viewer,
            &user,
            ctx.now,
        ))
    }
}
