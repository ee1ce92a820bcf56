//! chappe-load: measures a running chappe server over loopback with chappe-client.
//!
//! - `keys`: full auth-key creations per second, and the server's CPU time per key.
//! - `rpc`: encrypted RPC round trips per second with latency percentiles, and the
//!   server's CPU time per call.
//! - `signups`: complete sign-ups of new accounts per second, and the server's CPU time per
//!   sign-up.
//! - `messages`: 1:1 messages delivered per second between logged-in pairs, the latency
//!   from send to the peer's push, and the server's CPU time per message.
//! - `channel`: one admin's posts to N online channel subscribers: time to the first and
//!   the last push of each post, and the server's CPU time per post.
//!
//! Every run is bounded in count and in time and stops by itself. Client and server
//! share the machine, so the figures are for this machine as a whole; the client's own
//! CPU time is printed next to the server's to show how the cores were split.

mod channel;
mod cli;
mod cpu;
mod keys;
mod messages;
mod report;
mod rpc;
mod signups;
mod workers;

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match cli.command {
            cli::Command::Keys(args) => keys::run(args).await,
            cli::Command::Rpc(args) => rpc::run(args).await,
            cli::Command::Signups(args) => signups::run(args).await,
            cli::Command::Messages(args) => messages::run(args).await,
            cli::Command::Channel(args) => channel::run(args).await,
        }
    })
}
