//! Statuses from Kaleyra's callbacks, end to end: `kaleyra send
//! --callback-url` to the emulator, which posts each message's statuses to
//! `kaleyra journal serve-callbacks`, whose journal the report then shows.

mod common;

use std::time::{Duration, Instant};

use common::{
    emulator, free_port, kaleyra_send, kaleyra_with_secret, phone, run, serve_callbacks, write_csv,
};
use tokio::process::Command;

const SECRET: &str = "campaign-callbacks-secret-0123456789-abcdef";

fn kaleyra(args: &[&str]) -> Command {
    kaleyra_with_secret(args, SECRET)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivered_and_read_statuses_reach_the_report() {
    const ROWS: usize = 5;
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let journal = dir.path().join("campaign.journal.db");
    let journal_arg = journal.to_str().unwrap();
    // Started first: it waits for the campaign to be loaded.
    let (_server, listen) = serve_callbacks(journal_arg, SECRET).await;

    let callback_url = format!("http://{listen}/kaleyra/callbacks");
    let mut send = kaleyra_send(&emulator, &csv, &["--callback-url", &callback_url]);
    send.env("KALEYRA_CALLBACK_SECRET", SECRET);
    let (code, stdout, stderr) = run(send).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        !stderr.contains(SECRET) && !stdout.contains(SECRET),
        "the secret is never printed"
    );

    let started = Instant::now();
    let report = loop {
        let (code, report, stderr) = run(kaleyra(&[
            "journal",
            "report",
            "--journal",
            journal_arg,
            "--output",
            "-",
        ]))
        .await;
        assert_eq!(code, 0, "{stderr}");
        let statuses = report
            .lines()
            .skip(1)
            .map(|line| line.split(',').nth(4).unwrap_or_default().to_owned())
            .collect::<Vec<_>>();
        if statuses.len() == ROWS && statuses.iter().all(|status| status == "read") {
            break report;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "every row reaches `read`:\n{report}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let messages = emulator.messages();
    for (index, line) in report.lines().skip(1).enumerate() {
        let fields = line.split(',').collect::<Vec<_>>();
        assert_eq!((fields[1], fields[2]), (phone(index).as_str(), "sent"));
        let stored = messages
            .iter()
            .find(|message| message.to == phone(index))
            .unwrap();
        assert_eq!(fields[3], stored.id);
        assert!(
            stored
                .callback_url
                .as_deref()
                .is_some_and(|url| url.ends_with(SECRET)),
            "each message named the callback URL with its secret"
        );
    }
}

#[tokio::test]
async fn a_journal_url_that_cannot_be_read_is_refused_without_its_password() {
    let url = "postgres://kaleyra:s3cret-pass@db.example:99999/campaigns";
    for args in [
        ["journal", "report", "--journal", url, "--output", "-"],
        [
            "journal",
            "serve-callbacks",
            "--journal",
            url,
            "--listen",
            "127.0.0.1:0",
        ],
    ] {
        let (code, stdout, stderr) = run(kaleyra(&args)).await;
        assert_eq!(code, 4, "{args:?}: {stderr}");
        assert!(stderr.contains("invalid port number"), "{args:?}: {stderr}");
        assert!(
            !stdout.contains("s3cret-pass") && !stderr.contains("s3cret-pass"),
            "{args:?}: {stdout}{stderr}"
        );
    }
}

#[tokio::test]
async fn a_callback_url_without_a_secret_is_refused_before_anything_is_sent() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, line| line);
    let (code, stdout, stderr) = run(kaleyra_send(
        &emulator,
        &csv,
        &["--callback-url", "https://example.com/kaleyra/callbacks"],
    ))
    .await;
    assert_eq!(code, 5, "refused as configuration: {stdout}\n{stderr}");
    assert!(
        stderr.contains("KALEYRA_CALLBACK_SECRET is not set"),
        "{stderr}"
    );
    assert!(
        stderr.contains("openssl rand -base64 32 | tr '+/' '-_' | tr -d '='"),
        "how to make one in a shell: {stderr}"
    );
    assert!(
        !stderr.contains("CallbackSecret::"),
        "no Rust API name: {stderr}"
    );
    assert!(emulator.messages().is_empty(), "nothing was sent");
    assert!(!dir.path().join("campaign.journal.db").exists());
}

/// Sends one raw HTTP request to `address`; the answer's status line.
async fn request(address: &str, method: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_callbacks_logs_its_address_each_callback_and_each_refusal_never_the_secret() {
    const ROWS: usize = 2;
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let journal = dir.path().join("campaign.journal.db");
    let journal_arg = journal.to_str().unwrap();
    let listen = format!("127.0.0.1:{}", free_port());
    let server = kaleyra(&[
        "journal",
        "serve-callbacks",
        "--journal",
        journal_arg,
        "--listen",
        &listen,
    ])
    .spawn()
    .unwrap();
    let started = Instant::now();
    while tokio::net::TcpStream::connect(&listen).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "it listens");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let callback_url = format!("http://{listen}/kaleyra/callbacks");
    let mut send = kaleyra_send(&emulator, &csv, &["--callback-url", &callback_url]);
    send.env("KALEYRA_CALLBACK_SECRET", SECRET);
    let (code, stdout, stderr) = run(send).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    // Each message gets `sent`, `delivered` and `read`, posted in turn.
    let started = Instant::now();
    while emulator
        .messages()
        .iter()
        .any(|message| message.callbacks.len() < 3)
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "statuses are posted"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let wrong_secret = "not-the-secret-0123456789-abcdefghijkl";
    let answer = request(
        &listen,
        "POST",
        &format!("/kaleyra/callbacks/{wrong_secret}"),
    )
    .await;
    assert!(answer.contains("404"), "{answer}");
    let answer = request(&listen, "GET", "/elsewhere/callbacks?status=read").await;
    assert!(answer.contains("404"), "{answer}");
    // The log lines are written before the answers go out.
    let mut server = server;
    server.start_kill().unwrap();
    let output = server.wait_with_output().await.unwrap();
    let log = String::from_utf8_lossy(&output.stderr);

    assert!(
        log.contains(&format!(
            "listening on http://{listen}/kaleyra/callbacks/{{secret}}"
        )),
        "its address: {log}"
    );
    assert!(
        log.lines()
            .filter(|line| line.ends_with(": recorded"))
            .count()
            >= ROWS,
        "each callback recorded: {log}"
    );
    assert!(
        log.contains("refused POST /kaleyra/callbacks/{secret}: 404 the URL's last segment is not KALEYRA_CALLBACK_SECRET"),
        "a wrong secret, and why: {log}"
    );
    assert!(
        log.contains("refused GET /elsewhere/{secret}: 404 not the callback route /kaleyra/callbacks/{secret}"),
        "another path, and why: {log}"
    );
    assert!(!log.contains(SECRET), "the secret is never logged: {log}");
    assert!(!log.contains(wrong_secret), "nor what was tried: {log}");
    assert!(!log.contains("status=read"), "nor query strings: {log}");
}

#[tokio::test]
async fn serve_callbacks_without_a_secret_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("campaign.journal.db");
    let mut command = kaleyra(&[
        "journal",
        "serve-callbacks",
        "--journal",
        journal.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ]);
    command.env_remove("KALEYRA_CALLBACK_SECRET");
    let (code, _, stderr) = run(command).await;
    assert_eq!(code, 5, "{stderr}");
    assert!(
        stderr.contains("KALEYRA_CALLBACK_SECRET is not set"),
        "{stderr}"
    );
    assert!(
        stderr.contains("openssl rand -base64 32 | tr '+/' '-_' | tr -d '='"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("CallbackSecret::"),
        "no Rust API name: {stderr}"
    );
}
