//! End-to-end tests of the real `chappe` binary, driven by chappe-client over loopback.
//! One test binary (so the large TL crate is linked once); each test starts its own
//! server on its own data directory and ports.

mod e2e {
    pub mod support;

    mod admin;
    mod channel_fanout;
    mod durability;
    mod errors;
    mod key_command;
    mod keys;
    mod persistence;
    mod pfs;
    mod transports;
}
