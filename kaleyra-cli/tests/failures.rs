//! Failures after the send, acted on: a `failed` status saying the template
//! is paused stops a campaign mid-way; a storm of 429 answers slows it down
//! without losing a row; the report lists each row's failure code.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use common::{
    count, emulator, kaleyra_send, kaleyra_with_secret, phone, run, send_through, write_csv,
};
use kaleyra_emulator::Emulator;
use tokio::process::Command;

const SECRET: &str = "failures-callbacks-secret-0123456789-abcdef";

fn kaleyra(args: &[&str]) -> Command {
    kaleyra_with_secret(args, SECRET)
}

/// `kaleyra journal serve-callbacks` for `journal`, listening; its address.
async fn serve_callbacks(journal: &str) -> (tokio::process::Child, String) {
    common::serve_callbacks(journal, SECRET).await
}

/// Posts, as Kaleyra would, a v1 `failed` status with Meta's `code` for the
/// message `id` sent with `reference`; the HTTP status of the answer.
async fn post_failed(listen: &str, id: &str, reference: &str, code: &str) -> String {
    let body = serde_urlencoded::to_string([
        ("id", id),
        ("status", "failed"),
        ("error_code", code),
        ("error", "failed after the send"),
        ("ref", reference),
    ])
    .unwrap();
    let request = format!(
        "POST /kaleyra/callbacks/{SECRET} HTTP/1.1\r\nHost: {listen}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(listen).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stream, request.as_bytes())
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stream, &mut answer)
        .await
        .unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

/// `kaleyra journal report` of `journal`: its CSV lines, and its stderr.
async fn report(journal: &str) -> (Vec<HashMap<String, String>>, String) {
    let (code, report, stderr) = run(kaleyra(&[
        "journal",
        "report",
        "--journal",
        journal,
        "--output",
        "-",
    ]))
    .await;
    assert_eq!(code, 0, "{stderr}");
    let mut reader = csv::Reader::from_reader(report.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows = reader
        .records()
        .map(|record| {
            headers
                .iter()
                .map(str::to_owned)
                .zip(record.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (rows, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_template_status_mid_campaign_stops_it_and_the_report_lists_failure_codes() {
    const ROWS: usize = 200;
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let journal = dir.path().join("campaign.journal.db");
    let journal_arg = journal.to_str().unwrap();
    let (_server, listen) = serve_callbacks(journal_arg).await;

    // At Kaleyra's tested 20/s (the default), the 200 rows take 10 s.
    let send = tokio::spawn(run(kaleyra_send(&emulator, &csv, &["--rate", "20"])));
    let started = Instant::now();
    let sent = loop {
        let messages = emulator.messages();
        if messages.len() >= 4 {
            break messages;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the campaign starts"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // Kaleyra's callbacks: the second message is undeliverable, the third
    // fails with a code this tool does not know, the first because the
    // template is paused.
    let message = |index: usize| {
        sent.iter()
            .find(|message| message.to == phone(index))
            .expect("sent")
    };
    for (index, code) in [(1, "131026"), (2, "999001"), (0, "132015")] {
        let message = message(index);
        let reference = message.refs.reference.clone().expect("a ref");
        let answer = post_failed(&listen, &message.id, &reference, code).await;
        assert!(answer.contains(" 200 "), "{answer}");
    }
    let posted = Instant::now();

    let (code, stdout, stderr) = send.await.unwrap();
    assert_eq!(
        code, 6,
        "blocked, as a paused template's answer would:\n{stdout}\n{stderr}"
    );
    assert!(
        posted.elapsed() < Duration::from_secs(5),
        "it stopped soon after the status, not at the end of the campaign"
    );
    assert!(
        stderr.contains("132015") && stderr.contains("paused"),
        "{stderr}"
    );
    let pending = count(&stdout, "pending");
    assert!(pending > 0, "the rows not sent are pending:\n{stdout}");
    assert_eq!(
        count(&stdout, "failed"),
        0,
        "none counted failed:\n{stdout}"
    );
    assert!(emulator.messages().len() < ROWS, "not every row was sent");
    assert!(
        stdout.contains("131026 Message Undeliverable: 1 rows"),
        "failures grouped by code:\n{stdout}"
    );

    let (rows, stderr) = report(journal_arg).await;
    let by_line = |index: usize| {
        rows.iter()
            .find(|row| row["phone"] == phone(index))
            .unwrap()
            .clone()
    };
    assert_eq!(by_line(0)["error_code"], "132015");
    assert_eq!(by_line(0)["error_title"], "Template is Paused");
    assert_eq!(by_line(1)["error_code"], "131026");
    assert_eq!(by_line(1)["error_title"], "Message Undeliverable");
    assert_eq!(
        by_line(2)["error_code"],
        "999001",
        "an unknown code is kept"
    );
    assert_eq!(by_line(2)["error_title"], "");
    assert_eq!(by_line(3)["error_code"], "");
    assert_eq!(by_line(1)["last_status"], "failed");
    for line in [
        "failed with 131026 (Message Undeliverable): 1 rows",
        "999001",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }

    // Once the template is approved again, the same command sends the rest:
    // the status that stopped the last run does not stop this one.
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(count(&stdout, "sent"), ROWS as u64, "{stdout}");
    assert_eq!(count(&stdout, "pending"), 0, "{stdout}");
}

/// Requests `storm` (counted from 0) are answered 429 with `Retry-After:
/// 1`, the others reach the emulator, whose acceptances are counted by
/// recipient.
#[derive(Clone, Default)]
struct Storm {
    requests: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
    accepted: Arc<Mutex<HashMap<String, usize>>>,
}

async fn serve_storm(emulator: &Emulator, storm: Storm, range: std::ops::Range<usize>) -> String {
    async fn answer(
        State((storm, range)): State<(Storm, std::ops::Range<usize>)>,
        request: Request,
        next: Next,
    ) -> Response {
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        let to: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        let to = to
            .into_iter()
            .find(|(name, _)| name == "to")
            .map(|(_, to)| to);
        if range.contains(&storm.requests.fetch_add(1, Ordering::SeqCst)) {
            storm.refused.fetch_add(1, Ordering::SeqCst);
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("Retry-After", "1"), ("Content-Type", "application/json")],
                r#"{"code":"WA429","message":"Too many requests"}"#,
            )
                .into_response();
        }
        let response = next.run(Request::from_parts(parts, Body::from(body))).await;
        if response.status().is_success()
            && let Some(to) = to
        {
            *storm.accepted.lock().unwrap().entry(to).or_default() += 1;
        }
        response
    }
    let router = emulator
        .router()
        .layer(middleware::from_fn_with_state((storm, range), answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_slows_the_campaign_without_losing_a_row() {
    const ROWS: usize = 40;
    let emulator = Emulator::builder()
        .templates_dir(common::TEMPLATES)
        .build()
        .unwrap();
    let storm = Storm::default();
    // After the first five, twelve requests in a row are refused.
    let base_url = serve_storm(&emulator, storm.clone(), 5..17).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);

    let started = Instant::now();
    let (code, stdout, stderr) =
        run(send_through(&emulator, &base_url, &csv, &["--rate", "100"])).await;
    let took = started.elapsed();
    assert_eq!(code, 0, "every row sent in the end:\n{stdout}\n{stderr}");
    assert_eq!(count(&stdout, "sent"), ROWS as u64, "{stdout}");
    assert!(storm.refused.load(Ordering::SeqCst) >= 1, "the storm came");
    let accepted = storm.accepted.lock().unwrap().clone();
    for index in 0..ROWS {
        assert_eq!(
            accepted.get(&phone(index)).copied(),
            Some(1),
            "row {index} sent exactly once: {accepted:?}"
        );
    }
    assert!(
        took >= Duration::from_secs(1),
        "the Retry-After of 1 s was honoured: {took:?}"
    );
    assert!(stderr.contains("slowed down"), "it says so: {stderr}");
}
