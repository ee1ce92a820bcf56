//! Auth-key creation in every variant our client offers: both req_DH_params paddings,
//! permanent and temporary inner data, with and without a DC id; each new key then
//! carries a working session.

use chappe_client::{Client, InnerDataKind, KeyKind, RawConnection, RsaPadding};
use chappe_tl::api::{enums, functions};

use super::support::{within, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_padding_and_inner_data_kind_creates_a_usable_key() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let variants = [
        (RsaPadding::RsaPad, InnerDataKind::Plain),
        (RsaPadding::Old, InnerDataKind::Plain),
        (RsaPadding::RsaPad, InnerDataKind::Dc(2)),
        (RsaPadding::Old, InnerDataKind::Temp { expires_in: 3600 }),
        (
            RsaPadding::RsaPad,
            InnerDataKind::TempDc {
                dc: 2,
                expires_in: 3600,
            },
        ),
    ];
    for (padding, inner) in variants {
        let name = format!("{padding:?} {inner:?}");
        let config = server.config().rsa_padding(padding).inner_data(inner);
        let mut raw = within(&name, RawConnection::connect(&config))
            .await
            .expect("connects");
        let key = within(&name, raw.create_auth_key(&config))
            .await
            .unwrap_or_else(|e| panic!("{name}: key creation failed: {e}"));
        let temporary = matches!(
            inner,
            InnerDataKind::Temp { .. } | InnerDataKind::TempDc { .. }
        );
        assert_eq!(
            matches!(key.kind, KeyKind::Temp { .. }),
            temporary,
            "{name}"
        );
        // The key works on the very connection that made it.
        let client = Client::start(raw, &config, key.auth_key, key.salt, key.time_offset_secs);
        let nearest = within(&name, client.invoke(&functions::help::GetNearestDc))
            .await
            .unwrap_or_else(|e| panic!("{name}: call under the new key failed: {e}"));
        let enums::NearestDc::NearestDc(nearest) = nearest;
        assert_eq!(nearest.this_dc, 2, "{name}");
        client.disconnect().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_creates_several_keys_in_a_row() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let config = server.config();
    let mut raw = within("connect", RawConnection::connect(&config))
        .await
        .expect("connects");
    let mut ids = Vec::new();
    for round in 0..3 {
        let key = within("handshake", raw.create_auth_key(&config))
            .await
            .unwrap_or_else(|e| panic!("key {round} failed: {e}"));
        ids.push(key.auth_key.id());
    }
    ids.dedup();
    assert_eq!(ids.len(), 3, "every key is new");
}
