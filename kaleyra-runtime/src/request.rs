//! A request built and checked, ready to send: what goes on the wire.

use std::borrow::Cow;
use std::fmt;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use url::Url;

use crate::api::ApiVersion;
use crate::callbacks::{CallbackSecret, redacted};

/// The name of the header that carries the API key.
pub(crate) const API_KEY_HEADER: &str = "api-key";

/// The HTTP request that sends a message, exactly as it will be sent.
///
/// `Debug`, `Display` and [`PreparedRequest::to_curl`] replace the API key,
/// and the secret of a [`crate::callbacks::CallbackUrl`] with `[redacted]`; only
/// [`PreparedRequest::headers`] holds the key (marked sensitive), and the
/// URL, body and their accessors the callback secret.
#[derive(Clone)]
pub struct PreparedRequest {
    pub(crate) method: Method,
    // Shared with the client's endpoint unless this request has its own (GET).
    pub(crate) url: std::sync::Arc<Url>,
    // Shared with the client (and every request it prepares): they are the same.
    pub(crate) headers: std::sync::Arc<HeaderMap>,
    pub(crate) body: bytes::Bytes,
    pub(crate) api: ApiVersion,
    pub(crate) recipients: Vec<String>,
    /// The secret in the message's callback URL, hidden when shown.
    pub(crate) callback_secret: Option<CallbackSecret>,
}

impl PreparedRequest {
    /// `POST`, or `GET` for a v1 text sent with [`crate::Text::use_get`].
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The full URL, query string included.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The headers, the `api-key` among them (marked sensitive, so `Debug` of
    /// the map hides it).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body bytes (empty for `GET`).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (it is always UTF-8: form-encoded or JSON).
    pub fn body_text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or_default()
    }

    /// The API version the request is for.
    pub fn api_version(&self) -> ApiVersion {
        self.api
    }

    /// The recipients this request sends to.
    pub fn recipients(&self) -> &[String] {
        &self.recipients
    }

    /// v1: the form fields, decoded from the body (or, for `GET`, the query), in order.
    pub fn form_fields(&self) -> Option<Vec<(String, String)>> {
        if self.api != ApiVersion::V1 {
            return None;
        }
        let encoded = if self.method == Method::GET {
            self.url.query().unwrap_or_default().as_bytes()
        } else {
            &self.body
        };
        Some(form_urlencoded::parse(encoded).into_owned().collect())
    }

    /// v2: the JSON body, parsed.
    pub fn json(&self) -> Option<serde_json::Value> {
        if self.api != ApiVersion::V2 {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }

    /// A `curl` command that sends this request, with the API key replaced by
    /// `$KALEYRA_API_KEY` so it can be shared and run after `export KALEYRA_API_KEY=...`.
    /// A callback secret is shown as `[redacted]`, so the command posts a
    /// callback URL without it: put the secret back before running it.
    pub fn to_curl(&self) -> String {
        let mut command = format!("curl -X {} {}", self.method, quote(&self.shown_url()));
        for (name, value) in self.headers_redacted() {
            command.push_str(" \\\n  -H ");
            if name == API_KEY_HEADER {
                // Double quotes, so the shell expands the variable.
                command.push_str("\"api-key: $KALEYRA_API_KEY\"");
            } else {
                command.push_str(&quote(&format!("{name}: {value}")));
            }
        }
        if !self.body.is_empty() {
            command.push_str(" \\\n  --data-raw ");
            command.push_str(&quote(&self.shown_body()));
        }
        command
    }

    /// The URL as shown in logs and curl: a callback secret (in a GET's query) redacted.
    pub(crate) fn shown_url(&self) -> Cow<'_, str> {
        redacted(self.callback_secret.as_ref(), self.url.as_str())
    }

    /// The body as shown in `Debug` and curl: a callback secret redacted.
    fn shown_body(&self) -> Cow<'_, str> {
        redacted(self.callback_secret.as_ref(), self.body_text())
    }

    fn headers_redacted(&self) -> impl Iterator<Item = (&str, Cow<'_, str>)> {
        self.headers.iter().map(|(name, value)| {
            let shown = if name.as_str() == API_KEY_HEADER || value.is_sensitive() {
                Cow::Borrowed("[redacted]")
            } else {
                String::from_utf8_lossy(value.as_bytes())
            };
            (name.as_str(), shown)
        })
    }
}

fn quote(text: &str) -> Cow<'_, str> {
    // Bodies and URLs are encoded and never hold a NUL, the one thing shlex refuses.
    shlex::try_quote(text).unwrap_or(Cow::Borrowed("''"))
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, Cow<'_, str>)> = self.headers_redacted().collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.shown_url())
            .field("headers", &headers)
            .field("body", &self.shown_body())
            .finish()
    }
}

/// Shows the request as a `curl` command; see [`PreparedRequest::to_curl`].
impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_curl())
    }
}

pub(crate) fn api_key_header(key: &str) -> Result<HeaderValue, crate::error::Error> {
    let mut value = HeaderValue::from_str(key).map_err(|_| {
        crate::error::Error::invalid("api_key", "contains characters a header cannot carry")
    })?;
    value.set_sensitive(true);
    Ok(value)
}
