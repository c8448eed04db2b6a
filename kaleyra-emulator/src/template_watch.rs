//! The templates directory, watched: when a template file's `status` changes
//! (`kaleyra templates pull` wrote the account's new status, or a test edited
//! it), the emulator posts Meta's template status event for it to the
//! template status URL, as Kaleyra's callback profile passes the review on.
//!
//! The directory is read again every [`WATCH_INTERVAL`]. A file that cannot
//! be read or parsed at that moment (half written) keeps its last status, so
//! it posts nothing; a new file is a template the account already had, not
//! a change, so it posts nothing either.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kaleyra_definitions::{TemplateDefinition, TemplateStatus, definition_files};

use crate::account_events::{self, AccountEvent, TemplateStatusEvent};
use crate::state::Shared;

/// How often the directory is read for status changes.
pub(crate) const WATCH_INTERVAL: Duration = Duration::from_millis(250);

/// Each template file's status, by name and language.
type Statuses = HashMap<(String, String), TemplateStatus>;

/// The statuses of the Meta template objects in `dir`; files that cannot be
/// read or parsed now are left out.
fn statuses(dir: &Path) -> Statuses {
    let Ok(files) = definition_files(dir) else {
        return Statuses::new();
    };
    files
        .iter()
        .filter_map(|file| {
            let bytes = std::fs::read(file).ok()?;
            let definition = TemplateDefinition::from_slice(&bytes, file).ok()?;
            let language = definition.language?;
            Some(((definition.name, language), definition.status?))
        })
        .collect()
}

/// The templates whose status differs between `before` and `now`, with the
/// new status; `before` becomes what is known now.
fn changes(before: &mut Statuses, now: Statuses) -> Vec<((String, String), TemplateStatus)> {
    let mut changed = Vec::new();
    for (key, status) in now {
        match before.get(&key) {
            Some(known) if *known != status => changed.push((key.clone(), status.clone())),
            _ => {}
        }
        before.insert(key, status);
    }
    changed.sort_by(|a, b| a.0.cmp(&b.0));
    changed
}

/// Watches `shared`'s templates directory until the emulator stops, posting
/// each status change; does nothing without a directory or a template
/// status URL.
pub(crate) async fn watch(shared: Arc<Shared>) {
    let (Some(dir), true) = (
        shared.templates_dir.clone(),
        shared.template_store.status_url.is_some(),
    ) else {
        return;
    };
    let read = |dir: std::path::PathBuf| async move {
        tokio::task::spawn_blocking(move || statuses(&dir))
            .await
            .unwrap_or_default()
    };
    let mut known = read(dir.clone()).await;
    loop {
        tokio::select! {
            () = shared.stopping.cancelled() => return,
            () = tokio::time::sleep(WATCH_INTERVAL) => {}
        }
        let now = read(dir.clone()).await;
        for ((template, language), status) in changes(&mut known, now) {
            let event = AccountEvent::TemplateStatus(TemplateStatusEvent {
                template: template.clone(),
                language: language.clone(),
                status: status.as_str().to_owned(),
                ..TemplateStatusEvent::default()
            });
            match account_events::post(&shared, None, &event).await {
                Ok((_, outcome)) => {
                    tracing::info!(%template, %language, status = status.as_str(), ?outcome, "template file's status changed; event posted");
                }
                Err(error) => {
                    tracing::warn!(%template, %language, %error, "template file's status changed; event not posted");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> (String, String) {
        (name.to_owned(), "en".to_owned())
    }

    #[test]
    fn only_a_known_template_whose_status_changed_is_reported() {
        let mut known: Statuses = [
            (key("a"), TemplateStatus::Approved),
            (key("b"), TemplateStatus::Approved),
        ]
        .into();
        // `a` paused, `b` unreadable for now, `c` new.
        let now: Statuses = [
            (key("a"), TemplateStatus::Paused),
            (key("c"), TemplateStatus::Approved),
        ]
        .into();
        assert_eq!(
            changes(&mut known, now),
            [(key("a"), TemplateStatus::Paused)]
        );
        // `b` back as it was: no change, and `c` is known now.
        let again: Statuses = [
            (key("a"), TemplateStatus::Paused),
            (key("b"), TemplateStatus::Approved),
            (key("c"), TemplateStatus::Rejected),
        ]
        .into();
        assert_eq!(
            changes(&mut known, again),
            [(key("c"), TemplateStatus::Rejected)]
        );
    }
}
