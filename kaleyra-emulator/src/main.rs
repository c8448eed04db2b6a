//! `kaleyra-emulator`: a local Kaleyra WhatsApp API with an inbox page.
//!
//! ```text
//! cargo run -p kaleyra-emulator -- --templates templates --port 8080
//! cargo install --path kaleyra-emulator && kaleyra-emulator --port 0 --seed 7
//! ```
//!
//! Every flag can also be set by an environment variable,
//! `KALEYRA_EMULATOR_<FLAG>` (`KALEYRA_EMULATOR_PORT=0`), or in a TOML file
//! named by `--config`; a flag wins over its variable, and both over the file.

mod config_file;

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser};
use kaleyra_emulator::{
    AdvancedAuth, AuthMethod, ClientCredentialsIn, DEFAULT_API_KEY, DEFAULT_SID, DEFAULT_V1_NUMBER,
    DEFAULT_V2_NUMBER, Emulator, EmulatorBuilder, FaultRule, RunningEmulator,
};

/// A local Kaleyra WhatsApp API: checks requests as Kaleyra does, stores the
/// messages, posts status callbacks to loopback URLs, and shows them in an
/// inbox page.
#[derive(Debug, Parser)]
#[command(name = "kaleyra-emulator", version)]
struct Args {
    /// Read settings from this TOML file, under the flags' names
    /// (`port = 0`, `callback-header = ["X-Token=…"]`); a flag or an
    /// environment variable wins over it.
    #[arg(long, value_name = "FILE", env = "KALEYRA_EMULATOR_CONFIG")]
    config: Option<PathBuf>,
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
    /// Send this header on every callback, as a callback profile's custom
    /// header: `NAME=VALUE`; repeat for more (the variable holds one).
    #[arg(
        long,
        value_name = "NAME=VALUE",
        env = "KALEYRA_EMULATOR_CALLBACK_HEADER",
        hide_env_values = true
    )]
    callback_header: Vec<String>,
    /// Send `Authorization: Basic` with this user on every callback (with
    /// --callback-basic-password).
    #[arg(
        long,
        value_name = "USER",
        env = "KALEYRA_EMULATOR_CALLBACK_BASIC_USER",
        requires = "callback_basic_password"
    )]
    callback_basic_user: Option<String>,
    /// The Basic password (prefer the variable: a flag shows in `ps`).
    #[arg(
        long,
        value_name = "PASSWORD",
        env = "KALEYRA_EMULATOR_CALLBACK_BASIC_PASSWORD",
        hide_env_values = true,
        requires = "callback_basic_user"
    )]
    callback_basic_password: Option<String>,
    /// Advanced authentication: fetch a bearer token from this auth URL
    /// before posting callbacks (with the client id and secret).
    #[arg(
        long,
        value_name = "URL",
        env = "KALEYRA_EMULATOR_CALLBACK_AUTH_URL",
        requires_all = ["callback_auth_client_id", "callback_auth_client_secret"],
        conflicts_with = "callback_basic_user"
    )]
    callback_auth_url: Option<String>,
    /// The token request's method: GET or POST.
    #[arg(
        long,
        value_name = "METHOD",
        default_value = "POST",
        value_parser = parse_auth_method,
        env = "KALEYRA_EMULATOR_CALLBACK_AUTH_METHOD"
    )]
    callback_auth_method: AuthMethod,
    /// The client id sent to the auth URL.
    #[arg(
        long,
        value_name = "ID",
        env = "KALEYRA_EMULATOR_CALLBACK_AUTH_CLIENT_ID",
        requires = "callback_auth_url"
    )]
    callback_auth_client_id: Option<String>,
    /// The client secret sent to the auth URL (prefer the variable: a flag
    /// shows in `ps`).
    #[arg(
        long,
        value_name = "SECRET",
        env = "KALEYRA_EMULATOR_CALLBACK_AUTH_CLIENT_SECRET",
        hide_env_values = true,
        requires = "callback_auth_url"
    )]
    callback_auth_client_secret: Option<String>,
    /// How the token request carries the client id and secret: `form`
    /// (grant_type=client_credentials&client_id=..&client_secret=..),
    /// `json` (the same fields), or `basic` (Authorization: Basic).
    #[arg(
        long,
        value_name = "FORM|JSON|BASIC",
        default_value = "form",
        value_parser = parse_credentials_in,
        env = "KALEYRA_EMULATOR_CALLBACK_AUTH_CREDENTIALS"
    )]
    callback_auth_credentials: ClientCredentialsIn,
    /// A custom header on the token request: `NAME=VALUE`; repeat for more
    /// (the variable holds one).
    #[arg(
        long,
        value_name = "NAME=VALUE",
        env = "KALEYRA_EMULATOR_CALLBACK_AUTH_HEADER",
        hide_env_values = true,
        requires = "callback_auth_url"
    )]
    callback_auth_header: Vec<String>,
}

fn parse_auth_method(text: &str) -> Result<AuthMethod, String> {
    AuthMethod::parse(text).ok_or_else(|| format!("`{text}` is not GET or POST"))
}

fn parse_credentials_in(text: &str) -> Result<ClientCredentialsIn, String> {
    ClientCredentialsIn::parse(text).ok_or_else(|| format!("`{text}` is not form, json or basic"))
}

/// `NAME=VALUE` of the flag `flag`, split at the first `=`; an error never
/// quotes it, as it may hold the credential.
fn header_pair<'a>(flag: &str, pair: &'a str) -> Result<(&'a str, &'a str), String> {
    pair.split_once('=')
        .ok_or_else(|| format!("{flag} is not NAME=VALUE (it has no `=`; its text is not shown)"))
}

/// The flags, the environment, and the `--config` file, in that order of
/// precedence. clap's own errors (and `--help`) end the process as usual.
fn parse_args() -> Result<Args, String> {
    let command = Args::command();
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = command
        .clone()
        .try_get_matches_from(&argv)
        .unwrap_or_else(|error| error.exit());
    let argv = config_file::with_file_settings(&command, &matches, argv)?;
    let matches = command
        .try_get_matches_from(argv)
        .unwrap_or_else(|error| error.exit());
    Args::from_arg_matches(&matches).map_err(|error| error.to_string())
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
    let args = match parse_args() {
        Ok(args) => args,
        Err(error) => {
            eprintln!("kaleyra-emulator: {error}");
            return ExitCode::FAILURE;
        }
    };
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
    match callback_profile(builder, &args) {
        Ok(configured) => builder = configured,
        Err(error) => {
            eprintln!("kaleyra-emulator: {error}");
            return ExitCode::FAILURE;
        }
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

/// The callback profile the flags set: custom headers, Basic credentials,
/// advanced authentication.
fn callback_profile(mut builder: EmulatorBuilder, args: &Args) -> Result<EmulatorBuilder, String> {
    for pair in &args.callback_header {
        let (name, value) = header_pair("--callback-header", pair)?;
        builder = builder.callback_header(name, value);
    }
    if let (Some(user), Some(password)) = (&args.callback_basic_user, &args.callback_basic_password)
    {
        builder = builder.callback_basic_auth(user, password);
    }
    if let (Some(url), Some(id), Some(secret)) = (
        &args.callback_auth_url,
        &args.callback_auth_client_id,
        &args.callback_auth_client_secret,
    ) {
        let mut auth = AdvancedAuth::new(url, id, secret)
            .method(args.callback_auth_method)
            .credentials_in(args.callback_auth_credentials);
        for pair in &args.callback_auth_header {
            let (name, value) = header_pair("--callback-auth-header", pair)?;
            auth = auth.header(name, value);
        }
        builder = builder.callback_advanced_auth(auth);
    }
    Ok(builder)
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
    for pair in &args.callback_header {
        let name = pair.split_once('=').map_or(pair.as_str(), |(name, _)| name);
        println!("  callbacks carry header {name}: [redacted]");
    }
    if let Some(user) = &args.callback_basic_user {
        println!("  callbacks carry Basic credentials of {user}");
    }
    if let Some(url) = &args.callback_auth_url {
        println!("  callbacks carry a Bearer token from {url}");
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
