//! The journal itself: a campaign's fingerprint and one row per recipient
//! with its state, in an SQLite file (one process) or a PostgreSQL
//! database (several workers).
//!
//! Both keep the same tables and states behind one type; the SQL differs
//! where the backends do (claims under leases exist only in PostgreSQL), so
//! each operation matches on the backend rather than going through sqlx's
//! `Any` driver, which would hide those differences behind strings.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Postgres, Sqlite, SqlitePool, Transaction};
use tokio::sync::OnceCell;

use crate::error::JournalError;
use crate::fingerprint::Fingerprint;
use crate::postgres::{self, ConnectError, Worker};
use crate::sqlite;
use crate::state::{RowRecord, RowState, Summary};
use crate::status::{self, STORED_RANK, StatusOutcome};

/// How long a write waits for another connection's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// How long a PostgreSQL worker's claims last without renewal, unless told.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// How many rows a load inserts per statement.
const LOAD_CHUNK: usize = 1000;

/// A campaign's journal, open and locked by this process. Cheap to clone;
/// the lock is released when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Journal {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    backend: Backend,
    /// The SQLite file, or the PostgreSQL URL without its password.
    path: PathBuf,
    fingerprint: Fingerprint,
}

#[derive(Debug)]
enum Backend {
    Sqlite {
        pool: SqlitePool,
        // Held, never read: the lock lasts as long as the file is open.
        // None for a journal opened only to record statuses.
        _lock: Option<File>,
        /// Set once the index by message id is known to exist.
        message_id_index: OnceCell<()>,
    },
    Postgres(Worker),
}

/// Runs the same code on either pool, for statements both backends share.
macro_rules! on_pool {
    ($journal:expr, $pool:ident => $body:expr) => {
        match &$journal.inner.backend {
            Backend::Sqlite { pool: $pool, .. } => $body,
            Backend::Postgres(Worker { pool: $pool, .. }) => $body,
        }
    };
}

/// A row claimed for sending: its state is `sending` in the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClaimedRow {
    /// The row's line in the source.
    pub line: u64,
    /// Who it goes to.
    pub recipient: String,
    /// Its values, as the application loaded them.
    pub payload: String,
}

impl ClaimedRow {
    /// The rows a claim's `RETURNING line, recipient, payload` gives, in line
    /// order (RETURNING gives none), on either database.
    pub(crate) fn in_line_order(rows: Vec<(i64, String, String)>) -> Vec<ClaimedRow> {
        let mut claimed = rows
            .into_iter()
            .map(|(line, recipient, payload)| ClaimedRow {
                line: line.unsigned_abs(),
                recipient,
                payload,
            })
            .collect::<Vec<_>>();
        claimed.sort_unstable_by_key(|row| row.line);
        claimed
    }
}

impl Journal {
    /// Opens the SQLite journal at `path`, creating it if missing, brings
    /// its schema up to date, and locks it (through `<path>.lock`) so no
    /// other process sends the same campaign at once.
    ///
    /// A journal recorded with another fingerprint is refused with
    /// [`JournalError::Mismatch`]. Rows a stopped run left `sending` become
    /// `unknown`: their request may have reached Kaleyra.
    ///
    /// The journal survives a crash of the process at any point. After a
    /// crash of the whole machine (power loss), the last commits before it
    /// may be lost, so a few rows claimed just before may be sent again.
    pub async fn open_sqlite(
        path: &Path,
        fingerprint: &Fingerprint,
    ) -> Result<Journal, JournalError> {
        let journal = Journal::connect(path, fingerprint.clone(), true).await?;
        if let Some(recorded) = journal.recorded_fingerprint().await? {
            check_same(path, &recorded, fingerprint)?;
        }
        journal.recover().await?;
        Ok(journal)
    }

    /// Opens an existing, loaded SQLite journal with the fingerprint it
    /// recorded, to report on it; locked as [`Journal::open_sqlite`] does.
    pub async fn open_sqlite_existing(path: &Path) -> Result<Journal, JournalError> {
        if !path.is_file() {
            return Err(JournalError::NotLoaded {
                journal: path.to_owned(),
                reason: "there is no such file".to_owned(),
            });
        }
        let journal = Journal::connect(path, unknown_fingerprint(), true).await?;
        let journal = journal.with_recorded_fingerprint().await?;
        journal.recover().await?;
        Ok(journal)
    }

    /// Opens the existing journal at `location` (a `postgres://` URL or an
    /// SQLite file) to record status callbacks with
    /// [`Journal::record_status`] while `kaleyra send` (or [`crate::send`])
    /// may be sending from it: an SQLite journal is not locked nor
    /// migrated (the sender does that before loading), and rows being sent
    /// are left as they are. [`JournalError::NotLoaded`] until a campaign
    /// is loaded into it.
    pub async fn open_for_statuses(location: &str) -> Result<Journal, JournalError> {
        if is_postgres_url(location) {
            return Journal::open_postgres_existing(location).await;
        }
        let path = Path::new(location);
        if !path.is_file() {
            return Err(JournalError::NotLoaded {
                journal: path.to_owned(),
                reason: "there is no such file".to_owned(),
            });
        }
        let journal = Journal::connect(path, unknown_fingerprint(), false).await?;
        // Before the sender's migrations, there is no campaign table yet.
        if !journal.has_campaign_table().await? {
            journal.close().await;
            return Err(JournalError::NotLoaded {
                journal: path.to_owned(),
                reason: "no campaign was loaded into it".to_owned(),
            });
        }
        journal.with_recorded_fingerprint().await
    }

    /// Joins the campaign kept in the PostgreSQL database at `url` as one
    /// of its workers, bringing the schema up to date. Any number of
    /// workers, on any machines, may join the same campaign at once.
    ///
    /// A database recorded with another fingerprint is refused with
    /// [`JournalError::Mismatch`]; keep one campaign per database (or per
    /// schema, with `?options=-c%20search_path%3Dcampaign_1` in the URL).
    ///
    /// The rows this worker claims are held under a lease of `lease`,
    /// renewed in the background while the journal is open. When a worker
    /// dies, once its lease runs out the rows it had claimed and not started
    /// go to the other workers, and the rows it was sending become
    /// `unknown`. Errors name the database by `url` without its password.
    pub async fn open_postgres(
        url: &str,
        fingerprint: &Fingerprint,
        lease: Duration,
    ) -> Result<Journal, JournalError> {
        let journal = Journal::connect_postgres(url, fingerprint.clone(), lease).await?;
        if let Some(recorded) = journal.recorded_fingerprint().await? {
            check_same(journal.path(), &recorded, fingerprint)?;
        }
        Ok(journal)
    }

    /// Opens an existing, loaded PostgreSQL journal with the fingerprint it
    /// recorded, to report on it or record statuses; it claims nothing.
    pub async fn open_postgres_existing(url: &str) -> Result<Journal, JournalError> {
        Journal::connect_postgres(url, unknown_fingerprint(), DEFAULT_LEASE)
            .await?
            .with_recorded_fingerprint()
            .await
    }

    /// Opens the existing journal at `location`: a `postgres://` or
    /// `postgresql://` URL, or else an SQLite file.
    pub async fn open_existing(location: &str) -> Result<Journal, JournalError> {
        if is_postgres_url(location) {
            Journal::open_postgres_existing(location).await
        } else {
            Journal::open_sqlite_existing(Path::new(location)).await
        }
    }

    /// This journal with the fingerprint it recorded; refused if it holds
    /// no campaign.
    async fn with_recorded_fingerprint(self) -> Result<Journal, JournalError> {
        let not_loaded = |journal: &Journal, reason: &str| JournalError::NotLoaded {
            journal: journal.inner.path.clone(),
            reason: reason.to_owned(),
        };
        let Some(recorded) = self.recorded_fingerprint().await? else {
            self.close().await;
            return Err(not_loaded(&self, "no campaign was loaded into it"));
        };
        let shared = not_loaded(&self, "it is shared");
        Ok(Journal {
            inner: Arc::new(Inner {
                fingerprint: recorded,
                ..Arc::into_inner(self.inner).ok_or(shared)?
            }),
        })
    }

    /// Opens and migrates the journal at `path`, locked when `locked`.
    async fn connect(
        path: &Path,
        fingerprint: Fingerprint,
        locked: bool,
    ) -> Result<Journal, JournalError> {
        let lock = if locked { Some(lock_file(path)?) } else { None };
        // Unlocked, the journal is the sender's: only it creates and migrates.
        let options = SqliteConnectOptions::new()
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
            .connect_with(options)
            .await
            .map_err(|source| JournalError::Database {
                journal: path.to_owned(),
                action: "opening",
                source,
            })?;
        if locked {
            sqlx::migrate!("./migrations/sqlite")
                .run(&pool)
                .await
                .map_err(|source| JournalError::Migrate {
                    journal: path.to_owned(),
                    source,
                })?;
        }
        Ok(Journal {
            inner: Arc::new(Inner {
                backend: Backend::Sqlite {
                    pool,
                    _lock: lock,
                    message_id_index: OnceCell::new(),
                },
                path: path.to_owned(),
                fingerprint,
            }),
        })
    }

    /// Connects to, migrates and joins the PostgreSQL journal at `url`.
    async fn connect_postgres(
        url: &str,
        fingerprint: Fingerprint,
        lease: Duration,
    ) -> Result<Journal, JournalError> {
        let path = PathBuf::from(postgres::redacted(url));
        let worker = Worker::connect(url, lease)
            .await
            .map_err(|error| match error {
                ConnectError::Database(source) => JournalError::Database {
                    journal: path.clone(),
                    action: "opening",
                    source,
                },
                ConnectError::Migrate(source) => JournalError::Migrate {
                    journal: path.clone(),
                    source,
                },
            })?;
        Ok(Journal {
            inner: Arc::new(Inner {
                backend: Backend::Postgres(worker),
                path,
                fingerprint,
            }),
        })
    }

    /// Where the journal is: the SQLite file, or the PostgreSQL URL without
    /// its password.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Whether the journal is kept in PostgreSQL (shared by workers).
    pub fn is_postgres(&self) -> bool {
        matches!(self.inner.backend, Backend::Postgres(_))
    }

    /// The fingerprint this journal was opened with.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.inner.fingerprint
    }

    /// Whether the campaign's rows were loaded (by a [`Loader`] that committed).
    pub async fn is_loaded(&self) -> Result<bool, JournalError> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM campaign")
                .fetch_one(pool)
                .await
        })
        .map_err(self.database("reading the campaign"))?;
        Ok(count > 0)
    }

    /// Starts loading the campaign's rows, all in one transaction: nothing is
    /// in the journal until [`Loader::commit`], so a load that is abandoned
    /// (a bad row, a crash) leaves the journal empty.
    ///
    /// On PostgreSQL, workers that start together load the rows once: the
    /// first takes a lock the others wait for, and they then get
    /// [`JournalError::AlreadyLoaded`] (or [`JournalError::Mismatch`] if
    /// the first loaded another campaign).
    pub async fn loader(&self) -> Result<Loader, JournalError> {
        let already = || JournalError::AlreadyLoaded {
            journal: self.inner.path.clone(),
        };
        match &self.inner.backend {
            Backend::Sqlite { pool, .. } => {
                if self.is_loaded().await? {
                    return Err(already());
                }
                let transaction = pool
                    .begin()
                    .await
                    .map_err(self.database("starting the load"))?;
                Ok(Loader {
                    journal: self.clone(),
                    transaction: LoadTransaction::Sqlite(transaction),
                    buffer: Vec::with_capacity(LOAD_CHUNK),
                })
            }
            Backend::Postgres(worker) => {
                let (transaction, loaded) = postgres::begin_load(&worker.pool)
                    .await
                    .map_err(self.database("starting the load"))?;
                if loaded {
                    drop(transaction);
                    if let Some(recorded) = self.recorded_fingerprint().await? {
                        check_same(self.path(), &recorded, self.fingerprint())?;
                    }
                    return Err(already());
                }
                Ok(Loader {
                    journal: self.clone(),
                    transaction: LoadTransaction::Postgres(transaction),
                    buffer: Vec::with_capacity(LOAD_CHUNK),
                })
            }
        }
    }

    /// How many rows are in each state.
    pub async fn summary(&self) -> Result<Summary, JournalError> {
        let counts: Vec<(String, i64)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT state, COUNT(*) FROM journal_rows GROUP BY state")
                .fetch_all(pool)
                .await
        })
        .map_err(self.database("counting rows"))?;
        let mut summary = Summary::default();
        for (state, count) in counts {
            let state = RowState::parse(&state)
                .ok_or_else(|| self.damaged(format!("a row has the unknown state `{state}`")))?;
            summary.add(state, count.unsigned_abs());
        }
        Ok(summary)
    }

    /// How many rows a run would send: pending and failed ones, and unknown
    /// ones when `resend_unknown`.
    pub async fn to_send(&self, resend_unknown: bool) -> Result<u64, JournalError> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM journal_rows WHERE state IN ('pending', 'failed', $1)",
            )
            .bind(resendable(resend_unknown))
            .fetch_one(pool)
            .await
        })
        .map_err(self.database("counting rows to send"))?;
        Ok(count.unsigned_abs())
    }

    /// Claims up to `limit` rows after line `after` to send, in line order,
    /// and marks them `sending` before returning them: the state is on disk
    /// before any of their requests leaves.
    ///
    /// Pending and failed rows are claimed, and unknown ones when
    /// `resend_unknown`. A run moves `after` forward, so it claims each row
    /// at most once.
    ///
    /// On PostgreSQL the rows are marked `claimed` by this worker, skipping
    /// rows other workers hold, and `after` is not used: rows a dead
    /// worker leaves may be behind it. Failed and unknown rows are claimed
    /// only once the worker that left them is gone, so each run tries them
    /// once. Call [`Journal::start`] before sending each one.
    pub async fn claim(
        &self,
        after: u64,
        limit: usize,
        resend_unknown: bool,
    ) -> Result<Vec<ClaimedRow>, JournalError> {
        let pool = match &self.inner.backend {
            Backend::Sqlite { pool, .. } => pool,
            Backend::Postgres(worker) => {
                return worker
                    .claim(limit, resend_unknown)
                    .await
                    .map_err(self.database("claiming rows"));
            }
        };
        // Read in the table's own order (by line) from `after`, stopping at
        // `limit`: no index by state, which would make SQLite read and sort
        // every due row after `after` at each claim.
        let rows = sqlx::query_as(
            "UPDATE journal_rows SET state = 'sending', attempts = attempts + 1, updated_at = ?1 \
             WHERE line IN (SELECT line FROM journal_rows \
                 WHERE line > ?2 AND state IN ('pending', 'failed', ?3) ORDER BY line LIMIT ?4) \
             RETURNING line, recipient, payload",
        )
        .bind(now())
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(resendable(resend_unknown))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await
        .map_err(self.database("claiming rows"))?;
        Ok(ClaimedRow::in_line_order(rows))
    }

    /// Marks claimed rows `sending` just before their requests start, and
    /// says whether they may be sent. On SQLite claimed rows are `sending`
    /// already and this is always true. On PostgreSQL it is false (and
    /// nothing changes) when this worker's lease ran out and the rows may
    /// have gone to another worker: then they must not be sent.
    pub async fn start(&self, lines: &[u64]) -> Result<bool, JournalError> {
        match &self.inner.backend {
            Backend::Sqlite { .. } => Ok(true),
            Backend::Postgres(worker) => worker
                .start(lines)
                .await
                .map_err(self.database("starting rows")),
        }
    }

    /// When no row is due, whether to try claiming again: on PostgreSQL,
    /// while other workers hold rows (claimed or sending), this waits a
    /// moment and returns true, since a worker that died leaves its rows to
    /// the others once its lease runs out. False when no other worker holds
    /// a row, and always on SQLite.
    pub async fn wait_for_others(&self) -> Result<bool, JournalError> {
        let Backend::Postgres(worker) = &self.inner.backend else {
            return Ok(false);
        };
        let held = worker
            .held_by_others()
            .await
            .map_err(self.database("reading other workers' rows"))?;
        if held == 0 {
            return Ok(false);
        }
        tokio::time::sleep(worker.poll_interval()).await;
        Ok(true)
    }

    /// Puts rows claimed (or started) but never sent back to `pending`, in
    /// one statement.
    pub async fn release(&self, lines: &[u64]) -> Result<(), JournalError> {
        let pool = match &self.inner.backend {
            Backend::Sqlite { pool, .. } => pool,
            Backend::Postgres(worker) => {
                return worker
                    .release(lines)
                    .await
                    .map_err(self.database("releasing rows"));
            }
        };
        sqlite::release(pool, lines)
            .await
            .map_err(self.database("releasing rows"))
    }

    /// Records what each row ended as, a batch at once (on SQLite, one
    /// statement for the rows sent and one for the others; each row's
    /// result stands alone). Only rows that are `sending` change: a result
    /// is never recorded over another.
    ///
    /// On PostgreSQL only rows this worker holds change; a row it was
    /// sending when its lease ran out (so marked `unknown` by another
    /// worker) takes the result that did arrive.
    pub async fn record(&self, results: &[(u64, RowRecord)]) -> Result<(), JournalError> {
        let pool = match &self.inner.backend {
            Backend::Sqlite { pool, .. } => pool,
            Backend::Postgres(worker) => {
                return worker
                    .record(results)
                    .await
                    .map_err(self.database("recording results"));
            }
        };
        sqlite::record(pool, results)
            .await
            .map_err(self.database("recording results"))
    }

    /// Closes the journal's connections: SQLite checkpoints its write-ahead
    /// log; a PostgreSQL worker gives up its lease, so whatever it still
    /// holds goes to the other workers at once.
    pub async fn close(&self) {
        match &self.inner.backend {
            Backend::Sqlite { pool, .. } => pool.close().await,
            Backend::Postgres(worker) => {
                if let Err(error) = worker.retire().await {
                    tracing::warn!(%error, "giving up the journal lease failed; it runs out by itself");
                }
                worker.pool.close().await;
            }
        }
    }

    /// Records one of Kaleyra's callbacks: a delivery status moves its row's
    /// last status forward (`sent` < `delivered` or `failed` < `read`),
    /// never back, so a late `sent` does not undo `delivered`. The row is
    /// the one its `ref` names (`<campaign id>:<line>`, as `kaleyra send`
    /// sets it), or else the one with its message id.
    ///
    /// Each event is applied once, by [`Event::idempotency_key`]: Kaleyra
    /// delivers at least once. An `unknown` row that gets a status was
    /// received by Kaleyra after all: it becomes `sent`.
    ///
    /// [`Event::idempotency_key`]: kaleyra_runtime::inbound::Event::idempotency_key
    pub async fn record_status(
        &self,
        event: &kaleyra_runtime::inbound::Event,
    ) -> Result<StatusOutcome, JournalError> {
        let Some(delivery) = status::status_of(event) else {
            return Ok(StatusOutcome::Ignored);
        };
        let Some((status_name, rank)) = status::rank(&delivery.status) else {
            return Ok(StatusOutcome::Ignored);
        };
        let line = delivery
            .references
            .reference
            .as_deref()
            .and_then(|reference| {
                status::line_of(reference, &self.inner.fingerprint.campaign_id())
            });
        // Matched by text, so one statement serves both keys.
        let (matched, key) = match line {
            Some(line) => ("line = CAST($1 AS BIGINT)", line.to_string()),
            None => ("message_id = $1", delivery.message_id.clone()),
        };
        if line.is_none() {
            self.index_message_ids().await?;
        }
        let failure = status::failure_text(delivery);
        let idempotency_key = event.idempotency_key();
        let database = self.database("recording a status");
        on_pool!(self, pool => {
            let mut transaction = pool.begin().await.map_err(self.database("recording a status"))?;
            let first = sqlx::query(
                "INSERT INTO callback_events (key, received_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(idempotency_key.as_str())
            .bind(now())
            .execute(&mut *transaction)
            .await
            .map_err(self.database("recording a status"))?;
            if first.rows_affected() == 0 {
                return Ok(StatusOutcome::Repeated);
            }
            let updated = sqlx::query(&format!(
                "UPDATE journal_rows SET last_status = $2, status_error = $3, \
                     message_id = COALESCE(message_id, $4), \
                     error_kind = CASE WHEN state = 'unknown' THEN NULL ELSE error_kind END, \
                     error = CASE WHEN state = 'unknown' THEN NULL ELSE error END, \
                     state = CASE WHEN state = 'unknown' THEN 'sent' ELSE state END, \
                     updated_at = $5 \
                 WHERE {matched} AND {STORED_RANK} < $6"
            ))
            .bind(&key)
            .bind(status_name)
            .bind(failure.as_deref())
            .bind(&delivery.message_id)
            .bind(now())
            .bind(rank)
            .execute(&mut *transaction)
            .await
            .map_err(self.database("recording a status"))?;
            let outcome = if updated.rows_affected() > 0 {
                StatusOutcome::Recorded
            } else {
                let exists: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM journal_rows WHERE {matched}"
                ))
                .bind(&key)
                .fetch_one(&mut *transaction)
                .await
                .map_err(self.database("recording a status"))?;
                if exists == 0 {
                    // Not kept: a later delivery may match (its row loaded).
                    return Ok(StatusOutcome::Unmatched);
                }
                StatusOutcome::Older
            };
            transaction.commit().await.map_err(database)?;
            Ok(outcome)
        })
    }

    /// Makes an SQLite journal's index by message id, if it has none yet.
    /// Sending does not keep one (see the migration `0003_rows_by_line`):
    /// rows are found by their line, and only a status callback without
    /// this campaign's `ref` needs its row found by message id.
    async fn index_message_ids(&self) -> Result<(), JournalError> {
        let Backend::Sqlite {
            pool,
            message_id_index,
            ..
        } = &self.inner.backend
        else {
            return Ok(());
        };
        message_id_index
            .get_or_try_init(|| async {
                sqlx::query(
                    "CREATE INDEX IF NOT EXISTS journal_rows_by_message_id ON journal_rows (message_id)",
                )
                .execute(pool)
                .await
                .map(drop)
            })
            .await
            .map_err(self.database("indexing message ids"))?;
        Ok(())
    }

    /// Whether an SQLite journal's schema was created.
    async fn has_campaign_table(&self) -> Result<bool, JournalError> {
        let Backend::Sqlite { pool, .. } = &self.inner.backend else {
            return Ok(true);
        };
        let tables: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'callback_events'",
        )
        .fetch_one(pool)
        .await
        .map_err(self.database("reading the schema"))?;
        Ok(tables > 0)
    }

    /// The fingerprint the journal recorded when it was loaded, if it was.
    async fn recorded_fingerprint(&self) -> Result<Option<Fingerprint>, JournalError> {
        let row: Option<(String, String, String, String, i64, String, String)> =
            on_pool!(self, pool => {
                sqlx::query_as(
                    "SELECT template, language, definition_hash, source, source_size, source_hash, mapping FROM campaign",
                )
                .fetch_optional(pool)
                .await
            })
            .map_err(self.database("reading the campaign"))?;
        Ok(row.map(
            |(template, language, definition_hash, source, size, source_hash, mapping)| {
                Fingerprint::new(
                    template,
                    language,
                    definition_hash,
                    source,
                    size.unsigned_abs(),
                    source_hash,
                    mapping,
                )
            },
        ))
    }

    /// Up to `limit` rows after line `after`, in line order, as they stand.
    pub async fn rows(&self, after: u64, limit: usize) -> Result<Vec<JournalRow>, JournalError> {
        type Columns = (
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            Option<String>,
            String,
        );
        let rows: Vec<Columns> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT line, recipient, state, message_id, error_kind, error, attempts, last_status, payload \
                 FROM journal_rows \
                 WHERE line > $1 ORDER BY line LIMIT $2",
            )
            .bind(i64::try_from(after).unwrap_or(i64::MAX))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(pool)
            .await
        })
        .map_err(self.database("reading rows"))?;
        rows.into_iter()
            .map(
                |(
                    line,
                    recipient,
                    state,
                    message_id,
                    error_kind,
                    error,
                    attempts,
                    last_status,
                    payload,
                )| {
                    Ok(JournalRow {
                        line: line.unsigned_abs(),
                        recipient,
                        state: RowState::parse(&state).ok_or_else(|| {
                            self.damaged(format!("a row has the unknown state `{state}`"))
                        })?,
                        message_id,
                        error_kind,
                        error,
                        attempts: attempts.unsigned_abs(),
                        last_status,
                        payload,
                    })
                },
            )
            .collect()
    }

    /// Rows a stopped run left `sending` may have been sent: they become
    /// `unknown`. (On PostgreSQL, other workers may be sending: their rows
    /// become `unknown` only when their lease runs out, at a claim.)
    async fn recover(&self) -> Result<(), JournalError> {
        let Backend::Sqlite { pool, .. } = &self.inner.backend else {
            return Ok(());
        };
        sqlx::query(
            "UPDATE journal_rows SET state = 'unknown', error_kind = 'interrupted', \
             error = 'the run sending it stopped before its result was recorded', updated_at = ?1 \
             WHERE state = 'sending'",
        )
        .bind(now())
        .execute(pool)
        .await
        .map_err(self.database("recovering rows of a stopped run"))?;
        Ok(())
    }

    fn database(&self, action: &'static str) -> impl FnOnce(sqlx::Error) -> JournalError + use<> {
        let journal = self.inner.path.clone();
        move |source| JournalError::Database {
            journal,
            action,
            source,
        }
    }

    fn damaged(&self, reason: String) -> JournalError {
        JournalError::Damaged {
            journal: self.inner.path.clone(),
            reason,
        }
    }
}

/// One row of a journal as it stands, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JournalRow {
    /// The row's line in the source.
    pub line: u64,
    /// Who it goes to.
    pub recipient: String,
    /// Where it is.
    pub state: RowState,
    /// Kaleyra's message id, once sent.
    pub message_id: Option<String>,
    /// The kind of the last error, such as `api` or `transport`.
    pub error_kind: Option<String>,
    /// The last error's text.
    pub error: Option<String>,
    /// How many times it was claimed for sending.
    pub attempts: u64,
    /// The furthest status Kaleyra's callbacks reported: `sent`,
    /// `delivered`, `read`, `failed` or `not-sent`; see
    /// [`Journal::record_status`].
    pub last_status: Option<String>,
    /// The values the row was loaded with ([`Loader::add`]'s `payload`).
    pub payload: String,
}

/// Each field of `given` must equal the one `recorded`.
fn check_same(
    journal: &Path,
    recorded: &Fingerprint,
    given: &Fingerprint,
) -> Result<(), JournalError> {
    for ((field, recorded), (_, given)) in recorded.fields().into_iter().zip(given.fields()) {
        if recorded != given {
            return Err(JournalError::Mismatch {
                journal: journal.to_owned(),
                field,
                recorded,
                given,
            });
        }
    }
    Ok(())
}

/// Loads a campaign's rows into a journal in one transaction; see
/// [`Journal::loader`]. Dropping it without [`Loader::commit`] loads nothing.
#[derive(Debug)]
pub struct Loader {
    journal: Journal,
    transaction: LoadTransaction,
    /// Rows added and not inserted yet: they go [`LOAD_CHUNK`] at a time,
    /// one statement each.
    buffer: Vec<(i64, String, String)>,
}

#[derive(Debug)]
enum LoadTransaction {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Loader {
    /// Adds the row at `line` of the source, to `recipient`, with the values
    /// the application will build its message from; it starts `pending`.
    ///
    /// A line given twice is refused with [`JournalError::DuplicateLine`],
    /// at the latest by [`Loader::commit`].
    pub async fn add(
        &mut self,
        line: u64,
        recipient: &str,
        payload: &str,
    ) -> Result<(), JournalError> {
        let line = i64::try_from(line).unwrap_or(i64::MAX);
        self.buffer
            .push((line, recipient.to_owned(), payload.to_owned()));
        if self.buffer.len() >= LOAD_CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    /// Inserts the rows buffered.
    async fn flush(&mut self) -> Result<(), JournalError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let database = self.journal.database("loading rows");
        let duplicate = match &mut self.transaction {
            LoadTransaction::Sqlite(transaction) => {
                sqlite::insert_rows(transaction, &self.buffer).await
            }
            LoadTransaction::Postgres(transaction) => {
                postgres::insert_rows(transaction, &self.buffer)
                    .await
                    .map(|duplicates| duplicates.into_iter().min())
            }
        }
        .map_err(database)?;
        self.buffer.clear();
        match duplicate {
            Some(line) => Err(JournalError::DuplicateLine {
                journal: self.journal.inner.path.clone(),
                line: line.unsigned_abs(),
            }),
            None => Ok(()),
        }
    }

    /// Records the campaign's fingerprint and makes every added row visible.
    pub async fn commit(mut self) -> Result<(), JournalError> {
        self.flush().await?;
        let fingerprint = &self.journal.inner.fingerprint;
        // One statement for both backends, built for each one's arguments.
        macro_rules! insert_campaign {
            () => {
                sqlx::query(
                    "INSERT INTO campaign (id, template, language, definition_hash, source, source_size, source_hash, mapping, created_at) \
                     VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&fingerprint.template)
                .bind(&fingerprint.language)
                .bind(&fingerprint.definition_hash)
                .bind(&fingerprint.source)
                .bind(i64::try_from(fingerprint.source_size).unwrap_or(i64::MAX))
                .bind(&fingerprint.source_hash)
                .bind(&fingerprint.mapping)
                .bind(now())
            };
        }
        let database = self.journal.database("recording the campaign");
        let committed = match self.transaction {
            LoadTransaction::Sqlite(mut transaction) => {
                insert_campaign!()
                    .execute(&mut *transaction)
                    .await
                    .map_err(database)?;
                transaction.commit().await
            }
            LoadTransaction::Postgres(mut transaction) => {
                insert_campaign!()
                    .execute(&mut *transaction)
                    .await
                    .map_err(database)?;
                transaction.commit().await
            }
        };
        committed.map_err(self.journal.database("committing the load"))
    }
}

/// The third state a claim takes besides pending and failed.
fn resendable(resend_unknown: bool) -> &'static str {
    if resend_unknown {
        RowState::Unknown.as_str()
    } else {
        RowState::Pending.as_str()
    }
}

/// Whether `location` names a PostgreSQL database rather than a file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A placeholder until a journal's recorded fingerprint is read.
fn unknown_fingerprint() -> Fingerprint {
    Fingerprint::new("", "", "", "", 0, "", "")
}

fn lock_file(journal: &Path) -> Result<File, JournalError> {
    let mut lock = journal.as_os_str().to_owned();
    lock.push(".lock");
    let lock = PathBuf::from(lock);
    let fail = |source| JournalError::Lock {
        journal: journal.to_owned(),
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
            journal: journal.to_owned(),
            lock,
        }),
        Err(TryLockError::Error(source)) => Err(fail(source)),
    }
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
