//! `kaleyra journal serve-callbacks`: records Kaleyra's status callbacks
//! (delivered, read, failed) in a campaign's journal.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use clap::Args;
use kaleyra_campaign::{Journal, JournalError, JournalOptions, JournalTarget, StatusOutcome};
use kaleyra_runtime::callbacks::Event;
use kaleyra_runtime::callbacks::{
    Callback, CallbackAuth, CallbackSecret, CallbackSecretError, callback_router,
};

use crate::failure::{Failure, code};

/// The variable the callback secret is read from, for the messages below.
const SECRET_VAR: &str = CallbackSecret::ENV_VAR;

/// How to make a callback secret in a shell: 32 random bytes, URL-safe.
pub const MAKE_A_SECRET: &str = "openssl rand -base64 32 | tr '+/' '-_' | tr -d '='";

/// What is wrong with KALEYRA_CALLBACK_SECRET, in this command's terms.
pub fn secret_problem(error: &CallbackSecretError) -> String {
    match error {
        CallbackSecretError::Missing { .. } => format!("{SECRET_VAR} is not set"),
        other => other.to_string(),
    }
}

/// How often a journal not loaded yet is looked at again.
const WAIT_FOR_LOAD: Duration = Duration::from_millis(250);

/// The arguments of `kaleyra journal serve-callbacks`.
#[derive(Debug, Args)]
#[command(after_long_help = serve_help())]
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

/// The long help of `kaleyra journal serve-callbacks`.
fn serve_help() -> String {
    format!(
        "\
Kaleyra posts each message's statuses (sent, delivered, read, failed) to the message's
callback URL. Send with `kaleyra send --callback-url https://HOST/kaleyra/callbacks` and
serve that path here: each row's last status is recorded in its journal (matched by the
message's ref, or its message id), once per callback, and never moves back (a late `sent`
does not undo `read`). `kaleyra journal report` shows it.

The URL ends with a secret, {SECRET_VAR} (the same for `kaleyra send`), so nobody
else can post statuses: requests without it get 404, as for a path that does not exist, so
the answer does not confirm there is one. Make one with
  {MAKE_A_SECRET}

Bodies over {body_limit_kib} KiB get 413: Kaleyra's callbacks are a few KiB at most.

It logs (on stderr) its address at start, each callback and what became of it, and each
request it refused with why. The secret is never logged: the last segment of every path is
shown as {{secret}}, and query strings are not shown.

It may start before `kaleyra send`: it waits for the campaign to be loaded. Ctrl-C stops it.
",
        body_limit_kib = Callback::BODY_LIMIT / 1024,
    )
}

/// Runs `kaleyra journal serve-callbacks` until Ctrl-C.
pub async fn run(args: ServeArgs) -> Result<u8, Failure> {
    let auth = if args.allow_unauthenticated {
        CallbackAuth::allow_unauthenticated()
    } else {
        CallbackAuth::secret(CallbackSecret::from_env().map_err(|error| {
            Failure::config(format!(
                "{}; give the callback secret in {SECRET_VAR}, the same as for `kaleyra send --callback-url` \
                 (or --allow-unauthenticated). Make one with\n    export {SECRET_VAR}=$({MAKE_A_SECRET})",
                secret_problem(&error)
            ))
        })?)
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|error| Failure::config(format!("cannot listen on {}: {error}", args.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|error| Failure::internal(format!("reading the bound address: {error}")))?;
    let route = if args.allow_unauthenticated {
        args.path.clone()
    } else {
        format!("{}/{{secret}}", args.path.trim_end_matches('/'))
    };
    eprintln!("listening on http://{address}{route}");
    let journal = open_when_loaded(&args.journal).await?;
    eprintln!("recording statuses in {}", journal.target());
    let secured = !args.allow_unauthenticated;
    let router = callback_router(&args.path, auth, {
        let journal = journal.clone();
        move |event: Event| {
            let journal = journal.clone();
            async move { eprintln!("{}", record(&journal, &event).await) }
        }
    })
    // Every other path, so that its refusal is logged too.
    .fallback(|| async { StatusCode::NOT_FOUND })
    .layer(middleware::from_fn(move |request: Request, next: Next| {
        log_refusal(request, next, route.clone(), secured)
    }));
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|error| Failure::internal(format!("serving callbacks: {error}")))?;
    journal.close().await;
    Ok(code::SENT)
}

/// Records `event` in `journal`; the log line that says what became of it.
async fn record(journal: &Journal, event: &Event) -> String {
    let key = event.idempotency_key();
    let reference = match event {
        Event::Status(status) => status
            .references
            .reference
            .as_deref()
            .map(|reference| format!(" (ref {reference})"))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let what = match journal.record_status(event).await {
        Ok(StatusOutcome::Recorded) => "recorded".to_owned(),
        Ok(StatusOutcome::Older) => {
            "not recorded: the row already has this status or a later one".to_owned()
        }
        Ok(StatusOutcome::Repeated) => {
            "not recorded: a repeat of a callback recorded before".to_owned()
        }
        Ok(StatusOutcome::Unmatched) => {
            "not recorded: no row of this journal has its ref or message id".to_owned()
        }
        Ok(_) => "ignored: not a status this journal keeps".to_owned(),
        Err(error) => format!("NOT recorded, the journal failed: {error}"),
    };
    format!("callback {key}{reference}: {what}")
}

/// Logs each request the callback route refused, with why; the path's last
/// segment (where the secret goes) is shown as `{secret}`, and the query
/// string (v1 statuses carry their fields there) not at all.
async fn log_refusal(request: Request, next: Next, route: String, secured: bool) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    if status.is_success() {
        return response;
    }
    let shown = if secured {
        match path.rsplit_once('/') {
            Some((before, _)) => format!("{before}/{{secret}}"),
            None => "{secret}".to_owned(),
        }
    } else {
        path.clone()
    };
    let (parts, body) = response.into_parts();
    // The refusal's own text (a body that is not a callback, and why), if any.
    let body = axum::body::to_bytes(body, Callback::BODY_LIMIT)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body);
    let why = match status {
        StatusCode::NOT_FOUND if secured && shown == route => format!(
            "the URL's last segment is not {SECRET_VAR} (is the same secret given to `kaleyra send`?)"
        ),
        StatusCode::NOT_FOUND => format!("not the callback route {route}"),
        StatusCode::METHOD_NOT_ALLOWED => "only GET and POST are callbacks".to_owned(),
        _ if !text.trim().is_empty() => text.trim().to_owned(),
        _ => status.canonical_reason().unwrap_or("refused").to_owned(),
    };
    eprintln!("refused {method} {shown}: {} {why}", status.as_u16());
    (parts, body).into_response()
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
