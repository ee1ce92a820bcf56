//! Which methods a client may call before it has logged in.
//!
//! Telegram answers `401 AUTH_KEY_UNREGISTERED` to every method that needs
//! a user when the auth key has none, and clients rely on it: Telethon's
//! `get_me()` (`users.getUsers([inputUserSelf])`) and GramJS's
//! `isUserAuthorized()` (`updates.getState`) read that error as "logged
//! out". So the gate is an allow-list: everything not named here needs a
//! user, including methods chappe does not implement yet.

use chappe_tl::api::Request;

/// Whole namespaces that work without a user. `auth.*` is the login itself
/// (its handlers check login where a method needs one, e.g. `auth.logOut`);
/// `langpack.*` is fetched before the phone form is shown.
const OPEN_NAMESPACES: &[&str] = &["auth.", "langpack."];

/// Whether `request` may be handled for an auth key with no user.
pub(crate) fn allowed_before_login(request: &Request) -> bool {
    let name = request.constructor_name();
    // Wrappers (invokeWithLayer, initConnection, invokeAfterMsg ...) are
    // unwrapped by the runtime; if one reaches the API it gets the
    // not-implemented error, not a misleading 401.
    if name.starts_with("invoke") || name == "initConnection" {
        return true;
    }
    if OPEN_NAMESPACES.iter().any(|ns| name.starts_with(ns)) {
        return true;
    }
    matches!(
        request,
        Request::HelpGetConfig(_)
            | Request::HelpGetNearestDc(_)
            | Request::HelpGetAppConfig(_)
            | Request::HelpGetCdnConfig(_)
            | Request::HelpGetCountriesList(_)
            | Request::HelpGetTermsOfServiceUpdate(_)
            | Request::HelpGetAppUpdate(_)
            | Request::HelpGetDeepLinkInfo(_)
            | Request::HelpSaveAppLog(_)
            // Two-step verification and login email setup happen before
            // the authorization exists.
            | Request::AccountGetPassword(_)
            | Request::AccountSendVerifyEmailCode(_)
            | Request::AccountVerifyEmail(_)
    )
}
