//! Button counts per API: a WhatsApp template has up to ten buttons, so v2
//! sends values at indices 0 to 9; Kaleyra v1 names three (`payload1` to
//! `payload3`), so v1 refuses a value past index 2, naming the API.

use kaleyra_runtime::{Api, ApiVersion, Client, Error, Pod, TemplateMessage};
use serde_json::json;

const TO: &str = "+919876543210";

fn client(api: Api) -> Client {
    Client::builder()
        .sid("HXAP16XXXXXX97IN")
        .api_key("key")
        .from("+912025550100")
        .api(api)
        .build()
        .unwrap()
}

#[test]
fn v2_sends_a_value_at_index_nine() {
    let message = TemplateMessage::media("store_menu")
        .language("en")
        .quick_reply_payload(9, "stop")
        .url_button(4, "asha");
    let request = client(Api::V2(Pod::In)).prepare(&message, TO).unwrap();
    let components = &request.json().unwrap()["messaging_object"]["template"]["components"];
    assert_eq!(
        components,
        &json!([
            {"type": "button", "sub_type": "url", "index": "4", "parameters": [{"type": "text", "text": "asha"}]},
            {"type": "button", "sub_type": "quick_reply", "index": "9", "parameters": [{"type": "payload", "payload": "stop"}]}
        ])
    );
}

#[test]
fn an_index_past_metas_limit_is_refused_on_both_apis() {
    let message = TemplateMessage::media("store_menu")
        .language("en")
        .quick_reply_payload(10, "stop");
    for api in [Api::V1, Api::V2(Pod::In)] {
        let error = client(api).prepare(&message, TO).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, reason } if field == "buttons[10]" && reason.contains("WhatsApp (Meta) templates take button indices 0 to 9")),
            "{error:?}"
        );
    }
}

#[test]
fn v1_refuses_a_value_past_index_two_naming_v1() {
    let message = TemplateMessage::media("store_menu")
        .language("en")
        .quick_reply_payload(3, "stop");
    let error = client(Api::V1).prepare(&message, TO).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, reason } if field == "buttons[3] payload" && reason.contains("Kaleyra v1 takes button values at indices 0 to 2 only")),
        "{error:?}"
    );
    // Index 2 is v1's last.
    let request = client(Api::V1)
        .prepare(
            &TemplateMessage::media("store_menu").quick_reply_payload(2, "stop"),
            TO,
        )
        .unwrap();
    assert!(
        request
            .form_fields()
            .unwrap()
            .contains(&("payload3".to_owned(), "stop".to_owned()))
    );
}

#[test]
fn v1_refuses_a_template_with_more_than_three_buttons() {
    let definition = kaleyra_runtime::definitions::TemplateDefinition::from_slice(
        br#"{"name":"store_menu","language":"en","status":"APPROVED","category":"MARKETING","components":[
            {"type":"BODY","text":"Hi"},
            {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"A"},{"type":"QUICK_REPLY","text":"B"},
              {"type":"QUICK_REPLY","text":"C"},{"type":"QUICK_REPLY","text":"D"}]}]}"#,
        std::path::Path::new("store_menu.en.json"),
    )
    .unwrap();
    let message = TemplateMessage::media("store_menu")
        .language("en")
        .checked_against(&definition);
    let error = client(Api::V1).prepare(&message, TO).unwrap_err();
    assert!(
        matches!(&error, Error::Unsupported { what, api: ApiVersion::V1 } if what.starts_with("a template with 4 buttons")),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .ends_with("is not available on Kaleyra's v1 API"),
        "{error}"
    );
    assert!(client(Api::V2(Pod::In)).prepare(&message, TO).is_ok());
}
