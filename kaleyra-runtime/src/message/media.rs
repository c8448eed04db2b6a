//! Media URLs for headers.

use std::fmt;
use std::str::FromStr;

use kaleyra_definitions::limits;

use crate::error::Error;

/// The public `http(s)` URL of an image, video or document shown in a header.
///
/// The URL is checked when made and sent exactly as given.
///
/// When a message is prepared, the header's media type is judged by the file
/// extension of the URL's path only, never its host, query or fragment: an
/// extension must be one the header shows (images JPEG or PNG, videos MP4
/// or 3GPP, documents PDF; see
/// [`accepted_extensions`](kaleyra_definitions::media::accepted_extensions)),
/// and another is refused. A URL without an extension is sent, since what
/// it serves cannot be told from it and Kaleyra checks the content when it
/// fetches it (a decision: Kaleyra's pages are silent here).
///
/// ```
/// use kaleyra_runtime::MediaUrl;
///
/// let ticket = MediaUrl::parse("https://example.com/tickets/1234.pdf")?;
/// assert_eq!(ticket.as_str(), "https://example.com/tickets/1234.pdf");
/// assert!(MediaUrl::parse("file:///tmp/ticket.pdf").is_err());
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MediaUrl(
    // Shared: a header URL is often sent with many messages.
    std::sync::Arc<str>,
);

impl MediaUrl {
    /// Checks that `url` is an absolute `http(s)` URL.
    pub fn parse(url: impl Into<String>) -> Result<Self, Error> {
        let url = url.into();
        if limits::is_http_url(&url) {
            Ok(MediaUrl(url.into()))
        } else {
            Err(Error::invalid(
                "media_url",
                format!("`{url}` is not an absolute http(s) URL"),
            ))
        }
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for MediaUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for MediaUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for MediaUrl {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for MediaUrl {
    type Err = Error;

    fn from_str(url: &str) -> Result<Self, Error> {
        MediaUrl::parse(url)
    }
}

impl TryFrom<&str> for MediaUrl {
    type Error = Error;

    fn try_from(url: &str) -> Result<Self, Error> {
        MediaUrl::parse(url)
    }
}

impl TryFrom<String> for MediaUrl {
    type Error = Error;

    fn try_from(url: String) -> Result<Self, Error> {
        MediaUrl::parse(url)
    }
}

/// A field that holds a [`MediaUrl`]: the type of a `#[kaleyra(header)]`
/// field on a template with a media header.
#[diagnostic::on_unimplemented(
    message = "a media header field must hold a `kaleyra_runtime::MediaUrl`, not `{Self}`",
    label = "this field fills the template's media header",
    note = "make one with `MediaUrl::parse(\"https://...\")?`, which checks the URL once, before sending"
)]
pub trait AsMediaUrl {
    /// The URL.
    fn as_media_url(&self) -> &MediaUrl;
}

impl AsMediaUrl for MediaUrl {
    fn as_media_url(&self) -> &MediaUrl {
        self
    }
}

impl<T: AsMediaUrl + ?Sized> AsMediaUrl for &T {
    fn as_media_url(&self) -> &MediaUrl {
        (**self).as_media_url()
    }
}

impl<T: AsMediaUrl + ?Sized> AsMediaUrl for Box<T> {
    fn as_media_url(&self) -> &MediaUrl {
        (**self).as_media_url()
    }
}

impl<T: AsMediaUrl + ?Sized> AsMediaUrl for std::sync::Arc<T> {
    fn as_media_url(&self) -> &MediaUrl {
        (**self).as_media_url()
    }
}
