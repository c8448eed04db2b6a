//! An axum router that records Kaleyra's status callbacks in a journal
//! (feature `axum`).

use kaleyra_runtime::callbacks::Event;

use crate::journal::Journal;

/// A router that records Kaleyra's status callbacks in `journal` (feature
/// `axum`): [`kaleyra_runtime::callbacks::callback_router`] on `path`, so a
/// request without the callback secret gets `404 Not Found`, and each
/// status goes through [`crate::Journal::record_status`]. A status the
/// journal cannot record (the database failed) is logged; other events
/// are ignored.
pub fn status_router(
    journal: Journal,
    path: &str,
    auth: impl Into<kaleyra_runtime::callbacks::CallbackAuth>,
) -> axum::Router {
    kaleyra_runtime::callbacks::callback_router(path, auth, move |event: Event| {
        let journal = journal.clone();
        async move {
            match journal.record_status(&event).await {
                Ok(outcome) => {
                    tracing::debug!(?outcome, key = %event.idempotency_key(), "status callback")
                }
                Err(error) => {
                    tracing::warn!(%error, key = %event.idempotency_key(), "a status callback was not recorded")
                }
            }
        }
    })
}
