//! Statuses from Kaleyra's callbacks, end to end: `kaleyra send
//! --callback-url` to the emulator, which posts each message's statuses to
//! `kaleyra journal serve-callbacks`, whose journal the report then shows.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{emulator, kaleyra_send, phone, run, write_csv};
use tokio::process::Command;

const SECRET: &str = "campaign-callbacks-secret-0123456789-abcdef";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn kaleyra(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(args)
        .env_clear()
        .env("KALEYRA_CALLBACK_SECRET", SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivered_and_read_statuses_reach_the_report() {
    const ROWS: usize = 5;
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let journal = dir.path().join("campaign.journal.db");
    let journal_arg = journal.to_str().unwrap();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");

    // Started first: it waits for the campaign to be loaded.
    let _server = kaleyra(&[
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
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve-callbacks listens"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

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
            "--csv",
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
        ["journal", "report", "--journal", url, "--csv", "-"],
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
