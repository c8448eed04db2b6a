//! `kaleyra send` run as a process against the emulator on loopback.

use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use kaleyra_emulator::Emulator;
use tokio::process::Command;

mod common;

use common::{
    Accepted, Failing, TEMPLATES, count, emulator, kaleyra_send, outcome, phone, run, send_command,
    send_through, send_with_templates, serve_counting, write_csv,
};

#[tokio::test]
async fn failed_rows_are_resent_on_a_rerun_and_unknown_ones_only_when_asked() {
    let emulator = Emulator::builder()
        .templates_dir(TEMPLATES)
        .build()
        .unwrap();
    let (accepted, failing) = (Accepted::default(), Failing::default());
    let base_url = serve_counting(&emulator, accepted.clone(), failing.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, line| line);
    // Refused before sending, and a server error that may have sent it.
    failing
        .lock()
        .unwrap()
        .insert(phone(1), StatusCode::BAD_REQUEST);
    failing
        .lock()
        .unwrap()
        .insert(phone(2), StatusCode::INTERNAL_SERVER_ERROR);

    let (code, stdout, _) = run(send_through(&emulator, &base_url, &csv, &[])).await;
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(outcome(&stdout), (1, 1, 1), "{stdout}");
    assert!(stdout.contains("may have reached Kaleyra"), "{stdout}");

    failing.lock().unwrap().clear();
    let (code, stdout, _) = run(send_through(&emulator, &base_url, &csv, &[])).await;
    assert_eq!(code, 1, "the unknown row is still not sent: {stdout}");
    assert_eq!(outcome(&stdout), (2, 0, 1), "{stdout}");
    assert_eq!(
        accepted.lock().unwrap().get(&phone(1)),
        Some(&1),
        "the failed row was sent on the rerun"
    );
    assert_eq!(
        accepted.lock().unwrap().get(&phone(2)),
        None,
        "the unknown row was not resent"
    );

    let (code, stdout, _) = run(send_through(
        &emulator,
        &base_url,
        &csv,
        &["--resend-unknown"],
    ))
    .await;
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(count(&stdout, "sent"), 3, "{stdout}");
    let accepted = accepted.lock().unwrap();
    assert!(
        (0..3).all(|index| accepted.get(&phone(index)) == Some(&1)),
        "{accepted:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_campaign_resumes_and_sends_every_row_once() {
    const ROWS: usize = 20_000;
    let emulator = Emulator::builder()
        .templates_dir(TEMPLATES)
        .build()
        .unwrap();
    let accepted = Accepted::default();
    let base_url = serve_counting(&emulator, accepted.clone(), Failing::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let send = |args: &[&str]| send_through(&emulator, &base_url, &csv, args);
    let sent_so_far = || accepted.lock().unwrap().values().sum::<usize>();

    let mut first = send(&[]).spawn().unwrap();
    let started = Instant::now();
    while sent_so_far() < ROWS / 10 {
        if let Ok(Some(status)) = first.try_wait() {
            panic!("kaleyra finished ({status}) before it could be killed");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no progress: {} sent",
            sent_so_far()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.start_kill().expect("SIGKILL"); // `Child::start_kill` sends SIGKILL on Unix.
    let killed = first.wait().await.unwrap();
    assert_eq!(killed.code(), None, "kaleyra was killed by a signal");
    let before_rerun = sent_so_far();
    assert!(
        before_rerun < ROWS,
        "the first run was stopped part way ({before_rerun} sent)"
    );

    let (code, stdout, stderr) = run(send(&[])).await;
    assert!(
        stderr.contains("resuming"),
        "the rerun resumes the journal: {stderr}"
    );
    let (sent, failed, unknown) = outcome(&stdout);
    assert_eq!(failed, 0, "{stdout}");
    assert_eq!(
        sent + unknown,
        ROWS as u64,
        "every row is sent or unknown: {stdout}"
    );
    assert_eq!(code, if unknown == 0 { 0 } else { 1 }, "{stdout}\n{stderr}");
    if unknown > 0 {
        assert!(
            stdout.contains("may have reached Kaleyra"),
            "unknown rows are reported: {stdout}"
        );
    }

    let accepted = accepted.lock().unwrap();
    let twice = accepted.iter().filter(|(_, count)| **count > 1).count();
    assert_eq!(twice, 0, "no row is sent twice");
    let missing = (0..ROWS)
        .filter(|index| !accepted.contains_key(&phone(*index)))
        .count() as u64;
    assert!(
        missing <= unknown,
        "only unknown rows may be missing: {missing} missing, {unknown} unknown"
    );
    assert_eq!(
        accepted.len() as u64,
        sent + unknown - missing,
        "Kaleyra got the sent rows and the unknown ones that did arrive"
    );
    // Each message carries its row's line as its reference, for status callbacks.
    for message in emulator.messages() {
        let reference = message
            .refs
            .reference
            .as_deref()
            .expect("every message has a ref");
        let line: usize = reference.rsplit(':').next().unwrap().parse().unwrap();
        assert_eq!(
            message.to,
            phone(line - 2),
            "ref {reference} names the row sent"
        );
    }
}

/// Runs `kaleyra send` on a CSV whose text is `csv` and checks it is refused
/// with exit code 3, a message containing `expected`, and nothing sent.
async fn assert_refused(csv: &[u8], expected: &[&str]) {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("campaign.csv");
    std::fs::write(&path, csv).unwrap();
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &path, &[])).await;
    assert_eq!(code, 3, "refused as bad input: {stdout}\n{stderr}");
    for text in expected {
        assert!(stderr.contains(text), "{text:?} is in the error:\n{stderr}");
    }
    assert!(emulator.messages().is_empty(), "nothing is sent");
    assert!(
        !dir.path().join("campaign.journal.db").exists(),
        "a refused load leaves no journal behind"
    );
}

fn csv_text(rows: usize, edit: impl Fn(usize, String) -> String) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::read(write_csv(dir.path(), rows, edit)).unwrap()
}

#[tokio::test]
async fn a_missing_column_is_refused_naming_it() {
    assert_refused(
        b"phone,1\n+919876543210,Asha\n",
        &["no column fills `2`", "booking_confirm"],
    )
    .await;
}

#[tokio::test]
async fn a_bad_phone_on_line_9000_is_refused_before_anything_is_sent() {
    // Row index 8998 is on line 9000: the header is line 1.
    let csv = csv_text(10_000, |index, line| {
        if index == 8_998 {
            format!("12345,Customer {index},BK-{index}")
        } else {
            line
        }
    });
    assert_refused(
        &csv,
        &["line 9000: invalid to", "1 of 10000 rows are invalid"],
    )
    .await;
}

#[tokio::test]
async fn a_value_over_a_limit_is_refused_with_its_line() {
    let long = "x".repeat(1_025);
    let csv = csv_text(20, |index, line| {
        if index == 4 {
            format!("{},{long},BK-4", phone(4))
        } else {
            line
        }
    });
    assert_refused(&csv, &["line 6: invalid body {{1}}", "1024"]).await;
}

#[tokio::test]
async fn a_file_not_in_utf8_is_refused_with_its_line() {
    let mut csv = b"phone,1,2\n+919876543210,Asha,BK-1\n".to_vec();
    csv.extend_from_slice(b"+919876543211,Jos\xe9,BK-2\n");
    assert_refused(&csv, &["  line 3: field 2 is not valid UTF-8"]).await;
}

#[tokio::test]
async fn a_row_with_too_few_fields_is_named_by_its_line_once() {
    let csv = b"phone,1,2\n+919876543210,Asha,BK-1\n+919876543211,Jose\n".to_vec();
    assert_refused(&csv, &["  line 3: has 2 fields, the header has 3\n"]).await;
}

#[tokio::test]
async fn an_empty_file_is_refused() {
    assert_refused(b"", &["is empty"]).await;
}

#[tokio::test]
async fn a_journal_of_another_campaign_is_refused() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, line| line);
    let journal = dir.path().join("shared.db");
    let journal_arg = journal.to_str().unwrap();
    let (code, stdout, stderr) =
        run(kaleyra_send(&emulator, &csv, &["--journal", journal_arg])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(emulator.messages().len(), 3);

    // The same file name with other content is another campaign.
    let csv = write_csv(dir.path(), 4, |_, line| line);
    let (code, _, stderr) = run(kaleyra_send(&emulator, &csv, &["--journal", journal_arg])).await;
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("belongs to another campaign"), "{stderr}");
    assert!(
        stderr.contains("the CSV is not the one it was loaded from")
            && stderr.contains("bytes")
            && stderr.contains("--journal"),
        "the error says what changed and what to do: {stderr}"
    );
    assert_eq!(emulator.messages().len(), 3, "nothing more is sent");
}

#[tokio::test]
async fn a_campaign_folder_moved_elsewhere_resumes_by_its_content() {
    let emulator = Emulator::builder()
        .templates_dir(TEMPLATES)
        .build()
        .unwrap();
    let failing = Failing::default();
    failing
        .lock()
        .unwrap()
        .insert(phone(1), StatusCode::BAD_REQUEST);
    let base_url = serve_counting(&emulator, Accepted::default(), failing.clone()).await;
    let first = tempfile::tempdir().unwrap();
    let csv = write_csv(first.path(), 3, |_, line| line);
    let (code, stdout, _) = run(send_through(&emulator, &base_url, &csv, &[])).await;
    assert_eq!(code, 1, "one row failed: {stdout}");

    // The folder, CSV and journal together, under another path.
    let second = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(first.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::rename(entry.path(), second.path().join(entry.file_name())).unwrap();
    }
    failing.lock().unwrap().clear();
    let moved = second.path().join("campaign.csv");
    let (code, stdout, stderr) = run(send_through(&emulator, &base_url, &moved, &[])).await;
    assert_eq!(code, 0, "resumed: {stdout}\n{stderr}");
    assert!(stderr.contains("resuming"), "{stderr}");
    assert!(
        stderr.contains("loaded from") && stderr.contains(first.path().to_str().unwrap()),
        "it says the CSV moved: {stderr}"
    );
    assert_eq!(outcome(&stdout), (3, 0, 0), "{stdout}");
    let to_failed_row = emulator
        .messages()
        .iter()
        .filter(|message| message.to == phone(1))
        .count();
    assert_eq!(to_failed_row, 1, "only the failed row was sent again");
    assert_eq!(emulator.messages().len(), 3, "no row was sent twice");
}

#[tokio::test]
async fn a_finished_campaign_rerun_sends_nothing() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 5, |_, line| line);
    let (code, stdout, _) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(count(&stdout, "sent"), 5);
    assert_eq!(emulator.messages().len(), 5, "no row is sent twice");
}

#[tokio::test]
async fn a_dry_run_checks_and_prints_the_first_request_without_the_key() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, line| line);
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--dry-run"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("3 valid rows"), "{stdout}");
    assert!(stdout.contains("curl"), "{stdout}");
    assert!(
        stdout.contains("Customer+0"),
        "the first row's request: {stdout}"
    );
    assert!(
        !stdout.contains(emulator.api_key()),
        "the API key is never printed"
    );
    assert!(emulator.messages().is_empty(), "a dry run sends nothing");
    assert!(
        !dir.path().join("campaign.journal.db").exists(),
        "a dry run keeps no journal"
    );
}

#[tokio::test]
async fn skip_invalid_sends_the_valid_rows_and_lists_the_others() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = csv_with_a_bad_phone(dir.path());
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--skip-invalid"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("skipping 1 invalid rows"), "{stderr}");
    assert!(stderr.contains("line 3: invalid to"), "{stderr}");
    assert_eq!(emulator.messages().len(), 3);
}

/// `kaleyra journal report` of the journal `kaleyra send` left in `dir`:
/// the report's CSV text, and what the command printed on stderr.
async fn report_of(dir: &std::path::Path) -> (String, String) {
    let report = dir.join("report.csv");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(["journal", "report", "--journal"])
        .arg(dir.join("campaign.journal.db"))
        .arg("--output")
        .arg(&report)
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (code, _, stderr) = run(command).await;
    assert_eq!(code, 0, "{stderr}");
    (std::fs::read_to_string(&report).unwrap(), stderr)
}

/// A campaign of four rows whose second row's phone is not a number.
fn csv_with_a_bad_phone(dir: &std::path::Path) -> std::path::PathBuf {
    write_csv(dir, 4, |index, line| {
        if index == 1 {
            format!("not-a-phone,Customer {index},BK-{index}")
        } else {
            line
        }
    })
}

#[tokio::test]
async fn a_report_piped_into_a_reader_that_stops_early_ends_quietly() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3_000, |_, line| line);
    let (code, stdout, _) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 0, "{stdout}");

    // As `kaleyra journal report --output - | head -1`: the reader closes
    // its end after the first line.
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(["journal", "report", "--output", "-", "--journal"])
        .arg(dir.path().join("campaign.journal.db"))
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("error"), "no broken-pipe error: {stderr}");
}

#[tokio::test]
async fn the_report_still_takes_its_output_as_csv() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 2, |_, line| line);
    let (code, stdout, _) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 0, "{stdout}");
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(["journal", "report", "--csv", "-", "--journal"])
        .arg(dir.path().join("campaign.journal.db"))
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (code, report, stderr) = run(command).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report.lines().count(), 3, "{report}");
}

#[tokio::test]
async fn rows_skipped_as_invalid_are_in_the_report_and_the_summary_with_why() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = csv_with_a_bad_phone(dir.path());
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--skip-invalid"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("4 rows: 3 sent, 0 failed, 0 unknown, 0 pending, 1 skipped"),
        "the summary counts every row: {stdout}"
    );

    let (report, _) = report_of(dir.path()).await;
    let rows = csv::Reader::from_reader(report.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(rows.len(), 4, "every row: {report}");
    let skipped = rows
        .iter()
        .find(|row| &row[0] == "3")
        .expect("line 3 is in the report");
    assert_eq!(&skipped[1], "", "nothing was sent to it: {skipped:?}");
    assert_eq!(&skipped[2], "skipped", "{skipped:?}");
    assert_eq!(&skipped[6], "invalid", "{skipped:?}");
    assert!(skipped[7].contains("invalid to"), "with why: {skipped:?}");
    assert_eq!(
        &skipped[8], "not-a-phone",
        "the number as written: {skipped:?}"
    );

    // A rerun resumes: the skipped row stays skipped and nothing is sent again.
    let (code, stdout, _) = run(kaleyra_send(&emulator, &csv, &["--skip-invalid"])).await;
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(emulator.messages().len(), 3);
}

#[tokio::test]
async fn a_number_on_two_rows_is_refused_with_both_lines_and_nothing_is_sent() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    // Row 3 repeats row 0's number as a person might write it.
    let csv = write_csv(dir.path(), 4, |index, line| match index {
        0 => "+919811111114,Customer 0,BK-0".to_owned(),
        3 => "+91 98111 11114,Customer 3,BK-3".to_owned(),
        _ => line,
    });
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 3, "refused as bad input: {stdout}\n{stderr}");
    assert!(
        stderr.contains("line 5: +919811111114 is also on line 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--dedupe") && stderr.contains("--allow-duplicates"),
        "{stderr}"
    );
    assert!(emulator.messages().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn dedupe_sends_each_number_once_and_reports_the_repeats_as_skipped() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 4, |index, line| {
        if index == 2 {
            format!("{},Customer {index},BK-{index}", phone(0))
        } else {
            line
        }
    });
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--dedupe"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("skipping 1 rows"), "{stderr}");
    let to_first = emulator
        .messages()
        .iter()
        .filter(|message| message.to == phone(0))
        .count();
    assert_eq!(to_first, 1, "one message to the repeated number");
    assert_eq!(emulator.messages().len(), 3);

    let (report, _) = report_of(dir.path()).await;
    let repeat = report
        .lines()
        .find(|line| line.starts_with("4,"))
        .expect("line 4 is in the report");
    assert!(
        repeat.contains(",skipped,")
            && repeat.contains(",duplicate,")
            && repeat.contains("also on line 2"),
        "{repeat}"
    );
}

#[tokio::test]
async fn allow_duplicates_sends_every_row() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, _| format!("{},Customer,BK-1", phone(0)));
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--allow-duplicates"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(emulator.messages().len(), 3);
}

#[tokio::test]
async fn the_report_lists_every_row_with_its_state_and_message_id() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, line| line);
    let (code, stdout, _) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 0, "{stdout}");

    let (text, stderr) = report_of(dir.path()).await;
    assert!(stderr.contains("3 sent"), "{stderr}");

    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "line,phone,state,message_id,last_status,attempts,error_kind,error,phone_as_written,error_code,error_title"
        )
    );
    let messages = emulator.messages();
    for (index, line) in lines.enumerate() {
        let fields = line.split(',').collect::<Vec<_>>();
        assert_eq!(
            fields[..3],
            [(index + 2).to_string(), phone(index), "sent".to_owned()]
        );
        let stored = messages
            .iter()
            .find(|message| message.to == phone(index))
            .unwrap();
        assert_eq!(fields[3], stored.id, "the report has Kaleyra's message id");
    }
    assert_eq!(text.lines().count(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_gracefully_and_leaves_no_row_unknown() {
    const ROWS: usize = 2_000;
    let emulator = Emulator::builder()
        .templates_dir(TEMPLATES)
        .build()
        .unwrap();
    let accepted = Accepted::default();
    let base_url = serve_counting(&emulator, accepted.clone(), Failing::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let sent_so_far = || accepted.lock().unwrap().values().sum::<usize>();

    let child = send_through(&emulator, &base_url, &csv, &["--rate", "200"])
        .spawn()
        .unwrap();
    let started = Instant::now();
    while sent_so_far() < 100 {
        assert!(started.elapsed() < Duration::from_secs(60), "no progress");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let pid = i32::try_from(child.id().expect("running")).unwrap();
    // SAFETY: `pid` is our own child, still running (it is not awaited yet).
    #[allow(unsafe_code)]
    let signalled = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(signalled, 0);
    let output = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(130),
        "stopped by Ctrl-C, not \"some rows failed\": {stdout}"
    );
    assert!(stdout.contains("stopped"), "{stdout}");
    assert_eq!(
        count(&stdout, "unknown"),
        0,
        "every request in flight was recorded: {stdout}"
    );
    assert_eq!(count(&stdout, "sent") as usize, sent_so_far(), "{stdout}");
    assert!(count(&stdout, "pending") > 0, "{stdout}");

    let (code, stdout, _) = run(send_through(&emulator, &base_url, &csv, &[])).await;
    assert_eq!(code, 0, "{stdout}");
    let accepted = accepted.lock().unwrap();
    assert_eq!(accepted.len(), ROWS);
    assert!(
        accepted.values().all(|count| *count == 1),
        "no row is sent twice"
    );
}

#[tokio::test]
async fn columns_are_matched_whatever_their_case_and_mapped_with_map() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("campaign.csv");
    std::fs::write(
        &csv,
        "Phone,Name,Booking,email\n+919876543210,Asha,BK-1,a@example.com\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(kaleyra_send(
        &emulator,
        &csv,
        &["--dry-run", "--map", "Name=1", "--map", "Booking=2"],
    ))
    .await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("params=%22Asha%22%2C%22BK-1%22"),
        "{stdout}"
    );
    assert!(
        stderr.contains("ignoring columns email"),
        "unread columns are named: {stderr}"
    );

    let (code, _, stderr) = run(kaleyra_send(
        &emulator,
        &csv,
        &["--dry-run", "--map", "Nmae=1"],
    ))
    .await;
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("--map names column `Nmae`, which the CSV does not have"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_wrong_key_stops_after_a_few_requests_and_a_rerun_sends_every_row_once() {
    const ROWS: usize = 40;
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let wrong_key = "not-the-key-of-this-account-0123";
    let account = [emulator.sid(), wrong_key, emulator.v1_number()];
    let base_url = emulator.base_url().to_string();
    let (code, stdout, stderr) = run(send_command(
        account,
        &base_url,
        &csv,
        &["--concurrency", "16"],
    ))
    .await;
    assert_eq!(code, 6, "its own exit code: {stdout}\n{stderr}");
    assert!(stderr.contains("RBC001"), "Kaleyra's code: {stderr}");
    assert!(
        stderr.contains("check KALEYRA_SID and KALEYRA_API_KEY"),
        "what to do: {stderr}"
    );
    assert!(!stderr.contains(wrong_key) && !stdout.contains(wrong_key));
    let requests = emulator.refused().len() as u64;
    assert!(
        (1..=kaleyra_campaign::STOP_AFTER_REFUSALS).contains(&requests),
        "{requests} requests were refused before the campaign stopped"
    );
    assert_eq!(
        outcome(&stdout),
        (0, 0, 0),
        "nothing counts as failed: {stdout}"
    );
    assert_eq!(count(&stdout, "pending"), ROWS as u64, "{stdout}");
    assert!(emulator.messages().is_empty());

    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--concurrency", "16"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(count(&stdout, "sent"), ROWS as u64, "{stdout}");
    let messages = emulator.messages();
    assert_eq!(messages.len(), ROWS);
    for index in 0..ROWS {
        let sent = messages.iter().filter(|m| m.to == phone(index)).count();
        assert_eq!(sent, 1, "row {index} is sent exactly once");
    }
}

#[tokio::test]
async fn a_v1_number_on_v2_stops_with_wa_401_and_says_which_setting_to_check() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 10, |_, line| line);
    let mut send = kaleyra_send(&emulator, &csv, &[]);
    send.env("KALEYRA_API", "v2");
    let (code, stdout, stderr) = run(send).await;
    assert_eq!(code, 6, "{stdout}\n{stderr}");
    assert!(stderr.contains("WA-401"), "{stderr}");
    assert!(stderr.contains("check KALEYRA_API"), "{stderr}");
    assert_eq!(count(&stdout, "pending"), 10, "{stdout}");
    assert!(emulator.refused().len() as u64 <= kaleyra_campaign::STOP_AFTER_REFUSALS);
}

#[tokio::test]
async fn check_credentials_refuses_a_wrong_key_with_the_template_list_before_any_row() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 5, |_, line| line);
    let base_url = emulator.base_url().to_string();
    let v2 = |key: &str| {
        let mut send = send_command(
            [emulator.sid(), key, emulator.v2_number()],
            &base_url,
            &csv,
            &["--check-credentials", "--waba-id", "102290129340398"],
        );
        send.env("KALEYRA_API", "v2");
        send
    };
    let (code, stdout, stderr) = run(v2("not-the-key-of-this-account-0123")).await;
    assert_eq!(code, 6, "{stdout}\n{stderr}");
    assert!(stderr.contains("--check-credentials"), "{stderr}");
    assert!(stderr.contains("RBC001"), "{stderr}");
    assert!(
        stderr.contains("check KALEYRA_SID and KALEYRA_API_KEY"),
        "{stderr}"
    );
    assert!(emulator.messages().is_empty());
    assert!(
        !dir.path().join("campaign.journal.db").exists(),
        "refused before the journal"
    );

    let (code, stdout, stderr) = run(v2(emulator.api_key())).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stderr.contains("credentials checked"), "{stderr}");
    assert_eq!(emulator.messages().len(), 5);
}

#[tokio::test]
async fn a_language_the_account_does_not_have_stops_the_campaign_with_metas_code() {
    const ROWS: usize = 10;
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    // Our file says `fr`; the account has the template in `en` only.
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let file = std::fs::read_to_string(format!("{TEMPLATES}/booking_confirm.json")).unwrap();
    let file = file.replace(r#""language": "en""#, r#""language": "fr""#);
    assert!(file.contains(r#""fr""#), "the copy names fr");
    std::fs::write(templates.join("booking_confirm.json"), file).unwrap();

    let account = [emulator.sid(), emulator.api_key(), emulator.v1_number()];
    let base_url = emulator.base_url().to_string();
    let send = send_with_templates(
        account,
        &base_url,
        &templates,
        &csv,
        &["--concurrency", "8"],
    );
    let (code, stdout, stderr) = run(send).await;
    assert_eq!(code, 6, "{stdout}\n{stderr}");
    assert!(stderr.contains("132001"), "Meta's code: {stderr}");
    assert!(
        stderr.contains("kaleyra templates check"),
        "what to do: {stderr}"
    );
    assert_eq!(count(&stdout, "pending"), ROWS as u64, "{stdout}");
    assert_eq!(count(&stdout, "failed"), 0, "{stdout}");
    assert!(emulator.refused().len() as u64 <= kaleyra_campaign::STOP_AFTER_REFUSALS);
}
