//! The journal's engine: a campaign's fingerprint and one row per recipient
//! with its state, kept through one [`Backend`] (an SQLite file for one
//! process, or a PostgreSQL database for several workers).
//!
//! The engine holds what does not depend on the backend: which fingerprint
//! a journal is opened with, reading rows and states back, naming the
//! journal in errors. The backends hold the SQL.

use std::sync::Arc;

use crate::backend::{Backend, Load};
use crate::error::JournalError;
use crate::fingerprint::Fingerprint;
use crate::open::{JournalOptions, JournalTarget};
use crate::sql::{RowKey, StatusUpdate};
use crate::state::{
    ClaimedRow, FailureCount, JournalRow, RowRecord, RowState, SkippedRow, Summary,
};
use crate::status::{self, StatusOutcome};

/// How many rows a load inserts per statement.
const LOAD_CHUNK: usize = 1000;

/// A campaign's journal, open (and, an SQLite journal opened to send from,
/// locked) by this process. Cheap to clone; the lock is released when the
/// last clone is dropped.
#[derive(Debug, Clone)]
pub struct Journal {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    backend: Backend,
    target: JournalTarget,
    fingerprint: Fingerprint,
}

impl Journal {
    /// Opens the journal at `target`, as `options` say: for a campaign to
    /// send ([`JournalOptions::campaign`]: created when missing, refused
    /// with [`JournalError::Mismatch`] if it recorded another fingerprint),
    /// or an existing, loaded one ([`JournalOptions::existing`],
    /// [`JournalOptions::statuses`]), with the fingerprint it recorded.
    ///
    /// An SQLite journal's schema is brought up to date and the file locked
    /// (through `<path>.lock`) so no other process sends the same campaign
    /// at once; rows a stopped run left `sending` become `unknown`, since
    /// their request may have reached Kaleyra. The journal survives a crash
    /// of the process at any point. After a crash of the whole machine
    /// (power loss), the last commits before it may be lost, so a few rows
    /// claimed just before may be sent again.
    ///
    /// A PostgreSQL journal is joined as one of its workers, bringing the
    /// schema up to date; any number of workers, on any machines, may join
    /// the same campaign at once. Keep one campaign per database (or per
    /// schema, with `?options=-c%20search_path%3Dcampaign_1` in the URL).
    /// The rows this worker claims are held under the options' lease,
    /// renewed in the background while the journal is open. When a worker
    /// dies, once its lease runs out the rows it had claimed and not
    /// started go to the other workers, and the rows it was sending become
    /// `unknown`. Errors name the database by its URL without its password.
    pub async fn open(
        target: JournalTarget,
        options: JournalOptions,
    ) -> Result<Journal, JournalError> {
        let backend = Backend::open(&target, &options).await?;
        let journal = Journal {
            inner: Arc::new(Inner {
                backend,
                target,
                fingerprint: options.campaign.clone().unwrap_or_else(unknown_fingerprint),
            }),
        };
        let journal = match &options.campaign {
            Some(given) => match journal.recorded_fingerprint().await? {
                // Its recorded source says where it was loaded from, which
                // may differ from where the file is now.
                Some(recorded) => {
                    journal.check_same(&recorded, given)?;
                    journal.with_recorded_fingerprint().await?
                }
                None => journal,
            },
            None => {
                if !journal
                    .backend()
                    .has_schema()
                    .await
                    .map_err(journal.database("reading the schema"))?
                {
                    journal.close().await;
                    return Err(journal.not_loaded("no campaign was loaded into it"));
                }
                journal.with_recorded_fingerprint().await?
            }
        };
        // Beside a sender, the rows `sending` are the sender's.
        if !options.beside_sender {
            journal
                .backend()
                .recover()
                .await
                .map_err(journal.database("recovering rows of a stopped run"))?;
        }
        Ok(journal)
    }

    /// This journal with the fingerprint it recorded; refused if it holds
    /// no campaign.
    async fn with_recorded_fingerprint(self) -> Result<Journal, JournalError> {
        let Some(recorded) = self.recorded_fingerprint().await? else {
            self.close().await;
            return Err(self.not_loaded("no campaign was loaded into it"));
        };
        let shared = self.not_loaded("it is shared");
        Ok(Journal {
            inner: Arc::new(Inner {
                fingerprint: recorded,
                ..Arc::into_inner(self.inner).ok_or(shared)?
            }),
        })
    }

    fn backend(&self) -> &Backend {
        &self.inner.backend
    }

    /// Where the journal is; displayed as the SQLite file's path, or the
    /// PostgreSQL URL without its password.
    pub fn target(&self) -> &JournalTarget {
        &self.inner.target
    }

    /// Whether the journal is kept in PostgreSQL (shared by workers).
    pub fn is_postgres(&self) -> bool {
        self.backend().is_postgres()
    }

    /// The fingerprint this journal was opened with, or the one it recorded
    /// when it was loaded (whose `source` is where the rows were loaded from).
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.inner.fingerprint
    }

    /// Whether the campaign's rows were loaded (by a [`Loader`] that committed).
    pub async fn is_loaded(&self) -> Result<bool, JournalError> {
        self.backend()
            .is_loaded()
            .await
            .map_err(self.database("reading the campaign"))
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
        let load = self
            .backend()
            .begin_load()
            .await
            .map_err(self.database("starting the load"))?;
        let Some(load) = load else {
            // Loaded since this journal was opened, by another worker.
            if let Some(recorded) = self.recorded_fingerprint().await? {
                self.check_same(&recorded, self.fingerprint())?;
            }
            return Err(JournalError::AlreadyLoaded {
                journal: self.target().clone(),
            });
        };
        Ok(Loader {
            journal: self.clone(),
            load,
            buffer: Vec::with_capacity(LOAD_CHUNK),
            skipped: Vec::new(),
        })
    }

    /// How many rows are in each state.
    pub async fn summary(&self) -> Result<Summary, JournalError> {
        let counts = self
            .backend()
            .counts_by_state()
            .await
            .map_err(self.database("counting rows"))?;
        let mut summary = Summary::default();
        for (state, count) in counts {
            summary.add(self.state(&state)?, count.unsigned_abs());
        }
        Ok(summary)
    }

    /// The rows whose `failed` status carried a code, grouped by code,
    /// the most frequent first.
    pub async fn failures_by_code(&self) -> Result<Vec<FailureCount>, JournalError> {
        let groups = self
            .backend()
            .failures_by_code()
            .await
            .map_err(self.database("counting failures by code"))?;
        Ok(groups
            .into_iter()
            .map(|(code, title, rows, first_line)| FailureCount {
                code,
                title,
                rows: rows.unsigned_abs(),
                first_line: first_line.unsigned_abs(),
            })
            .collect())
    }

    /// How many rows a run would send: pending and failed ones, and unknown
    /// ones when `resend_unknown`.
    pub async fn to_send(&self, resend_unknown: bool) -> Result<u64, JournalError> {
        let count = self
            .backend()
            .to_send(resend_unknown)
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
        self.backend()
            .claim(after, limit, resend_unknown, true)
            .await
            .map_err(self.database("claiming rows"))
    }

    /// [`Journal::claim`] of `pending` rows only: the rows a throttled run
    /// put back, sent again after its first pass, without those that failed
    /// in it (which a rerun sends, not the same run).
    pub async fn claim_pending(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<ClaimedRow>, JournalError> {
        self.backend()
            .claim(after, limit, false, false)
            .await
            .map_err(self.database("claiming rows"))
    }

    /// Marks claimed rows `sending` just before their requests start, and
    /// says whether they may be sent. On SQLite claimed rows are `sending`
    /// already and this is always true. On PostgreSQL it is false (and
    /// nothing changes) when this worker's lease ran out and the rows may
    /// have gone to another worker: then they must not be sent.
    pub async fn start(&self, lines: &[u64]) -> Result<bool, JournalError> {
        self.backend()
            .start(lines)
            .await
            .map_err(self.database("starting rows"))
    }

    /// When no row is due, whether to try claiming again: on PostgreSQL,
    /// while other workers hold rows (claimed or sending), this waits a
    /// moment and returns true, since a worker that died leaves its rows to
    /// the others once its lease runs out. False when no other worker holds
    /// a row, and always on SQLite.
    pub async fn wait_for_others(&self) -> Result<bool, JournalError> {
        self.backend()
            .wait_for_others()
            .await
            .map_err(self.database("reading other workers' rows"))
    }

    /// Puts rows claimed (or started) but never sent back to `pending`, in
    /// one statement.
    pub async fn release(&self, lines: &[u64]) -> Result<(), JournalError> {
        self.backend()
            .release(lines)
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
        self.backend()
            .record(results)
            .await
            .map_err(self.database("recording results"))
    }

    /// Closes the journal's connections: SQLite checkpoints its write-ahead
    /// log; a PostgreSQL worker gives up its lease, so whatever it still
    /// holds goes to the other workers at once.
    pub async fn close(&self) {
        self.backend().close().await;
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
    /// [`Event::idempotency_key`]: kaleyra_runtime::callbacks::Event::idempotency_key
    pub async fn record_status(
        &self,
        event: &kaleyra_runtime::callbacks::Event,
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
            .and_then(|reference| status::line_of(reference, &self.fingerprint().campaign_id()));
        let row = match line {
            Some(line) => RowKey::Line(line),
            None => {
                self.backend()
                    .index_message_ids()
                    .await
                    .map_err(self.database("indexing message ids"))?;
                RowKey::MessageId(delivery.message_id.clone())
            }
        };
        let event_key = event.idempotency_key();
        let update = StatusUpdate {
            event_key: event_key.as_str(),
            row,
            status: status_name,
            rank,
            failure: status::failure_text(delivery),
            code: delivery
                .error
                .as_ref()
                .and_then(|error| error.code.as_deref()),
            title: delivery.error.as_ref().and_then(|error| error.title()),
            message_id: &delivery.message_id,
        };
        self.backend()
            .record_status(&update)
            .await
            .map_err(self.database("recording a status"))
    }

    /// The fingerprint the journal recorded when it was loaded, if it was.
    async fn recorded_fingerprint(&self) -> Result<Option<Fingerprint>, JournalError> {
        self.backend()
            .recorded_fingerprint()
            .await
            .map_err(self.database("reading the campaign"))
    }

    /// Up to `limit` rows after line `after`, in line order, as they stand.
    pub async fn rows(&self, after: u64, limit: usize) -> Result<Vec<JournalRow>, JournalError> {
        let rows = self
            .backend()
            .rows(after, limit)
            .await
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
                    error_code,
                    error_title,
                )| {
                    Ok(JournalRow {
                        line: line.unsigned_abs(),
                        recipient,
                        state: self.state(&state)?,
                        message_id,
                        error_kind,
                        error,
                        attempts: attempts.unsigned_abs(),
                        last_status,
                        payload,
                        error_code,
                        error_title,
                    })
                },
            )
            .collect()
    }

    /// The state a row's stored `state` names.
    fn state(&self, name: &str) -> Result<RowState, JournalError> {
        RowState::parse(name).ok_or_else(|| JournalError::Damaged {
            journal: self.target().clone(),
            reason: format!("a row has the unknown state `{name}`"),
        })
    }

    /// Each field of `given` must equal the one `recorded`.
    fn check_same(&self, recorded: &Fingerprint, given: &Fingerprint) -> Result<(), JournalError> {
        for ((field, recorded), (_, given)) in recorded.fields().into_iter().zip(given.fields()) {
            if recorded != given {
                return Err(JournalError::Mismatch {
                    journal: self.target().clone(),
                    field,
                    recorded,
                    given,
                });
            }
        }
        Ok(())
    }

    fn not_loaded(&self, reason: &str) -> JournalError {
        JournalError::NotLoaded {
            journal: self.target().clone(),
            reason: reason.to_owned(),
        }
    }

    fn database(&self, action: &'static str) -> impl FnOnce(sqlx::Error) -> JournalError + use<> {
        let journal = self.target().clone();
        move |source| JournalError::Database {
            journal,
            action,
            source,
        }
    }
}

/// Loads a campaign's rows into a journal in one transaction; see
/// [`Journal::loader`]. Dropping it without [`Loader::commit`] loads nothing.
#[derive(Debug)]
pub struct Loader {
    journal: Journal,
    load: Load,
    /// Rows added and not inserted yet: they go [`LOAD_CHUNK`] at a time,
    /// one statement each.
    buffer: Vec<(i64, String, String)>,
    /// Rows skipped and not inserted yet, as [`SkippedRow`]s.
    skipped: Vec<SkippedRow>,
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

    /// Records the row at `line` of the source as `skipped`: never sent, but
    /// listed by [`Journal::rows`] and counted in [`Summary::skipped`], with
    /// `kind` (such as `invalid` or `duplicate`) and `reason` as its error.
    /// `recipient` is the number as it was written, if it was read at all.
    pub async fn skip(
        &mut self,
        line: u64,
        recipient: &str,
        payload: &str,
        kind: &str,
        reason: &str,
    ) -> Result<(), JournalError> {
        self.skipped.push(SkippedRow {
            line: i64::try_from(line).unwrap_or(i64::MAX),
            recipient: recipient.to_owned(),
            payload: payload.to_owned(),
            kind: kind.to_owned(),
            reason: reason.to_owned(),
        });
        if self.skipped.len() >= LOAD_CHUNK {
            self.flush_skipped().await?;
        }
        Ok(())
    }

    /// Inserts the skipped rows buffered.
    async fn flush_skipped(&mut self) -> Result<(), JournalError> {
        if self.skipped.is_empty() {
            return Ok(());
        }
        self.load
            .insert_skipped(&self.skipped)
            .await
            .map_err(self.journal.database("recording skipped rows"))?;
        self.skipped.clear();
        Ok(())
    }

    /// Inserts the rows buffered.
    async fn flush(&mut self) -> Result<(), JournalError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let duplicate = self
            .load
            .insert_rows(&self.buffer)
            .await
            .map_err(self.journal.database("loading rows"))?;
        self.buffer.clear();
        match duplicate {
            Some(line) => Err(JournalError::DuplicateLine {
                journal: self.journal.target().clone(),
                line: line.unsigned_abs(),
            }),
            None => Ok(()),
        }
    }

    /// Records the campaign's fingerprint and makes every added row visible.
    pub async fn commit(mut self) -> Result<(), JournalError> {
        self.flush().await?;
        self.flush_skipped().await?;
        self.load
            .record_campaign(self.journal.fingerprint())
            .await
            .map_err(self.journal.database("recording the campaign"))?;
        self.load
            .commit()
            .await
            .map_err(self.journal.database("committing the load"))
    }
}

/// A placeholder until a journal's recorded fingerprint is read.
fn unknown_fingerprint() -> Fingerprint {
    Fingerprint::new("", "", "", "", 0, "", "")
}
