//! Each template in `templates/`, sent through its derived struct: the
//! prepared v1 and v2 requests, field by field.

use std::collections::BTreeMap;

use kaleyra_examples::{
    BookingConfirm, BritishCouncil, CtaUrlSample, DeliveryUpdate, ImtDynamic, LoginCode,
    OrderUpdate, OrderUpdateLanguage, ReplyButtonsSample, SpringCollection,
};
use kaleyra_runtime::definitions::{TemplateKind, TemplateSet};
use kaleyra_runtime::{Api, Client, Error, MediaUrl, Pod, PreparedRequest, Template};
use kaleyra_test_support::{FROM, SID, client};
use serde_json::{Value, json};

const TO: &str = "+919876543210";

fn fields(request: &PreparedRequest) -> BTreeMap<String, String> {
    request.form_fields().unwrap().into_iter().collect()
}

fn expected(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn v2_object(request: &PreparedRequest) -> Value {
    assert_eq!(
        request.url().as_str(),
        format!("https://api.in.kaleyra.io/v2/{SID}/whatsapp/{FROM}/messages")
    );
    request.json().unwrap()["messaging_object"].clone()
}

fn imt_dynamic() -> ImtDynamic<'static> {
    ImtDynamic {
        first_name: "John",
        last_name: "Doe".to_owned(),
        ticket: MediaUrl::parse("https://example.com/tickets/1234.pdf").unwrap(),
        login_path: "a1b2c3".to_owned(),
        confirm_payload: "confirm-1234".to_owned(),
    }
}

#[test]
fn every_template_in_the_directory_has_a_struct_here() {
    let set = TemplateSet::load_dir(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates"
    )))
    .unwrap();
    let names: Vec<&str> = set.names().collect();
    let structs = [
        BookingConfirm::NAME,
        BritishCouncil::NAME,
        CtaUrlSample::NAME,
        DeliveryUpdate::NAME,
        ImtDynamic::NAME,
        LoginCode::NAME,
        OrderUpdate::NAME,
        ReplyButtonsSample::NAME,
        SpringCollection::NAME,
    ];
    assert_eq!(names, structs);
    // One struct sends every language of a name.
    let languages: Vec<&str> = OrderUpdateLanguage::ALL
        .iter()
        .map(|language| language.code())
        .collect();
    assert_eq!(languages, ["en", "hi"]);
    assert_eq!(OrderUpdate::LANGUAGES, ["en", "hi"]);
}

#[test]
fn account_templates_send_in_the_language_chosen_named_and_as_codes() {
    let v2 = client(Api::V2(Pod::In));
    let hindi = OrderUpdate {
        language: OrderUpdateLanguage::Hi,
        name: "आशा",
        order_id: "ORD-7",
        tracking_path: "ord-7",
    };
    let object = v2_object(&hindi.prepare(&v2, TO).unwrap());
    assert_eq!(object["template"]["language"]["code"], "hi");
    assert_eq!(
        object["template"]["components"][0]["parameters"][0]["text"],
        "आशा"
    );

    let named = DeliveryUpdate {
        header_order_id: "ORD-7",
        customer_name: "Asha",
        order_id: "ORD-7",
        arrives: "Friday",
    };
    let object = v2_object(&named.prepare(&v2, TO).unwrap());
    assert_eq!(
        object["template"]["components"][1]["parameters"][2],
        json!({"type": "text", "parameter_name": "delivery_date", "text": "Friday"})
    );
    assert!(matches!(
        named.prepare(&client(Api::V1), TO),
        Err(Error::Unsupported { .. })
    ));

    let code = LoginCode { code: "482913" };
    let v1 = code.prepare(&client(Api::V1), TO).unwrap();
    assert!(v1.body_text().contains("type=authenticationtemplate"));
    assert!(v1.body_text().contains("verification_code=482913"));
}

#[test]
fn the_template_trait_describes_the_definition() {
    assert_eq!(ImtDynamic::KIND, TemplateKind::MediaTemplate);
    assert_eq!(ImtDynamic::PARAMS, 2);
    assert_eq!(ImtDynamic::LANGUAGE, Some("en"));
    assert_eq!(BookingConfirm::KIND, TemplateKind::Template);
    assert_eq!(ReplyButtonsSample::KIND, TemplateKind::Reply);
    assert_eq!(CtaUrlSample::KIND, TemplateKind::CtaUrl);
}

#[test]
fn booking_confirm_v1_and_v2() {
    let message = BookingConfirm {
        name: "Ada",
        booking_id: 4711,
    };
    let v1 = message.prepare(&client(Api::V1), TO).unwrap();
    assert_eq!(
        v1.url().as_str(),
        format!("https://api.kaleyra.io/v1/{SID}/messages")
    );
    assert_eq!(
        fields(&v1),
        expected(&[
            ("to", TO),
            ("type", "template"),
            ("channel", "whatsapp"),
            ("from", FROM),
            ("template_name", "booking_confirm"),
            ("params", "\"Ada\",\"4711\""),
            ("lang_code", "en"),
        ])
    );
    let v2 = message.prepare(&client(Api::V2(Pod::In)), TO).unwrap();
    assert_eq!(
        v2_object(&v2),
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": TO, "type": "template",
            "template": {
                "name": "booking_confirm", "language": {"code": "en"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ada"}, {"type": "text", "text": "4711"}]}]
            }
        })
    );
}

#[test]
fn imt_dynamic_v1_and_v2() {
    let v1 = imt_dynamic().prepare(&client(Api::V1), TO).unwrap();
    assert_eq!(
        fields(&v1),
        expected(&[
            ("to", TO),
            ("type", "mediatemplate"),
            ("channel", "whatsapp"),
            ("from", FROM),
            ("template_name", "imt_dynamic"),
            ("params", "\"John\",\"Doe\""),
            ("lang_code", "en"),
            ("media_url", "https://example.com/tickets/1234.pdf"),
            ("param_url", "a1b2c3"),
            ("payload1", "confirm-1234"),
        ])
    );
    let v2 = imt_dynamic()
        .prepare(&client(Api::V2(Pod::In)), TO)
        .unwrap();
    assert_eq!(
        v2_object(&v2)["template"],
        json!({
            "name": "imt_dynamic", "language": {"code": "en"},
            "components": [
                {"type": "header", "parameters": [{"type": "document", "document": {"link": "https://example.com/tickets/1234.pdf"}}]},
                {"type": "body", "parameters": [{"type": "text", "text": "John"}, {"type": "text", "text": "Doe"}]},
                {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "confirm-1234"}]},
                {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "a1b2c3"}]}
            ]
        })
    );
}

#[test]
fn british_council_v1_and_v2() {
    let message = BritishCouncil { name: "Raman" };
    let v1 = message.prepare(&client(Api::V1), TO).unwrap();
    assert_eq!(
        fields(&v1),
        expected(&[
            ("to", TO),
            ("type", "template"),
            ("channel", "whatsapp"),
            ("from", FROM),
            ("template_name", "british_council"),
            ("params", "\"Raman\""),
            ("lang_code", "en"),
        ])
    );
    let v2 = message.prepare(&client(Api::V2(Pod::Eu)), TO).unwrap();
    assert_eq!(
        v2.json().unwrap()["messaging_object"]["template"],
        json!({"name": "british_council", "language": {"code": "en"},
               "components": [{"type": "body", "parameters": [{"type": "text", "text": "Raman"}]}]})
    );
}

#[test]
fn reply_buttons_sample_v1_and_v2() {
    let message = ReplyButtonsSample { name: "Ada" };
    let v1 = message.prepare(&client(Api::V1), TO).unwrap();
    let mut sent = fields(&v1);
    let action: Value = serde_json::from_str(&sent.remove("action").unwrap()).unwrap();
    assert_eq!(
        sent,
        expected(&[
            ("to", TO),
            ("type", "reply"),
            ("channel", "whatsapp"),
            ("from", FROM),
            ("body", "Hi Ada, which one would you like?"),
            ("footer", "Hey footer"),
            ("header_type", "text"),
            ("header_value", "Header text value"),
        ])
    );
    let buttons = json!({"buttons": [
        {"type": "reply", "reply": {"id": "1", "title": "First Button Title"}},
        {"type": "reply", "reply": {"id": "2", "title": "Second Button Title"}},
        {"type": "reply", "reply": {"id": "3", "title": "Third Button Title"}}
    ]});
    assert_eq!(action, buttons);
    let v2 = message.prepare(&client(Api::V2(Pod::In)), TO).unwrap();
    assert_eq!(
        v2_object(&v2)["interactive"],
        json!({
            "type": "button",
            "header": {"type": "text", "text": "Header text value"},
            "body": {"text": "Hi Ada, which one would you like?"},
            "footer": {"text": "Hey footer"},
            "action": buttons
        })
    );
}

#[test]
fn cta_url_sample_v2_and_not_v1() {
    let message = CtaUrlSample {
        name: "Ada",
        click_id: "c-42",
    };
    let v2 = message.prepare(&client(Api::V2(Pod::In)), TO).unwrap();
    assert_eq!(
        v2_object(&v2)["interactive"],
        json!({
            "type": "cta_url",
            "header": {"type": "text", "text": "Available Dates"},
            "body": {"text": "Tap the button below to see available dates, Ada."},
            "footer": {"text": "Dates subject to change."},
            "action": {"name": "cta_url", "parameters": {"display_text": "See Dates", "url": "https://www.luckyshrub.com?clickID=c-42"}}
        })
    );
    let v1 = message.prepare(&client(Api::V1), TO).unwrap_err();
    assert!(matches!(v1, Error::Unsupported { .. }), "{v1}");
}

#[test]
fn a_bad_field_value_is_named_after_its_field() {
    let mut message = imt_dynamic();
    message.last_name = "Doe\nSmith".to_owned();
    match message.prepare(&client(Api::V1), TO).unwrap_err() {
        Error::Invalid { field, reason } => {
            assert_eq!(field, "last_name (body {{2}})");
            assert!(reason.contains("line break"), "{reason}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_value_with_a_placeholder_is_filled_in_as_it_is() {
    let message = ReplyButtonsSample { name: "{{1}}" };
    let v2 = message.prepare(&client(Api::V2(Pod::In)), TO).unwrap();
    assert_eq!(
        v2_object(&v2)["interactive"]["body"]["text"],
        "Hi {{1}}, which one would you like?"
    );
}

/// `prepare` sends a derived struct's fields borrowed; `to_message` copies
/// them into a `TemplateMessage`. Both must make the very same request.
#[test]
fn prepare_borrows_the_fields_and_makes_the_request_to_message_makes() {
    fn same<T: Template>(
        message: &T,
        prepare: impl Fn(&T, &Client) -> Result<PreparedRequest, Error>,
    ) {
        for api in [Api::V1, Api::V2(Pod::In)] {
            let client = client(api);
            let borrowed = prepare(message, &client);
            let owned = client.prepare(&message.to_message(), TO);
            match (borrowed, owned) {
                (Ok(borrowed), Ok(owned)) => {
                    assert_eq!(borrowed.method(), owned.method(), "{}", T::NAME);
                    assert_eq!(borrowed.url(), owned.url(), "{}", T::NAME);
                    assert_eq!(borrowed.body_text(), owned.body_text(), "{}", T::NAME);
                }
                (Err(borrowed), Err(owned)) => {
                    assert_eq!(borrowed.to_string(), owned.to_string(), "{}", T::NAME)
                }
                (borrowed, owned) => panic!("{}: {borrowed:?} but {owned:?}", T::NAME),
            }
        }
    }
    same(
        &BookingConfirm {
            name: "Ada",
            booking_id: 4711,
        },
        |m, c| m.prepare(c, TO),
    );
    same(&imt_dynamic(), |m, c| m.prepare(c, TO));
    let mut refused = imt_dynamic();
    refused.confirm_payload.clear();
    same(&refused, |m, c| m.prepare(c, TO));
    same(&BritishCouncil { name: "Ada" }, |m, c| m.prepare(c, TO));
    same(&ReplyButtonsSample { name: "Ada" }, |m, c| m.prepare(c, TO));
    let cta = CtaUrlSample {
        name: "Ada",
        click_id: "c-17",
    };
    same(&cta, |m, c| m.prepare(c, TO));
}

/// A template written to be submitted, as `kaleyra templates new` writes it
/// (Meta's create shape: no `id`, no `status`).
#[derive(Template)]
#[kaleyra(template = "diwali_offer", dir = "tests/fixtures/to-submit")]
struct DiwaliOffer {
    #[kaleyra(header)]
    banner: MediaUrl,
    name: String,
}

#[tokio::test]
async fn a_template_not_submitted_yet_derives_as_pending_and_is_not_sent() {
    use kaleyra_runtime::definitions::TemplateStatus;
    assert_eq!(DiwaliOffer::STATUS, Some(TemplateStatus::Pending));
    let emulator = kaleyra_emulator::Emulator::builder()
        .templates_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/to-submit"
        ))
        .start()
        .await
        .unwrap();
    let offer = DiwaliOffer {
        banner: MediaUrl::parse("https://cdn.example.com/diwali.jpg").unwrap(),
        name: "Asha".into(),
    };
    let client = emulator.client(Api::V2(Pod::In)).unwrap();
    let error = offer.send(&client, TO).await.unwrap_err().to_string();
    assert!(error.contains("`diwali_offer` is PENDING"), "{error}");
    assert!(emulator.messages().is_empty());
}
