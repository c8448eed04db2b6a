//! The media a header shows: by public link ([`MediaUrl`]) or by the id of
//! a file uploaded to Kaleyra ([`MediaId`]), one [`Media`] either way.

use std::fmt;
use std::str::FromStr;

use kaleyra_definitions::{HeaderType, limits, media};

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

/// The id of a media file uploaded to Kaleyra, which a header shows instead
/// of a link (v2 only: Kaleyra's v1 media sends take a URL).
///
/// [`Client::upload_media`](crate::Client::upload_media) gives one that
/// knows its file's type, so a video's id in an image header is refused
/// before sending; [`MediaId::new`] takes an id uploaded elsewhere, whose
/// type is then Kaleyra's to judge. An id can be used for many messages;
/// how long Kaleyra keeps it is not documented, so do not keep ids for
/// days: upload again.
///
/// ```
/// use kaleyra_runtime::MediaId;
///
/// let id = MediaId::new("1203982341087365")?;
/// assert_eq!(id.as_str(), "1203982341087365");
/// assert_eq!(id.mime(), None);
/// assert!(MediaId::new(" ").is_err());
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MediaId {
    id: std::sync::Arc<str>,
    /// The uploaded file's MIME type, when this client uploaded it.
    mime: Option<&'static str>,
}

impl MediaId {
    /// An id as Kaleyra gave it: not blank, with no whitespace or control
    /// characters (it goes into a JSON string and a URL as it is).
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid(
                "media id",
                format!("{id:?} is not a media id: it is empty or holds whitespace"),
            ));
        }
        Ok(MediaId {
            id: id.into(),
            mime: None,
        })
    }

    /// The id of a file this client uploaded as `mime`.
    pub(crate) fn uploaded(id: String, mime: &'static str) -> Result<Self, Error> {
        Ok(MediaId {
            mime: Some(mime),
            ..MediaId::new(id)?
        })
    }

    /// The id as Kaleyra gave it.
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// The MIME type the file was uploaded as, when this client uploaded it.
    pub fn mime(&self) -> Option<&'static str> {
        self.mime
    }
}

impl fmt::Debug for MediaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.id, f)
    }
}

impl fmt::Display for MediaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

/// What a media header shows: a file at a public link, or one uploaded to
/// Kaleyra, by its id.
///
/// ```
/// use kaleyra_runtime::{Media, MediaId, MediaUrl, TemplateHeader};
///
/// let by_link = TemplateHeader::Image(MediaUrl::parse("https://example.com/a.png")?.into());
/// let by_id = TemplateHeader::Image(Media::from(MediaId::new("1203982341087365")?));
/// assert_ne!(by_link, by_id);
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Media {
    /// A public `http(s)` link, which Kaleyra fetches.
    Link(MediaUrl),
    /// A file uploaded to Kaleyra (v2 only).
    Id(MediaId),
}

impl Media {
    /// The link, for media given by link.
    pub fn url(&self) -> Option<&MediaUrl> {
        match self {
            Media::Link(url) => Some(url),
            Media::Id(_) => None,
        }
    }

    /// The id, for uploaded media.
    pub fn id(&self) -> Option<&MediaId> {
        match self {
            Media::Link(_) => None,
            Media::Id(id) => Some(id),
        }
    }

    /// Why this media cannot be shown in a `kind` header, if it cannot: a
    /// link by its file extension ([`media::extension_problem`]), an uploaded
    /// file by its MIME type when known ([`media::uploaded_type_problem`]).
    pub(crate) fn problem(&self, kind: HeaderType) -> Option<String> {
        match self {
            Media::Link(url) => media::extension_problem(kind, url.as_str()),
            Media::Id(id) => id
                .mime
                .and_then(|mime| media::uploaded_type_problem(kind, mime)),
        }
    }
}

impl From<MediaUrl> for Media {
    fn from(url: MediaUrl) -> Self {
        Media::Link(url)
    }
}

impl From<MediaId> for Media {
    fn from(id: MediaId) -> Self {
        Media::Id(id)
    }
}

/// A field that holds a header's media: a [`MediaUrl`], a [`MediaId`] or a
/// [`Media`]; the type of a `#[kaleyra(header)]` field on a template with a
/// media header.
#[diagnostic::on_unimplemented(
    message = "a media header field must hold a `kaleyra_runtime::MediaUrl`, `MediaId` or `Media`, not `{Self}`",
    label = "this field fills the template's media header",
    note = "make one with `MediaUrl::parse(\"https://...\")?`, which checks the URL once, before sending, or with `Client::upload_media`"
)]
pub trait AsMedia {
    /// The media (a cheap copy: the link or id is shared).
    fn to_media(&self) -> Media;
}

impl AsMedia for MediaUrl {
    fn to_media(&self) -> Media {
        Media::Link(self.clone())
    }
}

impl AsMedia for MediaId {
    fn to_media(&self) -> Media {
        Media::Id(self.clone())
    }
}

impl AsMedia for Media {
    fn to_media(&self) -> Media {
        self.clone()
    }
}

impl<T: AsMedia + ?Sized> AsMedia for &T {
    fn to_media(&self) -> Media {
        (**self).to_media()
    }
}

impl<T: AsMedia + ?Sized> AsMedia for Box<T> {
    fn to_media(&self) -> Media {
        (**self).to_media()
    }
}

impl<T: AsMedia + ?Sized> AsMedia for std::sync::Arc<T> {
    fn to_media(&self) -> Media {
        (**self).to_media()
    }
}
