//! Which CSV column fills which value of the template's message.

use std::collections::BTreeMap;
use std::fmt;

use kaleyra_definitions::{ButtonParameter, TemplateDefinition};

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
    /// The slot a column or `--map` target named `name` fills, if any;
    /// case does not matter (`Phone` is `phone`), as exports differ.
    pub fn parse(name: &str) -> Option<Slot> {
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
        match name.parse() {
            Ok(0) | Err(_) => None,
            Ok(position) => Some(Slot::Param(position)),
        }
    }
}

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
            match Slot::parse(target) {
                Some(slot) => {
                    explicit.insert(column.as_str(), slot);
                }
                None => problems.push(format!(
                    "--map {column}={target}: `{target}` is not a value of a message; use `to`, `1`, `2`.., `header` or `button0`.."
                )),
            }
        }
        let mut slots: BTreeMap<Slot, usize> = BTreeMap::new();
        let mut ignored = Vec::new();
        for (index, header) in headers.iter().enumerate() {
            let Some(slot) = explicit
                .get(header.as_str())
                .copied()
                .or_else(|| Slot::parse(header))
            else {
                ignored.push(header.clone());
                continue;
            };
            if let Some(problem) = slot_problem(slot, definition) {
                problems.push(format!("column `{header}` fills `{slot}`, but {problem}"));
                continue;
            }
            if let Some(earlier) = slots.insert(slot, index) {
                problems.push(format!(
                    "columns `{}` and `{header}` both fill `{slot}`; map one elsewhere with --map",
                    headers[earlier]
                ));
            }
        }
        for slot in required_slots(definition) {
            if !slots.contains_key(&slot) {
                let hint = match slot {
                    Slot::Recipient => "a column `phone` or `to`".to_owned(),
                    other => format!("a column `{other}`"),
                };
                problems.push(format!(
                    "no column fills `{slot}`, which template `{}` needs: add {hint}, or name the column with --map COLUMN={slot}",
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
    /// campaign's fingerprint.
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
    {
        slots.push(Slot::Header);
    }
    slots.extend(
        definition
            .buttons
            .iter()
            .filter(|button| button.parameter().is_some_and(ButtonParameter::is_required))
            .map(|button| Slot::Button(button.index)),
    );
    slots
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
            Some(button) if button.parameter().is_none() => Some(format!(
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
