//! The emulator checks authentication templates in every shape an account
//! returns, Meta's ten-button templates, and location headers as Kaleyra
//! and Meta would: the runtime's requests are accepted, and a wrong code, a
//! latitude of 91 or a v1 send of five buttons is refused naming the field.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{Raw, TO, V1, V2};
use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{Location, TemplateHeader, TemplateMessage};
use serde_json::{Value, json};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../kaleyra-definitions/tests/fixtures"
);

async fn start() -> (tempfile::TempDir, RunningEmulator) {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(FIXTURES);
    for name in [
        "login_link.en_US.json",
        "login_autofill.en_US.json",
        "login_zero_tap.en_US.json",
        "store_menu.en.json",
        "reference-006/order_delivery_update.en_US.json",
    ] {
        let file = Path::new(name).file_name().unwrap();
        std::fs::copy(fixtures.join(name), dir.path().join(file)).unwrap();
    }
    let emulator = Emulator::builder()
        .templates_dir(dir.path())
        .callback_delay(Duration::from_millis(10))
        .start()
        .await
        .expect("the emulator starts");
    (dir, emulator)
}

fn v2_template(name: &str, language: &str, components: Value) -> Value {
    json!({
        "messaging_object": {
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": TO,
            "type": "template",
            "template": {"name": name, "language": {"code": language}, "components": components}
        }
    })
}

#[tokio::test]
async fn every_authentication_shape_sends_its_code_on_both_apis() {
    let (_dir, emulator) = start().await;
    for name in ["login_link", "login_autofill", "login_zero_tap"] {
        let message = TemplateMessage::authentication(name, "482913").language("en_US");
        for api in [V1, V2] {
            let client = common::client(&emulator, api);
            client
                .send(&message, TO)
                .await
                .unwrap_or_else(|error| panic!("{name} on {api:?}: {error}"));
        }
    }
    let messages = emulator.messages();
    assert_eq!(messages.len(), 6);
    assert!(messages.iter().all(|message| {
        message
            .body
            .starts_with("*482913* is your verification code.")
    }));

    // The URL button WhatsApp lists takes the code, not a suffix of its own.
    let raw = Raw::new(&emulator);
    raw.v2(&v2_template(
        "login_link",
        "en_US",
        json!([
            {"type": "body", "parameters": [{"type": "text", "text": "482913"}]},
            {"type": "button", "sub_type": "url", "index": 0, "parameters": [{"type": "text", "text": "111111"}]}
        ]),
    ))
    .await
    .assert_error(
        400,
        "WA400",
        "messaging_object.template.components[button 0]",
        "takes the same code as the body",
    );
}

#[tokio::test]
async fn ten_button_templates_take_values_past_index_two_on_v2_only() {
    let (_dir, emulator) = start().await;
    let message = TemplateMessage::media("store_menu")
        .language("en")
        .param("Asha")
        .url_button(3, "asha")
        .quick_reply_payload(4, "stop");
    common::client(&emulator, V2)
        .send(&message, TO)
        .await
        .unwrap();
    assert_eq!(emulator.messages()[0].buttons.len(), 5);

    // Sent by hand on v1, the emulator refuses it as Kaleyra v1 would.
    let raw = Raw::new(&emulator);
    let fields = raw.v1_fields(
        "mediatemplate",
        &[
            ("template_name", "store_menu"),
            ("lang_code", "en"),
            ("params", "\"Asha\""),
            ("param_url", "asha"),
        ],
    );
    let answer = raw.v1(&fields).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert!(
        answer
            .body
            .to_string()
            .contains("a template with 5 buttons (Kaleyra v1's media templates take at most 3"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn a_location_header_is_accepted_on_v2_and_its_place_shown() {
    let (_dir, emulator) = start().await;
    let place = Location::new(37.483307, -122.148981)
        .unwrap()
        .name("Pablo Morales")
        .address("1 Hacker Way");
    let message = TemplateMessage::media("order_delivery_update")
        .language("en_US")
        .header(TemplateHeader::Location(place))
        .param("Mark")
        .param("566701");
    common::client(&emulator, V2)
        .send(&message, TO)
        .await
        .unwrap();
    let stored = &emulator.messages()[0];
    let header = stored.header.as_ref().unwrap();
    assert_eq!(header.kind, kaleyra_definitions::HeaderType::Location);
    assert_eq!(
        header.text.as_deref(),
        Some("Pablo Morales, 1 Hacker Way (37.483307, -122.148981)")
    );
    assert!(
        stored
            .body
            .starts_with("Good news Mark! Your order #566701")
    );
}

#[tokio::test]
async fn a_bad_place_or_a_missing_one_is_refused_naming_the_field() {
    let (_dir, emulator) = start().await;
    let raw = Raw::new(&emulator);
    let body = json!({"type": "body", "parameters": [{"type": "text", "text": "Mark"}, {"type": "text", "text": "566701"}]});
    let with_header = |location: Value| {
        v2_template(
            "order_delivery_update",
            "en_US",
            json!([{"type": "header", "parameters": [{"type": "location", "location": location}]}, body]),
        )
    };
    raw.v2(&with_header(json!({"latitude": 91, "longitude": 0})))
        .await
        .assert_error(
            400,
            "WA400",
            "messaging_object.template.components[0].parameters[0].location.latitude",
            "is 91 degrees; a latitude is -90 to 90",
        );
    // Meta's examples write coordinates as strings too.
    let answer = raw
        .v2(&with_header(
            json!({"latitude": "12.97", "longitude": "77.59", "name": "Bengaluru"}),
        ))
        .await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    raw.v2(&v2_template(
        "order_delivery_update",
        "en_US",
        json!([body]),
    ))
    .await
    .assert_error(
        400,
        "WA400",
        "messaging_object.template.components[header]",
        "has a location header; its latitude and longitude are required",
    );
}
