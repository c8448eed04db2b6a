//! The journal's states and resume rules, on a real SQLite file.

mod common;

use common::load;
use kaleyra_campaign::{
    Fingerprint, Journal, JournalError, JournalOptions, JournalTarget, RowRecord, RowState, Summary,
};

fn fingerprint(source_hash: &str) -> Fingerprint {
    Fingerprint::new(
        "booking_confirm",
        "en",
        "definition-hash",
        "/data/campaign.csv",
        120,
        source_hash,
        "to=phone,1=1,2=2",
    )
}

/// Opens the SQLite journal at `path` for the campaign `fingerprint` names.
async fn open(path: &std::path::Path, fingerprint: Fingerprint) -> Result<Journal, JournalError> {
    Journal::open(
        JournalTarget::Sqlite(path.to_owned()),
        JournalOptions::campaign(fingerprint),
    )
    .await
}

/// The journal in `dir`, opened (created when missing).
async fn opened(dir: &tempfile::TempDir) -> Journal {
    open(&dir.path().join("campaign.db"), fingerprint("abc"))
        .await
        .unwrap()
}

/// A journal in `dir` loaded with rows on lines 2..=`rows + 1`.
async fn loaded(dir: &tempfile::TempDir, rows: u64) -> Journal {
    let journal = opened(dir).await;
    load(&journal, rows).await;
    journal
}

fn failed() -> RowRecord {
    RowRecord::Failed {
        kind: "api".into(),
        error: "Kaleyra refused the request".into(),
    }
}

fn unknown() -> RowRecord {
    RowRecord::Unknown {
        kind: "transport".into(),
        error: "timed out".into(),
    }
}

fn sent(id: &str) -> RowRecord {
    RowRecord::Sent {
        message_id: Some(id.into()),
    }
}

fn lines(rows: &[kaleyra_campaign::ClaimedRow]) -> Vec<u64> {
    rows.iter().map(|row| row.line).collect()
}

#[tokio::test]
async fn claims_mark_rows_sending_in_line_order_once_per_run() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 5).await;
    let first = journal.claim(0, 2, false).await.unwrap();
    assert_eq!(lines(&first), [2, 3]);
    assert_eq!(first[0].recipient, "+919800000002");
    assert_eq!(first[0].payload, "values of 2");
    let second = journal.claim(3, 10, false).await.unwrap();
    assert_eq!(lines(&second), [4, 5, 6]);
    assert_eq!(journal.summary().await.unwrap().sending, 5);
    assert!(journal.claim(6, 10, false).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_rerun_sends_pending_and_failed_rows_but_never_sent_ones() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 4).await;
    journal.claim(0, 3, false).await.unwrap();
    journal
        .record(&[(2, sent("m-2")), (3, failed()), (4, unknown())])
        .await
        .unwrap();
    let summary = journal.summary().await.unwrap();
    assert_eq!(
        (
            summary.sent,
            summary.failed,
            summary.unknown,
            summary.pending
        ),
        (1, 1, 1, 1)
    );

    assert_eq!(lines(&journal.claim(0, 10, false).await.unwrap()), [3, 5]);
}

#[tokio::test]
async fn unknown_rows_are_resent_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 2).await;
    journal.claim(0, 2, false).await.unwrap();
    journal
        .record(&[(2, unknown()), (3, sent("m-3"))])
        .await
        .unwrap();
    assert!(journal.claim(0, 10, false).await.unwrap().is_empty());
    assert_eq!(journal.to_send(false).await.unwrap(), 0);
    assert_eq!(journal.to_send(true).await.unwrap(), 1);
    assert_eq!(lines(&journal.claim(0, 10, true).await.unwrap()), [2]);
}

#[tokio::test]
async fn rows_a_stopped_run_left_sending_are_unknown_on_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 3).await;
    journal.claim(0, 2, false).await.unwrap();
    journal.record(&[(2, sent("m-2"))]).await.unwrap();
    journal.close().await;
    drop(journal);

    let reopened = opened(&dir).await;
    let summary = reopened.summary().await.unwrap();
    assert_eq!(
        (
            summary.sent,
            summary.unknown,
            summary.pending,
            summary.sending
        ),
        (1, 1, 1, 0),
        "line 3 was claimed and never recorded: {summary}"
    );
    assert_eq!(lines(&reopened.claim(0, 10, false).await.unwrap()), [4]);
}

#[tokio::test]
async fn a_result_is_never_recorded_over_another() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 1).await;
    journal.claim(0, 1, false).await.unwrap();
    journal.record(&[(2, sent("m-2"))]).await.unwrap();
    journal.record(&[(2, failed())]).await.unwrap();
    let summary = journal.summary().await.unwrap();
    assert_eq!(
        (summary.sent, summary.failed, summary.total()),
        (1, 0, 1),
        "{summary}"
    );
    // The row still carries its first result, and nothing of the second.
    let row = &journal.rows(0, 1).await.unwrap()[0];
    assert_eq!(
        (
            row.line,
            row.state,
            row.message_id.as_deref(),
            row.error_kind.as_deref(),
            row.error.as_deref()
        ),
        (2, RowState::Sent, Some("m-2"), None, None)
    );
}

#[tokio::test]
async fn a_journal_of_another_campaign_is_refused_naming_what_differs() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 1).await;
    journal.close().await;
    drop(journal);
    let error = open(&dir.path().join("campaign.db"), fingerprint("other"))
        .await
        .unwrap_err();
    match error {
        JournalError::Mismatch {
            field,
            recorded,
            given,
            ..
        } => {
            assert_eq!(
                (field, recorded.as_str(), given.as_str()),
                ("source hash", "abc", "other")
            );
        }
        other => panic!("expected a mismatch, got {other}"),
    }
}

#[tokio::test]
async fn a_journal_in_use_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let _journal = loaded(&dir, 1).await;
    let error = open(&dir.path().join("campaign.db"), fingerprint("abc"))
        .await
        .unwrap_err();
    assert!(matches!(error, JournalError::Locked { .. }), "{error}");
}

#[tokio::test]
async fn an_abandoned_load_leaves_the_journal_empty() {
    let dir = tempfile::tempdir().unwrap();
    let journal = opened(&dir).await;
    let mut loader = journal.loader().await.unwrap();
    loader.add(2, "+919800000002", "values").await.unwrap();
    loader.add(3, "+919800000003", "values").await.unwrap();
    loader.add(2, "+919800000002", "values").await.unwrap();
    let duplicate = loader.commit().await.unwrap_err();
    assert!(
        matches!(duplicate, JournalError::DuplicateLine { line: 2, .. }),
        "{duplicate}"
    );
    assert!(!journal.is_loaded().await.unwrap());
    assert_eq!(journal.summary().await.unwrap(), Summary::default());
    // Loaded once only.
    let mut loader = journal.loader().await.unwrap();
    loader.add(2, "+919800000002", "values").await.unwrap();
    loader.commit().await.unwrap();
    assert!(matches!(
        journal.loader().await.unwrap_err(),
        JournalError::AlreadyLoaded { .. }
    ));
}

#[tokio::test]
async fn a_line_loaded_in_an_earlier_chunk_is_refused_as_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let journal = opened(&dir).await;
    let mut loader = journal.loader().await.unwrap();
    // Rows are inserted a thousand at a time: line 700 is long inserted
    // when it comes again, after lines that are new.
    let mut refused = None;
    for line in (2..=2600).chain([2601, 700, 2602]) {
        if let Err(error) = loader.add(line, "+919800000002", "values").await {
            refused = Some(error);
            break;
        }
    }
    let duplicate = match refused {
        Some(error) => error,
        None => loader.commit().await.unwrap_err(),
    };
    assert!(
        matches!(duplicate, JournalError::DuplicateLine { line: 700, .. }),
        "{duplicate}"
    );
    assert!(!journal.is_loaded().await.unwrap());
}

fn status(
    message_id: &str,
    reference: Option<&str>,
    state: &str,
) -> kaleyra_runtime::callbacks::Event {
    let mut fields = vec![
        ("id".to_owned(), message_id.to_owned()),
        ("status".to_owned(), state.to_owned()),
        ("mobile".to_owned(), "919800000002".to_owned()),
    ];
    if let Some(reference) = reference {
        fields.push(("ref".to_owned(), reference.to_owned()));
    }
    let form = serde_urlencoded::to_string(fields).unwrap();
    let mut events = kaleyra_runtime::callbacks::Event::parse_form(&form).unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}

#[tokio::test]
async fn statuses_move_a_row_forward_once_and_never_back() {
    use kaleyra_campaign::StatusOutcome;
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 3).await;
    journal.claim(0, 3, false).await.unwrap();
    journal
        .record(&[(2, sent("m-2")), (3, sent("m-3")), (4, unknown())])
        .await
        .unwrap();
    let reference = |line: u64| format!("{}:{line}", fingerprint("abc").campaign_id());
    let last = |line: u64| {
        let journal = journal.clone();
        async move {
            let rows = journal.rows(line - 1, 1).await.unwrap();
            (rows[0].state, rows[0].last_status.clone())
        }
    };

    let delivered = status("m-2", Some(&reference(2)), "delivered");
    assert_eq!(
        journal.record_status(&delivered).await.unwrap(),
        StatusOutcome::Recorded
    );
    assert_eq!(
        journal.record_status(&delivered).await.unwrap(),
        StatusOutcome::Repeated
    );
    let late_sent = status("m-2", Some(&reference(2)), "sent");
    assert_eq!(
        journal.record_status(&late_sent).await.unwrap(),
        StatusOutcome::Older
    );
    assert_eq!(last(2).await.1.as_deref(), Some("delivered"));
    let read = status("m-2", Some(&reference(2)), "read");
    assert_eq!(
        journal.record_status(&read).await.unwrap(),
        StatusOutcome::Recorded
    );
    assert_eq!(last(2).await.1.as_deref(), Some("read"));

    // Without a ref of this campaign, the message id finds the row: the
    // index by message id, which sending does without, is made for it.
    let message_id_index = async || -> i64 {
        let file = dir.path().join("campaign.db");
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(file)
            .read_only(true);
        let mut connection = sqlx::ConnectOptions::connect(&options).await.unwrap();
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'journal_rows_by_message_id'",
        )
        .fetch_one(&mut connection)
        .await
        .unwrap()
    };
    assert_eq!(message_id_index().await, 0);
    let by_id = status("m-3", Some("another-campaign:3"), "delivered");
    assert_eq!(
        journal.record_status(&by_id).await.unwrap(),
        StatusOutcome::Recorded
    );
    assert_eq!(last(3).await.1.as_deref(), Some("delivered"));
    assert_eq!(message_id_index().await, 1);
    let stranger = status("m-404", None, "delivered");
    assert_eq!(
        journal.record_status(&stranger).await.unwrap(),
        StatusOutcome::Unmatched
    );

    // A status for an unknown row: Kaleyra did get it.
    let arrived = status("m-4", Some(&reference(4)), "sent");
    assert_eq!(
        journal.record_status(&arrived).await.unwrap(),
        StatusOutcome::Recorded
    );
    assert_eq!(last(4).await, (RowState::Sent, Some("sent".to_owned())));
    let row = &journal.rows(3, 1).await.unwrap()[0];
    assert_eq!(
        (row.message_id.as_deref(), row.error.as_deref()),
        (Some("m-4"), None)
    );
}

#[tokio::test]
async fn a_journal_from_before_rows_were_keyed_by_line_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("campaign.db");
    // The schema as the first two migrations left it, with a campaign
    // part sent: what an earlier `kaleyra send` leaves behind.
    let earlier = dir.path().join("migrations");
    std::fs::create_dir(&earlier).unwrap();
    for (name, sql) in [
        (
            "0001_journal.sql",
            include_str!("../migrations/sqlite/0001_journal.sql"),
        ),
        (
            "0002_statuses.sql",
            include_str!("../migrations/sqlite/0002_statuses.sql"),
        ),
    ] {
        std::fs::write(earlier.join(name), sql).unwrap();
    }
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate::Migrator::new(earlier.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        let fingerprint = fingerprint("abc");
        sqlx::query(
            "INSERT INTO campaign (id, template, language, definition_hash, source, source_size, source_hash, mapping, created_at) \
             VALUES (1, ?, ?, ?, ?, ?, ?, ?, 0)",
        )
        .bind(&fingerprint.template)
        .bind(&fingerprint.language)
        .bind(&fingerprint.definition_hash)
        .bind(&fingerprint.source)
        .bind(i64::try_from(fingerprint.source_size).unwrap())
        .bind(&fingerprint.source_hash)
        .bind(&fingerprint.mapping)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO journal_rows (line, recipient, payload, state, message_id, attempts, updated_at, last_status) VALUES \
             (2, '+919800000002', 'values of 2', 'sent', 'm-2', 1, 0, 'delivered'), \
             (3, '+919800000003', 'values of 3', 'pending', NULL, 0, 0, NULL)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }

    let journal = open(&path, fingerprint("abc")).await.unwrap();
    let rows = journal.rows(0, 10).await.unwrap();
    assert_eq!(
        rows.iter()
            .map(|row| (
                row.line,
                row.state,
                row.message_id.as_deref(),
                row.last_status.as_deref()
            ))
            .collect::<Vec<_>>(),
        [
            (2, RowState::Sent, Some("m-2"), Some("delivered")),
            (3, RowState::Pending, None, None),
        ]
    );
    // And the run resumes with the row left.
    assert_eq!(lines(&journal.claim(0, 10, false).await.unwrap()), [3]);
}

#[tokio::test]
async fn skipped_rows_are_listed_and_counted_but_never_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let journal = opened(&dir).await;
    let mut loader = journal.loader().await.unwrap();
    loader.add(2, "+919800000002", "values of 2").await.unwrap();
    loader
        .skip(3, "", "{}", "invalid", "invalid to: not-a-phone")
        .await
        .unwrap();
    loader.add(4, "+919800000004", "values of 4").await.unwrap();
    loader.commit().await.unwrap();

    let summary = journal.summary().await.unwrap();
    assert_eq!(
        (summary.pending, summary.skipped, summary.total()),
        (2, 1, 3)
    );
    assert!(summary.to_string().ends_with(", 1 skipped"), "{summary}");
    assert_eq!(lines(&journal.claim(0, 10, true).await.unwrap()), [2, 4]);
    journal
        .record(&[(2, sent("m-2")), (4, sent("m-4"))])
        .await
        .unwrap();
    let summary = journal.summary().await.unwrap();
    assert!(summary.is_complete(), "every row to be sent was: {summary}");

    let rows = journal.rows(0, 10).await.unwrap();
    let skipped = rows.iter().find(|row| row.line == 3).expect("listed");
    assert_eq!(skipped.state, RowState::Skipped);
    assert_eq!(skipped.error_kind.as_deref(), Some("invalid"));
    assert_eq!(skipped.error.as_deref(), Some("invalid to: not-a-phone"));
}

#[tokio::test]
async fn a_source_moved_with_the_same_content_resumes_as_the_same_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 2).await;
    let id_at_load = journal.fingerprint().campaign_id();
    journal.close().await;
    drop(journal);

    let mut moved = fingerprint("abc");
    moved.source = "/mnt/other/campaign.csv".to_owned();
    let journal = open(&dir.path().join("campaign.db"), moved).await.unwrap();
    assert_eq!(
        journal.fingerprint().source,
        "/data/campaign.csv",
        "the journal says where it was loaded from"
    );
    assert_eq!(
        journal.fingerprint().campaign_id(),
        id_at_load,
        "and keeps its id"
    );
    assert_eq!(journal.summary().await.unwrap().pending, 2, "and its rows");
}

/// A v1 `failed` status for line `line`'s message, with `code`.
fn failed_status(campaign: &str, line: u64, code: &str) -> kaleyra_runtime::callbacks::Event {
    let form = serde_urlencoded::to_string([
        ("id", format!("m-{line}")),
        ("status", "failed".to_owned()),
        ("error", format!("failure {code}")),
        ("error_code", code.to_owned()),
        ("ref", format!("{campaign}:{line}")),
    ])
    .unwrap();
    kaleyra_runtime::callbacks::Event::parse_form(&form)
        .unwrap()
        .remove(0)
}

#[tokio::test]
async fn a_failed_status_keeps_its_code_and_title_and_failures_group_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let journal = loaded(&dir, 5).await;
    journal.claim(0, 5, false).await.unwrap();
    let records = (2..=6)
        .map(|line| (line, sent(&format!("m-{line}"))))
        .collect::<Vec<_>>();
    journal.record(&records).await.unwrap();
    let campaign = fingerprint("abc").campaign_id();
    for (line, code) in [(3, "131026"), (5, "131026"), (6, "999001"), (2, "131047")] {
        journal
            .record_status(&failed_status(&campaign, line, code))
            .await
            .unwrap();
    }
    let rows = journal.rows(0, 10).await.unwrap();
    let row = |line: u64| rows.iter().find(|row| row.line == line).unwrap();
    assert_eq!(row(3).error_code.as_deref(), Some("131026"));
    assert_eq!(row(3).error_title.as_deref(), Some("Message Undeliverable"));
    assert_eq!(
        row(6).error_code.as_deref(),
        Some("999001"),
        "unknown codes are kept"
    );
    assert_eq!(row(6).error_title, None);
    assert_eq!(row(4).error_code, None, "no failure, no code");
    assert_eq!(row(3).state, RowState::Sent, "Kaleyra accepted it");

    let groups = journal.failures_by_code().await.unwrap();
    let shown = groups
        .iter()
        .map(|group| (group.code.as_str(), group.rows, group.first_line))
        .collect::<Vec<_>>();
    assert_eq!(
        shown,
        [("131026", 2, 3), ("131047", 1, 2), ("999001", 1, 6)]
    );
    assert_eq!(groups[0].known().unwrap().code, "131026");
    assert!(groups[2].known().is_none());
}
