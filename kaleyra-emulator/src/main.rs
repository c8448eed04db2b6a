//! `kaleyra-emulator`: a local Kaleyra WhatsApp API with an inbox page.
//!
//! ```text
//! cargo run -p kaleyra-emulator -- --templates templates --port 8080
//! cargo install --path kaleyra-emulator && kaleyra-emulator --port 0 --seed 7
//! ```
//!
//! Every flag can also be set by an environment variable,
//! `KALEYRA_EMULATOR_<FLAG>` (`KALEYRA_EMULATOR_PORT=0`); a flag wins over
//! its variable.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use kaleyra_emulator::{
    DEFAULT_API_KEY, DEFAULT_SID, DEFAULT_V1_NUMBER, DEFAULT_V2_NUMBER, Emulator, FaultRule,
    RunningEmulator,
};

/// A local Kaleyra WhatsApp API: checks requests as Kaleyra does, stores the
/// messages, posts status callbacks to loopback URLs, and shows them in an
/// inbox page.
#[derive(Debug, Parser)]
#[command(name = "kaleyra-emulator", version)]
struct Args {
    /// The directory of approved template definitions (`*.json`).
    #[arg(
        long,
        value_name = "DIR",
        default_value = "templates",
        env = "KALEYRA_EMULATOR_TEMPLATES"
    )]
    templates: PathBuf,
    /// The port to listen on (0 picks a free one; the first line printed names it).
    #[arg(long, default_value_t = 8080, env = "KALEYRA_EMULATOR_PORT")]
    port: u16,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1", env = "KALEYRA_EMULATOR_HOST")]
    host: IpAddr,
    /// The account SID clients must use.
    #[arg(long, default_value = DEFAULT_SID, env = "KALEYRA_EMULATOR_SID")]
    sid: String,
    /// The API key clients must send (the emulator's own, not a real Kaleyra key).
    #[arg(long, default_value = DEFAULT_API_KEY, env = "KALEYRA_EMULATOR_API_KEY", hide_env_values = true)]
    api_key: String,
    /// The business number bound to v1.
    #[arg(long, default_value = DEFAULT_V1_NUMBER, env = "KALEYRA_EMULATOR_V1_NUMBER")]
    v1_number: String,
    /// The business number bound to v2.
    #[arg(long, default_value = DEFAULT_V2_NUMBER, env = "KALEYRA_EMULATOR_V2_NUMBER")]
    v2_number: String,
    /// Milliseconds between a message's status callbacks.
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 50,
        env = "KALEYRA_EMULATOR_CALLBACK_DELAY_MS"
    )]
    callback_delay_ms: u64,
    /// Milliseconds a template created or edited through the API stays
    /// PENDING before it is APPROVED (or REJECTED, with its reason).
    #[arg(
        long,
        value_name = "MS",
        default_value_t = 2000,
        env = "KALEYRA_EMULATOR_TEMPLATE_REVIEW_DELAY_MS"
    )]
    template_review_delay_ms: u64,
    /// Reject templates of this name at review with this reason:
    /// `NAME=REASON`; repeat for more.
    #[arg(long, value_name = "NAME=REASON")]
    reject_template: Vec<String>,
    /// Post each template review's outcome here (plain http on loopback),
    /// as Kaleyra's template-status callback.
    #[arg(long, value_name = "URL", env = "KALEYRA_EMULATOR_TEMPLATE_STATUS_URL")]
    template_status_url: Option<String>,
    /// Post the messages simulated customers write here (plain http on
    /// loopback), as Kaleyra posts incoming messages to a number's Incoming
    /// URL; unset, they go to the callback URL of the newest message the
    /// business number sent that customer.
    #[arg(long, value_name = "URL", env = "KALEYRA_EMULATOR_INCOMING_URL")]
    incoming_url: Option<String>,
    /// Draw message ids from this seed: the same requests in the same order
    /// get the same ids on every run.
    #[arg(long, env = "KALEYRA_EMULATOR_SEED")]
    seed: Option<u64>,
    /// A JSON file holding an array of fault rules to set at start, each as
    /// `POST /emulator/faults` takes it.
    #[arg(long, value_name = "FILE", env = "KALEYRA_EMULATOR_FAULTS")]
    faults: Option<PathBuf>,
}

/// The fault rules in `path`, a JSON array; an error names the file and why.
fn read_faults(path: &std::path::Path) -> Result<Vec<FaultRule>, String> {
    let text = std::fs::read(path)
        .map_err(|error| format!("cannot read the faults file `{}`: {error}", path.display()))?;
    serde_json::from_slice(&text).map_err(|error| {
        format!(
            "the faults file `{}` is not a JSON array of fault rules: {error}",
            path.display()
        )
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let faults = match args.faults.as_deref().map(read_faults).transpose() {
        Ok(faults) => faults.unwrap_or_default(),
        Err(error) => {
            eprintln!("kaleyra-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut builder = Emulator::builder();
    if let Some(url) = &args.incoming_url {
        builder = builder.incoming_url(url);
    }
    if let Some(url) = &args.template_status_url {
        builder = builder.template_status_url(url);
    }
    for rule in &args.reject_template {
        let Some((name, reason)) = rule.split_once('=') else {
            eprintln!("kaleyra-emulator: --reject-template `{rule}` is not NAME=REASON");
            return ExitCode::FAILURE;
        };
        builder = builder.reject_template(name, reason);
    }
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    let started = builder
        .templates_dir(&args.templates)
        .sid(&args.sid)
        .api_key(&args.api_key)
        .v1_number(&args.v1_number)
        .v2_number(&args.v2_number)
        .host(args.host)
        .port(args.port)
        .callback_delay(Duration::from_millis(args.callback_delay_ms))
        .template_review_delay(Duration::from_millis(args.template_review_delay_ms))
        .start()
        .await;
    let emulator = match started {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("kaleyra-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    for (at, rule) in faults.into_iter().enumerate() {
        if let Err(error) = emulator.add_fault(rule) {
            eprintln!(
                "kaleyra-emulator: the faults file's rule {} (from 1): {error}",
                at + 1
            );
            return ExitCode::FAILURE;
        }
    }
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
    println!("  ready:      {}/emulator/ready", emulator.base_url());
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
    if let Some(seed) = args.seed {
        println!("  ids from seed {seed}");
    }
    for fault in emulator.faults() {
        println!("  fault set:  {} {:?}", fault.id, fault.rule.action);
    }
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
