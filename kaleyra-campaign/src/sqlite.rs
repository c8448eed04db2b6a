//! The journal in an SQLite file, used by one process at a time: locked
//! through `<path>.lock` while a run sends from it.
//!
//! sqlx runs each SQLite statement on the connection's own thread and hands
//! the answer back through a channel, so one statement per row costs two
//! thread switches per row: more than sending the row's request. The
//! statements that touch many rows take a batch at once (as bound values,
//! or as one JSON value read with `json_each`), so a batch of any size
//! costs one statement.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqliteExecutor, SqlitePool, Transaction};
use tokio::sync::OnceCell;

use crate::error::JournalError;
use crate::open::{JournalOptions, JournalTarget};
use crate::sql::{resendable, shared_load_statements, shared_statements};
use crate::state::{ClaimedRow, RowRecord, SkippedRow, now};

/// How long a write waits for another connection's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// An open SQLite journal.
#[derive(Debug)]
pub(crate) struct SqliteJournal {
    pool: SqlitePool,
    // Held, never read: the lock lasts as long as the file is open.
    // None for a journal opened beside its sender, to record statuses.
    _lock: Option<File>,
    /// Set once the index by message id is known to exist.
    message_id_index: OnceCell<()>,
}

/// A load under way: one transaction.
#[derive(Debug)]
pub(crate) struct SqliteLoad {
    transaction: Transaction<'static, Sqlite>,
}

impl SqliteJournal {
    /// Opens the journal at `path` (named `journal` in errors) as `options`
    /// say. Beside a sender, the journal is the sender's: only it creates,
    /// locks and migrates.
    pub(crate) async fn open(
        path: &Path,
        journal: &JournalTarget,
        options: &JournalOptions,
    ) -> Result<SqliteJournal, JournalError> {
        if options.must_exist() && !path.is_file() {
            return Err(JournalError::NotLoaded {
                journal: journal.clone(),
                reason: "there is no such file".to_owned(),
            });
        }
        let locked = !options.beside_sender;
        let lock = if locked {
            Some(lock_file(path, journal)?)
        } else {
            None
        };
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(locked)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode, NORMAL keeps every commit across a crash of the
            // process (the case a journal is for: a kill, a panic, an OOM);
            // only a crash of the machine may lose the last commits. FULL
            // would fsync every claim and cost most of the send rate.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            // One connection claims rows while another records results.
            .max_connections(2)
            .connect_with(connect)
            .await
            .map_err(|source| JournalError::Database {
                journal: journal.clone(),
                action: "opening",
                source,
            })?;
        if locked {
            sqlx::migrate!("./migrations/sqlite")
                .run(&pool)
                .await
                .map_err(|source| JournalError::Migrate {
                    journal: journal.clone(),
                    source,
                })?;
        }
        Ok(SqliteJournal {
            pool,
            _lock: lock,
            message_id_index: OnceCell::new(),
        })
    }

    shared_statements!();

    /// Whether the journal's schema was created: before the sender's
    /// migrations, there is no campaign table yet.
    pub(crate) async fn has_schema(&self) -> Result<bool, sqlx::Error> {
        let tables: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'callback_events'",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(tables > 0)
    }

    /// Rows a stopped run left `sending` may have been sent: they become
    /// `unknown`.
    pub(crate) async fn recover(&self) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE journal_rows SET state = 'unknown', error_kind = 'interrupted', \
             error = 'the run sending it stopped before its result was recorded', updated_at = ?1 \
             WHERE state = 'sending'",
        )
        .bind(now())
        .execute(&self.pool)
        .await
        .map(drop)
    }

    /// Starts a load, unless a campaign was loaded already (then `None`).
    pub(crate) async fn begin_load(&self) -> Result<Option<SqliteLoad>, sqlx::Error> {
        if self.is_loaded().await? {
            return Ok(None);
        }
        let transaction = self.pool.begin().await?;
        Ok(Some(SqliteLoad { transaction }))
    }

    /// Claims up to `limit` due rows after line `after`, marking them
    /// `sending`.
    pub(crate) async fn claim(
        &self,
        after: u64,
        limit: usize,
        resend_unknown: bool,
        retry_failed: bool,
    ) -> Result<Vec<ClaimedRow>, sqlx::Error> {
        // Read in the table's own order (by line) from `after`, stopping at
        // `limit`: no index by state, which would make SQLite read and sort
        // every due row after `after` at each claim.
        let rows = sqlx::query_as(
            "UPDATE journal_rows SET state = 'sending', attempts = attempts + 1, updated_at = ?1 \
             WHERE line IN (SELECT line FROM journal_rows \
                 WHERE line > ?2 AND state IN ('pending', ?5, ?3) ORDER BY line LIMIT ?4) \
             RETURNING line, recipient, payload",
        )
        .bind(now())
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(resendable(resend_unknown))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(if retry_failed { "failed" } else { "pending" })
        .fetch_all(&self.pool)
        .await?;
        Ok(ClaimedRow::in_line_order(rows))
    }

    /// Claimed rows are `sending` already, and no one else sends them:
    /// always true.
    pub(crate) async fn start(&self, _lines: &[u64]) -> Result<bool, sqlx::Error> {
        Ok(true)
    }

    /// No other process sends from the journal: there is never anyone to
    /// wait for.
    pub(crate) async fn wait_for_others(&self) -> Result<bool, sqlx::Error> {
        Ok(false)
    }

    /// Records each row's result: see [`record`].
    pub(crate) async fn record(&self, results: &[(u64, RowRecord)]) -> Result<(), sqlx::Error> {
        record(&self.pool, results).await
    }

    /// Puts rows claimed but never sent back to `pending`.
    pub(crate) async fn release(&self, lines: &[u64]) -> Result<(), sqlx::Error> {
        release(&self.pool, lines).await
    }

    /// Makes the index by message id, if there is none yet. Sending does
    /// not keep one (see the migration `0003_rows_by_line`): rows are found
    /// by their line, and only a status callback without this campaign's
    /// `ref` needs its row found by message id.
    pub(crate) async fn index_message_ids(&self) -> Result<(), sqlx::Error> {
        self.message_id_index
            .get_or_try_init(|| async {
                sqlx::query(
                    "CREATE INDEX IF NOT EXISTS journal_rows_by_message_id ON journal_rows (message_id)",
                )
                .execute(&self.pool)
                .await
                .map(drop)
            })
            .await
            .map(drop)
    }

    /// Closes the connections: SQLite checkpoints its write-ahead log.
    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }
}

impl SqliteLoad {
    /// Inserts rows (line, recipient, payload) as `pending`; the smallest
    /// line that was already in the journal, or given twice, if any (then
    /// none of these rows is inserted).
    pub(crate) async fn insert_rows(
        &mut self,
        rows: &[(i64, String, String)],
    ) -> Result<Option<i64>, sqlx::Error> {
        insert_rows(&mut self.transaction, rows).await
    }

    pub(crate) async fn insert_skipped(&mut self, rows: &[SkippedRow]) -> Result<(), sqlx::Error> {
        let now = now();
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO journal_rows (line, recipient, payload, state, error_kind, error, updated_at) ",
        );
        insert.push_values(rows, |mut values, row| {
            values
                .push_bind(row.line)
                .push_bind(row.recipient.as_str())
                .push_bind(row.payload.as_str())
                .push("'skipped'")
                .push_bind(row.kind.as_str())
                .push_bind(row.reason.as_str())
                .push_bind(now);
        });
        insert
            .build()
            .execute(&mut *self.transaction)
            .await
            .map(drop)
    }

    shared_load_statements!();
}

/// Locks the journal at `path` through `<path>.lock`, held as long as the
/// file returned is open.
fn lock_file(path: &Path, journal: &JournalTarget) -> Result<File, JournalError> {
    let mut lock = path.as_os_str().to_owned();
    lock.push(".lock");
    let lock = PathBuf::from(lock);
    let fail = |source| JournalError::Lock {
        journal: journal.clone(),
        lock: lock.clone(),
        source,
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .map_err(fail)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(JournalError::Locked {
            journal: journal.clone(),
            lock,
        }),
        Err(TryLockError::Error(source)) => Err(fail(source)),
    }
}

/// Inserts `rows` (line, recipient, payload) as `pending`. When a line is
/// already in the journal, or given twice, nothing is inserted and the
/// smallest such line is returned.
async fn insert_rows(
    transaction: &mut Transaction<'static, Sqlite>,
    rows: &[(i64, String, String)],
) -> Result<Option<i64>, sqlx::Error> {
    // Bound values: SQLite copies them as they are, where a JSON array
    // would be written and parsed again. Chunks of one size share one
    // prepared statement.
    let now = now();
    let mut insert = QueryBuilder::<Sqlite>::new(
        "INSERT INTO journal_rows (line, recipient, payload, state, updated_at) ",
    );
    insert.push_values(rows, |mut values, (line, recipient, payload)| {
        values
            .push_bind(*line)
            .push_bind(recipient.as_str())
            .push_bind(payload.as_str())
            .push("'pending'")
            .push_bind(now);
    });
    let inserted = insert.build().execute(&mut **transaction).await;
    match inserted {
        Ok(_) => Ok(None),
        // SQLite undid the statement; the transaction goes on.
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            let mut lines = rows.iter().map(|row| row.0).collect::<Vec<_>>();
            lines.sort_unstable();
            let twice = lines.windows(2).find(|pair| pair[0] == pair[1]);
            let already: Option<i64> = sqlx::query_scalar(
                "SELECT MIN(r.line) FROM json_each(?1) AS v JOIN journal_rows r ON r.line = v.value",
            )
            .bind(json(&lines)?)
            .fetch_one(&mut **transaction)
            .await?;
            match twice.map(|pair| pair[0]).into_iter().chain(already).min() {
                Some(line) => Ok(Some(line)),
                // No line to blame: the refusal stands as it came.
                None => Err(sqlx::Error::Database(error)),
            }
        }
        Err(error) => Err(error),
    }
}

/// Records each row's result; only rows still `sending` change.
///
/// Rows sent go as one JSON object of message ids by line, whose values
/// SQLite reads as they are: reading a field of a nested value parses it
/// again, which for the usual batch (every row sent) cost more than the
/// update itself. Rows that failed, or whose fate is unknown, go as arrays.
async fn record(pool: &SqlitePool, results: &[(u64, RowRecord)]) -> Result<(), sqlx::Error> {
    let mut sent = serde_json::Map::new();
    let mut others = Vec::new();
    for (line, record) in results {
        let (message_id, kind, error) = record.columns();
        match record {
            RowRecord::Sent { .. } => {
                sent.insert(line.to_string(), message_id.into());
            }
            RowRecord::Failed { .. } | RowRecord::Unknown { .. } => {
                others.push((as_i64(*line), record.state().as_str(), kind, error));
            }
        }
    }
    if !sent.is_empty() {
        sqlx::query(
            "UPDATE journal_rows SET state = 'sent', message_id = v.value, error_kind = NULL, \
                 error = NULL, updated_at = ?2 \
             FROM json_each(?1) AS v \
             WHERE journal_rows.line = CAST(v.key AS INTEGER) AND journal_rows.state = 'sending'",
        )
        .bind(json(&sent)?)
        .bind(now())
        .execute(pool)
        .await?;
    }
    if !others.is_empty() {
        sqlx::query(
            "UPDATE journal_rows SET state = v.value ->> 1, message_id = NULL, \
                 error_kind = v.value ->> 2, error = v.value ->> 3, updated_at = ?2 \
             FROM json_each(?1) AS v \
             WHERE journal_rows.line = v.value ->> 0 AND journal_rows.state = 'sending'",
        )
        .bind(json(&others)?)
        .bind(now())
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// Puts rows claimed but never sent back to `pending`, in one statement.
async fn release(executor: impl SqliteExecutor<'_>, lines: &[u64]) -> Result<(), sqlx::Error> {
    let lines = lines.iter().copied().map(as_i64).collect::<Vec<_>>();
    sqlx::query(
        "UPDATE journal_rows SET state = 'pending', attempts = attempts - 1, updated_at = ?2 \
         FROM json_each(?1) AS v \
         WHERE journal_rows.line = v.value AND journal_rows.state = 'sending'",
    )
    .bind(json(&lines)?)
    .bind(now())
    .execute(executor)
    .await
    .map(drop)
}

/// Rows of plain data (numbers, strings, options) as one JSON array.
fn json(rows: &(impl serde::Serialize + ?Sized)) -> Result<String, sqlx::Error> {
    serde_json::to_string(rows).map_err(|error| sqlx::Error::Encode(Box::new(error)))
}

fn as_i64(line: u64) -> i64 {
    i64::try_from(line).unwrap_or(i64::MAX)
}
