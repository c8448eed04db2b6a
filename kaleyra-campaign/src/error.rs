//! What can go wrong keeping a journal.

use std::path::PathBuf;

use crate::fingerprint::{SOURCE_HASH, SOURCE_SIZE};
use crate::open::JournalTarget;

/// A journal could not be opened, read or written, or its run stopped
/// because Kaleyra refuses every row ([`JournalError::Blocked`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The journal belongs to another campaign: a different template,
    /// definition, source content or column mapping. Where the source file
    /// is does not count: a moved CSV with the same content resumes.
    #[error(
        "journal {journal} belongs to another campaign: {}",
        mismatch(field, recorded, given)
    )]
    Mismatch {
        /// The journal.
        journal: JournalTarget,
        /// What differs, such as `template` or `source hash`.
        field: &'static str,
        /// What the journal recorded.
        recorded: String,
        /// What this run gave.
        given: String,
    },

    /// Another process has the journal open.
    #[error(
        "journal {journal} is in use by another process (lock file {lock}); wait for it to finish"
    )]
    Locked {
        /// The journal.
        journal: JournalTarget,
        /// The lock file held.
        lock: PathBuf,
    },

    /// The lock file could not be created or locked.
    #[error("cannot lock journal {journal} with {lock}: {source}")]
    Lock {
        /// The journal.
        journal: JournalTarget,
        /// The lock file.
        lock: PathBuf,
        /// Why.
        source: std::io::Error,
    },

    /// The journal's schema could not be brought up to date.
    #[error("cannot migrate journal {journal}: {source}")]
    Migrate {
        /// The journal.
        journal: JournalTarget,
        /// Why.
        source: sqlx::migrate::MigrateError,
    },

    /// The journal does not exist or holds no campaign.
    #[error("{journal} is not a campaign's journal: {reason}")]
    NotLoaded {
        /// The journal.
        journal: JournalTarget,
        /// Why.
        reason: String,
    },

    /// The rows were already loaded; a journal is loaded once.
    #[error("journal {journal} is already loaded with its campaign's rows")]
    AlreadyLoaded {
        /// The journal.
        journal: JournalTarget,
    },

    /// A row was given twice while loading.
    #[error("line {line} was loaded twice into journal {journal}")]
    DuplicateLine {
        /// The journal.
        journal: JournalTarget,
        /// The line.
        line: u64,
    },

    /// The journal holds a value this crate did not write.
    #[error("journal {journal} is damaged: {reason}")]
    Damaged {
        /// The journal.
        journal: JournalTarget,
        /// What is wrong.
        reason: String,
    },

    /// The database failed.
    #[error("journal {journal}: {action}: {source}")]
    Database {
        /// The journal.
        journal: JournalTarget,
        /// What was being done, such as `recording results`.
        action: &'static str,
        /// Why it failed.
        source: sqlx::Error,
    },

    /// This worker's lease on a PostgreSQL journal ran out while it was
    /// running (it was paused, or lost the database, for longer than the
    /// lease): the rows it held may have gone to other workers, so it
    /// stopped sending.
    #[error(
        "journal {journal}: this worker's lease ran out (it was paused or cut off from the database for longer than the lease), so the rows it held went to other workers; it stopped sending: rerun to join the campaign again"
    )]
    LeaseLost {
        /// The journal.
        journal: JournalTarget,
    },

    /// The run stopped on its own: Kaleyra refused requests with a code no
    /// row can succeed with (a wrong key, a number not on the account, the
    /// balance, a paused template); see [`crate::STOP_AFTER_REFUSALS`]. The
    /// rows not sent, and those refused so, are `pending`.
    #[error("{0}")]
    Blocked(Box<crate::Blocked>),

    /// The task sending the rows stopped without finishing (it panicked or
    /// was cancelled); rows it had claimed are `sending` and become `unknown`
    /// on the next open.
    #[error("the sending task stopped: {reason}")]
    SenderStopped {
        /// Why.
        reason: String,
    },
}

/// What differs between a journal's campaign and this run's, and what to do.
fn mismatch(field: &str, recorded: &str, given: &str) -> String {
    let changed_source = "rows added or edited make another campaign, which this journal cannot tell from \
         the one it sent; put new rows in a CSV of their own with its own --journal, or send this CSV \
         with a new --journal (every row of it is sent, the ones this journal sent too)";
    match field {
        SOURCE_SIZE => format!(
            "the CSV is not the one it was loaded from: that had {recorded} bytes, this one has {given}; {changed_source}"
        ),
        SOURCE_HASH => format!(
            "the CSV is not the one it was loaded from: it has the same size but other content; {changed_source}"
        ),
        _ => format!(
            "its {field} is `{recorded}`, this run's is `{given}`; use another journal, or the same {field}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::JournalError;

    #[test]
    fn a_postgres_journal_is_named_without_its_password() {
        let journal = "postgres://kaleyra:s3cret-pass@db.example/campaigns"
            .parse()
            .unwrap();
        let error = JournalError::NotLoaded {
            journal,
            reason: "no campaign was loaded into it".into(),
        };
        assert_eq!(
            error.to_string(),
            "postgres://kaleyra:***@db.example/campaigns is not a campaign's journal: no campaign was loaded into it"
        );
        assert!(!format!("{error:?}").contains("s3cret-pass"), "{error:?}");
    }
}
