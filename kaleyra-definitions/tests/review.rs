//! Meta's review before submission (`kaleyra_definitions::review`): every
//! one of Meta's own template objects passes it, and a deliberately broken
//! template for each rule fails with that rule.

use std::path::Path;

use kaleyra_definitions::review::{RULES, Severity, review};
use serde_json::{Value, json};

fn references() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta-references");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        // The directory also holds its README and pywa's licence.
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

#[test]
fn meta_s_own_template_objects_pass_the_review_without_a_refusal() {
    let references = references();
    assert_eq!(
        references.len(),
        18,
        "the reference objects 004-013 and 031-038"
    );
    for (name, object) in references {
        let refused: Vec<String> = review(&object)
            .into_iter()
            .filter(|finding| finding.rule.severity == Severity::Refused)
            .map(|finding| {
                format!(
                    "{} at {}: {}",
                    finding.rule.id, finding.path, finding.message
                )
            })
            .collect();
        assert!(refused.is_empty(), "{name}: {refused:#?}");
    }
}

/// A template in Meta's create shape with these components.
fn object(category: &str, components: Value) -> Value {
    json!({"name": "broken", "language": "en", "category": category, "components": components})
}

/// One deliberately broken template per rule, each failing with its rule.
fn broken() -> Vec<(&'static str, Value)> {
    let body = |text: &str, examples: Value| json!({"type": "BODY", "text": text, "example": {"body_text": [examples]}});
    let good_body = body(
        "Hello {{1}}, your order has shipped today.",
        json!(["Asha"]),
    );
    vec![
        (
            "placeholder-at-edge",
            object(
                "UTILITY",
                json!([body(
                    "{{1}}, your order has shipped today.",
                    json!(["Asha"])
                )]),
            ),
        ),
        (
            "adjacent-placeholders",
            object(
                "UTILITY",
                json!([body(
                    "Hello {{1}} {{2}}, your order has shipped today and arrives soon.",
                    json!(["Asha", "Rao"])
                )]),
            ),
        ),
        (
            "missing-example",
            object(
                "UTILITY",
                json!([{"type": "BODY", "text": "Hello {{1}}, your order has shipped today."}]),
            ),
        ),
        (
            "missing-media-sample",
            object(
                "UTILITY",
                json!([{"type": "HEADER", "format": "IMAGE"}, good_body.clone()]),
            ),
        ),
        (
            "line-break",
            object(
                "UTILITY",
                json!([{"type": "HEADER", "format": "TEXT", "text": "Your\norder"}, good_body.clone()]),
            ),
        ),
        (
            "header-formatting",
            object(
                "UTILITY",
                json!([{"type": "HEADER", "format": "TEXT", "text": "*Your order*"}, good_body.clone()]),
            ),
        ),
        (
            "too-many-placeholders",
            object(
                "UTILITY",
                json!([body(
                    "Hi {{1}}, see {{2}} {{3}} now.",
                    json!(["a", "b", "c"])
                )]),
            ),
        ),
        (
            "category-fit",
            object(
                "UTILITY",
                json!([body(
                    "Hello {{1}}, a discount on your next order today.",
                    json!(["Asha"])
                )]),
            ),
        ),
        (
            "button-grouping",
            object(
                "MARKETING",
                json!([good_body.clone(), {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Yes"},
                    {"type": "URL", "text": "Shop", "url": "https://shop.example.com"},
                    {"type": "QUICK_REPLY", "text": "No"}
                ]}]),
            ),
        ),
        (
            "authentication-fixed-parts",
            object(
                "AUTHENTICATION",
                json!([
                    {"type": "HEADER", "format": "TEXT", "text": "Your code"},
                    {"type": "BODY", "add_security_recommendation": true},
                    {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "COPY_CODE"},
                        {"type": "QUICK_REPLY", "text": "Not me"}]}
                ]),
            ),
        ),
    ]
}

#[test]
fn a_broken_template_for_each_rule_fails_with_that_rule() {
    let cases = broken();
    let covered: Vec<&str> = cases.iter().map(|(rule, _)| *rule).collect();
    let every: Vec<&str> = RULES.iter().map(|rule| rule.id).collect();
    assert_eq!(
        covered, every,
        "one broken template per rule, in RULES' order"
    );
    for (rule, object) in cases {
        let found: Vec<&str> = review(&object)
            .iter()
            .map(|finding| finding.rule.id)
            .collect();
        assert!(found.contains(&rule), "{rule}: found {found:?}");
    }
}

#[test]
fn a_carousel_card_is_reviewed_like_a_template() {
    let card = |handle: Value| {
        json!({"components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": handle}},
            {"type": "BODY", "text": "Linen kurta, now {{1}}"},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "More"}]}
        ]})
    };
    let carousel = object(
        "MARKETING",
        json!([
            {"type": "BODY", "text": "New in for spring, {{1}}: swipe to see.", "example": {"body_text": [["Asha"]]}},
            {"type": "CAROUSEL", "cards": [card(json!(["4::a"])), card(json!([]))]}
        ]),
    );
    let found: Vec<(&str, String)> = review(&carousel)
        .into_iter()
        .map(|finding| (finding.rule.id, finding.path))
        .collect();
    assert!(
        found.contains(&(
            "missing-media-sample",
            "components[1].cards[1].components[0].example.header_handle".to_owned()
        )),
        "{found:#?}"
    );
    assert!(
        found.contains(&(
            "missing-example",
            "components[1].cards[0].components[1].example.body_text".to_owned()
        )),
        "{found:#?}"
    );
}

#[test]
fn named_placeholders_take_their_examples_by_name() {
    let named = object(
        "UTILITY",
        json!([{"type": "BODY", "text": "Hi {{customer_name}}, order {{order_id}} ships today.",
        "example": {"body_text_named_params": [
            {"param_name": "customer_name", "example": "Asha"},
            {"param_name": "order_id", "example": "4711"}
        ]}}]),
    );
    let found: Vec<&str> = review(&named)
        .iter()
        .map(|finding| finding.rule.id)
        .collect();
    assert!(!found.contains(&"missing-example"), "{found:?}");
}
