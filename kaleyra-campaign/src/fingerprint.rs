//! What identifies a campaign, so a journal is never resumed with another.

use sha2::{Digest, Sha256};

/// The template and the source rows a journal was loaded from. Opening a
/// journal with a fingerprint that differs in any field but `source` is
/// refused: a campaign is recognised by its content, not by where its file
/// is, so a folder moved with its CSV and journal (another mount path after
/// a container restart) resumes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fingerprint {
    /// The template's name.
    pub template: String,
    /// The template's language code.
    pub language: String,
    /// A hash of the template's definition, so an edited definition counts
    /// as another template.
    pub definition_hash: String,
    /// Where the rows came from, such as the CSV file's absolute path: shown,
    /// never compared (the size and hash are).
    pub source: String,
    /// The source's size in bytes.
    pub source_size: u64,
    /// A hash of the source's content.
    pub source_hash: String,
    /// How the source's columns map to the message's values.
    pub mapping: String,
}

impl Fingerprint {
    /// A fingerprint from its parts; see the fields.
    pub fn new(
        template: impl Into<String>,
        language: impl Into<String>,
        definition_hash: impl Into<String>,
        source: impl Into<String>,
        source_size: u64,
        source_hash: impl Into<String>,
        mapping: impl Into<String>,
    ) -> Self {
        Fingerprint {
            template: template.into(),
            language: language.into(),
            definition_hash: definition_hash.into(),
            source: source.into(),
            source_size,
            source_hash: source_hash.into(),
            mapping: mapping.into(),
        }
    }

    /// A short id for this campaign (12 hex digits), for message references.
    /// Of the content only, like the comparison: the same wherever the file is.
    pub fn campaign_id(&self) -> String {
        let mut hasher = Sha256::new();
        for part in [
            &self.template,
            &self.language,
            &self.definition_hash,
            &self.source_hash,
            &self.mapping,
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hex(&hasher.finalize())[..12].to_owned()
    }

    /// Each field that must match, named as errors call it, with its text.
    pub(crate) fn fields(&self) -> [(&'static str, String); 6] {
        [
            ("template", self.template.clone()),
            ("language", self.language.clone()),
            ("definition hash", self.definition_hash.clone()),
            (SOURCE_SIZE, self.source_size.to_string()),
            (SOURCE_HASH, self.source_hash.clone()),
            ("column mapping", self.mapping.clone()),
        ]
    }
}

/// How errors name the source's size and hash, the fields that tell a
/// changed CSV.
pub(crate) const SOURCE_SIZE: &str = "source size";
/// See [`SOURCE_SIZE`].
pub(crate) const SOURCE_HASH: &str = "source hash";

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}
