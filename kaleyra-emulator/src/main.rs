//! `kaleyra-emulator`: a local Kaleyra WhatsApp API with an inbox page.
//!
//! ```text
//! cargo run -p kaleyra-emulator -- --templates templates --port 8080
//! ```

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use kaleyra_emulator::{
    DEFAULT_API_KEY, DEFAULT_SID, DEFAULT_V1_NUMBER, DEFAULT_V2_NUMBER, Emulator, RunningEmulator,
};

/// A local Kaleyra WhatsApp API: checks requests as Kaleyra does, stores the
/// messages, posts status callbacks to loopback URLs, and shows them in an
/// inbox page.
#[derive(Debug, Parser)]
#[command(name = "kaleyra-emulator", version)]
struct Args {
    /// The directory of approved template definitions (`*.json`).
    #[arg(long, value_name = "DIR", default_value = "templates")]
    templates: PathBuf,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The account SID clients must use.
    #[arg(long, default_value = DEFAULT_SID)]
    sid: String,
    /// The API key clients must send (the emulator's own, not a real Kaleyra key).
    #[arg(long, default_value = DEFAULT_API_KEY)]
    api_key: String,
    /// The business number bound to v1.
    #[arg(long, default_value = DEFAULT_V1_NUMBER)]
    v1_number: String,
    /// The business number bound to v2.
    #[arg(long, default_value = DEFAULT_V2_NUMBER)]
    v2_number: String,
    /// Milliseconds between a message's status callbacks.
    #[arg(long, value_name = "MS", default_value_t = 50)]
    callback_delay_ms: u64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let started = Emulator::builder()
        .templates_dir(&args.templates)
        .sid(&args.sid)
        .api_key(&args.api_key)
        .v1_number(&args.v1_number)
        .v2_number(&args.v2_number)
        .host(args.host)
        .port(args.port)
        .callback_delay(Duration::from_millis(args.callback_delay_ms))
        .start()
        .await;
    let emulator = match started {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("kaleyra-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    print_banner(&emulator, &args);

    stop_requested().await;
    println!("stopping");
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

/// Waits for Ctrl-C or, on Unix, SIGTERM.
async fn stop_requested() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            eprintln!("kaleyra-emulator: cannot wait for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    () = ctrl_c => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

fn print_banner(emulator: &RunningEmulator, args: &Args) {
    let templates = emulator.emulator().templates();
    let names: Vec<&str> = templates
        .iter()
        .map(|definition| definition.name.as_str())
        .collect();
    // The emulator's own key, printed on purpose so the developer can use it.
    println!("Kaleyra emulator listening on {}", emulator.base_url());
    println!("  inbox:      {}", emulator.inbox_url());
    println!("  SID:        {}", emulator.sid());
    println!("  API key:    {}", emulator.api_key());
    println!("  v1 number:  {}", emulator.v1_number());
    println!("  v2 number:  {}", emulator.v2_number());
    println!(
        "  templates:  {} from {} ({})",
        templates.len(),
        args.templates.display(),
        names.join(", ")
    );
    println!("Point the client at it:");
    println!(
        "  KALEYRA_BASE_URL={} KALEYRA_SID={} KALEYRA_API_KEY={} KALEYRA_FROM={} KALEYRA_API=v1",
        emulator.base_url(),
        emulator.sid(),
        emulator.api_key(),
        emulator.v1_number()
    );
    if !emulator.local_addr().ip().is_loopback() {
        println!(
            "warning: listening on {}, which is not loopback: anyone who can reach it can send with this key",
            emulator.local_addr().ip()
        );
    }
}
