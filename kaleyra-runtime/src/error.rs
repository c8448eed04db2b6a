//! The one error type of the crate, and Kaleyra's documented error codes.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use kaleyra_definitions::codes::{self, AnswerCode, Retry};

use crate::api::ApiVersion;
use crate::receipt::Receipt;

/// Everything that can go wrong preparing or sending a message.
///
/// Nothing in an `Error` contains the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value was refused before anything was sent: a number that is not
    /// E.164, a text over WhatsApp's limit, a parameter WhatsApp rejects.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field at fault, such as `to`, `buttons[1].title` or `first_name (body {{1}})`.
        field: String,
        /// Why it was refused and, where there is one, how to fix it.
        reason: String,
    },

    /// Kaleyra answered with one of its documented error bodies.
    #[error("Kaleyra refused the request: HTTP {status}, {code}: {message}{}", describe_fields(.fields))]
    Api {
        /// The HTTP status.
        status: u16,
        /// Kaleyra's error code.
        code: ApiCode,
        /// Kaleyra's message.
        message: String,
        /// The `error` object: the field at fault, mapped to what is wrong with it.
        fields: BTreeMap<String, String>,
        /// The response body, bounded.
        body: String,
        /// How long the `Retry-After` header asks to wait, if it was sent.
        retry_after: Option<Duration>,
    },

    /// Kaleyra (or something in between, such as a proxy) answered with a
    /// body that is not its documented JSON: HTML, nothing, truncated JSON;
    /// or with a redirect, which is never followed nor retried (`reason`
    /// names where it pointed): Kaleyra documents none, and following one
    /// would take the `api-key` header and the message to another address.
    #[error("Kaleyra's answer (HTTP {status}) could not be read: {reason}; body: {body:?}")]
    Decode {
        /// The HTTP status.
        status: u16,
        /// What was wrong with the body.
        reason: String,
        /// The start of the body, bounded (see [`Error::BODY_EXCERPT_BYTES`]).
        body: String,
    },

    /// The request could not be completed: no connection, a timeout, a reset.
    #[error(transparent)]
    Transport(#[from] TransportError),

    /// The message uses something the configured API version does not have.
    #[error("{what} is not available on Kaleyra's {api} API")]
    Unsupported {
        /// What is not available, such as `cta_url messages`.
        what: String,
        /// The API version the client is configured for.
        api: ApiVersion,
    },

    /// Kaleyra refused a media upload with HTTP 401 for a reason other than a
    /// wrong SID or key (that is [`Error::Api`] with `RBC001`): Kaleyra lets
    /// only postpaid accounts upload media, and answers others 401
    /// "Unauthorised account type" (its code is undocumented, so any other
    /// 401 on an upload is read as this).
    #[error(
        "Kaleyra refused the media upload (HTTP 401: {message}): Kaleyra lets only postpaid accounts upload media; send the header's media by link (`MediaUrl`) instead, or ask Kaleyra about the account type"
    )]
    UploadNotAllowed {
        /// Kaleyra's message, or the start of the body.
        message: String,
        /// The response body, bounded.
        body: String,
    },

    /// Sending to several recipients on v2 (one request each) failed for at
    /// least one of them. `receipt` holds those that were accepted (possibly
    /// none): resending to them would send them the message twice.
    #[error("sent to {} recipient(s), failed for {}: {}", receipt.messages().len(), failures.len(), describe_failures(failures))]
    RecipientsFailed {
        /// The messages that were accepted.
        receipt: Receipt,
        /// Each recipient that failed, with its error.
        failures: Vec<RecipientFailure>,
    },

    /// Something inside this crate or its HTTP stack failed, not the input
    /// and not Kaleyra: the HTTP client could not be set up (no TLS roots), a
    /// request body could not be written. Nothing was sent.
    #[error("internal error while {action}: {reason}")]
    Internal {
        /// What the crate was doing, such as `building the HTTP client`.
        action: &'static str,
        /// What failed.
        reason: String,
    },

    /// A v1 batch of [`crate::Client::send_many`] inputs went in one request,
    /// which failed; every input of the batch gets this error.
    #[error("{}", Error::describe_batch(*recipients, error))]
    BatchFailed {
        /// How many recipients the request had.
        recipients: usize,
        /// Why it failed.
        error: std::sync::Arc<Error>,
    },
}

impl Error {
    fn describe_batch(recipients: usize, error: &Error) -> String {
        format!("the batched request to {recipients} recipients failed: {error}")
    }
}

/// A recipient a message could not be sent to.
#[derive(Debug)]
#[non_exhaustive]
pub struct RecipientFailure {
    /// The recipient, as given.
    pub recipient: String,
    /// Why sending to them failed.
    pub error: Box<Error>,
}

impl Error {
    /// How many bytes of a response body an error keeps.
    pub const BODY_EXCERPT_BYTES: usize = 512;

    pub(crate) fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn internal(action: &'static str, reason: impl ToString) -> Self {
        Error::Internal {
            action,
            reason: reason.to_string(),
        }
    }

    pub(crate) fn unsupported(what: impl Into<String>, api: ApiVersion) -> Self {
        Error::Unsupported {
            what: what.into(),
            api,
        }
    }

    /// Whether trying again may succeed *and* cannot send the message twice:
    /// the connection was never established, or Kaleyra answered 429 (too many
    /// requests), which it does before accepting anything.
    ///
    /// Server errors and timeouts are not retryable in this sense, because the
    /// request may have reached Kaleyra, which does not deduplicate sends; see
    /// [`Error::may_have_been_sent`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(error) => !error.may_have_been_sent(),
            Error::Api { status, code, .. } => {
                *status == 429
                    || code
                        .info()
                        .is_some_and(|row| row.retry == Retry::AfterBackoff)
            }
            _ => false,
        }
    }

    /// Whether the request may have reached Kaleyra and been sent despite the
    /// error: a timeout or reset after the request was written, a 5xx answer.
    /// Retrying such an error may send the customer the same message twice.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Transport(error) => error.may_have_been_sent(),
            Error::Api { status, code, .. } => {
                *status >= 500
                    || code
                        .info()
                        .is_some_and(|row| row.may_have_been_sent && !row.is_success())
            }
            Error::Decode { status, .. } => *status >= 500 || (200..300).contains(status),
            Error::BatchFailed { error, .. } => error.may_have_been_sent(),
            Error::RecipientsFailed { receipt, failures } => {
                !receipt.messages().is_empty()
                    || failures
                        .iter()
                        .any(|failure| failure.error.may_have_been_sent())
            }
            _ => false,
        }
    }

    /// The code of Kaleyra's table ([`kaleyra_definitions::codes`]) that
    /// says no other request of the account can succeed either until it is
    /// fixed: a wrong key (`RBC001`), a business number not on the account
    /// or bound to the other API (`WA401`, `WA-401`), an invalid `from`
    /// (`E13008`), the balance (`E110`), the daily limit (`WAV2101`), or
    /// Meta's code for a template that does not exist in that language,
    /// is paused or disabled (`(#132001)`, `(#132015)`, `(#132016)` in the
    /// answer's message or fields). A campaign stops on it rather than
    /// trying every row.
    ///
    /// Such a refusal was never sent: [`Error::may_have_been_sent`] is false.
    pub fn stops_campaign(&self) -> Option<&'static AnswerCode> {
        match self {
            Error::Api {
                status,
                code,
                message,
                fields,
                ..
            } if *status < 500 => code.info().filter(|row| row.stops_campaign).or_else(|| {
                std::iter::once(message)
                    .chain(fields.values())
                    .find_map(|text| AnswerCode::meta_in(text))
            }),
            Error::BatchFailed { error, .. } => error.stops_campaign(),
            Error::RecipientsFailed { receipt, failures } if receipt.messages().is_empty() => {
                failures
                    .iter()
                    .find_map(|failure| failure.error.stops_campaign())
            }
            _ => None,
        }
    }

    /// How long to wait before retrying: the `Retry-After` Kaleyra sent, or for
    /// `WA500` the first delay Kaleyra advises (5 minutes).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api {
                retry_after: Some(delay),
                ..
            } => Some(*delay),
            Error::Api {
                code: ApiCode::ServerError,
                ..
            } => Some(Duration::from_secs(5 * 60)),
            _ => None,
        }
    }
}

/// Kaleyra's documented error codes, each named for what it means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiCode {
    /// `RBC001`: wrong SID or API key.
    InvalidCredentials,
    /// `WA400`: the v2 payload is malformed.
    MalformedPayload,
    /// `WA401`: the number in the v2 path is not on the account.
    NumberNotOnAccount,
    /// `WA-401`: the API is not available for the account, or the number is
    /// bound to the other API version.
    ApiNotAvailable,
    /// `WA500`: a server error; Kaleyra advises retrying after 5, 10, 15 minutes.
    ServerError,
    /// `WA429`: too many requests; retry with back-off.
    TooManyRequests,
    /// `WAV2101`: the account's daily limit is reached.
    DailyLimitReached,
    /// `E413`: invalid or incorrect inputs; see the error's `fields`.
    InvalidInput,
    /// `E110`: the account's balance is too low.
    LowBalance,
    /// `E13008`: the `from` number is invalid.
    InvalidFrom,
    /// `E13009`: the `to` number is invalid.
    InvalidTo,
    /// A code this crate does not know.
    Other(String),
}

impl ApiCode {
    /// Each variant beside its row of Kaleyra's table.
    const KNOWN: [(&'static AnswerCode, ApiCode); 11] = [
        (&codes::RBC001, ApiCode::InvalidCredentials),
        (&codes::WA400, ApiCode::MalformedPayload),
        (&codes::WA401, ApiCode::NumberNotOnAccount),
        (&codes::WA_401, ApiCode::ApiNotAvailable),
        (&codes::WA500, ApiCode::ServerError),
        (&codes::WA429, ApiCode::TooManyRequests),
        (&codes::WAV2101, ApiCode::DailyLimitReached),
        (&codes::E413, ApiCode::InvalidInput),
        (&codes::E110, ApiCode::LowBalance),
        (&codes::E13008, ApiCode::InvalidFrom),
        (&codes::E13009, ApiCode::InvalidTo),
    ];

    /// The code as Kaleyra writes it, such as `WA-401`.
    pub fn as_str(&self) -> &str {
        match self {
            ApiCode::Other(code) => code,
            _ => self.info().map_or("", |row| row.code),
        }
    }

    /// The code for Kaleyra's `text`; unknown codes become [`ApiCode::Other`].
    pub fn parse(text: &str) -> ApiCode {
        Self::KNOWN
            .iter()
            .find(|(row, _)| row.code == text)
            .map_or_else(|| ApiCode::Other(text.to_owned()), |(_, code)| code.clone())
    }

    /// The code's row in Kaleyra's table: its HTTP status, meaning, whether
    /// retrying helps, whether it stops a campaign. `None` for
    /// [`ApiCode::Other`].
    pub fn info(&self) -> Option<&'static AnswerCode> {
        Self::KNOWN
            .iter()
            .find(|(_, code)| code == self)
            .map(|(row, _)| *row)
    }
}

impl fmt::Display for ApiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request that could not be completed at the HTTP level. Its message
/// names the kind, reqwest's error and every cause under it (such as
/// `connection refused`, or rustls's `received corrupt message` when an
/// `https://` base URL points at a port that speaks plain HTTP), since
/// reqwest's own message alone is often only `error sending request`.
#[derive(Debug, thiserror::Error)]
#[error("{kind}: {source}{causes}")]
pub struct TransportError {
    kind: TransportErrorKind,
    #[source]
    source: reqwest::Error,
    /// The causes under `source`, each after `: `, and a hint where one
    /// helps; empty when there are none.
    causes: String,
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made; nothing was sent.
    Connect,
    /// No answer came in time; the request may have been sent.
    Timeout,
    /// The connection failed while the request or answer was under way; the
    /// request may have been sent.
    Interrupted,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "could not connect to Kaleyra (nothing was sent)",
            TransportErrorKind::Timeout => {
                "Kaleyra did not answer in time (the message may have been sent)"
            }
            TransportErrorKind::Interrupted => {
                "the connection to Kaleyra failed mid-request (the message may have been sent)"
            }
        })
    }
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error) -> Self {
        let kind = if source.is_connect() {
            TransportErrorKind::Connect
        } else if source.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Interrupted
        };
        let source = source.without_url();
        TransportError {
            kind,
            causes: causes(&source),
            source,
        }
    }

    /// What kind of failure this was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request may have reached Kaleyra.
    pub fn may_have_been_sent(&self) -> bool {
        self.kind != TransportErrorKind::Connect
    }
}

/// The causes under `error`, each after `: ` (repeats left out), and a hint
/// when they say TLS met a server that answered in plain HTTP.
fn causes(error: &reqwest::Error) -> String {
    let mut seen = vec![error.to_string()];
    let mut cause = std::error::Error::source(error);
    while let Some(error) = cause {
        let text = error.to_string();
        if !seen.iter().any(|earlier| earlier.contains(&text)) {
            seen.push(text);
        }
        cause = error.source();
    }
    let mut causes: String = seen[1..].iter().map(|text| format!(": {text}")).collect();
    // rustls's words for a TLS handshake answered with plain HTTP bytes.
    if causes.contains("InvalidContentType") || causes.contains("corrupt message") {
        causes.push_str(
            " (the server does not speak TLS there: is the base URL `https://` on a port that serves plain `http://`?)",
        );
    }
    causes
}

fn describe_fields(fields: &BTreeMap<String, String>) -> String {
    if fields.is_empty() {
        return String::new();
    }
    let listed: Vec<String> = fields
        .iter()
        .map(|(field, message)| format!("{field}: {message}"))
        .collect();
    format!(" ({})", listed.join("; "))
}

fn describe_failures(failures: &[RecipientFailure]) -> String {
    let listed: Vec<String> = failures
        .iter()
        .map(|failure| format!("{}: {}", failure.recipient, failure.error))
        .collect();
    listed.join("; ")
}

/// The start of `body` as text, at most [`Error::BODY_EXCERPT_BYTES`] bytes, marked
/// when cut.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= Error::BODY_EXCERPT_BYTES {
        return text.into_owned();
    }
    let mut end = Error::BODY_EXCERPT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], body.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::SentMessage;

    fn api_error(code: &str) -> Error {
        Error::Api {
            status: 400,
            code: ApiCode::parse(code),
            message: "Invalid inputs".to_owned(),
            fields: [("to".to_owned(), "is not a number".to_owned())].into(),
            body: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn each_variant_says_what_happened() {
        let shown = |error: &Error| error.to_string();
        assert_eq!(
            shown(&Error::invalid("to", "is empty")),
            "invalid to: is empty"
        );
        assert_eq!(
            shown(&api_error("E413")),
            "Kaleyra refused the request: HTTP 400, E413: Invalid inputs (to: is not a number)"
        );
        assert_eq!(
            shown(&Error::Decode {
                status: 502,
                reason: "not JSON".to_owned(),
                body: "<html>".to_owned()
            }),
            "Kaleyra's answer (HTTP 502) could not be read: not JSON; body: \"<html>\""
        );
        assert_eq!(
            shown(&Error::unsupported("a cta_url message", ApiVersion::V1)),
            "a cta_url message is not available on Kaleyra's v1 API"
        );
        assert_eq!(
            shown(&Error::internal("building the HTTP client", "no TLS roots")),
            "internal error while building the HTTP client: no TLS roots"
        );
        let receipt = Receipt::new(vec![SentMessage::new("+911".to_owned(), "m1".to_owned())]);
        let failures = vec![RecipientFailure {
            recipient: "+912".to_owned(),
            error: Box::new(api_error("E13009")),
        }];
        assert_eq!(
            shown(&Error::RecipientsFailed { receipt, failures }),
            "sent to 1 recipient(s), failed for 1: +912: Kaleyra refused the request: HTTP 400, E13009: Invalid inputs (to: is not a number)"
        );
        assert_eq!(
            shown(&Error::BatchFailed {
                recipients: 3,
                error: std::sync::Arc::new(Error::invalid("to", "is empty"))
            }),
            "the batched request to 3 recipients failed: invalid to: is empty"
        );
    }

    #[test]
    fn each_known_code_maps_onto_its_row_of_the_table_and_back() {
        for (row, code) in &ApiCode::KNOWN {
            assert_eq!(&ApiCode::parse(row.code), code);
            assert_eq!(code.as_str(), row.code);
            assert_eq!(code.info(), Some(*row));
        }
        assert_eq!(ApiCode::parse("WA999").info(), None);
        assert_eq!(ApiCode::parse("WA999").as_str(), "WA999");
    }

    #[test]
    fn a_refusal_no_row_can_succeed_with_names_its_code() {
        assert_eq!(api_error("RBC001").stops_campaign(), Some(&codes::RBC001));
        assert_eq!(api_error("WA-401").stops_campaign(), Some(&codes::WA_401));
        assert_eq!(api_error("E110").stops_campaign(), Some(&codes::E110));
        assert_eq!(api_error("E413").stops_campaign(), None, "one row's values");
        assert_eq!(api_error("E13009").stops_campaign(), None);
        let paused = Error::Api {
            status: 400,
            code: ApiCode::parse("E413"),
            message: "Invalid/incorrect inputs".to_owned(),
            fields: [(
                "template_name".to_owned(),
                "(#132015) template `x` is PAUSED".to_owned(),
            )]
            .into(),
            body: String::new(),
            retry_after: None,
        };
        assert_eq!(paused.stops_campaign(), Some(&codes::META_132015));
        let batch = Error::BatchFailed {
            recipients: 2,
            error: std::sync::Arc::new(api_error("RBC001")),
        };
        assert_eq!(batch.stops_campaign(), Some(&codes::RBC001));
        assert!(!api_error("RBC001").may_have_been_sent());
    }

    #[tokio::test]
    async fn a_transport_error_says_whether_the_message_may_have_been_sent() {
        // A port that was just free and is closed again: nothing listens.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let refused = reqwest::Client::new()
            .get(format!("http://127.0.0.1:{port}/"))
            .send()
            .await
            .unwrap_err();
        let error = Error::from(TransportError::new(refused));
        assert!(
            error
                .to_string()
                .starts_with("could not connect to Kaleyra (nothing was sent): "),
            "{error}"
        );
        assert!(!error.may_have_been_sent());
    }

    #[test]
    fn an_internal_error_is_not_the_callers_input() {
        let error = Error::internal("writing the v2 JSON body", "key must be a string");
        assert!(!matches!(error, Error::Invalid { .. }));
        assert!(!error.is_retryable() && !error.may_have_been_sent());
    }
}
