//! `kaleyra send` on the CSVs people have: a dry run with no credentials,
//! semicolon and tab files, missing columns, and a 100,000-row file with
//! every kind of bad row, run as a process.

use std::path::Path;
use std::process::Stdio;

use tokio::process::Command;

mod common;

use common::{TEMPLATES, count, emulator, kaleyra_send, phone, run, write_csv};

/// `kaleyra send --template booking_confirm --csv CSV ARGS..` with no
/// environment at all: no SID, no API key, no business number.
fn kaleyra_without_credentials(csv: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(["send", "--template", "booking_confirm", "--dir", TEMPLATES])
        .arg("--csv")
        .arg(csv)
        .args(args)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

#[tokio::test]
async fn a_dry_run_needs_no_credentials_and_says_what_stands_in_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, line| line);
    let (code, stdout, stderr) = run(kaleyra_without_credentials(&csv, &["--dry-run"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("3 valid rows"), "{stdout}");
    assert!(stdout.contains("Customer+0"), "the first request: {stdout}");
    assert!(
        stderr.contains("KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM not set"),
        "{stderr}"
    );
    assert!(stderr.contains("KALEYRA_FROM (`+10000000000`)"), "{stderr}");
    assert!(!dir.path().join("campaign.journal.db").exists());
}

#[tokio::test]
async fn a_send_without_credentials_names_every_missing_variable_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), 3, |_, line| line);
    let (code, _, stderr) = run(kaleyra_without_credentials(&csv, &[])).await;
    assert_eq!(code, 5, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    for name in ["KALEYRA_SID", "KALEYRA_API_KEY", "KALEYRA_FROM"] {
        assert!(stderr.contains(name), "{name}: {stderr}");
    }
}

fn semicolon_csv(dir: &Path) -> std::path::PathBuf {
    let csv = dir.join("campaign.csv");
    let rows = (0..3)
        .map(|index| format!("{};Customer {index};BK-{index}\n", phone(index)))
        .collect::<String>();
    std::fs::write(&csv, format!("phone;1;2\n{rows}")).unwrap();
    csv
}

#[tokio::test]
async fn a_semicolon_csv_is_detected_or_given_and_said_so() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = semicolon_csv(dir.path());
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--dry-run"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("3 valid rows (semicolon-separated, detected)"),
        "{stdout}"
    );

    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &["--delimiter", ";"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(count(&stdout, "sent"), 3, "{stdout}");
    assert!(
        stderr.contains("semicolon-separated, --delimiter"),
        "{stderr}"
    );
    assert_eq!(emulator.messages().len(), 3);
}

#[tokio::test]
async fn a_csv_read_with_the_wrong_delimiter_is_refused_once_naming_its_header() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = semicolon_csv(dir.path());
    let (code, _, stderr) = run(kaleyra_send(&emulator, &csv, &["--delimiter", ","])).await;
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(
        stderr.matches("no column fills").count(),
        1,
        "one message for the missing columns: {stderr}"
    );
    assert!(
        stderr.contains("no column fills `to`, `1` or `2`, which template `booking_confirm` needs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the CSV's header has 1 column(s): `phone;1;2`"),
        "{stderr}"
    );
    assert!(stderr.contains("give --delimiter ';'"), "{stderr}");
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn a_misnamed_column_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("campaign.csv");
    std::fs::write(&csv, "Phon\tname\tbooking\n+919876543210\tAsha\tBK-1\n").unwrap();
    let (code, _, stderr) = run(kaleyra_without_credentials(
        &csv,
        &["--dry-run", "--map", "name=1", "--map", "booking=2"],
    ))
    .await;
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("tab-separated, detected"), "{stderr}");
    assert!(
        stderr.contains("no column fills `to`") && stderr.contains("`Phon`, `name`, `booking`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `Phon`? (--map Phon=to)"),
        "{stderr}"
    );
}

/// The size of the very long line: big enough that a reader holding it
/// would show in memory, small enough to keep the test fast. A 1 GB line
/// was measured once by hand (BENCHMARKS.md, "Campaigns").
const LONG_LINE_BYTES: usize = 64 << 20;

/// A 100,000-row CSV with bad rows of every kind at known lines; each kind
/// with the text its error says.
fn bad_campaign(dir: &Path) -> (std::path::PathBuf, Vec<(u64, &'static str)>) {
    const ROWS: usize = 100_000;
    let mut expected = Vec::new();
    let mut text = b"phone,1,2\n".to_vec();
    for index in 0..ROWS {
        let line = index as u64 + 2;
        let good = format!("{},Customer {index},BK-{index}\n", phone(index));
        let bad: Option<(Vec<u8>, &'static str)> = match index {
            1_000 => Some((b"12345,Asha,BK\n".to_vec(), "invalid to")),
            5_000 => Some((
                b"+919811111114,Asha\n".to_vec(),
                "has 2 fields, the header has 3",
            )),
            9_000 => Some((
                b"+919811111115,Asha,BK,extra\n".to_vec(),
                "has 4 fields, the header has 3",
            )),
            20_000 => Some((
                b"+919811111116,Jos\xe9,BK\n".to_vec(),
                "field 2 is not valid UTF-8",
            )),
            30_000 => Some((
                b"+91981111\x001117,Asha,BK\n".to_vec(),
                "field 1 has a NUL byte",
            )),
            40_000 => Some((
                format!("+919811111118,{},BK\n", "x".repeat(1_025)).into_bytes(),
                "invalid body {{1}}",
            )),
            50_000 => Some((b"9811111119,Asha,BK\n".to_vec(), "has no country code")),
            60_000 => {
                let mut long = b"+919811111120,".to_vec();
                long.resize(long.len() + LONG_LINE_BYTES, b'x');
                long.extend_from_slice(b",BK\n");
                Some((long, "is longer than 1 MiB"))
            }
            70_000 => Some((b"+919811111121,,BK\n".to_vec(), "invalid body {{1}}")),
            80_000 => Some((
                "+9198111111😀22,Asha,BK\n".as_bytes().to_vec(),
                "invalid to",
            )),
            99_999 => Some((b"+91 98111,Asha,BK\n".to_vec(), "invalid to")),
            _ => None,
        };
        match bad {
            Some((row, reason)) => {
                text.extend_from_slice(&row);
                expected.push((line, reason));
            }
            None => text.extend_from_slice(good.as_bytes()),
        }
    }
    let path = dir.join("campaign.csv");
    std::fs::write(&path, text).unwrap();
    (path, expected)
}

#[tokio::test]
async fn a_100000_row_csv_with_every_kind_of_bad_row_gets_one_line_numbered_error_each() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, expected) = bad_campaign(dir.path());
    let ((code, stdout, stderr), peak) =
        run_measuring_peak(kaleyra_without_credentials(&csv, &["--dry-run"])).await;
    assert_eq!(
        code, 3,
        "refused as bad input, no panic: {stdout}\n{stderr}"
    );
    if cfg!(target_os = "linux") {
        assert!(peak > 0, "the peak was read from /proc");
    }
    assert!(
        peak < LONG_LINE_BYTES as u64,
        "memory stays flat: {} MiB at the peak, with a {} MiB line",
        peak >> 20,
        LONG_LINE_BYTES >> 20
    );
    assert!(
        stderr.contains(&format!("{} of 100000 rows are invalid", expected.len())),
        "{stderr}"
    );
    for (line, reason) in &expected {
        let listed = stderr
            .lines()
            .find(|listed| listed.starts_with(&format!("  line {line}: ")))
            .unwrap_or_else(|| panic!("line {line} is listed: {stderr}"));
        assert!(
            listed.contains(reason),
            "line {line}: {reason:?} in {listed:?}"
        );
    }
    assert!(
        !stderr
            .lines()
            .any(|listed| listed.matches("line ").count() > 1),
        "no line number twice in one message: {stderr}"
    );
    assert!(
        stderr.len() < 64 << 10,
        "the long line is not echoed: {} bytes of errors",
        stderr.len()
    );
    assert!(stdout.is_empty(), "{stdout}");
}

/// Runs `command` like [`run`], reading the process's peak memory (its
/// `VmHWM` in `/proc`) every 10 ms while it runs; the last reading, in
/// bytes (0 where `/proc` has none).
async fn run_measuring_peak(mut command: Command) -> ((i32, String, String), u64) {
    let child = command.spawn().expect("kaleyra runs");
    let status = format!("/proc/{}/status", child.id().expect("a pid"));
    let peak = tokio::spawn(async move {
        let mut peak = 0;
        while let Ok(text) = tokio::fs::read_to_string(&status).await {
            let kilobytes = text
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| {
                    value
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                });
            match kilobytes {
                Some(kilobytes) => peak = peak.max(kilobytes * 1024),
                None => break, // exited: a zombie has no memory lines
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        peak
    });
    let output = child.wait_with_output().await.expect("kaleyra exits");
    let peak = peak.await.unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (
        (
            output.status.code().expect("kaleyra exits, not killed"),
            text(&output.stdout),
            text(&output.stderr),
        ),
        peak,
    )
}
