//! Command-line syntax of `chappe`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "chappe",
    version,
    about = "A Telegram-protocol messaging server"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server on the embedded store.
    Serve(ServeArgs),
    /// Print the server's RSA public key (PKCS#1 PEM) and its fingerprint.
    Key(KeyArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Data directory (store and RSA key); created on first start.
    #[arg(long, default_value = "chappe-data")]
    pub data: PathBuf,
    /// Address for MTProto over TCP (all TCP transports).
    #[arg(long, default_value = "0.0.0.0:8443")]
    pub listen: SocketAddr,
    /// Address for MTProto over WebSocket (path /apiws).
    #[arg(long, default_value = "0.0.0.0:8080")]
    pub ws_listen: SocketAddr,
    /// IPv4 address announced to clients in help.getConfig (default: the listen address, or
    /// 127.0.0.1 when listening on all addresses).
    #[arg(long)]
    pub public_host: Option<String>,
    /// DC id this server reports as its own (it answers for 1..=5).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(i32).range(1..=5))]
    pub this_dc: i32,
    /// Program run as `PROGRAM <phone> <code>` to deliver login codes (e.g. an SMS gateway).
    /// Without it, codes are written to the log.
    #[arg(long)]
    pub code_hook: Option<PathBuf>,
    /// Development mode: also write login codes to the log.
    #[arg(long)]
    pub dev: bool,
}

#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// Data directory (the key is created if it does not exist yet).
    #[arg(long, default_value = "chappe-data")]
    pub data: PathBuf,
}
