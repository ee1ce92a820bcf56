//! The `help` namespace.

use chappe_tl::api::Request;

use super::{ok, ready, viewer, Answer};
use crate::{help, Api, RequestContext};

impl Api {
    pub(super) fn dispatch_help<'a>(
        &'a self,
        ctx: &'a RequestContext,
        request: Request,
    ) -> Answer<'a> {
        match request {
            Request::HelpGetConfig(_) => ready(ok(help::get_config(&self.config, ctx))),
            Request::HelpGetNearestDc(_) => ready(ok(help::get_nearest_dc(&self.config))),
            Request::HelpGetAppConfig(req) => {
                ready(ok(help::get_app_config(&self.help.app_config, req.hash)))
            }
            Request::HelpGetCdnConfig(_) => ready(ok(help::get_cdn_config())),
            Request::HelpGetCountriesList(req) => {
                ready(ok(help::get_countries_list(&self.help.countries, req.hash)))
            }
            Request::HelpGetTermsOfServiceUpdate(_) => {
                ready(ok(help::get_terms_of_service_update(ctx)))
            }
            Request::HelpGetInviteText(_) => ready(ok(help::get_invite_text(&self.config))),
            Request::HelpGetPromoData(_) => ready(ok(help::get_promo_data(ctx))),
            Request::HelpGetAppUpdate(_) => ready(ok(help::get_app_update())),
            Request::HelpGetDeepLinkInfo(_) => ready(ok(help::get_deep_link_info())),
            Request::HelpGetRecentMeUrls(_) => ready(ok(help::get_recent_me_urls())),
            Request::HelpAcceptTermsOfService(req) => {
                answer!(self.help_accept_terms_of_service(ctx, viewer(ctx)?, req))
            }
            // Client logs and dismissed hints carry nothing chappe acts on.
            Request::HelpSaveAppLog(_)
            | Request::HelpDismissSuggestion(_)
            | Request::HelpHidePromoData(_) => ready(ok(true)),
            other => self.dispatch_rest(ctx, other),
        }
    }
}
