//! An auth key outlives the server process: after a kill and a restart on the same data
//! directory the client resumes with the same key, without a new handshake.

use chappe_tl::api::{enums, functions};

use super::support::{within, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auth_key_survives_a_server_restart() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let client = server.connect(server.config()).await;
    within("first call", client.invoke(&functions::help::GetNearestDc))
        .await
        .expect("answered");
    let key = client.auth_key().clone();
    let salt = client.salt();
    client.disconnect().await;
    let data_dir = server.kill();

    let server = TestServer::start(&data_dir);
    // `resume` skips key creation: the first encrypted packet goes out under the old key,
    // which the server answers only if it kept it (an unknown key gets −404).
    let client = server
        .connect(server.config().resume(key.clone(), salt))
        .await;
    let nearest = within(
        "call after restart",
        client.invoke(&functions::help::GetNearestDc),
    )
    .await
    .expect("the restarted server knows the key");
    let enums::NearestDc::NearestDc(nearest) = nearest;
    assert_eq!(nearest.this_dc, 2);
    assert_eq!(client.auth_key().id(), key.id());

    // A salt of 0 is wrong on purpose: the session learns the right one and carries on.
    client.disconnect().await;
    let client = server.connect(server.config().resume(key, 0)).await;
    within(
        "call with a stale salt",
        client.invoke(&functions::help::GetConfig),
    )
    .await
    .expect("bad_server_salt is recovered from");
}
