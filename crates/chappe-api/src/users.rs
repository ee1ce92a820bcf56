//! The `users` namespace: users by id and the full profile.

use chappe_store::UserRecord;
use chappe_tl::api::{enums, functions, types};

use crate::convert::user_for;
use crate::{Api, RequestContext, RpcError};

impl Api {
    pub(crate) async fn users_get_users(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::users::GetUsers,
    ) -> Result<Vec<enums::User>, RpcError> {
        let mut ids = Vec::with_capacity(req.id.len());
        for input in &req.id {
            // Telegram leaves out users it cannot resolve instead of failing the whole call.
            if let Ok(id) = self.resolve_input_user(viewer, input) {
                ids.push(id);
            }
        }
        let users = self.accounts.get_users(&ids).await?;
        Ok(users
            .iter()
            .map(|u| user_for(self.accounts.access_hashes(), viewer, u, ctx.now))
            .collect())
    }

    pub(crate) async fn users_get_full_user(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        req: functions::users::GetFullUser,
    ) -> Result<enums::users::UserFull, RpcError> {
        let id = self.resolve_input_user(viewer, &req.id)?;
        let user = self
            .accounts
            .get_user(id)
            .await?
            .ok_or_else(|| RpcError::bad_request("USER_ID_INVALID"))?;
        let blocked = viewer != id && self.accounts.is_blocked(viewer, id).await?;
        Ok(enums::users::UserFull::UserFull(types::users::UserFull {
            full_user: full_user(&user, blocked),
            chats: Vec::new(),
            users: vec![user_for(
                self.accounts.access_hashes(),
                viewer,
                &user,
                ctx.now,
            )],
        }))
    }

    /// The user id an `InputUser` names, checking the access hash the viewer was given.
    pub(crate) fn resolve_input_user(
        &self,
        viewer: i64,
        input: &enums::InputUser,
    ) -> Result<i64, RpcError> {
        match input {
            enums::InputUser::InputUserSelf(_) => Ok(viewer),
            enums::InputUser::InputUser(u) => {
                if u.user_id == viewer
                    || self
                        .accounts
                        .access_hashes()
                        .check(viewer, u.user_id, u.access_hash)
                {
                    Ok(u.user_id)
                } else {
                    Err(RpcError::bad_request("USER_ID_INVALID"))
                }
            }
            // Users seen in a message need message access checks (cloud chats).
            enums::InputUser::InputUserFromMessage(_) | enums::InputUser::InputUserEmpty(_) => {
                Err(RpcError::bad_request("USER_ID_INVALID"))
            }
        }
    }
}

fn full_user(user: &UserRecord, blocked: bool) -> enums::UserFull {
    enums::UserFull::UserFull(types::UserFull {
        blocked,
        phone_calls_available: false,
        phone_calls_private: false,
        can_pin_message: true,
        has_scheduled: false,
        video_calls_available: false,
        voice_messages_forbidden: false,
        translations_disabled: true,
        stories_pinned_available: false,
        blocked_my_stories_from: false,
        wallpaper_overridden: false,
        contact_require_premium: false,
        read_dates_private: false,
        sponsored_enabled: false,
        can_view_revenue: false,
        bot_can_manage_emoji_status: false,
        display_gifts_button: false,
        noforwards_my_enabled: false,
        noforwards_peer_enabled: false,
        unofficial_security_risk: false,
        id: user.id,
        about: (!user.about.is_empty()).then(|| user.about.clone()),
        settings: enums::PeerSettings::PeerSettings(types::PeerSettings::default()),
        personal_photo: None,
        profile_photo: None,
        fallback_photo: None,
        notify_settings: enums::PeerNotifySettings::PeerNotifySettings(
            types::PeerNotifySettings::default(),
        ),
        bot_info: None,
        pinned_msg_id: None,
        common_chats_count: 0,
        folder_id: None,
        ttl_period: None,
        theme: None,
        private_forward_name: None,
        bot_group_admin_rights: None,
        bot_broadcast_admin_rights: None,
        wallpaper: None,
        stories: None,
        business_work_hours: None,
        business_location: None,
        business_greeting_message: None,
        business_away_message: None,
        business_intro: None,
        birthday: None,
        personal_channel_id: None,
        personal_channel_message: None,
        stargifts_count: None,
        starref_program: None,
        bot_verification: None,
        send_paid_messages_stars: None,
        disallowed_gifts: None,
        stars_rating: None,
        stars_my_pending_rating: None,
        stars_my_pending_rating_date: None,
        main_tab: None,
        saved_music: None,
        note: None,
        bot_manager_id: None,
    })
}
