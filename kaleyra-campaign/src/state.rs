//! A journal's rows: the states they go through, what a claim hands over
//! and a report reads of them, what a request made of them, and the counts
//! a run reports. Both backends and the engine use these; they use nothing
//! else of this crate.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where one row of a campaign is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RowState {
    /// Not sent yet.
    Pending,
    /// Held by a worker of a PostgreSQL journal, whose request has not
    /// started: it goes back to `pending` if the worker's lease runs out.
    Claimed,
    /// Claimed by a run and about to be sent or being sent. A row found in
    /// this state when a journal is opened was left by a run that stopped,
    /// and becomes [`RowState::Unknown`].
    Sending,
    /// Kaleyra accepted it.
    Sent,
    /// It failed and was certainly not sent: it is sent again on the next run.
    Failed,
    /// The request may have reached Kaleyra (a timeout, a reset, a 5xx, a
    /// run that stopped mid-flight): sent again only when asked.
    Unknown,
    /// Never to be sent: refused when the campaign was loaded (an invalid
    /// row given `--skip-invalid`, a repeated recipient given `--dedupe`),
    /// kept so that every row of the source is accounted for, with why.
    Skipped,
}

impl RowState {
    /// The name stored in the journal: `pending`, `claimed`, `sending`,
    /// `sent`, `failed`, `unknown`, `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Pending => "pending",
            RowState::Claimed => "claimed",
            RowState::Sending => "sending",
            RowState::Sent => "sent",
            RowState::Failed => "failed",
            RowState::Unknown => "unknown",
            RowState::Skipped => "skipped",
        }
    }

    /// The state named `name`, as [`RowState::as_str`] writes it.
    pub fn parse(name: &str) -> Option<RowState> {
        Some(match name {
            "pending" => RowState::Pending,
            "claimed" => RowState::Claimed,
            "sending" => RowState::Sending,
            "sent" => RowState::Sent,
            "failed" => RowState::Failed,
            "unknown" => RowState::Unknown,
            "skipped" => RowState::Skipped,
            _ => return None,
        })
    }
}

impl fmt::Display for RowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many rows of a journal are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Rows not sent yet.
    pub pending: u64,
    /// Rows being sent, or claimed by a worker to be sent.
    pub sending: u64,
    /// Rows Kaleyra accepted.
    pub sent: u64,
    /// Rows that failed and were not sent.
    pub failed: u64,
    /// Rows that may have been sent.
    pub unknown: u64,
    /// Rows refused when the campaign was loaded, never to be sent.
    pub skipped: u64,
}

impl Summary {
    /// Every row, skipped ones included.
    pub fn total(&self) -> u64 {
        self.pending + self.sending + self.sent + self.failed + self.unknown + self.skipped
    }

    /// Whether every row that was to be sent was sent: all but the skipped.
    pub fn is_complete(&self) -> bool {
        self.sent + self.skipped == self.total()
    }

    pub(crate) fn add(&mut self, state: RowState, count: u64) {
        let slot = match state {
            RowState::Pending => &mut self.pending,
            RowState::Claimed | RowState::Sending => &mut self.sending,
            RowState::Sent => &mut self.sent,
            RowState::Failed => &mut self.failed,
            RowState::Unknown => &mut self.unknown,
            RowState::Skipped => &mut self.skipped,
        };
        *slot += count;
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} rows: {} sent, {} failed, {} unknown, {} pending",
            self.total(),
            self.sent,
            self.failed,
            self.unknown,
            self.pending + self.sending
        )?;
        if self.skipped > 0 {
            write!(f, ", {} skipped", self.skipped)?;
        }
        Ok(())
    }
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

/// A row refused at load, as [`crate::Loader::skip`] records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SkippedRow {
    pub(crate) line: i64,
    pub(crate) recipient: String,
    pub(crate) payload: String,
    pub(crate) kind: String,
    pub(crate) reason: String,
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
    /// [`crate::Journal::record_status`].
    pub last_status: Option<String>,
    /// The values the row was loaded with ([`crate::Loader::add`]'s `payload`).
    pub payload: String,
    /// The code of its `failed` status, as sent (Meta's `131026`, or one
    /// this project does not know).
    pub error_code: Option<String>,
    /// That code's title: Meta's as sent, else the known code's
    /// ([`kaleyra_runtime::definitions::failures`]).
    pub error_title: Option<String>,
}

/// The rows whose `failed` status carried one code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailureCount {
    /// The code, as sent.
    pub code: String,
    /// Its title, when a status gave one or the code is known.
    pub title: Option<String>,
    /// How many rows failed with it.
    pub rows: u64,
    /// The first of them, by line.
    pub first_line: u64,
}

impl FailureCount {
    /// The code's row of Meta's table, when it is one this project knows.
    pub fn known(&self) -> Option<&'static kaleyra_runtime::definitions::failures::FailureCode> {
        kaleyra_runtime::definitions::failures::FailureCode::find(&self.code)
    }
}

/// What a row ended as after one request: what [`crate::Journal::record`]
/// writes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowRecord {
    /// Kaleyra accepted it, with this message id (if its answer had one).
    Sent {
        /// Kaleyra's message id.
        message_id: Option<String>,
    },
    /// It failed and was not sent.
    Failed {
        /// The kind of error, such as `invalid` or `api`.
        kind: String,
        /// The error's text.
        error: String,
    },
    /// It may have been sent.
    Unknown {
        /// The kind of error.
        kind: String,
        /// The error's text.
        error: String,
    },
}

impl RowRecord {
    /// The record of one request's result: `unknown` when the error says
    /// the message may have been sent.
    pub fn from_result(result: &Result<kaleyra_runtime::Receipt, kaleyra_runtime::Error>) -> Self {
        match result {
            Ok(receipt) => RowRecord::Sent {
                message_id: receipt.message_id().map(str::to_owned),
            },
            Err(error) if error.may_have_been_sent() => RowRecord::Unknown {
                kind: error_kind(error).to_owned(),
                error: error.to_string(),
            },
            Err(error) => RowRecord::Failed {
                kind: error_kind(error).to_owned(),
                error: error.to_string(),
            },
        }
    }

    /// The message id, error kind and error text it stores.
    pub(crate) fn columns(&self) -> (Option<&str>, Option<&str>, Option<&str>) {
        match self {
            RowRecord::Sent { message_id } => (message_id.as_deref(), None, None),
            RowRecord::Failed { kind, error } | RowRecord::Unknown { kind, error } => {
                (None, Some(kind.as_str()), Some(error.as_str()))
            }
        }
    }

    /// The state it puts the row in.
    pub fn state(&self) -> RowState {
        match self {
            RowRecord::Sent { .. } => RowState::Sent,
            RowRecord::Failed { .. } => RowState::Failed,
            RowRecord::Unknown { .. } => RowState::Unknown,
        }
    }
}

/// A short name for the kind of error, stored beside its text.
fn error_kind(error: &kaleyra_runtime::Error) -> &'static str {
    use kaleyra_runtime::Error;
    match error {
        Error::Invalid { .. } => "invalid",
        Error::Api { .. } => "api",
        Error::Decode { .. } => "decode",
        Error::Transport(_) => "transport",
        Error::Unsupported { .. } => "unsupported",
        Error::RecipientsFailed { .. } => "recipients",
        Error::Internal { .. } => "internal",
        Error::BatchFailed { .. } => "batch",
        _ => "other",
    }
}

/// The time a row's `updated_at` takes: seconds since the Unix epoch.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
