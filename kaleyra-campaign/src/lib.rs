//! A crash-safe journal for sending one template to a list of recipients.
//!
//! Every row of a campaign is recorded in a [`Journal`] before and after its
//! request: `pending` → `sending` → `sent` (with Kaleyra's message id),
//! `failed` (certainly not sent, with the error) or `unknown` (the request
//! may have reached Kaleyra). Running the campaign again resumes it: sent
//! rows are never sent again, pending and failed rows are, and unknown rows
//! only when asked ([`SendOptions::resend_unknown`]), since WhatsApp does not
//! deduplicate and a second message is billed.
//!
//! [`Journal::open`] opens a journal where its [`JournalTarget`] says: an
//! SQLite file, or a PostgreSQL database that several workers share (rows
//! claimed with `FOR UPDATE SKIP LOCKED` under a lease, so a dead worker's
//! rows go to the others), parsed from a path or a `postgres://` URL. The
//! two backends keep the same tables and states, and the same engine runs
//! on either; the migrations live in this crate and run on open. A journal
//! remembers the [`Fingerprint`] of the template and the source it was
//! loaded from, and refuses to be opened with another; [`JournalOptions`]
//! say whether it is opened for a campaign to send or must exist already
//! (to report on it, or to record statuses beside its sender).
//!
//! Kaleyra's status callbacks are recorded per row with
//! [`Journal::record_status`] (delivered, read, failed; never backwards),
//! or with `status_router` (feature `axum`), an axum router that does it.
//!
//! A run stops on its own when Kaleyra refuses requests for a reason no row
//! can succeed with (a wrong key, a number not on the account, the balance,
//! a paused template: [`kaleyra_runtime::Error::stops_campaign`]): after
//! [`STOP_AFTER_REFUSALS`] of them [`send`] returns [`JournalError::Blocked`],
//! with the code and what to do, and the refused and unsent rows are
//! `pending`, never `failed`.
//!
//! ```no_run
//! use kaleyra_campaign::{Fingerprint, Journal, JournalOptions, JournalTarget, SendOptions};
//! use kaleyra_runtime::{Client, TemplateMessage};
//!
//! # async fn run(client: Client, fingerprint: Fingerprint) -> Result<(), Box<dyn std::error::Error>> {
//! // Or "postgres://kaleyra@db.example/campaign_1", shared by workers.
//! let target: JournalTarget = "campaign.journal.db".parse()?;
//! let journal = Journal::open(target, JournalOptions::campaign(fingerprint)).await?;
//! if !journal.is_loaded().await? {
//!     let mut loader = journal.loader().await?;
//!     loader.add(2, "+919876543210", "Asha").await?;
//!     loader.commit().await?;
//! }
//! let summary = kaleyra_campaign::send(&journal, &client, &SendOptions::default(), |row| {
//!     Ok(TemplateMessage::new("welcome").language("en").param(&row.payload))
//! }, |_progress| {})
//! .await?;
//! println!("{summary}");
//! # Ok(()) }
//! ```

mod backend;
mod blocked;
mod error;
mod fingerprint;
mod journal;
mod open;
pub mod pace;
mod postgres;
#[cfg(feature = "axum")]
mod router;
mod run;
mod sql;
mod sqlite;
mod state;
mod status;

pub use blocked::{Blocked, STOP_AFTER_REFUSALS};
pub use error::JournalError;
pub use fingerprint::{Fingerprint, sha256_hex};
pub use journal::{Journal, Loader};
pub use open::{DEFAULT_LEASE, JournalOptions, JournalTarget, PostgresUrl, TargetError};
#[cfg(feature = "axum")]
pub use router::status_router;
pub use run::{MAX_PASSES, RunProgress, STATUS_POLL, SendOptions, StopHandle, send};
pub use state::{ClaimedRow, FailureCount, JournalRow, RowRecord, RowState, Summary};
pub use status::StatusOutcome;
