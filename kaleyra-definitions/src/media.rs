//! Which media files a header shows, judged by the file extension of a URL.
//!
//! One place decides it for the derive, the runtime and the emulator, so a
//! URL is accepted or refused the same way everywhere.

use crate::model::HeaderType;

/// The file extensions a media header of `kind` shows, and what they are
/// called; `None` for a text, product or location header.
///
/// WhatsApp shows images as JPEG or PNG, videos as MP4 or 3GPP, and Kaleyra's
/// media templates take PDF documents only.
pub fn accepted_extensions(kind: HeaderType) -> Option<(&'static [&'static str], &'static str)> {
    match kind {
        HeaderType::Text | HeaderType::Product | HeaderType::Location => None,
        HeaderType::Image => Some((&["jpg", "jpeg", "png"], "JPEG or PNG images")),
        HeaderType::Video => Some((&["mp4", "3gp", "3gpp"], "MP4 or 3GPP videos")),
        HeaderType::Document => Some((&["pdf"], "PDF documents")),
    }
}

/// The file extension of the last segment of the URL's path, as written
/// (`PDF` for `https://x.com/a.PDF?dl=1`), if it has one.
///
/// The URL is parsed, so its host (`example.com`), query and fragment are
/// never read as a file name. A URL that does not parse has no extension.
///
/// ```
/// use kaleyra_definitions::media::url_extension;
/// assert_eq!(url_extension("https://x.com/t/4711.pdf#page=2").as_deref(), Some("pdf"));
/// assert_eq!(url_extension("https://media.example.com?id=7"), None);
/// ```
pub fn url_extension(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let file = parsed.path_segments()?.next_back()?;
    let (_, extension) = file.rsplit_once('.')?;
    (!extension.is_empty()).then(|| extension.to_owned())
}

/// Whether the URL's path ends in one of `extensions`, ignoring case.
pub fn has_extension(url: &str, extensions: &[&str]) -> bool {
    url_extension(url).is_some_and(|extension| {
        extensions
            .iter()
            .any(|wanted| extension.eq_ignore_ascii_case(wanted))
    })
}

/// Why `url` cannot be the media of a `kind` header, if it cannot: its file
/// extension names a type that kind of header does not show (`.pdf` on an
/// image header).
///
/// A URL without a file extension fits any media header: what it serves
/// cannot be told from it, and Kaleyra checks the content when it fetches it.
///
/// ```
/// use kaleyra_definitions::HeaderType;
/// use kaleyra_definitions::media::extension_problem;
/// assert_eq!(extension_problem(HeaderType::Image, "https://media.example.com?id=7"), None);
/// assert_eq!(extension_problem(HeaderType::Image, "https://x.com/photo.JPG"), None);
/// assert!(extension_problem(HeaderType::Image, "https://x.com/ticket.pdf").is_some());
/// ```
pub fn extension_problem(kind: HeaderType, url: &str) -> Option<String> {
    let (extensions, kinds) = accepted_extensions(kind)?;
    let extension = url_extension(url)?;
    if extensions
        .iter()
        .any(|wanted| extension.eq_ignore_ascii_case(wanted))
    {
        return None;
    }
    let article = if kind == HeaderType::Image { "an" } else { "a" };
    Some(format!(
        "`{url}` names a `.{extension}` file, but {article} {} header shows {kinds} (.{})",
        kind.as_str(),
        extensions.join(", .")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_is_that_of_the_last_path_segment() {
        let extension = |url| url_extension(url);
        assert_eq!(
            extension("https://x.com/a.PDF?dl=1").as_deref(),
            Some("PDF")
        );
        assert_eq!(
            extension("https://x.com/t/4711.pdf#page=2").as_deref(),
            Some("pdf")
        );
        assert_eq!(extension("https://x.com/a.tar.gz").as_deref(), Some("gz"));
        assert_eq!(extension("https://x.com/dir.d/file"), None);
        assert_eq!(extension("https://x.com/file."), None);
        assert_eq!(extension("https://x.com/file?name=a.pdf"), None);
        assert_eq!(extension("https://x.com/a.png/"), None);
    }

    #[test]
    fn a_host_is_never_read_as_a_file_extension() {
        for url in [
            "https://media.example.com?id=7",
            "https://media.example.com",
            "https://media.example.com/",
            "https://media.example.com#top",
            "https://user:pw@media.example.com:8443?x=a.pdf",
            "http://127.0.0.1:8080",
        ] {
            assert_eq!(url_extension(url), None, "{url}");
            assert_eq!(extension_problem(HeaderType::Image, url), None, "{url}");
        }
    }

    #[test]
    fn a_wrong_extension_is_named_with_what_the_header_shows() {
        let problem = extension_problem(HeaderType::Image, "https://x.com/ticket.pdf").unwrap();
        assert!(problem.contains("`.pdf`"), "{problem}");
        assert!(
            problem.contains("an image header shows JPEG or PNG images"),
            "{problem}"
        );
        let problem = extension_problem(HeaderType::Document, "https://x.com/a.png").unwrap();
        assert!(
            problem.contains("a document header shows PDF documents"),
            "{problem}"
        );
        assert_eq!(
            extension_problem(HeaderType::Video, "https://x.com/clip.3GPP"),
            None
        );
        assert_eq!(
            extension_problem(HeaderType::Text, "https://x.com/a.pdf"),
            None
        );
    }
}
