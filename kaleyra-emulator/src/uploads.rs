//! Media uploaded to the emulator (`POST /v2/{sid}/whatsapp/{number}/media`),
//! kept in memory and served at `/emulator/media/{id}`, so a header that
//! shows an uploaded id is checked against the file and drawn in the inbox.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use axum::body::Bytes;
use kaleyra_definitions::media::{self, UploadType};

/// Where an uploaded file is served, followed by its id.
pub(crate) const MEDIA_PATH: &str = "/emulator/media/";

/// The largest upload body the route reads: the largest file type's limit
/// and room for the multipart framing, so an oversized file is answered
/// with its limit rather than cut off.
pub(crate) fn body_limit() -> usize {
    let largest = media::UPLOAD_TYPES
        .iter()
        .map(|upload| upload.max_bytes)
        .max()
        .unwrap_or(0);
    usize::try_from(largest)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024)
}

/// One uploaded file.
#[derive(Debug, Clone)]
pub(crate) struct UploadedFile {
    pub(crate) upload: &'static UploadType,
    pub(crate) bytes: Bytes,
}

/// Every file uploaded since the emulator started, by id.
#[derive(Debug, Default)]
pub(crate) struct Uploads {
    files: Mutex<HashMap<String, UploadedFile>>,
    next: AtomicU64,
    /// The emulator's address, once it serves; before (an emulator used as
    /// a router in a test), uploaded media is named on loopback without a
    /// port.
    base_url: OnceLock<String>,
}

impl Uploads {
    /// Where the emulator serves, for the addresses of uploaded files.
    pub(crate) fn set_base_url(&self, base_url: String) {
        // Set once, when the server starts.
        let _ = self.base_url.set(base_url);
    }

    /// The address the emulator serves the file uploaded as `id` at, which a
    /// message that shows it by id stores as its media URL.
    pub(crate) fn url(&self, id: &str) -> String {
        let base = self
            .base_url
            .get()
            .map_or("http://127.0.0.1", String::as_str);
        format!("{base}{MEDIA_PATH}{id}")
    }

    /// Keeps `file` and returns its new id, digits as Meta's media ids are.
    pub(crate) fn insert(&self, file: UploadedFile) -> String {
        let id = format!(
            "{}",
            1_000_000_000_000_000 + self.next.fetch_add(1, Ordering::Relaxed)
        );
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(id.clone(), file);
        id
    }

    /// The file uploaded as `id`, if one was.
    pub(crate) fn get(&self, id: &str) -> Option<UploadedFile> {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(id)
            .cloned()
    }
}
