//! Why a callback could not be read.

/// A callback that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InboundError {
    /// The body was empty and there was no query string.
    #[error("the callback is empty: no body and no query string")]
    Empty,
    /// The body is not JSON.
    #[error("the callback body is not JSON: {reason}")]
    NotJson {
        /// The parser's message.
        reason: String,
    },
    /// The body is JSON but not an object (a list, a string, a number...):
    /// every callback Kaleyra posts is a JSON object.
    #[error(
        "the callback body is JSON {found}, not an object; every Kaleyra callback is a JSON object"
    )]
    NotAnObject {
        /// What the body is: `a list`, `a string`, `a number`, `true or false` or `null`.
        found: &'static str,
    },
    /// The body is not form-encoded.
    #[error("the callback is not form-encoded: {reason}")]
    NotForm {
        /// The decoder's message.
        reason: String,
    },
    /// A known kind of payload with a required field missing or of the wrong type.
    #[error("the callback's `{path}` {reason}")]
    Malformed {
        /// Where in the payload, such as `meta_object.value.statuses[0].id`.
        path: String,
        /// What is wrong.
        reason: String,
    },
}
