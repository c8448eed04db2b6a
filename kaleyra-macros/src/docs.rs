//! The rustdoc written for each derived struct: the template as the customer
//! sees it, with each placeholder named after the field that fills it.

use kaleyra_definitions::{ButtonParameter, HeaderType, TemplateDefinition, placeholder};

use crate::check::Plan;

/// Markdown describing the template and which field fills what.
pub(crate) fn render(definition: &TemplateDefinition, shown: &str, plan: &Plan<'_>) -> String {
    let mut doc = String::new();
    let what = if definition.kind.is_approved_template() {
        "the approved WhatsApp template"
    } else {
        "the interactive WhatsApp message"
    };
    doc.push_str(&format!(
        "Sends {what} `{}`, defined in `{shown}`.\n\n",
        definition.name
    ));
    doc.push_str("| | |\n|---|---|\n");
    doc.push_str(&format!("| name | `{}` |\n", definition.name));
    doc.push_str(&format!("| kind | `{}` |\n", definition.kind));
    if let Some(language) = &definition.language {
        doc.push_str(&format!("| language | `{}` |\n", cell(language)));
    }
    if let Some(category) = definition.category {
        doc.push_str(&format!("| category | `{}` |\n", category.as_str()));
    }
    doc.push_str(&format!("| definition | `{}` |\n\n", cell(shown)));

    if let Some(header) = &definition.header {
        let field = plan.header.map(|(field, _)| field.ident.to_string());
        match (header.kind, header.text.as_deref(), field) {
            (HeaderType::Text, Some(text), Some(field)) => doc.push_str(&format!(
                "**Header** (text):\n\n```text\n{}\n```\n\n",
                placeholder::fill(text, &[format!("{{{{{field}}}}}")])
            )),
            (HeaderType::Text, Some(text), None) => {
                doc.push_str(&format!("**Header** (text):\n\n```text\n{text}\n```\n\n"))
            }
            (kind, _, field) => doc.push_str(&format!(
                "**Header** ({}): the media URL in field `{}`.\n\n",
                kind.as_str(),
                field.unwrap_or_default()
            )),
        }
    }

    let names: Vec<String> = plan
        .body
        .iter()
        .map(|field| format!("{{{{{}}}}}", field.ident))
        .collect();
    match &definition.body {
        Some(body) => doc.push_str(&format!(
            "**Body**:\n\n```text\n{}\n```\n\n",
            placeholder::fill(body, &names)
        )),
        None if names.is_empty() => {
            doc.push_str("**Body**: the approved text, with no values.\n\n")
        }
        None => {
            let listed: Vec<String> = plan
                .body
                .iter()
                .enumerate()
                .map(|(i, field)| format!("`{{{{{}}}}}` from field `{}`", i + 1, field.ident))
                .collect();
            doc.push_str(&format!(
                "**Body**: the approved text, with {}.\n\n",
                listed.join(", ")
            ));
        }
    }

    if let Some(footer) = &definition.footer {
        doc.push_str(&format!("**Footer**:\n\n```text\n{footer}\n```\n\n"));
    }

    if !definition.buttons.is_empty() {
        doc.push_str("**Buttons**:\n\n| index | type | text | URL or number | value from field |\n|---|---|---|---|---|\n");
        let mut buttons: Vec<_> = definition.buttons.iter().collect();
        buttons.sort_by_key(|button| button.index);
        for button in buttons {
            let field = plan
                .buttons
                .iter()
                .find(|(_, index, _)| *index == button.index);
            let value = match field {
                Some((field, _, ButtonParameter::UrlSuffix)) => {
                    format!("`{}` (URL suffix)", field.ident)
                }
                Some((field, _, ButtonParameter::Payload)) => {
                    format!("`{}` (payload)", field.ident)
                }
                None => String::new(),
            };
            let target = match (&button.url, &button.phone_number, field) {
                (Some(url), _, Some((field, _, ButtonParameter::UrlSuffix))) => {
                    format!(
                        "`{}`",
                        cell(&placeholder::fill(
                            url,
                            &[format!("{{{{{}}}}}", field.ident)]
                        ))
                    )
                }
                (Some(url), _, _) => format!("`{}`", cell(url)),
                (None, Some(number), _) => format!("`{}`", cell(number)),
                (None, None, _) => button
                    .id
                    .as_deref()
                    .map(|id| format!("id `{}`", cell(id)))
                    .unwrap_or_default(),
            };
            doc.push_str(&format!(
                "| {} | `{}` | {} | {} | {} |\n",
                button.index,
                button.button_type().as_str(),
                cell(button.label().unwrap_or_default()),
                target,
                value
            ));
        }
        doc.push('\n');
    }
    doc
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
