//! The requests that arrive on the send routes, kept as the inbox shows them:
//! the raw request behind each accepted message, and every refused request
//! with its code and field-level reasons.
//!
//! The middleware that records them is [`crate::recording`].

use axum::http::{HeaderMap, header, request::Parts};
use serde::{Deserialize, Serialize};

use crate::account::{API_KEY_HEADER, Account};
use crate::faults::AppliedFault;
use kaleyra_runtime::ApiVersion;

/// The most bytes of a body kept for the inbox; the rest is counted, not kept.
pub(crate) const MAX_BODY_KEPT: usize = 16 * 1024;

/// What replaces the API key wherever it appears in a kept request.
pub const REDACTED: &str = "[api-key redacted]";

/// A request as it arrived on a send route, as far as the inbox shows it.
///
/// The `api-key` header is never kept; any copy of the key in the query
/// string or body is replaced by `[api-key redacted]`. At most 16 KiB of the
/// body is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RawRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The path, such as `/v1/{sid}/messages`.
    pub path: String,
    /// The query string, without `?`, redacted.
    pub query: Option<String>,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The body as text, redacted and cut to the first 16 KiB.
    pub body: String,
    /// The body's size in bytes, as received.
    pub body_bytes: usize,
    /// How many bytes at the end of the body are not in [`body`](Self::body).
    pub truncated_bytes: usize,
    /// Whether the body was not UTF-8 (its invalid bytes are shown as `�`).
    pub not_utf8: bool,
    /// Whether a copy of the API key was replaced in the query or body.
    pub redacted: bool,
}

impl RawRequest {
    pub(crate) fn new(parts: &Parts, body: &[u8], secrets: &[String]) -> Self {
        let mut redacted = false;
        let query = parts
            .uri
            .query()
            .map(|query| redact(query.to_owned(), secrets, &mut redacted));
        let text = String::from_utf8_lossy(body);
        let not_utf8 = matches!(text, std::borrow::Cow::Owned(_));
        // Redacted before it is cut, so a key across the cut is never half shown.
        let text = redact(text.into_owned(), secrets, &mut redacted);
        let (body_text, truncated_bytes) = cut(text);
        RawRequest {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query,
            content_type: parts
                .headers
                .get(header::CONTENT_TYPE)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned()),
            body: body_text,
            body_bytes: body.len(),
            truncated_bytes,
            not_utf8,
            redacted,
        }
    }

    /// A request whose body was too large to read: its size is all that is kept.
    pub(crate) fn unread(parts: &Parts, body_bytes: usize, secrets: &[String]) -> Self {
        RawRequest {
            body_bytes,
            truncated_bytes: body_bytes,
            ..RawRequest::new(parts, b"", secrets)
        }
    }
}

/// `text` cut to at most [`MAX_BODY_KEPT`] bytes on a character boundary,
/// with the number of bytes left out.
fn cut(mut text: String) -> (String, usize) {
    if text.len() <= MAX_BODY_KEPT {
        return (text, 0);
    }
    let mut end = MAX_BODY_KEPT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let left_out = text.len() - end;
    text.truncate(end);
    (text, left_out)
}

/// `text` with every copy of each secret replaced by [`REDACTED`].
fn redact(mut text: String, secrets: &[String], redacted: &mut bool) -> String {
    for secret in secrets {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), REDACTED);
            *redacted = true;
        }
    }
    text
}

/// The strings to redact: the account's key and the key the request carried
/// (a wrong key is a secret too), each as written and as a form or URL
/// encodes it.
pub(crate) fn secrets(account: &Account, headers: &HeaderMap) -> Vec<String> {
    let sent = headers
        .get(API_KEY_HEADER)
        .and_then(|value| value.to_str().ok());
    let mut secrets = Vec::new();
    for key in [Some(account.api_key.as_str()), sent]
        .into_iter()
        .flatten()
        .filter(|key| !key.is_empty())
    {
        let form: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        let percent = form.replace('+', "%20");
        for variant in [key.to_owned(), form, percent] {
            if !secrets.contains(&variant) {
                secrets.push(variant);
            }
        }
    }
    // Longest first, so a key that contains another is replaced whole.
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    secrets
}

/// One field a refused request got wrong, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldProblem {
    /// The field, as the error body's `error` map names it.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A request the emulator refused, as `GET /emulator/refused` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RefusedRequest {
    /// The emulator's own id for it, `refused-<n>`.
    pub id: String,
    /// The API whose route it came to.
    pub api: ApiVersion,
    /// When it arrived, in Unix seconds.
    pub received_at: u64,
    /// The HTTP status of the answer; `0` when none was sent (a `reset` fault).
    pub http_status: u16,
    /// Kaleyra's error code, such as `E413` or `WA400`; `HTTP <status>` for
    /// a request refused before the emulator could read it (a body over
    /// its 2 MiB limit); `reset` for a connection a fault reset.
    pub code: String,
    /// The error body's `message`.
    pub message: String,
    /// Every field-level reason the answer gave.
    pub problems: Vec<FieldProblem>,
    /// The request as it arrived.
    pub request: RawRequest,
    /// The fault that answered it (`/emulator/faults`), if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<AppliedFault>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut builder = axum::http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder
            .body(axum::body::Bytes::new())
            .unwrap()
            .into_parts()
            .0
    }

    fn account() -> Account {
        Account {
            sid: "HXIN1".to_owned(),
            api_key: "Ak3y+/=secret".to_owned(),
            v1_number: "+912025550100".to_owned(),
            v2_number: "+912025550101".to_owned(),
        }
    }

    #[test]
    fn the_key_is_redacted_as_written_and_as_encoded() {
        let account = account();
        let headers = HeaderMap::new();
        let secrets = secrets(&account, &headers);
        let parts = parts(
            "POST",
            "/v1/HXIN1/messages?api-key=Ak3y%2B%2F%3Dsecret",
            &[("content-type", "application/x-www-form-urlencoded")],
        );
        let body = b"to=%2B919876543210&note=Ak3y+/=secret&again=Ak3y%2B%2F%3Dsecret";
        let raw = RawRequest::new(&parts, body, &secrets);
        assert!(raw.redacted);
        assert!(!raw.body.contains("Ak3y"), "{}", raw.body);
        assert!(!raw.query.as_deref().unwrap().contains("Ak3y"));
        assert_eq!(
            raw.body,
            format!("to=%2B919876543210&note={REDACTED}&again={REDACTED}")
        );
        assert_eq!(raw.body_bytes, body.len());
        assert_eq!(raw.truncated_bytes, 0);
        assert_eq!(
            raw.content_type.as_deref(),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn a_wrong_key_the_request_carried_is_redacted_too() {
        let mut headers = HeaderMap::new();
        headers.insert(API_KEY_HEADER, "wrong-key-123".parse().unwrap());
        let secrets = secrets(&account(), &headers);
        let raw = RawRequest::new(
            &parts("POST", "/v2/HXIN1/whatsapp/912025550101/messages", &[]),
            br#"{"key": "wrong-key-123"}"#,
            &secrets,
        );
        assert_eq!(raw.body, format!(r#"{{"key": "{REDACTED}"}}"#));
        assert!(raw.redacted);
    }

    #[test]
    fn a_body_without_the_key_is_kept_as_it_came() {
        let secrets = secrets(&account(), &HeaderMap::new());
        let body = "type=text&body=héllo <b>";
        let raw = RawRequest::new(
            &parts("POST", "/v1/x/messages", &[]),
            body.as_bytes(),
            &secrets,
        );
        assert_eq!(raw.body, body);
        assert!(!raw.redacted);
        assert!(!raw.not_utf8);
    }

    #[test]
    fn long_bodies_are_cut_on_a_character_boundary_and_say_how_much_is_left_out() {
        let secrets = secrets(&account(), &HeaderMap::new());
        // 'é' is two bytes, so the 16 KiB mark falls inside a character.
        let body = format!("a{}", "é".repeat(MAX_BODY_KEPT));
        let raw = RawRequest::new(
            &parts("POST", "/v1/x/messages", &[]),
            body.as_bytes(),
            &secrets,
        );
        assert_eq!(raw.body.len(), MAX_BODY_KEPT - 1);
        assert_eq!(raw.body_bytes, body.len());
        assert_eq!(raw.truncated_bytes, body.len() - raw.body.len());
    }

    #[test]
    fn a_body_that_is_not_utf8_is_shown_lossily_and_says_so() {
        let secrets = secrets(&account(), &HeaderMap::new());
        let raw = RawRequest::new(&parts("POST", "/v1/x/messages", &[]), b"a\xffb", &secrets);
        assert_eq!(raw.body, "a\u{fffd}b");
        assert!(raw.not_utf8);
        assert_eq!(raw.body_bytes, 3);
    }
}
