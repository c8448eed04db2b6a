//! Uploading a media file to Kaleyra, for headers that show it by id.
//!
//! `POST {base}/v2/{sid}/whatsapp/{from}/media` with the multipart fields
//! `file` and `type`, as Kaleyra's upload page documents; v2 only. The
//! answer's shape is not documented: the id is read from `id` or
//! `media_id`, at the top or inside `data` (Meta's own upload answers
//! `{"id": ...}`), and anything else is [`Error::Decode`].

use std::path::Path;

use bytes::Bytes;
use kaleyra_definitions::media::{self, UploadType};
use serde_json::Value;

use crate::api::ApiVersion;
use crate::error::{ApiCode, Error, excerpt};
use crate::message::MediaId;
use crate::transport::RawResponse;
use crate::{Api, Client};

/// A file to upload, checked against WhatsApp's media types and sizes
/// (see [`kaleyra_definitions::media::UPLOAD_TYPES`]) when made, so a wrong
/// type or an oversized file is refused before anything is sent.
///
/// ```
/// use kaleyra_runtime::MediaFile;
///
/// let banner = MediaFile::new(vec![0xFF, 0xD8, 0xFF], "image/jpeg", "banner.jpg")?;
/// assert_eq!(banner.mime(), "image/jpeg");
/// assert!(MediaFile::new(vec![1, 2, 3], "image/gif", "banner.gif").is_err());
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct MediaFile {
    bytes: Bytes,
    upload: &'static UploadType,
    file_name: String,
}

impl std::fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaFile")
            .field("file_name", &self.file_name)
            .field("mime", &self.upload.mime)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl MediaFile {
    /// The longest file name, in characters (Kaleyra's upload limit).
    pub const MAX_FILE_NAME_CHARS: usize = 255;

    /// A file of `mime` type named `file_name` (the name Kaleyra sees).
    pub fn new(
        bytes: impl Into<Bytes>,
        mime: &str,
        file_name: impl Into<String>,
    ) -> Result<Self, Error> {
        let bytes = bytes.into();
        let file_name = file_name.into();
        let upload = checked_type(mime, bytes.len() as u64, &file_name)?;
        let chars = file_name.chars().count();
        if chars == 0
            || chars > Self::MAX_FILE_NAME_CHARS
            || file_name.chars().any(char::is_control)
        {
            return Err(Error::invalid(
                "file name",
                format!(
                    "{file_name:?} must be 1 to {} characters, without control characters",
                    Self::MAX_FILE_NAME_CHARS
                ),
            ));
        }
        Ok(MediaFile {
            bytes,
            upload,
            file_name,
        })
    }

    /// The file at `path`, its type told by its extension (`.jpg`, `.png`,
    /// `.mp4`, `.3gp`, `.pdf`). Its size is checked before it is read, so
    /// an oversized file is refused without loading it.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let shown = path.display();
        let mime = mime_guess::from_path(path).first_raw().ok_or_else(|| {
            Error::invalid(
                "file",
                format!("`{shown}` has no extension that names a media type (.jpg, .png, .mp4, .3gp, .pdf)"),
            )
        })?;
        let unreadable = |error: std::io::Error| {
            Error::invalid("file", format!("`{shown}` cannot be read: {error}"))
        };
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        checked_type(mime, size, &file_name)?;
        let bytes = std::fs::read(path).map_err(unreadable)?;
        MediaFile::new(bytes, mime, file_name)
    }

    /// The MIME type it is uploaded as.
    pub fn mime(&self) -> &'static str {
        self.upload.mime
    }

    /// The file's name, as Kaleyra sees it.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The file's size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty (never, for a file that was made).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

fn checked_type(mime: &str, size: u64, file_name: &str) -> Result<&'static UploadType, Error> {
    if let Some(problem) = media::upload_problem(mime, size) {
        return Err(Error::invalid(format!("file `{file_name}`"), problem));
    }
    // `upload_problem` found none, so the type is in the table.
    media::upload_type(mime)
        .ok_or_else(|| Error::invalid(format!("file `{file_name}`"), "unknown type"))
}

impl Client {
    /// Uploads `file` to the business number's media on Kaleyra and returns
    /// its id, which headers then show ([`crate::Media::Id`]) for as many
    /// messages as need it (v2 only).
    ///
    /// Errors: on a v1 client, [`Error::Unsupported`] (Kaleyra's v1 media
    /// sends take a URL); an account that may not upload (Kaleyra allows
    /// postpaid accounts only), [`Error::UploadNotAllowed`]; a wrong key,
    /// [`Error::Api`]; an answer without an id, [`Error::Decode`]. An upload
    /// is made once, never retried: calling again is safe, as an upload sends
    /// nothing to a customer.
    pub async fn upload_media(&self, file: &MediaFile) -> Result<MediaId, Error> {
        let endpoint = self.endpoint();
        if endpoint.api == Api::V1 {
            return Err(Error::unsupported(
                "media upload (send v1 media by URL, as `MediaUrl`)",
                ApiVersion::V1,
            ));
        }
        let mut url = url::Url::clone(&endpoint.url);
        if let Ok(mut path) = url.path_segments_mut() {
            // `.../whatsapp/{from}/messages` becomes `.../whatsapp/{from}/media`.
            path.pop().push("media");
        }
        let part = reqwest::multipart::Part::stream(file.bytes.clone())
            .file_name(file.file_name.clone())
            .mime_str(file.upload.mime)
            .map_err(|error| Error::internal("naming the upload's type", error))?;
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("type", file.upload.mime);
        let response = self
            .transport()
            .post_multipart(&url, &endpoint.headers_without_body, form)
            .await?;
        uploaded_id(&response, file.upload.mime)
    }
}

/// The id in an upload's answer, or the error it means.
fn uploaded_id(response: &RawResponse, mime: &'static str) -> Result<MediaId, Error> {
    if !(200..300).contains(&response.status) {
        let refusal = crate::response::refusal(response);
        let wrong_key = matches!(
            refusal,
            Error::Api {
                code: ApiCode::InvalidCredentials,
                ..
            }
        );
        if response.status != 401 || wrong_key {
            return Err(refusal);
        }
        return Err(match refusal {
            Error::Api { message, body, .. } => Error::UploadNotAllowed { message, body },
            Error::Decode { body, .. } => Error::UploadNotAllowed {
                message: body.clone(),
                body,
            },
            other => other,
        });
    }
    let no_id = |reason: &str| Error::Decode {
        status: response.status,
        reason: reason.to_owned(),
        body: excerpt(&response.body),
    };
    let body: Value = serde_json::from_slice(&response.body)
        .map_err(|_| no_id("the upload's answer is not JSON"))?;
    let id = id_in(&body)
        .or_else(|| {
            body.get("data").and_then(|data| match data {
                Value::Array(items) => items.first().and_then(id_in),
                data => id_in(data),
            })
        })
        .ok_or_else(|| no_id("the upload's answer has no media id (`id` or `media_id`)"))?;
    MediaId::uploaded(id, mime)
}

/// `id` or `media_id`, as a string or a number.
fn id_in(object: &Value) -> Option<String> {
    ["id", "media_id"]
        .iter()
        .find_map(|key| match object.get(key)? {
            Value::String(id) => Some(id.clone()),
            Value::Number(id) => Some(id.to_string()),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            retry_after: None,
            location: None,
            body: Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    #[test]
    fn the_id_is_read_wherever_the_answer_puts_it() {
        for body in [
            r#"{"id":"1203982341087365"}"#,
            r#"{"media_id":"1203982341087365"}"#,
            r#"{"data":{"id":1203982341087365}}"#,
            r#"{"data":[{"media_id":"1203982341087365"}]}"#,
        ] {
            let id = uploaded_id(&answer(200, body), "image/png").unwrap();
            assert_eq!(id.as_str(), "1203982341087365", "{body}");
            assert_eq!(id.mime(), Some("image/png"));
        }
        let missing = uploaded_id(&answer(200, r#"{"status":"ok"}"#), "image/png").unwrap_err();
        assert!(missing.to_string().contains("no media id"), "{missing}");
    }

    #[test]
    fn a_401_that_is_not_a_wrong_key_says_uploads_are_for_postpaid_accounts() {
        let refused = uploaded_id(
            &answer(
                401,
                r#"{"code":"WA-401","message":"Unauthorised account type"}"#,
            ),
            "image/png",
        )
        .unwrap_err();
        assert!(
            matches!(refused, Error::UploadNotAllowed { .. }),
            "{refused:?}"
        );
        assert!(refused.to_string().contains("postpaid"), "{refused}");
        let wrong_key = uploaded_id(
            &answer(401, r#"{"code":"RBC001","message":"Invalid API key"}"#),
            "image/png",
        )
        .unwrap_err();
        assert!(
            matches!(
                wrong_key,
                Error::Api {
                    code: ApiCode::InvalidCredentials,
                    ..
                }
            ),
            "{wrong_key:?}"
        );
    }

    #[test]
    fn a_file_is_refused_by_type_size_and_name_before_upload() {
        let big = vec![0u8; 5 * 1024 * 1024 + 1];
        let error = MediaFile::new(big, "image/png", "big.png").unwrap_err();
        assert!(error.to_string().contains("file `big.png`"), "{error}");
        assert!(MediaFile::new(vec![1], "text/html", "page.html").is_err());
        assert!(MediaFile::new(vec![1], "image/png", "").is_err());
        assert!(MediaFile::new(vec![1], "image/png", "a".repeat(256)).is_err());
        assert!(MediaFile::new(vec![1], "IMAGE/PNG", "a.png").is_ok());
    }

    #[test]
    fn a_file_read_from_disk_is_typed_by_its_extension() {
        let dir = std::env::temp_dir().join(format!("kaleyra-upload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let video = dir.join("clip.3gp");
        std::fs::write(&video, b"3gp").unwrap();
        assert_eq!(MediaFile::read(&video).unwrap().mime(), "video/3gpp");
        let gif = dir.join("a.gif");
        std::fs::write(&gif, b"gif").unwrap();
        assert!(MediaFile::read(&gif).is_err());
        let missing = MediaFile::read(dir.join("none.pdf")).unwrap_err();
        assert!(missing.to_string().contains("cannot be read"), "{missing}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
