//! The one interface the journal's engine ([`crate::Journal`]) keeps its
//! rows through, over its two peer backends: an SQLite file
//! ([`SqliteJournal`]) or a PostgreSQL database ([`PostgresJournal`]).
//!
//! Each backend offers the same operations, with the same names and
//! meanings, in its own module; where one has nothing to do (SQLite holds
//! no leases, PostgreSQL recovers nothing on opening) its operation says
//! so. [`Backend`] holds one or the other and forwards each call, as
//! River's drivers or Oban's engines do. Operations return sqlx's errors:
//! the engine names the journal and what it was doing.

use crate::error::JournalError;
use crate::fingerprint::Fingerprint;
use crate::open::{JournalOptions, JournalTarget};
use crate::postgres::{PostgresJournal, PostgresLoad};
use crate::sql::{FailureColumns, RowColumns, StatusUpdate};
use crate::sqlite::{SqliteJournal, SqliteLoad};
use crate::state::{ClaimedRow, RowRecord, SkippedRow};
use crate::status::StatusOutcome;

/// An open journal, in one backend or the other.
#[derive(Debug)]
pub(crate) enum Backend {
    /// An SQLite file.
    Sqlite(SqliteJournal),
    /// A PostgreSQL database, joined as one of its workers.
    Postgres(PostgresJournal),
}

/// A load under way, in one backend or the other.
#[derive(Debug)]
pub(crate) enum Load {
    /// Into an SQLite file.
    Sqlite(SqliteLoad),
    /// Into a PostgreSQL database.
    Postgres(PostgresLoad),
}

/// Calls the same operation on whichever backend `$on` holds.
macro_rules! forward {
    ($kind:ident, $on:expr, $backend:ident => $call:expr) => {
        match $on {
            $kind::Sqlite($backend) => $call,
            $kind::Postgres($backend) => $call,
        }
    };
}

impl Backend {
    /// Opens the journal `target` names, as `options` say.
    pub(crate) async fn open(
        target: &JournalTarget,
        options: &JournalOptions,
    ) -> Result<Backend, JournalError> {
        Ok(match target {
            JournalTarget::Sqlite(path) => {
                Backend::Sqlite(SqliteJournal::open(path, target, options).await?)
            }
            JournalTarget::Postgres(url) => {
                Backend::Postgres(PostgresJournal::connect(url, target, options.lease).await?)
            }
        })
    }

    /// Whether it is kept in PostgreSQL (shared by workers).
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres(_))
    }

    /// Whether the journal's schema exists (a journal opened beside its
    /// sender is not migrated).
    pub(crate) async fn has_schema(&self) -> Result<bool, sqlx::Error> {
        forward!(Backend, self, backend => backend.has_schema().await)
    }

    /// Makes rows a stopped run left `sending` `unknown`, where the
    /// backend can tell the run stopped.
    pub(crate) async fn recover(&self) -> Result<(), sqlx::Error> {
        forward!(Backend, self, backend => backend.recover().await)
    }

    /// Whether a campaign was loaded.
    pub(crate) async fn is_loaded(&self) -> Result<bool, sqlx::Error> {
        forward!(Backend, self, backend => backend.is_loaded().await)
    }

    /// The fingerprint the journal recorded, if it was loaded.
    pub(crate) async fn recorded_fingerprint(&self) -> Result<Option<Fingerprint>, sqlx::Error> {
        forward!(Backend, self, backend => backend.recorded_fingerprint().await)
    }

    /// Starts a load; `None` when a campaign was loaded already.
    pub(crate) async fn begin_load(&self) -> Result<Option<Load>, sqlx::Error> {
        Ok(match self {
            Backend::Sqlite(backend) => backend.begin_load().await?.map(Load::Sqlite),
            Backend::Postgres(backend) => backend.begin_load().await?.map(Load::Postgres),
        })
    }

    /// How many rows are in each state, by the state's stored name.
    pub(crate) async fn counts_by_state(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        forward!(Backend, self, backend => backend.counts_by_state().await)
    }

    /// How many rows a run would send.
    pub(crate) async fn to_send(&self, resend_unknown: bool) -> Result<i64, sqlx::Error> {
        forward!(Backend, self, backend => backend.to_send(resend_unknown).await)
    }

    /// Claims up to `limit` due rows (after line `after`, on SQLite).
    pub(crate) async fn claim(
        &self,
        after: u64,
        limit: usize,
        resend_unknown: bool,
        retry_failed: bool,
    ) -> Result<Vec<ClaimedRow>, sqlx::Error> {
        forward!(Backend, self, backend => backend.claim(after, limit, resend_unknown, retry_failed).await)
    }

    /// Marks claimed rows `sending`; false when they may not be sent.
    pub(crate) async fn start(&self, lines: &[u64]) -> Result<bool, sqlx::Error> {
        forward!(Backend, self, backend => backend.start(lines).await)
    }

    /// When no row is due, whether to try claiming again (after a wait).
    pub(crate) async fn wait_for_others(&self) -> Result<bool, sqlx::Error> {
        forward!(Backend, self, backend => backend.wait_for_others().await)
    }

    /// Puts rows claimed but never sent back to `pending`.
    pub(crate) async fn release(&self, lines: &[u64]) -> Result<(), sqlx::Error> {
        forward!(Backend, self, backend => backend.release(lines).await)
    }

    /// Records what each row ended as.
    pub(crate) async fn record(&self, results: &[(u64, RowRecord)]) -> Result<(), sqlx::Error> {
        forward!(Backend, self, backend => backend.record(results).await)
    }

    /// Makes sure rows can be found by message id.
    pub(crate) async fn index_message_ids(&self) -> Result<(), sqlx::Error> {
        forward!(Backend, self, backend => backend.index_message_ids().await)
    }

    /// Applies one status callback.
    pub(crate) async fn record_status(
        &self,
        update: &StatusUpdate<'_>,
    ) -> Result<StatusOutcome, sqlx::Error> {
        forward!(Backend, self, backend => backend.record_status(update).await)
    }

    /// Up to `limit` rows after line `after`, in line order.
    pub(crate) async fn rows(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<RowColumns>, sqlx::Error> {
        forward!(Backend, self, backend => backend.rows(after, limit).await)
    }

    /// The rows whose status failed with a code, by code.
    pub(crate) async fn failures_by_code(&self) -> Result<Vec<FailureColumns>, sqlx::Error> {
        forward!(Backend, self, backend => backend.failures_by_code().await)
    }

    /// Closes the connections (and gives up a PostgreSQL worker's lease).
    pub(crate) async fn close(&self) {
        forward!(Backend, self, backend => backend.close().await)
    }
}

impl Load {
    /// Inserts rows (line, recipient, payload) as `pending`; the smallest
    /// line that was in the journal already, or given twice, if any.
    pub(crate) async fn insert_rows(
        &mut self,
        rows: &[(i64, String, String)],
    ) -> Result<Option<i64>, sqlx::Error> {
        forward!(Load, self, load => load.insert_rows(rows).await)
    }

    /// Inserts rows refused at load as `skipped`, with their reason.
    pub(crate) async fn insert_skipped(&mut self, rows: &[SkippedRow]) -> Result<(), sqlx::Error> {
        forward!(Load, self, load => load.insert_skipped(rows).await)
    }

    /// Records the campaign's fingerprint, within the load.
    pub(crate) async fn record_campaign(
        &mut self,
        fingerprint: &Fingerprint,
    ) -> Result<(), sqlx::Error> {
        forward!(Load, self, load => load.record_campaign(fingerprint).await)
    }

    /// Makes every row added, and the campaign, visible.
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        forward!(Load, self, load => load.commit().await)
    }
}
