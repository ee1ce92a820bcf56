//! MTProto service messages (`schema/mtproto.tl`): the auth-key handshake
//! (resPQ, p_q_inner_data*, server_DH_*, client_DH_inner_data, dh_gen_*),
//! acks, salts, pings, session notifications. Types the schema cannot
//! express (`message`, `msg_container`, `rpc_result`, `gzip_packed`) are
//! hand-written in [`raw`].

pub mod raw;

/// The generated part, in its own module so lints can be relaxed for it only.
#[allow(
    clippy::all,
    clippy::pedantic,
    missing_docs,
    non_camel_case_types,
    unused_parens
)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/mtproto.rs"));
}

pub use generated::{enums, functions, types, Request};
