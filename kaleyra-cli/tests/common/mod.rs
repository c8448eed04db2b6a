//! What the `kaleyra` CLI tests share: the command configured for an
//! emulator, CSVs of numbered rows, and a counting proxy in front of the
//! emulator.
#![allow(dead_code)] // Each test binary uses a part.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use kaleyra_emulator::{Emulator, RunningEmulator};
use tokio::process::Command;

pub const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates");

pub async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .templates_dir(TEMPLATES)
        .start()
        .await
        .expect("the emulator starts")
}

/// `kaleyra send --template booking_confirm --csv CSV ARGS..`, configured for `emulator`.
pub fn kaleyra_send(emulator: &RunningEmulator, csv: &Path, args: &[&str]) -> Command {
    let account = [emulator.sid(), emulator.api_key(), emulator.v1_number()];
    send_command(account, emulator.base_url().as_ref(), csv, args)
}

/// `kaleyra send` of `csv` to the server at `base_url`, in front of `emulator`.
pub fn send_through(emulator: &Emulator, base_url: &str, csv: &Path, args: &[&str]) -> Command {
    let account = [emulator.sid(), emulator.api_key(), emulator.v1_number()];
    send_command(account, base_url, csv, args)
}

/// `kaleyra send` with the account `[sid, api_key, from]` (v1) at `base_url`.
pub fn send_command(account: [&str; 3], base_url: &str, csv: &Path, args: &[&str]) -> Command {
    send_with_templates(account, base_url, Path::new(TEMPLATES), csv, args)
}

/// [`send_command`] with the template definitions in `templates`.
pub fn send_with_templates(
    account: [&str; 3],
    base_url: &str,
    templates: &Path,
    csv: &Path,
    args: &[&str],
) -> Command {
    let [sid, api_key, from] = account;
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .arg("send")
        .args(["--template", "booking_confirm", "--dir"])
        .arg(templates)
        .arg("--csv")
        .arg(csv)
        .args(args)
        .env_clear()
        .env("KALEYRA_SID", sid)
        .env("KALEYRA_API_KEY", api_key)
        .env("KALEYRA_FROM", from)
        .env("KALEYRA_API", "v1")
        .env("KALEYRA_BASE_URL", base_url)
        // As fast as the emulator answers, unless a test gives --rate:
        // Kaleyra's tested 20/s, the default, would make the large
        // campaigns here take minutes.
        .env("KALEYRA_RATE", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

pub async fn run(mut command: Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().await.expect("kaleyra runs");
    (
        status.code().expect("kaleyra exits, not killed"),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// The phone number of row `index` (from 0).
pub fn phone(index: usize) -> String {
    format!("+9198{index:08}")
}

/// A CSV of `rows` rows, `phone,1,2`, with `edit` changing row `index`'s line.
pub fn write_csv(dir: &Path, rows: usize, edit: impl Fn(usize, String) -> String) -> PathBuf {
    let mut text = String::from("phone,1,2\n");
    for index in 0..rows {
        text.push_str(&edit(
            index,
            format!("{},Customer {index},BK-{index}", phone(index)),
        ));
        text.push('\n');
    }
    let path = dir.join("campaign.csv");
    std::fs::write(&path, text).expect("the CSV is written");
    path
}

/// The summary's `(sent, failed, unknown)` counts.
pub fn outcome(summary: &str) -> (u64, u64, u64) {
    (
        count(summary, "sent"),
        count(summary, "failed"),
        count(summary, "unknown"),
    )
}

/// The number after `word` in a summary such as `20000 rows: 19990 sent, 0 failed, 10 unknown`.
pub fn count(summary: &str, word: &str) -> u64 {
    let line = summary
        .lines()
        .find(|line| line.contains(" rows: "))
        .unwrap_or_else(|| panic!("no summary in {summary:?}"));
    let words = line
        .split([' ', ',', ':'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>();
    let at = words
        .iter()
        .position(|part| *part == word)
        .unwrap_or_else(|| panic!("no `{word}` in {line:?}"));
    words[at - 1].parse().expect("a count")
}

/// How many times the emulator accepted a message to each number: the
/// emulator's store keeps only its newest messages, so a campaign larger
/// than it is counted as the requests pass.
pub type Accepted = Arc<Mutex<HashMap<String, usize>>>;

/// Recipients whose requests are answered with this status instead of
/// reaching the emulator.
pub type Failing = Arc<Mutex<HashMap<String, StatusCode>>>;

/// Serves `emulator`'s API on loopback, answering requests to `failing`
/// recipients with their status, and counting each accepted v1 message by
/// recipient; returns its base URL.
pub async fn serve_counting(emulator: &Emulator, accepted: Accepted, failing: Failing) -> String {
    async fn count(
        State((accepted, failing)): State<(Accepted, Failing)>,
        request: Request,
        next: Next,
    ) -> Response {
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        let recipients = fields
            .into_iter()
            .filter(|(name, _)| name == "to")
            .map(|(_, to)| to);
        let recipients = recipients.collect::<Vec<_>>();
        let injected = recipients
            .iter()
            .find_map(|to| failing.lock().unwrap().get(to).copied());
        if let Some(status) = injected {
            return (status, "injected failure").into_response();
        }
        let response = next.run(Request::from_parts(parts, Body::from(body))).await;
        if response.status().is_success() {
            let mut accepted = accepted.lock().unwrap();
            for to in recipients {
                *accepted.entry(to).or_default() += 1;
            }
        }
        response
    }
    let router = emulator
        .router()
        .layer(middleware::from_fn_with_state((accepted, failing), count));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

/// A loopback port nothing listens on.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `kaleyra ARGS..` with no environment but the callback `secret`.
pub fn kaleyra_with_secret(args: &[&str], secret: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(args)
        .env_clear()
        .env("KALEYRA_CALLBACK_SECRET", secret)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// `kaleyra journal serve-callbacks` for `journal` with `secret`, once it
/// listens; the process and its address.
pub async fn serve_callbacks(journal: &str, secret: &str) -> (tokio::process::Child, String) {
    let listen = format!("127.0.0.1:{}", free_port());
    let server = kaleyra_with_secret(
        &[
            "journal",
            "serve-callbacks",
            "--journal",
            journal,
            "--listen",
            &listen,
        ],
        secret,
    )
    .spawn()
    .unwrap();
    let started = std::time::Instant::now();
    while tokio::net::TcpStream::connect(&listen).await.is_err() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "serve-callbacks listens"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    (server, listen)
}
