//! Session-layer tests: client and server state machines talking in memory
//! (`round_trips`), the server's MTProto checks driven by hand-made messages
//! (`server_rules`), and arbitrary input into the server (`fuzzish`).

mod fuzzish;
mod pair;
mod round_trips;
mod server_rules;
