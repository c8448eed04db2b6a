//! Limited-time offers (Meta's `LIMITED_TIME_OFFER` component) and flow
//! buttons (Meta's `FLOW`), read from Meta's template objects: the model they
//! give, WhatsApp's rules for them, and the errors naming Meta's paths.

use std::path::{Path, PathBuf};

use kaleyra_definitions::{
    ButtonParameter, ButtonType, LimitedTimeOffer, TemplateDefinition, TemplateKind,
};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> TemplateDefinition {
    TemplateDefinition::from_file(&fixture(name)).unwrap_or_else(|error| panic!("{error}"))
}

/// Meta's reference object 013 with one part replaced, read as a definition.
fn offer_with(edit: impl FnOnce(&mut Value)) -> Result<TemplateDefinition, String> {
    let text = std::fs::read_to_string(fixture("limited_time_offer_caribbean_pkg_2023.en_US.json"))
        .unwrap();
    let mut object: Value = serde_json::from_str(&text).unwrap();
    edit(&mut object);
    TemplateDefinition::from_slice(
        object.to_string().as_bytes(),
        Path::new("limited_time_offer_caribbean_pkg_2023.en_US.json"),
    )
    .map_err(|error| error.to_string())
}

#[track_caller]
fn refused(result: Result<TemplateDefinition, String>, expected: &str) {
    match result {
        Ok(_) => panic!("expected a problem containing {expected:?}"),
        Err(error) => assert!(
            error.contains(expected),
            "expected {expected:?} in:\n{error}"
        ),
    }
}

#[test]
fn metas_limited_time_offer_reads_with_its_coupon_and_url_buttons() {
    let definition = read("limited_time_offer_caribbean_pkg_2023.en_US.json");
    assert!(
        definition.unsupported.is_empty(),
        "{:?}",
        definition.unsupported
    );
    assert_eq!(
        definition.limited_time_offer,
        Some(LimitedTimeOffer::new("Expiring offer!", true))
    );
    assert_eq!(definition.kind, TemplateKind::MediaTemplate);
    assert_eq!(definition.param_count(), 2);
    assert_eq!(
        definition.button_parameter(0),
        Some(ButtonParameter::CouponCode)
    );
    assert_eq!(
        definition.button_parameter(1),
        Some(ButtonParameter::UrlSuffix)
    );
}

#[test]
fn an_offer_whatsapp_would_not_approve_is_refused_naming_the_part() {
    refused(
        offer_with(|object| {
            object["components"][1]["limited_time_offer"]["text"] = json!("An offer of seventeen");
        }),
        "`components[1].limited_time_offer.text`: has 21 characters; the limit is 16",
    );
    refused(
        offer_with(|object| object["category"] = json!("UTILITY")),
        "`category`: must be `MARKETING`",
    );
    refused(
        offer_with(|object| {
            object["components"]
                .as_array_mut()
                .unwrap()
                .push(json!({"type": "FOOTER", "text": "Terms apply"}));
        }),
        "is not allowed on a template with a LIMITED_TIME_OFFER component",
    );
    refused(
        offer_with(|object| {
            object["components"][3]["buttons"]
                .as_array_mut()
                .unwrap()
                .reverse();
        }),
        "must start with a COPY_CODE button",
    );
}

#[test]
fn an_offer_without_an_expiry_needs_no_copy_code_button_first() {
    let definition = offer_with(|object| {
        object["components"][1]["limited_time_offer"]["has_expiration"] = json!(false);
        object["components"][3]["buttons"]
            .as_array_mut()
            .unwrap()
            .reverse();
    })
    .unwrap();
    assert!(!definition.limited_time_offer.unwrap().has_expiration);
}

#[test]
fn a_flow_button_takes_a_flow_token() {
    let definition = read("appointment_booking.en_US.json");
    assert!(
        definition.unsupported.is_empty(),
        "{:?}",
        definition.unsupported
    );
    let button = definition.button(0).unwrap();
    assert_eq!(button.button_type(), ButtonType::Flow);
    assert_eq!(button.label(), Some("Book now"));
    assert_eq!(
        definition.button_parameter(0),
        Some(ButtonParameter::FlowToken)
    );
    assert!(ButtonParameter::FlowToken.is_required());
    assert_eq!(definition.kind, TemplateKind::MediaTemplate);
}

#[test]
fn a_flow_button_without_its_label_is_refused_naming_it() {
    let text = std::fs::read_to_string(fixture("appointment_booking.en_US.json")).unwrap();
    let mut object: Value = serde_json::from_str(&text).unwrap();
    object["components"][3]["buttons"][0]
        .as_object_mut()
        .unwrap()
        .remove("text");
    let result = TemplateDefinition::from_slice(
        object.to_string().as_bytes(),
        Path::new("appointment_booking.en_US.json"),
    )
    .map_err(|error| error.to_string());
    refused(
        result,
        "`components[3].buttons[0].text`: is required for a `flow` button",
    );
}
