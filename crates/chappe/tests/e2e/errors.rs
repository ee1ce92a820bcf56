//! How the server refuses: a method that needs a login, one it does not implement, a
//! method id it has never heard of, an auth key it does not know; and that one
//! connection answers many calls in flight at once.

use chappe_client::{AuthKey, InvocationError};
use chappe_tl::api::{enums, functions, types};
use tokio::task::JoinSet;

use super::support::{within, TestServer};

/// A constructor id no layer of the schema uses.
const UNKNOWN_METHOD_ID: u32 = 0x0bad_f00d;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_come_back_as_the_right_rpc_errors() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let client = server.connect(server.config()).await;

    let get_me = functions::users::GetUsers {
        id: vec![enums::InputUser::InputUserSelf(types::InputUserSelf)],
    };
    let error = within("users.getUsers", client.invoke(&get_me))
        .await
        .expect_err("no user is logged in");
    assert!(error.is_rpc(401, "AUTH_KEY_UNREGISTERED"), "{error:?}");

    // Allowed before login (auth.*) and not implemented; if it ever is, pick another.
    let unimplemented = functions::auth::ImportWebTokenAuthorization {
        api_id: 1,
        api_hash: "0123456789abcdef0123456789abcdef".into(),
        web_auth_token: "token".into(),
    };
    let error = within(
        "auth.importWebTokenAuthorization",
        client.invoke(&unimplemented),
    )
    .await
    .expect_err("not implemented");
    assert!(error.is_rpc(400, "METHOD_NOT_IMPLEMENTED"), "{error:?}");

    let mut unknown = UNKNOWN_METHOD_ID.to_le_bytes().to_vec();
    unknown.extend_from_slice(&[0; 8]);
    let error = within("unknown method", client.invoke_raw(unknown))
        .await
        .expect_err("unknown method id");
    assert!(error.is_rpc(400, "INPUT_METHOD_INVALID"), "{error:?}");

    // The session survives all of these.
    within(
        "help.getNearestDc",
        client.invoke(&functions::help::GetNearestDc),
    )
    .await
    .expect("still answers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_auth_key_gets_transport_error_404() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let mut bytes = [0u8; 256];
    for (i, b) in bytes.iter_mut().enumerate() {
        // Any key the server never made will do; this one is not random but just as unknown.
        *b = (i as u8)
            .wrapping_mul(167)
            .wrapping_add(server.addr.port() as u8);
    }
    let config = server.config().resume(AuthKey::from_bytes(bytes), 0);
    let client = server.connect(config).await;
    let error = within(
        "call under an unknown key",
        client.invoke(&functions::help::GetNearestDc),
    )
    .await
    .expect_err("the key is unknown");
    assert_eq!(error, InvocationError::AuthKeyNotFound);
    // The connection is over; later calls say why at once.
    let again = within("second call", client.invoke(&functions::help::GetNearestDc))
        .await
        .expect_err("connection closed");
    assert_eq!(again, InvocationError::AuthKeyNotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_calls_on_one_connection_are_all_answered() {
    const CALLS: usize = 300;
    let data = tempfile::tempdir().expect("temp dir");
    let server = TestServer::start(data.path());
    let client = server.connect(server.config()).await;
    let mut calls = JoinSet::new();
    for i in 0..CALLS {
        let client = client.clone();
        calls.spawn(async move {
            if i % 3 == 0 {
                let enums::Config::Config(config) =
                    client.invoke(&functions::help::GetConfig).await?;
                Ok::<i32, InvocationError>(config.this_dc)
            } else {
                let enums::NearestDc::NearestDc(nearest) =
                    client.invoke(&functions::help::GetNearestDc).await?;
                Ok(nearest.this_dc)
            }
        });
    }
    let mut answered = 0;
    while let Some(joined) = within("concurrent calls", calls.join_next()).await {
        let this_dc = joined.expect("task ran").expect("call answered");
        assert_eq!(this_dc, 2);
        answered += 1;
    }
    assert_eq!(answered, CALLS);
}
