//! Creating an auth key over a [`RawConnection`]: the sans-IO [`ClientHandshake`] does the
//! protocol; this feeds it the server's plain messages and sends its answers.

use chappe_crypto::AuthKey;
use chappe_mtproto::msg_id::MsgIdGenerator;
use chappe_mtproto::plain::{decode_plain, encode_plain};
use chappe_mtproto::{ClientHandshake, ClientOutput, KeyKind};

use crate::clock;
use crate::raw::{RawConnection, Received};
use crate::{ClientConfig, ClientError};

/// A key the server has confirmed (dh_gen_ok) and stored.
#[derive(Debug, Clone)]
pub struct NewAuthKey {
    /// The key.
    pub auth_key: AuthKey,
    /// Permanent, or temporary with its expiry by our clock.
    pub kind: KeyKind,
    /// The first server salt, derived from the handshake nonces.
    pub salt: i64,
    /// Server time minus our time, in seconds, as the handshake measured it.
    pub time_offset_secs: i64,
}

impl RawConnection {
    /// Runs one full auth-key creation (req_pq_multi … dh_gen_ok) with the padding and
    /// inner-data kind `config` names. Can be repeated on the same connection.
    pub async fn create_auth_key(
        &mut self,
        config: &ClientConfig,
    ) -> Result<NewAuthKey, ClientError> {
        tokio::time::timeout(config.handshake_timeout, self.run_handshake(config))
            .await
            .map_err(|_| ClientError::Timeout("creating the auth key"))?
    }

    async fn run_handshake(&mut self, config: &ClientConfig) -> Result<NewAuthKey, ClientError> {
        let mut handshake = ClientHandshake::new(config.handshake_config());
        let mut msg_ids = MsgIdGenerator::new();
        let mut body = handshake.start(&mut self.rng)?;
        loop {
            let now = clock::now().as_nanos();
            self.send(&encode_plain(msg_ids.next_client(now), &body))
                .await?;
            let packet = match self.recv().await? {
                Received::Frame(packet) => packet,
                Received::TransportError(code) => return Err(ClientError::TransportError(code)),
            };
            let message = decode_plain(&packet)?;
            match handshake.handle(message.body, clock::now().as_nanos(), &mut self.rng)? {
                ClientOutput::Send(next) => body = next,
                ClientOutput::Done {
                    key,
                    server_time_offset,
                } => {
                    return Ok(NewAuthKey {
                        auth_key: key.auth_key,
                        kind: key.kind,
                        salt: key.first_salt,
                        time_offset_secs: server_time_offset,
                    })
                }
            }
        }
    }
}
