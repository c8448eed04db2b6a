//! Reading the campaign's CSV: its size and hash for the fingerprint, its
//! delimiter, its header, and its rows one at a time, each with the line it
//! starts on. Rows are read through a buffer of bounded size, so a line of
//! a gigabyte costs no more memory than one of a hundred bytes: it is a row
//! refused for its length.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use csv_core::ReadRecordResult;
use sha2::{Digest, Sha256};

use crate::failure::Failure;

/// The longest row read, in bytes: far more than any message's values
/// (Kaleyra's longest, the body, is 1024 characters), so a longer row is a
/// broken file, refused by its line without being kept in memory.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// The most fields a row is read with; a row with more is refused like a
/// row too long.
pub const MAX_FIELDS: usize = 10_000;

/// How much of the file is read at once, and how much of the header line
/// the delimiter is detected from.
const READ_BLOCK: usize = 1 << 16;

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

/// What separates a CSV's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(u8);

impl Delimiter {
    /// `,`, the default.
    pub const COMMA: Delimiter = Delimiter(b',');
    /// `;`, as spreadsheets write CSV where the comma is the decimal mark.
    pub const SEMICOLON: Delimiter = Delimiter(b';');
    /// A tab, as in a "tab-separated" export.
    pub const TAB: Delimiter = Delimiter(b'\t');
    /// The delimiters detected, in the order a tie is settled.
    const DETECTED: [Delimiter; 3] = [Delimiter::COMMA, Delimiter::SEMICOLON, Delimiter::TAB];

    /// The delimiter of a CSV whose header line starts with `header`: the
    /// one of comma, semicolon and tab found most often outside quotes
    /// (comma on a tie, or when none is, as in a one-column file).
    pub fn detect(header: &[u8]) -> Delimiter {
        let line = header
            .split(|byte| *byte == b'\n')
            .next()
            .unwrap_or_default();
        let mut counts = [0usize; 3];
        let mut quoted = false;
        for byte in line {
            if *byte == b'"' {
                quoted = !quoted;
            } else if !quoted {
                for (count, delimiter) in counts.iter_mut().zip(Delimiter::DETECTED) {
                    *count += usize::from(*byte == delimiter.0);
                }
            }
        }
        let most = counts.iter().copied().max().unwrap_or_default();
        Delimiter::DETECTED
            .into_iter()
            .zip(counts)
            .find(|(_, count)| most > 0 && *count == most)
            .map_or(Delimiter::COMMA, |(delimiter, _)| delimiter)
    }

    /// How the command line writes it, quoted for a shell: `','`, `';'`, `tab`.
    pub fn as_arg(self) -> String {
        match self.0 {
            b'\t' => "tab".to_owned(),
            byte => format!("'{}'", char::from(byte)),
        }
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            b',' => f.write_str("comma"),
            b';' => f.write_str("semicolon"),
            b'\t' => f.write_str("tab"),
            byte => write!(f, "`{}`", char::from(byte)),
        }
    }
}

/// `--delimiter`: one ASCII character (`,` `;` `|`), or `tab` (`\t`).
pub fn parse_delimiter(text: &str) -> Result<Delimiter, String> {
    match text {
        "tab" | "TAB" | "\\t" | "\t" => Ok(Delimiter::TAB),
        _ => match text.as_bytes() {
            [byte] if byte.is_ascii_punctuation() && *byte != b'"' => Ok(Delimiter(*byte)),
            _ => Err(format!(
                "`{text}` is not a delimiter: give one character such as ',' ';' or '|', or `tab`"
            )),
        },
    }
}

/// A campaign's CSV, open to read its rows once, in order.
pub struct CsvFile {
    path: PathBuf,
    input: BufReader<File>,
    core: csv_core::Reader,
    delimiter: Delimiter,
    /// Whether the delimiter was detected, not given.
    detected: bool,
    /// The header's column names, trimmed.
    pub headers: Vec<String>,
    /// The current row's field bytes, at most [`MAX_ROW_BYTES`].
    fields: Vec<u8>,
    /// Where each of its fields ends, at most [`MAX_FIELDS`].
    ends: Vec<usize>,
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
    /// A row that cannot be read into fields, and why.
    Unreadable {
        /// The line it starts on.
        line: u64,
        /// Why, in words, without the file name or line.
        reason: String,
    },
}

/// A row as the parser left it in the buffers.
struct Raw {
    line: u64,
    /// How many bytes of `fields` and entries of `ends` it has.
    fields: usize,
    ends: usize,
    /// Whether it had more than [`MAX_ROW_BYTES`] or [`MAX_FIELDS`]; its
    /// fields were then dropped as they were read.
    too_long: bool,
}

impl CsvFile {
    /// Opens the CSV at `path`, separated by `delimiter` or, if not given,
    /// by the one its header line shows, and reads the header's names.
    pub fn open(path: &Path, delimiter: Option<Delimiter>) -> Result<CsvFile, Failure> {
        let file = File::open(path)
            .map_err(|error| Failure::input(format!("cannot open {}: {error}", path.display())))?;
        let mut input = BufReader::with_capacity(READ_BLOCK, file);
        let cannot_read = |error: std::io::Error| {
            Failure::input(format!("cannot read {}: {error}", path.display()))
        };
        let (delimiter, detected) = match delimiter {
            Some(given) => (given, false),
            None => (
                Delimiter::detect(input.fill_buf().map_err(cannot_read)?),
                true,
            ),
        };
        let mut csv = CsvFile {
            path: path.to_owned(),
            input,
            core: csv_core::ReaderBuilder::new()
                .delimiter(delimiter.0)
                .build(),
            delimiter,
            detected,
            headers: Vec::new(),
            fields: vec![0; 1024],
            ends: vec![0; 64],
            record: csv::StringRecord::new(),
        };
        let empty = || {
            Failure::input(format!(
                "{} is empty: the first line must name the columns, such as `phone,1,2`",
                path.display()
            ))
        };
        let raw = csv.read_raw().map_err(cannot_read)?.ok_or_else(empty)?;
        let text = row_text(&csv.fields, &csv.ends, &raw)
            .map_err(|reason| Failure::input(format!("{}: line 1: {reason}", path.display())))?;
        let headers = split(text, &csv.ends[..raw.ends])
            .map(|name| name.trim().to_owned())
            .collect::<Vec<_>>();
        if headers.iter().all(String::is_empty) {
            return Err(empty());
        }
        csv.headers = headers;
        Ok(csv)
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How the columns are separated, and whether that was detected or
    /// given: `semicolon-separated, detected`.
    pub fn separated(&self) -> String {
        let how = if self.detected {
            "detected"
        } else {
            "--delimiter"
        };
        format!("{}-separated, {how}", self.delimiter)
    }

    /// When the header is one column that another delimiter would split:
    /// the advice to give it.
    pub fn delimiter_hint(&self) -> Option<String> {
        let [only] = self.headers.as_slice() else {
            return None;
        };
        let other = Delimiter::detect(only.as_bytes());
        (other != self.delimiter && only.as_bytes().contains(&other.0)).then(|| {
            format!(
                "the header is one column, `{only}`, read as {}-separated: if {other}s separate its columns, give --delimiter {}",
                self.delimiter,
                other.as_arg()
            )
        })
    }

    /// The next row, `None` at the end. A row that cannot be read (bad
    /// UTF-8, a NUL byte, too few fields, too long) is a row of its own, so
    /// the check lists it by line; only a file that cannot be read at all
    /// is an error. A decision (DECISIONS.md): Kaleyra does not say whether
    /// a value may hold a NUL, and a text CSV never has one, so the row is
    /// refused rather than sent or changed.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, Failure> {
        let raw = match self.read_raw() {
            Ok(Some(raw)) => raw,
            Ok(None) => return Ok(None),
            Err(error) => {
                return Err(Failure::input(format!(
                    "{}: line {}: cannot be read: {error}",
                    self.path.display(),
                    self.core.line()
                )));
            }
        };
        let line = raw.line;
        if raw.ends != self.headers.len() && !raw.too_long {
            return Ok(Some(Row::Unreadable {
                line,
                reason: format!(
                    "has {} fields, the header has {}",
                    raw.ends,
                    self.headers.len()
                ),
            }));
        }
        match row_text(&self.fields, &self.ends, &raw) {
            Ok(text) => {
                self.record.clear();
                for field in split(text, &self.ends[..raw.ends]) {
                    self.record.push_field(field);
                }
                Ok(Some(Row::Record {
                    line,
                    record: &self.record,
                }))
            }
            Err(reason) => Ok(Some(Row::Unreadable { line, reason })),
        }
    }

    /// Parses the next row into the buffers, growing them up to their
    /// bounds; beyond, the row's bytes are dropped as they are read.
    fn read_raw(&mut self) -> std::io::Result<Option<Raw>> {
        let line = self.core.line();
        let (mut fields, mut ends, mut too_long) = (0, 0, false);
        loop {
            let input = self.input.fill_buf()?;
            let (result, read, written, ended) =
                self.core
                    .read_record(input, &mut self.fields[fields..], &mut self.ends[ends..]);
            self.input.consume(read);
            fields += written;
            ends += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if self.fields.len() < MAX_ROW_BYTES => {
                    let grown = (self.fields.len() * 2).min(MAX_ROW_BYTES);
                    self.fields.resize(grown, 0);
                }
                ReadRecordResult::OutputFull => (too_long, fields, ends) = (true, 0, 0),
                ReadRecordResult::OutputEndsFull if self.ends.len() < MAX_FIELDS => {
                    let grown = (self.ends.len() * 2).min(MAX_FIELDS);
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => (too_long, fields, ends) = (true, 0, 0),
                ReadRecordResult::Record => {
                    return Ok(Some(Raw {
                        line,
                        fields,
                        ends,
                        too_long,
                    }));
                }
                ReadRecordResult::End => return Ok(None),
            }
        }
    }
}

/// The text of `raw`'s fields, parsed into `fields` ending at `ends`, as
/// one string checked at once (UTF-8, no NUL, each field ending on a
/// character's boundary), or why it is not text.
fn row_text<'a>(fields: &'a [u8], ends: &[usize], raw: &Raw) -> Result<&'a str, String> {
    if raw.too_long {
        return Err(format!(
            "is longer than {} MiB or has more than {MAX_FIELDS} fields; it is not read",
            MAX_ROW_BYTES >> 20
        ));
    }
    let ends = &ends[..raw.ends];
    // The field, from 1, that holds the byte at `at`.
    let field_at = |at: usize| ends.iter().take_while(|end| **end <= at).count() + 1;
    let bytes = &fields[..raw.fields];
    if let Some(at) = bytes.iter().position(|byte| *byte == 0) {
        return Err(format!(
            "field {} has a NUL byte, which text never has; if the file is UTF-16 (\"Unicode text\"), save it as UTF-8",
            field_at(at)
        ));
    }
    let not_utf8 =
        |field: usize| format!("field {field} is not valid UTF-8; save the file as UTF-8");
    let text =
        std::str::from_utf8(bytes).map_err(|error| not_utf8(field_at(error.valid_up_to())))?;
    // Two fields can split one character between them, each invalid alone.
    if let Some(field) = ends.iter().position(|end| !text.is_char_boundary(*end)) {
        return Err(not_utf8(field + 1));
    }
    Ok(text)
}

/// Each field of `text`, ending at `ends`.
fn split<'a>(text: &'a str, ends: &'a [usize]) -> impl Iterator<Item = &'a str> {
    let starts = std::iter::once(0).chain(ends.iter().copied());
    starts.zip(ends).map(|(start, end)| &text[start..*end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &[u8], delimiter: Option<Delimiter>) -> (tempfile::TempDir, CsvFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("june.csv");
        std::fs::write(&path, text).unwrap();
        let csv = CsvFile::open(&path, delimiter).unwrap();
        (dir, csv)
    }

    /// Each row as `line: field|field` or `line: why`.
    fn rows(csv: &mut CsvFile) -> Vec<String> {
        let mut rows = Vec::new();
        while let Some(row) = csv.next_row().unwrap() {
            rows.push(match row {
                Row::Record { line, record } => {
                    format!("{line}: {}", record.iter().collect::<Vec<_>>().join("|"))
                }
                Row::Unreadable { line, reason } => format!("{line}: {reason}"),
            });
        }
        rows
    }

    #[test]
    fn the_delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(Delimiter::detect(b"phone,1,2\n"), Delimiter::COMMA);
        assert_eq!(
            Delimiter::detect(b"phone;1;2\n+91,x;y"),
            Delimiter::SEMICOLON
        );
        assert_eq!(Delimiter::detect(b"phone\t1\t2"), Delimiter::TAB);
        assert_eq!(
            Delimiter::detect(b"\"a,b,c\";1;2\n"),
            Delimiter::SEMICOLON,
            "commas inside quotes do not count"
        );
        assert_eq!(Delimiter::detect(b"phone\n"), Delimiter::COMMA);
        assert_eq!(
            Delimiter::detect(b"a,b;c\n"),
            Delimiter::COMMA,
            "a tie is a comma"
        );
    }

    #[test]
    fn a_delimiter_is_one_character_or_tab() {
        assert_eq!(parse_delimiter(";"), Ok(Delimiter::SEMICOLON));
        assert_eq!(parse_delimiter("tab"), Ok(Delimiter::TAB));
        assert_eq!(parse_delimiter("\\t"), Ok(Delimiter::TAB));
        assert_eq!(parse_delimiter("|"), Ok(Delimiter(b'|')));
        for bad in ["", ";;", "a", "\"", "é"] {
            assert!(
                parse_delimiter(bad)
                    .unwrap_err()
                    .contains("is not a delimiter"),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_semicolon_csv_is_detected_and_said_so() {
        let (_dir, mut csv) = open(b"phone;1;2\n+919811111114;Asha;BK-1\n", None);
        assert_eq!(csv.headers, ["phone", "1", "2"]);
        assert_eq!(csv.separated(), "semicolon-separated, detected");
        assert_eq!(rows(&mut csv), ["2: +919811111114|Asha|BK-1"]);
        assert_eq!(csv.delimiter_hint(), None);
    }

    #[test]
    fn a_one_column_header_that_another_delimiter_splits_gets_a_hint() {
        let (_dir, csv) = open(b"phone;1;2\n", Some(Delimiter::COMMA));
        assert_eq!(csv.separated(), "comma-separated, --delimiter");
        let hint = csv.delimiter_hint().unwrap();
        assert!(hint.contains("`phone;1;2`"), "{hint}");
        assert!(hint.ends_with("give --delimiter ';'"), "{hint}");
    }

    #[test]
    fn bad_rows_are_rows_of_their_own_with_their_line() {
        let mut text = b"phone,1\n+91,ok\n+91,Jos\xe9\n+91\n+91,a\0b\n\"+91\nx\",quoted\n".to_vec();
        text.extend_from_slice(b"+91,last\n");
        let (_dir, mut csv) = open(&text, None);
        assert_eq!(
            rows(&mut csv),
            [
                "2: +91|ok",
                "3: field 2 is not valid UTF-8; save the file as UTF-8",
                "4: has 1 fields, the header has 2",
                "5: field 2 has a NUL byte, which text never has; if the file is UTF-16 (\"Unicode text\"), save it as UTF-8",
                "6: +91\nx|quoted",
                "8: +91|last",
            ]
        );
    }

    #[test]
    fn a_character_split_between_two_fields_is_not_utf8() {
        // `ह` is E0 A4 B9: its last byte alone in the second field.
        let (_dir, mut csv) = open(b"a,b\n\xe0\xa4,\xb9\nok,\xe0\xa4\xb9\n", None);
        assert_eq!(
            rows(&mut csv),
            [
                "2: field 1 is not valid UTF-8; save the file as UTF-8",
                "3: ok|ह"
            ]
        );
    }

    #[test]
    fn a_row_longer_than_the_bound_is_refused_and_the_next_is_read() {
        let mut text = b"phone,1\n+91,".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_ROW_BYTES * 3));
        text.extend_from_slice(b"\n+91,");
        text.extend(std::iter::repeat_n(b',', MAX_FIELDS + 1));
        text.extend_from_slice(b"\n+91,after\n");
        let (_dir, mut csv) = open(&text, None);
        let rows = rows(&mut csv);
        assert_eq!(
            rows.len(),
            3,
            "{:?}",
            rows.iter().map(|row| row.len()).collect::<Vec<_>>()
        );
        assert!(
            rows[0].starts_with("2: is longer than 1 MiB"),
            "{}",
            rows[0]
        );
        assert!(
            rows[1].starts_with("3: is longer than 1 MiB"),
            "{}",
            rows[1]
        );
        assert_eq!(rows[2], "4: +91|after");
        assert!(csv.fields.len() <= MAX_ROW_BYTES && csv.ends.len() <= MAX_FIELDS);
    }

    #[test]
    fn an_empty_file_or_header_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("june.csv");
        for text in ["", "\n", " , \n"] {
            std::fs::write(&path, text).unwrap();
            let refused = CsvFile::open(&path, None).err().unwrap();
            assert!(refused.message.contains("is empty"), "{text:?}: {refused}");
        }
    }
}
