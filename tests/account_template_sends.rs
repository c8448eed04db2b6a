//! Sending what an account's templates need beyond numbered values: named
//! parameters, authentication (one-time code) templates and copy-code
//! coupons (on v2 and, as Kaleyra's coupon-code page shows, on v1). Each request is compared with the shape Kaleyra documents, then
//! sent to the emulator, which checks it against the template objects as
//! Kaleyra would.

use std::path::Path;

use kaleyra_emulator::{Emulator, RunningEmulator};
use kaleyra_runtime::{
    Api, ApiVersion, Client, Error, MediaUrl, Pod, PreparedRequest, TemplateHeader, TemplateMessage,
};
use kaleyra_test_support::account_templates;
use serde_json::{Value, json};

const TO: &str = "+919876543210";

async fn emulator(dir: &Path) -> RunningEmulator {
    Emulator::builder()
        .templates_dir(dir)
        .start()
        .await
        .unwrap()
}

fn offline(api: Api) -> Client {
    kaleyra_test_support::client(api)
}

fn json_body(request: &PreparedRequest) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

fn template_of(request: &PreparedRequest) -> Value {
    json_body(request)["messaging_object"]["template"].clone()
}

fn form(request: &PreparedRequest) -> Vec<(String, String)> {
    request.form_fields().unwrap()
}

fn named_message() -> TemplateMessage {
    TemplateMessage::media("delivery_named")
        .language("en")
        .header(TemplateHeader::named_text("order_id", "ORD-7"))
        .named_param("customer_name", "Asha")
        .named_param("order_id", "ORD-7")
        .named_param("delivery_date", "शुक्रवार 🚚")
}

#[test]
fn named_parameters_carry_their_names_on_v2() {
    let request = offline(Api::V2(Pod::In))
        .prepare(&named_message(), TO)
        .unwrap();
    assert_eq!(
        template_of(&request),
        json!({
            "name": "delivery_named",
            "language": {"code": "en"},
            "components": [
                {"type": "header", "parameters": [
                    {"type": "text", "parameter_name": "order_id", "text": "ORD-7"}]},
                {"type": "body", "parameters": [
                    {"type": "text", "parameter_name": "customer_name", "text": "Asha"},
                    {"type": "text", "parameter_name": "order_id", "text": "ORD-7"},
                    {"type": "text", "parameter_name": "delivery_date", "text": "शुक्रवार 🚚"}]}
            ]
        })
    );
}

#[test]
fn named_parameters_are_refused_on_v1_rather_than_ordered_by_guess() {
    let error = offline(Api::V1).prepare(&named_message(), TO).unwrap_err();
    assert!(
        matches!(&error, Error::Unsupported { what, api: ApiVersion::V1 } if what.contains("named parameters")),
        "{error:?}"
    );
    assert!(error.to_string().contains("v1's `params` is positional"));
}

#[test]
fn named_and_numbered_values_do_not_mix() {
    let message = TemplateMessage::new("delivery_named")
        .language("en")
        .named_param("customer_name", "Asha")
        .param("ORD-7");
    let error = offline(Api::V2(Pod::In)).prepare(&message, TO).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, reason } if field == "body {{2}}" && reason.contains("all numbered or all named")),
        "{error:?}"
    );
    let twice = TemplateMessage::new("delivery_named")
        .language("en")
        .named_param("customer_name", "Asha")
        .named_param("customer_name", "Ravi");
    let error = offline(Api::V2(Pod::In)).prepare(&twice, TO).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, reason } if field == "body {{customer_name}}" && reason.contains("given twice")),
        "{error:?}"
    );
    let badly_named = TemplateMessage::new("delivery_named")
        .language("en")
        .named_param("Customer Name", "Asha");
    let error = offline(Api::V2(Pod::In))
        .prepare(&badly_named, TO)
        .unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { reason, .. } if reason.contains("is not a parameter name")),
        "{error:?}"
    );
}

#[test]
fn an_authentication_code_goes_in_the_body_and_the_url_button_on_v2() {
    let message = TemplateMessage::authentication("login_code", "482913").language("en");
    let request = offline(Api::V2(Pod::In)).prepare(&message, TO).unwrap();
    assert_eq!(
        template_of(&request),
        json!({
            "name": "login_code",
            "language": {"code": "en"},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": "482913"}]},
                {"type": "button", "sub_type": "url", "index": "0",
                 "parameters": [{"type": "text", "text": "482913"}]}
            ]
        })
    );
}

#[test]
fn an_authentication_code_is_the_verification_code_on_v1() {
    let client = offline(Api::V1);
    let message = TemplateMessage::authentication("login_code", "482913")
        .language("en")
        .callback_url("https://example.com/kaleyra/status");
    let request = client.prepare(&message, TO).unwrap();
    let mut fields = form(&request);
    fields.sort();
    let expected = [
        ("callback_url", "https://example.com/kaleyra/status"),
        ("channel", "whatsapp"),
        ("from", client.from_number()),
        ("template_name", "login_code"),
        ("to", TO),
        ("type", "authenticationtemplate"),
        ("verification_code", "482913"),
    ];
    assert_eq!(
        fields,
        expected.map(|(key, value)| (key.to_owned(), value.to_owned()))
    );
}

#[test]
fn an_authentication_code_is_checked_before_sending() {
    for api in [Api::V1, Api::V2(Pod::In)] {
        let long = TemplateMessage::authentication("login_code", "1234567890123456").language("en");
        let error = offline(api).prepare(&long, TO).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, reason } if field == "code (body {{1}})" && reason.contains("16 characters")),
            "{api:?}: {error:?}"
        );
        let empty = TemplateMessage::authentication("login_code", "").language("en");
        assert!(matches!(
            offline(api).prepare(&empty, TO),
            Err(Error::Invalid { .. })
        ));
        let extra = TemplateMessage::authentication("login_code", "482913")
            .language("en")
            .param("more");
        let error = offline(api).prepare(&extra, TO).unwrap_err();
        assert!(
            matches!(&error, Error::Invalid { field, reason } if field == "code" && reason.contains("not 2")),
            "{api:?}: {error:?}"
        );
    }
    let with_ref = TemplateMessage::authentication("login_code", "482913").reference("batch-7");
    assert!(matches!(
        offline(Api::V1).prepare(&with_ref, TO),
        Err(Error::Unsupported { what, .. }) if what.contains("references")
    ));
}

fn coupon_message() -> TemplateMessage {
    TemplateMessage::media("festive_coupon")
        .language("en")
        .header(TemplateHeader::Image(
            MediaUrl::parse("https://cdn.example.com/diwali")
                .unwrap()
                .into(),
        ))
        .param("25%")
        .coupon_code(0, "SAVE25")
}

#[test]
fn a_coupon_code_is_a_copy_code_button_on_v2_and_a_quoted_field_on_v1() {
    let request = offline(Api::V2(Pod::In))
        .prepare(&coupon_message(), TO)
        .unwrap();
    let components = &template_of(&request)["components"];
    assert_eq!(
        components[2],
        json!({"type": "button", "sub_type": "copy_code", "index": "0",
               "parameters": [{"type": "coupon_code", "coupon_code": "SAVE25"}]})
    );
    // Kaleyra's v1 coupon-code page: `coupon_code` in double quotes, like `params`.
    let request = offline(Api::V1).prepare(&coupon_message(), TO).unwrap();
    let fields = form(&request);
    assert!(
        fields.contains(&("coupon_code".to_owned(), "\"SAVE25\"".to_owned())),
        "{fields:?}"
    );
    assert!(fields.contains(&("type".to_owned(), "mediatemplate".to_owned())));
    let long = coupon_message().coupon_code(1, "SIXTEEN-CHARS-XX");
    let error = offline(Api::V2(Pod::In)).prepare(&long, TO).unwrap_err();
    assert!(
        matches!(&error, Error::Invalid { field, reason } if field == "buttons[1] coupon code" && reason.contains("limit is 15")),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_emulator_accepts_what_each_api_sends_as_kaleyra_would() {
    let dir = account_templates();
    let emulator = emulator(dir.path()).await;
    let v2 = emulator.client(Api::V2(Pod::In)).unwrap();
    let v1 = emulator.client(Api::V1).unwrap();

    v2.send(&named_message(), TO).await.unwrap();
    v2.send(
        &TemplateMessage::authentication("login_code", "482913").language("en"),
        TO,
    )
    .await
    .unwrap();
    v1.send(
        &TemplateMessage::authentication("login_code", "771204").language("en"),
        TO,
    )
    .await
    .unwrap();
    v2.send(&coupon_message(), TO).await.unwrap();
    v1.send(&coupon_message(), TO).await.unwrap();

    let bodies: Vec<String> = emulator
        .emulator()
        .messages()
        .into_iter()
        .map(|message| message.body)
        .collect();
    assert_eq!(bodies.len(), 5, "{bodies:?}");
    assert!(bodies.contains(&"Hi Asha, order ORD-7 arrives शुक्रवार 🚚. Thanks, Asha!".to_owned()));
    assert!(
        bodies
            .iter()
            .any(|body| body.starts_with("*482913* is your verification code."))
    );
    assert!(
        bodies
            .iter()
            .any(|body| body.starts_with("*771204* is your verification code."))
    );
    assert!(bodies.iter().any(|body| body.contains("for 25% off")));
    assert!(emulator.emulator().refused().is_empty());
}
