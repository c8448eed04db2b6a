//! Every documented error, provoked through raw HTTP and, where the project's
//! client can produce it, through the client, which must map it to
//! `Error::Api` with the right `ApiCode`. Exact bodies are Kaleyra's own
//! (`/work/shared/kaleyra-docs`).

mod common;

use common::{Raw, TO, V1, V2, client, client_from, expect_api_error, start, v2_text};
use kaleyra_runtime::error::ApiCode;
use kaleyra_runtime::{Client, MediaUrl, TemplateHeader, TemplateMessage, Text};
use serde_json::{Value, json};

/// A v1 request's form fields.
type Fields = Vec<(String, String)>;

fn documented(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

const RBC001: &str = r#"{"code":"RBC001","message":"Incorrect SID or API key.","data":[],"error":{"error":"Incorrect SID or API key."}}"#;
const WA401: &str = r#"{"code":"WA401","message":"Phone number is not present or does not belong to the account.","data":{},"error":{"phone_number":"Phone number is not present or does not belong to the account."}}"#;
const WA_401_VERSION: &str = r#"{"code":"WA-401","message":"The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.","data":{},"error":{"phone_number":"The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint."}}"#;
const WA400: &str = r#"{"code":"WA400","message":"Refer to correct payload format","data":{},"error":{"payload":"Incorrect payload format"}}"#;
const E413_TYPE: &str = r#"{"code":"E413","message":"Invalid/incorrect inputs","data":[],"error":{"type":"type field is mandatory"}}"#;
const E413_REPLY_BODY: &str = r#"{"code":"E413","message":"Invalid/incorrect inputs","data":[],"error":{"body":"For the type reply, body field is mandatory and cannot be empty!"}}"#;

const REPLY_ACTION: &str = r#"{"buttons":[{"type":"reply","reply":{"id":"1","title":"First Button Title"}},{"type":"reply","reply":{"id":"2","title":"Second Button Title"}}]}"#;

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(field, _)| field != name);
    fields.push((name.to_owned(), value.to_owned()));
}

fn without(mut fields: Vec<(String, String)>, name: &str) -> Vec<(String, String)> {
    fields.retain(|(field, _)| field != name);
    fields
}

fn wrong_key_client(
    emulator: &kaleyra_emulator::RunningEmulator,
    api: kaleyra_runtime::Api,
) -> Client {
    emulator
        .client_builder(api)
        .api_key("not-the-key")
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------
// RBC001

#[tokio::test]
async fn rbc001_for_a_wrong_or_missing_api_key_has_the_documented_body() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let fields = raw.v1_text();
    for key in [Some("not-the-key"), Some(""), None] {
        let answer = raw.v1_with(&raw.sid, key, &fields).await;
        assert_eq!((answer.status, &answer.body), (401, &documented(RBC001)));
        let answer = raw
            .v2_raw(
                &raw.sid,
                key,
                &raw.v2_number,
                "application/json",
                v2_text("hi").to_string(),
            )
            .await;
        assert_eq!((answer.status, &answer.body), (401, &documented(RBC001)));
    }
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn rbc001_for_a_wrong_sid_on_v1_and_v2() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw
        .v1_with("HXWRONG0001", Some(&raw.api_key), &raw.v1_text())
        .await;
    assert_eq!((answer.status, &answer.body), (401, &documented(RBC001)));
    let answer = raw
        .v2_raw(
            "HXWRONG0001",
            Some(&raw.api_key),
            &raw.v2_number,
            "application/json",
            v2_text("hi").to_string(),
        )
        .await;
    assert_eq!((answer.status, &answer.body), (401, &documented(RBC001)));
}

#[tokio::test]
async fn rbc001_through_the_client_is_invalid_credentials_on_v1_and_v2() {
    let emulator = start().await;
    for api in [V1, V2] {
        let result = wrong_key_client(&emulator, api)
            .send(&Text::new("hi"), TO)
            .await;
        expect_api_error(result, ApiCode::InvalidCredentials, 401);
    }
}

// ---------------------------------------------------------------------------
// WA401 and WA-401

#[tokio::test]
async fn wa401_for_a_v2_path_number_not_on_the_account() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw
        .v2_raw(
            &raw.sid,
            Some(&raw.api_key),
            "+912025550199",
            "application/json",
            v2_text("hi").to_string(),
        )
        .await;
    assert_eq!((answer.status, &answer.body), (401, &documented(WA401)));

    let client = client_from(&emulator, V2, "+912025550199");
    let result = client.send(&Text::new("hi"), TO).await;
    expect_api_error(result, ApiCode::NumberNotOnAccount, 401);
}

#[tokio::test]
async fn wa_401_for_the_v1_number_on_the_v2_endpoint() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw
        .v2_raw(
            &raw.sid,
            Some(&raw.api_key),
            &raw.v1_number,
            "application/json",
            v2_text("hi").to_string(),
        )
        .await;
    assert_eq!(
        (answer.status, &answer.body),
        (401, &documented(WA_401_VERSION))
    );

    let client = client_from(&emulator, V2, emulator.v1_number());
    let result = client.send(&Text::new("hi"), TO).await;
    expect_api_error(result, ApiCode::ApiNotAvailable, 401);
}

#[tokio::test]
async fn wa_401_for_the_v2_number_as_v1_from() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let mut fields = raw.v1_text();
    set(&mut fields, "from", &raw.v2_number);
    let answer = raw.v1(&fields).await;
    assert_eq!(
        (answer.status, &answer.body),
        (401, &documented(WA_401_VERSION))
    );

    let client = client_from(&emulator, V1, emulator.v2_number());
    let result = client.send(&Text::new("hi"), TO).await;
    expect_api_error(result, ApiCode::ApiNotAvailable, 401);
}

// ---------------------------------------------------------------------------
// WA400

#[tokio::test]
async fn wa400_for_a_body_that_is_not_json_has_the_documented_body() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    for body in ["to=+919876543210&type=text", "{\"messaging_object\":", ""] {
        let answer = raw
            .v2_raw(
                &raw.sid,
                Some(&raw.api_key),
                &raw.v2_number,
                "application/json",
                body,
            )
            .await;
        assert_eq!(
            (answer.status, &answer.body),
            (400, &documented(WA400)),
            "{body:?}"
        );
    }
}

#[tokio::test]
async fn wa400_names_each_missing_or_unknown_part_of_the_shape() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let mut cases: Vec<(Value, &str, &str)> = Vec::new();
    let mut body = v2_text("hi");
    body["messaging_object"]
        .as_object_mut()
        .unwrap()
        .remove("messaging_product");
    cases.push((body, "messaging_object", "messaging_product"));
    let mut body = v2_text("hi");
    body["messaging_object"]
        .as_object_mut()
        .unwrap()
        .remove("to");
    cases.push((body, "messaging_object", "`to`"));
    let mut body = v2_text("hi");
    body["messaging_object"]["type"] = json!("sticker");
    cases.push((body, "messaging_object.type", "`sticker`"));
    let mut body = v2_text("hi");
    body["messaging_object"]["messaging_product"] = json!("sms");
    cases.push((body, "messaging_object.messaging_product", "whatsapp"));
    let mut body = v2_text("hi");
    body["messaging_object"]["txt"] = json!({"body": "hi"});
    cases.push((body, "messaging_object.txt", "unknown field `txt`"));
    cases.push((json!({"message": {}}), "message", "unknown field `message`"));
    cases.push((
        json!({"extra_info": {}}),
        "request_body",
        "missing field `messaging_object`",
    ));
    let mut body = v2_text("hi");
    body["messaging_object"]["type"] = json!("interactive");
    cases.push((body, "messaging_object.interactive", "required"));
    let mut body = v2_text("hi");
    body["messaging_object"]["to"] = json!("98765");
    cases.push((body, "messaging_object.to", "E.164"));

    for (body, field, needle) in cases {
        let answer = raw.v2(&body).await;
        answer.assert_error(400, "WA400", field, needle);
        assert_eq!(answer.field("payload"), "Incorrect payload format");
        assert_eq!(answer.body["data"], json!({}));
    }
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn wa400_for_a_v2_body_that_is_not_sent_as_json() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw
        .v2_raw(
            &raw.sid,
            Some(&raw.api_key),
            &raw.v2_number,
            "text/plain",
            v2_text("hi").to_string(),
        )
        .await;
    answer.assert_error(400, "WA400", "Content-Type", "application/json");
}

#[tokio::test]
async fn wa400_through_the_client_for_template_problems_names_the_template() {
    let emulator = start().await;
    let client = client(&emulator, V2);

    let unknown = TemplateMessage::new("booking_confirmed")
        .language("en")
        .param("John")
        .param("Doe");
    let fields = expect_api_error(
        client.send(&unknown, TO).await,
        ApiCode::MalformedPayload,
        400,
    );
    let message = &fields["messaging_object.template.name"];
    assert!(
        message.contains("`booking_confirmed`")
            && message.contains("did you mean `booking_confirm`"),
        "{message}"
    );

    let one_param = TemplateMessage::new("booking_confirm")
        .language("en")
        .param("John");
    let fields = expect_api_error(
        client.send(&one_param, TO).await,
        ApiCode::MalformedPayload,
        400,
    );
    let message = &fields["messaging_object.template.components[body]"];
    assert!(message.contains("`booking_confirm` takes 2"), "{message}");

    let no_suffix = TemplateMessage::media("imt_dynamic")
        .language("en")
        .params(["John", "Doe"])
        .header(TemplateHeader::Document(
            MediaUrl::parse("https://example.com/t.pdf").unwrap().into(),
        ));
    let fields = expect_api_error(
        client.send(&no_suffix, TO).await,
        ApiCode::MalformedPayload,
        400,
    );
    let message = &fields["messaging_object.template.components[button 1]"];
    assert!(
        message.contains("`imt_dynamic`") && message.contains("dynamic URL"),
        "{message}"
    );

    let no_header = TemplateMessage::media("imt_dynamic")
        .language("en")
        .params(["John", "Doe"])
        .url_button(1, "abc");
    let fields = expect_api_error(
        client.send(&no_header, TO).await,
        ApiCode::MalformedPayload,
        400,
    );
    let message = &fields["messaging_object.template.components[header]"];
    assert!(
        message.contains("`imt_dynamic` has a document header"),
        "{message}"
    );

    let wrong_language = TemplateMessage::new("booking_confirm")
        .language("fr")
        .params(["John", "Doe"]);
    let fields = expect_api_error(
        client.send(&wrong_language, TO).await,
        ApiCode::MalformedPayload,
        400,
    );
    assert!(fields["messaging_object.template.language.code"].contains("approved in `en`"));
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn wa400_for_template_button_values_the_template_lacks() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let template = |components: Value| {
        json!({"messaging_object": {
            "messaging_product": "whatsapp", "to": TO, "type": "template",
            "template": {"name": "imt_dynamic", "language": {"code": "en"}, "components": components}
        }})
    };
    let header = json!({"type": "header", "parameters": [{"type": "document", "document": {"link": "https://example.com/t.pdf"}}]});
    let body = json!({"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": "Doe"}]});
    let url_1 = json!({"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "abc"}]});

    let index_2 = json!({"type": "button", "sub_type": "quick_reply", "index": "2", "parameters": [{"type": "payload", "payload": "p"}]});
    let answer = raw
        .v2(&template(json!([header, body, url_1, index_2])))
        .await;
    answer.assert_error(
        400,
        "WA400",
        "messaging_object.template.components[button 2]",
        "`imt_dynamic` has no button at index 2",
    );

    let payload_on_url = json!({"type": "button", "sub_type": "quick_reply", "index": 1, "parameters": [{"type": "payload", "payload": "p"}]});
    let answer = raw
        .v2(&template(json!([header, body, payload_on_url])))
        .await;
    answer.assert_error(
        400,
        "WA400",
        "messaging_object.template.components[button 1]",
        "is a url button; it takes a URL suffix",
    );

    let suffix_on_quick_reply = json!({"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "x"}]});
    let answer = raw
        .v2(&template(json!([
            header,
            body,
            url_1,
            suffix_on_quick_reply
        ])))
        .await;
    answer.assert_error(
        400,
        "WA400",
        "messaging_object.template.components[button 0]",
        "quick_reply button",
    );

    let image_header = json!({"type": "header", "parameters": [{"type": "image", "image": {"link": "https://example.com/a.png"}}]});
    let answer = raw.v2(&template(json!([image_header, body, url_1]))).await;
    answer.assert_error(
        400,
        "WA400",
        "messaging_object.template.components[header]",
        "document header, not image",
    );

    let answer = raw.v2(&template(json!([header, body, url_1]))).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
}

// ---------------------------------------------------------------------------
// E413

#[tokio::test]
async fn e413_type_field_is_mandatory_has_the_documented_body() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let answer = raw.v1(&without(raw.v1_text(), "type")).await;
    assert_eq!((answer.status, &answer.body), (400, &documented(E413_TYPE)));
}

#[tokio::test]
async fn e413_reply_body_is_mandatory_has_the_documented_body() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let fields = raw.v1_fields("reply", &[("action", REPLY_ACTION)]);
    let answer = raw.v1(&fields).await;
    assert_eq!(
        (answer.status, &answer.body),
        (400, &documented(E413_REPLY_BODY))
    );
    let fields = raw.v1_fields("reply", &[("action", REPLY_ACTION), ("body", "   ")]);
    assert_eq!(raw.v1(&fields).await.body, documented(E413_REPLY_BODY));
}

#[tokio::test]
async fn e413_names_each_missing_mandatory_field() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    for field in ["to", "from", "channel"] {
        let answer = raw.v1(&without(raw.v1_text(), field)).await;
        answer.assert_error(400, "E413", field, &format!("{field} field is mandatory"));
    }
    let answer = raw.v1(&without(raw.v1_text(), "body")).await;
    answer.assert_error(
        400,
        "E413",
        "body",
        "For the type text, body field is mandatory",
    );
    let answer = raw.v1(&raw.v1_fields("template", &[])).await;
    answer.assert_error(
        400,
        "E413",
        "template_name",
        "template_name field is mandatory",
    );
    let answer = raw.v1(&raw.v1_fields("reply", &[("body", "Hi")])).await;
    answer.assert_error(400, "E413", "action", "action field is mandatory");
}

#[tokio::test]
async fn e413_for_unknown_misplaced_repeated_or_html_fields() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let mut fields = raw.v1_text();
    fields.push(("templat_name".into(), "x".into()));
    raw.v1(&fields).await.assert_error(
        400,
        "E413",
        "templat_name",
        "did you mean `template_name`?",
    );

    let mut fields = raw.v1_text();
    fields.push(("param_url".into(), "abc".into()));
    raw.v1(&fields)
        .await
        .assert_error(400, "E413", "param_url", "is not used by type text");

    let mut fields = raw.v1_text();
    fields.push(("body".into(), "again".into()));
    raw.v1(&fields)
        .await
        .assert_error(400, "E413", "body", "more than once");

    let mut fields = raw.v1_text();
    set(&mut fields, "type", "list");
    raw.v1(&fields)
        .await
        .assert_error(400, "E413", "type", "`list` is not a v1 message type");

    let mut fields = raw.v1_text();
    set(&mut fields, "channel", "sms");
    raw.v1(&fields)
        .await
        .assert_error(400, "E413", "channel", "whatsapp");

    let mut fields = raw.v1_text();
    fields.push(("ref".into(), "<b>vip</b>".into()));
    raw.v1(&fields)
        .await
        .assert_error(400, "E413", "ref", "HTML tag");

    // The body may hold HTML-looking text.
    let mut fields = raw.v1_text();
    set(&mut fields, "body", "<b>bold</b> is fine here");
    assert_eq!(raw.v1(&fields).await.status, 200);
}

#[tokio::test]
async fn e413_get_sends_type_text_only() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    assert_eq!(raw.v1_get(&raw.v1_text()).await.status, 200);
    let fields = raw.v1_fields(
        "template",
        &[
            ("template_name", "booking_confirm"),
            ("params", "\"John\",\"Doe\""),
        ],
    );
    raw.v1_get(&fields)
        .await
        .assert_error(400, "E413", "type", "GET request sends type text only");
}

#[tokio::test]
async fn e413_through_the_client_for_template_problems_names_the_template() {
    let emulator = start().await;
    let client = client(&emulator, V1);

    let unknown = TemplateMessage::new("no_such_template").param("x");
    let fields = expect_api_error(client.send(&unknown, TO).await, ApiCode::InvalidInput, 400);
    assert!(fields["template_name"].contains("no approved template is named `no_such_template`"));

    let three = TemplateMessage::new("booking_confirm").params(["a", "b", "c"]);
    let fields = expect_api_error(client.send(&three, TO).await, ApiCode::InvalidInput, 400);
    assert!(
        fields["params"].contains("`booking_confirm` takes 2 parameter(s)")
            && fields["params"].contains("got 3")
    );

    let no_header = TemplateMessage::media("imt_dynamic")
        .params(["John", "Doe"])
        .url_button(1, "abc");
    let fields = expect_api_error(
        client.send(&no_header, TO).await,
        ApiCode::InvalidInput,
        400,
    );
    assert!(
        fields["media_url"]
            .contains("`imt_dynamic` has a document header; its media URL is required")
    );

    let no_suffix = TemplateMessage::media("imt_dynamic")
        .params(["John", "Doe"])
        .header(TemplateHeader::Document(
            MediaUrl::parse("https://example.com/t.pdf").unwrap().into(),
        ));
    let fields = expect_api_error(
        client.send(&no_suffix, TO).await,
        ApiCode::InvalidInput,
        400,
    );
    assert!(
        fields["param_url"]
            .contains("button 1 (Login) of template `imt_dynamic` has a dynamic URL")
    );

    let payload_on_url = TemplateMessage::media("imt_dynamic")
        .params(["John", "Doe"])
        .header(TemplateHeader::Document(
            MediaUrl::parse("https://example.com/t.pdf").unwrap().into(),
        ))
        .url_button(1, "abc")
        .quick_reply_payload(2, "p");
    let fields = expect_api_error(
        client.send(&payload_on_url, TO).await,
        ApiCode::InvalidInput,
        400,
    );
    assert!(fields["payload3"].contains("`imt_dynamic` has no button at index 2"));

    let not_media = TemplateMessage::new("imt_dynamic").params(["John", "Doe"]);
    let fields = expect_api_error(
        client.send(&not_media, TO).await,
        ApiCode::InvalidInput,
        400,
    );
    assert!(fields["type"].contains("send it with type=mediatemplate"));

    let interactive = TemplateMessage::new("reply_buttons_sample").param("Ada");
    let fields = expect_api_error(
        client.send(&interactive, TO).await,
        ApiCode::InvalidInput,
        400,
    );
    assert!(fields["template_name"].contains("not an approved template"));
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn e413_for_template_button_values_the_template_lacks_or_takes_none_of() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let imt = |extra: &[(&str, &str)]| {
        let mut fields = vec![
            ("template_name", "imt_dynamic"),
            ("params", "\"John\",\"Doe\""),
            ("media_url", "https://example.com/t.pdf"),
        ];
        fields.extend_from_slice(extra);
        raw.v1_fields("mediatemplate", &fields)
    };
    raw.v1(&imt(&[("param_url", "abc"), ("payload2", "p")]))
        .await
        .assert_error(
            400,
            "E413",
            "payload2",
            "is a url button; it takes a URL suffix, not a payload",
        );
    raw.v1(&imt(&[("param_url", "abc"), ("payload3", "p")]))
        .await
        .assert_error(400, "E413", "payload3", "has no button at index 2");
    raw.v1(&imt(&[("param_url", "a b")])).await.assert_error(
        400,
        "E413",
        "param_url",
        "URL suffix",
    );
    raw.v1(&imt(&[
        ("param_url", "abc"),
        ("media_url", "https://example.com/t.png"),
    ]))
    .await
    .assert_error(400, "E413", "media_url", "more than once");
    let fields = raw.v1_fields(
        "mediatemplate",
        &[
            ("template_name", "booking_confirm"),
            ("params", "John,Doe"),
            ("param_url", "abc"),
        ],
    );
    raw.v1(&fields).await.assert_error(
        400,
        "E413",
        "param_url",
        "`booking_confirm` has no button with a dynamic URL",
    );
    let fields = raw.v1_fields(
        "mediatemplate",
        &[
            ("template_name", "booking_confirm"),
            ("params", "John,Doe"),
            ("media_url", "https://example.com/a.png"),
        ],
    );
    raw.v1(&fields)
        .await
        .assert_error(400, "E413", "media_url", "`booking_confirm` has no header");
    let answer = raw
        .v1(&imt(&[("param_url", "abc"), ("payload1", "yes")]))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn e413_for_params_that_cannot_be_read() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let fields = raw.v1_fields(
        "template",
        &[
            ("template_name", "booking_confirm"),
            ("params", "\"John\",\"Doe"),
        ],
    );
    raw.v1(&fields)
        .await
        .assert_error(400, "E413", "params", "never closed");
}

// ---------------------------------------------------------------------------
// E13008 and E13009

#[tokio::test]
async fn e13008_for_a_from_that_is_not_a_number_or_not_the_accounts() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    for (from, needle) in [
        ("+91 2025 550100", "E.164"),
        ("abc", "E.164"),
        (
            "+912025550199",
            "not a WhatsApp business number of this account",
        ),
    ] {
        let mut fields = raw.v1_text();
        set(&mut fields, "from", from);
        let answer = raw.v1(&fields).await;
        answer.assert_error(400, "E13008", "from", needle);
        assert_eq!(
            answer.body["message"],
            "Invalid or in-correct input of the From number."
        );
        assert_eq!(answer.body["data"], json!([]));
    }

    let client = client_from(&emulator, V1, "+912025550199");
    let fields = expect_api_error(
        client.send(&Text::new("hi"), TO).await,
        ApiCode::InvalidFrom,
        400,
    );
    assert!(fields["from"].contains("+912025550199"));
}

#[tokio::test]
async fn e13009_for_any_invalid_recipient() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    for to in [
        "98765",
        "+91 98765 43210",
        "+919876543210,notanumber",
        "+919876543210,",
    ] {
        let mut fields = raw.v1_text();
        set(&mut fields, "to", to);
        let answer = raw.v1(&fields).await;
        answer.assert_error(400, "E13009", "to", "");
        assert_eq!(
            answer.body["message"],
            "Invalid or in-correct input of the TO number."
        );
    }
    assert!(emulator.messages().is_empty());
}

// ---------------------------------------------------------------------------
// Limits: at the limit is accepted, one over is refused with the field named.

#[tokio::test]
async fn v1_limits_are_enforced_at_their_boundaries() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let reply = |extra: &[(&str, &str)]| {
        let mut fields = vec![("body", "Hi"), ("action", REPLY_ACTION)];
        for (name, value) in extra {
            fields.retain(|(field, _)| field != name);
            fields.push((*name, *value));
        }
        raw.v1_fields("reply", &fields)
    };
    let buttons = |titles: &[(&str, &str)]| {
        let list: Vec<Value> = titles
            .iter()
            .map(|(id, title)| json!({"type": "reply", "reply": {"id": id, "title": title}}))
            .collect();
        json!({ "buttons": list }).to_string()
    };
    let long = |n: usize| "x".repeat(n);
    let (t4096, t4097, t1024, t1025, t60, t61, t20, t21, t255, t256, t257) = (
        long(4096),
        long(4097),
        long(1024),
        long(1025),
        long(60),
        long(61),
        long(20),
        long(21),
        long(255),
        long(256),
        long(257),
    );
    let four = buttons(&[("1", "a"), ("2", "b"), ("3", "c"), ("4", "d")]);
    let three = buttons(&[("1", "a"), ("2", "b"), ("3", "c")]);
    let none = buttons(&[]);
    let same_ids = buttons(&[("1", "a"), ("1", "b")]);
    let same_titles = buttons(&[("1", "a"), ("2", "a")]);
    let title_20 = buttons(&[("1", &t20)]);
    let title_21 = buttons(&[("1", &t21)]);
    let id_256 = buttons(&[(&t256, "a")]);
    let id_257 = buttons(&[(&t257, "a")]);

    let cases: Vec<(Fields, Option<&str>)> = vec![
        (raw.v1_fields("text", &[("body", &t4096)]), None),
        (raw.v1_fields("text", &[("body", &t4097)]), Some("body")),
        (reply(&[("body", &t1024)]), None),
        (reply(&[("body", &t1025)]), Some("body")),
        (reply(&[("footer", &t60)]), None),
        (reply(&[("footer", &t61)]), Some("footer")),
        (
            reply(&[("header_type", "text"), ("header_value", &t60)]),
            None,
        ),
        (
            reply(&[("header_type", "text"), ("header_value", &t61)]),
            Some("header_value"),
        ),
        (reply(&[("action", &three)]), None),
        (reply(&[("action", &four)]), Some("action.buttons")),
        (reply(&[("action", &none)]), Some("action.buttons")),
        (
            reply(&[("action", &same_ids)]),
            Some("action.buttons[1].reply.id"),
        ),
        (
            reply(&[("action", &same_titles)]),
            Some("action.buttons[1].reply.title"),
        ),
        (reply(&[("action", &title_20)]), None),
        (
            reply(&[("action", &title_21)]),
            Some("action.buttons[0].reply.title"),
        ),
        (reply(&[("action", &id_256)]), None),
        (
            reply(&[("action", &id_257)]),
            Some("action.buttons[0].reply.id"),
        ),
        (reply(&[("action", "{\"buttons\": ")]), Some("action")),
        (
            reply(&[
                ("header_type", "image"),
                ("header_value", "https://example.com/a.pdf"),
            ]),
            Some("header_value"),
        ),
        (reply(&[("caption", "no media header")]), Some("caption")),
        (
            raw.v1_fields(
                "text",
                &[
                    ("body", "hi"),
                    ("ref", &t255),
                    ("ref1", &t255),
                    ("ref2", &t255),
                ],
            ),
            None,
        ),
        (
            raw.v1_fields("text", &[("body", "hi"), ("ref1", &t256)]),
            Some("ref1"),
        ),
        (
            raw.v1_fields(
                "text",
                &[("body", "hi"), ("callback_url", "ftp://127.0.0.1/cb")],
            ),
            Some("callback_url"),
        ),
    ];
    for (fields, refused) in cases {
        let answer = raw.v1(&fields).await;
        match refused {
            None => assert_eq!(answer.status, 200, "{fields:?}: {}", answer.body),
            Some(field) => answer.assert_error(400, "E413", field, ""),
        }
    }
}

#[tokio::test]
async fn v1_template_params_without_newline_tab_or_five_spaces() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    for (params, refused) in [
        ("\"John\",\"a    b\"", false),
        ("\"John\",\"a     b\"", true),
        ("\"John\",\"a\nb\"", true),
        ("\"John\",\"a\tb\"", true),
        ("\"John\",\"\"", true),
        ("John,Doe", false),
    ] {
        let fields = raw.v1_fields(
            "template",
            &[("template_name", "booking_confirm"), ("params", params)],
        );
        let answer = raw.v1(&fields).await;
        if refused {
            answer.assert_error(
                400,
                "E413",
                "params",
                "parameter 2 of template `booking_confirm`",
            );
        } else {
            assert_eq!(answer.status, 200, "{params:?}: {}", answer.body);
        }
    }
}

#[tokio::test]
async fn v2_limits_are_enforced_at_their_boundaries() {
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let long = |n: usize| "x".repeat(n);
    let interactive = |interactive: Value| json!({"messaging_object": {"messaging_product": "whatsapp", "to": TO, "type": "interactive", "interactive": interactive}});
    let reply = |body: &str, footer: &str, header: &str, buttons: Value| {
        interactive(json!({
            "type": "button",
            "header": {"type": "text", "text": header},
            "body": {"text": body},
            "footer": {"text": footer},
            "action": {"buttons": buttons}
        }))
    };
    let button =
        |id: &str, title: &str| json!({"type": "reply", "reply": {"id": id, "title": title}});
    let ok_buttons = json!([button("1", "Yes"), button("2", "No")]);
    let cta = |display: &str, url: &str| {
        interactive(json!({
            "type": "cta_url",
            "body": {"text": "Tap below"},
            "action": {"name": "cta_url", "parameters": {"display_text": display, "url": url}}
        }))
    };
    let with_ref = |name: &str, value: &str| {
        let mut body = v2_text("hi");
        body["extra_info"] = json!({ name: value });
        body
    };
    let template_param = |value: &str| {
        json!({"messaging_object": {
            "messaging_product": "whatsapp", "to": TO, "type": "template",
            "template": {"name": "booking_confirm", "language": {"code": "en"}, "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": value}]}
            ]}
        }})
    };

    let cases: Vec<(Value, Option<&str>)> = vec![
        (v2_text(&long(4096)), None),
        (v2_text(&long(4097)), Some("messaging_object.text.body")),
        (
            reply(&long(1024), &long(60), &long(60), ok_buttons.clone()),
            None,
        ),
        (
            reply(&long(1025), "f", "h", ok_buttons.clone()),
            Some("messaging_object.interactive.body.text"),
        ),
        (
            reply("b", &long(61), "h", ok_buttons.clone()),
            Some("messaging_object.interactive.footer.text"),
        ),
        (
            reply("b", "f", &long(61), ok_buttons.clone()),
            Some("messaging_object.interactive.header.text"),
        ),
        (
            reply("b", "f", "h", json!([])),
            Some("messaging_object.interactive.action.buttons"),
        ),
        (
            reply(
                "b",
                "f",
                "h",
                json!([
                    button("1", "a"),
                    button("2", "b"),
                    button("3", "c"),
                    button("4", "d")
                ]),
            ),
            Some("messaging_object.interactive.action.buttons"),
        ),
        (
            reply("b", "f", "h", json!([button("1", "a"), button("1", "b")])),
            Some("messaging_object.interactive.action.buttons[1].reply.id"),
        ),
        (reply("b", "f", "h", json!([button("1", &long(20))])), None),
        (
            reply("b", "f", "h", json!([button("1", &long(21))])),
            Some("messaging_object.interactive.action.buttons[0].reply.title"),
        ),
        (
            reply("b", "f", "h", json!([button(&long(257), "a")])),
            Some("messaging_object.interactive.action.buttons[0].reply.id"),
        ),
        (cta(&long(20), "https://example.com/x"), None),
        (
            cta(&long(21), "https://example.com/x"),
            Some("messaging_object.interactive.action.parameters.display_text"),
        ),
        (
            cta("See", "javascript:alert(1)"),
            Some("messaging_object.interactive.action.parameters.url"),
        ),
        (with_ref("ref", &long(255)), None),
        (with_ref("ref2", &long(256)), Some("extra_info.ref2")),
        (
            with_ref("callback_url", "not a url"),
            Some("extra_info.callback_url"),
        ),
        (template_param("Doe"), None),
        (
            template_param("D\noe"),
            Some("messaging_object.template.components[body]"),
        ),
        (
            template_param("D\toe"),
            Some("messaging_object.template.components[body]"),
        ),
        (
            template_param("D     oe"),
            Some("messaging_object.template.components[body]"),
        ),
    ];
    for (body, refused) in cases {
        let answer = raw.v2(&body).await;
        match refused {
            None => assert_eq!(answer.status, 202, "{body}: {}", answer.body),
            Some(field) => answer.assert_error(400, "WA400", field, ""),
        }
    }
}
