//! [`ApiConfig`]: the settings handlers show to clients (addresses, DC ids,
//! names), part of the server's one config struct.

use std::net::Ipv4Addr;

/// What the API tells clients about this server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiConfig {
    /// The IPv4 address clients connect to; every DC in `help.getConfig`'s
    /// `dc_options` points here.
    pub public_host: Ipv4Addr,
    /// The TCP port for MTProto (all transports). Keep it at or below 32767:
    /// GramJS stores ports as signed 16-bit numbers.
    pub tcp_port: u16,
    /// The WebSocket port (`/apiws`), if the server listens on one. Not
    /// listed in `dc_options`: the TL `dcOption` has no way to say
    /// "WebSocket", and browser clients pick the WebSocket address
    /// themselves.
    pub websocket_port: Option<u16>,
    /// The DC id this server answers as (`this_dc`). Telethon starts on DC 2
    /// and GramJS on DC 4, so every id in `dc_ids` is served at one address.
    pub this_dc: i32,
    /// Every DC id listed in `dc_options`, all at `public_host:tcp_port`.
    pub dc_ids: Vec<i32>,
    /// The server's display name (used in texts such as the invite text).
    pub server_name: String,
    /// The ISO 3166-1 alpha-2 country `help.getNearestDc` reports.
    pub country: String,
    /// How long clients may cache `help.getConfig` (its `expires - date`).
    pub config_ttl_secs: i32,
    /// `me_url_prefix` of the config: the base of public links to users and
    /// chats (`https://t.me/` on Telegram).
    pub me_url_prefix: String,
    /// `dc_txt_domain_name` of the config: a DNS name whose TXT records
    /// clients may query for fallback addresses. Empty: none.
    pub dc_txt_domain_name: String,
    /// Whether to tell clients this is a test server (`test_mode`).
    pub test_mode: bool,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            public_host: Ipv4Addr::LOCALHOST,
            tcp_port: 4430,
            websocket_port: None,
            this_dc: 2,
            dc_ids: (1..=5).collect(),
            server_name: "chappe".to_owned(),
            country: "US".to_owned(),
            config_ttl_secs: 3600,
            me_url_prefix: "https://t.me/".to_owned(),
            dc_txt_domain_name: String::new(),
            test_mode: false,
        }
    }
}

/// A setting that would make clients misbehave.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `dc_ids` is empty or holds an id that is not positive.
    #[error("dc_ids must be a non-empty list of positive DC ids")]
    BadDcIds,
    /// `this_dc` is not one of `dc_ids`.
    #[error("this_dc {0} is not in dc_ids")]
    ThisDcNotServed(i32),
    /// A port is 0 or above 32767 (GramJS breaks on those).
    #[error("port {0} must be in 1..=32767")]
    BadPort(u16),
    /// `country` is not two ASCII letters.
    #[error("country {0:?} must be an ISO 3166-1 alpha-2 code")]
    BadCountry(String),
    /// `config_ttl_secs` is not positive.
    #[error("config_ttl_secs must be positive")]
    BadTtl,
}

impl ApiConfig {
    /// Checks the settings; call once at startup.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.dc_ids.is_empty() || self.dc_ids.iter().any(|&id| id <= 0) {
            return Err(ConfigError::BadDcIds);
        }
        if !self.dc_ids.contains(&self.this_dc) {
            return Err(ConfigError::ThisDcNotServed(self.this_dc));
        }
        for port in std::iter::once(self.tcp_port).chain(self.websocket_port) {
            if port == 0 || port > 32767 {
                return Err(ConfigError::BadPort(port));
            }
        }
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ConfigError::BadCountry(self.country.clone()));
        }
        if self.config_ttl_secs <= 0 {
            return Err(ConfigError::BadTtl);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        assert_eq!(ApiConfig::default().validate(), Ok(()));
    }

    #[test]
    fn bad_settings_are_named() {
        let base = ApiConfig::default();
        let cases = [
            (
                ApiConfig {
                    dc_ids: vec![],
                    ..base.clone()
                },
                ConfigError::BadDcIds,
            ),
            (
                ApiConfig {
                    dc_ids: vec![0, 2],
                    ..base.clone()
                },
                ConfigError::BadDcIds,
            ),
            (
                ApiConfig {
                    this_dc: 7,
                    ..base.clone()
                },
                ConfigError::ThisDcNotServed(7),
            ),
            (
                ApiConfig {
                    tcp_port: 0,
                    ..base.clone()
                },
                ConfigError::BadPort(0),
            ),
            (
                ApiConfig {
                    websocket_port: Some(40000),
                    ..base.clone()
                },
                ConfigError::BadPort(40000),
            ),
            (
                ApiConfig {
                    country: "USA".into(),
                    ..base.clone()
                },
                ConfigError::BadCountry("USA".into()),
            ),
            (
                ApiConfig {
                    config_ttl_secs: 0,
                    ..base.clone()
                },
                ConfigError::BadTtl,
            ),
        ];
        for (config, expected) in cases {
            assert_eq!(config.validate(), Err(expected));
        }
    }
}
