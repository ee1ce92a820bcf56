//! The `help` handlers and the login gate, called through `Api::handle`
//! the way the runtime calls them, with results encoded and decoded back.

use std::net::Ipv4Addr;
use std::sync::Arc;

use chappe_api::{Api, ApiConfig, RequestContext, Response, RpcError};
use chappe_core::{AccessHashes, Accounts, AccountsConfig, LoggingDelivery};
use chappe_store::MemoryStore;
use chappe_tl::api::{enums, functions, types, Request};
use chappe_tl::{Deserializable, RemoteCall, CANONICAL_LAYER, SUPPORTED_LAYERS};

const NOW: i64 = 1_750_000_000;
/// The layers of the clients chappe must serve (Pyrogram, GramJS,
/// Telethon/kurigram) and the canonical one.
const LAYERS: [i32; 4] = [158, 198, 229, CANONICAL_LAYER];

fn api() -> Api {
    let config = ApiConfig {
        public_host: Ipv4Addr::new(203, 0, 113, 7),
        tcp_port: 8443,
        this_dc: 2,
        ..ApiConfig::default()
    };
    let store: Arc<dyn chappe_store::Store> = Arc::new(MemoryStore::new());
    let accounts = Arc::new(Accounts::new(
        store.clone(),
        AccountsConfig::default(),
        AccessHashes::new([7; 32]),
        [9; 32],
        Arc::new(LoggingDelivery),
    ));
    let messaging = Arc::new(chappe_core::Messaging::new(store.clone()));
    Api::new(
        config,
        store,
        accounts,
        messaging,
        Arc::new(chappe_api::RecordingFanout::default()),
    )
    .expect("valid config")
}

fn ctx(user_id: Option<i64>) -> RequestContext {
    RequestContext {
        auth_key_id: 11,
        session_id: 22,
        msg_id: 0,
        temp_auth_key_id: None,
        layer: CANONICAL_LAYER,
        lang_code: "en".into(),
        user_id,
        client_ip: None,
        now: NOW,
    }
}

async fn call(
    api: &Api,
    user_id: Option<i64>,
    request: impl Into<Request>,
) -> Result<Response, RpcError> {
    api.handle(&ctx(user_id), request.into()).await
}

/// Encodes a result for `layer` and decodes it back as `T`.
fn decode<T: Deserializable>(response: &Response, layer: i32) -> T {
    let mut bytes = Vec::new();
    response
        .encode_for_layer(layer, &mut bytes)
        .unwrap_or_else(|e| panic!("encode for layer {layer}: {e}"));
    T::from_bytes(&bytes).unwrap_or_else(|e| panic!("decode for layer {layer}: {e}"))
}

async fn ok_value<T: Deserializable>(
    api: &Api,
    user_id: Option<i64>,
    request: impl Into<Request>,
) -> T {
    let response = call(api, user_id, request).await.expect("handler succeeds");
    decode(&response, CANONICAL_LAYER)
}

#[tokio::test]
async fn get_config_lists_every_dc_at_the_public_address_for_every_layer() {
    let api = api();
    let response = call(&api, None, functions::help::GetConfig)
        .await
        .expect("config");
    for layer in LAYERS {
        let bytes = response.to_layer_bytes(layer).expect("encode");
        // config#cc1a241e, little-endian: the same constructor in every layer.
        assert_eq!(
            bytes.get(..4),
            Some(&[0x1e, 0x24, 0x1a, 0xcc][..]),
            "layer {layer}"
        );
        let enums::Config::Config(config) = decode::<enums::Config>(&response, layer);
        assert_eq!(config.this_dc, 2, "layer {layer}");
        assert_eq!(i64::from(config.date), NOW);
        assert_eq!(i64::from(config.expires), NOW + 3600);
        assert!(!config.test_mode);
        assert_eq!(config.chat_size_max, 200);
        assert_eq!(config.megagroup_size_max, 200_000);
        assert_eq!(config.forwarded_count_max, 100);
        assert_eq!(config.me_url_prefix, "https://t.me/");
        let dcs: Vec<(i32, String, i32, bool)> = config
            .dc_options
            .iter()
            .map(|enums::DcOption::DcOption(dc)| (dc.id, dc.ip_address.clone(), dc.port, dc.ipv6))
            .collect();
        let expected: Vec<_> = (1..=5)
            .map(|id| (id, "203.0.113.7".to_owned(), 8443, false))
            .collect();
        assert_eq!(dcs, expected, "layer {layer}");
    }
}

#[tokio::test]
async fn get_nearest_dc_is_this_dc() {
    let enums::NearestDc::NearestDc(nearest) =
        ok_value(&api(), None, functions::help::GetNearestDc).await;
    assert_eq!(
        nearest,
        types::NearestDc {
            country: "US".into(),
            this_dc: 2,
            nearest_dc: 2
        }
    );
}

#[tokio::test]
async fn get_app_config_answers_not_modified_for_the_current_hash() {
    let api = api();
    let full: enums::help::AppConfig =
        ok_value(&api, None, functions::help::GetAppConfig { hash: 0 }).await;
    let enums::help::AppConfig::AppConfig(config) = full else {
        panic!("expected the full app config, got {full:?}");
    };
    assert_ne!(config.hash, 0);
    let enums::JsonValue::JsonObject(object) = &config.config else {
        panic!("app config must be a JSON object");
    };
    assert!(object
        .value
        .iter()
        .any(|enums::JsonObjectValue::JsonObjectValue(kv)| kv.key == "premium_purchase_blocked"));

    let again: enums::help::AppConfig = ok_value(
        &api,
        None,
        functions::help::GetAppConfig { hash: config.hash },
    )
    .await;
    assert!(matches!(
        again,
        enums::help::AppConfig::AppConfigNotModified(_)
    ));
    let stale: enums::help::AppConfig = ok_value(
        &api,
        None,
        functions::help::GetAppConfig {
            hash: config.hash ^ 1,
        },
    )
    .await;
    assert!(matches!(stale, enums::help::AppConfig::AppConfig(_)));
}

#[tokio::test]
async fn get_countries_list_has_the_project_countries_and_a_hash() {
    let api = api();
    let request = |hash| functions::help::GetCountriesList {
        lang_code: "en".into(),
        hash,
    };
    let full: enums::help::CountriesList = ok_value(&api, None, request(0)).await;
    let enums::help::CountriesList::CountriesList(list) = full else {
        panic!("expected the full list, got {full:?}");
    };
    let find = |iso2: &str| {
        list.countries
            .iter()
            .find_map(|enums::help::Country::Country(c)| (c.iso2 == iso2).then_some(c))
    };
    for (iso2, code) in [
        ("US", "1"),
        ("ES", "34"),
        ("MX", "52"),
        ("AR", "54"),
        ("SA", "966"),
        ("EG", "20"),
        ("AE", "971"),
        ("GB", "44"),
        ("DE", "49"),
        ("FR", "33"),
        ("RU", "7"),
    ] {
        let country = find(iso2).unwrap_or_else(|| panic!("{iso2} missing"));
        let codes: Vec<&str> = country
            .country_codes
            .iter()
            .map(|enums::help::CountryCode::CountryCode(c)| c.country_code.as_str())
            .collect();
        assert_eq!(codes, vec![code], "{iso2}");
    }
    let cached: enums::help::CountriesList = ok_value(&api, None, request(list.hash)).await;
    assert!(matches!(
        cached,
        enums::help::CountriesList::CountriesListNotModified(_)
    ));
}

#[tokio::test]
async fn simple_help_answers() {
    let api = api();
    let enums::CdnConfig::CdnConfig(cdn) =
        ok_value(&api, None, functions::help::GetCdnConfig).await;
    assert!(cdn.public_keys.is_empty());

    let terms: enums::help::TermsOfServiceUpdate =
        ok_value(&api, None, functions::help::GetTermsOfServiceUpdate).await;
    assert!(matches!(
        terms,
        enums::help::TermsOfServiceUpdate::TermsOfServiceUpdateEmpty(t) if i64::from(t.expires) > NOW
    ));

    let saved: bool = ok_value(&api, None, functions::help::SaveAppLog { events: vec![] }).await;
    assert!(saved);

    let enums::help::InviteText::InviteText(invite) =
        ok_value(&api, Some(1), functions::help::GetInviteText).await;
    assert!(invite.message.contains("chappe"));

    let promo: enums::help::PromoData =
        ok_value(&api, Some(1), functions::help::GetPromoData).await;
    assert!(
        matches!(promo, enums::help::PromoData::PromoDataEmpty(p) if i64::from(p.expires) > NOW)
    );

    let dismissed: bool = ok_value(
        &api,
        Some(1),
        functions::help::DismissSuggestion {
            peer: enums::InputPeer::InputPeerEmpty(types::InputPeerEmpty),
            suggestion: "VALIDATE_PHONE_NUMBER".into(),
        },
    )
    .await;
    assert!(dismissed);
}

fn get_self() -> functions::users::GetUsers {
    functions::users::GetUsers {
        id: vec![enums::InputUser::InputUserSelf(types::InputUserSelf)],
    }
}

#[tokio::test]
async fn methods_needing_a_user_fail_401_before_login() {
    let api = api();
    let unregistered = Some(RpcError::new(401, "AUTH_KEY_UNREGISTERED"));
    assert_eq!(call(&api, None, get_self()).await.err(), unregistered);
    assert_eq!(
        call(&api, None, functions::updates::GetState).await.err(),
        unregistered
    );
    assert_eq!(
        call(&api, None, functions::help::GetInviteText).await.err(),
        unregistered
    );
    assert_eq!(
        call(&api, None, functions::help::GetPromoData).await.err(),
        unregistered
    );
}

#[tokio::test]
async fn unimplemented_methods_answer_method_not_implemented() {
    let api = api();
    let not_implemented = Some(RpcError::new(400, "METHOD_NOT_IMPLEMENTED"));
    // Past the login gate, but no handler yet.
    assert_eq!(
        call(&api, Some(1), functions::help::GetSupport).await.err(),
        not_implemented
    );
    assert_eq!(
        call(&api, Some(1), functions::help::GetPremiumPromo)
            .await
            .err(),
        not_implemented
    );
    // Open before login, but no handler yet.
    let languages = functions::langpack::GetLanguages {
        lang_pack: "tdesktop".into(),
    };
    assert_eq!(call(&api, None, languages).await.err(), not_implemented);
}

/// Calls `function` and checks its result encodes for every supported layer
/// and decodes back as the function's return type (the `help` constructors
/// are the same in every layer, so the canonical decoder reads them all).
async fn encodes_for_every_layer<F>(api: &Api, user_id: Option<i64>, function: F)
where
    F: RemoteCall + Into<Request>,
    F::Return: std::fmt::Debug + PartialEq,
{
    let response = call(api, user_id, function)
        .await
        .expect("handler succeeds");
    let canonical: F::Return = decode(&response, CANONICAL_LAYER);
    for &layer in SUPPORTED_LAYERS {
        assert_eq!(
            decode::<F::Return>(&response, layer),
            canonical,
            "layer {layer}"
        );
    }
}

#[tokio::test]
async fn every_help_result_encodes_for_every_layer() {
    let api = api();
    let user = Some(1);
    encodes_for_every_layer(&api, user, functions::help::GetConfig).await;
    encodes_for_every_layer(&api, user, functions::help::GetNearestDc).await;
    encodes_for_every_layer(&api, user, functions::help::GetAppConfig { hash: 0 }).await;
    encodes_for_every_layer(&api, user, functions::help::GetCdnConfig).await;
    let countries = functions::help::GetCountriesList {
        lang_code: "es".into(),
        hash: 0,
    };
    encodes_for_every_layer(&api, user, countries).await;
    encodes_for_every_layer(&api, user, functions::help::GetTermsOfServiceUpdate).await;
    encodes_for_every_layer(&api, user, functions::help::GetInviteText).await;
    encodes_for_every_layer(&api, user, functions::help::GetPromoData).await;
    let update = functions::help::GetAppUpdate {
        source: String::new(),
    };
    encodes_for_every_layer(&api, user, update).await;
    let link = functions::help::GetDeepLinkInfo { path: "x".into() };
    encodes_for_every_layer(&api, user, link).await;
    let urls = functions::help::GetRecentMeUrls {
        referer: String::new(),
    };
    encodes_for_every_layer(&api, user, urls).await;
    encodes_for_every_layer(&api, user, functions::help::SaveAppLog { events: vec![] }).await;
    let hide = functions::help::HidePromoData {
        peer: enums::InputPeer::InputPeerEmpty(types::InputPeerEmpty),
    };
    encodes_for_every_layer(&api, user, hide).await;
}
