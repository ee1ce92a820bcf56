//! `chappe key` prints the public key and its fingerprint, and they agree with what a
//! client computes from the PEM and with the key the server actually uses.

use chappe_client::{RawConnection, RsaPublicKey};

use super::support::{key_command, within, TestServer};

#[test]
fn chappe_key_prints_a_pem_and_its_fingerprint() {
    let data = tempfile::tempdir().expect("temp dir");
    let (pem, fingerprint) = key_command(data.path());
    let key = RsaPublicKey::from_pkcs1_pem(&pem).expect("a PKCS#1 public key");
    assert_eq!(key.fingerprint(), fingerprint);
    // The key is kept: a second run prints the same one.
    assert_eq!(key_command(data.path()), (pem, fingerprint));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_offers_the_printed_key() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let config = server.config();
    assert_eq!(config.rsa_key.fingerprint(), server.fingerprint);
    // The handshake only succeeds if resPQ lists this fingerprint.
    let mut raw = within("connect", RawConnection::connect(&config))
        .await
        .expect("connects");
    within("handshake", raw.create_auth_key(&config))
        .await
        .expect("the server offers the printed key");
}
