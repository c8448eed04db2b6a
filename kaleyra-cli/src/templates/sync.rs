//! Writing a listed set of templates into a directory, as `pull` and
//! `import` do: one file per name and language, new files added, changed
//! ones replaced, unchanged ones left alone, nothing deleted unless pruning.
//!
//! Everything is decided before the first write, and each file is written
//! to a temporary file in the same directory and renamed over the old one,
//! so a crash leaves every file either as it was or as the account sent it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use kaleyra_definitions::{
    DefinitionFormat, ListedTemplate, Sendability, TemplateDefinition, definition_files,
};
use serde::Serialize;

use super::could_not;
use crate::failure::Failure;

/// What a sync did.
#[derive(Debug, Default, Serialize)]
pub struct SyncReport {
    /// The files written: new, or updated because their bytes changed.
    pub written: Vec<Written>,
    /// The files that already held exactly what the account sent.
    pub unchanged: Vec<FileEntry>,
    /// The listed templates not written, with why.
    pub skipped: Vec<Skipped>,
    /// The files deleted by `--prune`.
    pub pruned: Vec<FileEntry>,
}

/// A file written.
#[derive(Debug, Serialize)]
pub struct Written {
    /// The file's name in the directory.
    pub file: String,
    /// `added` or `updated`.
    pub change: &'static str,
    /// The template's status in the account, such as `APPROVED` or `PAUSED`.
    pub status: Option<String>,
}

/// A file, by name in the directory.
#[derive(Debug, Serialize)]
pub struct FileEntry {
    /// The file's name in the directory.
    pub file: String,
}

/// A listed template that was not written.
#[derive(Debug, Serialize)]
pub struct Skipped {
    /// The template's name, when the element has one.
    pub name: Option<String>,
    /// Its language, when the element has one.
    pub language: Option<String>,
    /// Why: `not_approved`, `unsupported`, `malformed`, `conflict` or `duplicate`.
    pub reason: &'static str,
    /// The details, naming the field or file at fault.
    pub detail: String,
}

/// A definition file already in the directory: what it defines.
struct OnDisk {
    name: String,
    language: Option<String>,
    format: DefinitionFormat,
}

/// One file to write.
struct Planned<'a> {
    file: String,
    bytes: &'a [u8],
    status: Option<String>,
}

/// Writes `listed` into `dir` (created if missing); with `prune`, deletes
/// the files in Meta's shape whose template the list no longer has.
pub fn sync(dir: &Path, listed: &[ListedTemplate], prune: bool) -> Result<SyncReport, Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|error| could_not(format!("cannot create {}: {error}", dir.display())))?;
    let existing = existing_definitions(dir)?;
    let mut report = SyncReport::default();
    let mut planned: BTreeMap<String, Planned<'_>> = BTreeMap::new();
    for template in listed {
        let skip = |reason, detail: String| Skipped {
            name: template.name().map(str::to_owned),
            language: template.language().map(str::to_owned),
            reason,
            detail,
        };
        let definition = match template.definition() {
            Ok(definition) => definition,
            Err(error) => {
                report.skipped.push(skip("malformed", error.to_string()));
                continue;
            }
        };
        if let Some(reason) = not_writable(definition) {
            report.skipped.push(skip(reason.0, reason.1));
            continue;
        }
        let file = definition.file_name();
        if let Some(other) = existing.iter().find_map(|(other, on_disk)| {
            let same_template = on_disk.name == definition.name
                && (on_disk.language.is_none() || on_disk.language == definition.language);
            (same_template && *other != file).then_some(other)
        }) {
            report.skipped.push(skip(
                "conflict",
                format!(
                    "`{other}` already defines this template; delete it to keep the account's version in `{file}`"
                ),
            ));
            continue;
        }
        let bytes = template.raw_json().as_bytes();
        if let Some(earlier) = planned.get(&file) {
            if earlier.bytes != bytes {
                report.skipped.push(skip(
                    "duplicate",
                    format!("listed twice with different contents; `{file}` takes the first"),
                ));
            }
            continue;
        }
        let status = definition.status.as_ref().map(|s| s.as_str().to_owned());
        planned.insert(
            file.clone(),
            Planned {
                file,
                bytes,
                status,
            },
        );
    }
    let to_prune = if prune {
        prunable(dir, &existing, listed)
    } else {
        Vec::new()
    };
    for plan in planned.into_values() {
        let path = dir.join(&plan.file);
        let change = match std::fs::read(&path) {
            Ok(old) if old == plan.bytes => {
                report.unchanged.push(FileEntry { file: plan.file });
                continue;
            }
            Ok(_) => "updated",
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => "added",
            Err(error) => {
                return Err(could_not(format!(
                    "cannot read {}: {error}",
                    path.display()
                )));
            }
        };
        write_atomically(dir, &path, plan.bytes)?;
        report.written.push(Written {
            file: plan.file,
            change,
            status: plan.status,
        });
    }
    for file in to_prune {
        std::fs::remove_file(dir.join(&file)).map_err(|error| {
            could_not(format!(
                "cannot delete {}: {error}",
                dir.join(&file).display()
            ))
        })?;
        report.pruned.push(FileEntry { file });
    }
    Ok(report)
}

/// Why a parsed template is not written: it can never be sent, its status
/// is unknown, or it has parts this library cannot send. `PENDING`,
/// `PAUSED`, `IN_APPEAL` and `LIMIT_EXCEEDED` templates are written: they
/// exist and may be sendable again without an edit; the summary shows
/// their status, and `check` reports them.
fn not_writable(definition: &TemplateDefinition) -> Option<(&'static str, String)> {
    let status = definition
        .status
        .as_ref()
        .map_or("no status", |status| status.as_str());
    match definition.sendability() {
        Sendability::Never => {
            return Some((
                "not_approved",
                format!("status {status}: it can never be sent"),
            ));
        }
        Sendability::Unknown => {
            return Some((
                "not_approved",
                format!("status {status} is not one this tool knows to be sendable"),
            ));
        }
        Sendability::Sendable | Sendability::NotNow => {}
    }
    if !definition.unsupported.is_empty() {
        let parts: Vec<String> = definition
            .unsupported
            .iter()
            .map(ToString::to_string)
            .collect();
        return Some((
            "unsupported",
            format!("cannot be sent by this library yet: {}", parts.join("; ")),
        ));
    }
    None
}

/// Each definition file in `dir` that parses, by file name, with the name
/// and language it defines. Files that do not parse are left out: they are
/// never pruned, and `check` reports them.
fn existing_definitions(dir: &Path) -> Result<BTreeMap<String, OnDisk>, Failure> {
    let files = definition_files(dir)
        .map_err(|error| could_not(format!("cannot list {}: {error}", dir.display())))?;
    let mut found = BTreeMap::new();
    for path in files {
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        if let Ok(definition) = TemplateDefinition::from_file(&path) {
            found.insert(
                file.to_owned(),
                OnDisk {
                    name: definition.name,
                    language: definition.language,
                    format: definition.format,
                },
            );
        }
    }
    Ok(found)
}

/// The files in Meta's shape (the ones `pull` writes) whose name and
/// language the list does not have at all. Files in this project's format
/// are written by hand and never pruned.
fn prunable(
    dir: &Path,
    existing: &BTreeMap<String, OnDisk>,
    listed: &[ListedTemplate],
) -> Vec<String> {
    let in_account: BTreeSet<(Option<&str>, Option<&str>)> = listed
        .iter()
        .map(|template| (template.name(), template.language()))
        .collect();
    existing
        .iter()
        .filter(|(_, on_disk)| {
            on_disk.format == DefinitionFormat::Meta
                && !in_account.contains(&(Some(on_disk.name.as_str()), on_disk.language.as_deref()))
        })
        .map(|(file, _)| file.clone())
        .filter(|file| dir.join(file).is_file())
        .collect()
}

/// Writes `bytes` to a temporary file in `dir`, flushed to disk, then
/// renames it to `path`: readers see the old file or the new one, never half.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let failed =
        |error: std::io::Error| could_not(format!("cannot write {}: {error}", path.display()));
    let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    temporary.write_all(bytes).map_err(failed)?;
    temporary.as_file().sync_all().map_err(failed)?;
    temporary
        .persist(path)
        .map_err(|error| failed(error.error))?;
    Ok(())
}
