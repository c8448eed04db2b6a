//! Several `kaleyra send` workers sharing one campaign through a PostgreSQL
//! journal, against the emulator on loopback, one of them killed.

mod common;

use std::process::Output;
use std::time::{Duration, Instant};

use common::{
    Accepted, Failing, TEMPLATES, count, outcome, phone, send_through, serve_counting, write_csv,
};
use kaleyra_emulator::Emulator;
use kaleyra_test_support::postgres::PostgresServer;

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_one_killed_send_every_row_once() {
    const ROWS: usize = 20_000;
    let server = PostgresServer::start();
    let journal = server.create_database("campaign");
    let emulator = Emulator::builder()
        .templates_dir(TEMPLATES)
        .build()
        .unwrap();
    let accepted = Accepted::default();
    let base_url = serve_counting(&emulator, accepted.clone(), Failing::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    // A short lease: the survivors take the killed worker's rows soon.
    let args = ["--journal", journal.as_str(), "--lease-secs", "2"];
    let send = |extra: &[&str]| {
        let all = args.iter().chain(extra).copied().collect::<Vec<_>>();
        send_through(&emulator, &base_url, &csv, &all)
    };
    let sent_so_far = || accepted.lock().unwrap().values().sum::<usize>();

    let mut workers = (0..3)
        .map(|_| send(&[]).spawn().unwrap())
        .collect::<Vec<_>>();
    let started = Instant::now();
    while sent_so_far() < ROWS / 10 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no progress: {} sent",
            sent_so_far()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut killed = workers.remove(0);
    assert!(
        killed.try_wait().unwrap().is_none(),
        "the first worker was still running when killed"
    );
    killed.start_kill().expect("SIGKILL");
    let killed = killed.wait_with_output().await.unwrap();
    assert_eq!(killed.status.code(), None, "killed by a signal");
    let killed_at = sent_so_far();
    assert!(killed_at < ROWS, "killed part way ({killed_at} sent)");

    let mut loads = usize::from(text(&killed).1.contains("checked 20000 rows"));
    let mut unknown = None;
    for worker in workers {
        let output = worker.wait_with_output().await.unwrap();
        let (stdout, stderr) = text(&output);
        loads += usize::from(stderr.contains("checked 20000 rows"));
        let (sent, failed, left) = outcome(&stdout);
        assert_eq!(failed, 0, "{stdout}\n{stderr}");
        assert_eq!(
            sent + left,
            ROWS as u64,
            "each survivor finishes the campaign: {stdout}\n{stderr}"
        );
        let expected_code = if left == 0 { 0 } else { 1 };
        assert_eq!(
            output.status.code(),
            Some(expected_code),
            "{stdout}\n{stderr}"
        );
        assert!(
            unknown.is_none_or(|unknown| unknown == left),
            "both survivors report the same journal"
        );
        unknown = Some(left);
    }
    assert_eq!(
        loads, 1,
        "one worker loaded the CSV, the others waited for it"
    );
    let unknown = unknown.unwrap();

    let missing = {
        let accepted = accepted.lock().unwrap();
        let twice = accepted.values().filter(|count| **count > 1).count();
        assert_eq!(twice, 0, "no row is sent twice");
        (0..ROWS)
            .filter(|index| !accepted.contains_key(&phone(*index)))
            .collect::<Vec<_>>()
    };
    assert!(
        missing.len() as u64 <= unknown,
        "only unknown rows may be missing: {} missing, {unknown} unknown",
        missing.len()
    );

    // The unknown rows are sent again only when asked: the missing ones once.
    let rerun = send(&["--resend-unknown"]).output().await.unwrap();
    let (stdout, stderr) = text(&rerun);
    assert_eq!(rerun.status.code(), Some(0), "{stdout}\n{stderr}");
    assert_eq!(count(&stdout, "sent"), ROWS as u64, "{stdout}");
    let accepted = accepted.lock().unwrap();
    assert!(
        missing
            .iter()
            .all(|index| accepted.get(&phone(*index)) == Some(&1)),
        "every missing row is sent once"
    );
    let twice = accepted.values().filter(|count| **count > 1).count() as u64;
    assert_eq!(
        twice,
        unknown - missing.len() as u64,
        "only the unknown rows that had arrived are sent twice"
    );
    assert_eq!(accepted.len(), ROWS, "every row arrived");
}
