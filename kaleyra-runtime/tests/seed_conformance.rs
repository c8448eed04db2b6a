//! Each sample request in Kaleyra's five seed pages (`shared/kaleyra-docs/`),
//! built with the typed API, compared with the sample field for field: form
//! fields decoded and compared as a map, JSON compared as values, and the URL
//! and `api-key` header checked.
//!
//! The samples mask digits with `X`; here each masked number is written with
//! digits, the same on both sides. Where a sample differs from what this
//! crate sends on purpose, the test says so and checks the difference.

use std::collections::BTreeMap;

use kaleyra_runtime::{
    Api, Client, CtaUrl, InteractiveHeader, MediaUrl, Pod, PreparedRequest, ReplyButtons,
    TemplateMessage, Text, WaSource,
};
use serde_json::{Value, json};

fn client(api: Api, sid: &str, key: &str, from: &str) -> Client {
    Client::builder()
        .sid(sid)
        .api_key(key)
        .from(from)
        .api(api)
        .build()
        .unwrap()
}

/// The `params` values, read the two ways Kaleyra's pages write them:
/// `"John","Doe"` (quoted) and `Raman` (a curl `--form 'params="Raman"'`,
/// whose quotes curl removes).
fn params_values(params: &str) -> Vec<String> {
    if params.starts_with('"') && params.ends_with('"') {
        params[1..params.len() - 1]
            .split("\",\"")
            .map(str::to_owned)
            .collect()
    } else {
        params.split(',').map(str::to_owned).collect()
    }
}

#[track_caller]
fn assert_v1_form(request: &PreparedRequest, url: &str, key: &str, expected: &[(&str, &str)]) {
    assert_eq!(request.method(), "POST");
    assert_eq!(request.url().as_str(), url);
    assert_eq!(request.headers()["api-key"], key);
    assert_eq!(
        request.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    let sent: BTreeMap<String, String> = request.form_fields().unwrap().into_iter().collect();
    let expected: BTreeMap<String, String> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(
        sent.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the same fields"
    );
    for (field, want) in &expected {
        let got = &sent[field];
        match field.as_str() {
            // The pages write both `whatsapp` and `WhatsApp`; this crate sends `whatsapp`.
            "channel" => assert!(got.eq_ignore_ascii_case(want), "channel {got} vs {want}"),
            // decision: `params` is always sent quoted; the values must be the same.
            "params" => assert_eq!(params_values(got), params_values(want), "params"),
            // `action` is JSON in a form field: compared as a JSON value.
            "action" => assert_eq!(
                serde_json::from_str::<Value>(got).unwrap(),
                serde_json::from_str::<Value>(want).unwrap(),
                "action"
            ),
            _ => assert_eq!(got, want, "field `{field}`"),
        }
    }
}

#[track_caller]
fn assert_v2_json(request: &PreparedRequest, url: &str, key: &str, mut expected: Value) {
    assert_eq!(request.method(), "POST");
    assert_eq!(request.url().as_str(), url);
    assert_eq!(request.headers()["api-key"], key);
    assert_eq!(request.headers()["content-type"], "application/json");
    let sent = request.json().unwrap();
    // `recipient_type` is optional and documented to default to `individual`;
    // this crate always sends it, so a sample that leaves it out gets it here.
    let object = expected["messaging_object"].as_object_mut().unwrap();
    object
        .entry("recipient_type")
        .or_insert(json!("individual"));
    assert_eq!(sent, expected);
}

// v1-text-message.txt, "Request Format - POST", with the examples from its table.
#[test]
fn v1_text_message_post() {
    let client = client(Api::V1, "HXXXXXXX071US", "Ac4XXXXX21f", "+12025550100");
    let message = Text::new("Hi, Your order has been shipped.")
        .callback_url("https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c")
        .reference("Customer Name")
        .reference1("Company Name")
        .reference2("Designation");
    let request = client.prepare(&message, "+12025550123").unwrap();
    assert_v1_form(
        &request,
        "https://api.kaleyra.io/v1/HXXXXXXX071US/messages",
        "Ac4XXXXX21f",
        &[
            ("to", "+12025550123"),
            ("type", "text"),
            ("channel", "whatsapp"),
            ("from", "+12025550100"),
            (
                "callback_url",
                "https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c",
            ),
            ("ref", "Customer Name"),
            ("ref1", "Company Name"),
            ("ref2", "Designation"),
            ("body", "Hi, Your order has been shipped."),
        ],
    );
}

// v1-text-message.txt, "Request Format - GET": the same fields in the query string.
#[test]
fn v1_text_message_get() {
    let client = client(Api::V1, "HXXXXXXX071US", "Ac4XXXXX21f", "+12025550100");
    let message = Text::new("Hi, Your order has been shipped.")
        .callback_url("https://webhook.site/89b43b12")
        .use_get();
    let request = client.prepare(&message, "+12025550123").unwrap();
    assert_eq!(request.method(), "GET");
    assert!(request.body().is_empty());
    assert_eq!(request.headers()["api-key"], "Ac4XXXXX21f");
    assert_eq!(
        request.url().as_str().split('?').next().unwrap(),
        "https://api.kaleyra.io/v1/HXXXXXXX071US/messages"
    );
    let query: BTreeMap<String, String> = request.form_fields().unwrap().into_iter().collect();
    let expected: BTreeMap<String, String> = [
        ("channel", "whatsapp"),
        ("to", "+12025550123"),
        ("from", "+12025550100"),
        ("type", "text"),
        ("callback_url", "https://webhook.site/89b43b12"),
        ("body", "Hi, Your order has been shipped."),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query, expected);
}

// v1-text-message.txt, "Sandbox Request Sample".
#[test]
fn v1_sandbox_template() {
    let client = client(
        Api::V1,
        "HXAP1XXXXXX17XX",
        "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "912025550100",
    );
    let message = TemplateMessage::new("british_council")
        .param("Raman")
        .callback_url("https://webhook.site/XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX")
        .sandbox();
    let request = client.prepare(&message, "919876543210").unwrap();
    assert_v1_form(
        &request,
        "https://api.kaleyra.io/v1/HXAP1XXXXXX17XX/messages",
        "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        &[
            ("to", "919876543210"),
            ("type", "template"),
            ("params", "Raman"),
            ("template_name", "british_council"),
            ("channel", "whatsapp"),
            ("from", "912025550100"),
            (
                "callback_url",
                "https://webhook.site/XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX",
            ),
            ("source", "sandbox"),
        ],
    );
    // What is sent is the quoted form, whatever the sample's shell quoting.
    let fields = request.form_fields().unwrap();
    assert!(fields.contains(&("params".into(), "\"Raman\"".into())));
}

// v1-media-template-with-buttons.txt, "Sample Request".
#[test]
fn v1_media_template_with_dynamic_url() {
    let client = client(Api::V1, "HXXXXXXX071US", "Ac4XXXXX21f", "+12025550100");
    let message = TemplateMessage::media("imt_dynamic")
        .param("John")
        .param("Doe")
        .url_button(1, "https://google.com")
        .callback_url("https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c");
    let request = client.prepare(&message, "+12025550123").unwrap();
    assert_v1_form(
        &request,
        "https://api.kaleyra.io/v1/HXXXXXXX071US/messages",
        "Ac4XXXXX21f",
        &[
            ("to", "+12025550123"),
            ("type", "mediatemplate"),
            ("params", "\"John\",\"Doe\""),
            ("template_name", "imt_dynamic"),
            ("channel", "whatsapp"),
            ("from", "+12025550100"),
            (
                "callback_url",
                "https://webhook.site/89b43b12-b889-4f66-8ebf-3379b4b3345c",
            ),
            ("param_url", "https://google.com"),
        ],
    );
    // The sample's params go on the wire exactly as written there.
    let fields = request.form_fields().unwrap();
    assert!(fields.contains(&("params".into(), "\"John\",\"Doe\"".into())));
}

/// The `action` of every reply-button sample but the document one.
const THREE_BUTTONS: &str = r#"{"buttons":[
    {"type":"reply","reply":{"id":"1","title":"First Button Title"}},
    {"type":"reply","reply":{"id":"2","title":"Second Button Title"}},
    {"type":"reply","reply":{"id":"3","title":"Third Button Title"}}]}"#;

fn three_buttons(body: &str) -> ReplyButtons {
    ReplyButtons::new(body)
        .footer("Hey footer")
        .button("1", "First Button Title")
        .button("2", "Second Button Title")
        .button("3", "Third Button Title")
}

// v1-reply-buttons.txt, "Reply Message - with a Text Header".
#[test]
fn v1_reply_buttons_with_text_header() {
    let client = client(Api::V1, "HXXXXXXXXXX0S", "Ac4XXXXX21f", "+919812345678");
    let message = three_buttons("Hi Test")
        .header(InteractiveHeader::Text("Header text value".into()))
        .callback_url("https://webhook.site/962dXXXX-2c91-43XX-bd01-513XXXXXXX68");
    let request = client.prepare(&message, "919876543210").unwrap();
    assert_v1_form(
        &request,
        "https://api.kaleyra.io/v1/HXXXXXXXXXX0S/messages",
        "Ac4XXXXX21f",
        &[
            ("to", "919876543210"),
            ("type", "reply"),
            ("channel", "WhatsApp"),
            ("from", "+919812345678"),
            ("body", "Hi Test"),
            ("footer", "Hey footer"),
            ("action", THREE_BUTTONS),
            (
                "callback_url",
                "https://webhook.site/962dXXXX-2c91-43XX-bd01-513XXXXXXX68",
            ),
            ("header_type", "text"),
            ("header_value", "Header text value"),
        ],
    );
}

// v1-reply-buttons.txt, the image, video and document header samples.
#[test]
fn v1_reply_buttons_with_media_headers() {
    let cases = [
        (
            "919812345678",
            InteractiveHeader::Image(
                MediaUrl::parse(
                    "https://s3.ap-south-1.amazonaws.com/stage-hexa/docs/XXXXXX1334KLlogo.png",
                )
                .unwrap()
                .into(),
            ),
            "image",
            "atul_image-Caption",
            "https://webhook.site/9XXXXX48-2XXc-XXXX-XXXX-XXXXXXXX516c",
        ),
        (
            "+919812345678",
            InteractiveHeader::Video(
                MediaUrl::parse("http://techslides.com/demos/sample-videos/small.mp4")
                    .unwrap()
                    .into(),
            ),
            "video",
            "testfilename",
            "https://webhook.site/XXXXXXXX-2c91-4XXX-bd01-51XXXXXX3a6c",
        ),
    ];
    for (from, header, header_type, caption, callback) in cases {
        let client = client(Api::V1, "HXXXXXXX071US", "Ac4XXXXX21f", from);
        let header_value = header
            .text()
            .map(str::to_owned)
            .or_else(|| {
                header
                    .media()
                    .and_then(|media| media.url())
                    .map(|url| url.as_str().to_owned())
            })
            .unwrap();
        let message = three_buttons("Hi Test")
            .header(header)
            .caption(caption)
            .callback_url(callback);
        let request = client.prepare(&message, "919876543210").unwrap();
        assert_v1_form(
            &request,
            "https://api.kaleyra.io/v1/HXXXXXXX071US/messages",
            "Ac4XXXXX21f",
            &[
                ("to", "919876543210"),
                ("type", "reply"),
                ("channel", "WhatsApp"),
                ("from", from),
                ("body", "Hi Test"),
                ("footer", "Hey footer"),
                ("action", THREE_BUTTONS),
                ("callback_url", callback),
                ("header_type", header_type),
                ("header_value", &header_value),
                ("caption", caption),
            ],
        );
    }

    let client = client(Api::V1, "HXXXXXXX071US", "Ac4XXXXX21f", "+919812345678");
    let document = "https://s3.ap-south-1.amazonaws.com/stage-hexa/docs/1614XXXXXXtestdoc.pdf";
    let message = ReplyButtons::new("Hi Test")
        .footer("Hey footer")
        .button("abc", "First Button Test")
        .button("111", "Second Button Test")
        .button("3", "Third Button Test")
        .header(InteractiveHeader::Document(
            MediaUrl::parse(document).unwrap().into(),
        ))
        .caption("fileNametest")
        .callback_url("https://webhook.site/XXXXXX98-2c91-4320-bd01-513XXXXXXXXX");
    let request = client.prepare(&message, "919876543210").unwrap();
    assert_v1_form(
        &request,
        "https://api.kaleyra.io/v1/HXXXXXXX071US/messages",
        "Ac4XXXXX21f",
        &[
            ("to", "919876543210"),
            ("type", "reply"),
            ("channel", "WhatsApp"),
            ("from", "+919812345678"),
            ("body", "Hi Test"),
            ("footer", "Hey footer"),
            (
                "action",
                r#"{"buttons":[{"type":"reply","reply":{"id":"abc","title":"First Button Test"}},
                    {"type":"reply","reply":{"id":"111","title":"Second Button Test"}},
                    {"type":"reply","reply":{"id":"3","title":"Third Button Test"}}]}"#,
            ),
            (
                "callback_url",
                "https://webhook.site/XXXXXX98-2c91-4320-bd01-513XXXXXXXXX",
            ),
            ("header_type", "document"),
            ("header_value", document),
            ("caption", "fileNametest"),
        ],
    );
}

// v2-reply-to-message.txt, "Sample Request Format". The sample's
// `"message_id": wamid.XXXXX..."` lacks its opening quote; it is a string here.
#[test]
fn v2_reply_to_message() {
    let client = client(
        Api::V2(Pod::In),
        "HXAP16XXXXXX97IN",
        "Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3",
        "+919812345678",
    );
    let body = "Thanks for your order! Tell us what address you’d like this order delivered to.";
    let message = Text::new(body)
        .reply_to("wamid.XXXXX...")
        .preview_url(false)
        .reference("customer1")
        .reference1("marketing")
        .reference2("dictionary")
        .wa_source(WaSource::Api);
    let request = client.prepare(&message, "+16505551234").unwrap();
    assert_v2_json(
        &request,
        "https://api.in.kaleyra.io/v2/HXAP16XXXXXX97IN/whatsapp/+919812345678/messages",
        "Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3",
        json!({
            "messaging_object": {
                "messaging_product": "whatsapp",
                "context": { "message_id": "wamid.XXXXX..." },
                "to": "+16505551234",
                "type": "text",
                "text": { "preview_url": false, "body": body }
            },
            "extra_info": { "ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api" }
        }),
    );
}

// v2-interactive-cta-url.txt, "Sample Request Format". The sample's `to`
// ("+91XXXXXXXXX ") ends with a space, which no phone number has; it is left out.
// Its `cache-control: no-cache` request header has no effect on a POST and is not sent.
#[test]
fn v2_interactive_cta_url() {
    let client = client(
        Api::V2(Pod::In),
        "HXAP16XXXXXX97IN",
        "Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3",
        "+919812345678",
    );
    let url =
        "https://www.luckyshrub.com?clickID=kqDGWd24Q5TRwoEQTICY7W1JKoXvaZOXWAS7h1P76s0R7Paec4";
    let message = CtaUrl::new(
        "Tap the button below to see available dates.",
        "See Dates",
        url,
    )
    .header_text("Available Dates")
    .footer("Dates subject to change.")
    .reference("customer1")
    .reference1("marketing")
    .reference2("dictionary")
    .wa_source(WaSource::Api);
    let request = client.prepare(&message, "+919876543210").unwrap();
    assert_v2_json(
        &request,
        "https://api.in.kaleyra.io/v2/HXAP16XXXXXX97IN/whatsapp/+919812345678/messages",
        "Axxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3",
        json!({
            "messaging_object": {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "+919876543210",
                "type": "interactive",
                "interactive": {
                    "type": "cta_url",
                    "header": { "type": "text", "text": "Available Dates" },
                    "body": { "text": "Tap the button below to see available dates." },
                    "footer": { "text": "Dates subject to change." },
                    "action": {
                        "name": "cta_url",
                        "parameters": { "display_text": "See Dates", "url": url }
                    }
                }
            },
            "extra_info": { "ref": "customer1", "ref1": "marketing", "ref2": "dictionary", "wa_source": "api" }
        }),
    );
}

// The pods' hosts, as the v2 pages list them.
#[test]
fn v2_pods_have_their_hosts() {
    for (pod, host) in [
        (Pod::In, "https://api.in.kaleyra.io/"),
        (Pod::Sg, "https://api.ap.kaleyra.io/"),
        (Pod::Eu, "https://api.eu.kaleyra.io/"),
    ] {
        let client = client(Api::V2(pod), "HXAP16XXXXXX97IN", "key", "+919812345678");
        let request = client.prepare(&Text::new("hi"), "+16505551234").unwrap();
        assert!(
            request.url().as_str().starts_with(host),
            "{}",
            request.url()
        );
    }
}

/// Meta's example `name`, with its placeholders substituted.
fn meta_example(name: &str) -> Value {
    let examples: Value =
        serde_json::from_str(include_str!("fixtures/meta-send-message-examples.json")).unwrap();
    let text = examples[name]["value"].to_string();
    let text = text
        .replace("{{Recipient-Phone-Number}}", "+16505551234")
        .replace("template-name", "order_update")
        .replace("language-and-locale-code", "en_US");
    serde_json::from_str(&text).unwrap()
}

fn v2_client() -> Client {
    client(Api::V2(Pod::In), "HXAP16XXXXXX97IN", "key", "+919812345678")
}

// Meta's "Send Reply Button": Kaleyra's v2 wraps exactly this as `messaging_object`.
#[test]
fn meta_send_reply_button() {
    let message = ReplyButtons::new("<BUTTON_TEXT>")
        .button("<UNIQUE_BUTTON_ID_1>", "<BUTTON_TITLE_1>")
        .button("<UNIQUE_BUTTON_ID_2>", "<BUTTON_TITLE_2>");
    let request = v2_client().prepare(&message, "+16505551234").unwrap();
    assert_eq!(
        request.json().unwrap(),
        json!({ "messaging_object": meta_example("Send Reply Button") })
    );
}

// Meta's "Send Reply to Text Message".
#[test]
fn meta_send_reply_to_text_message() {
    let message = Text::new("<TEXT_MSG_CONTENT>")
        .reply_to("<MSGID_OF_PREV_MSG>")
        .preview_url(false);
    let request = v2_client().prepare(&message, "+16505551234").unwrap();
    assert_eq!(
        request.json().unwrap(),
        json!({ "messaging_object": meta_example("Send Reply to Text Message") })
    );
}

// Meta's "Send Message Template Text". Its body has a text parameter and two
// localizable ones (currency, date_time), which Kaleyra's v1 cannot send and
// this crate does not offer: WhatsApp shows their `fallback_value`, which is
// sent as text. The example's other two parameters are compared as that text.
#[test]
fn meta_send_message_template_text() {
    let mut expected = meta_example("Send Message Template Text");
    let parameters = expected["template"]["components"][0]["parameters"]
        .as_array_mut()
        .unwrap();
    for parameter in parameters.iter_mut().skip(1) {
        let kind = parameter["type"].as_str().unwrap().to_owned();
        let fallback = parameter[&kind]["fallback_value"].clone();
        *parameter = json!({ "type": "text", "text": fallback });
    }
    let message = TemplateMessage::new("order_update")
        .language("en_US")
        .param("text-string")
        .param("$100.99")
        .param("February 25, 1977");
    let request = v2_client().prepare(&message, "+16505551234").unwrap();
    assert_eq!(
        request.json().unwrap(),
        json!({ "messaging_object": expected })
    );
}

// Meta's "Send Message Template Interactive": a media header and quick-reply
// payloads with string indices.
#[test]
fn meta_send_message_template_interactive() {
    let mut expected = meta_example("Send Message Template Interactive");
    expected["template"]["components"][0]["parameters"][0]["image"]["link"] =
        json!("https://example.com/header.png");
    let parameters = expected["template"]["components"][1]["parameters"]
        .as_array_mut()
        .unwrap();
    for parameter in parameters.iter_mut().skip(1) {
        let kind = parameter["type"].as_str().unwrap().to_owned();
        let fallback = parameter[&kind]["fallback_value"].clone();
        *parameter = json!({ "type": "text", "text": fallback });
    }
    let message = TemplateMessage::media("order_update")
        .language("en_US")
        .header(kaleyra_runtime::TemplateHeader::Image(
            MediaUrl::parse("https://example.com/header.png")
                .unwrap()
                .into(),
        ))
        .params(["text-string", "$100.99", "February 25, 1977"])
        .quick_reply_payload(0, "aGlzIHRoaXMgaXMgY29v")
        .quick_reply_payload(1, "9rwnB8RbYmPF5t2Mn09x4h");
    let request = v2_client().prepare(&message, "+16505551234").unwrap();
    assert_eq!(
        request.json().unwrap(),
        json!({ "messaging_object": expected })
    );
}
