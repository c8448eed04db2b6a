//! Turning a checked message into the HTTP request Kaleyra documents:
//! [`v1`] form fields or [`v2`] JSON.

pub(crate) mod v1;
pub(crate) mod v2;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use secrecy::ExposeSecret;

use crate::client::{Api, ClientInner};
use crate::error::Error;
use crate::message::MessageRef;
use crate::request::{API_KEY_HEADER, PreparedRequest, api_key_header};

/// The requests that send `message` to `recipients` (already checked): one on
/// v1, one per recipient on v2.
pub(crate) fn prepare(
    client: &ClientInner,
    message: MessageRef<'_>,
    recipients: &[String],
) -> Result<Vec<PreparedRequest>, Error> {
    check(message)?;
    match client.api {
        Api::V1 => Ok(vec![v1::prepare(client, message, recipients)?]),
        Api::V2(_) => recipients
            .iter()
            .map(|to| v2::prepare(client, message, to))
            .collect(),
    }
}

/// The checks that do not depend on the API version.
fn check(message: MessageRef<'_>) -> Result<(), Error> {
    match message {
        MessageRef::Text(text) => text.check(),
        MessageRef::Template(template) => template.check(),
        MessageRef::ReplyButtons(buttons) => buttons.check(),
        MessageRef::CtaUrl(cta) => cta.check(),
    }
}

/// The `api-key` header, and `Content-Type` when there is a body.
fn headers(client: &ClientInner, content_type: Option<&'static str>) -> Result<HeaderMap, Error> {
    let mut headers = HeaderMap::new();
    if let Some(content_type) = content_type {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    headers.insert(
        API_KEY_HEADER,
        api_key_header(client.api_key.expose_secret())?,
    );
    Ok(headers)
}

/// `base` with `segments` appended as path segments (each percent-encoded as
/// needed; a `+` stays as it is).
fn endpoint(client: &ClientInner, segments: &[&str]) -> url::Url {
    let mut url = client.base_url.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}
