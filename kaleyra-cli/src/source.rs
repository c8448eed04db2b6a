//! Reading the campaign's CSV: its fingerprint, its header, and each row
//! checked into the message it makes.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
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
    /// Valid rows whose number an earlier row has: the first
    /// [`LISTED_PROBLEMS`] as their line, the number, and the earlier line.
    pub repeats: Vec<(u64, String, u64)>,
    /// How many valid rows repeat an earlier row's number.
    pub repeated: u64,
}

/// What to do with a row whose number an earlier row has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeats {
    /// Refuse the campaign, listing them: a customer must not get a message twice by mistake.
    Refuse,
    /// Send every row, repeats too (`--allow-duplicates`).
    Send,
    /// Send the first row of each number, record the others as skipped (`--dedupe`).
    SkipLater,
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
    columns: &Columns<'_>,
    template: &Template<'_>,
    client: &Client,
    repeats: Repeats,
    mut loader: Option<&mut Loader>,
) -> Result<Checked, Failure> {
    let mut checked = Checked::default();
    // The first line of each number sent to; numbers are E.164 by now, so
    // `098111 11114` and `+91 98111 11114` are one customer.
    let mut first_line: HashMap<String, u64> = HashMap::new();
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
                let reason = describe(&error);
                if let Some(loader) = loader.as_deref_mut() {
                    loader
                        .skip(line, "", "{}", INVALID, &reason)
                        .await
                        .map_err(Failure::journal)?;
                }
                checked.problem(line, reason);
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
                let earlier = match first_line.entry(number.as_str().to_owned()) {
                    Entry::Occupied(first) => Some(*first.get()),
                    Entry::Vacant(vacant) => {
                        vacant.insert(line);
                        None
                    }
                };
                if let Some(earlier) = earlier.filter(|_| repeats != Repeats::Send) {
                    checked.repeated += 1;
                    if checked.repeats.len() < LISTED_PROBLEMS {
                        checked
                            .repeats
                            .push((line, number.as_str().to_owned(), earlier));
                    }
                    if let (Repeats::SkipLater, Some(loader)) = (repeats, loader.as_deref_mut()) {
                        values.phone_as_written = Some(written);
                        let reason = format!(
                            "{} is also on line {earlier}, which is sent (--dedupe)",
                            number.as_str()
                        );
                        loader
                            .skip(
                                line,
                                number.as_str(),
                                &payload_of(&values, line)?,
                                DUPLICATE,
                                &reason,
                            )
                            .await
                            .map_err(Failure::journal)?;
                    }
                    continue;
                }
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
                    loader
                        .add(line, recipient, &payload_of(&values, line)?)
                        .await
                        .map_err(Failure::journal)?;
                }
            }
            Err(reason) => {
                if let Some(loader) = loader.as_deref_mut() {
                    values.phone_as_written = Some(written);
                    loader
                        .skip(line, "", &payload_of(&values, line)?, INVALID, &reason)
                        .await
                        .map_err(Failure::journal)?;
                }
                checked.problem(line, reason);
            }
        }
    }
    Ok(checked)
}

/// The `error_kind` of a row skipped because it is invalid.
const INVALID: &str = "invalid";
/// The `error_kind` of a row skipped because an earlier row has its number.
const DUPLICATE: &str = "duplicate";

/// A row's values as the journal keeps them.
fn payload_of(values: &RowValues, line: u64) -> Result<String, Failure> {
    serde_json::to_string(values)
        .map_err(|error| Failure::internal(format!("encoding line {line}: {error}")))
}

impl Checked {
    fn problem(&mut self, line: u64, reason: String) {
        self.invalid += 1;
        if self.problems.len() < LISTED_PROBLEMS {
            self.problems.push((line, reason));
        }
    }
}

/// A CSV error in words, without the file name or line (the caller gives the line).
fn describe(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "field {} is not valid UTF-8; save the file as UTF-8",
            err.field() + 1
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields, the header has {expected_len}"),
        _ => error.to_string(),
    }
}
