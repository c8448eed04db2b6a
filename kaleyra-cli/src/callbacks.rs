//! `kaleyra journal serve-callbacks`: records Kaleyra's status callbacks
//! (delivered, read, failed) in a campaign's journal.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use kaleyra_campaign::{Journal, JournalError, JournalOptions, JournalTarget};
use kaleyra_runtime::CallbackSecret;
use kaleyra_runtime::webhook::CallbackAuth;

use crate::failure::{Failure, code};

/// How often a journal not loaded yet is looked at again.
const WAIT_FOR_LOAD: Duration = Duration::from_millis(250);

/// The arguments of `kaleyra journal serve-callbacks`.
#[derive(Debug, Args)]
#[command(after_long_help = SERVE_HELP)]
pub struct ServeArgs {
    /// The campaign's journal: an SQLite file or a `postgres://` URL.
    #[arg(long, env = "KALEYRA_JOURNAL")]
    pub journal: PathBuf,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The path callbacks are posted to; the secret is the segment after it.
    #[arg(long, default_value = "/kaleyra/callbacks")]
    pub path: String,
    /// Accept callbacks without the secret in their URL (anyone who can
    /// reach the server can then post fake statuses).
    #[arg(long)]
    pub allow_unauthenticated: bool,
}

const SERVE_HELP: &str = "\
Kaleyra posts each message's statuses (sent, delivered, read, failed) to the message's
callback URL. Send with `kaleyra send --callback-url https://HOST/kaleyra/callbacks` and
serve that path here: each row's last status is recorded in its journal (matched by the
message's ref, or its message id), once per callback, and never moves back (a late `sent`
does not undo `read`). `kaleyra journal report` shows it.

The URL ends with a secret, KALEYRA_CALLBACK_SECRET (the same for `kaleyra send`), so nobody
else can post statuses: requests without it get 404. Make one with
  openssl rand -base64 32 | tr '+/' '-_' | tr -d '='

It may start before `kaleyra send`: it waits for the campaign to be loaded. Ctrl-C stops it.
";

/// Runs `kaleyra journal serve-callbacks` until Ctrl-C.
pub async fn run(args: ServeArgs) -> Result<u8, Failure> {
    let auth = if args.allow_unauthenticated {
        CallbackAuth::allow_unauthenticated()
    } else {
        CallbackAuth::secret(CallbackSecret::from_env().map_err(|error| {
            Failure::config(format!(
                "{error}; give the callback secret in KALEYRA_CALLBACK_SECRET, as for `kaleyra send --callback-url` (or --allow-unauthenticated)"
            ))
        })?)
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|error| Failure::config(format!("cannot listen on {}: {error}", args.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|error| Failure::internal(format!("reading the bound address: {error}")))?;
    let journal = open_when_loaded(&args.journal).await?;
    let secret_part = if args.allow_unauthenticated {
        ""
    } else {
        "/<KALEYRA_CALLBACK_SECRET>"
    };
    println!(
        "recording statuses in {} from http://{address}{}{secret_part}",
        journal.target(),
        args.path.trim_end_matches('/')
    );
    let router = kaleyra_campaign::status_router(journal.clone(), &args.path, auth);
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|error| Failure::internal(format!("serving callbacks: {error}")))?;
    journal.close().await;
    Ok(code::SENT)
}

/// Opens the journal for statuses, waiting while no campaign is loaded in it.
async fn open_when_loaded(location: &std::path::Path) -> Result<Journal, Failure> {
    let target = JournalTarget::from_path(location).map_err(Failure::journal_target)?;
    let mut told = false;
    loop {
        match Journal::open(target.clone(), JournalOptions::statuses()).await {
            Ok(journal) => return Ok(journal),
            Err(JournalError::NotLoaded { journal, .. }) => {
                if !told {
                    eprintln!("waiting for a campaign to be loaded into {journal}");
                    told = true;
                }
                tokio::time::sleep(WAIT_FOR_LOAD).await;
            }
            Err(error) => return Err(Failure::journal(error)),
        }
    }
}
