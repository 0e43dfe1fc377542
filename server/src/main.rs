//! The `standpunt` binary: parses the command line and runs the server.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Parser;
use server::Config;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Standpunt: a statement-and-role card game for learning sessions in the social domain.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Folder for the event store.
    #[arg(long, default_value = "./standpunt-data")]
    data: PathBuf,
    /// Folder with extra deck files (*.toml) to offer besides the built-in decks.
    #[arg(long)]
    decks: Option<PathBuf>,
    /// Folder with the built browser client.
    #[arg(long, default_value = "./target/client")]
    client: PathBuf,
    /// Minutes a dropped player's seat is kept for them.
    #[arg(long, default_value_t = 10)]
    seat_hold_minutes: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let cli = Cli::parse();
    let mut config = Config::new(cli.data);
    config.client_dir = Some(cli.client);
    config.seat_hold = std::time::Duration::from_secs(cli.seat_hold_minutes * 60);
    if let Some(folder) = cli.decks {
        load_decks(&mut config, &folder)?;
    }
    let listener = TcpListener::bind(cli.addr).await.with_context(|| format!("cannot listen on {}", cli.addr))?;
    let addr = listener.local_addr()?;
    println!("Standpunt draait op http://{addr}/  (Standpunt is running at http://{addr}/)");
    server::run(listener, config, shutdown_signal()).await
}

/// Adds every `*.toml` deck in `folder`; any invalid file stops the start with all its errors.
fn load_decks(config: &mut Config, folder: &std::path::Path) -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot read deck folder {}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    for path in files {
        let source = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        config.library.add_file(&path.display().to_string(), &source)?;
    }
    Ok(())
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
