//! Turning a checked message into the HTTP request Kaleyra documents:
//! [`v1`] form fields or [`v2`] JSON.

pub(crate) mod v1;
pub(crate) mod v2;

use std::sync::Arc;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};

use crate::client::{Api, ClientInner};
use crate::error::Error;
use crate::message::MessageRef;
use crate::request::{API_KEY_HEADER, PreparedRequest, api_key_header};

/// The requests that send `message` to `recipients` (already checked): one on
/// v1, one per recipient on v2.
pub(crate) fn prepare(
    client: &ClientInner,
    message: MessageRef<'_>,
    recipients: Vec<String>,
) -> Result<Vec<PreparedRequest>, Error> {
    check(message)?;
    match client.api {
        Api::V1 => Ok(vec![v1::prepare(client, message, recipients)?]),
        Api::V2(_) => recipients
            .into_iter()
            .map(|to| v2::prepare(client, message, vec![to]))
            .collect(),
    }
}

/// The one request that sends `message` to `recipients` (already checked):
/// on v2, there must be exactly one recipient.
pub(crate) fn prepare_one(
    client: &ClientInner,
    message: MessageRef<'_>,
    recipients: Vec<String>,
) -> Result<PreparedRequest, Error> {
    check(message)?;
    match (client.api, recipients.len()) {
        (Api::V1, _) => v1::prepare(client, message, recipients),
        (Api::V2(_), 1) => v2::prepare(client, message, recipients),
        (Api::V2(_), several) => Err(Error::invalid(
            "to",
            format!(
                "v2 sends one recipient per request, so {} recipients need {} requests; use `prepare_all`",
                several, several
            ),
        )),
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

/// What every request of one client shares, computed once when the client
/// is built: the endpoint URL, and the headers with and without a body.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub(crate) url: Arc<url::Url>,
    pub(crate) headers_with_body: Arc<HeaderMap>,
    pub(crate) headers_without_body: Arc<HeaderMap>,
}

impl Endpoint {
    /// v1: `{base}/v1/{sid}/messages`, form bodies. v2:
    /// `{base}/v2/{sid}/whatsapp/{from}/messages`, JSON bodies (decision: the
    /// path number is the business number; see the README).
    pub(crate) fn new(
        api: Api,
        base_url: &url::Url,
        sid: &str,
        from: &str,
        api_key: &str,
    ) -> Result<Self, Error> {
        let (segments, content_type): (Vec<&str>, &'static str) = match api {
            Api::V1 => (vec!["v1", sid, "messages"], v1::FORM_CONTENT_TYPE),
            Api::V2(_) => (
                vec!["v2", sid, "whatsapp", from, "messages"],
                v2::JSON_CONTENT_TYPE,
            ),
        };
        let mut url = base_url.clone();
        // Each segment is percent-encoded as needed; a `+` stays as it is.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        let mut headers_without_body = HeaderMap::new();
        headers_without_body.insert(API_KEY_HEADER, api_key_header(api_key)?);
        let mut headers_with_body = headers_without_body.clone();
        headers_with_body.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        Ok(Endpoint {
            url: Arc::new(url),
            headers_with_body: Arc::new(headers_with_body),
            headers_without_body: Arc::new(headers_without_body),
        })
    }
}
