//! `kaleyra send` under the emulator's faults: a campaign where a seeded 5%
//! of requests fail (a server error, a connection reset after the message
//! was accepted, a refusal) still accounts for every row in its journal, and
//! no customer gets a message twice, then or on the rerun.

use std::collections::{BTreeSet, HashMap};

use kaleyra_emulator::{FaultAction, FaultRule, RunningEmulator};

mod common;

use common::{emulator, kaleyra_send, kaleyra_with_secret, outcome, phone, run, write_csv};

const ROWS: usize = 3_000;

/// Every row of `journal`'s report, by column name.
async fn report(journal: &str) -> Vec<HashMap<String, String>> {
    let args = ["journal", "report", "--journal", journal, "--output", "-"];
    let (code, report, stderr) = run(kaleyra_with_secret(&args, "unused")).await;
    assert_eq!(code, 0, "{stderr}");
    let mut reader = csv::Reader::from_reader(report.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            headers
                .iter()
                .map(str::to_owned)
                .zip(record.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// How many messages the emulator accepted for each number.
fn accepted(emulator: &RunningEmulator) -> HashMap<String, usize> {
    let mut accepted = HashMap::new();
    for message in emulator.messages() {
        *accepted.entry(message.to).or_default() += 1;
    }
    accepted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_under_a_seeded_5_percent_fault_rate_accounts_for_every_row_and_sends_none_twice()
 {
    let emulator = emulator().await;
    // 5% of requests in all, the same ones for the same order of requests.
    for (rate, seed, action) in [
        (0.02, 11, FaultAction::error("WA500")),
        (0.02, 12, FaultAction::reset_after_accepting()),
        (0.01, 13, FaultAction::error("WA400")),
    ] {
        emulator
            .add_fault(FaultRule::random(rate, seed, action))
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = write_csv(dir.path(), ROWS, |_, line| line);
    let journal = dir.path().join("campaign.journal.db");
    let journal = journal.to_str().unwrap();

    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(
        code, 1,
        "some rows failed or are unknown:\n{stdout}\n{stderr}"
    );
    let (sent, failed, unknown) = outcome(&stdout);
    assert_eq!(sent + failed + unknown, ROWS as u64, "{stdout}");
    let faulted = (failed + unknown) as f64 / ROWS as f64;
    assert!(
        (0.02..0.09).contains(&faulted),
        "about 5% of rows met a fault: {stdout}"
    );
    assert!(failed > 0 && unknown > 0, "{stdout}");

    // Every line of the CSV is in the journal once, sent, failed with
    // Kaleyra's code, or unknown with why.
    let rows = report(journal).await;
    let lines = rows
        .iter()
        .map(|row| row["line"].parse::<u64>().unwrap())
        .collect::<BTreeSet<_>>();
    assert_eq!(rows.len(), ROWS, "one report line per row");
    assert_eq!(lines, (2..ROWS as u64 + 2).collect(), "every line, once");
    let ids = emulator
        .messages()
        .into_iter()
        .map(|message| (message.to, message.id))
        .collect::<HashMap<_, _>>();
    for row in &rows {
        match row["state"].as_str() {
            "sent" => assert_eq!(
                ids.get(&row["phone"]),
                Some(&row["message_id"]),
                "a sent row's message is the one the emulator accepted: {row:?}"
            ),
            "failed" => assert!(row["error"].contains("WA400"), "{row:?}"),
            "unknown" => assert!(!row["error"].is_empty(), "{row:?}"),
            other => panic!("row in state {other}: {row:?}"),
        }
    }
    let first = accepted(&emulator);
    assert!(
        first.values().all(|count| *count == 1),
        "no number was sent twice"
    );
    let state = |phone: &str| {
        rows.iter()
            .find(|row| row["phone"] == phone)
            .map(|row| row["state"].clone())
    };
    assert!(
        first
            .keys()
            .all(|number| matches!(state(number).as_deref(), Some("sent" | "unknown"))),
        "every message accepted is a row sent, or one whose answer was lost (unknown)"
    );

    // The rerun, the faults gone: the failed rows are sent, the unknown ones
    // (which may have reached Kaleyra) are not, and still no one gets two.
    emulator.clear_faults();
    let (code, stdout, stderr) = run(kaleyra_send(&emulator, &csv, &[])).await;
    assert_eq!(code, 1, "the unknown rows remain:\n{stdout}\n{stderr}");
    assert_eq!(outcome(&stdout), (sent + failed, 0, unknown), "{stdout}");
    let after = accepted(&emulator);
    assert!(
        after.values().all(|count| *count == 1),
        "no number was sent twice after the rerun"
    );
    for row in rows.iter().filter(|row| row["state"] == "failed") {
        assert_eq!(after.get(&row["phone"]), Some(&1), "{row:?} was sent");
    }
    let unsent = (0..ROWS).filter(|index| !after.contains_key(&phone(*index)));
    assert!(
        unsent.count() as u64 <= unknown,
        "only unknown rows may be missing from the emulator"
    );
}
