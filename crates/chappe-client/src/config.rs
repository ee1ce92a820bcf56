//! What a client needs to know before it connects: where the server is, which RSA key to
//! trust, how to frame the connection, whether to resume an existing auth key, and the
//! `initConnection` details the first call of a session carries.

use std::net::SocketAddr;
use std::time::Duration;

use chappe_crypto::{AuthKey, RsaPadding, RsaPublicKey};
use chappe_mtproto::InnerDataKind;
use chappe_session::InitConnection;
use chappe_transport::TransportKind;

use crate::ClientError;

/// Settings for [`crate::Client::connect`] and [`crate::RawConnection::connect`].
///
/// Built with [`ClientConfig::new`] and the chained setters; every setter has a default
/// that suits a test client on loopback.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The server's MTProto TCP address.
    pub server: SocketAddr,
    /// The server's RSA public key, trusted for auth-key creation.
    pub rsa_key: RsaPublicKey,
    /// Transport framing.
    pub transport: TransportKind,
    /// Wrap the stream in obfuscated2 (not possible with the full transport).
    pub obfuscated: bool,
    /// An existing key to use instead of creating one.
    pub resume: Option<ResumeKey>,
    /// req_DH_params padding used when a key is created.
    pub rsa_padding: RsaPadding,
    /// Which p_q_inner_data variant a key creation sends (permanent or temporary).
    pub inner_data: InnerDataKind,
    /// What the first call of the session is wrapped in (`invokeWithLayer` +
    /// `initConnection`); `None` sends calls bare.
    pub init: Option<InitConnection>,
    /// Longest wait for the TCP connection to open.
    pub connect_timeout: Duration,
    /// Longest wait for an auth-key creation to finish.
    pub handshake_timeout: Duration,
    /// Most calls sent and not yet answered; further calls wait on our side. The server
    /// refuses calls beyond its own limit (256 per session) with `420 FLOOD_WAIT_1`.
    pub max_in_flight: usize,
    /// Capacity of the updates channel; updates arriving while it is full are dropped
    /// (a real client would then fetch the difference).
    pub updates_capacity: usize,
}

/// A key kept from an earlier connection.
#[derive(Debug, Clone)]
pub struct ResumeKey {
    /// The key itself.
    pub auth_key: AuthKey,
    /// The last known server salt; 0 lets the server tell us the right one.
    pub salt: i64,
}

impl ClientConfig {
    /// A config for the server at `server` whose RSA key is `rsa_key`: abridged, not
    /// obfuscated, a new permanent key made with RSA_PAD, layer
    /// [`chappe_tl::CANONICAL_LAYER`].
    pub fn new(server: SocketAddr, rsa_key: RsaPublicKey) -> Self {
        Self {
            server,
            rsa_key,
            transport: TransportKind::Abridged,
            obfuscated: false,
            resume: None,
            rsa_padding: RsaPadding::RsaPad,
            inner_data: InnerDataKind::Plain,
            init: Some(default_init()),
            connect_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(30),
            max_in_flight: 128,
            updates_capacity: 1024,
        }
    }

    /// The same with the RSA key given as PKCS#1 PEM (as `chappe key` prints it).
    pub fn from_pem(server: SocketAddr, pem: &str) -> Result<Self, ClientError> {
        Ok(Self::new(server, RsaPublicKey::from_pkcs1_pem(pem)?))
    }

    /// Speaks `kind` framing.
    pub fn transport(mut self, kind: TransportKind) -> Self {
        self.transport = kind;
        self
    }

    /// Wraps the stream in obfuscated2 or not.
    pub fn obfuscated(mut self, obfuscated: bool) -> Self {
        self.obfuscated = obfuscated;
        self
    }

    /// Uses `auth_key` (with `salt`, or 0 if unknown) instead of creating a key.
    pub fn resume(mut self, auth_key: AuthKey, salt: i64) -> Self {
        self.resume = Some(ResumeKey { auth_key, salt });
        self
    }

    /// Pads req_DH_params the old way (SHA1 + random) or with RSA_PAD.
    pub fn rsa_padding(mut self, padding: RsaPadding) -> Self {
        self.rsa_padding = padding;
        self
    }

    /// Sends this p_q_inner_data variant when creating a key.
    pub fn inner_data(mut self, kind: InnerDataKind) -> Self {
        self.inner_data = kind;
        self
    }

    /// Replaces the `initConnection` details (or sends calls bare with `None`).
    pub fn init_connection(mut self, init: Option<InitConnection>) -> Self {
        self.init = init;
        self
    }

    /// Sets the api_id announced in `initConnection`.
    pub fn api_id(mut self, api_id: i32) -> Self {
        self.init.get_or_insert_with(default_init).api_id = api_id;
        self
    }

    /// Sets the layer announced in `invokeWithLayer`.
    pub fn layer(mut self, layer: i32) -> Self {
        self.init.get_or_insert_with(default_init).layer = layer;
        self
    }

    /// Sets how long connecting and creating a key may take.
    pub fn timeouts(mut self, connect: Duration, handshake: Duration) -> Self {
        self.connect_timeout = connect;
        self.handshake_timeout = handshake;
        self
    }

    /// Lets at most `max` calls be on the wire at once.
    pub fn max_in_flight(mut self, max: usize) -> Self {
        self.max_in_flight = max;
        self
    }

    /// The transport settings this config asks for.
    pub(crate) fn transport_config(&self) -> chappe_transport::ClientConfig {
        let config = chappe_transport::ClientConfig::new(self.transport);
        if self.obfuscated {
            config.obfuscated(chappe_transport::ObfuscationConfig::default())
        } else {
            config
        }
    }

    /// The handshake settings this config asks for.
    pub(crate) fn handshake_config(&self) -> chappe_mtproto::ClientHandshakeConfig {
        let mut config = chappe_mtproto::ClientHandshakeConfig::new(self.rsa_key.clone());
        config.padding = self.rsa_padding;
        config.inner = self.inner_data;
        config
    }
}

/// What chappe-client announces about itself unless told otherwise.
pub fn default_init() -> InitConnection {
    InitConnection {
        layer: chappe_tl::CANONICAL_LAYER,
        api_id: 1,
        device_model: "chappe-client".to_owned(),
        system_version: std::env::consts::OS.to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        system_lang_code: "en".to_owned(),
        lang_pack: String::new(),
        lang_code: "en".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chappe_crypto::ServerRsaKey;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn config() -> ClientConfig {
        let key = ServerRsaKey::generate(&mut StdRng::seed_from_u64(5)).expect("RSA key");
        let pem = key.public_pem().expect("PEM");
        ClientConfig::from_pem(SocketAddr::from(([127, 0, 0, 1], 1)), &pem).expect("parses")
    }

    #[test]
    fn setters_reach_the_transport_handshake_and_session_settings() {
        let config = config()
            .transport(TransportKind::PaddedIntermediate)
            .obfuscated(true)
            .rsa_padding(RsaPadding::Old)
            .inner_data(InnerDataKind::Temp { expires_in: 60 })
            .api_id(42)
            .layer(158);
        let transport = config.transport_config();
        assert_eq!(transport.kind, TransportKind::PaddedIntermediate);
        assert!(transport.obfuscation.is_some());
        let handshake = config.handshake_config();
        assert_eq!(handshake.padding, RsaPadding::Old);
        assert_eq!(handshake.inner, InnerDataKind::Temp { expires_in: 60 });
        assert_eq!(
            handshake.rsa_keys[0].fingerprint(),
            config.rsa_key.fingerprint()
        );
        let init = config.init.expect("initConnection by default");
        assert_eq!((init.api_id, init.layer), (42, 158));
    }

    #[test]
    fn defaults_announce_the_canonical_layer() {
        let config = config();
        assert_eq!(config.transport, TransportKind::Abridged);
        assert!(config.transport_config().obfuscation.is_none());
        assert!(config.resume.is_none());
        let init = config.init.expect("initConnection by default");
        assert_eq!(init.layer, chappe_tl::CANONICAL_LAYER);
        assert!(ClientConfig::from_pem(config.server, "not a key").is_err());
    }
}
