//! The definition parser and validator on hostile input: arbitrary bytes,
//! JSON built from the model's own keys, and random edits of a valid file.
//! They never panic, every error names the file, and whatever is accepted
//! survives a round trip.
//!
//! `PROPTEST_CASES=100000 cargo test -p kaleyra-definitions --test hostile_input`
//! runs a longer campaign.

use std::path::Path;

use kaleyra_definitions::{DefinitionFormat, PageError, TemplateDefinition, TemplatePage};
use kaleyra_test_support::strategies::{json_leaf, json_tree};
use proptest::prelude::*;
use serde_json::{Map, Value};

const FILE: &str = "templates/fuzzed.json";

/// Parses, and checks what every outcome must satisfy.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    match TemplateDefinition::from_slice(bytes, Path::new(FILE)) {
        Err(error) => {
            let message = error.to_string();
            for line in message.lines() {
                prop_assert!(
                    line.starts_with(FILE),
                    "a problem without the file name: {line}"
                );
            }
            prop_assert!(!error.problems().is_empty());
        }
        // A Meta object is read, not written back; what it holds that cannot
        // be sent is recorded with its place in the object.
        Ok(definition) if definition.format == DefinitionFormat::Meta => {
            for part in &definition.unsupported {
                prop_assert!(part.path.starts_with("components["), "{}", part);
            }
        }
        Ok(definition) => {
            let written = serde_json::to_vec(&definition).unwrap();
            let again = TemplateDefinition::from_slice(&written, Path::new(FILE));
            prop_assert_eq!(
                again.as_ref().ok(),
                Some(&definition),
                "an accepted definition round-trips"
            );
        }
    }
    Ok(())
}

const KEYS: &[&str] = &[
    "name",
    "kind",
    "language",
    "category",
    "header",
    "body",
    "params",
    "footer",
    "buttons",
    "type",
    "text",
    "example",
    "index",
    "url",
    "phone_number",
    "id",
    "title",
    "$schema",
    "nmae",
    "",
];
const WORDS: &[&str] = &[
    "fuzzed",
    "template",
    "mediatemplate",
    "reply",
    "cta_url",
    "text",
    "image",
    "document",
    "video",
    "quick_reply",
    "url",
    "phone_number",
    "UTILITY",
    "en",
    "en_US",
    "Hi {{1}}",
    "{{1}} {{2}}",
    "{{0}}",
    "{{x}}",
    "https://example.com/{{1}}",
    "https://x.test/a.pdf",
    "+14155550100",
    "",
    " ",
    "é",
];

fn json_value() -> impl Strategy<Value = Value> {
    json_tree(KEYS, json_leaf(WORDS))
}

/// A top-level object with the model's keys, most of them well typed.
fn definition_like() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(KEYS), json_value()), 0..12).prop_map(|pairs| {
        let mut object: Map<String, Value> =
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        object
            .entry("name")
            .or_insert_with(|| Value::String("fuzzed".into()));
        Value::Object(object)
    })
}

/// Keys and values of Meta's template objects, with some that are wrong.
const META_KEYS: &[&str] = &[
    "type",
    "format",
    "text",
    "buttons",
    "url",
    "phone_number",
    "otp_type",
    "example",
    "cards",
    "code_expiration_minutes",
    "company_id",
];
const META_WORDS: &[&str] = &[
    "HEADER",
    "BODY",
    "FOOTER",
    "BUTTONS",
    "CAROUSEL",
    "LIMITED_TIME_OFFER",
    "TEXT",
    "IMAGE",
    "LOCATION",
    "QUICK_REPLY",
    "URL",
    "PHONE_NUMBER",
    "COPY_CODE",
    "OTP",
    "FLOW",
    "ONE_TAP",
    "Hi {{1}}",
    "Hi {{customer_name}}",
    "https://example.com/{{1}}",
    "+14155550100",
    "",
];

fn meta_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        (0u64..20).prop_map(Value::from),
        prop::sample::select(META_WORDS).prop_map(|word| Value::String(word.to_owned())),
    ];
    json_tree(META_KEYS, leaf)
}

/// A Meta template object whose components are built from Meta's keys and values.
fn meta_like() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(meta_value(), 0..6),
        prop::sample::select(&["APPROVED", "PAUSED", "whatever", ""][..]),
        prop::sample::select(&["POSITIONAL", "NAMED", "named", "other"][..]),
    )
        .prop_map(|(components, status, format)| {
            serde_json::json!({
                "name": "fuzzed",
                "language": "en",
                "status": status,
                "parameter_format": format,
                "components": components,
            })
        })
}

const VALID: &str = r#"{
  "name": "fuzzed",
  "kind": "mediatemplate",
  "language": "en",
  "header": { "type": "document", "example": "https://example.com/t.pdf" },
  "body": "Hi {{1}} {{2}}, your ticket is attached.",
  "params": 2,
  "footer": "Reply STOP to opt out",
  "buttons": [
    { "index": 0, "type": "quick_reply", "text": "Confirm" },
    { "index": 1, "type": "url", "text": "Login", "url": "https://example.com/login/{{1}}" }
  ]
}"#;

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, u8),
    Delete(usize),
    Replace(usize, u8),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Insert(at, byte)),
        any::<usize>().prop_map(Edit::Delete),
        (
            any::<usize>(),
            prop::sample::select(b"{}[]\":,0129 \\\n\xff\xef".to_vec())
        )
            .prop_map(|(at, byte)| Edit::Replace(at, byte)),
    ];
    prop::collection::vec(edit, 1..6)
}

fn apply(edits: &[Edit]) -> Vec<u8> {
    let mut bytes = VALID.as_bytes().to_vec();
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            Edit::Insert(at, byte) => bytes.insert(at % (len + 1).min(bytes.len() + 1), byte),
            Edit::Delete(at) if !bytes.is_empty() => {
                bytes.remove(at % len);
            }
            Edit::Replace(at, byte) if !bytes.is_empty() => bytes[at % len] = byte,
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(4096))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        check(&bytes)?;
    }

    #[test]
    fn json_built_from_the_model_s_keys_never_panics(value in definition_like()) {
        check(value.to_string().as_bytes())?;
    }

    #[test]
    fn meta_objects_built_from_meta_s_keys_never_panic(value in meta_like()) {
        check(value.to_string().as_bytes())?;
    }

    #[test]
    fn edits_of_a_valid_definition_never_panic(edits in edits()) {
        check(&apply(&edits))?;
    }
}

#[test]
fn the_unedited_definition_is_valid() {
    TemplateDefinition::from_slice(VALID.as_bytes(), Path::new(FILE)).unwrap();
}

/// Reads a page of the account's list holding `elements`, and checks that
/// every element is kept as sent, and every unreadable one is named.
fn check_page(elements: &[Value], paging: Value) -> Result<(), TestCaseError> {
    let body = serde_json::json!({"code": "WA200", "message": "ok", "data": elements, "paging": paging, "error": {}});
    let bytes = serde_json::to_vec(&body).unwrap();
    let page = match TemplatePage::parse(&bytes) {
        Ok(page) => page,
        // Only `paging` of the wrong shape refuses the whole page.
        Err(error) => {
            prop_assert!(matches!(error, PageError::Malformed(_)), "{error}");
            return Ok(());
        }
    };
    prop_assert_eq!(page.templates.len(), elements.len());
    for (index, (listed, sent)) in page.templates.iter().zip(elements).enumerate() {
        // Byte for byte: the body was written compactly, so each element's
        // text is the element written alone.
        prop_assert_eq!(listed.raw_json(), serde_json::to_string(sent).unwrap());
        if let Err(error) = listed.definition() {
            let named = match (listed.name(), listed.language()) {
                (Some(name), Some(language)) => format!("{name}.{language}.json"),
                _ => format!("data[{index}]"),
            };
            for line in error.to_string().lines() {
                prop_assert!(
                    line.starts_with(&named) || line.starts_with(&format!("data[{index}]")),
                    "{line} does not name {named}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(256))]

    #[test]
    fn a_list_page_of_hostile_elements_never_panics_and_keeps_each_element(
        elements in prop::collection::vec(prop_oneof![meta_like(), meta_value(), json_value()], 0..6),
        paging in prop_oneof![Just(Value::Null), meta_value(), json_value()],
    ) {
        check_page(&elements, paging)?;
    }
}
