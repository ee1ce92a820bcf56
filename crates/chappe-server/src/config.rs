//! Server configuration: where to listen, where the data lives, how clients are told to reach us.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything `chappe serve` needs to run. Every field has a sensible default.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Directory holding the embedded store and the server's RSA key; created on first start.
    pub data_dir: PathBuf,
    /// TCP listener for MTProto (every TCP transport is detected per connection).
    pub listen: SocketAddr,
    /// Listener for MTProto over WebSocket (path `/apiws`, subprotocol `binary`).
    pub ws_listen: Option<SocketAddr>,
    /// IPv4 address clients are told to use in `help.getConfig`; defaults to the listen address,
    /// or 127.0.0.1 when listening on an unspecified address.
    pub public_host: Option<String>,
    /// The DC id this server calls itself (`config.this_dc`); it answers for ids 1..=5.
    pub this_dc: i32,
    /// A program run as `PROGRAM <phone> <code>` to deliver login codes (an SMS gateway).
    pub code_hook: Option<PathBuf>,
    /// Development mode: login codes are also written to the log.
    pub dev: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("chappe-data"),
            listen: SocketAddr::from(([0, 0, 0, 0], 8443)),
            ws_listen: Some(SocketAddr::from(([0, 0, 0, 0], 8080))),
            public_host: None,
            this_dc: 2,
            code_hook: None,
            dev: false,
        }
    }
}

impl ServerConfig {
    /// The IPv4 address announced to clients.
    pub fn announced_host(&self) -> String {
        if let Some(host) = &self.public_host {
            return host.clone();
        }
        if self.listen.ip().is_unspecified() {
            "127.0.0.1".to_owned()
        } else {
            self.listen.ip().to_string()
        }
    }
}
