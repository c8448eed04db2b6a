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
