//! The `chappe` binary: runs the server and offers the administrative commands.

mod admin;
mod cli;
mod commands;

use clap::Parser;

// The server allocates and frees many short-lived buffers per message (TL
// bodies, encrypted packets, the store's page buffers); glibc's allocator
// spent about a fifth of the server's time on them under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    commands::run(cli)
}
