//! Dispatch for the methods of the `account` and `contacts` namespaces (and the `auth`
//! methods that belong with them: `auth.checkPassword`, `auth.resetAuthorizations`).
//! The handlers live in `account`, `password` and `contacts`.
//! Push devices (`account.registerDevice` ...) are in `devices`.

use chappe_tl::api::Request;

use crate::{Api, LayerEncode, RequestContext, Response, RpcError};

fn ok<T: LayerEncode + Send + 'static>(value: T) -> Result<Response, RpcError> {
    Ok(Box::new(value))
}

impl Api {
    /// Handles `request` if it belongs to `account` or `contacts`; gives it back otherwise.
    pub(crate) async fn handle_account_and_contacts(
        &self,
        ctx: &RequestContext,
        request: Request,
    ) -> Result<Result<Response, RpcError>, Request> {
        // Allowed before login (see access.rs): they find their user themselves.
        match request {
            Request::AccountGetPassword(_) => {
                return Ok(self.account_get_password(ctx).await.and_then(ok))
            }
            Request::AuthCheckPassword(req) => {
                return Ok(self.auth_check_password(ctx, req).await.and_then(ok))
            }
            request => {
                let Some(viewer) = ctx.user_id else {
                    return match request {
                        Request::AuthResetAuthorizations(_) => {
                            Ok(Err(RpcError::auth_key_unregistered()))
                        }
                        other => Err(other),
                    };
                };
                self.handle_logged_in(ctx, viewer, request).await
            }
        }
    }

    async fn handle_logged_in(
        &self,
        ctx: &RequestContext,
        viewer: i64,
        request: Request,
    ) -> Result<Result<Response, RpcError>, Request> {
        Ok(match request {
            // 2FA
            Request::AccountGetPasswordSettings(req) => self
                .account_get_password_settings(ctx, viewer, req)
                .await
                .and_then(ok),
            Request::AccountUpdatePasswordSettings(req) => self
                .account_update_password_settings(ctx, viewer, req)
                .await
                .and_then(ok),
            // sessions
            Request::AccountGetAuthorizations(_) => self
                .account_get_authorizations(ctx, viewer)
                .await
                .and_then(ok),
            Request::AccountResetAuthorization(req) => self
                .account_reset_authorization(viewer, req)
                .await
                .and_then(ok),
            Request::AuthResetAuthorizations(_) => self
                .auth_reset_authorizations(ctx, viewer)
                .await
                .and_then(ok),
            Request::AccountUpdateStatus(req) => self
                .account_update_status(ctx, viewer, req)
                .await
                .and_then(ok),
            // profile
            Request::AccountUpdateProfile(req) => self
                .account_update_profile(ctx, viewer, req)
                .await
                .and_then(ok),
            Request::AccountCheckUsername(req) => {
                self.account_check_username(viewer, req).await.and_then(ok)
            }
            Request::AccountUpdateUsername(req) => self
                .account_update_username(ctx, viewer, req)
                .await
                .and_then(ok),
            // contacts
            Request::ContactsImportContacts(req) => self
                .contacts_import_contacts(ctx, viewer, req)
                .await
                .and_then(ok),
            Request::ContactsGetContacts(req) => self
                .contacts_get_contacts(ctx, viewer, req)
                .await
                .and_then(ok),
            Request::ContactsDeleteContacts(req) => self
                .contacts_delete_contacts(ctx, viewer, req)
                .await
                .and_then(ok),
            Request::ContactsResolveUsername(req) => self
                .contacts_resolve_username(ctx, viewer, req)
                .await
                .and_then(ok),
            Request::ContactsResolvePhone(req) => self
                .contacts_resolve_phone(ctx, viewer, req)
                .await
                .and_then(ok),
            Request::ContactsSearch(req) => {
                self.contacts_search(ctx, viewer, req).await.and_then(ok)
            }
            Request::ContactsBlock(req) => self.contacts_block(ctx, viewer, req).await.and_then(ok),
            Request::ContactsUnblock(req) => self.contacts_unblock(viewer, req).await.and_then(ok),
            Request::ContactsGetBlocked(req) => self
                .contacts_get_blocked(ctx, viewer, req)
                .await
                .and_then(ok),
            other => return Err(other),
        })
    }
}
