//! Which CSV column fills which value of the template's message.

use std::collections::BTreeMap;
use std::fmt;

use kaleyra_definitions::{ButtonParameter, ParameterFormat, TemplateDefinition};

/// A value of the message a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    /// The recipient's number (`phone` or `to`).
    Recipient,
    /// The body placeholder `{{n}}`, from 1.
    Param(usize),
    /// The header's value: its text placeholder or media URL.
    Header,
    /// The value of the button at this index.
    Button(u8),
}

impl Slot {
    /// The slot a column or `--map` target named `name` fills in a message of
    /// `definition`, if any; case does not matter (`Phone` is `phone`), as
    /// exports differ. Body values are named as the template names them:
    /// `1`, `2`.. for numbered placeholders, the placeholder's name for named
    /// ones, `code` for an authentication template's code.
    pub fn parse(name: &str, definition: &TemplateDefinition) -> Option<Slot> {
        let name = name.trim().to_ascii_lowercase();
        let name = name.as_str();
        match name {
            "phone" | "to" => return Some(Slot::Recipient),
            "header" => return Some(Slot::Header),
            _ => {}
        }
        if let Some(index) = name.strip_prefix("button") {
            return index.parse().ok().map(Slot::Button);
        }
        if definition.authentication().is_some() {
            return (name == AUTHENTICATION_CODE).then_some(Slot::Param(1));
        }
        if definition.parameter_format == ParameterFormat::Named {
            return definition
                .body_parameter_names()
                .iter()
                .position(|parameter| *parameter == name)
                .map(|position| Slot::Param(position + 1));
        }
        match name.parse() {
            Ok(0) | Err(_) => None,
            Ok(position) => Some(Slot::Param(position)),
        }
    }

    /// The slot's name in a message of `definition`, as a column would name it.
    pub fn label(self, definition: &TemplateDefinition) -> String {
        match self {
            Slot::Param(_) if definition.authentication().is_some() => {
                AUTHENTICATION_CODE.to_owned()
            }
            Slot::Param(position) if definition.parameter_format == ParameterFormat::Named => {
                definition
                    .body_parameter_names()
                    .get(position - 1)
                    .map_or_else(|| self.to_string(), |name| (*name).to_owned())
            }
            _ => self.to_string(),
        }
    }
}

/// The column that holds an authentication template's one-time code.
const AUTHENTICATION_CODE: &str = "code";

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Slot::Recipient => f.write_str("to"),
            Slot::Param(position) => write!(f, "{position}"),
            Slot::Header => f.write_str("header"),
            Slot::Button(index) => write!(f, "button{index}"),
        }
    }
}

/// The columns each value of the message comes from.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Column index by slot.
    slots: BTreeMap<Slot, usize>,
    /// The header's names, for descriptions.
    names: Vec<String>,
    /// Columns no slot reads, by name.
    pub ignored: Vec<String>,
}

impl Columns {
    /// Maps `headers` to the slots `definition` has, with the `--map
    /// column=slot` overrides. Errors list every problem found.
    pub fn resolve(
        headers: &[String],
        definition: &TemplateDefinition,
        overrides: &[(String, String)],
    ) -> Result<Columns, Vec<String>> {
        let mut problems = Vec::new();
        let mut explicit = BTreeMap::new();
        for (column, target) in overrides {
            if !headers.iter().any(|header| header == column) {
                problems.push(format!(
                    "--map names column `{column}`, which the CSV does not have; its columns are {}",
                    list(headers)
                ));
            }
            match Slot::parse(target, definition) {
                Some(slot) => {
                    explicit.insert(column.as_str(), slot);
                }
                None => problems.push(format!(
                    "--map {column}={target}: `{target}` is not a value of template `{}`; use `to`, {}, `header` or `button0`..",
                    definition.name,
                    body_slot_names(definition)
                )),
            }
        }
        let mut slots: BTreeMap<Slot, usize> = BTreeMap::new();
        let mut ignored = Vec::new();
        for (index, header) in headers.iter().enumerate() {
            let Some(slot) = explicit
                .get(header.as_str())
                .copied()
                .or_else(|| Slot::parse(header, definition))
            else {
                ignored.push(header.clone());
                continue;
            };
            let label = slot.label(definition);
            if let Some(problem) = slot_problem(slot, definition) {
                problems.push(format!("column `{header}` fills `{label}`, but {problem}"));
                continue;
            }
            if let Some(earlier) = slots.insert(slot, index) {
                problems.push(format!(
                    "columns `{}` and `{header}` both fill `{label}`; map one elsewhere with --map",
                    headers[earlier]
                ));
            }
        }
        for slot in required_slots(definition) {
            if !slots.contains_key(&slot) {
                let label = slot.label(definition);
                let hint = match slot {
                    Slot::Recipient => "a column `phone` or `to`".to_owned(),
                    _ => format!("a column `{label}`"),
                };
                problems.push(format!(
                    "no column fills `{label}`, which template `{}` needs: add {hint}, or name the column with --map COLUMN={label}",
                    definition.name
                ));
            }
        }
        if problems.is_empty() {
            Ok(Columns {
                slots,
                names: headers.to_vec(),
                ignored,
            })
        } else {
            Err(problems)
        }
    }

    /// The column filling `slot`, if any.
    pub fn column(&self, slot: Slot) -> Option<usize> {
        self.slots.get(&slot).copied()
    }

    /// Which slot each column fills, such as `to=phone,1=name`: part of the
    /// campaign's fingerprint. Slots are numbered here whatever the template
    /// calls them, so the fingerprint does not depend on the labels.
    pub fn describe(&self) -> String {
        self.slots
            .iter()
            .map(|(slot, index)| format!("{slot}={}", self.names[*index]))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Every slot a message of `definition` must fill.
fn required_slots(definition: &TemplateDefinition) -> Vec<Slot> {
    let mut slots = vec![Slot::Recipient];
    slots.extend((1..=definition.param_count()).map(Slot::Param));
    if definition
        .header
        .as_ref()
        .is_some_and(|header| header.takes_value())
        && header_shares_a_body_column(definition).is_none()
    {
        slots.push(Slot::Header);
    }
    slots.extend(
        definition
            .buttons
            .iter()
            .filter(|button| {
                definition
                    .button_parameter(button.index)
                    .is_some_and(ButtonParameter::is_required)
            })
            .map(|button| Slot::Button(button.index)),
    );
    slots
}

/// For a named header placeholder that the body also has (`Order
/// {{order_id}}` above `.. order {{order_id}} ..`): the body slot whose column
/// fills the header too, unless a `header` column is given.
pub fn header_shares_a_body_column(definition: &TemplateDefinition) -> Option<Slot> {
    let name = definition.header_parameter_name()?;
    definition
        .body_parameter_names()
        .iter()
        .position(|parameter| *parameter == name)
        .map(|position| Slot::Param(position + 1))
}

/// How the body's values are named in columns, for a hint.
fn body_slot_names(definition: &TemplateDefinition) -> String {
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

/// Why `definition` has no such slot, if it has none.
fn slot_problem(slot: Slot, definition: &TemplateDefinition) -> Option<String> {
    match slot {
        Slot::Recipient => None,
        Slot::Param(position) if position > definition.param_count() => Some(format!(
            "template `{}` has {} body parameter(s)",
            definition.name,
            definition.param_count()
        )),
        Slot::Param(_) => None,
        Slot::Header
            if !definition
                .header
                .as_ref()
                .is_some_and(|header| header.takes_value()) =>
        {
            Some(format!(
                "template `{}` has no header that takes a value",
                definition.name
            ))
        }
        Slot::Header => None,
        Slot::Button(index) => match definition.button(index) {
            None => Some(format!(
                "template `{}` has no button {index}",
                definition.name
            )),
            Some(_) if definition.button_parameter(index).is_none() => Some(format!(
                "button {index} of template `{}` takes no value",
                definition.name
            )),
            Some(_) => None,
        },
    }
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
