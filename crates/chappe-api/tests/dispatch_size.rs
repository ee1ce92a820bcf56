//! `Api::handle` stays small in unoptimised builds: dispatch boxes each
//! method's handler future, so no poll frame gets a slot for every handler
//! (that frame was once close to 1 MB, half a test thread's stack).

use std::net::Ipv4Addr;
use std::sync::Arc;

use chappe_api::{Api, ApiConfig, RequestContext};
use chappe_core::{AccessHashes, Accounts, AccountsConfig, LoggingDelivery};
use chappe_store::MemoryStore;
use chappe_tl::api::{functions, Request};
use chappe_tl::CANONICAL_LAYER;

fn api() -> Api {
    let store: Arc<dyn chappe_store::Store> = Arc::new(MemoryStore::new());
    let accounts = Arc::new(Accounts::new(
        store.clone(),
        AccountsConfig::default(),
        AccessHashes::new([7; 32]),
        [9; 32],
        Arc::new(LoggingDelivery),
    ));
    let messaging = Arc::new(chappe_core::Messaging::new(store.clone()));
    Api::new(
        ApiConfig {
            public_host: Ipv4Addr::new(203, 0, 113, 7),
            ..ApiConfig::default()
        },
        store,
        accounts,
        messaging,
        Arc::new(chappe_api::RecordingFanout::default()),
    )
    .expect("valid config")
}

fn ctx() -> RequestContext {
    RequestContext {
        auth_key_id: 11,
        session_id: 22,
        msg_id: 0,
        temp_auth_key_id: None,
        layer: CANONICAL_LAYER,
        lang_code: "en".into(),
        user_id: Some(1),
        client_ip: None,
        now: 1_750_000_000,
    }
}

#[test]
fn handle_future_is_small() {
    let api = api();
    let ctx = ctx();
    let request = Request::HelpGetNearestDc(functions::help::GetNearestDc);
    let size = std::mem::size_of_val(&api.handle(&ctx, request));
    // Was 12.8 KB with every handler future held in `handle`'s own state.
    assert!(size < 4 * 1024, "Api::handle's future is {size} bytes");
}

/// A call through `Api::handle` fits a stack far smaller than a test
/// thread's: the old single-match frame alone (about 920 KB) would overflow it.
#[test]
fn handle_runs_on_a_small_stack() {
    let answered = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("runtime");
            let api = api();
            let ctx = ctx();
            let request = Request::HelpGetNearestDc(functions::help::GetNearestDc);
            runtime.block_on(api.handle(&ctx, request)).is_ok()
        })
        .expect("spawn")
        .join()
        .expect("no panic");
    assert!(answered);
}
