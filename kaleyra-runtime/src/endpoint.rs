//! Where a client's requests go and the headers they all carry, computed once
//! when the client is built.

use std::sync::Arc;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use url::Url;

use crate::api::Api;
use crate::error::Error;
use crate::request::{API_KEY_HEADER, api_key_header};

/// The content type of v1 bodies: form fields.
pub(crate) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The content type of v2 bodies: JSON.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json";

/// What every request of one client shares, computed once when the client
/// is built: the API, the business number, the endpoint URL, and the headers
/// with and without a body. The encoders need nothing else.
#[derive(Debug)]
pub(crate) struct Endpoint {
    pub(crate) api: Api,
    /// The business number, as configured.
    pub(crate) from: String,
    pub(crate) url: Arc<Url>,
    pub(crate) headers_with_body: Arc<HeaderMap>,
    pub(crate) headers_without_body: Arc<HeaderMap>,
}

impl Endpoint {
    /// v1: `{base}/v1/{sid}/messages`, form bodies. v2:
    /// `{base}/v2/{sid}/whatsapp/{from}/messages`, JSON bodies (decision: the
    /// path number is the business number; see DECISIONS.md).
    pub(crate) fn new(
        api: Api,
        base_url: &Url,
        sid: &str,
        from: String,
        api_key: &str,
    ) -> Result<Self, Error> {
        let (segments, content_type): (Vec<&str>, &'static str) = match api {
            Api::V1 => (vec!["v1", sid, "messages"], FORM_CONTENT_TYPE),
            Api::V2(_) => (
                vec!["v2", sid, "whatsapp", &from, "messages"],
                JSON_CONTENT_TYPE,
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
            api,
            from,
            url: Arc::new(url),
            headers_with_body: Arc::new(headers_with_body),
            headers_without_body: Arc::new(headers_without_body),
        })
    }
}
