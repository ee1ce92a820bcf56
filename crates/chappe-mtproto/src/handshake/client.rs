//! The client side of the handshake, for our client library and for tests.

use chappe_crypto::dh::check_dh_params;
use chappe_crypto::handshake_kdf::{new_nonce_hash, server_salt, tmp_aes_key_iv};
use chappe_crypto::hash::ct_eq;
use chappe_crypto::pq::{u64_from_be_bytes, u64_to_min_be_bytes};
use chappe_crypto::{check_dh_value, factorize_pq, AuthKey, DhSecret, RsaPadding, RsaPublicKey};
use chappe_tl::mtproto::{enums, functions, types};
use chappe_tl::Serializable;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::{constructor_of, decode_exact, sealed, unix_secs, CreatedKey, KeyKind};
use crate::HandshakeError;

/// Which `p_q_inner_data` constructor the client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InnerDataKind {
    /// `p_q_inner_data`: a permanent key (Telethon, Pyrogram, GramJS).
    Plain,
    /// `p_q_inner_data_dc`: a permanent key for a DC (TDLib).
    Dc(i32),
    /// `p_q_inner_data_temp`: a temporary key.
    Temp {
        /// Lifetime in seconds.
        expires_in: i32,
    },
    /// `p_q_inner_data_temp_dc`: a temporary key for a DC (TDLib with PFS).
    TempDc {
        /// DC id.
        dc: i32,
        /// Lifetime in seconds.
        expires_in: i32,
    },
}

/// How our client creates keys.
#[derive(Debug, Clone)]
pub struct ClientHandshakeConfig {
    /// Server keys the client trusts; the first one the server offers is used.
    pub rsa_keys: Vec<RsaPublicKey>,
    /// The req_DH_params padding to use.
    pub padding: RsaPadding,
    /// The inner data variant to send.
    pub inner: InnerDataKind,
    /// dh_gen_retry rounds to go along with before giving up.
    pub max_retries: u32,
}

impl ClientHandshakeConfig {
    /// RSA_PAD, a plain permanent key, 3 retries.
    pub fn new(rsa_key: RsaPublicKey) -> Self {
        Self {
            rsa_keys: vec![rsa_key],
            padding: RsaPadding::RsaPad,
            inner: InnerDataKind::Plain,
            max_retries: 3,
        }
    }
}

/// What a client step produced.
#[derive(Debug)]
pub enum ClientOutput {
    /// Send this plain body to the server.
    Send(Vec<u8>),
    /// The server confirmed the key.
    Done {
        /// The key and its attributes (for temporary keys `expires_at` is by our clock).
        key: CreatedKey,
        /// `server_time - our time` in seconds, to correct msg_ids.
        server_time_offset: i64,
    },
}

/// One connection's client-side handshake.
#[derive(Debug)]
pub struct ClientHandshake {
    config: ClientHandshakeConfig,
    state: State,
}

#[derive(Debug)]
enum State {
    Start,
    AwaitingResPq { nonce: [u8; 16] },
    AwaitingDhParams(Box<Nonces>),
    AwaitingDhGen(Box<DhPending>),
    Done,
    Failed,
}

#[derive(Debug)]
struct Nonces {
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: Zeroizing<[u8; 32]>,
}

#[derive(Debug)]
struct DhPending {
    nonces: Nonces,
    g: u32,
    g_a: Vec<u8>,
    auth_key: AuthKey,
    server_time_offset: i64,
    retries: u32,
}

impl ClientHandshake {
    /// A handshake that has sent nothing yet.
    pub fn new(config: ClientHandshakeConfig) -> Self {
        Self {
            config,
            state: State::Start,
        }
    }

    /// Begins the handshake: returns the req_pq_multi body to send.
    pub fn start<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> Result<Vec<u8>, HandshakeError> {
        if !matches!(self.state, State::Start) {
            return Err(HandshakeError::Finished);
        }
        let mut nonce = [0u8; 16];
        rng.fill_bytes(&mut nonce);
        self.state = State::AwaitingResPq { nonce };
        Ok(functions::ReqPqMulti { nonce }.to_bytes())
    }

    /// Handles one plain message body from the server. Any error leaves the handshake failed.
    pub fn handle<R: CryptoRng + ?Sized>(
        &mut self,
        body: &[u8],
        now_unix_ns: u64,
        rng: &mut R,
    ) -> Result<ClientOutput, HandshakeError> {
        let state = std::mem::replace(&mut self.state, State::Failed);
        let (next, output) = match state {
            State::AwaitingResPq { nonce } => self.on_res_pq(nonce, body, rng)?,
            State::AwaitingDhParams(nonces) => {
                self.on_dh_params(*nonces, body, now_unix_ns, rng)?
            }
            State::AwaitingDhGen(pending) => self.on_dh_gen(*pending, body, now_unix_ns, rng)?,
            State::Start | State::Done | State::Failed => {
                return Err(HandshakeError::UnexpectedMessage {
                    constructor: constructor_of(body),
                    expected: "nothing",
                })
            }
        };
        self.state = next;
        Ok(output)
    }

    fn on_res_pq<R: CryptoRng + ?Sized>(
        &self,
        nonce: [u8; 16],
        body: &[u8],
        rng: &mut R,
    ) -> Result<(State, ClientOutput), HandshakeError> {
        let enums::ResPq::ResPq(res_pq) = decode_exact::<enums::ResPq>(body)?;
        if !ct_eq(&res_pq.nonce, &nonce) {
            return Err(HandshakeError::NonceMismatch);
        }
        let key = self
            .config
            .rsa_keys
            .iter()
            .find(|key| {
                res_pq
                    .server_public_key_fingerprints
                    .contains(&key.fingerprint())
            })
            .ok_or(HandshakeError::UnknownFingerprint)?;
        let pq = u64_from_be_bytes(&res_pq.pq).ok_or(HandshakeError::PqMismatch)?;
        let (p, q) = factorize_pq(pq)?;
        let (p, q) = (u64_to_min_be_bytes(p), u64_to_min_be_bytes(q));
        let mut new_nonce = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(&mut new_nonce[..]);

        let inner = self.inner_data(&res_pq, &p, &q, &new_nonce);
        let encrypted_data = match self.config.padding {
            RsaPadding::Old => key.encrypt_old(&inner, rng)?,
            RsaPadding::RsaPad => key.encrypt_rsa_pad(&inner, rng)?,
        };
        let request = functions::ReqDhParams {
            nonce,
            server_nonce: res_pq.server_nonce,
            p,
            q,
            public_key_fingerprint: key.fingerprint(),
            encrypted_data: encrypted_data.to_vec(),
        };
        let nonces = Nonces {
            nonce,
            server_nonce: res_pq.server_nonce,
            new_nonce,
        };
        Ok((
            State::AwaitingDhParams(Box::new(nonces)),
            ClientOutput::Send(request.to_bytes()),
        ))
    }

    fn inner_data(
        &self,
        res_pq: &types::ResPq,
        p: &[u8],
        q: &[u8],
        new_nonce: &[u8; 32],
    ) -> Zeroizing<Vec<u8>> {
        let (pq, p, q) = (res_pq.pq.clone(), p.to_vec(), q.to_vec());
        let (nonce, server_nonce, new_nonce) = (res_pq.nonce, res_pq.server_nonce, *new_nonce);
        let inner: enums::PQInnerData = match self.config.inner {
            InnerDataKind::Plain => types::PQInnerData {
                pq,
                p,
                q,
                nonce,
                server_nonce,
                new_nonce,
            }
            .into(),
            InnerDataKind::Dc(dc) => types::PQInnerDataDc {
                pq,
                p,
                q,
                nonce,
                server_nonce,
                new_nonce,
                dc,
            }
            .into(),
            InnerDataKind::Temp { expires_in } => types::PQInnerDataTemp {
                pq,
                p,
                q,
                nonce,
                server_nonce,
                new_nonce,
                expires_in,
            }
            .into(),
            InnerDataKind::TempDc { dc, expires_in } => types::PQInnerDataTempDc {
                pq,
                p,
                q,
                nonce,
                server_nonce,
                new_nonce,
                dc,
                expires_in,
            }
            .into(),
        };
        Zeroizing::new(inner.to_bytes())
    }

    fn on_dh_params<R: CryptoRng + ?Sized>(
        &self,
        nonces: Nonces,
        body: &[u8],
        now_unix_ns: u64,
        rng: &mut R,
    ) -> Result<(State, ClientOutput), HandshakeError> {
        let params = match decode_exact::<enums::ServerDhParams>(body)? {
            enums::ServerDhParams::ServerDhParamsOk(ok) => ok,
            enums::ServerDhParams::ServerDhParamsFail(_) => return Err(HandshakeError::Refused),
        };
        check_nonces(&nonces, &params.nonce, &params.server_nonce)?;
        let (tmp_key, tmp_iv) = tmp_aes_key_iv(&nonces.server_nonce, &nonces.new_nonce);
        let (tmp_key, tmp_iv) = (Zeroizing::new(tmp_key), Zeroizing::new(tmp_iv));
        let answer: types::ServerDhInnerData =
            sealed::open(&params.encrypted_answer, &tmp_key, &tmp_iv)?;
        check_nonces(&nonces, &answer.nonce, &answer.server_nonce)?;
        let g = u32::try_from(answer.g).map_err(|_| HandshakeError::InvalidField("g"))?;
        check_dh_params(&answer.dh_prime, g)?;
        check_dh_value(&answer.g_a)?;
        let server_time_offset = i64::from(answer.server_time) - unix_secs(now_unix_ns);
        self.send_client_dh(nonces, g, answer.g_a, 0, 0, server_time_offset, rng)
    }

    /// Makes a fresh b, computes the key and sends set_client_DH_params.
    #[allow(clippy::too_many_arguments)]
    fn send_client_dh<R: CryptoRng + ?Sized>(
        &self,
        nonces: Nonces,
        g: u32,
        g_a: Vec<u8>,
        retry_id: i64,
        retries: u32,
        server_time_offset: i64,
        rng: &mut R,
    ) -> Result<(State, ClientOutput), HandshakeError> {
        let secret = DhSecret::generate(rng, g);
        let auth_key = AuthKey::from_bytes(*secret.shared_secret(&g_a)?);
        let inner = types::ClientDhInnerData {
            nonce: nonces.nonce,
            server_nonce: nonces.server_nonce,
            retry_id,
            g_b: secret.public().to_vec(),
        };
        let (tmp_key, tmp_iv) = tmp_aes_key_iv(&nonces.server_nonce, &nonces.new_nonce);
        let (tmp_key, tmp_iv) = (Zeroizing::new(tmp_key), Zeroizing::new(tmp_iv));
        let request = functions::SetClientDhParams {
            nonce: nonces.nonce,
            server_nonce: nonces.server_nonce,
            encrypted_data: sealed::seal(&inner.to_bytes(), &tmp_key, &tmp_iv, rng),
        };
        let pending = DhPending {
            nonces,
            g,
            g_a,
            auth_key,
            server_time_offset,
            retries,
        };
        Ok((
            State::AwaitingDhGen(Box::new(pending)),
            ClientOutput::Send(request.to_bytes()),
        ))
    }

    fn on_dh_gen<R: CryptoRng + ?Sized>(
        &self,
        pending: DhPending,
        body: &[u8],
        now_unix_ns: u64,
        rng: &mut R,
    ) -> Result<(State, ClientOutput), HandshakeError> {
        let answer = decode_exact::<enums::SetClientDhParamsAnswer>(body)?;
        let aux_hash = pending.auth_key.aux_hash();
        let nonces = &pending.nonces;
        let expected = |number| new_nonce_hash(&nonces.new_nonce, number, &aux_hash);
        match answer {
            enums::SetClientDhParamsAnswer::DhGenOk(ok) => {
                check_nonces(nonces, &ok.nonce, &ok.server_nonce)?;
                if !ct_eq(&ok.new_nonce_hash1, &expected(1)) {
                    return Err(HandshakeError::HashMismatch);
                }
                let kind = match self.config.inner {
                    InnerDataKind::Plain | InnerDataKind::Dc(_) => KeyKind::Perm,
                    InnerDataKind::Temp { expires_in }
                    | InnerDataKind::TempDc { expires_in, .. } => KeyKind::Temp {
                        expires_at: unix_secs(now_unix_ns) + i64::from(expires_in),
                    },
                };
                let dc = match self.config.inner {
                    InnerDataKind::Dc(dc) | InnerDataKind::TempDc { dc, .. } => dc,
                    InnerDataKind::Plain | InnerDataKind::Temp { .. } => 0,
                };
                let key = CreatedKey {
                    first_salt: server_salt(&nonces.new_nonce, &nonces.server_nonce),
                    auth_key: pending.auth_key.clone(),
                    kind,
                    dc,
                };
                Ok((
                    State::Done,
                    ClientOutput::Done {
                        key,
                        server_time_offset: pending.server_time_offset,
                    },
                ))
            }
            enums::SetClientDhParamsAnswer::DhGenRetry(retry) => {
                check_nonces(nonces, &retry.nonce, &retry.server_nonce)?;
                if !ct_eq(&retry.new_nonce_hash2, &expected(2)) {
                    return Err(HandshakeError::HashMismatch);
                }
                if pending.retries >= self.config.max_retries {
                    return Err(HandshakeError::TooManyRetries);
                }
                let DhPending {
                    nonces,
                    g,
                    g_a,
                    server_time_offset,
                    retries,
                    ..
                } = pending;
                let retry_id = i64::from_le_bytes(aux_hash);
                self.send_client_dh(
                    nonces,
                    g,
                    g_a,
                    retry_id,
                    retries + 1,
                    server_time_offset,
                    rng,
                )
            }
            enums::SetClientDhParamsAnswer::DhGenFail(fail) => {
                check_nonces(nonces, &fail.nonce, &fail.server_nonce)?;
                if !ct_eq(&fail.new_nonce_hash3, &expected(3)) {
                    return Err(HandshakeError::HashMismatch);
                }
                Err(HandshakeError::Refused)
            }
        }
    }
}

fn check_nonces(
    nonces: &Nonces,
    nonce: &[u8; 16],
    server_nonce: &[u8; 16],
) -> Result<(), HandshakeError> {
    if ct_eq(&nonces.nonce, nonce) && ct_eq(&nonces.server_nonce, server_nonce) {
        Ok(())
    } else {
        Err(HandshakeError::NonceMismatch)
    }
}
