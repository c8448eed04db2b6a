//! The journal in PostgreSQL, shared by several workers: each claims rows
//! with `FOR UPDATE SKIP LOCKED`, holds them under a lease it renews while
//! alive, and leaves them to the others when the lease runs out.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use tokio::task::AbortHandle;

use crate::error::JournalError;
use crate::open::{JournalTarget, PostgresUrl};
use crate::sql::{shared_load_statements, shared_statements};
use crate::state::{ClaimedRow, RowRecord, SkippedRow, now};

/// The advisory lock key that serialises loading a campaign ("kaleyra" in
/// ASCII): the first worker to take it loads, the others wait and then find
/// the rows loaded.
const LOAD_LOCK: i64 = 0x006b_616c_6579_7261;

/// Rows whose worker holds a live lease: `alive(r.worker)`.
const WORKER_ALIVE: &str =
    "EXISTS (SELECT 1 FROM workers w WHERE w.id = r.worker AND w.lease_until > now())";

/// One worker's connection to a PostgreSQL journal.
#[derive(Debug)]
pub(crate) struct PostgresJournal {
    pool: PgPool,
    /// Unique to this process: `<pid>-<random>`.
    id: String,
    lease: Duration,
    heartbeat: AbortHandle,
}

/// A load under way: one transaction, holding the load lock.
#[derive(Debug)]
pub(crate) struct PostgresLoad {
    transaction: Transaction<'static, Postgres>,
}

impl Drop for PostgresJournal {
    fn drop(&mut self) {
        self.heartbeat.abort();
    }
}

impl PostgresJournal {
    /// Connects to `url` (named `journal` in errors), brings the schema up
    /// to date (sqlx's migrator takes an advisory lock, so workers starting
    /// together migrate once), registers as a worker and renews its lease
    /// every third of `lease`.
    pub(crate) async fn connect(
        url: &PostgresUrl,
        journal: &JournalTarget,
        lease: Duration,
    ) -> Result<PostgresJournal, JournalError> {
        let database = |source| JournalError::Database {
            journal: journal.clone(),
            action: "opening",
            source,
        };
        let pool = PgPoolOptions::new()
            // Claims, starts, records and the heartbeat each need one.
            .max_connections(4)
            .connect(url.connect_str())
            .await
            .map_err(database)?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(|source| JournalError::Migrate {
                journal: journal.clone(),
                source,
            })?;
        let id = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let lease_secs = lease.as_secs_f64().max(0.1);
        sqlx::query(
            "INSERT INTO workers (id, lease_until) VALUES ($1, now() + make_interval(secs => $2))",
        )
        .bind(&id)
        .bind(lease_secs)
        .execute(&pool)
        .await
        .map_err(database)?;
        let heartbeat = tokio::spawn(heartbeat(pool.clone(), id.clone(), lease)).abort_handle();
        Ok(PostgresJournal {
            pool,
            id,
            lease,
            heartbeat,
        })
    }

    shared_statements!();

    /// The schema is there: [`PostgresJournal::connect`] migrated it.
    pub(crate) async fn has_schema(&self) -> Result<bool, sqlx::Error> {
        Ok(true)
    }

    /// Nothing to recover on opening: other workers may be sending. Rows a
    /// dead worker left become `unknown` only when its lease runs out, at
    /// a claim ([`PostgresJournal::claim`]).
    pub(crate) async fn recover(&self) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// The index by message id is kept by the schema (migration
    /// `0002_statuses`).
    pub(crate) async fn index_message_ids(&self) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// Starts a load: a transaction holding the load lock, so workers
    /// starting together load the rows once; `None` (and the lock given
    /// up) when, once the lock was held, a campaign was loaded already.
    pub(crate) async fn begin_load(&self) -> Result<Option<PostgresLoad>, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(LOAD_LOCK)
            .execute(&mut *transaction)
            .await?;
        let loaded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaign")
            .fetch_one(&mut *transaction)
            .await?;
        Ok((loaded == 0).then_some(PostgresLoad { transaction }))
    }

    /// While other workers hold rows (claimed or sending), waits a moment
    /// and returns true: a worker that died leaves its rows to the others
    /// once its lease runs out. False when no other worker holds a row.
    pub(crate) async fn wait_for_others(&self) -> Result<bool, sqlx::Error> {
        let held: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM journal_rows \
             WHERE state IN ('claimed', 'sending') AND worker IS DISTINCT FROM $1",
        )
        .bind(&self.id)
        .fetch_one(&self.pool)
        .await?;
        if held == 0 {
            return Ok(false);
        }
        // How long to wait before looking again for rows other workers held.
        let poll = (self.lease / 4).clamp(Duration::from_millis(100), Duration::from_secs(2));
        tokio::time::sleep(poll).await;
        Ok(true)
    }

    /// Gives up this worker's lease, so whatever it still holds goes to the
    /// other workers at once, and closes its connections.
    pub(crate) async fn close(&self) {
        self.heartbeat.abort();
        let retired = sqlx::query("DELETE FROM workers WHERE id = $1")
            .bind(&self.id)
            .execute(&self.pool)
            .await;
        if let Err(error) = retired {
            tracing::warn!(%error, "giving up the journal lease failed; it runs out by itself");
        }
        self.pool.close().await;
    }

    /// Takes back what dead workers held: rows they claimed and never
    /// started go back to `pending`; rows they were sending become `unknown`.
    async fn reap(&self) -> Result<(), sqlx::Error> {
        let now = now();
        sqlx::query(&format!(
            "UPDATE journal_rows r SET state = 'pending', attempts = attempts - 1, updated_at = $1 \
             WHERE state = 'claimed' AND NOT {WORKER_ALIVE}"
        ))
        .bind(now)
        .execute(&self.pool)
        .await?;
        sqlx::query(&format!(
            "UPDATE journal_rows r SET state = 'unknown', error_kind = 'interrupted', \
             error = 'the worker sending it stopped renewing its lease before its result was recorded', \
             updated_at = $1 WHERE state = 'sending' AND NOT {WORKER_ALIVE}"
        ))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Claims up to `limit` due rows no other worker holds, in line order,
    /// marking them `claimed` by this worker. Failed (and, when
    /// `resend_unknown`, unknown) rows are due only when the worker that
    /// left them is gone, so a live worker's failures are not retried over
    /// and over within one run.
    ///
    /// `after` is not used: rows a dead worker leaves may be behind it.
    pub(crate) async fn claim(
        &self,
        _after: u64,
        limit: usize,
        resend_unknown: bool,
        retry_failed: bool,
    ) -> Result<Vec<ClaimedRow>, sqlx::Error> {
        self.reap().await?;
        let retried = match (retry_failed, resend_unknown) {
            (false, _) => "('pending')",
            (true, true) => "('failed', 'unknown')",
            (true, false) => "('failed')",
        };
        let rows = sqlx::query_as(&format!(
            "WITH due AS ( \
                 SELECT line FROM journal_rows r \
                 WHERE state = 'pending' OR (state IN {retried} AND NOT {WORKER_ALIVE}) \
                 ORDER BY line LIMIT $1 FOR UPDATE SKIP LOCKED) \
             UPDATE journal_rows r SET state = 'claimed', worker = $2, attempts = attempts + 1, \
                 updated_at = $3 \
             FROM due WHERE r.line = due.line \
             RETURNING r.line, r.recipient, r.payload"
        ))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(&self.id)
        .bind(now())
        .fetch_all(&self.pool)
        .await?;
        Ok(ClaimedRow::in_line_order(rows))
    }

    /// Marks claimed rows `sending` just before their requests start; false
    /// (and none marked) when this worker no longer holds them all: its
    /// lease ran out and another worker may have taken them, so they must
    /// not be sent.
    pub(crate) async fn start(&self, lines: &[u64]) -> Result<bool, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        let result = sqlx::query(
            "UPDATE journal_rows SET state = 'sending', updated_at = $1 \
             WHERE line = ANY($2) AND state = 'claimed' AND worker = $3 \
             AND EXISTS (SELECT 1 FROM workers w WHERE w.id = $3 AND w.lease_until > now())",
        )
        .bind(now())
        .bind(as_i64(lines))
        .bind(&self.id)
        .execute(&mut *transaction)
        .await?;
        if result.rows_affected() != lines.len() as u64 {
            transaction.rollback().await?;
            return Ok(false);
        }
        transaction.commit().await?;
        Ok(true)
    }

    /// Puts rows this worker claimed, or started and never sent, back to
    /// `pending`.
    pub(crate) async fn release(&self, lines: &[u64]) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE journal_rows SET state = 'pending', attempts = attempts - 1, updated_at = $1 \
             WHERE line = ANY($2) AND state IN ('claimed', 'sending') AND worker = $3",
        )
        .bind(now())
        .bind(as_i64(lines))
        .bind(&self.id)
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// Records results in one statement. Only rows this worker holds
    /// change; a row it was sending that was declared `unknown` after its
    /// lease ran out takes the result that did arrive.
    pub(crate) async fn record(&self, results: &[(u64, RowRecord)]) -> Result<(), sqlx::Error> {
        let mut lines = Vec::with_capacity(results.len());
        let mut states = Vec::with_capacity(results.len());
        let mut message_ids = Vec::with_capacity(results.len());
        let mut kinds = Vec::with_capacity(results.len());
        let mut errors = Vec::with_capacity(results.len());
        for (line, record) in results {
            lines.push(i64::try_from(*line).unwrap_or(i64::MAX));
            states.push(record.state().as_str());
            let (message_id, kind, error) = record.columns();
            message_ids.push(message_id);
            kinds.push(kind);
            errors.push(error);
        }
        sqlx::query(
            "UPDATE journal_rows r SET state = v.state, message_id = v.message_id, \
                 error_kind = v.kind, error = v.error, updated_at = $6 \
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) \
                 AS v(line, state, message_id, kind, error) \
             WHERE r.line = v.line AND r.worker = $7 \
                 AND r.state IN ('claimed', 'sending', 'unknown')",
        )
        .bind(lines)
        .bind(states)
        .bind(message_ids)
        .bind(kinds)
        .bind(errors)
        .bind(now())
        .bind(&self.id)
        .execute(&self.pool)
        .await
        .map(drop)
    }
}

fn as_i64(lines: &[u64]) -> Vec<i64> {
    lines
        .iter()
        .map(|line| i64::try_from(*line).unwrap_or(i64::MAX))
        .collect()
}

/// Renews `worker`'s lease every third of `lease` until aborted. A renewal
/// that fails is retried at the next beat: the lease covers two misses.
async fn heartbeat(pool: PgPool, worker: String, lease: Duration) {
    let mut beat = tokio::time::interval((lease / 3).max(Duration::from_millis(50)));
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        beat.tick().await;
        let renewed = sqlx::query(
            "UPDATE workers SET lease_until = now() + make_interval(secs => $2) WHERE id = $1",
        )
        .bind(&worker)
        .bind(lease.as_secs_f64().max(0.1))
        .execute(&pool)
        .await;
        if let Err(error) = renewed {
            tracing::warn!(%error, "renewing the journal lease failed; retrying");
        }
    }
}

impl PostgresLoad {
    /// Inserts rows (line, recipient, payload) as `pending` in one
    /// statement; the smallest line that was already in the journal, or
    /// given twice, if any.
    pub(crate) async fn insert_rows(
        &mut self,
        rows: &[(i64, String, String)],
    ) -> Result<Option<i64>, sqlx::Error> {
        let duplicates = insert_rows(&mut self.transaction, rows).await?;
        Ok(duplicates.into_iter().min())
    }

    pub(crate) async fn insert_skipped(&mut self, rows: &[SkippedRow]) -> Result<(), sqlx::Error> {
        let column = |pick: fn(&SkippedRow) -> &str| rows.iter().map(pick).collect::<Vec<_>>();
        sqlx::query(
            "INSERT INTO journal_rows (line, recipient, payload, state, error_kind, error, updated_at) \
             SELECT line, recipient, payload, 'skipped', kind, reason, $6 \
             FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) \
             AS v(line, recipient, payload, kind, reason)",
        )
        .bind(rows.iter().map(|row| row.line).collect::<Vec<_>>())
        .bind(column(|row| &row.recipient))
        .bind(column(|row| &row.payload))
        .bind(column(|row| &row.kind))
        .bind(column(|row| &row.reason))
        .bind(now())
        .execute(&mut *self.transaction)
        .await
        .map(drop)
    }

    shared_load_statements!();
}

/// Inserts rows in one statement; the lines that were already in the
/// journal (duplicates), in the order given.
async fn insert_rows(
    transaction: &mut Transaction<'static, Postgres>,
    rows: &[(i64, String, String)],
) -> Result<Vec<i64>, sqlx::Error> {
    let lines = rows.iter().map(|row| row.0).collect::<Vec<_>>();
    let recipients = rows.iter().map(|row| row.1.as_str()).collect::<Vec<_>>();
    let payloads = rows.iter().map(|row| row.2.as_str()).collect::<Vec<_>>();
    let inserted: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO journal_rows (line, recipient, payload, state, updated_at) \
         SELECT line, recipient, payload, 'pending', $4 \
         FROM UNNEST($1::bigint[], $2::text[], $3::text[]) AS v(line, recipient, payload) \
         ON CONFLICT (line) DO NOTHING RETURNING line",
    )
    .bind(&lines)
    .bind(recipients)
    .bind(payloads)
    .bind(now())
    .fetch_all(&mut **transaction)
    .await?;
    let inserted = inserted
        .into_iter()
        .collect::<std::collections::HashSet<_>>();
    let mut seen = std::collections::HashSet::new();
    Ok(lines
        .into_iter()
        .filter(|line| !inserted.contains(line) || !seen.insert(*line))
        .collect())
}
