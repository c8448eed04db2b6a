//! The statements both backends run alike, written once.
//!
//! The SQLite and PostgreSQL journals keep the same tables, and most reads
//! and the recording of status callbacks are the same SQL on both. sqlx's
//! drivers are distinct types, and a function generic over
//! [`sqlx::Database`] needs a bound for every type it binds or reads, so
//! these statements are macros that each backend expands into its own
//! `impl` (where `self.pool`, or a load's `self.transaction`, is its
//! driver's), rather than sqlx's `Any` driver, which would hide the
//! backends' differences behind strings.

use crate::state::RowState;

/// The columns of a row as [`shared_statements`]' `rows` reads them: line,
/// recipient, state, message id, error kind, error, attempts, last status,
/// payload, the failed status's code and title.
pub(crate) type RowColumns = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

/// One code's failures as [`shared_statements`]' `failures_by_code` reads
/// them: the code, a title, how many rows, the first row's line.
pub(crate) type FailureColumns = (String, Option<String>, i64, i64);

/// Which row a status callback is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowKey {
    /// The row on this line (the message's `ref` named it).
    Line(u64),
    /// The row with this message id.
    MessageId(String),
}

impl RowKey {
    /// The condition that finds the row, and the text bound to its `$1`:
    /// matched by text, so one statement serves both keys.
    pub(crate) fn condition(&self) -> (&'static str, String) {
        match self {
            RowKey::Line(line) => ("line = CAST($1 AS BIGINT)", line.to_string()),
            RowKey::MessageId(id) => ("message_id = $1", id.clone()),
        }
    }
}

/// One status callback, as [`shared_statements`]' `record_status` applies it.
#[derive(Debug)]
pub(crate) struct StatusUpdate<'a> {
    /// The event's idempotency key: each is applied once.
    pub(crate) event_key: &'a str,
    /// The row it is for.
    pub(crate) row: RowKey,
    /// The status as the journal keeps it, such as `delivered`.
    pub(crate) status: &'static str,
    /// Its rank: a row's status only moves to a higher one.
    pub(crate) rank: i64,
    /// Why it failed, if it did.
    pub(crate) failure: Option<String>,
    /// The failed status's code, as sent.
    pub(crate) code: Option<&'a str>,
    /// The failed status's title (Meta's, or the known code's).
    pub(crate) title: Option<&'a str>,
    /// The message id Kaleyra gave.
    pub(crate) message_id: &'a str,
}

/// The third state a claim (or a count of rows to send) takes besides
/// pending and failed.
pub(crate) fn resendable(resend_unknown: bool) -> &'static str {
    if resend_unknown {
        RowState::Unknown.as_str()
    } else {
        RowState::Pending.as_str()
    }
}

/// The read statements and the recording of status callbacks, as methods
/// on a backend whose `self.pool` is its driver's pool.
macro_rules! shared_statements {
    () => {
        /// Whether a campaign was loaded (by a load that committed).
        pub(crate) async fn is_loaded(&self) -> Result<bool, sqlx::Error> {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaign")
                .fetch_one(&self.pool)
                .await?;
            Ok(count > 0)
        }

        /// How many rows are in each state, by the state's stored name.
        pub(crate) async fn counts_by_state(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
            sqlx::query_as("SELECT state, COUNT(*) FROM journal_rows GROUP BY state")
                .fetch_all(&self.pool)
                .await
        }

        /// How many rows are pending or failed, or unknown when `resend_unknown`.
        pub(crate) async fn to_send(&self, resend_unknown: bool) -> Result<i64, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM journal_rows WHERE state IN ('pending', 'failed', $1)",
            )
            .bind(crate::sql::resendable(resend_unknown))
            .fetch_one(&self.pool)
            .await
        }

        /// The fingerprint the journal recorded when it was loaded, if it was.
        pub(crate) async fn recorded_fingerprint(
            &self,
        ) -> Result<Option<crate::fingerprint::Fingerprint>, sqlx::Error> {
            let row: Option<(String, String, String, String, i64, String, String)> =
                sqlx::query_as(
                    "SELECT template, language, definition_hash, source, source_size, source_hash, mapping FROM campaign",
                )
                .fetch_optional(&self.pool)
                .await?;
            Ok(row.map(
                |(template, language, definition_hash, source, size, source_hash, mapping)| {
                    crate::fingerprint::Fingerprint::new(
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

        /// Up to `limit` rows after line `after`, in line order.
        pub(crate) async fn rows(
            &self,
            after: u64,
            limit: usize,
        ) -> Result<Vec<crate::sql::RowColumns>, sqlx::Error> {
            sqlx::query_as(
                "SELECT line, recipient, state, message_id, error_kind, error, attempts, last_status, payload, \
                 error_code, error_title \
                 FROM journal_rows \
                 WHERE line > $1 ORDER BY line LIMIT $2",
            )
            .bind(i64::try_from(after).unwrap_or(i64::MAX))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await
        }

        /// The rows whose status failed with a code, by code: the most
        /// frequent first (the index holds only such rows, so it is cheap
        /// enough to ask while a campaign sends).
        pub(crate) async fn failures_by_code(
            &self,
        ) -> Result<Vec<crate::sql::FailureColumns>, sqlx::Error> {
            sqlx::query_as(
                "SELECT error_code, MAX(error_title), COUNT(*), MIN(line) FROM journal_rows \
                 WHERE error_code IS NOT NULL GROUP BY error_code ORDER BY COUNT(*) DESC, error_code",
            )
            .fetch_all(&self.pool)
            .await
        }

        /// Applies one status callback in one transaction: once per event
        /// key, and only forward. An `unknown` row that gets a status was
        /// received by Kaleyra after all: it becomes `sent`.
        pub(crate) async fn record_status(
            &self,
            update: &crate::sql::StatusUpdate<'_>,
        ) -> Result<crate::status::StatusOutcome, sqlx::Error> {
            use crate::status::{StatusOutcome, stored_rank};
            let stored_rank = stored_rank();
            let (matched, key) = update.row.condition();
            let mut transaction = self.pool.begin().await?;
            let first = sqlx::query(
                "INSERT INTO callback_events (key, received_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(update.event_key)
            .bind(crate::state::now())
            .execute(&mut *transaction)
            .await?;
            if first.rows_affected() == 0 {
                return Ok(StatusOutcome::Repeated);
            }
            let updated = sqlx::query(&format!(
                "UPDATE journal_rows SET last_status = $2, status_error = $3, \
                     error_code = $7, error_title = $8, \
                     message_id = COALESCE(message_id, $4), \
                     error_kind = CASE WHEN state = 'unknown' THEN NULL ELSE error_kind END, \
                     error = CASE WHEN state = 'unknown' THEN NULL ELSE error END, \
                     state = CASE WHEN state = 'unknown' THEN 'sent' ELSE state END, \
                     updated_at = $5 \
                 WHERE {matched} AND {stored_rank} < $6"
            ))
            .bind(&key)
            .bind(update.status)
            .bind(update.failure.as_deref())
            .bind(update.message_id)
            .bind(crate::state::now())
            .bind(update.rank)
            .bind(update.code)
            .bind(update.title)
            .execute(&mut *transaction)
            .await?;
            let outcome = if updated.rows_affected() > 0 {
                StatusOutcome::Recorded
            } else {
                let exists: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM journal_rows WHERE {matched}"
                ))
                .bind(&key)
                .fetch_one(&mut *transaction)
                .await?;
                if exists == 0 {
                    // Not kept: a later delivery may match (its row loaded).
                    return Ok(StatusOutcome::Unmatched);
                }
                StatusOutcome::Older
            };
            transaction.commit().await?;
            Ok(outcome)
        }
    };
}

/// The end of a load, as methods on a backend's load whose
/// `self.transaction` is its driver's transaction.
macro_rules! shared_load_statements {
    () => {
        /// Records the campaign's fingerprint, within the load.
        pub(crate) async fn record_campaign(
            &mut self,
            fingerprint: &crate::fingerprint::Fingerprint,
        ) -> Result<(), sqlx::Error> {
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
            .bind(crate::state::now())
            .execute(&mut *self.transaction)
            .await
            .map(drop)
        }

        /// Makes every row added, and the campaign, visible.
        pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
            self.transaction.commit().await
        }
    };
}

pub(crate) use {shared_load_statements, shared_statements};
