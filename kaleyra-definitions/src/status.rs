//! A template's review status in the account (Meta's `status`), and what it
//! means for sending.

use std::borrow::Cow;
use std::fmt;

/// A template's status as the account reports it.
///
/// Parsed without regard to case; a status this library does not know is
/// kept as written in [`TemplateStatus::Other`], and is not taken to be
/// sendable ([`Sendability::Unknown`]). (A decision: Meta's objects write
/// `PAUSED`, Kaleyra's prose `Paused` and `Pending deletion`, and no page
/// shows every spelling.)
///
/// [`TemplateStatus::Other`] holds a [`Cow`] so that a status can be a
/// `const` (as `kaleyra_runtime::Template::STATUS` is, written by the derive
/// with [`TemplateStatus::from_static`]): borrowed when the text is
/// `'static`, owned when it was read at run time.
///
/// ```
/// use kaleyra_definitions::{Sendability, TemplateStatus};
///
/// assert_eq!(TemplateStatus::parse("APPROVED").sendability(), Sendability::Sendable);
/// assert_eq!(TemplateStatus::parse("Paused").sendability(), Sendability::NotNow);
/// assert_eq!(TemplateStatus::parse("REJECTED").sendability(), Sendability::Never);
/// assert_eq!(TemplateStatus::parse("ARCHIVED"), TemplateStatus::Other("ARCHIVED".into()));
///
/// const PAUSED: TemplateStatus = TemplateStatus::from_static("PAUSED");
/// assert_eq!(PAUSED, TemplateStatus::Paused);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TemplateStatus {
    /// Approved: it can be sent.
    Approved,
    /// Waiting for review.
    Pending,
    /// Rejected, and its rejection is being appealed.
    InAppeal,
    /// Paused for low quality (3 hours, then 6 hours).
    Paused,
    /// Meta's `LIMIT_EXCEEDED`: the account holds more templates than allowed.
    LimitExceeded,
    /// Rejected in review.
    Rejected,
    /// Disabled for low quality (the third pause).
    Disabled,
    /// Deleted.
    Deleted,
    /// Being deleted.
    PendingDeletion,
    /// A status this library does not know, as written.
    Other(Cow<'static, str>),
}

/// Whether a template with some status can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sendability {
    /// `APPROVED`.
    Sendable,
    /// Not now, but it may become sendable without anyone editing it:
    /// `PENDING`, `IN_APPEAL`, `PAUSED`, `LIMIT_EXCEEDED`.
    NotNow,
    /// Never again: `REJECTED`, `DISABLED`, `DELETED`, `PENDING_DELETION`.
    Never,
    /// A status this library does not know.
    Unknown,
}

/// The status Meta spells `$text` (bytes, in capitals with `_`), or
/// `$otherwise`: the one list `parse` and `from_static` read. A macro, not a
/// function returning `Option<TemplateStatus>`, because a `const fn` cannot
/// drop that option (its `Other` may own a `String`).
macro_rules! known_or {
    ($text:expr, $otherwise:expr) => {
        match $text {
            b"APPROVED" => TemplateStatus::Approved,
            b"PENDING" => TemplateStatus::Pending,
            b"IN_APPEAL" => TemplateStatus::InAppeal,
            b"PAUSED" => TemplateStatus::Paused,
            b"LIMIT_EXCEEDED" => TemplateStatus::LimitExceeded,
            b"REJECTED" => TemplateStatus::Rejected,
            b"DISABLED" => TemplateStatus::Disabled,
            b"DELETED" => TemplateStatus::Deleted,
            b"PENDING_DELETION" => TemplateStatus::PendingDeletion,
            _ => $otherwise,
        }
    };
}

impl TemplateStatus {
    /// Reads Meta's spelling (`APPROVED`, `PENDING_DELETION`, ..), ignoring
    /// case, and also with spaces for `_` (`Pending deletion`, as Kaleyra's
    /// prose writes statuses).
    pub fn parse(text: &str) -> Self {
        let normal = text.trim().replace(' ', "_").to_ascii_uppercase();
        known_or!(
            normal.as_bytes(),
            TemplateStatus::Other(Cow::Owned(text.to_owned()))
        )
    }

    /// Reads Meta's spelling exactly as [`TemplateStatus::as_str`] writes it
    /// (`PAUSED`, not `Paused`), in a `const`; any other text is kept,
    /// borrowed, in [`TemplateStatus::Other`].
    pub const fn from_static(text: &'static str) -> Self {
        known_or!(text.as_bytes(), TemplateStatus::Other(Cow::Borrowed(text)))
    }

    /// Meta's spelling, or the unknown status as written.
    pub fn as_str(&self) -> &str {
        match self {
            TemplateStatus::Approved => "APPROVED",
            TemplateStatus::Pending => "PENDING",
            TemplateStatus::InAppeal => "IN_APPEAL",
            TemplateStatus::Paused => "PAUSED",
            TemplateStatus::LimitExceeded => "LIMIT_EXCEEDED",
            TemplateStatus::Rejected => "REJECTED",
            TemplateStatus::Disabled => "DISABLED",
            TemplateStatus::Deleted => "DELETED",
            TemplateStatus::PendingDeletion => "PENDING_DELETION",
            TemplateStatus::Other(text) => text,
        }
    }

    /// Whether a template with this status can be sent.
    pub fn sendability(&self) -> Sendability {
        match self {
            TemplateStatus::Approved => Sendability::Sendable,
            TemplateStatus::Pending
            | TemplateStatus::InAppeal
            | TemplateStatus::Paused
            | TemplateStatus::LimitExceeded => Sendability::NotNow,
            TemplateStatus::Rejected
            | TemplateStatus::Disabled
            | TemplateStatus::Deleted
            | TemplateStatus::PendingDeletion => Sendability::Never,
            TemplateStatus::Other(_) => Sendability::Unknown,
        }
    }
}

impl fmt::Display for TemplateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_status_reads_back_as_written() {
        for text in [
            "APPROVED",
            "PENDING",
            "IN_APPEAL",
            "PAUSED",
            "LIMIT_EXCEEDED",
            "REJECTED",
            "DISABLED",
            "DELETED",
            "PENDING_DELETION",
        ] {
            let status = TemplateStatus::parse(text);
            assert!(!matches!(status, TemplateStatus::Other(_)), "{text}");
            assert_eq!(status.as_str(), text);
            assert_eq!(TemplateStatus::from_static(text), status, "{text}");
        }
    }

    #[test]
    fn a_const_status_keeps_unknown_text_borrowed_and_reads_only_meta_spelling() {
        const UNKNOWN: TemplateStatus = TemplateStatus::from_static("ARCHIVED");
        assert_eq!(UNKNOWN, TemplateStatus::Other(Cow::Borrowed("ARCHIVED")));
        assert!(matches!(UNKNOWN, TemplateStatus::Other(Cow::Borrowed(_))));
        assert_eq!(UNKNOWN.sendability(), Sendability::Unknown);
        // `parse` forgives case and spaces; `from_static` reads the spelling
        // `as_str` writes, which is all the derive gives it.
        assert_eq!(
            TemplateStatus::from_static("Paused"),
            TemplateStatus::Other("Paused".into())
        );
        assert_eq!(TemplateStatus::parse("Paused"), TemplateStatus::Paused);
    }

    #[test]
    fn case_and_spaces_do_not_matter_and_unknown_text_is_kept() {
        assert_eq!(
            TemplateStatus::parse("pending deletion"),
            TemplateStatus::PendingDeletion
        );
        assert_eq!(TemplateStatus::parse("Approved"), TemplateStatus::Approved);
        let other = TemplateStatus::parse("Submission Rejected");
        assert_eq!(other.as_str(), "Submission Rejected");
        assert_eq!(other.sendability(), Sendability::Unknown);
    }

    #[test]
    fn never_sendable_statuses_are_the_final_ones() {
        for text in ["REJECTED", "DISABLED", "DELETED", "PENDING_DELETION"] {
            assert_eq!(
                TemplateStatus::parse(text).sendability(),
                Sendability::Never
            );
        }
        for text in ["PENDING", "PAUSED", "IN_APPEAL", "LIMIT_EXCEEDED"] {
            assert_eq!(
                TemplateStatus::parse(text).sendability(),
                Sendability::NotNow
            );
        }
    }
}
