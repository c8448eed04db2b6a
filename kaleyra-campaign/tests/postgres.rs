//! The journal in a real PostgreSQL server shared by several workers:
//! loading once, claims that never overlap, leases that run out.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::load;
use kaleyra_campaign::{
    ClaimedRow, Fingerprint, Journal, JournalError, JournalOptions, JournalTarget, RowRecord,
};
use kaleyra_test_support::postgres::PostgresServer;

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

/// The server's database as a journal's target.
fn target(server: &PostgresServer) -> JournalTarget {
    server.url().parse().unwrap()
}

async fn worker(server: &PostgresServer, lease: Duration) -> Journal {
    Journal::open(
        target(server),
        JournalOptions::campaign(fingerprint("abc")).lease(lease),
    )
    .await
    .unwrap()
}

fn lines(rows: &[ClaimedRow]) -> Vec<u64> {
    rows.iter().map(|row| row.line).collect()
}

fn sent(id: &str) -> RowRecord {
    RowRecord::Sent {
        message_id: Some(id.into()),
    }
}

/// Makes `journal`'s worker look dead to the others, as if it had been
/// paused for longer than its lease.
async fn expire_lease(server: &PostgresServer) {
    let pool = sqlx::PgPool::connect(&server.url()).await.unwrap();
    sqlx::query("UPDATE workers SET lease_until = now() - interval '1 second'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_starting_together_load_once_and_never_claim_the_same_row() {
    const ROWS: u64 = 3_000;
    let server = PostgresServer::start();
    let mut workers = Vec::new();
    for _ in 0..3 {
        workers.push(worker(&server, Duration::from_secs(30)).await);
    }
    let loads = workers.iter().cloned().map(|journal| {
        tokio::spawn(async move {
            match journal.loader().await {
                Ok(mut loader) => {
                    for line in 2..ROWS + 2 {
                        loader.add(line, "+919800000000", "values").await.unwrap();
                    }
                    loader.commit().await.unwrap();
                    true
                }
                Err(JournalError::AlreadyLoaded { .. }) => false,
                Err(other) => panic!("{other}"),
            }
        })
    });
    let loaded = futures::future::join_all(loads).await;
    let loaded = loaded
        .into_iter()
        .map(Result::unwrap)
        .filter(|loaded| *loaded);
    assert_eq!(loaded.count(), 1, "exactly one worker loads the rows");
    assert_eq!(workers[0].summary().await.unwrap().pending, ROWS);

    let claims = workers.iter().cloned().map(|journal| {
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let rows = journal.claim(0, 50, false).await.unwrap();
                if rows.is_empty() {
                    return mine;
                }
                mine.extend(lines(&rows));
            }
        })
    });
    let claimed = futures::future::join_all(claims).await;
    let mut all = BTreeSet::new();
    for mine in claimed {
        for line in mine.unwrap() {
            assert!(all.insert(line), "line {line} was claimed twice");
        }
    }
    assert_eq!(all, (2..ROWS + 2).collect(), "every row was claimed once");
}

#[tokio::test]
async fn a_dead_workers_claims_go_to_the_others_and_its_rows_in_flight_become_unknown() {
    let server = PostgresServer::start();
    let lease = Duration::from_secs(1);
    let dead = worker(&server, lease).await;
    load(&dead, 8).await;
    assert_eq!(lines(&dead.claim(0, 4, false).await.unwrap()), [2, 3, 4, 5]);
    assert!(dead.start(&[2]).await.unwrap());
    assert!(dead.start(&[3]).await.unwrap());
    // Killed: its lease is no longer renewed.
    drop(dead);

    let survivor = worker(&server, lease).await;
    let rows = survivor.claim(0, 10, false).await.unwrap();
    assert_eq!(
        lines(&rows),
        [6, 7, 8, 9],
        "the dead worker's rows are held until its lease runs out"
    );
    for row in &rows {
        assert!(survivor.start(&[row.line]).await.unwrap());
    }
    let results = rows
        .iter()
        .map(|row| (row.line, sent("m")))
        .collect::<Vec<_>>();
    survivor.record(&results).await.unwrap();
    assert!(survivor.claim(0, 10, false).await.unwrap().is_empty());
    assert!(
        survivor.wait_for_others().await.unwrap(),
        "another worker holds rows: wait for them"
    );

    tokio::time::sleep(lease + Duration::from_millis(200)).await;
    assert_eq!(
        lines(&survivor.claim(0, 10, false).await.unwrap()),
        [4, 5],
        "claimed and never started: sent by another worker"
    );
    let summary = survivor.summary().await.unwrap();
    assert_eq!(
        (summary.unknown, summary.sent, summary.sending),
        (2, 4, 2),
        "{summary}"
    );
    let unknown = survivor.rows(0, 10).await.unwrap();
    assert_eq!(unknown[0].error_kind.as_deref(), Some("interrupted"));
    assert_eq!(survivor.to_send(false).await.unwrap(), 0);
    assert_eq!(
        lines(&survivor.claim(0, 10, true).await.unwrap()),
        [2, 3],
        "rows in flight are sent again only when asked"
    );
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_starts_nothing_but_records_what_it_sent() {
    let server = PostgresServer::start();
    let paused = worker(&server, Duration::from_secs(30)).await;
    load(&paused, 3).await;
    assert_eq!(lines(&paused.claim(0, 3, false).await.unwrap()), [2, 3, 4]);
    assert!(paused.start(&[2]).await.unwrap());
    expire_lease(&server).await;

    let other = worker(&server, Duration::from_secs(30)).await;
    assert_eq!(lines(&other.claim(0, 10, false).await.unwrap()), [3, 4]);
    assert!(
        !paused.start(&[3]).await.unwrap(),
        "a row another worker took is not started"
    );
    assert_eq!(paused.summary().await.unwrap().unknown, 1);
    // Its request did arrive: the result replaces `unknown`.
    paused.record(&[(2, sent("m-2"))]).await.unwrap();
    let row = &paused.rows(0, 1).await.unwrap()[0];
    assert_eq!(
        (row.state.as_str(), row.message_id.as_deref()),
        ("sent", Some("m-2"))
    );
}

#[tokio::test]
async fn a_database_of_another_campaign_is_refused() {
    let server = PostgresServer::start();
    let journal = worker(&server, Duration::from_secs(30)).await;
    load(&journal, 1).await;
    let error = Journal::open(
        target(&server),
        JournalOptions::campaign(fingerprint("other")).lease(Duration::from_secs(30)),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            error,
            JournalError::Mismatch {
                field: "source hash",
                ..
            }
        ),
        "{error}"
    );
    let reopened = Journal::open(target(&server), JournalOptions::existing())
        .await
        .unwrap();
    assert_eq!(reopened.fingerprint(), &fingerprint("abc"));
}

#[tokio::test]
async fn statuses_are_recorded_forward_only_on_postgres() {
    use kaleyra_campaign::StatusOutcome;
    use kaleyra_runtime::callbacks::Event;
    let server = PostgresServer::start();
    let journal = worker(&server, Duration::from_secs(30)).await;
    load(&journal, 1).await;
    journal.claim(0, 1, false).await.unwrap();
    assert!(journal.start(&[2]).await.unwrap());
    journal.record(&[(2, sent("m-2"))]).await.unwrap();
    let reference = format!("{}:2", fingerprint("abc").campaign_id());
    let event = |state: &str| {
        let form = serde_urlencoded::to_string([
            ("id", "m-2"),
            ("status", state),
            ("ref", reference.as_str()),
        ])
        .unwrap();
        Event::parse_form(&form).unwrap().remove(0)
    };
    assert_eq!(
        journal.record_status(&event("read")).await.unwrap(),
        StatusOutcome::Recorded
    );
    assert_eq!(
        journal.record_status(&event("read")).await.unwrap(),
        StatusOutcome::Repeated
    );
    assert_eq!(
        journal.record_status(&event("delivered")).await.unwrap(),
        StatusOutcome::Older
    );
    let statuses = Journal::open(target(&server), JournalOptions::statuses())
        .await
        .unwrap();
    assert_eq!(
        statuses.rows(0, 1).await.unwrap()[0].last_status.as_deref(),
        Some("read")
    );
}

#[tokio::test]
async fn a_database_that_cannot_be_opened_is_named_without_its_password() {
    // A server that hangs up on every connection. (One that refuses them
    // would do as well, but sqlx retries a refused connection for 30s.)
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            drop(connection);
        }
    });
    let url = format!("postgres://kaleyra:s3cret-pass@127.0.0.1:{port}/campaigns");
    let target: JournalTarget = url.parse().unwrap();
    assert!(!format!("{target} {target:?}").contains("s3cret-pass"));
    let error = Journal::open(target, JournalOptions::existing())
        .await
        .unwrap_err();
    let shown = format!("{error} / {error:?}");
    assert!(matches!(error, JournalError::Database { .. }), "{shown}");
    let named = format!("journal postgres://kaleyra:***@127.0.0.1:{port}/campaigns: opening: ");
    assert!(error.to_string().starts_with(&named), "{shown}");
    assert!(!shown.contains("s3cret-pass"), "{shown}");
}

#[tokio::test]
async fn skipped_rows_are_kept_with_why_and_never_claimed_on_postgres() {
    let server = PostgresServer::start();
    let journal = worker(&server, Duration::from_secs(30)).await;
    let mut loader = journal.loader().await.unwrap();
    loader.add(2, "+919800000002", "values").await.unwrap();
    loader
        .skip(3, "+919800000002", "{}", "duplicate", "also on line 2")
        .await
        .unwrap();
    loader.commit().await.unwrap();
    let summary = journal.summary().await.unwrap();
    assert_eq!((summary.pending, summary.skipped), (1, 1));
    assert_eq!(lines(&journal.claim(0, 10, true).await.unwrap()), [2]);
    let rows = journal.rows(0, 10).await.unwrap();
    let skipped = rows.iter().find(|row| row.line == 3).expect("listed");
    assert_eq!(skipped.error_kind.as_deref(), Some("duplicate"));
    assert_eq!(skipped.error.as_deref(), Some("also on line 2"));
}

#[tokio::test]
async fn failure_codes_are_recorded_and_grouped_on_postgres() {
    use kaleyra_runtime::callbacks::Event;
    let server = PostgresServer::start();
    let journal = worker(&server, Duration::from_secs(30)).await;
    load(&journal, 2).await;
    journal.claim(0, 2, false).await.unwrap();
    assert!(journal.start(&[2, 3]).await.unwrap());
    journal
        .record(&[(2, sent("m-2")), (3, sent("m-3"))])
        .await
        .unwrap();
    let campaign = fingerprint("abc").campaign_id();
    for line in [2, 3] {
        let form = serde_urlencoded::to_string([
            ("id", format!("m-{line}")),
            ("status", "failed".to_owned()),
            ("error_code", "132015".to_owned()),
            ("ref", format!("{campaign}:{line}")),
        ])
        .unwrap();
        journal
            .record_status(&Event::parse_form(&form).unwrap().remove(0))
            .await
            .unwrap();
    }
    let rows = journal.rows(0, 2).await.unwrap();
    assert_eq!(rows[0].error_code.as_deref(), Some("132015"));
    assert_eq!(rows[0].error_title.as_deref(), Some("Template is Paused"));
    let groups = journal.failures_by_code().await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        (
            groups[0].code.as_str(),
            groups[0].rows,
            groups[0].first_line
        ),
        ("132015", 2, 2)
    );
}
