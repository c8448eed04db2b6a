//! `kaleyra send` reads numbers as people write them: in the
//! `--default-country` when one is given, refused with what they would be
//! when not, and never sent in another form without the report saying so.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{emulator, kaleyra_send, run};
use tokio::process::Command;

/// A CSV of `booking_confirm` rows to `numbers`, written to `dir`.
fn write_numbers(dir: &Path, numbers: &[&str]) -> std::path::PathBuf {
    let mut text = String::from("phone,1,2\n");
    for (index, number) in numbers.iter().enumerate() {
        text.push_str(&format!("{number},Customer {index},BK-{index}\n"));
    }
    let path = dir.join("campaign.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// The report's `phone_as_written` column (the failure code and title
/// follow it).
const PHONE_AS_WRITTEN: usize = 8;

/// `kaleyra journal report` of the campaign in `dir`, as rows of fields.
async fn report(dir: &Path) -> Vec<Vec<String>> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kaleyra"));
    command
        .args(["journal", "report", "--output", "-", "--journal"])
        .arg(dir.join("campaign.journal.db"))
        .env_clear()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (code, stdout, stderr) = run(command).await;
    assert_eq!(code, 0, "{stderr}");
    csv::Reader::from_reader(stdout.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn a_national_number_is_sent_in_e164_with_the_default_country() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_numbers(dir.path(), &["9811111114", "+919811111117"]);
    let (code, stdout, stderr) =
        run(kaleyra_send(&emulator, &csv, &["--default-country", "IN"])).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let mut sent = emulator
        .messages()
        .into_iter()
        .map(|message| message.to)
        .collect::<Vec<_>>();
    sent.sort();
    assert_eq!(sent, ["+919811111114", "+919811111117"]);
    assert!(
        stderr.contains(
            "1 numbers are sent in E.164 form, not as written (--default-country IN), such as line 2: `9811111114` as +919811111114"
        ),
        "the rewrite is said: {stderr}"
    );

    // The report has the number sent and, in its `phone_as_written`
    // column, as written.
    let rows = report(dir.path()).await;
    let header_and_last = |row: &Vec<String>| (row[1].clone(), row[PHONE_AS_WRITTEN].clone());
    assert_eq!(
        rows.iter().map(header_and_last).collect::<Vec<_>>(),
        [
            ("+919811111114".to_owned(), "9811111114".to_owned()),
            ("+919811111117".to_owned(), "+919811111117".to_owned()),
        ]
    );
}

#[tokio::test]
async fn without_a_default_country_a_national_number_is_refused_with_its_reading() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_numbers(dir.path(), &["+919811111117", "9811111114"]);
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    // The emulator's business number is Indian: the suggestion is IN.
    assert!(
        stderr.contains(
            "line 3: invalid to: `9811111114` has no country code; with --default-country IN it would be +919811111114"
        ),
        "{stderr}"
    );
    assert!(emulator.messages().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn the_default_country_can_come_from_the_environment_and_reads_every_form() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let written = [
        "098111 11115",
        "+91 98111 11116",
        "+91-98111-11117",
        "919811111118",
    ];
    let csv = write_numbers(dir.path(), &written);
    let mut command = kaleyra_send(&emulator, &csv, &[]);
    command.env("KALEYRA_DEFAULT_COUNTRY", "in");
    let (code, stdout, stderr) = run(command).await;
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let rows = report(dir.path()).await;
    let sent_and_written = rows
        .iter()
        .map(|row| (row[1].as_str(), row[PHONE_AS_WRITTEN].as_str()))
        .collect::<Vec<_>>();
    assert_eq!(
        sent_and_written,
        [
            ("+919811111115", written[0]),
            ("+919811111116", written[1]),
            ("+919811111117", written[2]),
            ("+919811111118", written[3]),
        ]
    );
    assert_eq!(emulator.messages().len(), 4);
}

#[tokio::test]
async fn a_number_valid_for_no_country_is_refused_even_with_a_default() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_numbers(dir.path(), &["1234", "9811111114😀"]);
    let (code, stdout, stderr) =
        run(kaleyra_send(&emulator, &csv, &["--default-country", "IN"])).await;
    assert_eq!(code, 3, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("line 2: invalid to: `1234` is not a valid phone number"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 3: invalid to: `9811111114😀` contains `😀`"),
        "{stderr}"
    );
    assert!(emulator.messages().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn an_unknown_default_country_is_a_command_line_error() {
    let emulator = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = write_numbers(dir.path(), &["9811111114"]);
    let (code, _, stderr) = run(kaleyra_send(
        &emulator,
        &csv,
        &["--default-country", "India"],
    ))
    .await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`India` is not a country code"), "{stderr}");
}
