//! Phase two: the struct's fields against the template's definition. Every
//! mismatch is reported, each at the struct (for what is missing or counted)
//! or at the field (for what is wrong with it).

use std::collections::HashMap;

use kaleyra_definitions::{Button, ButtonParameter, HeaderType, TemplateDefinition};

use crate::attr::{Container, Field, Role};
use crate::ctxt::Ctxt;
use crate::locate::Located;

/// Which field fills what, once the struct matches its definition.
pub(crate) struct Plan<'a> {
    /// The body fields, in placeholder order.
    pub(crate) body: Vec<&'a Field<'a>>,
    /// The header field and the header it fills.
    pub(crate) header: Option<(&'a Field<'a>, HeaderType)>,
    /// The button fields with their index and what they give, by index.
    pub(crate) buttons: Vec<(&'a Field<'a>, u8, ButtonParameter)>,
}

pub(crate) fn check<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
) -> Plan<'a> {
    let definition = &located.definition;
    let about = Describe { located };
    let mut plan = Plan {
        body: Vec::new(),
        header: None,
        buttons: Vec::new(),
    };
    let mut button_fields: HashMap<u8, &Field<'_>> = HashMap::new();

    for field in &container.fields {
        match &field.role {
            Role::Invalid => {}
            Role::Body => plan.body.push(field),
            Role::Header => {
                if plan.header.is_some() {
                    cx.error_spanned_by(
                        field.ident,
                        "a second `#[kaleyra(header)]` field; the header takes one value",
                    );
                    continue;
                }
                match definition.header.as_ref().filter(|header| header.takes_value()) {
                    Some(header) => plan.header = Some((field, header.kind)),
                    None => cx.error_spanned_by(
                        field.ident,
                        format!("{} has no header that takes a value ({}); remove `#[kaleyra(header)]` and this field", about.template(), about.header()),
                    ),
                }
            }
            Role::Button { index, literal } => {
                let Some(button) = definition.button(*index) else {
                    cx.error_spanned_by(
                        field.ident,
                        format!(
                            "{} has no button {index}; {}",
                            about.template(),
                            about.buttons()
                        ),
                    );
                    continue;
                };
                let Some(parameter) = button.parameter() else {
                    cx.error_spanned_by(
                        field.ident,
                        format!(
                            "button {index} of {} is {}, which takes no value; remove this field",
                            about.template(),
                            describe_button(button)
                        ),
                    );
                    continue;
                };
                if button_fields.insert(*index, field).is_some() {
                    cx.error_spanned_by(
                        literal,
                        format!("a second field for button {index}; each button takes one value"),
                    );
                    continue;
                }
                plan.buttons.push((field, *index, parameter));
            }
        }
    }
    plan.buttons.sort_by_key(|(_, index, _)| *index);

    // With a field whose role is unknown, what looks missing may be that field.
    if container
        .fields
        .iter()
        .any(|field| matches!(field.role, Role::Invalid))
    {
        return plan;
    }

    let ident = &container.input.ident;
    let expected = definition.param_count();
    let found = plan.body.len();
    if found != expected {
        let names: Vec<String> = plan
            .body
            .iter()
            .map(|field| format!("`{}`", field.ident))
            .collect();
        let listed = if names.is_empty() {
            String::new()
        } else {
            format!(" ({})", names.join(", "))
        };
        let fix = if found < expected {
            let missing: Vec<String> = (found + 1..=expected)
                .map(|n| format!("{{{{{n}}}}}"))
                .collect();
            format!(
                "add a field for {}; body fields fill the placeholders in the order they are declared",
                missing.join(", ")
            )
        } else {
            "remove the extra fields, or mark header and button fields with #[kaleyra(header)] or #[kaleyra(button = N)]".to_owned()
        };
        cx.error_spanned_by(
            ident,
            format!(
                "{} takes {expected} body value{} but `{ident}` has {found} body field{}{listed}: {fix}",
                about.template(),
                plural(expected),
                plural(found),
            ),
        );
    }

    if let Some(header) = definition
        .header
        .as_ref()
        .filter(|header| header.takes_value())
        && plan.header.is_none()
    {
        let ty = if header.kind.is_media() {
            "kaleyra_runtime::MediaUrl"
        } else {
            "String"
        };
        cx.error_spanned_by(
            ident,
            format!(
                "{} has {}, which each message fills: add a field `#[kaleyra(header)] header: {ty}`",
                about.template(),
                about.header()
            ),
        );
    }

    for button in &definition.buttons {
        if button.parameter().is_some_and(ButtonParameter::is_required)
            && !button_fields.contains_key(&button.index)
        {
            cx.error_spanned_by(
                ident,
                format!(
                    "button {} of {} is {}, whose suffix each message fills: add a field `#[kaleyra(button = {})] url_suffix: String`",
                    button.index,
                    about.template(),
                    describe_button(button),
                    button.index
                ),
            );
        }
    }
    plan
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Phrases that describe the template in messages.
struct Describe<'a> {
    located: &'a Located,
}

impl Describe<'_> {
    fn definition(&self) -> &TemplateDefinition {
        &self.located.definition
    }

    /// "template `imt_dynamic` (templates/imt_dynamic.json)".
    fn template(&self) -> String {
        format!(
            "template `{}` ({})",
            self.definition().name,
            self.located.shown
        )
    }

    fn header(&self) -> String {
        match &self.definition().header {
            None => "it has no header".to_owned(),
            Some(header) => match (header.kind, header.text.as_deref()) {
                (HeaderType::Text, Some(text)) if header.takes_value() => {
                    format!("a text header with a placeholder, \"{text}\"")
                }
                (HeaderType::Text, Some(text)) => {
                    format!("its header is the fixed text \"{text}\"")
                }
                (kind, _) => format!(
                    "a{} {} header",
                    if kind == HeaderType::Image { "n" } else { "" },
                    kind.as_str()
                ),
            },
        }
    }

    fn buttons(&self) -> String {
        let buttons = &self.definition().buttons;
        if buttons.is_empty() {
            return "it has no buttons".to_owned();
        }
        let listed: Vec<String> = buttons
            .iter()
            .map(|button| format!("{} ({})", button.index, describe_button(button)))
            .collect();
        format!("its buttons are {}", listed.join(", "))
    }
}

/// "a quick_reply button \"Confirm\"", "a url button with a fixed URL".
fn describe_button(button: &Button) -> String {
    let kind = button.button_type().as_str();
    let label = button
        .label()
        .map(|label| format!(" \"{label}\""))
        .unwrap_or_default();
    let extra = match button.url.as_deref() {
        Some(url) if button.has_dynamic_url() => format!(" with a dynamic URL ({url})"),
        Some(url) => format!(" with a fixed URL ({url})"),
        None => String::new(),
    };
    format!("a {kind} button{label}{extra}")
}
