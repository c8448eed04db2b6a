//! Catalog, multi-product and single-product templates read from Meta's
//! objects (Meta's reference objects 007, 008, 010 and 034, saved as an
//! account lists them, with `"status": "APPROVED"`), and the objects
//! WhatsApp would not approve.

use std::path::{Path, PathBuf};

use kaleyra_definitions::{
    ButtonParameter, ButtonType, HeaderType, TemplateDefinition, TemplateKind,
};
use serde_json::{Value, json};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn read(path: &str) -> TemplateDefinition {
    TemplateDefinition::from_file(&fixture(path)).unwrap_or_else(|error| panic!("{error}"))
}

fn problem(components: Value) -> String {
    let object = json!({
        "name": "t", "language": "en", "status": "APPROVED", "category": "MARKETING",
        "components": components,
    });
    match TemplateDefinition::from_slice(
        object.to_string().as_bytes(),
        Path::new("templates/t.en.json"),
    ) {
        Ok(_) => panic!("expected a problem"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_single_product_template_has_a_product_header_and_an_spm_button() {
    let definition = read("products/abandoned_cart_offer.en_US.json");
    assert!(
        definition.unsupported.is_empty(),
        "{:?}",
        definition.unsupported
    );
    assert_eq!(definition.kind, TemplateKind::MediaTemplate);
    let header = definition.header.as_ref().unwrap();
    assert_eq!(header.kind, HeaderType::Product);
    assert!(header.takes_value());
    assert!(!header.kind.is_media());
    let button = definition.button(0).unwrap();
    assert_eq!(button.button_type(), ButtonType::SingleProduct);
    assert_eq!(button.label(), Some("View"));
    // The button shows the header's product: it takes no value of its own.
    assert_eq!(definition.button_parameter(0), None);
    assert_eq!(definition.param_count(), 2);
}

#[test]
fn a_catalog_template_takes_its_thumbnail_product_at_the_catalog_button() {
    let definition = read("products/intro_catalog_offer.en_US.json");
    assert!(definition.unsupported.is_empty());
    assert!(definition.header.is_none());
    assert_eq!(
        definition.button(0).unwrap().button_type(),
        ButtonType::Catalog
    );
    let takes = definition.button_parameter(0).unwrap();
    assert_eq!(takes, ButtonParameter::ProductThumbnail);
    assert!(takes.is_required());
    assert_eq!(definition.param_count(), 3);
}

#[test]
fn multi_product_templates_take_their_products_at_the_mpm_button() {
    for path in [
        "products/abandoned_cart.en_US.json",
        "products_openapi/abandoned_cart.en_US.json",
    ] {
        let definition = read(path);
        assert!(definition.unsupported.is_empty(), "{path}");
        assert_eq!(definition.header.as_ref().unwrap().kind, HeaderType::Text);
        assert!(definition.header.as_ref().unwrap().takes_value(), "{path}");
        assert_eq!(
            definition.button(0).unwrap().button_type(),
            ButtonType::MultiProduct
        );
        assert_eq!(
            definition.button_parameter(0),
            Some(ButtonParameter::ProductSections),
            "{path}"
        );
        assert_eq!(definition.param_count(), 1);
    }
}

#[test]
fn a_product_header_without_an_spm_button_is_refused_at_the_header() {
    let error = problem(json!([
        {"type": "HEADER", "format": "PRODUCT"},
        {"type": "BODY", "text": "Hi"},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Yes"}]}
    ]));
    assert!(error.contains("components[0].format"), "{error}");
    assert!(error.contains("needs an `spm` button"), "{error}");
}

#[test]
fn an_spm_button_without_a_product_header_is_refused_at_the_button() {
    let error = problem(json!([
        {"type": "BODY", "text": "Hi"},
        {"type": "BUTTONS", "buttons": [{"type": "SPM", "text": "View"}]}
    ]));
    assert!(error.contains("components[1].buttons[0].type"), "{error}");
    assert!(error.contains("no such header"), "{error}");
}

#[test]
fn two_product_buttons_are_refused_at_the_second() {
    let error = problem(json!([
        {"type": "BODY", "text": "Hi"},
        {"type": "BUTTONS", "buttons": [
            {"type": "MPM", "text": "View items"},
            {"type": "CATALOG", "text": "View catalog"}
        ]}
    ]));
    assert!(error.contains("components[1].buttons[1].type"), "{error}");
    assert!(error.contains("at most one"), "{error}");
}

#[test]
fn a_multi_product_template_with_a_media_header_is_refused() {
    let error = problem(json!([
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BODY", "text": "Hi"},
        {"type": "BUTTONS", "buttons": [{"type": "MPM", "text": "View items"}]}
    ]));
    assert!(error.contains("components[0].format"), "{error}");
    assert!(error.contains("header is text"), "{error}");
}

#[test]
fn drift_names_a_product_button_that_changed_kind() {
    use kaleyra_definitions::{DriftKind, TemplateSet, diff};
    let local = read("products/abandoned_cart.en_US.json");
    let text = std::fs::read_to_string(fixture("products/abandoned_cart.en_US.json"))
        .unwrap()
        .replace("\"MPM\"", "\"CATALOG\"");
    let account =
        TemplateDefinition::from_slice(text.as_bytes(), Path::new("abandoned_cart.en_US.json"))
            .unwrap();
    let drifts = diff(
        &TemplateSet::from_definitions([local]),
        &TemplateSet::from_definitions([account]),
    );
    let [drift] = drifts.as_slice() else {
        panic!("{drifts:?}")
    };
    let DriftKind::ButtonsDiffer { local, account } = &drift.kind else {
        panic!("{drift}")
    };
    assert!(local.contains("mpm (products)"), "{local}");
    assert!(account.contains("catalog (thumbnail product)"), "{account}");
}
