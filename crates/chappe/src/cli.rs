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
    /// Manage accounts on a stopped server's data directory.
    User(UserArgs),
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

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    /// Data directory of the server (it must not be running on it).
    #[arg(long, default_value = "chappe-data", global = true)]
    pub data: PathBuf,
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; prints its user id.
    Add {
        /// Phone number (digits; `+`, spaces, dashes and parentheses are ignored).
        #[arg(long)]
        phone: String,
        #[arg(long)]
        first_name: String,
        #[arg(long, default_value = "")]
        last_name: String,
    },
    /// List every account: id, phone, name, username, banned.
    List,
    /// List the sessions (logged-in auth keys) of the account with this phone number.
    Sessions {
        /// Phone number of the account.
        phone: String,
    },
    /// Ban the account with this phone number and end all its sessions.
    Ban {
        /// Phone number of the account.
        phone: String,
    },
    /// Lift the ban of the account with this phone number.
    Unban {
        /// Phone number of the account.
        phone: String,
    },
}
