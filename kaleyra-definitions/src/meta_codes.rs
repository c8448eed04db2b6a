//! Meta's codes for a message that was accepted and then failed: the
//! `errors[].code` of a `failed` status (v2), or its `error_code` (v1).
//!
//! Kaleyra accepts such a message (`WA202`, or v1's `200`) and reports the
//! failure later, in a status callback. The emulator posts them on demand
//! (`/emulator/faults`); an application's back-off can branch on them
//! (`130429` and `131056` are rate limits, the others are not fixed by
//! sending again at once).
//!
//! The two template codes (`132015`, `132016`) are also synchronous
//! refusals, listed in [`crate::codes::META_TEMPLATE_CODES`]; their code
//! here is that table's.

use crate::codes::{self, Retry};

/// One of Meta's codes for a message that failed after it was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct MetaFailureCode {
    /// The code as Meta writes it: `131026`.
    pub code: &'static str,
    /// Meta's title for it, the `title` (and `message`) of the error object.
    pub title: &'static str,
    /// What happened, in this project's words: the error's `error_data.details`.
    pub details: &'static str,
    /// Whether, and when, sending the message again can succeed.
    pub retry: Retry,
}

impl MetaFailureCode {
    /// The row for `code`, such as `131026`; `None` for a code not in
    /// [`META_FAILURE_CODES`].
    pub fn find(code: &str) -> Option<&'static MetaFailureCode> {
        META_FAILURE_CODES.iter().find(|row| row.code == code)
    }

    /// The code as a number, as Meta's JSON writes it.
    pub fn number(&self) -> u64 {
        // Every code of the table is digits (a test checks it).
        self.code.parse().unwrap_or_default()
    }
}

/// `130429`: the business number's throughput was exceeded.
pub const THROUGHPUT_RATE_LIMIT: MetaFailureCode = MetaFailureCode {
    code: "130429",
    title: "Rate limit hit",
    details: "the business number sent more messages per second than its throughput allows",
    retry: Retry::AfterBackoff,
};

/// `131026`: the message could not be delivered (the number is not on
/// WhatsApp, or its app is too old, or the customer has not accepted the terms).
pub const UNDELIVERABLE: MetaFailureCode = MetaFailureCode {
    code: "131026",
    title: "Message Undeliverable",
    details: "the message could not be delivered to the customer's phone",
    retry: Retry::AfterFix,
};

/// `131047`: more than 24 hours since the customer last wrote; only a
/// template can be sent.
pub const OUTSIDE_24_HOUR_WINDOW: MetaFailureCode = MetaFailureCode {
    code: "131047",
    title: "Re-engagement message",
    details: "more than 24 hours have passed since the customer last replied; send a template",
    retry: Retry::AfterFix,
};

/// `131049`: Meta chose not to deliver it, to keep the customer's
/// engagement healthy (too many marketing messages).
pub const ECOSYSTEM_ENGAGEMENT: MetaFailureCode = MetaFailureCode {
    code: "131049",
    title: "This message was not delivered to maintain healthy ecosystem engagement.",
    details: "Meta did not deliver the message to keep the customer's engagement healthy",
    retry: Retry::Later,
};

/// `131056`: too many messages from the business number to this customer
/// in a short time.
pub const PAIR_RATE_LIMIT: MetaFailureCode = MetaFailureCode {
    code: "131056",
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details: "too many messages were sent to this customer from the business number in a short time",
    retry: Retry::AfterBackoff,
};

/// `132015`: the template is paused for low quality.
pub const TEMPLATE_PAUSED: MetaFailureCode = MetaFailureCode {
    code: codes::META_132015.code,
    title: "Template is Paused",
    details: codes::META_132015.meaning,
    retry: Retry::AfterFix,
};

/// `132016`: the template is disabled.
pub const TEMPLATE_DISABLED: MetaFailureCode = MetaFailureCode {
    code: codes::META_132016.code,
    title: "Template is Disabled",
    details: codes::META_132016.meaning,
    retry: Retry::AfterFix,
};

/// Every asynchronous failure code this project knows.
pub const META_FAILURE_CODES: [MetaFailureCode; 7] = [
    THROUGHPUT_RATE_LIMIT,
    UNDELIVERABLE,
    OUTSIDE_24_HOUR_WINDOW,
    ECOSYSTEM_ENGAGEMENT,
    PAIR_RATE_LIMIT,
    TEMPLATE_PAUSED,
    TEMPLATE_DISABLED,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_digits_and_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for row in META_FAILURE_CODES {
            assert!(
                !row.code.is_empty() && row.code.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                row.code
            );
            assert_eq!(row.number().to_string(), row.code);
            assert!(seen.insert(row.code), "{} is listed twice", row.code);
        }
    }

    #[test]
    fn a_code_is_found_by_its_text_only() {
        assert_eq!(MetaFailureCode::find("131026"), Some(&UNDELIVERABLE));
        assert_eq!(MetaFailureCode::find("132015"), Some(&TEMPLATE_PAUSED));
        assert_eq!(MetaFailureCode::find("13102"), None);
        assert_eq!(MetaFailureCode::find("WA500"), None);
    }

    #[test]
    fn only_the_rate_limits_clear_by_backing_off() {
        let backoff: Vec<&str> = META_FAILURE_CODES
            .iter()
            .filter(|row| row.retry == Retry::AfterBackoff)
            .map(|row| row.code)
            .collect();
        assert_eq!(backoff, ["130429", "131056"]);
    }
}
