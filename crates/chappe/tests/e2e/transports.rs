//! Every TCP transport, plain and obfuscated, carries a session that answers the help
//! namespace with this server's address.

use chappe_client::{Client, TransportKind};
use chappe_tl::api::{enums, functions};

use super::support::{within, TestServer};

const TRANSPORTS: [(TransportKind, bool); 7] = [
    (TransportKind::Abridged, false),
    (TransportKind::Intermediate, false),
    (TransportKind::PaddedIntermediate, false),
    (TransportKind::Full, false),
    (TransportKind::Abridged, true),
    (TransportKind::Intermediate, true),
    (TransportKind::PaddedIntermediate, true),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_transport_answers_get_config_and_get_nearest_dc() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    for (kind, obfuscated) in TRANSPORTS {
        let name = format!("{kind:?}{}", if obfuscated { " obfuscated" } else { "" });
        let client = server
            .connect(server.config().transport(kind).obfuscated(obfuscated))
            .await;
        check_config(&server, &client, &name).await;
        let nearest = within(&name, client.invoke(&functions::help::GetNearestDc))
            .await
            .unwrap_or_else(|e| panic!("{name}: help.getNearestDc failed: {e}"));
        let enums::NearestDc::NearestDc(nearest) = nearest;
        assert_eq!(nearest.this_dc, 2, "{name}");
        assert_eq!(nearest.nearest_dc, 2, "{name}");
        client.disconnect().await;
    }
}

async fn check_config(server: &TestServer, client: &Client, name: &str) {
    let config = within(name, client.invoke(&functions::help::GetConfig))
        .await
        .unwrap_or_else(|e| panic!("{name}: help.getConfig failed: {e}"));
    let enums::Config::Config(config) = config;
    assert_eq!(config.this_dc, 2, "{name}");
    let mut ids = Vec::new();
    for option in &config.dc_options {
        let enums::DcOption::DcOption(option) = option;
        assert_eq!(option.ip_address, "127.0.0.1", "{name}: dc {}", option.id);
        assert_eq!(
            option.port,
            i32::from(server.addr.port()),
            "{name}: dc {}",
            option.id
        );
        ids.push(option.id);
    }
    ids.sort_unstable();
    assert_eq!(ids, [1, 2, 3, 4, 5], "{name}");
}
