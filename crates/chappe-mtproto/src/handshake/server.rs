//! The server side of the handshake.

use std::sync::Arc;

use chappe_crypto::handshake_kdf::{new_nonce_hash, server_salt, tmp_aes_key_iv};
use chappe_crypto::hash::ct_eq;
use chappe_crypto::pq::u64_from_be_bytes;
use chappe_crypto::{generate_pq, AuthKey, DhSecret, PqPair, ServerRsaKey, DH_G, DH_PRIME};
use chappe_tl::mtproto::{enums, functions, types, Request};
use chappe_tl::Serializable;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::{constructor_of, decode_exact, decode_prefix, sealed, unix_secs, CreatedKey, KeyKind};
use crate::HandshakeError;

/// What every connection's handshake shares: keys and policy.
#[derive(Debug)]
pub struct HandshakeConfig {
    /// The server's RSA keys; all fingerprints are offered in resPQ.
    pub rsa_keys: Vec<ServerRsaKey>,
    /// This server's DC id, reported for keys made with the plain inner data variants.
    pub dc_id: i32,
    /// Longest lifetime granted to a temporary key, in seconds.
    pub max_temp_key_lifetime_secs: i32,
    /// dh_gen_retry rounds allowed before dh_gen_fail.
    pub max_retries: u32,
}

impl HandshakeConfig {
    /// One RSA key, the given DC, temp keys up to a week, 3 retries.
    pub fn new(rsa_key: ServerRsaKey, dc_id: i32) -> Self {
        Self {
            rsa_keys: vec![rsa_key],
            dc_id,
            max_temp_key_lifetime_secs: 7 * 24 * 3600,
            max_retries: 3,
        }
    }
}

/// What a handshake step produced.
#[derive(Debug)]
pub enum HandshakeOutput {
    /// Send this plain body to the client.
    Reply(Vec<u8>),
    /// The key is computed but not confirmed. Store it, then call
    /// [`ServerHandshake::key_stored`] (which gives dh_gen_ok to send), or, if its
    /// auth_key_id is already in use, [`ServerHandshake::key_id_taken`] (dh_gen_retry or
    /// dh_gen_fail).
    KeyCreated(CreatedKey),
}

/// One connection's server-side handshake.
#[derive(Debug)]
pub struct ServerHandshake {
    config: Arc<HandshakeConfig>,
    state: State,
}

#[derive(Debug)]
enum State {
    AwaitingReqPq,
    AwaitingReqDh(Box<PqSent>),
    AwaitingClientDh(Box<DhSent>),
    AwaitingKeyCheck(Box<DhSent>, AuthKey),
    Done,
    Failed,
}

#[derive(Debug)]
struct PqSent {
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    pq: PqPair,
}

#[derive(Debug)]
struct DhSent {
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: Zeroizing<[u8; 32]>,
    tmp_key: Zeroizing<[u8; 32]>,
    tmp_iv: Zeroizing<[u8; 32]>,
    secret: DhSecret,
    expires_in: Option<i32>,
    dc: i32,
    retry_id: i64,
    retries: u32,
}

/// The fields all four `p_q_inner_data` variants share, plus the optional ones.
struct InnerData {
    pq: Vec<u8>,
    p: Vec<u8>,
    q: Vec<u8>,
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: Zeroizing<[u8; 32]>,
    dc: Option<i32>,
    expires_in: Option<i32>,
}

impl From<enums::PQInnerData> for InnerData {
    fn from(value: enums::PQInnerData) -> Self {
        use enums::PQInnerData as V;
        let (pq, p, q, nonce, server_nonce, new_nonce, dc, expires_in) = match value {
            V::PQInnerData(x) => (
                x.pq,
                x.p,
                x.q,
                x.nonce,
                x.server_nonce,
                x.new_nonce,
                None,
                None,
            ),
            V::PQInnerDataDc(x) => (
                x.pq,
                x.p,
                x.q,
                x.nonce,
                x.server_nonce,
                x.new_nonce,
                Some(x.dc),
                None,
            ),
            V::PQInnerDataTemp(x) => (
                x.pq,
                x.p,
                x.q,
                x.nonce,
                x.server_nonce,
                x.new_nonce,
                None,
                Some(x.expires_in),
            ),
            V::PQInnerDataTempDc(x) => (
                x.pq,
                x.p,
                x.q,
                x.nonce,
                x.server_nonce,
                x.new_nonce,
                Some(x.dc),
                Some(x.expires_in),
            ),
        };
        Self {
            pq,
            p,
            q,
            nonce,
            server_nonce,
            new_nonce: Zeroizing::new(new_nonce),
            dc,
            expires_in,
        }
    }
}

impl ServerHandshake {
    /// A handshake waiting for req_pq_multi.
    pub fn new(config: Arc<HandshakeConfig>) -> Self {
        Self {
            config,
            state: State::AwaitingReqPq,
        }
    }

    /// Whether the handshake is finished (key confirmed) or failed.
    pub fn is_over(&self) -> bool {
        matches!(self.state, State::Done | State::Failed)
    }

    /// Handles one plain message body from the client. Any error leaves the handshake
    /// failed; the caller closes the connection.
    pub fn handle<R: CryptoRng + ?Sized>(
        &mut self,
        body: &[u8],
        now_unix_ns: u64,
        rng: &mut R,
    ) -> Result<HandshakeOutput, HandshakeError> {
        let state = std::mem::replace(&mut self.state, State::Failed);
        let (next, output) = self.step(state, body, now_unix_ns, rng)?;
        self.state = next;
        Ok(output)
    }

    fn step<R: CryptoRng + ?Sized>(
        &self,
        state: State,
        body: &[u8],
        now_unix_ns: u64,
        rng: &mut R,
    ) -> Result<(State, HandshakeOutput), HandshakeError> {
        let unexpected = |expected| HandshakeError::UnexpectedMessage {
            constructor: constructor_of(body),
            expected,
        };
        if matches!(state, State::Failed | State::AwaitingKeyCheck(..)) {
            return Err(HandshakeError::Finished);
        }
        let request: Request = decode_exact(body)?;
        match (state, request) {
            // A new req_pq starts over (a client may retry on the same connection, or make
            // another key after finishing one).
            (_, Request::ReqPqMulti(functions::ReqPqMulti { nonce }))
            | (_, Request::ReqPq(functions::ReqPq { nonce })) => Ok(self.answer_req_pq(nonce, rng)),
            (State::AwaitingReqDh(sent), Request::ReqDhParams(request)) => {
                self.answer_req_dh(&sent, request, now_unix_ns, rng)
            }
            (State::AwaitingClientDh(sent), Request::SetClientDhParams(request)) => {
                Self::accept_client_dh(sent, request, now_unix_ns)
            }
            (State::AwaitingReqPq, _) | (State::Done, _) => Err(unexpected("req_pq_multi")),
            (State::AwaitingReqDh(_), _) => Err(unexpected("req_DH_params")),
            (State::AwaitingClientDh(_), _) => Err(unexpected("set_client_DH_params")),
            (State::AwaitingKeyCheck(..), _) | (State::Failed, _) => Err(HandshakeError::Finished),
        }
    }

    fn answer_req_pq<R: CryptoRng + ?Sized>(
        &self,
        nonce: [u8; 16],
        rng: &mut R,
    ) -> (State, HandshakeOutput) {
        let mut server_nonce = [0u8; 16];
        rng.fill_bytes(&mut server_nonce);
        let pq = generate_pq(rng);
        let reply = types::ResPq {
            nonce,
            server_nonce,
            pq: pq.pq_bytes().to_vec(),
            server_public_key_fingerprints: self
                .config
                .rsa_keys
                .iter()
                .map(ServerRsaKey::fingerprint)
                .collect(),
        };
        let sent = PqSent {
            nonce,
            server_nonce,
            pq,
        };
        (
            State::AwaitingReqDh(Box::new(sent)),
            HandshakeOutput::Reply(reply.to_bytes()),
        )
    }

    fn answer_req_dh<R: CryptoRng + ?Sized>(
        &self,
        sent: &PqSent,
        request: functions::ReqDhParams,
        now_unix_ns: u64,
        rng: &mut R,
    ) -> Result<(State, HandshakeOutput), HandshakeError> {
        check_nonces(
            &sent.nonce,
            &sent.server_nonce,
            &request.nonce,
            &request.server_nonce,
        )?;
        check_p_q(&sent.pq, &request.p, &request.q)?;
        let key = self
            .config
            .rsa_keys
            .iter()
            .find(|key| key.fingerprint() == request.public_key_fingerprint)
            .ok_or(HandshakeError::UnknownFingerprint)?;
        let decrypted = Zeroizing::new(key.decrypt_req_dh(&request.encrypted_data)?.data);
        let (inner, _) = decode_prefix::<enums::PQInnerData>(&decrypted)?;
        let inner = InnerData::from(inner);

        check_nonces(
            &sent.nonce,
            &sent.server_nonce,
            &inner.nonce,
            &inner.server_nonce,
        )?;
        if u64_from_be_bytes(&inner.pq) != Some(sent.pq.pq) {
            return Err(HandshakeError::PqMismatch);
        }
        check_p_q(&sent.pq, &inner.p, &inner.q)?;
        if let Some(expires_in) = inner.expires_in {
            if !(1..=self.config.max_temp_key_lifetime_secs).contains(&expires_in) {
                return Err(HandshakeError::InvalidField("expires_in"));
            }
        }

        let (tmp_key, tmp_iv) = tmp_aes_key_iv(&sent.server_nonce, &inner.new_nonce);
        let secret = DhSecret::generate(rng, DH_G);
        let answer = types::ServerDhInnerData {
            nonce: sent.nonce,
            server_nonce: sent.server_nonce,
            g: DH_G as i32,
            dh_prime: DH_PRIME.to_vec(),
            g_a: secret.public().to_vec(),
            server_time: unix_secs(now_unix_ns) as i32,
        };
        let encrypted_answer = sealed::seal(&answer.to_bytes(), &tmp_key, &tmp_iv, rng);
        let reply = types::ServerDhParamsOk {
            nonce: sent.nonce,
            server_nonce: sent.server_nonce,
            encrypted_answer,
        };
        let next = DhSent {
            nonce: sent.nonce,
            server_nonce: sent.server_nonce,
            new_nonce: inner.new_nonce,
            tmp_key: Zeroizing::new(tmp_key),
            tmp_iv: Zeroizing::new(tmp_iv),
            secret,
            expires_in: inner.expires_in,
            dc: inner.dc.unwrap_or(self.config.dc_id),
            retry_id: 0,
            retries: 0,
        };
        Ok((
            State::AwaitingClientDh(Box::new(next)),
            HandshakeOutput::Reply(reply.to_bytes()),
        ))
    }

    fn accept_client_dh(
        sent: Box<DhSent>,
        request: functions::SetClientDhParams,
        now_unix_ns: u64,
    ) -> Result<(State, HandshakeOutput), HandshakeError> {
        check_nonces(
            &sent.nonce,
            &sent.server_nonce,
            &request.nonce,
            &request.server_nonce,
        )?;
        let inner: types::ClientDhInnerData =
            sealed::open(&request.encrypted_data, &sent.tmp_key, &sent.tmp_iv)?;
        check_nonces(
            &sent.nonce,
            &sent.server_nonce,
            &inner.nonce,
            &inner.server_nonce,
        )?;
        if inner.retry_id != sent.retry_id {
            return Err(HandshakeError::InvalidField("retry_id"));
        }
        let shared = sent.secret.shared_secret(&inner.g_b)?;
        let auth_key = AuthKey::from_bytes(*shared);
        let kind = match sent.expires_in {
            None => KeyKind::Perm,
            Some(expires_in) => KeyKind::Temp {
                expires_at: unix_secs(now_unix_ns) + i64::from(expires_in),
            },
        };
        let created = CreatedKey {
            auth_key: auth_key.clone(),
            kind,
            dc: sent.dc,
            first_salt: server_salt(&sent.new_nonce, &sent.server_nonce),
        };
        Ok((
            State::AwaitingKeyCheck(sent, auth_key),
            HandshakeOutput::KeyCreated(created),
        ))
    }

    /// The key from [`HandshakeOutput::KeyCreated`] is stored: returns the dh_gen_ok body
    /// to send and finishes the handshake.
    pub fn key_stored(&mut self) -> Result<Vec<u8>, HandshakeError> {
        let State::AwaitingKeyCheck(sent, auth_key) =
            std::mem::replace(&mut self.state, State::Failed)
        else {
            return Err(HandshakeError::Finished);
        };
        let reply = types::DhGenOk {
            nonce: sent.nonce,
            server_nonce: sent.server_nonce,
            new_nonce_hash1: new_nonce_hash(&sent.new_nonce, 1, &auth_key.aux_hash()),
        };
        self.state = State::Done;
        Ok(reply.to_bytes())
    }

    /// The key's auth_key_id is already in use: returns dh_gen_retry (the client sends a
    /// new g_b) or, after too many rounds, dh_gen_fail (and the handshake fails).
    pub fn key_id_taken(&mut self) -> Result<Vec<u8>, HandshakeError> {
        let State::AwaitingKeyCheck(mut sent, auth_key) =
            std::mem::replace(&mut self.state, State::Failed)
        else {
            return Err(HandshakeError::Finished);
        };
        let aux_hash = auth_key.aux_hash();
        sent.retries += 1;
        if sent.retries > self.config.max_retries {
            let reply = types::DhGenFail {
                nonce: sent.nonce,
                server_nonce: sent.server_nonce,
                new_nonce_hash3: new_nonce_hash(&sent.new_nonce, 3, &aux_hash),
            };
            return Ok(reply.to_bytes());
        }
        let reply = types::DhGenRetry {
            nonce: sent.nonce,
            server_nonce: sent.server_nonce,
            new_nonce_hash2: new_nonce_hash(&sent.new_nonce, 2, &aux_hash),
        };
        sent.retry_id = i64::from_le_bytes(aux_hash);
        self.state = State::AwaitingClientDh(sent);
        Ok(reply.to_bytes())
    }
}

fn check_nonces(
    nonce: &[u8; 16],
    server_nonce: &[u8; 16],
    got_nonce: &[u8; 16],
    got_server_nonce: &[u8; 16],
) -> Result<(), HandshakeError> {
    // Both are public by now, but a constant-time compare costs nothing here.
    if ct_eq(nonce, got_nonce) && ct_eq(server_nonce, got_server_nonce) {
        Ok(())
    } else {
        Err(HandshakeError::NonceMismatch)
    }
}

/// p and q as the client sent them (big-endian, any order) must be our two primes.
fn check_p_q(pq: &PqPair, p: &[u8], q: &[u8]) -> Result<(), HandshakeError> {
    let (Some(p), Some(q)) = (u64_from_be_bytes(p), u64_from_be_bytes(q)) else {
        return Err(HandshakeError::PqMismatch);
    };
    let ours = (u64::from(pq.p), u64::from(pq.q));
    if (p, q) == ours || (q, p) == ours {
        Ok(())
    } else {
        Err(HandshakeError::PqMismatch)
    }
}
