//! Which media files a header shows: judged by the file extension of a URL,
//! or, for a file uploaded to Kaleyra, by its MIME type and size.
//!
//! One place decides it for the derive, the runtime and the emulator, so a
//! URL or an upload is accepted or refused the same way everywhere.

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

/// A type of file a media header shows, as an upload names it: its MIME
/// type, the header that shows it, and the largest file WhatsApp takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadType {
    /// The MIME type, as the upload's `type` field gives it.
    pub mime: &'static str,
    /// The kind of header that shows it.
    pub header: HeaderType,
    /// The largest file, in bytes.
    pub max_bytes: u64,
}

const MIB: u64 = 1024 * 1024;

/// The files a header can show by uploaded id: WhatsApp's images (JPEG,
/// PNG, 5 MB), videos (MP4, 3GPP, 16 MB) and, for Kaleyra's media templates,
/// PDF documents (100 MB). `image/jpg` is Kaleyra's own spelling, in its
/// upload page's list beside `image/jpeg`.
///
/// A decision: Meta writes its limits in "MB" without saying which; they are
/// read as MiB (5 MB = 5,242,880 bytes), the larger reading, so no file
/// WhatsApp takes is refused here, and Kaleyra judges the rest.
pub const UPLOAD_TYPES: &[UploadType] = &[
    UploadType {
        mime: "image/jpeg",
        header: HeaderType::Image,
        max_bytes: 5 * MIB,
    },
    UploadType {
        mime: "image/jpg",
        header: HeaderType::Image,
        max_bytes: 5 * MIB,
    },
    UploadType {
        mime: "image/png",
        header: HeaderType::Image,
        max_bytes: 5 * MIB,
    },
    UploadType {
        mime: "video/mp4",
        header: HeaderType::Video,
        max_bytes: 16 * MIB,
    },
    UploadType {
        mime: "video/3gpp",
        header: HeaderType::Video,
        max_bytes: 16 * MIB,
    },
    UploadType {
        mime: "application/pdf",
        header: HeaderType::Document,
        max_bytes: 100 * MIB,
    },
];

/// The upload type named `mime`, ignoring case (`IMAGE/PNG` is `image/png`).
pub fn upload_type(mime: &str) -> Option<&'static UploadType> {
    UPLOAD_TYPES
        .iter()
        .find(|upload| upload.mime.eq_ignore_ascii_case(mime.trim()))
}

/// Why a file of `bytes` bytes with MIME type `mime` cannot be uploaded for
/// a header, if it cannot: a type no header shows, an empty file, or one
/// over its type's limit.
///
/// ```
/// use kaleyra_definitions::media::upload_problem;
/// assert_eq!(upload_problem("image/png", 120_000), None);
/// assert!(upload_problem("image/gif", 120_000).unwrap().contains("image/jpeg"));
/// assert!(upload_problem("image/png", 6 * 1024 * 1024).unwrap().contains("5 MB"));
/// ```
pub fn upload_problem(mime: &str, bytes: u64) -> Option<String> {
    let Some(upload) = upload_type(mime) else {
        let types: Vec<&str> = UPLOAD_TYPES.iter().map(|upload| upload.mime).collect();
        return Some(format!(
            "`{mime}` is not a type a header shows; upload one of {}",
            types.join(", ")
        ));
    };
    if bytes == 0 {
        return Some("the file is empty".to_owned());
    }
    (bytes > upload.max_bytes).then(|| {
        format!(
            "the file is {bytes} bytes; {} files are at most {} MB ({} bytes)",
            upload.mime,
            upload.max_bytes / MIB,
            upload.max_bytes
        )
    })
}

/// Why a file uploaded as `mime` cannot be the media of a `kind` header, if
/// it cannot (a video's id in an image header). A type this table does not
/// know is left to Kaleyra.
pub fn uploaded_type_problem(kind: HeaderType, mime: &str) -> Option<String> {
    let upload = upload_type(mime)?;
    if upload.header == kind {
        return None;
    }
    let (_, kinds) = accepted_extensions(kind)?;
    let article = if kind == HeaderType::Image { "an" } else { "a" };
    Some(format!(
        "the media id is of a {} file, but {article} {} header shows {kinds}",
        upload.mime,
        kind.as_str()
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

    #[test]
    fn uploads_are_judged_by_type_and_size_at_each_limit() {
        assert_eq!(upload_problem("image/jpeg", 5 * MIB), None);
        assert!(upload_problem("image/jpeg", 5 * MIB + 1).is_some());
        assert_eq!(upload_problem("Video/MP4", 16 * MIB), None);
        assert!(upload_problem("video/mp4", 16 * MIB + 1).is_some());
        assert_eq!(upload_problem("application/pdf", 100 * MIB), None);
        assert!(upload_problem("application/pdf", 100 * MIB + 1).is_some());
        assert_eq!(
            upload_problem("application/pdf", 0).as_deref(),
            Some("the file is empty")
        );
        let gif = upload_problem("image/gif", 10).unwrap();
        assert!(
            gif.starts_with("`image/gif` is not a type a header shows"),
            "{gif}"
        );
    }

    #[test]
    fn an_uploaded_file_fits_only_the_header_that_shows_its_type() {
        assert_eq!(uploaded_type_problem(HeaderType::Image, "image/png"), None);
        assert_eq!(uploaded_type_problem(HeaderType::Video, "video/3gpp"), None);
        let problem = uploaded_type_problem(HeaderType::Image, "video/mp4").unwrap();
        assert_eq!(
            problem,
            "the media id is of a video/mp4 file, but an image header shows JPEG or PNG images"
        );
        assert_eq!(uploaded_type_problem(HeaderType::Image, "image/heic"), None);
    }
}
