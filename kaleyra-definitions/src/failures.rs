//! Meta's error codes in a `failed` status, once: each code's title, what
//! it means, and what a campaign does about it.
//!
//! These arrive after the send, in a status callback (v2
//! `statuses[].errors[].code`, v1 `error_code`), unlike the answer codes of
//! [`crate::codes`], which arrive with the answer to the send itself. The
//! runtime's `StatusError::meta`, the campaign's journal and pacing, the
//! `kaleyra` CLI and the emulator all read this table.
//!
//! Decisions, where Kaleyra's pages are silent:
//! - Kaleyra does not document its v2 failed-status `errors[]` element; the
//!   codes and titles here are Meta's (Cloud API error codes), and a code
//!   not listed is kept as sent, not refused.
//! - `132015` and `132016` stop a campaign as the answer codes
//!   [`crate::codes::META_132015`] and [`crate::codes::META_132016`] do: one
//!   such status is Meta's word about the template every row names.
//! - `130429` (throughput) slows a campaign down as a 429 answer does.
//! - `131049` and `131056` are [`FailureAction::NotAtOnce`]: Meta advises
//!   waiting before sending to that customer again, so nothing resends them
//!   in the same run.

use crate::codes::{self, AnswerCode};

/// What a campaign does when a message fails with a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FailureAction {
    /// The message cannot reach this customer as it is (the number is not
    /// on WhatsApp, the 24-hour window is closed): sending it again fails
    /// the same way.
    Final,
    /// It may succeed later, but not at once: Meta asks to wait before
    /// sending to this customer again, so it is never retried at once.
    NotAtOnce,
    /// The business number's throughput is exceeded: the campaign slows
    /// down, as it does for a 429 answer.
    SlowDown,
    /// The template cannot be sent: the campaign stops, as it does for this
    /// answer code.
    StopCampaign(&'static AnswerCode),
}

/// One of Meta's codes for a failed message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FailureCode {
    /// The code, as Meta writes it: `131026`.
    pub code: &'static str,
    /// Meta's title for it.
    pub title: &'static str,
    /// What it means, in this project's words.
    pub meaning: &'static str,
    /// What a campaign does about it.
    pub action: FailureAction,
    /// What to do about it.
    pub remedy: &'static str,
}

impl FailureCode {
    /// The row for `code` as sent (`131026`, surrounding spaces ignored);
    /// `None` for a code not in [`FAILURE_CODES`].
    pub fn find(code: &str) -> Option<&'static FailureCode> {
        let code = code.trim();
        FAILURE_CODES.iter().find(|row| row.code == code)
    }

    /// The first code of [`FAILURE_CODES`] that `text` carries the way Meta
    /// writes codes inside a message, `(#130429)`; a bare number is not
    /// taken to be a code (see [`AnswerCode::meta_in`]).
    pub fn written_in(text: &str) -> Option<&'static FailureCode> {
        FAILURE_CODES.iter().find(|row| {
            text.match_indices(row.code).any(|(at, _)| {
                text[..at].ends_with("(#") && text[at + row.code.len()..].starts_with(')')
            })
        })
    }
}

/// `130429`: the business number's throughput is exceeded.
pub const META_130429: FailureCode = FailureCode {
    code: "130429",
    title: "Rate limit hit",
    meaning: "the business number's message throughput is exceeded",
    action: FailureAction::SlowDown,
    remedy: "send more slowly (--rate); the campaign slows down on its own",
};

/// `131026`: the message cannot be delivered.
pub const META_131026: FailureCode = FailureCode {
    code: "131026",
    title: "Message Undeliverable",
    meaning: "the message cannot be delivered to this number (not on WhatsApp, an old app, terms not accepted)",
    action: FailureAction::Final,
    remedy: "check the number with the customer; sending again fails the same way",
};

/// `131047`: more than 24 hours since the customer last wrote.
pub const META_131047: FailureCode = FailureCode {
    code: "131047",
    title: "Re-engagement message",
    meaning: "more than 24 hours have passed since the customer last replied",
    action: FailureAction::Final,
    remedy: "send an approved template, not a session message",
};

/// `131049`: Meta held the message back for ecosystem health.
pub const META_131049: FailureCode = FailureCode {
    code: "131049",
    title: "Meta chose not to deliver",
    meaning: "Meta held the message back to keep the customer's engagement healthy",
    action: FailureAction::NotAtOnce,
    remedy: "do not resend at once; try again after some days, or another template",
};

/// `131056`: too many messages to this customer in a short time.
pub const META_131056: FailureCode = FailureCode {
    code: "131056",
    title: "(Business Account, Consumer Account) pair rate limit hit",
    meaning: "too many messages from the business number to this customer in a short time",
    action: FailureAction::NotAtOnce,
    remedy: "wait before sending to this customer again; a rerun later sends what is pending",
};

/// `132015`: the template is paused.
pub const META_132015_STATUS: FailureCode = FailureCode {
    code: "132015",
    title: "Template is Paused",
    meaning: codes::META_132015.meaning,
    action: FailureAction::StopCampaign(&codes::META_132015),
    remedy: codes::META_132015.remedy,
};

/// `132016`: the template is disabled.
pub const META_132016_STATUS: FailureCode = FailureCode {
    code: "132016",
    title: "Template is Disabled",
    meaning: codes::META_132016.meaning,
    action: FailureAction::StopCampaign(&codes::META_132016),
    remedy: codes::META_132016.remedy,
};

/// Every failure code this project knows.
pub const FAILURE_CODES: [FailureCode; 7] = [
    META_130429,
    META_131026,
    META_131047,
    META_131049,
    META_131056,
    META_132015_STATUS,
    META_132016_STATUS,
];

/// The codes whose failed status stops a campaign, for a journal's query.
pub fn campaign_stoppers() -> impl Iterator<Item = &'static FailureCode> {
    FAILURE_CODES
        .iter()
        .filter(|row| matches!(row.action, FailureAction::StopCampaign(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_found_by_its_text() {
        let mut seen = std::collections::HashSet::new();
        for row in &FAILURE_CODES {
            assert!(seen.insert(row.code), "{} is listed twice", row.code);
            assert_eq!(FailureCode::find(row.code), Some(row));
        }
        assert_eq!(FailureCode::find(" 131056 "), Some(&META_131056));
        assert_eq!(FailureCode::find("130472"), None, "an unknown code");
    }

    #[test]
    fn a_code_inside_a_message_is_read_only_written_metas_way() {
        assert_eq!(
            FailureCode::written_in("(#130429) Rate limit hit"),
            Some(&META_130429)
        );
        assert_eq!(FailureCode::written_in("order 130429"), None);
        assert_eq!(FailureCode::written_in("(#1304290)"), None);
    }

    #[test]
    fn the_template_codes_stop_as_their_answer_codes_do() {
        let stoppers: Vec<_> = campaign_stoppers().map(|row| row.code).collect();
        assert_eq!(stoppers, ["132015", "132016"]);
        for row in campaign_stoppers() {
            let FailureAction::StopCampaign(answer) = row.action else {
                unreachable!()
            };
            assert_eq!(answer.code, row.code);
            assert!(answer.stops_campaign);
        }
    }
}
