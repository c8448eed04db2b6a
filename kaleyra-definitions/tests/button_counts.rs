//! Button counts per API: Meta's objects hold up to ten buttons with caps per
//! type, as WhatsApp approves them; this project's own format keeps to
//! Kaleyra v1's three. Each error names whose limit it is.

use std::path::Path;

use kaleyra_definitions::{ButtonType, TemplateDefinition, TemplateKind};
use serde_json::{Value, json};

fn meta(buttons: Value) -> Result<TemplateDefinition, String> {
    let object = json!({
        "name": "t", "language": "en", "status": "APPROVED", "category": "MARKETING",
        "components": [
            {"type": "BODY", "text": "Hi"},
            {"type": "BUTTONS", "buttons": buttons}
        ]
    });
    TemplateDefinition::from_slice(object.to_string().as_bytes(), Path::new("t.en.json"))
        .map_err(|error| error.to_string())
}

fn quick_replies(count: usize) -> Vec<Value> {
    (0..count)
        .map(|n| json!({"type": "QUICK_REPLY", "text": format!("Option {n}")}))
        .collect()
}

fn url(n: usize) -> Value {
    json!({"type": "URL", "text": format!("Link {n}"), "url": format!("https://example.com/{n}")})
}

#[test]
fn a_five_button_object_reads_with_every_index() {
    let mut buttons = quick_replies(3);
    buttons.push(url(0));
    buttons.push(json!({"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+14155550100"}));
    let definition = meta(json!(buttons)).unwrap();
    assert_eq!(definition.kind, TemplateKind::MediaTemplate);
    assert_eq!(definition.buttons.len(), 5);
    assert_eq!(definition.buttons[4].index, 4);
    assert_eq!(definition.buttons[4].button_type(), ButtonType::PhoneNumber);
    // Ten quick replies are within Meta's limits.
    assert_eq!(meta(json!(quick_replies(10))).unwrap().buttons[9].index, 9);
}

#[test]
fn more_than_ten_buttons_names_metas_limit() {
    let error = meta(json!(quick_replies(11))).unwrap_err();
    assert!(
        error.contains(
            "`components[1].buttons`: has 11 buttons; a WhatsApp template has at most 10"
        ),
        "{error}"
    );
}

#[test]
fn per_type_caps_name_the_first_button_past_its_cap() {
    let error = meta(json!([url(0), url(1), url(2)])).unwrap_err();
    assert!(
        error.contains("`components[1].buttons[2]`: is `url` button number 3; WhatsApp (Meta) allows at most 2 on a template"),
        "{error}"
    );
    let phone = json!({"type": "PHONE_NUMBER", "text": "Call", "phone_number": "+14155550100"});
    let error = meta(json!([phone.clone(), phone])).unwrap_err();
    assert!(
        error.contains("`components[1].buttons[1]`: is `phone_number` button number 2; WhatsApp (Meta) allows at most 1"),
        "{error}"
    );
    let copy = json!({"type": "COPY_CODE", "example": "SAVE25"});
    let error = meta(json!([copy.clone(), copy])).unwrap_err();
    assert!(error.contains("is `copy_code` button number 2"), "{error}");
}

#[test]
fn this_projects_format_keeps_to_kaleyra_v1s_three() {
    let buttons: Vec<Value> = (0..4)
        .map(|n| json!({"index": n, "type": "quick_reply", "text": format!("Option {n}")}))
        .collect();
    let file = json!({"name": "t", "kind": "mediatemplate", "body": "Hi", "buttons": buttons});
    let error = TemplateDefinition::from_slice(file.to_string().as_bytes(), Path::new("t.json"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "has 4 buttons; this format keeps to Kaleyra v1's limit of 3 on a media template"
        ),
        "{error}"
    );
    assert!(
        error.contains("`buttons[3].index`: is 3; buttons take indices 0 to 2"),
        "{error}"
    );
}
