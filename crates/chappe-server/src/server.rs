//! Start-up and the accept loops: opens the store, loads the RSA key, binds the listeners
//! and spawns one task per connection.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use chappe_api::{Api, ApiConfig, ServiceMessageDelivery, UpdateFanout};
use chappe_core::Messaging;
use chappe_mtproto::handshake::HandshakeConfig;
use chappe_session::ServerSalts;
use tokio::net::TcpListener;

use crate::fanout::LocalFanout;
use crate::registry::SessionRegistry;
use crate::state::ServerState;
use crate::{connection, keys, open, websocket, ServerConfig};

/// Name of the server secret the session salts are derived from.
const SALT_SECRET: &str = "server_salt";

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Key(#[from] keys::KeyError),
    #[error("opening the store: {0}")]
    Store(#[from] chappe_store::StoreError),
    #[error(transparent)]
    Open(#[from] open::OpenError),
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A started server: listeners bound, ready to [`Server::run`].
pub struct Server {
    state: Arc<ServerState>,
    tcp: TcpListener,
    ws: Option<TcpListener>,
    fingerprint: i64,
}

impl Server {
    pub async fn start(config: ServerConfig) -> Result<Self, StartError> {
        let rsa = keys::load_or_create(&config.data_dir)?;
        let fingerprint = rsa.fingerprint();
        let store = open::open_store(&config.data_dir)?;
        let salts = ServerSalts::new(store.get_or_init_secret(SALT_SECRET).await?);
        let tcp = bind(config.listen).await?;
        let ws = match config.ws_listen {
            Some(addr) => Some(bind(addr).await?),
            None => None,
        };
        let api_config = api_config(&config, &tcp, ws.as_ref())?;
        let sessions = Arc::new(SessionRegistry::default());
        let fanout: Arc<dyn UpdateFanout> = Arc::new(LocalFanout::new(sessions.clone()));
        let messaging = Arc::new(Messaging::new(store.clone()));
        let in_app = Arc::new(ServiceMessageDelivery::new(
            messaging.clone(),
            fanout.clone(),
            || crate::clock::unix_secs(crate::clock::now()),
        ));
        let delivery = crate::delivery::from_config(&config, Some(in_app));
        let accounts = Arc::new(open::accounts_with(store.clone(), delivery).await?);
        let api = Api::new(api_config, store.clone(), accounts, messaging, fanout)
            .map_err(|e| StartError::Config(e.to_string()))?;
        let handshake = HandshakeConfig::new(rsa, config.this_dc);
        let state = Arc::new(ServerState::new(
            config, store, handshake, salts, api, sessions,
        ));
        Ok(Self {
            state,
            tcp,
            ws,
            fingerprint,
        })
    }

    /// The TCP address actually bound (useful with port 0).
    pub fn tcp_addr(&self) -> Option<SocketAddr> {
        self.tcp.local_addr().ok()
    }

    /// The WebSocket address actually bound.
    pub fn ws_addr(&self) -> Option<SocketAddr> {
        self.ws.as_ref().and_then(|l| l.local_addr().ok())
    }

    /// The few lines a user needs to point Telethon, Pyrogram/kurigram and GramJS here.
    pub fn connection_help(&self) -> String {
        let host = self.state.config.announced_host();
        let port = self.tcp_addr().map_or(0, |a| a.port());
        let dc = self.state.config.this_dc;
        let data = self.state.config.data_dir.display();
        let fp = self.fingerprint;
        let mut lines = vec![
            format!("chappe is listening: MTProto over TCP on {host}:{port} (abridged, intermediate, padded, full, obfuscated)"),
        ];
        if let Some(ws) = self.ws_addr() {
            lines.push(format!(
                "  MTProto over WebSocket: ws://{host}:{}/apiws (subprotocol binary)",
                ws.port()
            ));
        }
        lines.extend([
            format!("  RSA key fingerprint {fp}; the PEM: chappe key --data {data}"),
            format!("  Telethon:  client.session.set_dc({dc}, '{host}', {port}); telethon.crypto.rsa.add_key(pem, old=False)"),
            format!("  Pyrogram/kurigram: pyrogram.crypto.rsa.server_public_keys[{fp}] = PublicKey(n, 65537); connect to {host}:{port}"),
            format!("  GramJS:    client.session.setDC({dc}, '{host}', {port}); RSA._serverKeys.set('{fp}', {{n, e: 65537}})"),
        ]);
        lines.join("\n")
    }

    /// Accepts connections until the process stops.
    pub async fn run(self) -> std::io::Result<()> {
        tokio::spawn(evict_idle_sessions(self.state.clone()));
        let tcp_loop = accept_tcp(self.tcp, self.state.clone());
        match self.ws {
            Some(ws) => {
                tokio::select! {
                    r = tcp_loop => r,
                    r = accept_ws(ws, self.state.clone()) => r,
                }
            }
            None => tcp_loop.await,
        }
    }
}

/// How long a session no connection carries stays in memory.
const SESSION_IDLE_SECS: i64 = 15 * 60;

/// Keeps memory bounded by the sessions in use, not by every session ever seen, and the
/// store free of login codes nobody can use any more.
async fn evict_idle_sessions(state: Arc<ServerState>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        let cutoff = crate::clock::unix_secs(crate::clock::now()) - SESSION_IDLE_SECS;
        let evicted = state.sessions.evict_idle(cutoff);
        if evicted > 0 {
            tracing::debug!(evicted, "idle sessions evicted");
        }
        let now = crate::clock::unix_secs(crate::clock::now());
        if let Err(e) = state.api.accounts().purge_expired_codes(now).await {
            tracing::warn!(error = %e, "could not purge expired login codes");
        }
    }
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind { addr, source })
}

fn api_config(
    config: &ServerConfig,
    tcp: &TcpListener,
    ws: Option<&TcpListener>,
) -> Result<ApiConfig, StartError> {
    let host: Ipv4Addr = match config.announced_host().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4,
        _ => {
            return Err(StartError::Config(format!(
                "the public host {} must be an IPv4 address",
                config.announced_host()
            )))
        }
    };
    let port_of = |l: &TcpListener| l.local_addr().map(|a| a.port()).unwrap_or(0);
    Ok(ApiConfig {
        public_host: host,
        tcp_port: port_of(tcp),
        websocket_port: ws.map(port_of),
        this_dc: config.this_dc,
        ..ApiConfig::default()
    })
}

async fn accept_tcp(listener: TcpListener, state: Arc<ServerState>) -> std::io::Result<()> {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Running out of descriptors is transient; keep serving the others.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection::serve(stream, peer, state.clone()));
    }
}

async fn accept_ws(listener: TcpListener, state: Arc<ServerState>) -> std::io::Result<()> {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = state.clone();
        tokio::spawn(async move {
            match websocket::accept(stream).await {
                Ok(bytes) => connection::serve(bytes, peer, state).await,
                Err(e) => tracing::debug!(%peer, error = %e, "WebSocket upgrade refused"),
            }
        });
    }
}
