//! What each `chappe` command does.

use anyhow::Context;
use chappe_server::{keys, ServerConfig};

use crate::cli::{Cli, Command, KeyArgs, ServeArgs};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(args),
        Command::Key(args) => key(args),
        Command::User(args) => crate::admin::run(args),
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    init_tracing();
    let config = ServerConfig {
        data_dir: args.data,
        listen: args.listen,
        ws_listen: Some(args.ws_listen),
        public_host: args.public_host,
        this_dc: args.this_dc,
        code_hook: args.code_hook,
        dev: args.dev,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let server = chappe_server::Server::start(config).await?;
        println!("{}", server.connection_help());
        tokio::select! {
            res = server.run() => res.map_err(anyhow::Error::from),
            _ = tokio::signal::ctrl_c() => {
                tracing::info!("interrupted; shutting down");
                Ok(())
            }
        }
    })
}

fn key(args: KeyArgs) -> anyhow::Result<()> {
    let key = keys::load_or_create(&args.data).context("loading the server's RSA key")?;
    let pem = key.public_pem().context("encoding the public key")?;
    print!("{pem}");
    if !pem.ends_with('\n') {
        println!();
    }
    println!("fingerprint: {}", key.fingerprint());
    Ok(())
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
