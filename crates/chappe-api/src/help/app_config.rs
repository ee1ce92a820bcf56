//! `help.getAppConfig`: the free-form JSON of client feature switches and
//! limits that have no field in `config`.

use chappe_tl::api::{enums, types};

use super::cache_hash;

fn json_str(value: &str) -> enums::JsonValue {
    enums::JsonValue::JsonString(types::JsonString {
        value: value.to_owned(),
    })
}

fn json_num(value: f64) -> enums::JsonValue {
    enums::JsonValue::JsonNumber(types::JsonNumber { value })
}

fn json_bool(value: bool) -> enums::JsonValue {
    enums::JsonValue::JsonBool(types::JsonBool { value })
}

fn json_array(items: Vec<enums::JsonValue>) -> enums::JsonValue {
    enums::JsonValue::JsonArray(types::JsonArray { value: items })
}

fn json_object(entries: Vec<(&str, enums::JsonValue)>) -> enums::JsonValue {
    enums::JsonValue::JsonObject(types::JsonObject {
        value: entries
            .into_iter()
            .map(|(key, value)| {
                enums::JsonObjectValue::JsonObjectValue(types::JsonObjectValue {
                    key: key.to_owned(),
                    value,
                })
            })
            .collect(),
    })
}

/// The app config with its cache hash, built once at startup.
///
/// Keys are Telegram's own names, so clients read them as they read
/// Telegram's; values say what chappe offers (no Premium, no QR login yet).
pub(crate) fn app_config(server_name: &str) -> types::help::AppConfig {
    let dice = [
        "\u{1f3b2}",
        "\u{1f3af}",
        "\u{1f3c0}",
        "\u{26bd}",
        "\u{1f3b0}",
        "\u{1f3b3}",
    ];
    let config = json_object(vec![
        ("premium_purchase_blocked", json_bool(true)),
        ("qr_login_camera", json_bool(false)),
        ("qr_login_code", json_str("disabled")),
        ("dialog_filters_enabled", json_bool(true)),
        ("dialog_filters_limit_default", json_num(10.0)),
        ("channels_limit_default", json_num(500.0)),
        ("caption_length_limit_default", json_num(1024.0)),
        ("upload_max_fileparts_default", json_num(4000.0)),
        ("about_length_limit_default", json_num(70.0)),
        ("reactions_uniq_max", json_num(11.0)),
        ("chat_read_mark_expire_period", json_num(604_800.0)),
        ("chat_read_mark_size_threshold", json_num(100.0)),
        ("pending_suggestions", json_array(vec![])),
        ("autologin_domains", json_array(vec![])),
        ("url_auth_domains", json_array(vec![])),
        (
            "emojies_send_dice",
            json_array(dice.iter().map(|d| json_str(d)).collect()),
        ),
        ("chappe_server_name", json_str(server_name)),
    ]);
    let hash = cache_hash(&config);
    types::help::AppConfig { hash, config }
}

/// The answer to a client that has the config cached under `client_hash`.
pub(crate) fn get_app_config(
    config: &types::help::AppConfig,
    client_hash: i32,
) -> enums::help::AppConfig {
    if client_hash == config.hash {
        enums::help::AppConfig::AppConfigNotModified(types::help::AppConfigNotModified)
    } else {
        enums::help::AppConfig::AppConfig(config.clone())
    }
}
