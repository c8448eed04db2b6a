//! Reading the campaign's CSV: its size and hash for the fingerprint, its
//! header, and its rows one at a time, each with the line it starts on.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::failure::Failure;

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

/// A campaign's CSV, open to read its rows once, in order.
pub struct CsvFile {
    path: PathBuf,
    reader: csv::Reader<File>,
    /// The header's column names, trimmed.
    pub headers: Vec<String>,
    record: csv::StringRecord,
}

/// One row of the CSV.
pub enum Row<'a> {
    /// A record, and the line it starts on.
    Record {
        /// The line the record starts on (the header is line 1).
        line: u64,
        /// Its fields.
        record: &'a csv::StringRecord,
    },
    /// A row the CSV reader could not read, and why.
    Unreadable {
        /// The line it starts on.
        line: u64,
        /// Why, in words, without the file name or line.
        reason: String,
    },
}

impl CsvFile {
    /// Opens the CSV at `path` and reads its header's column names.
    pub fn open(path: &Path) -> Result<CsvFile, Failure> {
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
        Ok(CsvFile {
            path: path.to_owned(),
            reader,
            headers,
            record: csv::StringRecord::new(),
        })
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The next row, `None` at the end. A row the reader cannot read (bad
    /// UTF-8, too few fields) is a row of its own, so the check lists it by
    /// line; only a file that cannot be read at all is an error.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, Failure> {
        let line = self.reader.position().line();
        match self.reader.read_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => Ok(Some(Row::Record {
                line: self.record.position().map_or(line, csv::Position::line),
                record: &self.record,
            })),
            Err(error) if matches!(error.kind(), csv::ErrorKind::Io(_)) => Err(Failure::input(
                format!("{}: line {line}: {}", self.path.display(), describe(&error)),
            )),
            Err(error) => Ok(Some(Row::Unreadable {
                line: error.position().map_or(line, csv::Position::line),
                reason: describe(&error),
            })),
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
