//! What every connection task shares: configuration, keys, the store, the API and the
//! registries. Passed around as `Arc<ServerState>`; there is no global state.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chappe_api::Api;
use chappe_mtproto::handshake::HandshakeConfig;
use chappe_session::ServerSalts;
use chappe_store::Store;
use chappe_transport::TransportConfig;

use crate::auth_keys::AuthKeyCache;
use crate::registry::SessionRegistry;
use crate::ServerConfig;

pub struct ServerState {
    pub config: ServerConfig,
    pub store: Arc<dyn Store>,
    pub handshake: Arc<HandshakeConfig>,
    pub salts: ServerSalts,
    pub session_config: chappe_session::ServerConfig,
    pub transport_config: TransportConfig,
    pub api: Api,
    pub auth_keys: AuthKeyCache,
    pub sessions: Arc<SessionRegistry>,
    next_connection_id: AtomicU64,
}

impl ServerState {
    pub fn new(
        config: ServerConfig,
        store: Arc<dyn Store>,
        handshake: HandshakeConfig,
        salts: ServerSalts,
        api: Api,
        sessions: Arc<SessionRegistry>,
    ) -> Self {
        Self {
            config,
            auth_keys: AuthKeyCache::new(store.clone()),
            store,
            handshake: Arc::new(handshake),
            salts,
            session_config: chappe_session::ServerConfig::default(),
            transport_config: TransportConfig::default(),
            api,
            sessions,
            next_connection_id: AtomicU64::new(1),
        }
    }

    pub fn next_connection_id(&self) -> u64 {
        self.next_connection_id.fetch_add(1, Ordering::Relaxed)
    }
}
