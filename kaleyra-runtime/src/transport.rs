//! One HTTP exchange with Kaleyra: send the prepared bytes, read the answer
//! up to a cap.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, LOCATION, RETRY_AFTER};

use crate::error::{Error, TransportError, excerpt};
use crate::request::PreparedRequest;

/// The HTTP client and the limits of one exchange.
pub(crate) struct Transport {
    http: reqwest::Client,
    max_response_bytes: usize,
}

/// Kaleyra's answer, read in full.
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) retry_after: Option<Duration>,
    /// Where a redirect (3xx) points, which is reported, never followed.
    pub(crate) location: Option<String>,
    pub(crate) body: Bytes,
}

impl Transport {
    pub(crate) fn new(
        connect_timeout: Duration,
        request_timeout: Duration,
        max_response_bytes: usize,
    ) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            // Kaleyra documents no redirect. Following one would send the
            // `api-key` header (reqwest strips only the standard credential
            // headers) and the message to another address, or turn the POST
            // into a GET that drops the message; it is reported instead.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            .user_agent(concat!("kaleyra-runtime/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| Error::internal("building the HTTP client", error))?;
        Ok(Transport {
            http,
            max_response_bytes,
        })
    }

    /// Sends the request once and reads the answer.
    pub(crate) async fn execute(&self, request: &PreparedRequest) -> Result<RawResponse, Error> {
        // Built directly rather than through `RequestBuilder`: its `headers`
        // re-inserts the map entry by entry, where an empty request's map
        // can simply be replaced by ours (same headers, same order).
        let mut http_request =
            reqwest::Request::new(request.method.clone(), url::Url::clone(&request.url));
        *http_request.headers_mut() = HeaderMap::clone(&request.headers);
        if !request.body.is_empty() {
            *http_request.body_mut() = Some(request.body.clone().into());
        }
        self.exchange(http_request).await
    }

    /// Posts `form` (a multipart body: a media upload) to `url` once and
    /// reads the answer.
    pub(crate) async fn post_multipart(
        &self,
        url: &url::Url,
        headers: &HeaderMap,
        form: reqwest::multipart::Form,
    ) -> Result<RawResponse, Error> {
        let http_request = self
            .http
            .post(url.clone())
            .headers(headers.clone())
            .multipart(form)
            .build()
            .map_err(|error| Error::internal("building the upload request", error))?;
        self.exchange(http_request).await
    }

    async fn exchange(&self, http_request: reqwest::Request) -> Result<RawResponse, Error> {
        let mut response = self
            .http
            .execute(http_request)
            .await
            .map_err(TransportError::new)?;
        let status = response.status().as_u16();
        let retry_after = parse_retry_after(response.headers());
        let location = response
            .status()
            .is_redirection()
            .then(|| response.headers().get(LOCATION))
            .flatten()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let too_large = |read: &[u8]| Error::Decode {
            status,
            reason: format!(
                "the answer is larger than the {} byte cap, so it was not read",
                self.max_response_bytes
            ),
            body: excerpt(read),
        };
        if response
            .content_length()
            .is_some_and(|length| length > self.max_response_bytes as u64)
        {
            return Err(too_large(&[]));
        }
        // An answer as short as Kaleyra's arrives in one chunk, which is kept
        // as it is; only an answer in several chunks is copied to join them.
        let mut first = Bytes::new();
        let mut joined: Option<Vec<u8>> = None;
        while let Some(chunk) = response.chunk().await.map_err(TransportError::new)? {
            let read = joined.as_deref().unwrap_or(&first);
            if read.len() + chunk.len() > self.max_response_bytes {
                return Err(too_large(read));
            }
            match &mut joined {
                Some(joined) => joined.extend_from_slice(&chunk),
                None if first.is_empty() => first = chunk,
                None => joined = Some([&first[..], &chunk[..]].concat()),
            }
        }
        Ok(RawResponse {
            status,
            retry_after,
            location,
            body: joined.map_or(first, Bytes::from),
        })
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn with_retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            parse_retry_after(&with_retry_after("7")),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(&with_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let delay = parse_retry_after(&with_retry_after(&later)).unwrap();
        assert!(delay > Duration::from_secs(100) && delay <= Duration::from_secs(120));
        assert_eq!(parse_retry_after(&with_retry_after("soon")), None);
        assert_eq!(parse_retry_after(&HeaderMap::new()), None);
    }
}
