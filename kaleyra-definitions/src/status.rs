//! A template's review status in the account (Meta's `status`), and what it
//! means for sending.

use std::fmt;

/// A template's status as the account reports it.
///
/// Parsed without regard to case; a status this library does not know is
/// kept as written in [`TemplateStatus::Other`].
///
/// ```
/// use kaleyra_definitions::{Sendability, TemplateStatus};
///
/// assert_eq!(TemplateStatus::parse("APPROVED").sendability(), Sendability::Sendable);
/// assert_eq!(TemplateStatus::parse("Paused").sendability(), Sendability::NotNow);
/// assert_eq!(TemplateStatus::parse("REJECTED").sendability(), Sendability::Never);
/// assert_eq!(TemplateStatus::parse("ARCHIVED"), TemplateStatus::Other("ARCHIVED".into()));
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
    Other(String),
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

impl TemplateStatus {
    /// Reads Meta's spelling (`APPROVED`, `PENDING_DELETION`, ..), ignoring
    /// case, and also with spaces for `_` (`Pending deletion`, as Kaleyra's
    /// prose writes statuses).
    pub fn parse(text: &str) -> Self {
        let normal = text.trim().replace(' ', "_").to_ascii_uppercase();
        match normal.as_str() {
            "APPROVED" => TemplateStatus::Approved,
            "PENDING" => TemplateStatus::Pending,
            "IN_APPEAL" => TemplateStatus::InAppeal,
            "PAUSED" => TemplateStatus::Paused,
            "LIMIT_EXCEEDED" => TemplateStatus::LimitExceeded,
            "REJECTED" => TemplateStatus::Rejected,
            "DISABLED" => TemplateStatus::Disabled,
            "DELETED" => TemplateStatus::Deleted,
            "PENDING_DELETION" => TemplateStatus::PendingDeletion,
            _ => TemplateStatus::Other(text.to_owned()),
        }
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
        }
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
