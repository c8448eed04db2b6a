//! Kaleyra's rules for creating, editing and deleting templates (its v2
//! template pages), in one place for the runtime, the `kaleyra templates`
//! command and the emulator:
//!
//! - 100 creations per WABA per hour, and 100 edits ([`CREATES_PER_HOUR`],
//!   [`EDITS_PER_HOUR`], over [`RATE_WINDOW`]);
//! - only `APPROVED`, `REJECTED` or `PAUSED` templates can be edited
//!   ([`is_editable`]), only their category or components, in separate
//!   calls; an approved one's category cannot change, nor a template with a
//!   `VOICE_CALL` button be edited ([`has_voice_call_button`]);
//! - an approved template at most once in 24 hours and 10 times in 30 days
//!   ([`next_approved_edit`]); a rejected or paused one without limit.
//!
//! Times are [`SystemTime`]s so an answer can say when an edit becomes
//! allowed; nothing here reads the clock.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::TemplateStatus;

/// Template creations Kaleyra allows per WABA per [`RATE_WINDOW`].
pub const CREATES_PER_HOUR: usize = 100;
/// Template edits Kaleyra allows per WABA per [`RATE_WINDOW`].
pub const EDITS_PER_HOUR: usize = 100;
/// The window of [`CREATES_PER_HOUR`] and [`EDITS_PER_HOUR`]: one hour.
pub const RATE_WINDOW: Duration = Duration::from_secs(60 * 60);
/// An approved template's edits: at most one in this window (24 hours) ..
pub const APPROVED_EDIT_GAP: Duration = Duration::from_secs(24 * 60 * 60);
/// .. and at most [`APPROVED_EDITS_PER_MONTH`] in this one (30 days).
pub const APPROVED_EDIT_MONTH: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Edits of an approved template allowed in [`APPROVED_EDIT_MONTH`].
pub const APPROVED_EDITS_PER_MONTH: usize = 10;

/// Whether a template with `status` can be edited at all: `APPROVED`,
/// `REJECTED` or `PAUSED`, as Kaleyra's edit page says.
pub fn is_editable(status: &TemplateStatus) -> bool {
    matches!(
        status,
        TemplateStatus::Approved | TemplateStatus::Rejected | TemplateStatus::Paused
    )
}

/// Whether Kaleyra's edit limits apply (an approved template); a rejected or
/// paused one may be edited without limit.
pub fn edits_are_limited(status: &TemplateStatus) -> bool {
    *status == TemplateStatus::Approved
}

/// When the next edit of an approved template becomes allowed, given when it
/// was edited before (in any order): `None` when it is allowed at `now`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use kaleyra_definitions::management::{next_approved_edit, APPROVED_EDIT_GAP};
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(100 * 86_400);
/// let an_hour_ago = now - Duration::from_secs(3600);
/// assert_eq!(next_approved_edit(&[an_hour_ago], now), Some(an_hour_ago + APPROVED_EDIT_GAP));
/// assert_eq!(next_approved_edit(&[], now), None);
/// ```
pub fn next_approved_edit(edits: &[SystemTime], now: SystemTime) -> Option<SystemTime> {
    let within = |window: Duration| {
        let mut times: Vec<SystemTime> = edits
            .iter()
            .copied()
            .filter(|at| now.duration_since(*at).is_ok_and(|age| age < window))
            .collect();
        times.sort();
        times
    };
    let last_day = within(APPROVED_EDIT_GAP);
    let gap = last_day.last().map(|last| *last + APPROVED_EDIT_GAP);
    let month = within(APPROVED_EDIT_MONTH);
    // The oldest edit that must leave the window for a slot to open.
    let monthly = (month.len() >= APPROVED_EDITS_PER_MONTH)
        .then(|| month[month.len() - APPROVED_EDITS_PER_MONTH] + APPROVED_EDIT_MONTH);
    gap.into_iter().chain(monthly).max()
}

/// When another request counted against a per-hour limit (`limit` in
/// [`RATE_WINDOW`]) becomes allowed, given the earlier requests' times:
/// `None` when it is allowed at `now`.
pub fn next_in_window(earlier: &[SystemTime], limit: usize, now: SystemTime) -> Option<SystemTime> {
    let mut recent: Vec<SystemTime> = earlier
        .iter()
        .copied()
        .filter(|at| now.duration_since(*at).is_ok_and(|age| age < RATE_WINDOW))
        .collect();
    if recent.len() < limit {
        return None;
    }
    recent.sort();
    Some(recent[recent.len() - limit] + RATE_WINDOW)
}

/// Whether a template object's components hold a `VOICE_CALL` button,
/// which makes the template impossible to edit.
pub fn has_voice_call_button(components: &Value) -> bool {
    components
        .as_array()
        .into_iter()
        .flatten()
        .any(|component| {
            component["buttons"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|button| {
                    button["type"]
                        .as_str()
                        .is_some_and(|kind| kind.eq_ignore_ascii_case("VOICE_CALL"))
                })
        })
}

/// Why a template in the account cannot take an edit, whatever its history:
/// its status, a `VOICE_CALL` button, or a category change of an approved
/// template. `None` when Kaleyra's rules allow the edit (the approved-edit
/// budget aside, see [`next_approved_edit`]).
pub fn edit_refusal(
    status: &TemplateStatus,
    components: &Value,
    category_changes: bool,
) -> Option<String> {
    if !is_editable(status) {
        return Some(format!(
            "only APPROVED, REJECTED or PAUSED templates can be edited, and this one is {}",
            status.as_str()
        ));
    }
    if has_voice_call_button(components) {
        return Some("a template with a VOICE_CALL button cannot be edited".to_owned());
    }
    if category_changes && *status == TemplateStatus::Approved {
        return Some("the category of an APPROVED template cannot change".to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    const DAY: u64 = 86_400;

    #[test]
    fn an_approved_template_takes_one_edit_a_day() {
        let now = at(100 * DAY);
        assert_eq!(
            next_approved_edit(&[at(99 * DAY + 1)], now),
            Some(at(100 * DAY + 1))
        );
        assert_eq!(
            next_approved_edit(&[at(99 * DAY)], now),
            None,
            "24 hours ago exactly"
        );
    }

    #[test]
    fn and_ten_in_thirty_days() {
        let now = at(100 * DAY);
        let edits: Vec<SystemTime> = (0..10).map(|n| at((80 + n) * DAY)).collect();
        assert_eq!(next_approved_edit(&edits, now), Some(at(110 * DAY)));
        assert_eq!(next_approved_edit(&edits[1..], now), None);
    }

    #[test]
    fn the_hundred_and_first_request_in_an_hour_waits_for_the_oldest() {
        let now = at(10_000);
        let earlier: Vec<SystemTime> = (0..100).map(|n| at(9_000 + n)).collect();
        assert_eq!(
            next_in_window(&earlier, CREATES_PER_HOUR, now),
            Some(at(9_000 + 3600))
        );
        assert_eq!(next_in_window(&earlier[1..], CREATES_PER_HOUR, now), None);
    }

    #[test]
    fn edits_follow_the_status_voice_call_and_category_rules() {
        let none = serde_json::json!([]);
        assert!(edit_refusal(&TemplateStatus::Pending, &none, false).is_some());
        assert!(edit_refusal(&TemplateStatus::Rejected, &none, true).is_none());
        assert!(edit_refusal(&TemplateStatus::Approved, &none, true).is_some());
        assert!(edit_refusal(&TemplateStatus::Paused, &none, false).is_none());
        let voice = serde_json::json!([{"type": "BUTTONS", "buttons": [{"type": "voice_call"}]}]);
        assert!(edit_refusal(&TemplateStatus::Approved, &voice, false).is_some());
    }
}
