//! The journal itself: an SQLite file holding a campaign's fingerprint and
//! one row per recipient with its state.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};

use crate::error::JournalError;
use crate::fingerprint::Fingerprint;
use crate::state::{RowRecord, RowState, Summary};

/// How long a write waits for another connection's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A campaign's journal, open and locked by this process. Cheap to clone;
/// the lock is released when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Journal {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    pool: SqlitePool,
    path: PathBuf,
    fingerprint: Fingerprint,
    // Held, never read: the lock lasts as long as the file is open.
    _lock: File,
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
        let journal = Journal::connect(path, fingerprint.clone()).await?;
        if let Some(recorded) = journal.recorded_fingerprint().await? {
            check_same(path, &recorded, fingerprint)?;
        }
        journal.recover().await?;
        Ok(journal)
    }

    /// Opens an existing, loaded SQLite journal with the fingerprint it
    /// recorded, to report on it; locked as [`Journal::open_sqlite`] does.
    pub async fn open_sqlite_existing(path: &Path) -> Result<Journal, JournalError> {
        let not_loaded = |reason: &str| JournalError::NotLoaded {
            journal: path.to_owned(),
            reason: reason.to_owned(),
        };
        if !path.is_file() {
            return Err(not_loaded("there is no such file"));
        }
        let unknown = Fingerprint::new("", "", "", "", 0, "", "");
        let journal = Journal::connect(path, unknown).await?;
        let recorded = journal
            .recorded_fingerprint()
            .await?
            .ok_or_else(|| not_loaded("no campaign was loaded into it"))?;
        let journal = Journal {
            inner: Arc::new(Inner {
                fingerprint: recorded,
                ..Arc::into_inner(journal.inner).ok_or_else(|| not_loaded("it is shared"))?
            }),
        };
        journal.recover().await?;
        Ok(journal)
    }

    /// Locks, opens and migrates the journal at `path`.
    async fn connect(path: &Path, fingerprint: Fingerprint) -> Result<Journal, JournalError> {
        let lock = lock_file(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
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
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|source| JournalError::Migrate {
                journal: path.to_owned(),
                source,
            })?;
        Ok(Journal {
            inner: Arc::new(Inner {
                pool,
                path: path.to_owned(),
                fingerprint,
                _lock: lock,
            }),
        })
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The fingerprint this journal was opened with.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.inner.fingerprint
    }

    /// Whether the campaign's rows were loaded (by a [`Loader`] that committed).
    pub async fn is_loaded(&self) -> Result<bool, JournalError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaign")
            .fetch_one(&self.inner.pool)
            .await
            .map_err(self.database("reading the campaign"))?;
        Ok(count > 0)
    }

    /// Starts loading the campaign's rows, all in one transaction: nothing is
    /// in the journal until [`Loader::commit`], so a load that is abandoned
    /// (a bad row, a crash) leaves the journal empty.
    pub async fn loader(&self) -> Result<Loader, JournalError> {
        if self.is_loaded().await? {
            return Err(JournalError::AlreadyLoaded {
                journal: self.inner.path.clone(),
            });
        }
        let transaction = self
            .inner
            .pool
            .begin()
            .await
            .map_err(self.database("starting the load"))?;
        Ok(Loader {
            journal: self.clone(),
            transaction,
        })
    }

    /// How many rows are in each state.
    pub async fn summary(&self) -> Result<Summary, JournalError> {
        let rows = sqlx::query("SELECT state, COUNT(*) FROM journal_rows GROUP BY state")
            .fetch_all(&self.inner.pool)
            .await
            .map_err(self.database("counting rows"))?;
        let mut summary = Summary::default();
        for row in rows {
            let state: String = row.get(0);
            let count: i64 = row.get(1);
            let state = RowState::parse(&state)
                .ok_or_else(|| self.damaged(format!("a row has the unknown state `{state}`")))?;
            summary.add(state, count.unsigned_abs());
        }
        Ok(summary)
    }

    /// How many rows a run would send: pending and failed ones, and unknown
    /// ones when `resend_unknown`.
    pub async fn to_send(&self, resend_unknown: bool) -> Result<u64, JournalError> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM journal_rows WHERE state IN ('pending', 'failed', ?1)",
        )
        .bind(resendable(resend_unknown))
        .fetch_one(&self.inner.pool)
        .await
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
    pub async fn claim(
        &self,
        after: u64,
        limit: usize,
        resend_unknown: bool,
    ) -> Result<Vec<ClaimedRow>, JournalError> {
        let rows = sqlx::query(
            "UPDATE journal_rows SET state = 'sending', attempts = attempts + 1, updated_at = ?1 \
             WHERE line IN (SELECT line FROM journal_rows \
                 WHERE line > ?2 AND state IN ('pending', 'failed', ?3) ORDER BY line LIMIT ?4) \
             RETURNING line, recipient, payload",
        )
        .bind(now())
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(resendable(resend_unknown))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.inner.pool)
        .await
        .map_err(self.database("claiming rows"))?;
        let mut claimed = rows
            .into_iter()
            .map(|row| ClaimedRow {
                line: row.get::<i64, _>(0).unsigned_abs(),
                recipient: row.get(1),
                payload: row.get(2),
            })
            .collect::<Vec<_>>();
        // RETURNING gives no order.
        claimed.sort_unstable_by_key(|row| row.line);
        Ok(claimed)
    }

    /// Puts rows claimed but never sent back to `pending`, in one transaction.
    pub async fn release(&self, lines: &[u64]) -> Result<(), JournalError> {
        let mut transaction = self
            .inner
            .pool
            .begin()
            .await
            .map_err(self.database("releasing rows"))?;
        for line in lines {
            sqlx::query(
                "UPDATE journal_rows SET state = 'pending', attempts = attempts - 1, updated_at = ?1 \
                 WHERE line = ?2 AND state = 'sending'",
            )
            .bind(now())
            .bind(i64::try_from(*line).unwrap_or(i64::MAX))
            .execute(&mut *transaction)
            .await
            .map_err(self.database("releasing rows"))?;
        }
        transaction
            .commit()
            .await
            .map_err(self.database("releasing rows"))
    }

    /// Records what each row ended as, in one transaction. Only rows that
    /// are `sending` change: a result is never recorded over another.
    pub async fn record(&self, results: &[(u64, RowRecord)]) -> Result<(), JournalError> {
        let mut transaction = self
            .inner
            .pool
            .begin()
            .await
            .map_err(self.database("recording results"))?;
        let now = now();
        for (line, record) in results {
            let (message_id, kind, error) = match record {
                RowRecord::Sent { message_id } => (message_id.as_deref(), None, None),
                RowRecord::Failed { kind, error } | RowRecord::Unknown { kind, error } => {
                    (None, Some(kind.as_str()), Some(error.as_str()))
                }
            };
            sqlx::query(
                "UPDATE journal_rows SET state = ?1, message_id = ?2, error_kind = ?3, error = ?4, updated_at = ?5 \
                 WHERE line = ?6 AND state = 'sending'",
            )
            .bind(record.state().as_str())
            .bind(message_id)
            .bind(kind)
            .bind(error)
            .bind(now)
            .bind(i64::try_from(*line).unwrap_or(i64::MAX))
            .execute(&mut *transaction)
            .await
            .map_err(self.database("recording results"))?;
        }
        transaction
            .commit()
            .await
            .map_err(self.database("recording results"))
    }

    /// Closes the journal's connections, checkpointing its write-ahead log.
    pub async fn close(&self) {
        self.inner.pool.close().await;
    }

    /// The fingerprint the journal recorded when it was loaded, if it was.
    async fn recorded_fingerprint(&self) -> Result<Option<Fingerprint>, JournalError> {
        let row = sqlx::query(
            "SELECT template, language, definition_hash, source, source_size, source_hash, mapping FROM campaign",
        )
        .fetch_optional(&self.inner.pool)
        .await
        .map_err(self.database("reading the campaign"))?;
        Ok(row.map(|row| {
            Fingerprint::new(
                row.get::<String, _>(0),
                row.get::<String, _>(1),
                row.get::<String, _>(2),
                row.get::<String, _>(3),
                row.get::<i64, _>(4).unsigned_abs(),
                row.get::<String, _>(5),
                row.get::<String, _>(6),
            )
        }))
    }

    /// Up to `limit` rows after line `after`, in line order, as they stand.
    pub async fn rows(&self, after: u64, limit: usize) -> Result<Vec<JournalRow>, JournalError> {
        let rows = sqlx::query(
            "SELECT line, recipient, state, message_id, error_kind, error, attempts FROM journal_rows \
             WHERE line > ?1 ORDER BY line LIMIT ?2",
        )
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.inner.pool)
        .await
        .map_err(self.database("reading rows"))?;
        rows.into_iter()
            .map(|row| {
                let state: String = row.get(2);
                Ok(JournalRow {
                    line: row.get::<i64, _>(0).unsigned_abs(),
                    recipient: row.get(1),
                    state: RowState::parse(&state).ok_or_else(|| {
                        self.damaged(format!("a row has the unknown state `{state}`"))
                    })?,
                    message_id: row.get(3),
                    error_kind: row.get(4),
                    error: row.get(5),
                    attempts: row.get::<i64, _>(6).unsigned_abs(),
                })
            })
            .collect()
    }

    /// Rows a stopped run left `sending` may have been sent: they become `unknown`.
    async fn recover(&self) -> Result<(), JournalError> {
        sqlx::query(
            "UPDATE journal_rows SET state = 'unknown', error_kind = 'interrupted', \
             error = 'the run sending it stopped before its result was recorded', updated_at = ?1 \
             WHERE state = 'sending'",
        )
        .bind(now())
        .execute(&self.inner.pool)
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
    transaction: Transaction<'static, Sqlite>,
}

impl Loader {
    /// Adds the row at `line` of the source, to `recipient`, with the values
    /// the application will build its message from; it starts `pending`.
    pub async fn add(
        &mut self,
        line: u64,
        recipient: &str,
        payload: &str,
    ) -> Result<(), JournalError> {
        let result = sqlx::query(
            "INSERT INTO journal_rows (line, recipient, payload, state, updated_at) VALUES (?1, ?2, ?3, 'pending', ?4)",
        )
        .bind(i64::try_from(line).unwrap_or(i64::MAX))
        .bind(recipient)
        .bind(payload)
        .bind(now())
        .execute(&mut *self.transaction)
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                Err(JournalError::DuplicateLine {
                    journal: self.journal.inner.path.clone(),
                    line,
                })
            }
            Err(source) => Err(self.journal.database("loading rows")(source)),
        }
    }

    /// Records the campaign's fingerprint and makes every added row visible.
    pub async fn commit(mut self) -> Result<(), JournalError> {
        let fingerprint = &self.journal.inner.fingerprint;
        sqlx::query(
            "INSERT INTO campaign (id, template, language, definition_hash, source, source_size, source_hash, mapping, created_at) \
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(&fingerprint.template)
        .bind(&fingerprint.language)
        .bind(&fingerprint.definition_hash)
        .bind(&fingerprint.source)
        .bind(i64::try_from(fingerprint.source_size).unwrap_or(i64::MAX))
        .bind(&fingerprint.source_hash)
        .bind(&fingerprint.mapping)
        .bind(now())
        .execute(&mut *self.transaction)
        .await
        .map_err(self.journal.database("recording the campaign"))?;
        self.transaction
            .commit()
            .await
            .map_err(self.journal.database("committing the load"))
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

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
