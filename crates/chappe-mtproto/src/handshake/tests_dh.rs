//! Handshake tests around the DH step: a hand-driven client that can send any g_b, the
//! dh_gen_retry / dh_gen_fail paths, and a client facing a misbehaving server.

use chappe_crypto::handshake_kdf::tmp_aes_key_iv;
use chappe_crypto::{CryptoError, DH_PRIME};

use super::*;

/// A client done by hand up to the point where the server awaits set_client_DH_params.
struct Manual {
    server: ServerHandshake,
    rng: rand::rngs::StdRng,
    nonce: [u8; 16],
    server_nonce: [u8; 16],
    new_nonce: [u8; 32],
}

impl Manual {
    fn new(seed: u64) -> Self {
        let mut rng = rng(seed);
        let mut server = ServerHandshake::new(server_config());
        let nonce = [1u8; 16];
        let res_pq = types::ResPq::from_bytes(&reply(
            server
                .handle(&functions::ReqPqMulti { nonce }.to_bytes(), NOW, &mut rng)
                .expect("resPQ"),
        ))
        .expect("decodes");
        let pq = chappe_crypto::pq::u64_from_be_bytes(&res_pq.pq).expect("pq");
        let (p, q) = chappe_crypto::factorize_pq(pq).expect("factors");
        let new_nonce = [9u8; 32];
        let inner = types::PQInnerData {
            pq: res_pq.pq.clone(),
            p: p.to_be_bytes().to_vec(),
            q: q.to_be_bytes().to_vec(),
            nonce,
            server_nonce: res_pq.server_nonce,
            new_nonce,
        };
        let key = server_key();
        let request = functions::ReqDhParams {
            nonce,
            server_nonce: res_pq.server_nonce,
            p: p.to_be_bytes().to_vec(),
            q: q.to_be_bytes().to_vec(),
            public_key_fingerprint: key.fingerprint(),
            encrypted_data: key
                .public_key()
                .encrypt_old(&inner.to_bytes(), &mut rng)
                .expect("fits")
                .to_vec(),
        };
        reply(
            server
                .handle(&request.to_bytes(), NOW, &mut rng)
                .expect("server_DH_params_ok"),
        );
        Self {
            server,
            rng,
            nonce,
            server_nonce: res_pq.server_nonce,
            new_nonce,
        }
    }

    fn set_client_dh(&mut self, inner: &types::ClientDhInnerData) -> Vec<u8> {
        let (key, iv) = tmp_aes_key_iv(&self.server_nonce, &self.new_nonce);
        functions::SetClientDhParams {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            encrypted_data: super::super::sealed::seal(&inner.to_bytes(), &key, &iv, &mut self.rng),
        }
        .to_bytes()
    }

    fn inner(&self, g_b: Vec<u8>) -> types::ClientDhInnerData {
        types::ClientDhInnerData {
            nonce: self.nonce,
            server_nonce: self.server_nonce,
            retry_id: 0,
            g_b,
        }
    }

    fn reject(&mut self, body: &[u8]) -> HandshakeError {
        rejects(&mut self.server, body, &mut self.rng)
    }
}

#[test]
fn a_hand_made_valid_g_b_is_accepted() {
    let mut manual = Manual::new(8);
    let g_b = chappe_crypto::DhSecret::generate(&mut manual.rng, 3)
        .public()
        .to_vec();
    let body = manual.set_client_dh(&manual.inner(g_b));
    assert!(matches!(
        manual.server.handle(&body, NOW, &mut manual.rng),
        Ok(HandshakeOutput::KeyCreated(_))
    ));
}

#[test]
fn g_b_out_of_range_is_rejected() {
    let mut p_minus_one = DH_PRIME;
    p_minus_one[255] -= 1;
    for g_b in [
        vec![1],
        vec![0; 256],
        p_minus_one.to_vec(),
        DH_PRIME.to_vec(),
        vec![0xff; 257],
    ] {
        let mut manual = Manual::new(9);
        let body = manual.set_client_dh(&manual.inner(g_b));
        let error = manual.reject(&body);
        assert!(
            matches!(
                error,
                HandshakeError::Crypto(CryptoError::DhValueOutOfRange)
            ),
            "{error:?}"
        );
    }
}

#[test]
fn bad_inner_fields_and_tampering_are_rejected() {
    let g_b = chappe_crypto::DhSecret::generate(&mut rng(10), 3)
        .public()
        .to_vec();

    let mut manual = Manual::new(10);
    let mut inner = manual.inner(g_b.clone());
    inner.nonce[0] ^= 1;
    let body = manual.set_client_dh(&inner);
    assert_eq!(manual.reject(&body), HandshakeError::NonceMismatch);

    let mut manual = Manual::new(10);
    let mut inner = manual.inner(g_b.clone());
    inner.retry_id = 5;
    let body = manual.set_client_dh(&inner);
    assert_eq!(
        manual.reject(&body),
        HandshakeError::InvalidField("retry_id")
    );

    let mut manual = Manual::new(10);
    let mut request =
        functions::SetClientDhParams::from_bytes(&manual.set_client_dh(&manual.inner(g_b.clone())))
            .expect("decodes");
    request.encrypted_data[3] ^= 1;
    manual.reject(&request.to_bytes());

    let mut manual = Manual::new(10);
    let mut request =
        functions::SetClientDhParams::from_bytes(&manual.set_client_dh(&manual.inner(g_b)))
            .expect("decodes");
    request.encrypted_data.truncate(48);
    manual.reject(&request.to_bytes());
}

/// Drives a real client to the point where the server has created (not confirmed) a key.
fn up_to_key_created(
    config: Arc<HandshakeConfig>,
    rng: &mut rand::rngs::StdRng,
) -> (ServerHandshake, ClientHandshake, CreatedKey) {
    let mut server = ServerHandshake::new(config);
    let mut client = ClientHandshake::new(client_config(RsaPadding::RsaPad, InnerDataKind::Plain));
    let mut from_client = client.start(rng).expect("start");
    for _ in 0..2 {
        let to_client = reply(server.handle(&from_client, NOW, rng).expect("step"));
        from_client = send(client.handle(&to_client, NOW, rng).expect("step"));
    }
    let HandshakeOutput::KeyCreated(key) = server.handle(&from_client, NOW, rng).expect("key")
    else {
        panic!("no key");
    };
    (server, client, key)
}

#[test]
fn a_taken_key_id_leads_to_a_retry_with_a_new_key() {
    let mut rng = rng(11);
    let (mut server, mut client, first) = up_to_key_created(server_config(), &mut rng);
    let retry = server.key_id_taken().expect("dh_gen_retry");
    let again = send(
        client
            .handle(&retry, NOW, &mut rng)
            .expect("new set_client_DH_params"),
    );
    let HandshakeOutput::KeyCreated(second) = server.handle(&again, NOW, &mut rng).expect("key")
    else {
        panic!("no key");
    };
    assert_ne!(first.auth_key, second.auth_key);
    let ok = server.key_stored().expect("dh_gen_ok");
    let ClientOutput::Done { key, .. } = client.handle(&ok, NOW, &mut rng).expect("done") else {
        panic!("client not done");
    };
    assert_eq!(key.auth_key, second.auth_key);
    assert_eq!(server.key_stored(), Err(HandshakeError::Finished));
}

#[test]
fn too_many_retries_end_in_dh_gen_fail() {
    let mut rng = rng(12);
    let config = Arc::new(HandshakeConfig {
        max_retries: 0,
        ..HandshakeConfig::new(server_key(), 2)
    });
    let (mut server, mut client, _) = up_to_key_created(config, &mut rng);
    let fail = server.key_id_taken().expect("dh_gen_fail");
    assert!(server.is_over());
    assert_eq!(
        client.handle(&fail, NOW, &mut rng).map(|_| ()).unwrap_err(),
        HandshakeError::Refused
    );
}

#[test]
fn the_client_rejects_a_misbehaving_server() {
    // resPQ for another nonce, and without our fingerprint.
    let mut rng = rng(13);
    let mut client = ClientHandshake::new(client_config(RsaPadding::RsaPad, InnerDataKind::Plain));
    client.start(&mut rng).expect("start");
    let wrong = types::ResPq {
        nonce: [7; 16],
        ..Default::default()
    }
    .to_bytes();
    assert_eq!(
        client.handle(&wrong, NOW, &mut rng).unwrap_err(),
        HandshakeError::NonceMismatch
    );

    // Tampered server_DH_params_ok and dh_gen_ok.
    let mut rng = self::rng(14);
    let mut server = ServerHandshake::new(server_config());
    let mut client = ClientHandshake::new(client_config(RsaPadding::Old, InnerDataKind::Plain));
    let req_pq = client.start(&mut rng).expect("start");
    let res_pq = reply(server.handle(&req_pq, NOW, &mut rng).expect("resPQ"));
    let req_dh = send(client.handle(&res_pq, NOW, &mut rng).expect("req_DH"));
    let dh_params = reply(server.handle(&req_dh, NOW, &mut rng).expect("params"));
    let mut tampered = dh_params.clone();
    let last = tampered.len() - 1;
    tampered[last - 20] ^= 1;
    let mut broken = ClientHandshake::new(client_config(RsaPadding::Old, InnerDataKind::Plain));
    assert!(broken.handle(&tampered, NOW, &mut rng).is_err());

    let set_dh = send(client.handle(&dh_params, NOW, &mut rng).expect("set_DH"));
    assert!(matches!(
        server.handle(&set_dh, NOW, &mut rng),
        Ok(HandshakeOutput::KeyCreated(_))
    ));
    let mut ok = types::DhGenOk::from_bytes(&server.key_stored().expect("ok")).expect("decodes");
    ok.new_nonce_hash1[0] ^= 1;
    assert_eq!(
        client.handle(&ok.to_bytes(), NOW, &mut rng).unwrap_err(),
        HandshakeError::HashMismatch
    );
}
