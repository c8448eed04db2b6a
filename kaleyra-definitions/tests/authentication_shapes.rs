//! Authentication templates in every shape an account returns them: an `OTP`
//! button, the `URL` button WhatsApp renders it as (WhatsApp's copy-code
//! address carrying `otp_type`), one-tap and zero-tap with their Android
//! app. Each takes one code, at its code button.

use std::path::{Path, PathBuf};

use kaleyra_definitions::{ButtonType, OtpApp, OtpType, TemplateDefinition};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> TemplateDefinition {
    TemplateDefinition::from_file(&fixture(name)).unwrap_or_else(|error| panic!("{error}"))
}

/// An approved authentication template with these buttons.
fn with_buttons(buttons: Value) -> Result<TemplateDefinition, String> {
    let object = json!({
        "name": "t", "language": "en", "status": "APPROVED", "category": "AUTHENTICATION",
        "components": [
            {"type": "BODY", "text": "*{{1}}* is your verification code.", "add_security_recommendation": true},
            {"type": "BUTTONS", "buttons": buttons}
        ]
    });
    TemplateDefinition::from_slice(object.to_string().as_bytes(), Path::new("t.en.json"))
        .map_err(|error| error.to_string())
}

#[test]
fn the_copy_code_url_button_an_account_lists_is_the_code_button() {
    let definition = read("login_link.en_US.json");
    let authentication = definition
        .authentication()
        .expect("an authentication template");
    assert_eq!(authentication.button_index, 0);
    assert_eq!(authentication.otp_type, Some(OtpType::CopyCode));
    assert_eq!(authentication.code_expiration_minutes, Some(10));
    assert!(authentication.add_security_recommendation);
    let button = definition.code_button().unwrap();
    assert_eq!(button.button_type(), ButtonType::Otp);
    assert!(button.takes_code());
    // Its value is the code, not a URL suffix the struct would give.
    assert_eq!(definition.button_parameter(0), None);
    assert_eq!(definition.param_count(), 1);
    assert!(definition.coupon_buttons().is_empty());
}

#[test]
fn a_one_tap_button_keeps_its_app() {
    let definition = read("login_autofill.en_US.json");
    let authentication = definition.authentication().unwrap();
    assert_eq!(authentication.otp_type, Some(OtpType::OneTap));
    assert!(!authentication.add_security_recommendation);
    assert_eq!(
        definition.code_button().unwrap().otp_app,
        Some(OtpApp::new("com.example.luckyshrub", "K8a%2FAINcGX7"))
    );
}

#[test]
fn a_zero_tap_url_button_reads_its_app_from_the_url() {
    let definition = read("login_zero_tap.en_US.json");
    let authentication = definition.authentication().unwrap();
    assert_eq!(authentication.otp_type, Some(OtpType::ZeroTap));
    assert_eq!(authentication.code_expiration_minutes, None);
    // The query's `%2F` is the URL's escape for `/`.
    assert_eq!(
        definition.code_button().unwrap().otp_app,
        Some(OtpApp::new("com.example.luckyshrub", "K8a/AINcGX7"))
    );
}

#[test]
fn supported_apps_name_the_app_too() {
    let definition = with_buttons(json!([{
        "type": "OTP", "otp_type": "ZERO_TAP", "text": "Copy code",
        "supported_apps": [{"package_name": "com.example.app", "signature_hash": "abcdefghijk"}]
    }]))
    .unwrap();
    assert_eq!(
        definition.code_button().unwrap().otp_app,
        Some(OtpApp::new("com.example.app", "abcdefghijk"))
    );
}

#[test]
fn a_one_tap_button_without_its_app_is_refused_naming_the_button() {
    let error = with_buttons(json!([{"type": "OTP", "otp_type": "ONE_TAP", "text": "Copy code"}]))
        .unwrap_err();
    assert!(
        error.contains("`components[1].buttons[0].package_name`: is required, with `signature_hash`, for a ONE_TAP `otp` button"),
        "{error}"
    );
    let error = with_buttons(json!([{
        "type": "URL", "text": "Copy code",
        "url": "https://www.whatsapp.com/otp/code/?otp_type=ZERO_TAP&package_name=com.example&code=otp{{1}}"
    }]))
    .unwrap_err();
    assert!(
        error.contains("`components[1].buttons[0].package_name`: is required, with `signature_hash`, for a ZERO_TAP"),
        "{error}"
    );
}

#[test]
fn an_otp_url_of_an_unknown_kind_is_recorded_as_unsupported() {
    let definition = with_buttons(json!([{
        "type": "URL", "text": "Copy code",
        "url": "https://www.whatsapp.com/otp/code/?otp_type=TELEPATHY&code=otp{{1}}"
    }]))
    .unwrap();
    assert_eq!(
        definition.unsupported[0].to_string(),
        "`components[1].buttons[0]`: URL button with otp_type TELEPATHY"
    );
    assert!(definition.authentication().is_none());
}

#[test]
fn an_ordinary_url_button_is_not_a_code_button() {
    let object = json!({
        "name": "t", "language": "en", "status": "APPROVED", "category": "UTILITY",
        "components": [
            {"type": "BODY", "text": "Track {{1}}"},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Track", "url": "https://example.com/otp/code/?otp_type=COPY_CODE&c={{1}}"}]}
        ]
    });
    let definition =
        TemplateDefinition::from_slice(object.to_string().as_bytes(), Path::new("t.en.json"))
            .unwrap();
    assert_eq!(definition.buttons[0].button_type(), ButtonType::Url);
    assert!(definition.buttons[0].has_dynamic_url());
}

/// Meta's create request for a copy-code authentication template: no body
/// text (Meta writes it), no id, no status.
const CREATE_REQUEST: &str = r#"{
  "category": "AUTHENTICATION",
  "components": [
    {"add_security_recommendation": true, "type": "BODY"},
    {"code_expiration_minutes": 10, "type": "FOOTER"},
    {"buttons": [{"otp_type": "COPY_CODE", "text": "Copy Code", "type": "OTP"}], "type": "BUTTONS"}
  ],
  "language": "en_US",
  "name": "authentication_code_copy_code_button"
}"#;

#[test]
fn a_create_request_without_body_text_takes_the_code_alone() {
    let definition = TemplateDefinition::from_slice(
        CREATE_REQUEST.as_bytes(),
        Path::new("authentication_code_copy_code_button.en_US.json"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let authentication = definition
        .authentication()
        .expect("an authentication template");
    assert!(authentication.add_security_recommendation);
    assert_eq!(authentication.code_expiration_minutes, Some(10));
    assert_eq!(definition.body.as_deref(), Some("{{1}}"));
    assert_eq!(definition.param_count(), 1);
    // A create request: not approved yet.
    assert_eq!(
        definition.status,
        Some(kaleyra_definitions::TemplateStatus::Pending)
    );
}

#[test]
fn only_an_authentication_body_may_leave_its_text_to_meta() {
    let marketing = CREATE_REQUEST.replace("AUTHENTICATION", "MARKETING");
    let error = TemplateDefinition::from_slice(marketing.as_bytes(), Path::new("t.en_US.json"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("components[0]"), "{error}");
    assert!(error.contains("has no `text`"), "{error}");
}
