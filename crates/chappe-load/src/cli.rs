//! Command-line syntax of `chappe-load`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use chappe_client::{ClientConfig, TransportKind};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "chappe-load",
    about = "Load generator for a chappe server on loopback"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Full auth-key creations over concurrent connections.
    Keys(KeysArgs),
    /// Encrypted RPC round trips (help.getNearestDc) with several calls in flight.
    Rpc(RpcArgs),
    /// Complete sign-ups of new accounts: new key, auth.sendCode, auth.signIn.
    Signups(SignupsArgs),
    /// 1:1 messages between pairs of logged-in users: delivery rate and latency.
    Messages(MessagesArgs),
    /// Channel post fan-out: time from a post to the first and last of N subscribers.
    Channel(ChannelArgs),
}

/// What every benchmark needs: where the server is and how to trust it.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// The server's MTProto TCP address (loopback only).
    #[arg(long)]
    pub server: SocketAddr,
    /// The server's RSA public key, as `chappe key` prints it (the fingerprint line is
    /// ignored).
    #[arg(long)]
    pub key: PathBuf,
    /// The server's process id, to read its CPU time from /proc; without it only
    /// client-side figures are printed.
    #[arg(long)]
    pub server_pid: Option<u32>,
    /// Transport framing.
    #[arg(long, value_enum, default_value_t = Transport::Abridged)]
    pub transport: Transport,
    /// Wrap the stream in obfuscated2.
    #[arg(long)]
    pub obfuscated: bool,
}

#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    #[command(flatten)]
    pub target: Target,
    /// Concurrent connections, each creating keys one after another.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub connections: u32,
    /// Keys to create in total.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub count: u64,
    /// Stop after this many seconds even if not all keys are made.
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub max_seconds: u64,
}

#[derive(Debug, clap::Args)]
pub struct SignupsArgs {
    #[command(flatten)]
    pub target: Target,
    /// Concurrent workers, each signing up accounts one after another.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub connections: u32,
    /// Accounts to sign up in total (at most 30,000: the test numbers).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=30_000))]
    pub count: u64,
    /// Stop after this many seconds even if not all accounts are made.
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub max_seconds: u64,
}

#[derive(Debug, clap::Args)]
pub struct MessagesArgs {
    #[command(flatten)]
    pub target: Target,
    /// Pairs of users, each user on its own connection; the first of a pair sends to the
    /// second.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub pairs: u32,
    /// messages.sendMessage calls in flight per sender.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=128))]
    pub in_flight: u32,
    /// Seconds measured.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub duration: u64,
    /// Seconds of sending before measuring starts.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=600))]
    pub warmup: u64,
    /// Index of the first test number used (0 = 9996610000, 10000 = 9996620000, ...);
    /// the run uses 2 × pairs numbers from there. Keep runs that share a data directory
    /// (or a concurrent signups run) on separate ranges.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u64).range(0..30_000))]
    pub first_number: u64,
}

#[derive(Debug, clap::Args)]
pub struct ChannelArgs {
    #[command(flatten)]
    pub target: Target,
    /// Subscribers online during the posts, each on its own connection and auth key
    /// (check `ulimit -n` of both processes for large counts).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=29_999))]
    pub subscribers: u32,
    /// Posts, sent one after the other once the previous one reached every subscriber.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub posts: u32,
    /// Subscriber logins (connect, sign-in, join) in flight at once.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=4_096))]
    pub in_flight: u32,
    /// Index of the admin's test number (0 = 9996610000, 10000 = 9996620000, ...); the
    /// subscribers take the numbers after it.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..30_000))]
    pub first_number: u64,
}

#[derive(Debug, clap::Args)]
pub struct RpcArgs {
    #[command(flatten)]
    pub target: Target,
    /// Concurrent connections (each with its own key and session).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub connections: u32,
    /// Calls in flight per connection.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub in_flight: u32,
    /// Seconds measured.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub duration: u64,
    /// Seconds of calls before measuring starts (connections warm up, caches fill).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(0..=600))]
    pub warmup: u64,
    /// Most calls in total, however fast the server is.
    #[arg(long, default_value_t = 100_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_calls: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Transport {
    Abridged,
    Intermediate,
    Padded,
    Full,
}

impl Target {
    /// The client config these arguments describe.
    pub fn client_config(&self) -> anyhow::Result<ClientConfig> {
        anyhow::ensure!(
            self.server.ip().is_loopback(),
            "chappe-load only talks to loopback addresses, not {}",
            self.server
        );
        let text = std::fs::read_to_string(&self.key)
            .with_context(|| format!("reading {}", self.key.display()))?;
        let pem = pem_block(&text).context("no RSA PUBLIC KEY block in the key file")?;
        let kind = match self.transport {
            Transport::Abridged => TransportKind::Abridged,
            Transport::Intermediate => TransportKind::Intermediate,
            Transport::Padded => TransportKind::PaddedIntermediate,
            Transport::Full => TransportKind::Full,
        };
        Ok(ClientConfig::from_pem(self.server, pem)
            .context("parsing the server's public key")?
            .transport(kind)
            .obfuscated(self.obfuscated))
    }
}

/// The PEM block of `chappe key`'s output, without the fingerprint line after it.
fn pem_block(text: &str) -> Option<&str> {
    const END: &str = "-----END RSA PUBLIC KEY-----";
    let start = text.find("-----BEGIN RSA PUBLIC KEY-----")?;
    let end = text.find(END)? + END.len();
    text.get(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pem_block_is_cut_out_of_chappe_key_output() {
        let output =
            "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\nfingerprint: 42\n";
        assert_eq!(
            pem_block(output),
            Some("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----")
        );
        assert_eq!(pem_block("fingerprint: 42"), None);
    }
}
