//! Meta's template objects (one element of Kaleyra v2's `message_templates`
//! `data[]`) read as definitions: the model they give, the rules they follow,
//! and the errors, which name Meta's JSON paths.

use std::path::{Path, PathBuf};

use kaleyra_definitions::{
    ButtonParameter, ButtonType, Category, DefinitionFormat, HeaderType, LookupError, OtpType,
    ParameterFormat, Sendability, TemplateDefinition, TemplateKind, TemplateSet, TemplateStatus,
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

/// A minimal Meta object with `components`, read as `<name>.<language>.json`.
fn meta(components: Value, extra: Value) -> Result<TemplateDefinition, String> {
    let mut object = json!({
        "name": "t", "language": "en", "status": "APPROVED", "category": "UTILITY",
        "components": components,
    });
    object
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    TemplateDefinition::from_slice(
        object.to_string().as_bytes(),
        Path::new("templates/t.en.json"),
    )
    .map_err(|error| error.to_string())
}

#[track_caller]
fn meta_problem(components: Value, extra: Value, expected: &str) {
    match meta(components, extra) {
        Ok(_) => panic!("expected a problem containing {expected:?}"),
        Err(error) => assert!(
            error.contains(expected),
            "expected {expected:?} in:\n{error}"
        ),
    }
}

#[test]
fn a_captured_account_object_reads_unchanged_with_unknown_fields_ignored() {
    let definition = read("order_update.en_US.json");
    assert_eq!(definition.format, DefinitionFormat::Meta);
    assert_eq!(definition.name, "order_update");
    assert_eq!(definition.language.as_deref(), Some("en_US"));
    assert_eq!(definition.status, Some(TemplateStatus::Approved));
    assert_eq!(definition.sendability(), Sendability::Sendable);
    assert_eq!(definition.category, Some(Category::Utility));
    assert_eq!(definition.template_id.as_deref(), Some("1187364019284461"));
    assert_eq!(definition.parameter_format, ParameterFormat::Positional);
    assert_eq!(definition.kind, TemplateKind::MediaTemplate);
    assert_eq!(definition.param_count(), 2);
    assert_eq!(
        definition.header.as_ref().unwrap().kind,
        HeaderType::Document
    );
    assert_eq!(definition.footer.as_deref(), Some("Reply STOP to opt out"));
    let types: Vec<ButtonType> = definition.buttons.iter().map(|b| b.button_type()).collect();
    assert_eq!(
        types,
        [
            ButtonType::Url,
            ButtonType::QuickReply,
            ButtonType::PhoneNumber
        ]
    );
    assert_eq!(
        definition.button(0).unwrap().parameter(),
        Some(ButtonParameter::UrlSuffix)
    );
    // A phone-number button is static: nothing to send.
    assert_eq!(definition.button(2).unwrap().parameter(), None);
    assert!(definition.unsupported.is_empty());
    assert!(definition.authentication().is_none());
}

#[test]
fn a_template_without_media_or_buttons_is_a_plain_template() {
    let definition = meta(json!([{"type": "BODY", "text": "Hi {{1}}"}]), json!({})).unwrap();
    assert_eq!(definition.kind, TemplateKind::Template);
    assert_eq!(definition.param_count(), 1);
}

#[test]
fn named_parameters_are_listed_in_order_of_first_appearance() {
    let definition = read("delivery_named.en.json");
    assert_eq!(definition.parameter_format, ParameterFormat::Named);
    assert_eq!(
        definition.body_parameter_names(),
        ["customer_name", "order_id", "delivery_date"]
    );
    assert_eq!(definition.param_count(), 3);
    assert_eq!(definition.header_parameter_name(), Some("order_id"));
    assert!(definition.header.as_ref().unwrap().takes_value());
    // The header's placeholder makes it a media template for v1's `param_header`.
    assert_eq!(definition.kind, TemplateKind::MediaTemplate);
}

#[test]
fn named_placeholders_must_be_lowercase_names_and_examples_are_optional() {
    meta_problem(
        json!([{"type": "BODY", "text": "Hi {{Customer}}"}]),
        json!({"parameter_format": "NAMED"}),
        "`components[0].text`: `{{Customer}}` is not a named placeholder",
    );
    let definition = meta(
        json!([{"type": "BODY", "text": "Hi {{customer_name}}"}]),
        json!({"parameter_format": "named"}),
    )
    .unwrap();
    assert_eq!(definition.body_parameter_names(), ["customer_name"]);
    // Positional templates still refuse names.
    meta_problem(
        json!([{"type": "BODY", "text": "Hi {{customer_name}}"}]),
        json!({}),
        "`components[0].text`: `{{customer_name}}` is not a placeholder",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "Hi"}]),
        json!({"parameter_format": "SOMETIMES"}),
        "`parameter_format`: `SOMETIMES` is not a parameter format",
    );
}

#[test]
fn an_authentication_template_takes_one_code() {
    let definition = read("login_code.en.json");
    let authentication = definition.authentication().unwrap();
    assert_eq!(authentication.button_index, 0);
    assert_eq!(authentication.otp_type, Some(OtpType::CopyCode));
    assert_eq!(authentication.code_expiration_minutes, Some(10));
    assert_eq!(definition.param_count(), 1);
    assert!(definition.button(0).unwrap().takes_code());
    assert!(definition.coupon_buttons().is_empty());
    assert_eq!(kaleyra_definitions::limits::AUTHENTICATION_CODE, 15);

    meta_problem(
        json!([
            {"type": "BODY", "text": "{{1}} and {{2}}"},
            {"type": "BUTTONS", "buttons": [{"type": "OTP", "otp_type": "ONE_TAP"}]}
        ]),
        json!({"category": "AUTHENTICATION"}),
        "`components[0].text`: has 2 placeholders; an authentication template's body has exactly one, the code",
    );
}

#[test]
fn a_copy_code_button_on_a_marketing_template_takes_a_coupon() {
    let definition = read("festive_coupon.en.json");
    assert!(definition.authentication().is_none());
    let coupons = definition.coupon_buttons();
    assert_eq!(coupons.len(), 1);
    assert_eq!(coupons[0].index, 0);
    assert_eq!(coupons[0].parameter(), None);
    assert!(coupons[0].takes_code());
    // The URL button has a fixed URL.
    assert_eq!(definition.button(1).unwrap().parameter(), None);
}

#[test]
fn components_and_buttons_that_cannot_be_sent_are_recorded_with_their_place() {
    let definition = read("call_permission.en.json");
    let unsupported: Vec<String> = definition
        .unsupported
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        unsupported,
        [
            "`components[1]`: CALL_PERMISSION_REQUEST component",
            "`components[2].buttons[1]`: VOICE_CALL button"
        ]
    );
    // The supported quick reply keeps its place.
    assert_eq!(
        definition.button(0).unwrap().button_type(),
        ButtonType::QuickReply
    );

    // A location header is read and sent (see `tests/location_headers.rs`).
    let location = read("store_visit.en.json");
    assert!(location.unsupported.is_empty());
    assert_eq!(location.header.unwrap().kind, HeaderType::Location);
}

#[test]
fn statuses_are_kept_and_classified() {
    assert_eq!(
        read("store_visit.en.json").sendability(),
        Sendability::Never
    );
    assert_eq!(
        read("delivery_named.en.json").sendability(),
        Sendability::NotNow
    );
    let unknown = meta(
        json!([{"type": "BODY", "text": "Hi"}]),
        json!({"status": "ARCHIVED_SOMEHOW"}),
    )
    .unwrap();
    assert_eq!(
        unknown.status,
        Some(TemplateStatus::Other("ARCHIVED_SOMEHOW".into()))
    );
    assert_eq!(unknown.sendability(), Sendability::Unknown);
    let mut object =
        json!({"name": "t", "language": "en", "components": [{"type": "BODY", "text": "Hi"}]});
    // Meta's create shape: neither id nor status, so not approved yet.
    let to_submit =
        TemplateDefinition::from_slice(object.to_string().as_bytes(), Path::new("t.json")).unwrap();
    assert_eq!(to_submit.status, Some(TemplateStatus::Pending));
    assert_eq!(to_submit.sendability(), Sendability::NotNow);
    let mut listed = object.clone();
    listed["id"] = json!("1187364019284461");
    let no_status =
        TemplateDefinition::from_slice(listed.to_string().as_bytes(), Path::new("t.json")).unwrap();
    assert_eq!(no_status.status, None);
    assert_eq!(no_status.sendability(), Sendability::Unknown);
    object["category"] = json!("TRANSACTIONAL");
    let legacy =
        TemplateDefinition::from_slice(object.to_string().as_bytes(), Path::new("t.json")).unwrap();
    assert_eq!(legacy.category, None);
}

#[test]
fn todays_rules_apply_and_name_metas_paths() {
    meta_problem(
        json!([
            {"type": "BODY", "text": "Hi {{1}}"},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Yes"},
                {"type": "URL", "text": "Open", "url": "https://x.example/{{1}}/path"}
            ]}
        ]),
        json!({}),
        "`components[1].buttons[1].url`: a URL takes one placeholder, `{{1}}`, at its very end",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "Hi {{1}} and {{3}}"}]),
        json!({}),
        "`components[0].text`: placeholders must run from `{{1}}` with none missing",
    );
    meta_problem(
        json!([
            {"type": "HEADER", "format": "TEXT", "text": "x".repeat(61)},
            {"type": "BODY", "text": "Hi"},
            {"type": "FOOTER", "text": "Reply {{1}}"}
        ]),
        json!({}),
        "`components[0].text`: has 61 characters; the limit is 60",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "Hi"}, {"type": "FOOTER", "text": "Reply {{1}}"}]),
        json!({}),
        "`components[1].text`: takes no placeholder",
    );
    meta_problem(
        json!([
            {"type": "BODY", "text": "Hi"},
            {"type": "BUTTONS", "buttons": [{"type": "PHONE_NUMBER", "text": "Call", "phone_number": "call us"}]}
        ]),
        json!({}),
        "`components[1].buttons[0].phone_number`: `call us` is not an E.164 number",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "Hi"}]),
        json!({"name": "Bad-Name"}),
        "`name`: `Bad-Name` is not a template name",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "Hi"}]),
        json!({"language": "english please"}),
        "`language`: `english please` is not a language code",
    );
}

#[test]
fn the_file_is_named_after_the_template_and_its_language() {
    let object =
        json!({"name": "t", "language": "hi", "components": [{"type": "BODY", "text": "Hi"}]});
    let bytes = object.to_string();
    for good in ["t.json", "t.hi.json"] {
        TemplateDefinition::from_slice(bytes.as_bytes(), Path::new(good))
            .unwrap_or_else(|error| panic!("{good}: {error}"));
    }
    let error =
        TemplateDefinition::from_slice(bytes.as_bytes(), Path::new("t.en.json")).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("is `t` but the file is `t.en.json`; a definition's file is named after its template: `t.json` or `t.hi.json`"),
        "{error}"
    );
}

#[test]
fn shape_errors_name_the_json_path() {
    meta_problem(
        json!([{"type": "BODY", "text": 42}]),
        json!({}),
        "`components[0].text`: invalid type: integer `42`, expected a string",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "Hi"}, {"type": "BUTTONS", "buttons": [{"text": "Yes"}]}]),
        json!({}),
        "`components[1].buttons[0]`: missing field `type`",
    );
    meta_problem(
        json!([{"text": "Hi"}]),
        json!({}),
        "`components[0].type`: is required",
    );
    meta_problem(
        json!([{"type": "HEADER", "format": "TEXT", "text": "A"}]),
        json!({}),
        "`components`: has no BODY component",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "A"}, {"type": "BODY", "text": "B"}]),
        json!({}),
        "`components[1]`: is a second BODY component; the first is `components[0]`",
    );
    meta_problem(
        json!([{"type": "BODY", "text": "Hi"}]),
        json!({"components": "none"}),
        "`components`: invalid type: string \"none\", expected a sequence",
    );
    let missing_language =
        TemplateDefinition::from_slice(br#"{"name":"t","components":[]}"#, Path::new("t.json"))
            .unwrap_err();
    assert!(
        missing_language
            .to_string()
            .contains("missing field `language`"),
        "{missing_language}"
    );
}

#[test]
fn hostile_objects_are_errors_not_panics() {
    let many_buttons: Vec<Value> = (0..5000)
        .map(|_| json!({"type": "QUICK_REPLY", "text": "Yes"}))
        .collect();
    meta_problem(
        json!([{"type": "BODY", "text": "Hi"}, {"type": "BUTTONS", "buttons": many_buttons}]),
        json!({}),
        "`components[1].buttons`: has 5000 buttons; a WhatsApp template has at most 10",
    );
    let deep = format!(
        "{{\"name\":\"t\",\"language\":\"en\",\"components\":[{{\"type\":\"CAROUSEL\",\"cards\":{}1{}}}]}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let error = TemplateDefinition::from_slice(deep.as_bytes(), Path::new("t.json")).unwrap_err();
    assert!(error.to_string().contains("recursion limit"), "{error}");
    let huge = format!(
        "{{\"name\":\"t\",\"language\":\"en\",\"components\":[{{\"type\":\"BODY\",\"text\":\"{}\"}}]}}",
        "a".repeat(2 * 1024 * 1024)
    );
    let error = TemplateDefinition::from_slice(huge.as_bytes(), Path::new("t.json")).unwrap_err();
    assert!(error.to_string().contains("is larger than"), "{error}");
    let truncated = br#"{"name":"t","language":"en","components":[{"type":"BODY","#;
    let error = TemplateDefinition::from_slice(truncated, Path::new("t.json")).unwrap_err();
    assert!(error.to_string().contains("is not valid JSON"), "{error}");
}

#[test]
fn a_file_with_both_kind_and_components_is_read_in_this_projects_format() {
    let error = TemplateDefinition::from_slice(
        br#"{"name":"t","kind":"template","params":0,"components":[]}"#,
        Path::new("t.json"),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("unknown key `components`"),
        "{error}"
    );
}

#[test]
fn every_language_of_a_name_is_found_and_checked_to_agree() {
    let set = TemplateSet::load_dir(&fixture("languages")).unwrap();
    assert_eq!(set.len(), 3);
    assert_eq!(set.languages_of("order_status").len(), 2);
    // With two languages, `get` does not choose one.
    assert!(set.get("order_status").is_none());
    assert!(set.get("booking_confirm").is_some());
    let both = set.select("order_status", None).unwrap();
    let languages: Vec<&str> = both
        .iter()
        .map(|d| d.language.as_deref().unwrap())
        .collect();
    assert_eq!(languages, ["en", "hi"]);
    let hindi = set.select("order_status", Some("HI")).unwrap();
    assert_eq!(hindi[0].language.as_deref(), Some("hi"));
    assert_eq!(
        set.select("order_status", Some("en_US")).unwrap_err(),
        LookupError::UnknownLanguage {
            name: "order_status".to_owned(),
            language: "en_US".to_owned(),
            available: vec!["en".to_owned(), "hi".to_owned()],
        }
    );
    let unknown = set.select("order_statu", None).unwrap_err();
    assert_eq!(
        unknown.to_string(),
        "no template `order_statu`; did you mean `order_status`?"
    );

    let only = TemplateSet::load_template(&fixture("languages"), "order_status").unwrap();
    assert_eq!(only.len(), 2);
}

#[test]
fn languages_that_take_different_values_are_an_error_naming_both() {
    let set = TemplateSet::load_dir(&fixture("languages_differ")).unwrap();
    let error = set.select("order_status", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the languages of template `order_status` disagree: `en` has body parameters: 2, `hi` has body parameters: 3"
    );
    // One chosen language is fine.
    assert!(set.select("order_status", Some("hi")).is_ok());
}

#[test]
fn a_difference_in_buttons_or_header_names_both_languages() {
    let read = |language: &str, components: Value| {
        let object = json!({"name": "t", "language": language, "components": components});
        TemplateDefinition::from_slice(object.to_string().as_bytes(), Path::new("t.json")).unwrap()
    };
    let body = json!({"type": "BODY", "text": "Hi {{1}}"});
    let dynamic = read(
        "en",
        json!([body, {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Go", "url": "https://x.example/{{1}}"}]}]),
    );
    let fixed = read(
        "hi",
        json!([body, {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Go", "url": "https://x.example/"}]}]),
    );
    assert_eq!(
        kaleyra_definitions::values_difference(&dynamic, &fixed).as_deref(),
        Some("`en` has buttons [0 url (URL suffix)], `hi` has buttons [0 url]")
    );
    let image = read(
        "pt_BR",
        json!([{"type": "HEADER", "format": "IMAGE"}, body]),
    );
    let plain = read("es", json!([body]));
    assert_eq!(
        kaleyra_definitions::values_difference(&image, &plain).as_deref(),
        Some("`pt_BR` is kind mediatemplate, `es` is kind template")
    );
    assert_eq!(kaleyra_definitions::values_difference(&plain, &plain), None);
}

#[test]
fn two_files_for_one_name_and_language_are_refused() {
    let a = json!({"name": "t", "language": "en", "components": [{"type": "BODY", "text": "Hi"}]});
    let dir = std::env::temp_dir().join(format!("kaleyra-defs-clash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("t.json"), a.to_string()).unwrap();
    std::fs::write(dir.join("t.en.json"), a.to_string()).unwrap();
    let errors = TemplateSet::load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    let message = errors[0].to_string();
    assert!(message.contains("t.json"), "{message}");
    assert!(
        message.contains("template `t` in language `en` is also defined by"),
        "{message}"
    );
}
