//! Reading the campaign's CSV: its fingerprint, its header, and each row
//! checked into the message it makes.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use kaleyra_campaign::Loader;
use kaleyra_definitions::TemplateDefinition;
use kaleyra_runtime::{Client, PreparedRequest};
use sha2::{Digest, Sha256};

use crate::columns::Columns;
use crate::failure::Failure;
use crate::recipient::Numbers;
use crate::row::RowValues;

/// How many bad rows are listed one by one; the rest are counted.
pub const LISTED_PROBLEMS: usize = 100;

/// The size and SHA-256 (hex) of the file at `path`, read in blocks.
pub fn size_and_hash(path: &Path) -> Result<(u64, String), Failure> {
    let file = File::open(path)
        .map_err(|error| Failure::input(format!("cannot open {}: {error}", path.display())))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut hasher = Sha256::new();
    let mut block = vec![0; 1 << 16];
    let mut size = 0u64;
    loop {
        let read = reader
            .read(&mut block)
            .map_err(|error| Failure::input(format!("cannot read {}: {error}", path.display())))?;
        if read == 0 {
            break;
        }
        size += read as u64;
        hasher.update(&block[..read]);
    }
    let hash = hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok((size, hash))
}

/// A CSV reader of `path`, and its header's column names.
pub fn open(path: &Path) -> Result<(csv::Reader<File>, Vec<String>), Failure> {
    let file = File::open(path)
        .map_err(|error| Failure::input(format!("cannot open {}: {error}", path.display())))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(file);
    let headers = reader
        .headers()
        .map_err(|error| Failure::input(format!("{}: {}", path.display(), describe(&error))))?;
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        return Err(Failure::input(format!(
            "{} is empty: the first line must name the columns, such as `phone,1,2`",
            path.display()
        )));
    }
    let headers = headers.iter().map(|name| name.trim().to_owned()).collect();
    Ok((reader, headers))
}

/// What the check of every row found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Rows that make a valid message.
    pub valid: u64,
    /// Bad rows: their line and why, the first [`LISTED_PROBLEMS`].
    pub problems: Vec<(u64, String)>,
    /// How many rows are bad.
    pub invalid: u64,
    /// The request the first valid row makes.
    pub first: Option<PreparedRequest>,
    /// Valid rows whose number is sent in another form than written.
    pub rewritten: u64,
    /// The first of them: its line, the number as written and as sent.
    pub first_rewritten: Option<(u64, String, String)>,
}

/// The values to build each row's message from.
pub struct Template<'a> {
    /// The definition.
    pub definition: &'a TemplateDefinition,
    /// The language sent.
    pub language: &'a str,
    /// The campaign's id, the first part of each row's `ref`.
    pub campaign_id: &'a str,
    /// How each row's number is read.
    pub numbers: Numbers,
}

impl Template<'_> {
    /// The `ref` of the row at `line`.
    pub fn reference(&self, line: u64) -> String {
        reference(self.campaign_id, line)
    }
}

/// The `ref` of the row at `line` of campaign `campaign_id`.
pub fn reference(campaign_id: &str, line: u64) -> String {
    format!("{campaign_id}:{line}")
}

/// Reads every row of `reader`, checks the message it makes exactly as
/// `client.prepare` would send it, and adds each valid row to `loader` when
/// given. Memory stays flat: rows are not kept.
pub async fn check_rows(
    reader: &mut csv::Reader<File>,
    columns: &Columns,
    template: &Template<'_>,
    client: &Client,
    mut loader: Option<&mut Loader>,
) -> Result<Checked, Failure> {
    let mut checked = Checked::default();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) if matches!(error.kind(), csv::ErrorKind::Io(_)) => {
                return Err(Failure::input(format!("line {line}: {}", describe(&error))));
            }
            Err(error) => {
                let line = error.position().map_or(line, csv::Position::line);
                checked.problem(line, describe(&error));
                continue;
            }
        }
        let line = record.position().map_or(line, csv::Position::line);
        let (written, mut values) = RowValues::read(&record, columns, template.definition);
        let prepared = template.numbers.read(&written).and_then(|number| {
            let message = values.message(
                template.definition,
                template.language,
                template.reference(line),
            )?;
            client
                .prepare(&message, number.as_str())
                .map(|request| (number, request))
                .map_err(|error| error.to_string())
        });
        match prepared {
            Ok((number, request)) => {
                checked.valid += 1;
                if checked.first.is_none() {
                    checked.first = Some(request);
                }
                // Sent in another form than written: the journal keeps both.
                if number.as_str() != written {
                    checked.rewritten += 1;
                    if checked.first_rewritten.is_none() {
                        checked.first_rewritten =
                            Some((line, written.clone(), number.as_str().to_owned()));
                    }
                    values.phone_as_written = Some(written);
                }
                let recipient = number.as_str();
                if let Some(loader) = loader.as_deref_mut() {
                    let payload = serde_json::to_string(&values).map_err(|error| {
                        Failure::internal(format!("encoding line {line}: {error}"))
                    })?;
                    loader
                        .add(line, recipient, &payload)
                        .await
                        .map_err(Failure::journal)?;
                }
            }
            Err(reason) => checked.problem(line, reason),
        }
    }
    Ok(checked)
}

impl Checked {
    fn problem(&mut self, line: u64, reason: String) {
        self.invalid += 1;
        if self.problems.len() < LISTED_PROBLEMS {
            self.problems.push((line, reason));
        }
    }
}

/// A CSV error in words, without the file name.
fn describe(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { pos, err } => format!(
            "line {}: field {} is not valid UTF-8; save the file as UTF-8",
            pos.as_ref().map_or(0, csv::Position::line),
            err.field() + 1
        ),
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => format!(
            "line {}: has {len} fields, the header has {expected_len}",
            pos.as_ref().map_or(0, csv::Position::line)
        ),
        _ => error.to_string(),
    }
}
