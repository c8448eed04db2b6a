//! Kaleyra's answer codes, once: each code's text, the HTTP status Kaleyra
//! answers with, what it means, whether the message may have been sent,
//! whether retrying can help, and whether it dooms every other request of
//! the account too (so a campaign should stop rather than burn its rows).
//!
//! The runtime's `ApiCode`, the emulator's answers and the template list all
//! read this table. A few of Meta's codes that Kaleyra's v2 passes through
//! about the template itself (it does not exist in that language, it is
//! paused or disabled) are listed beside them in [`META_TEMPLATE_CODES`].
//! Meta's codes that arrive later, in a `failed` status, are in
//! [`crate::failures`].
//!
//! Decisions, where Kaleyra's pages are silent or disagree:
//! - `WAV2101` (daily limit) has no documented HTTP status: its
//!   [`AnswerCode::http_status`] is `None` and it is recognised by its code
//!   whatever the status.
//! - `WA429` and `WAV2101` have no documented `message`; theirs here are
//!   this project's wording. The others are Kaleyra's, word for word.
//! - Kaleyra's v2 error table says "retry: yes" for `WA400` and `WA401`; it
//!   means "after the cause is fixed", so they are [`Retry::AfterFix`].
//! - `E13008` (the `from` number is invalid) stops a campaign: every row is
//!   sent from the same number.
//! - `WA400`, `E413` and `E13009` concern one request's values, so they do
//!   not stop a campaign: the other rows may be fine.

/// Who defines a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CodeOrigin {
    /// Kaleyra's own code, the `code` of its answer body.
    Kaleyra,
    /// Meta's code, passed through by Kaleyra inside an answer's message,
    /// written Meta's way: `(#132015) ...`.
    Meta,
}

/// Whether sending the same request again can succeed, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Retry {
    /// Nothing to retry: the request succeeded.
    NotNeeded,
    /// It fails again until its cause is fixed: the key, the payload, a
    /// number, the template.
    AfterFix,
    /// It fails again until something outside the request changes: the
    /// balance is topped up, the daily limit resets.
    Later,
    /// It may succeed after backing off; nothing was sent.
    AfterBackoff,
    /// It may succeed after a wait, but the first request may have been
    /// sent: a resend may message the customer twice.
    MayDuplicate,
}

impl Retry {
    /// Whether sending the same request again, unchanged, can succeed.
    pub fn can_help(self) -> bool {
        matches!(
            self,
            Retry::Later | Retry::AfterBackoff | Retry::MayDuplicate
        )
    }
}

/// One of Kaleyra's documented answer codes (or one of Meta's it passes
/// through), and what it means for the request and for the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct AnswerCode {
    /// The code as written in the answer: `WA401`, `WA-401`, `132015`.
    pub code: &'static str,
    /// Who defines it.
    pub origin: CodeOrigin,
    /// The HTTP status Kaleyra answers with; `None` where it is not
    /// documented.
    pub http_status: Option<u16>,
    /// The answer's `message`, as Kaleyra writes it where its pages give it.
    pub message: &'static str,
    /// What it means, in this project's words.
    pub meaning: &'static str,
    /// Whether the message may have been sent despite the answer.
    pub may_have_been_sent: bool,
    /// Whether, and when, sending it again can succeed.
    pub retry: Retry,
    /// Whether no other request of the account can succeed either until it
    /// is fixed (authentication, the sender number, the balance, the daily
    /// limit, the template): a campaign stops instead of trying every row.
    pub stops_campaign: bool,
    /// What to do about it.
    pub remedy: &'static str,
}

impl AnswerCode {
    /// Whether the answer is a success.
    pub fn is_success(&self) -> bool {
        self.retry == Retry::NotNeeded
    }

    /// Kaleyra's row for `text`, such as `WA-401`; `None` for a code not in
    /// [`KALEYRA_CODES`].
    pub fn kaleyra(text: &str) -> Option<&'static AnswerCode> {
        KALEYRA_CODES.iter().find(|row| row.code == text)
    }

    /// The first of Meta's template codes ([`META_TEMPLATE_CODES`]) that
    /// `text` carries the way Meta writes them, `(#132015)`. How Kaleyra
    /// passes Meta's codes on is not documented, so only that spelling is
    /// recognised: a bare `132015` in a message could be anything.
    pub fn meta_in(text: &str) -> Option<&'static AnswerCode> {
        META_TEMPLATE_CODES.iter().find(|row| {
            text.match_indices(row.code).any(|(at, _)| {
                text[..at].ends_with("(#") && text[at + row.code.len()..].starts_with(')')
            })
        })
    }
}

const fn kaleyra(
    code: &'static str,
    http_status: Option<u16>,
    message: &'static str,
    meaning: &'static str,
    retry: Retry,
    stops_campaign: bool,
    remedy: &'static str,
) -> AnswerCode {
    AnswerCode {
        code,
        origin: CodeOrigin::Kaleyra,
        http_status,
        message,
        meaning,
        may_have_been_sent: matches!(retry, Retry::MayDuplicate | Retry::NotNeeded),
        retry,
        stops_campaign,
        remedy,
    }
}

/// `WA200`: success (the template list).
pub const WA200: AnswerCode = kaleyra(
    "WA200",
    Some(200),
    "Templates fetched successfully",
    "success",
    Retry::NotNeeded,
    false,
    "nothing",
);

/// `WA202`: a v2 message was accepted.
pub const WA202: AnswerCode = kaleyra(
    "WA202",
    Some(202),
    "Request Accepted",
    "the message was accepted",
    Retry::NotNeeded,
    false,
    "nothing",
);

/// `RBC001`: the SID or API key is wrong.
pub const RBC001: AnswerCode = kaleyra(
    "RBC001",
    Some(401),
    "Incorrect SID or API key.",
    "wrong SID or API key",
    Retry::AfterFix,
    true,
    "check the account's SID and API key",
);

/// `WA400`: the v2 payload is malformed.
///
/// Kaleyra's table says "retry: yes", meaning after the payload is fixed,
/// so it is [`Retry::AfterFix`]; it concerns one request's values, so it
/// does not stop a campaign.
pub const WA400: AnswerCode = kaleyra(
    "WA400",
    Some(400),
    "Refer to correct payload format",
    "the v2 payload is malformed",
    Retry::AfterFix,
    false,
    "fix the fields the answer names",
);

/// `WA401`: the number in the v2 path is not on the account. Kaleyra's
/// table says "retry: yes", meaning after the number is fixed, so it is
/// [`Retry::AfterFix`].
pub const WA401: AnswerCode = kaleyra(
    "WA401",
    Some(401),
    "Phone number is not present or does not belong to the account.",
    "the business number is not on the account",
    Retry::AfterFix,
    true,
    "check the business (from) number and that it is the account's",
);

/// `WA-401`: the API is not available for the account, or the number is
/// bound to the other API version.
pub const WA_401: AnswerCode = kaleyra(
    "WA-401",
    Some(401),
    "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
    "the API is not available for the account, or the number is bound to the other API version",
    Retry::AfterFix,
    true,
    "use the API version (v1 or v2) the business number is bound to",
);

/// `WA429`: too many requests. Kaleyra documents no `message` for it; this
/// one is this project's wording.
pub const WA429: AnswerCode = kaleyra(
    "WA429",
    Some(429),
    "Too many requests",
    "too many requests",
    Retry::AfterBackoff,
    false,
    "slow down and retry",
);

/// `WA500`: a server error; Kaleyra advises retrying after 5, 10, 15 minutes.
pub const WA500: AnswerCode = kaleyra(
    "WA500",
    Some(500),
    "Please try again later",
    "a server error",
    Retry::MayDuplicate,
    false,
    "retry after 5, 10 and 15 minutes, then ask Kaleyra's support; a resend may send twice",
);

/// `WAV2101`: the account's daily limit is reached.
///
/// Kaleyra documents no HTTP status for it (so `http_status` is `None` and
/// it is recognised by its code whatever the status) and no `message` (this
/// one is this project's wording).
pub const WAV2101: AnswerCode = kaleyra(
    "WAV2101",
    None,
    "Daily account limit reached",
    "the account's daily limit is reached",
    Retry::Later,
    true,
    "wait for the daily limit to reset, or ask Kaleyra's operations for a higher limit",
);

/// `E413`: invalid or incorrect inputs; the answer's `error` names the fields.
pub const E413: AnswerCode = kaleyra(
    "E413",
    Some(400),
    "Invalid/incorrect inputs",
    "invalid or incorrect inputs",
    Retry::AfterFix,
    false,
    "fix the fields the answer names",
);

/// `E110`: the account's balance is too low.
pub const E110: AnswerCode = kaleyra(
    "E110",
    Some(400),
    "Please check your balance, You have a low balance!",
    "the account's balance is too low",
    Retry::Later,
    true,
    "top up the account's balance",
);

/// `E13008`: the `from` number is invalid. It stops a campaign: every row
/// is sent from the same number.
pub const E13008: AnswerCode = kaleyra(
    "E13008",
    Some(400),
    "Invalid or in-correct input of the From number.",
    "the from number is invalid",
    Retry::AfterFix,
    true,
    "check the business (from) number: E.164, the account's",
);

/// `E13009`: the `to` number is invalid.
pub const E13009: AnswerCode = kaleyra(
    "E13009",
    Some(400),
    "Invalid or in-correct input of the TO number.",
    "the to number is invalid",
    Retry::AfterFix,
    false,
    "fix the recipient's number",
);

/// Every Kaleyra code this project knows.
pub const KALEYRA_CODES: [AnswerCode; 13] = [
    WA200, WA202, RBC001, WA400, WA401, WA_401, WA429, WA500, WAV2101, E413, E110, E13008, E13009,
];

const fn meta(code: &'static str, message: &'static str, remedy: &'static str) -> AnswerCode {
    AnswerCode {
        code,
        origin: CodeOrigin::Meta,
        // Kaleyra's status for an answer carrying them is not documented.
        http_status: None,
        message,
        meaning: message,
        may_have_been_sent: false,
        retry: Retry::AfterFix,
        stops_campaign: true,
        remedy,
    }
}

/// Meta's `132001`: the template does not exist in that language.
pub const META_132001: AnswerCode = meta(
    "132001",
    "the template does not exist in that language",
    "check the template's name and language against the account (`kaleyra templates check`)",
);

/// Meta's `132015`: the template is paused for low quality.
pub const META_132015: AnswerCode = meta(
    "132015",
    "the template is paused",
    "wait for the pause to end (3 or 6 hours), or send another template",
);

/// Meta's `132016`: the template is disabled.
pub const META_132016: AnswerCode = meta(
    "132016",
    "the template is disabled",
    "send another approved template",
);

/// Meta's codes about the template itself that Kaleyra's answers may
/// carry: every row of a campaign names the same template, so each stops it.
pub const META_TEMPLATE_CODES: [AnswerCode; 3] = [META_132001, META_132015, META_132016];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once() {
        let all = KALEYRA_CODES.iter().chain(&META_TEMPLATE_CODES);
        let mut seen = std::collections::HashSet::new();
        for row in all {
            assert!(seen.insert(row.code), "{} is listed twice", row.code);
        }
    }

    #[test]
    fn a_code_is_found_by_its_text_only() {
        assert_eq!(AnswerCode::kaleyra("WA-401"), Some(&WA_401));
        assert_eq!(AnswerCode::kaleyra("WA401"), Some(&WA401));
        assert_eq!(AnswerCode::kaleyra("wa401"), None);
        assert_eq!(AnswerCode::kaleyra("132015"), None, "Meta's are apart");
    }

    #[test]
    fn metas_code_is_found_only_written_metas_way() {
        assert_eq!(
            AnswerCode::meta_in("(#132015) template `x` is PAUSED"),
            Some(&META_132015)
        );
        assert_eq!(
            AnswerCode::meta_in("lang_code: (#132001) does not exist"),
            Some(&META_132001)
        );
        assert_eq!(AnswerCode::meta_in("order 132015 is late"), None);
        assert_eq!(AnswerCode::meta_in("(#1320150)"), None);
    }

    #[test]
    fn only_a_success_or_a_server_error_may_have_been_sent() {
        for row in KALEYRA_CODES.iter().chain(&META_TEMPLATE_CODES) {
            assert_eq!(
                row.may_have_been_sent,
                row.is_success() || row.http_status.is_some_and(|status| status >= 500),
                "{}",
                row.code
            );
        }
    }

    #[test]
    fn what_stops_a_campaign_cannot_be_fixed_by_sending_again_at_once() {
        for row in KALEYRA_CODES.iter().chain(&META_TEMPLATE_CODES) {
            if row.stops_campaign {
                assert!(
                    matches!(row.retry, Retry::AfterFix | Retry::Later),
                    "{}",
                    row.code
                );
            }
        }
        let stoppers: Vec<&str> = KALEYRA_CODES
            .iter()
            .filter(|row| row.stops_campaign)
            .map(|row| row.code)
            .collect();
        assert_eq!(
            stoppers,
            ["RBC001", "WA401", "WA-401", "WAV2101", "E110", "E13008"],
            "the account-wide refusals, and none about one row's values"
        );
    }
}
