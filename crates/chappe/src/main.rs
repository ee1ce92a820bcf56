//! The `chappe` binary: runs the server and offers the administrative commands.

mod admin;
mod cli;
mod commands;

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    commands::run(cli)
}
