//! [`Api::handle`]: the login gate, then one match arm per implemented
//! method, grouped by namespace; everything else is not implemented.

use chappe_tl::api::Request;

use crate::access::allowed_before_login;
use crate::{help, layered, Api, LayerEncode, RequestContext, Response, RpcError};

fn ok<T: LayerEncode + Send + 'static>(value: T) -> Result<Response, RpcError> {
    Ok(Box::new(value))
}

/// The logged-in user; the login gate has already refused callers without one.
fn viewer(ctx: &RequestContext) -> Result<i64, RpcError> {
    ctx.user_id.ok_or_else(RpcError::auth_key_unregistered)
}

impl Api {
    /// Answers one request for the caller described by `ctx`.
    ///
    /// The result is durable before this returns: a handler that changes
    /// state answers only after the store has committed.
    pub async fn handle(
        &self,
        ctx: &RequestContext,
        request: Request,
    ) -> Result<Response, RpcError> {
        let method = request.constructor_name();
        if ctx.user_id.is_none() && !allowed_before_login(&request) {
            tracing::debug!(method, "method needs a logged-in user");
            return Err(RpcError::auth_key_unregistered());
        }
        match request {
            // help
            Request::HelpGetConfig(_) => ok(help::get_config(&self.config, ctx)),
            Request::HelpGetNearestDc(_) => ok(help::get_nearest_dc(&self.config)),
            Request::HelpGetAppConfig(req) => {
                ok(help::get_app_config(&self.help.app_config, req.hash))
            }
            Request::HelpGetCdnConfig(_) => ok(help::get_cdn_config()),
            Request::HelpGetCountriesList(req) => {
                ok(help::get_countries_list(&self.help.countries, req.hash))
            }
            Request::HelpGetTermsOfServiceUpdate(_) => ok(help::get_terms_of_service_update(ctx)),
            Request::HelpGetInviteText(_) => ok(help::get_invite_text(&self.config)),
            Request::HelpGetPromoData(_) => ok(help::get_promo_data(ctx)),
            Request::HelpGetAppUpdate(_) => ok(help::get_app_update()),
            Request::HelpGetDeepLinkInfo(_) => ok(help::get_deep_link_info()),
            Request::HelpGetRecentMeUrls(_) => ok(help::get_recent_me_urls()),
            Request::HelpAcceptTermsOfService(req) => ok(self
                .help_accept_terms_of_service(ctx, viewer(ctx)?, req)
                .await?),
            // Client logs and dismissed hints carry nothing chappe acts on.
            Request::HelpSaveAppLog(_)
            | Request::HelpDismissSuggestion(_)
            | Request::HelpHidePromoData(_) => ok(true),

            // auth
            Request::AuthSendCode(req) => ok(self.auth_send_code(ctx, req).await?),
            Request::AuthResendCode(req) => ok(self.auth_resend_code(ctx, req).await?),
            Request::AuthCancelCode(req) => ok(self.auth_cancel_code(req).await?),
            Request::AuthSignIn(req) => ok(self.auth_sign_in(ctx, req).await?),
            Request::AuthSignUp(req) => ok(self.auth_sign_up(ctx, req).await?),
            Request::AuthLogOut(_) => ok(self.auth_log_out(ctx).await?),
            Request::AuthBindTempAuthKey(req) => ok(self.auth_bind_temp_auth_key(ctx, req).await?),
            Request::AuthExportLoginToken(req) => {
                ok(self.auth_export_login_token(ctx, req).await?)
            }
            Request::AuthImportLoginToken(req) => {
                ok(self.auth_import_login_token(ctx, req).await?)
            }
            Request::AuthAcceptLoginToken(req) => {
                ok(self.auth_accept_login_token(ctx, viewer(ctx)?, req).await?)
            }

            // account: push devices
            Request::AccountRegisterDevice(req) => {
                ok(self.account_register_device(ctx, viewer(ctx)?, req).await?)
            }
            Request::AccountUnregisterDevice(req) => ok(self
                .account_unregister_device(ctx, viewer(ctx)?, req)
                .await?),

            // users
            Request::UsersGetUsers(req) => ok(self.users_get_users(ctx, viewer(ctx)?, req).await?),
            Request::UsersGetFullUser(req) => {
                ok(self.users_get_full_user(ctx, viewer(ctx)?, req).await?)
            }

            // updates
            Request::UpdatesGetState(_) => ok(self.updates_get_state(ctx, viewer(ctx)?).await?),
            Request::UpdatesGetDifference(req) => {
                ok(self.updates_get_difference(ctx, viewer(ctx)?, req).await?)
            }

            // messages
            Request::MessagesSendMessage(req) => {
                ok(self.messages_send_message(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesGetHistory(req) => {
                ok(self.messages_get_history(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesGetDialogs(req) => {
                ok(self.messages_get_dialogs(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesGetPeerDialogs(req) => ok(self
                .messages_get_peer_dialogs(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesGetMessages(req) => {
                ok(self.messages_get_messages(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesReadHistory(req) => {
                ok(self.messages_read_history(ctx, viewer(ctx)?, req).await?)
            }
            // messages: edits, deletes, forwards, search, drafts, pins
            Request::MessagesEditMessage(req) => {
                ok(self.messages_edit_message(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesDeleteMessages(req) => ok(self
                .messages_delete_messages(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesDeleteHistory(req) => {
                ok(self.messages_delete_history(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesForwardMessages(req) => ok(self
                .messages_forward_messages(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesSearch(req) => {
                ok(self.messages_search(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesSearchGlobal(req) => {
                ok(self.messages_search_global(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesSaveDraft(req) => {
                ok(self.messages_save_draft(ctx, viewer(ctx)?, req).await?)
            }
            Request::MessagesGetAllDrafts(_) => {
                ok(self.messages_get_all_drafts(ctx, viewer(ctx)?).await?)
            }
            Request::MessagesToggleDialogPin(req) => ok(self
                .messages_toggle_dialog_pin(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesReorderPinnedDialogs(req) => ok(self
                .messages_reorder_pinned_dialogs(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesGetPinnedDialogs(req) => ok(self
                .messages_get_pinned_dialogs(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesSetTyping(req) => {
                ok(self.messages_set_typing(ctx, viewer(ctx)?, req).await?)
            }

            // basic groups
            Request::MessagesCreateChat(req) => ok(layered::invited_users(
                self.messages_create_chat(ctx, viewer(ctx)?, req).await?,
            )),
            Request::MessagesAddChatUser(req) => ok(layered::invited_users(
                self.messages_add_chat_user(ctx, viewer(ctx)?, req).await?,
            )),
            Request::MessagesDeleteChatUser(req) => ok(self
                .messages_delete_chat_user(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesEditChatTitle(req) => ok(self
                .messages_edit_chat_title(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesEditChatAdmin(req) => ok(self
                .messages_edit_chat_admin(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesGetChats(req) => {
                ok(self.messages_get_chats(viewer(ctx)?, req).await?)
            }
            Request::MessagesGetFullChat(req) => {
                ok(self.messages_get_full_chat(ctx, viewer(ctx)?, req).await?)
            }
            // invite links
            Request::MessagesExportChatInvite(req) => ok(self
                .messages_export_chat_invite(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesCheckChatInvite(req) => ok(self
                .messages_check_chat_invite(ctx, viewer(ctx)?, req)
                .await?),
            Request::MessagesImportChatInvite(req) => ok(layered::join_result(
                self.messages_import_chat_invite(ctx, viewer(ctx)?, req)
                    .await?,
            )),
            // Answered from their own boxed future: see `handle_link_management`.
            Request::MessagesGetExportedChatInvites(_)
            | Request::MessagesGetExportedChatInvite(_)
            | Request::MessagesEditExportedChatInvite(_)
            | Request::MessagesDeleteExportedChatInvite(_)
            | Request::MessagesDeleteRevokedExportedChatInvites(_)
            | Request::MessagesGetAdminsWithInvites(_) => {
                self.handle_link_management(ctx, request).await
            }
            Request::MessagesMigrateChat(req) => {
                self.messages_migrate_chat_response(ctx, req).await
            }

            // channels and supergroups
            Request::ChannelsCreateChannel(req) => {
                ok(self.channels_create_channel(ctx, viewer(ctx)?, req).await?)
            }
            Request::ChannelsInviteToChannel(req) => ok(layered::invited_users(
                self.channels_invite_to_channel(ctx, viewer(ctx)?, req)
                    .await?,
            )),
            Request::ChannelsJoinChannel(req) => ok(layered::join_result(
                self.channels_join_channel(ctx, viewer(ctx)?, req).await?,
            )),
            Request::ChannelsLeaveChannel(req) => {
                ok(self.channels_leave_channel(ctx, viewer(ctx)?, req).await?)
            }
            Request::ChannelsGetChannels(req) => {
                ok(self.channels_get_channels(viewer(ctx)?, req).await?)
            }
            Request::ChannelsGetFullChannel(req) => ok(self
                .channels_get_full_channel(ctx, viewer(ctx)?, req)
                .await?),
            Request::ChannelsGetParticipants(req) => ok(self
                .channels_get_participants(ctx, viewer(ctx)?, req)
                .await?),
            Request::ChannelsGetParticipant(req) => ok(self
                .channels_get_participant(ctx, viewer(ctx)?, req)
                .await?),
            Request::ChannelsEditAdmin(req) => {
                ok(self.channels_edit_admin(ctx, viewer(ctx)?, req).await?)
            }
            Request::ChannelsEditBanned(req) => {
                ok(self.channels_edit_banned(ctx, viewer(ctx)?, req).await?)
            }
            Request::ChannelsEditTitle(req) => {
                ok(self.channels_edit_title(ctx, viewer(ctx)?, req).await?)
            }
            Request::ChannelsCheckUsername(req) => {
                ok(self.channels_check_username(viewer(ctx)?, req).await?)
            }
            Request::ChannelsUpdateUsername(req) => ok(self
                .channels_update_username(ctx, viewer(ctx)?, req)
                .await?),
            Request::ChannelsDeleteChannel(req) => {
                ok(self.channels_delete_channel(ctx, viewer(ctx)?, req).await?)
            }
            Request::ChannelsDeleteMessages(req) => ok(self
                .channels_delete_messages(ctx, viewer(ctx)?, req)
                .await?),
            Request::ChannelsReadHistory(req) => {
                ok(self.channels_read_history(ctx, viewer(ctx)?, req).await?)
            }
            Request::ChannelsGetMessages(req) => {
                ok(self.channels_get_messages(ctx, viewer(ctx)?, req).await?)
            }
            Request::UpdatesGetChannelDifference(req) => ok(self
                .updates_get_channel_difference(ctx, viewer(ctx)?, req)
                .await?),

            request => match self.handle_account_and_contacts(ctx, request).await {
                Ok(answer) => answer,
                Err(_) => {
                    tracing::warn!(method, "method not implemented");
                    Err(RpcError::method_not_implemented())
                }
            },
        }
    }
}
