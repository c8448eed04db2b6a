//! Which CSV column fills which value of the template's message.

use std::collections::BTreeMap;

use kaleyra_definitions::values::{NoSlot, Slot};
use kaleyra_definitions::{ParameterFormat, TemplateDefinition, did_you_mean};

/// What a column fills: the recipient, or a value of the template's
/// message, named by the rule book's [`Slot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column<'d> {
    /// The recipient's number (`phone` or `to`).
    Recipient,
    /// A value of the message: a body value, the header's, a button's, or
    /// an authentication template's code.
    Value(Slot<'d>),
}

impl<'d> Column<'d> {
    /// What a column or `--map` target named `name` fills in a message of
    /// `definition`: `None` if no column is called that (the column is
    /// ignored), an error if it names a value the template does not have
    /// (`button5`, `3` for a two-value body). Case does not matter (`Phone`
    /// is `phone`), as exports differ. Body values are named as the template
    /// names them: `1`, `2`.. for numbered placeholders, the placeholder's
    /// name for named ones, `code` for an authentication template's code.
    pub fn parse(
        name: &str,
        definition: &'d TemplateDefinition,
    ) -> Option<Result<Column<'d>, NoSlot>> {
        let name = name.trim().to_ascii_lowercase();
        let name = name.as_str();
        let slot = match name {
            "phone" | "to" => return Some(Ok(Column::Recipient)),
            "header" => definition.header_slot(),
            _ if name.starts_with("button") => {
                definition.button_slot(name["button".len()..].parse().ok()?)
            }
            _ if definition.authentication().is_some() => {
                return (name == AUTHENTICATION_CODE)
                    .then(|| definition.body_slot(0).map(Column::Value));
            }
            _ if definition.parameter_format == ParameterFormat::Named => {
                let position = definition
                    .body_parameter_names()
                    .iter()
                    .position(|parameter| *parameter == name)?;
                definition.body_slot(position)
            }
            _ => match name.parse::<usize>() {
                Ok(0) | Err(_) => return None,
                Ok(number) => definition.body_slot(number - 1),
            },
        };
        Some(slot.map(Column::Value))
    }

    /// The column's name, as a CSV's header would write it: `to`, `1`,
    /// `order_id`, `code`, `header`, `button0`.
    pub fn label(self) -> String {
        match self {
            Column::Value(Slot::Body {
                name: Some(name), ..
            }) => name.to_owned(),
            Column::Value(Slot::Code) => AUTHENTICATION_CODE.to_owned(),
            column => column.numbered(),
        }
    }

    /// The column's name with body values numbered whatever the template
    /// calls them (an authentication code is `1`): what the campaign's
    /// fingerprint records, so it does not depend on the labels.
    fn numbered(self) -> String {
        match self {
            Column::Recipient => "to".to_owned(),
            Column::Value(Slot::Body { position, .. }) => (position + 1).to_string(),
            Column::Value(Slot::Code) => "1".to_owned(),
            Column::Value(Slot::Header) => "header".to_owned(),
            Column::Value(Slot::Button { index, .. }) => format!("button{index}"),
            // No column fills the other slots (see `Column::parse`).
            Column::Value(slot) => slot.to_string(),
        }
    }

    /// Where the fingerprint lists the column: the recipient, the body in
    /// order, the header, the buttons in order.
    fn order(self) -> (u8, usize) {
        match self {
            Column::Recipient => (0, 0),
            Column::Value(Slot::Body { position, .. }) => (1, position),
            Column::Value(Slot::Code) => (1, 0),
            Column::Value(Slot::Header) => (2, 0),
            Column::Value(Slot::Button { index, .. }) => (3, usize::from(index)),
            Column::Value(_) => (4, 0),
        }
    }
}

/// The column that holds an authentication template's one-time code.
const AUTHENTICATION_CODE: &str = "code";

/// The columns each value of the message comes from.
#[derive(Debug, Clone)]
pub struct Columns<'d> {
    /// What each column read fills, with its index, in fingerprint order.
    filled: Vec<(Column<'d>, usize)>,
    /// The header's names, for descriptions.
    names: Vec<String>,
    /// Columns nothing reads, by name.
    pub ignored: Vec<String>,
}

impl<'d> Columns<'d> {
    /// Maps `headers` to the values `definition` takes, with the `--map
    /// column=value` overrides. Errors list every problem found.
    pub fn resolve(
        headers: &[String],
        definition: &'d TemplateDefinition,
        overrides: &[(String, String)],
    ) -> Result<Columns<'d>, Vec<String>> {
        let mut problems = Vec::new();
        let mut explicit = BTreeMap::new();
        for (column, target) in overrides {
            if !headers.iter().any(|header| header == column) {
                problems.push(format!(
                    "--map names column `{column}`, which the CSV does not have; its columns are {}",
                    list(headers)
                ));
            }
            match Column::parse(target, definition) {
                Some(Ok(filled)) => {
                    explicit.insert(column.as_str(), Some(filled));
                }
                Some(Err(problem)) => {
                    problems.push(format!("--map {column}={target}: {problem}"));
                    // Refused, and not read by its own name either.
                    explicit.insert(column.as_str(), None);
                }
                None => problems.push(format!(
                    "--map {column}={target}: `{target}` is not a value of template `{}`; use `to`, {}, `header` or `button0`..",
                    definition.name,
                    body_column_names(definition)
                )),
            }
        }
        let mut filled: Vec<(Column<'d>, usize)> = Vec::new();
        let mut ignored = Vec::new();
        for (index, header) in headers.iter().enumerate() {
            let column = match explicit.get(header.as_str()) {
                Some(Some(column)) => *column,
                Some(None) => continue,
                None => match Column::parse(header, definition) {
                    Some(Ok(column)) => column,
                    Some(Err(problem)) => {
                        problems.push(format!("column `{header}`: {problem}"));
                        continue;
                    }
                    None => {
                        ignored.push(header.clone());
                        continue;
                    }
                },
            };
            if let Some((_, earlier)) = filled.iter().find(|(other, _)| *other == column) {
                problems.push(format!(
                    "columns `{}` and `{header}` both fill `{}`; map one elsewhere with --map",
                    headers[*earlier],
                    column.label()
                ));
                continue;
            }
            filled.push((column, index));
        }
        let missing = required_columns(definition)
            .into_iter()
            .filter(|column| !filled.iter().any(|(other, _)| other == column))
            .collect::<Vec<_>>();
        if !missing.is_empty() {
            problems.push(missing_columns(&missing, headers, &ignored, definition));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        filled.sort_by_key(|(column, _)| column.order());
        Ok(Columns {
            filled,
            names: headers.to_vec(),
            ignored,
        })
    }

    /// The index of the column that fills `column`, if one does.
    pub fn index(&self, column: Column<'_>) -> Option<usize> {
        self.filled
            .iter()
            .find(|(filled, _)| *filled == column)
            .map(|(_, index)| *index)
    }

    /// Which value each column fills, such as `to=phone,1=name`: part of the
    /// campaign's fingerprint. Body values are numbered here whatever the
    /// template calls them, so the fingerprint does not depend on the labels.
    pub fn describe(&self) -> String {
        self.filled
            .iter()
            .map(|(column, index)| format!("{}={}", column.numbered(), self.names[*index]))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// How many of the header's names a problem lists; the rest are counted.
const LISTED_HEADERS: usize = 20;

/// One problem for every column a message needs and no column fills: what
/// is missing, the header's names, and a did-you-mean from the columns
/// nothing reads.
fn missing_columns(
    missing: &[Column<'_>],
    headers: &[String],
    ignored: &[String],
    definition: &TemplateDefinition,
) -> String {
    let labels = missing
        .iter()
        .map(|column| column.label())
        .collect::<Vec<_>>();
    let mut problem = match (missing, labels.as_slice()) {
        ([column], [label]) => {
            let hint = match column {
                Column::Recipient => "a column `phone` or `to`".to_owned(),
                Column::Value(_) => format!("a column `{label}`"),
            };
            format!(
                "no column fills `{label}`, which template `{}` needs: add {hint}, or name the column with --map COLUMN={label}",
                definition.name
            )
        }
        _ => format!(
            "no column fills {}, which template `{}` needs: add columns of those names, or name them with --map COLUMN=VALUE",
            or_list(&labels),
            definition.name
        ),
    };
    let shown = headers.len().min(LISTED_HEADERS);
    let more = match headers.len() - shown {
        0 => String::new(),
        unlisted => format!(" and {unlisted} more"),
    };
    problem.push_str(&format!(
        "; the CSV's header has {} column(s): {}{more}",
        headers.len(),
        list(&headers[..shown])
    ));
    for (column, label) in missing.iter().zip(&labels) {
        let names = match column {
            Column::Recipient => vec!["phone", "to"],
            Column::Value(_) => vec![label.as_str()],
        };
        let lowercase = ignored
            .iter()
            .map(|header| header.to_ascii_lowercase())
            .collect::<Vec<_>>();
        let suggestion = names.iter().find_map(|name| {
            let found = *did_you_mean(name, lowercase.iter().map(String::as_str)).first()?;
            lowercase
                .iter()
                .position(|header| header == found)
                .map(|index| &ignored[index])
        });
        if let Some(header) = suggestion {
            problem.push_str(&format!(
                "; for `{label}`, did you mean `{header}`? (--map {header}={label})"
            ));
        }
    }
    problem
}

/// `a`, `b` or `c`, quoted.
fn or_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!("{} or `{last}`", list(init)),
    }
}

/// Every column a message of `definition` needs.
fn required_columns(definition: &TemplateDefinition) -> Vec<Column<'_>> {
    let mut columns = vec![Column::Recipient];
    columns.extend(
        (0..definition.param_count())
            .filter_map(|position| definition.body_slot(position).ok())
            .map(Column::Value),
    );
    if header_shares_a_body_column(definition).is_none() {
        columns.extend(definition.header_slot().ok().map(Column::Value));
    }
    columns.extend(
        definition
            .buttons
            .iter()
            .filter_map(|button| definition.button_slot(usize::from(button.index)).ok())
            .filter(|slot| matches!(slot, Slot::Button { takes, .. } if takes.is_required()))
            .map(Column::Value),
    );
    columns
}

/// For a named header placeholder that the body also has (`Order
/// {{order_id}}` above `.. order {{order_id}} ..`): the body column that
/// fills the header too, unless a `header` column is given.
pub fn header_shares_a_body_column(definition: &TemplateDefinition) -> Option<Column<'_>> {
    let name = definition.header_parameter_name()?;
    let position = definition
        .body_parameter_names()
        .iter()
        .position(|parameter| *parameter == name)?;
    definition.body_slot(position).ok().map(Column::Value)
}

/// How the body's values are named in columns, for a hint.
fn body_column_names(definition: &TemplateDefinition) -> String {
    if definition.authentication().is_some() {
        return format!("`{AUTHENTICATION_CODE}`");
    }
    match definition.parameter_format {
        ParameterFormat::Named => list(
            &definition
                .body_parameter_names()
                .iter()
                .map(|name| (*name).to_owned())
                .collect::<Vec<_>>(),
        ),
        ParameterFormat::Positional => "`1`, `2`..".to_owned(),
    }
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn definition(category: &str, format: &str, components: &str) -> TemplateDefinition {
        let json = format!(
            r#"{{"name":"ticket","language":"en","status":"APPROVED","category":"{category}","parameter_format":"{format}","components":{components}}}"#
        );
        TemplateDefinition::from_slice(json.as_bytes(), Path::new("ticket.en.json")).unwrap()
    }

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    const TICKET: &str = r#"[{"type":"HEADER","format":"IMAGE"},
        {"type":"BODY","text":"Hi {{1}}, seat {{2}}"},
        {"type":"BUTTONS","buttons":[
            {"type":"PHONE_NUMBER","text":"Call","phone_number":"+15550000000"},
            {"type":"URL","text":"Open","url":"https://example.com/t/{{1}}"}]}]"#;

    #[test]
    fn the_fingerprint_lists_columns_in_message_order_whatever_the_header_order() {
        let ticket = definition("UTILITY", "POSITIONAL", TICKET);
        let columns = Columns::resolve(
            &headers(&["button1", "2", "image", "Phone", "1", "note"]),
            &ticket,
            &[("image".to_owned(), "header".to_owned())],
        )
        .unwrap();
        assert_eq!(
            columns.describe(),
            "to=Phone,1=1,2=2,header=image,button1=button1"
        );
        assert_eq!(columns.ignored, ["note"]);
        assert_eq!(columns.index(Column::Recipient), Some(3));
    }

    #[test]
    fn named_and_code_columns_are_numbered_in_the_fingerprint() {
        let named = definition(
            "UTILITY",
            "NAMED",
            r#"[{"type":"BODY","text":"Hi {{name}}, order {{order_id}}"}]"#,
        );
        let columns = Columns::resolve(&headers(&["to", "order_id", "name"]), &named, &[]).unwrap();
        assert_eq!(columns.describe(), "to=to,1=name,2=order_id");
        let otp = definition(
            "AUTHENTICATION",
            "POSITIONAL",
            r#"[{"type":"BODY","text":"*{{1}}* is your code."},
                {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy"}]}]"#,
        );
        let columns = Columns::resolve(&headers(&["phone", "code"]), &otp, &[]).unwrap();
        assert_eq!(columns.describe(), "to=phone,1=code");
    }

    #[test]
    fn every_misnamed_or_missing_column_is_reported_at_once() {
        let ticket = definition("UTILITY", "POSITIONAL", TICKET);
        let problems = Columns::resolve(
            &headers(&["to", "1", "3", "button0", "button7"]),
            &ticket,
            &[("1".to_owned(), "header".to_owned())],
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                "column `3`: template `ticket` has 2 body parameter(s)",
                "column `button0`: button 0 takes no value",
                "column `button7`: template `ticket` has no button 7",
                "no column fills `1`, `2` or `button1`, which template `ticket` needs: add columns of those names, or name them with --map COLUMN=VALUE; \
                 the CSV's header has 5 column(s): `to`, `1`, `3`, `button0`, `button7`",
            ]
        );
    }

    #[test]
    fn a_map_to_a_value_the_template_lacks_names_the_map() {
        let ticket = definition("UTILITY", "POSITIONAL", TICKET);
        let problems = Columns::resolve(
            &headers(&["to", "1", "2", "img", "link"]),
            &ticket,
            &[
                ("img".to_owned(), "button0".to_owned()),
                ("link".to_owned(), "button1".to_owned()),
            ],
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                "--map img=button0: button 0 takes no value",
                "no column fills `header`, which template `ticket` needs: add a column `header`, or name the column with --map COLUMN=header; \
                 the CSV's header has 5 column(s): `to`, `1`, `2`, `img`, `link`",
            ]
        );
    }

    #[test]
    fn missing_columns_are_one_problem_with_the_headers_and_a_did_you_mean() {
        let ticket = definition("UTILITY", "POSITIONAL", TICKET);
        let problems = Columns::resolve(
            &headers(&["Phon", "1", "2", "Header", "buton1"]),
            &ticket,
            &[],
        )
        .unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let problem = &problems[0];
        assert!(
            problem.starts_with("no column fills `to` or `button1`, which template `ticket` needs"),
            "{problem}"
        );
        assert!(
            problem.contains("5 column(s): `Phon`, `1`, `2`, `Header`, `buton1`"),
            "{problem}"
        );
        assert!(
            problem.contains("for `to`, did you mean `Phon`? (--map Phon=to)"),
            "{problem}"
        );
        assert!(
            problem.contains("for `button1`, did you mean `buton1`? (--map buton1=button1)"),
            "{problem}"
        );
    }
}
