//! `help.getConfig` and `help.getNearestDc`: where the DCs are and the
//! limits clients should respect.

use chappe_tl::api::{enums, types};

use crate::{ApiConfig, RequestContext};

// Limits as Telegram's production config gives them; clients size their UI
// and local checks by these.
const CHAT_SIZE_MAX: i32 = 200;
const MEGAGROUP_SIZE_MAX: i32 = 200_000;
const FORWARDED_COUNT_MAX: i32 = 100;
const ONLINE_UPDATE_PERIOD_MS: i32 = 210_000;
const OFFLINE_BLUR_TIMEOUT_MS: i32 = 5_000;
const OFFLINE_IDLE_TIMEOUT_MS: i32 = 30_000;
const ONLINE_CLOUD_TIMEOUT_MS: i32 = 300_000;
const NOTIFY_CLOUD_DELAY_MS: i32 = 30_000;
const NOTIFY_DEFAULT_DELAY_MS: i32 = 1_500;
const PUSH_CHAT_PERIOD_MS: i32 = 60_000;
const PUSH_CHAT_LIMIT: i32 = 2;
const EDIT_TIME_LIMIT: i32 = 172_800;
const REVOKE_TIME_LIMIT: i32 = i32::MAX;
const REVOKE_PM_TIME_LIMIT: i32 = i32::MAX;
const RATING_E_DECAY: i32 = 2_419_200;
const STICKERS_RECENT_LIMIT: i32 = 200;
const CHANNELS_READ_MEDIA_PERIOD: i32 = 604_800;
const CALL_RECEIVE_TIMEOUT_MS: i32 = 20_000;
const CALL_RING_TIMEOUT_MS: i32 = 90_000;
const CALL_CONNECT_TIMEOUT_MS: i32 = 30_000;
const CALL_PACKET_TIMEOUT_MS: i32 = 10_000;
const CAPTION_LENGTH_MAX: i32 = 1_024;
const MESSAGE_LENGTH_MAX: i32 = 4_096;
const DEFAULT_REACTION: &str = "\u{1f44d}";

/// One plain IPv4 entry per served DC id, all at the same address: whatever
/// DC a client picks (or is told to migrate to), it reaches this server.
fn dc_options(config: &ApiConfig) -> Vec<enums::DcOption> {
    config
        .dc_ids
        .iter()
        .map(|&id| {
            enums::DcOption::DcOption(types::DcOption {
                ipv6: false,
                media_only: false,
                tcpo_only: false,
                cdn: false,
                r#static: false,
                this_port_only: false,
                id,
                ip_address: config.public_host.to_string(),
                port: i32::from(config.tcp_port),
                secret: None,
            })
        })
        .collect()
}

/// The `config` answered to `help.getConfig`.
pub(crate) fn get_config(config: &ApiConfig, ctx: &RequestContext) -> enums::Config {
    enums::Config::Config(types::Config {
        default_p2p_contacts: false,
        preload_featured_stickers: false,
        revoke_pm_inbox: true,
        blocked_mode: false,
        force_try_ipv6: false,
        date: ctx.tl_date(0),
        expires: ctx.tl_date(i64::from(config.config_ttl_secs)),
        test_mode: config.test_mode,
        this_dc: config.this_dc,
        dc_options: dc_options(config),
        dc_txt_domain_name: config.dc_txt_domain_name.clone(),
        chat_size_max: CHAT_SIZE_MAX,
        megagroup_size_max: MEGAGROUP_SIZE_MAX,
        forwarded_count_max: FORWARDED_COUNT_MAX,
        online_update_period_ms: ONLINE_UPDATE_PERIOD_MS,
        offline_blur_timeout_ms: OFFLINE_BLUR_TIMEOUT_MS,
        offline_idle_timeout_ms: OFFLINE_IDLE_TIMEOUT_MS,
        online_cloud_timeout_ms: ONLINE_CLOUD_TIMEOUT_MS,
        notify_cloud_delay_ms: NOTIFY_CLOUD_DELAY_MS,
        notify_default_delay_ms: NOTIFY_DEFAULT_DELAY_MS,
        push_chat_period_ms: PUSH_CHAT_PERIOD_MS,
        push_chat_limit: PUSH_CHAT_LIMIT,
        edit_time_limit: EDIT_TIME_LIMIT,
        revoke_time_limit: REVOKE_TIME_LIMIT,
        revoke_pm_time_limit: REVOKE_PM_TIME_LIMIT,
        rating_e_decay: RATING_E_DECAY,
        stickers_recent_limit: STICKERS_RECENT_LIMIT,
        channels_read_media_period: CHANNELS_READ_MEDIA_PERIOD,
        tmp_sessions: None,
        call_receive_timeout_ms: CALL_RECEIVE_TIMEOUT_MS,
        call_ring_timeout_ms: CALL_RING_TIMEOUT_MS,
        call_connect_timeout_ms: CALL_CONNECT_TIMEOUT_MS,
        call_packet_timeout_ms: CALL_PACKET_TIMEOUT_MS,
        me_url_prefix: config.me_url_prefix.clone(),
        autoupdate_url_prefix: None,
        // Telegram names helper bots here (@gif, @bing ...); chappe has none.
        gif_search_username: None,
        venue_search_username: None,
        img_search_username: None,
        static_maps_provider: None,
        caption_length_max: CAPTION_LENGTH_MAX,
        message_length_max: MESSAGE_LENGTH_MAX,
        webfile_dc_id: config.this_dc,
        // These three share one flag bit: all set or all absent.
        suggested_lang_code: None,
        lang_pack_version: None,
        base_lang_pack_version: None,
        reactions_default: Some(enums::Reaction::ReactionEmoji(types::ReactionEmoji {
            emoticon: DEFAULT_REACTION.to_owned(),
        })),
        autologin_token: None,
    })
}

/// The `nearestDc` answered to `help.getNearestDc`: with every DC at one
/// address, the nearest is the one the client is on.
pub(crate) fn get_nearest_dc(config: &ApiConfig) -> enums::NearestDc {
    enums::NearestDc::NearestDc(types::NearestDc {
        country: config.country.clone(),
        this_dc: config.this_dc,
        nearest_dc: config.this_dc,
    })
}
