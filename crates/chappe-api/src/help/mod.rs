//! The `help` namespace: server configuration, reference data and the
//! small acknowledgements clients send around them.
//!
//! Each handler is a plain function: typed arguments in, typed result out.
//! Data that never changes while the server runs (the app config, the
//! countries list and their hashes) is built once into [`HelpData`].

mod app_config;
pub(crate) mod config;
mod countries;
mod terms;

use chappe_tl::api::{enums, types};
use chappe_tl::Serializable;

use crate::{ApiConfig, RequestContext};

pub(crate) use app_config::get_app_config;
pub(crate) use config::{get_config, get_nearest_dc};
pub(crate) use countries::get_countries_list;

/// How long clients should wait before asking again for data that is
/// always empty for now (terms of service updates, promo data).
const RECHECK_SECS: i64 = 3600;

/// The `help` data built once at startup.
#[derive(Debug, Clone)]
pub(crate) struct HelpData {
    pub(crate) app_config: types::help::AppConfig,
    pub(crate) countries: types::help::CountriesList,
}

impl HelpData {
    pub(crate) fn new(config: &ApiConfig) -> Self {
        Self {
            app_config: app_config::app_config(&config.server_name),
            countries: countries::countries_list(),
        }
    }
}

/// The hash a client echoes back to say "I have this cached": FNV-1a of the
/// value's TL encoding. Never 0, since 0 means "nothing cached".
pub(crate) fn cache_hash<T: Serializable>(value: &T) -> i32 {
    let hash = value
        .to_bytes()
        .iter()
        .fold(0x811c_9dc5_u32, |hash, &byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        });
    match i32::from_le_bytes(hash.to_le_bytes()) {
        0 => 1,
        hash => hash,
    }
}

/// `help.getCdnConfig`: chappe runs no CDN DCs.
pub(crate) fn get_cdn_config() -> enums::CdnConfig {
    enums::CdnConfig::CdnConfig(types::CdnConfig {
        public_keys: Vec::new(),
    })
}

/// `help.getTermsOfServiceUpdate`: no new terms to accept (chappe publishes none, so an
/// acceptance recorded by `help.acceptTermsOfService` never leaves one pending).
pub(crate) fn get_terms_of_service_update(
    ctx: &RequestContext,
) -> enums::help::TermsOfServiceUpdate {
    enums::help::TermsOfServiceUpdate::TermsOfServiceUpdateEmpty(
        types::help::TermsOfServiceUpdateEmpty {
            expires: ctx.tl_date(RECHECK_SECS),
        },
    )
}

/// `help.getInviteText`: the text of "invite friends" messages.
pub(crate) fn get_invite_text(config: &ApiConfig) -> enums::help::InviteText {
    enums::help::InviteText::InviteText(types::help::InviteText {
        message: format!("Join me on {}!", config.server_name),
    })
}

/// `help.getPromoData`: chappe promotes no proxy channel or PSA.
pub(crate) fn get_promo_data(ctx: &RequestContext) -> enums::help::PromoData {
    enums::help::PromoData::PromoDataEmpty(types::help::PromoDataEmpty {
        expires: ctx.tl_date(RECHECK_SECS),
    })
}

/// `help.getAppUpdate`: chappe distributes no client builds.
pub(crate) fn get_app_update() -> enums::help::AppUpdate {
    enums::help::AppUpdate::NoAppUpdate(types::help::NoAppUpdate)
}

/// `help.getDeepLinkInfo`: no `tg:` links have server-side meaning yet.
pub(crate) fn get_deep_link_info() -> enums::help::DeepLinkInfo {
    enums::help::DeepLinkInfo::DeepLinkInfoEmpty(types::help::DeepLinkInfoEmpty)
}

/// `help.getRecentMeUrls`: no links have been opened through this server.
pub(crate) fn get_recent_me_urls() -> enums::help::RecentMeUrls {
    enums::help::RecentMeUrls::RecentMeUrls(types::help::RecentMeUrls {
        urls: Vec::new(),
        chats: Vec::new(),
        users: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_hash_is_stable_and_never_zero() {
        let a = cache_hash(&vec![1i32, 2, 3]);
        assert_eq!(a, cache_hash(&vec![1i32, 2, 3]));
        assert_ne!(a, cache_hash(&vec![1i32, 2, 4]));
        assert_ne!(a, 0);
    }
}
