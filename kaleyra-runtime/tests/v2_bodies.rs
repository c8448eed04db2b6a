//! The v2 JSON bodies, byte for byte: one message of every shape the v2
//! encoder writes, each with the exact body it must produce, and bodies with
//! awkward text (quotes, backslashes, control characters, Hindi, emoji) that
//! must parse back to the values given.

use std::sync::LazyLock;

use proptest::prelude::*;
use serde_json::Value;

use kaleyra_runtime::{
    Api, Client, CtaUrl, InteractiveHeader, MediaUrl, Message, Pod, ReplyButtons, TemplateHeader,
    TemplateMessage, Text, WaSource,
};

/// One client for every body (building one per case makes the property slow).
static CLIENT: LazyLock<Client> = LazyLock::new(|| {
    Client::builder()
        .sid("HXAP16XXXXXX97IN")
        .api_key("key")
        .from("+919812345678")
        .api(Api::V2(Pod::In))
        .build()
        .unwrap()
});

fn body(message: &impl Message) -> String {
    let request = CLIENT
        .prepare(message, "+919876543210")
        .unwrap_or_else(|error| panic!("{error}"));
    request.body_text().to_owned()
}

fn media(url: &str) -> MediaUrl {
    MediaUrl::parse(url).unwrap()
}

/// One message of each shape, named.
fn shapes() -> Vec<(&'static str, String)> {
    vec![
        ("text", body(&Text::new("Hello"))),
        (
            "text with everything",
            body(
                &Text::new("Hi \"there\"")
                    .preview_url(true)
                    .reply_to("wamid.X")
                    .reference("r0")
                    .reference1("r1")
                    .reference2("r2")
                    .wa_source(WaSource::Api)
                    .callback_url("https://example.com/cb?a=1&b=2"),
            ),
        ),
        (
            "template without components",
            body(&TemplateMessage::new("hello_world").language("en_US")),
        ),
        (
            "template with params",
            body(
                &TemplateMessage::new("booking_confirm")
                    .language("en")
                    .param("Ada")
                    .param("4711"),
            ),
        ),
        (
            "template with named params",
            body(
                &TemplateMessage::media("order_named")
                    .language("en")
                    .header(TemplateHeader::named_text("shop", "Lucky"))
                    .named_param("first_name", "Ada")
                    .named_param("order", "4711"),
            ),
        ),
        (
            "template with media header and buttons",
            body(
                &TemplateMessage::media("promo")
                    .language("hi")
                    .header(TemplateHeader::Image(
                        media("https://example.com/a.png").into(),
                    ))
                    .param("x")
                    .coupon_code(2, "SAVE10")
                    .quick_reply_payload(1, "yes")
                    .url_button(0, "track/1")
                    .reference("r0")
                    .wa_source(WaSource::Api),
            ),
        ),
        (
            "template with video header",
            body(
                &TemplateMessage::media("clip")
                    .language("en")
                    .header(TemplateHeader::Video(
                        media("https://example.com/a.mp4").into(),
                    )),
            ),
        ),
        (
            "template with document header",
            body(&TemplateMessage::media("invoice").language("en").header(
                TemplateHeader::Document(media("https://example.com/a.pdf").into()),
            )),
        ),
        (
            "template with text header",
            body(
                &TemplateMessage::media("greeting")
                    .language("en")
                    .header(TemplateHeader::Text("Ada".into())),
            ),
        ),
        (
            "authentication template",
            body(&TemplateMessage::authentication("login_code", "482913").language("en_US")),
        ),
        (
            "reply buttons",
            body(
                &ReplyButtons::new("Pick one")
                    .button("a", "Yes")
                    .button("b", "No"),
            ),
        ),
        (
            "reply buttons with text header and footer",
            body(
                &ReplyButtons::new("Pick one")
                    .header(InteractiveHeader::Text("Title".into()))
                    .footer("Foot")
                    .button("a", "Yes")
                    .reference2("r2"),
            ),
        ),
        (
            "reply buttons with image header",
            body(
                &ReplyButtons::new("Pick")
                    .header(InteractiveHeader::Image(
                        media("https://example.com/i.jpg").into(),
                    ))
                    .button("a", "Yes"),
            ),
        ),
        (
            "reply buttons with video header",
            body(
                &ReplyButtons::new("Pick")
                    .header(InteractiveHeader::Video(
                        media("https://example.com/v.mp4").into(),
                    ))
                    .button("a", "Yes"),
            ),
        ),
        (
            "reply buttons with document header",
            body(
                &ReplyButtons::new("Pick")
                    .header(InteractiveHeader::Document(
                        media("https://example.com/d.pdf").into(),
                    ))
                    .button("a", "Yes"),
            ),
        ),
        (
            "cta url",
            body(&CtaUrl::new("Tap below", "See", "https://example.com/x")),
        ),
        (
            "cta url with header and footer",
            body(
                &CtaUrl::new("Tap below", "See", "https://example.com/x")
                    .header_text("Dates")
                    .footer("Foot")
                    .reference1("r1"),
            ),
        ),
    ]
}

/// The bodies as this crate wrote them with serde_json's derived
/// serializers, one `name<TAB>body` line per shape: the encoder must keep
/// writing exactly these bytes.
const EXPECTED: &str = include_str!("fixtures/v2-bodies.tsv");

#[test]
fn every_shape_is_written_byte_for_byte_as_expected() {
    let expected: Vec<(&str, &str)> = EXPECTED
        .lines()
        .map(|line| line.split_once('\t').unwrap())
        .collect();
    let written = shapes();
    assert_eq!(written.len(), expected.len());
    for ((name, body), (expected_name, expected_body)) in written.iter().zip(expected) {
        assert_eq!(*name, expected_name);
        assert_eq!(body, expected_body, "{name}");
        serde_json::from_str::<Value>(body).unwrap_or_else(|error| panic!("{name}: {error}"));
    }
}

/// Text mixing what JSON must escape with what it must not: quotes,
/// backslashes, control characters, DEL, Hindi and emoji. Template values
/// (`for_parameter`) leave out the line breaks, tabs and runs of spaces that
/// WhatsApp refuses in them. Text made only of whitespace (a vertical tab or
/// form feed alone) is left out too: the library refuses it as empty, which
/// its own tests cover.
fn awkward_text(for_parameter: bool) -> impl Strategy<Value = String> {
    let control = (1u32..0x20)
        .prop_filter("a line break or tab", move |code| {
            !for_parameter || ![0x09, 0x0a, 0x0d].contains(code)
        })
        .prop_map(|code| char::from_u32(code).unwrap().to_string());
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        control,
        Just("\u{7f}".to_owned()),
        Just("नमस्ते".to_owned()),
        Just("🎉👍🏽".to_owned()),
        "[a-zA-Z0-9,.]{1,8}",
    ];
    proptest::collection::vec(piece, 1..6)
        .prop_map(|pieces| pieces.concat())
        .prop_filter("blank text", |text| !text.chars().all(char::is_whitespace))
}

proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(64))]

    // The values come back out of the JSON exactly as given, wherever the
    // message puts them.
    #[test]
    fn awkward_values_parse_back(
        first in awkward_text(true),
        second in awkward_text(true),
        reference in awkward_text(false),
        title in awkward_text(true),
    ) {
        let template = TemplateMessage::media("booking_confirm")
            .language("en")
            .param(&first)
            .param(&second)
            .quick_reply_payload(0, &title)
            .reference(&reference);
        let sent: Value = serde_json::from_str(&body(&template)).unwrap();
        let components = &sent["messaging_object"]["template"]["components"];
        prop_assert_eq!(&components[0]["parameters"][0]["text"], &Value::from(first.as_str()));
        prop_assert_eq!(&components[0]["parameters"][1]["text"], &Value::from(second.as_str()));
        prop_assert_eq!(&components[1]["parameters"][0]["payload"], &Value::from(title.as_str()));
        prop_assert_eq!(&sent["extra_info"]["ref"], &Value::from(reference.as_str()));

        let text = Text::new(&first).reply_to(&second);
        let sent: Value = serde_json::from_str(&body(&text)).unwrap();
        prop_assert_eq!(&sent["messaging_object"]["text"]["body"], &Value::from(first.as_str()));
        prop_assert_eq!(
            &sent["messaging_object"]["context"]["message_id"],
            &Value::from(second.as_str())
        );

        let buttons = ReplyButtons::new(&first).footer(&second).button(format!("id {title}"), "Yes");
        let sent: Value = serde_json::from_str(&body(&buttons)).unwrap();
        let interactive = &sent["messaging_object"]["interactive"];
        prop_assert_eq!(&interactive["body"]["text"], &Value::from(first.as_str()));
        prop_assert_eq!(&interactive["footer"]["text"], &Value::from(second.as_str()));
        prop_assert_eq!(
            &interactive["action"]["buttons"][0]["reply"]["id"],
            &Value::from(format!("id {title}"))
        );
    }
}

// v1 sends a reply-button message's `action` as this same JSON, in a form field.
#[test]
fn v1_reply_action_is_written_byte_for_byte_as_expected() {
    let client = Client::builder()
        .sid("HXXXXXXXXXX0S")
        .api_key("key")
        .from("+919812345678")
        .api(Api::V1)
        .build()
        .unwrap();
    let message = ReplyButtons::new("Pick one")
        .button("a", "Say \"yes\"")
        .button("b\\", "नहीं 🎉");
    let request = client.prepare(&message, "919876543210").unwrap();
    let fields = request.form_fields().unwrap();
    let action = fields.iter().find(|(field, _)| field == "action").unwrap();
    assert_eq!(
        action.1,
        r#"{"buttons":[{"type":"reply","reply":{"id":"a","title":"Say \"yes\""}},{"type":"reply","reply":{"id":"b\\","title":"नहीं 🎉"}}]}"#
    );
}
