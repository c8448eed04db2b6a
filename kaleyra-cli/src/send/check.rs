//! Checking each row: the message it makes, exactly as `client.prepare`
//! would send it, its number in E.164, and whether an earlier row has that
//! number. Each row gets a [`Verdict`]; rows are not kept, so memory stays
//! flat whatever the CSV's size.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use kaleyra_definitions::TemplateDefinition;
use kaleyra_runtime::{Client, PreparedRequest};

use super::source::Row;
use crate::columns::Columns;
use crate::recipient::Numbers;
use crate::row::RowValues;

/// How many bad rows are listed one by one; the rest are counted.
pub const LISTED_PROBLEMS: usize = 100;

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

/// How each row becomes a message.
pub struct RowMessages<'a> {
    /// The definition.
    pub definition: &'a TemplateDefinition,
    /// The language sent.
    pub language: &'a str,
    /// The campaign's id, the first part of each row's `ref`.
    pub campaign_id: &'a str,
    /// How each row's number is read.
    pub numbers: Numbers,
}

/// The `ref` of the row at `line` of campaign `campaign_id`, which status
/// callbacks name the row by.
pub fn reference(campaign_id: &str, line: u64) -> String {
    format!("{campaign_id}:{line}")
}

/// What the check made of one row.
#[derive(Debug)]
pub enum Verdict {
    /// A row that makes a valid message to `recipient`, in E.164.
    Valid {
        /// Its line.
        line: u64,
        /// The number sent.
        recipient: String,
        /// Its values, with the number as written when it is sent in another form.
        values: RowValues,
    },
    /// A valid row whose number an earlier row has (unless `--allow-duplicates`).
    Repeat {
        /// Its line.
        line: u64,
        /// The number, in E.164.
        recipient: String,
        /// Why it is not sent: the earlier line.
        reason: String,
        /// Its values, with the number as written.
        values: RowValues,
    },
    /// A row that makes no valid message.
    Invalid {
        /// Its line.
        line: u64,
        /// Its values, if the row could be read at all.
        values: Option<RowValues>,
        /// Why.
        reason: String,
    },
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

impl Checked {
    fn problem(&mut self, line: u64, reason: &str) {
        self.invalid += 1;
        if self.problems.len() < LISTED_PROBLEMS {
            self.problems.push((line, reason.to_owned()));
        }
    }
}

/// Checks rows one after the other, counting what it finds.
pub struct Checker<'a> {
    columns: &'a Columns<'a>,
    messages: RowMessages<'a>,
    client: &'a Client,
    repeats: Repeats,
    /// The first line of each number sent to; numbers are E.164 by now, so
    /// `098111 11114` and `+91 98111 11114` are one customer.
    first_line: HashMap<String, u64>,
    checked: Checked,
}

impl<'a> Checker<'a> {
    /// A check of rows read through `columns` into `messages`, prepared
    /// by `client`, with repeated numbers handled as `repeats` says.
    pub fn new(
        columns: &'a Columns<'a>,
        messages: RowMessages<'a>,
        client: &'a Client,
        repeats: Repeats,
    ) -> Checker<'a> {
        Checker {
            columns,
            messages,
            client,
            repeats,
            first_line: HashMap::new(),
            checked: Checked::default(),
        }
    }

    /// The verdict on `row`, counted.
    pub fn check(&mut self, row: Row<'_>) -> Verdict {
        let (line, record) = match row {
            Row::Unreadable { line, reason } => {
                self.checked.problem(line, &reason);
                return Verdict::Invalid {
                    line,
                    values: None,
                    reason,
                };
            }
            Row::Record { line, record } => (line, record),
        };
        let RowMessages {
            definition,
            language,
            campaign_id,
            numbers,
        } = &self.messages;
        let (written, mut values) = RowValues::read(record, self.columns, definition);
        let prepared = numbers.read(&written).and_then(|number| {
            let message = values.message(definition, language, reference(campaign_id, line))?;
            self.client
                .prepare(&message, number.as_str())
                .map(|request| (number, request))
                .map_err(|error| error.to_string())
        });
        let (number, request) = match prepared {
            Ok(prepared) => prepared,
            Err(reason) => {
                self.checked.problem(line, &reason);
                values.phone_as_written = Some(written);
                return Verdict::Invalid {
                    line,
                    values: Some(values),
                    reason,
                };
            }
        };
        let recipient = number.as_str().to_owned();
        let earlier = match self.first_line.entry(recipient.clone()) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(vacant) => {
                vacant.insert(line);
                None
            }
        };
        if let Some(earlier) = earlier.filter(|_| self.repeats != Repeats::Send) {
            self.checked.repeated += 1;
            if self.checked.repeats.len() < LISTED_PROBLEMS {
                self.checked
                    .repeats
                    .push((line, recipient.clone(), earlier));
            }
            values.phone_as_written = Some(written);
            let reason = match self.repeats {
                Repeats::SkipLater => {
                    format!("{recipient} is also on line {earlier}, which is sent (--dedupe)")
                }
                _ => format!("{recipient} is also on line {earlier}"),
            };
            return Verdict::Repeat {
                line,
                recipient,
                reason,
                values,
            };
        }
        self.checked.valid += 1;
        if self.checked.first.is_none() {
            self.checked.first = Some(request);
        }
        // Sent in another form than written: the journal keeps both.
        if recipient != written {
            self.checked.rewritten += 1;
            if self.checked.first_rewritten.is_none() {
                self.checked.first_rewritten = Some((line, written.clone(), recipient.clone()));
            }
            values.phone_as_written = Some(written);
        }
        Verdict::Valid {
            line,
            recipient,
            values,
        }
    }

    /// What every row checked so far came to.
    pub fn finish(self) -> Checked {
        self.checked
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use kaleyra_runtime::Region;

    use super::*;

    fn definition() -> TemplateDefinition {
        let json = r#"{"name":"ticket","language":"en","status":"APPROVED","category":"UTILITY","parameter_format":"POSITIONAL","components":[{"type":"BODY","text":"Hi {{1}}"}]}"#;
        TemplateDefinition::from_slice(json.as_bytes(), Path::new("ticket.en.json")).unwrap()
    }

    fn client() -> Client {
        Client::builder()
            .sid("HXAP1")
            .api_key("key")
            .from("+912025550100")
            .build()
            .unwrap()
    }

    /// The verdicts on `rows` of `phone,1` (the header is line 1).
    fn check(rows: &[&str], repeats: Repeats) -> (Vec<Verdict>, Checked) {
        let definition = definition();
        let headers = ["phone".to_owned(), "1".to_owned()];
        let columns = Columns::resolve(&headers, &definition, &[]).unwrap();
        let client = client();
        let messages = RowMessages {
            definition: &definition,
            language: "en",
            campaign_id: "c1",
            numbers: Numbers::new(Some(Region::IN), Some(client.from_number())),
        };
        let mut checker = Checker::new(&columns, messages, &client, repeats);
        let verdicts = rows
            .iter()
            .enumerate()
            .map(|(index, row)| {
                let record = csv::StringRecord::from(row.split(',').collect::<Vec<_>>());
                checker.check(Row::Record {
                    line: index as u64 + 2,
                    record: &record,
                })
            })
            .collect();
        (verdicts, checker.finish())
    }

    #[test]
    fn a_number_two_rows_give_is_a_repeat_naming_the_first_line() {
        let (verdicts, checked) = check(
            &[
                "+919811111114,Asha",
                "098111 11114,Ravi",
                "+919811111115,Jo",
            ],
            Repeats::Refuse,
        );
        assert!(matches!(verdicts[0], Verdict::Valid { line: 2, .. }));
        match &verdicts[1] {
            Verdict::Repeat {
                line,
                recipient,
                reason,
                values,
            } => {
                assert_eq!((*line, recipient.as_str()), (3, "+919811111114"));
                assert_eq!(reason, "+919811111114 is also on line 2");
                assert_eq!(values.phone_as_written.as_deref(), Some("098111 11114"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!((checked.valid, checked.repeated), (2, 1));
        assert_eq!(checked.repeats, [(3, "+919811111114".to_owned(), 2)]);
    }

    #[test]
    fn with_allow_duplicates_a_repeat_is_valid() {
        let (verdicts, checked) =
            check(&["+919811111114,Asha", "+919811111114,Ravi"], Repeats::Send);
        assert!(matches!(verdicts[1], Verdict::Valid { line: 3, .. }));
        assert_eq!((checked.valid, checked.repeated), (2, 0));
    }

    #[test]
    fn a_number_sent_in_another_form_keeps_the_one_written() {
        let (verdicts, checked) = check(&["98111 11114,Asha"], Repeats::Refuse);
        match &verdicts[0] {
            Verdict::Valid {
                recipient, values, ..
            } => {
                assert_eq!(recipient, "+919811111114");
                assert_eq!(values.phone_as_written.as_deref(), Some("98111 11114"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(checked.rewritten, 1);
        assert_eq!(
            checked.first_rewritten,
            Some((2, "98111 11114".to_owned(), "+919811111114".to_owned()))
        );
        assert!(checked.first.is_some(), "the first request is kept");
    }

    #[test]
    fn a_bad_row_is_invalid_with_its_line_and_why() {
        let (verdicts, checked) = check(&["+919811111114,Asha", "12345,Ravi"], Repeats::Refuse);
        match &verdicts[1] {
            Verdict::Invalid { line, reason, .. } => {
                assert_eq!(*line, 3);
                assert!(reason.starts_with("invalid to"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!((checked.valid, checked.invalid), (1, 1));
        assert_eq!(checked.problems[0].0, 3);
    }

    #[test]
    fn a_row_the_csv_could_not_read_is_invalid_with_no_values() {
        let definition = definition();
        let headers = ["phone".to_owned(), "1".to_owned()];
        let columns = Columns::resolve(&headers, &definition, &[]).unwrap();
        let client = client();
        let messages = RowMessages {
            definition: &definition,
            language: "en",
            campaign_id: "c1",
            numbers: Numbers::new(None, None),
        };
        let mut checker = Checker::new(&columns, messages, &client, Repeats::Refuse);
        let verdict = checker.check(Row::Unreadable {
            line: 9,
            reason: "has 1 fields, the header has 2".to_owned(),
        });
        assert!(matches!(
            verdict,
            Verdict::Invalid { line: 9, values: None, ref reason } if reason == "has 1 fields, the header has 2"
        ));
        let checked = checker.finish();
        assert_eq!(checked.invalid, 1);
        assert_eq!(
            checked.problems,
            [(9, "has 1 fields, the header has 2".to_owned())]
        );
    }
}
