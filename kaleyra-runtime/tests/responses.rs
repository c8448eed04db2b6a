//! Kaleyra's documented answers, served over loopback HTTP by `wiremock`, and
//! what the client makes of them: receipts for the success bodies, typed
//! `Error::Api` for the error bodies, `Error::Decode` for anything else. The
//! requests the server received are checked too.
//!
//! The bodies are copied from Kaleyra's pages (`/work/shared/kaleyra-docs`);
//! where the pages give none (E13008, E13009, WA429, WAV2101), the documented
//! shape `{"code", "message", "data", "error": {..}}` is used.

use std::collections::BTreeMap;
use std::time::Duration;

use kaleyra_runtime::error::ApiCode;
use kaleyra_runtime::{Api, Error, InteractiveHeader, Pod, ReplyButtons, TemplateMessage, Text};
use kaleyra_test_support::{API_KEY, FROM, SID, client_at, client_builder};
use wiremock::matchers::{any, body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TO: &str = "+919876543210";
const TO_2: &str = "+919876543211";

const V1: Api = Api::V1;
const V2: Api = Api::V2(Pod::In);
const BOTH: [Api; 2] = [V1, V2];

// ---------------------------------------------------------------------------
// Documented bodies.

/// v1-text-message.txt, "Success message response of both POST and GET method".
const V1_TEXT_SUCCESS: &str = r#"{
"id": "cc8074ae-990d-40f5-b604-11XXX9e2ab32",
"type": "text",
"body": "Hi, your order has been shipped",
"createdDateTime": "2020-01-29 06:22:21+00:00",
"totalCount": 1,
"data": [
{
"message_id": "cc8074ae-990d-40f5-b604-115XXXe2ab32:0",
"recipient": "1202XXXXXXX"
}
],
"error": {}
}"#;

/// v1-media-template-with-buttons.txt, "Success Response".
const V1_MEDIATEMPLATE_SUCCESS: &str = r#"{
    "id": "9xxxxxxx-bxxx-4xxx-9xxx-exxxxxxxxxxx",
    "type": "mediatemplate",
    "body": null,
    "createdDateTime": "2020-12-08 07:09:37+00:00",
    "totalCount": 1,
    "data": [
        {
            "message_id": "9xxxxxxx-bxxx-4xxx-9xxx-exxxxxxxxxxx:x",
            "recipient": "91xxxxxxxxxx"
        }
    ],
    "error": {}
}"#;

/// v1-reply-buttons.txt, "Success Response".
const V1_REPLY_SUCCESS: &str = r#"{
    "id": "fXXXXX8e-4e7d-4621-a36a-43XXXXXX7fbb",
    "type": "reply",
    "body": "Hi akshay",
    "createdDateTime": "2021-11-19 08:47:16+00:00",
    "totalCount": 1,
    "data": [
        {
            "message_id": "fXXXXXXX-4XXX-4XXX1-a36a-43XXXXXXXXb7:0",
            "recipient": "91XXXXXXXX89"
        }
    ],
    "error": {}
}"#;

/// The text success body with two recipients in `data`, as a comma-joined
/// `to` gets.
const V1_TWO_RECIPIENTS_SUCCESS: &str = r#"{
"id": "cc8074ae-990d-40f5-b604-11XXX9e2ab32",
"type": "text",
"body": "Hi, your order has been shipped",
"createdDateTime": "2020-01-29 06:22:21+00:00",
"totalCount": 2,
"data": [
{"message_id": "cc8074ae-990d-40f5-b604-115XXXe2ab32:0", "recipient": "919876543210"},
{"message_id": "cc8074ae-990d-40f5-b604-115XXXe2ab32:1", "recipient": "919876543211"}
],
"error": {}
}"#;

/// The v2 pages' "202 Accepted" body, with the commas the pages leave out.
const V2_ACCEPTED: &str = r#"{
"code":"WA202",
"message":"Request Accepted",
"data":{
"message_id":"AXXXXXXXXXXXXXXXXXXX"
},
"error":{}
}"#;

const RBC001: &str = r#"{
"code": "RBC001",
"message": "Incorrect SID or API key.",
"data": [],
"error": {
"error": "Incorrect SID or API key."
}
}"#;

const WA401: &str = r#"{
"code": "WA401",
"message": "Phone number is not present or does not belong to the account.",
"data": {},
"error": {
"phone_number": "Phone number is not present or does not belong to the account."
}
}"#;

const WA400: &str = r#"{
"code": "WA400",
"message": "Refer to correct payload format",
"data": {},
"error": {
"payload": "Incorrect payload format"
}
}"#;

const WA500: &str = r#"{
"code": "WA500",
"message": "Please try again later",
"data": {},
"error": {
"error": "Internal server error"
}
}"#;

const E110: &str = r#"{
"code": "E110",
"message": "Please check your balance, You have a low balance!",
"data": {},
"error": {
"balance": "Please check your balance, You have a low balance!"
}
}"#;

const WA_401_ACCOUNT: &str = r#"{
"code": "WA-401",
"message": "API is not available for given customer.Please contact support for more info",
"data": {},
"error": {
"account": "API is not available for given customer.Please contact support for more info"
}
}"#;

const WA_401_VERSION: &str = r#"{
"code": "WA-401",
"message": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.",
"data": {},
"error": {
"phone_number": "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint."
}
}"#;

const E413_TYPE: &str = r#"{
    "code": "E413",
    "message": "Invalid/incorrect inputs",
    "data": [],
    "error": {
        "type": "type field is mandatory"
    }
}"#;

const E413_BODY: &str = r#"{
    "code": "E413",
    "message": "Invalid/incorrect inputs",
    "data": [],
    "error": {
        "body": "For the type reply, body field is mandatory and cannot be empty!"
    }
}"#;

// Not in the pages: the documented shape with the documented codes.

const E13008: &str = r#"{
    "code": "E13008",
    "message": "Invalid or in-correct input of the From number.",
    "data": [],
    "error": {
        "from": "from_invalid"
    }
}"#;

const E13009: &str = r#"{
    "code": "E13009",
    "message": "Invalid or in-correct input of the TO number.",
    "data": [],
    "error": {
        "to": "to_invalid"
    }
}"#;

const WA429: &str = r#"{
    "code": "WA429",
    "message": "Too many requests",
    "data": {},
    "error": {
        "error": "Too many requests, please try again later"
    }
}"#;

const WAV2101: &str = r#"{
    "code": "WAV2101",
    "message": "Daily account limit reached",
    "data": {},
    "error": {
        "account": "Daily account limit reached"
    }
}"#;

// ---------------------------------------------------------------------------
// Helpers.

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A server that gives every request `answer`.
async fn server_answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

/// Sends a text to `TO` on `api` and returns the error the answer makes.
async fn error_for(api: Api, answer: ResponseTemplate) -> Error {
    let server = server_answering(answer).await;
    let client = client_at(api, &server.uri());
    client
        .send(&Text::new("Hi, your order has been shipped"), TO)
        .await
        .expect_err("the answer is an error")
}

async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(field, message)| (field.to_string(), message.to_string()))
        .collect()
}

/// Asserts `error` is `Error::Api` with these parts.
fn assert_api_error(
    error: &Error,
    api: Api,
    expected_status: u16,
    expected_code: ApiCode,
    expected_message: &str,
    expected_fields: &[(&str, &str)],
) {
    match error {
        Error::Api {
            status,
            code,
            message,
            fields: got_fields,
            ..
        } => {
            assert_eq!(*status, expected_status, "{api:?}: status");
            assert_eq!(*code, expected_code, "{api:?}: code");
            assert_eq!(message, expected_message, "{api:?}: message");
            assert_eq!(got_fields, &fields(expected_fields), "{api:?}: fields");
        }
        other => panic!("{api:?}: expected Error::Api, got {other:?}"),
    }
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("ASCII header"))
}

fn form(request: &Request) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(&request.body).expect("a form body")
}

fn form_value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(field, _)| field == name)
        .map(|(_, value)| value.as_str())
}

fn v1_path() -> String {
    format!("/v1/{SID}/messages")
}

fn v2_path() -> String {
    format!("/v2/{SID}/whatsapp/{FROM}/messages")
}

// ---------------------------------------------------------------------------
// Success bodies.

#[tokio::test]
async fn v1_text_success_body_becomes_a_receipt_with_the_request_id() {
    let server = server_answering(json(200, V1_TEXT_SUCCESS)).await;
    let receipt = client_at(V1, &server.uri())
        .send(&Text::new("Hi, your order has been shipped"), TO)
        .await
        .expect("the documented success body is a receipt");

    assert_eq!(
        receipt.request_id(),
        Some("cc8074ae-990d-40f5-b604-11XXX9e2ab32")
    );
    assert_eq!(receipt.messages().len(), 1);
    let message = &receipt.messages()[0];
    assert_eq!(message.message_id, "cc8074ae-990d-40f5-b604-115XXXe2ab32:0");
    assert_eq!(message.recipient, "1202XXXXXXX");
    assert_eq!(
        message.created_at.as_deref(),
        Some("2020-01-29 06:22:21+00:00")
    );
    assert_eq!(receipt.code(), None, "v1 has no response code");
}

#[tokio::test]
async fn v1_mediatemplate_success_body_becomes_a_receipt() {
    let server = server_answering(json(202, V1_MEDIATEMPLATE_SUCCESS)).await;
    let message = TemplateMessage::media("imt_dynamic")
        .param("John")
        .param("Doe")
        .url_button(0, "https://google.com");
    let receipt = client_at(V1, &server.uri())
        .send(&message, TO)
        .await
        .expect("the documented success body is a receipt");

    assert_eq!(
        receipt.request_id(),
        Some("9xxxxxxx-bxxx-4xxx-9xxx-exxxxxxxxxxx")
    );
    assert_eq!(
        receipt.message_id(),
        Some("9xxxxxxx-bxxx-4xxx-9xxx-exxxxxxxxxxx:x")
    );
    assert_eq!(receipt.messages().len(), 1);
    assert_eq!(receipt.messages()[0].recipient, "91xxxxxxxxxx");
}

#[tokio::test]
async fn v1_reply_success_body_becomes_a_receipt() {
    let server = server_answering(json(200, V1_REPLY_SUCCESS)).await;
    let message = ReplyButtons::new("Hi Test")
        .header(InteractiveHeader::Text("Header text value".into()))
        .footer("Hey footer")
        .button("1", "First Button Title")
        .button("2", "Second Button Title");
    let receipt = client_at(V1, &server.uri())
        .send(&message, TO)
        .await
        .expect("the documented success body is a receipt");

    assert_eq!(
        receipt.request_id(),
        Some("fXXXXX8e-4e7d-4621-a36a-43XXXXXX7fbb")
    );
    assert_eq!(
        receipt.message_ids().collect::<Vec<_>>(),
        ["fXXXXXXX-4XXX-4XXX1-a36a-43XXXXXXXXb7:0"]
    );
    assert_eq!(receipt.messages()[0].recipient, "91XXXXXXXX89");
}

#[tokio::test]
async fn v1_success_body_with_two_recipients_maps_both_from_one_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(v1_path()))
        .respond_with(json(200, V1_TWO_RECIPIENTS_SUCCESS))
        .mount(&server)
        .await;
    let receipt = client_at(V1, &server.uri())
        .send(&Text::new("Hi, your order has been shipped"), [TO, TO_2])
        .await
        .expect("both recipients are accepted");

    let got: Vec<(&str, &str)> = receipt
        .messages()
        .iter()
        .map(|message| (message.recipient.as_str(), message.message_id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("919876543210", "cc8074ae-990d-40f5-b604-115XXXe2ab32:0"),
            ("919876543211", "cc8074ae-990d-40f5-b604-115XXXe2ab32:1"),
        ]
    );
    for message in receipt.messages() {
        assert_eq!(
            message.request_id.as_deref(),
            Some("cc8074ae-990d-40f5-b604-11XXX9e2ab32"),
            "both messages share the request id"
        );
    }

    let requests = received(&server).await;
    assert_eq!(
        requests.len(),
        1,
        "v1 sends several recipients in one request"
    );
    let form = form(&requests[0]);
    assert_eq!(form_value(&form, "to"), Some("+919876543210,+919876543211"));
}

#[tokio::test]
async fn v2_accepted_body_becomes_a_receipt_for_the_recipient_with_wa202() {
    let server = server_answering(json(202, V2_ACCEPTED)).await;
    let receipt = client_at(V2, &server.uri())
        .send(
            &Text::new("Thanks for your order!").reply_to("wamid.XXXXX"),
            TO,
        )
        .await
        .expect("the documented 202 body is a receipt");

    assert_eq!(receipt.messages().len(), 1);
    let message = &receipt.messages()[0];
    assert_eq!(message.message_id, "AXXXXXXXXXXXXXXXXXXX");
    assert_eq!(
        message.recipient, TO,
        "v2's body names no recipient; ours is kept"
    );
    assert_eq!(message.code.as_deref(), Some("WA202"));
    assert_eq!(receipt.code(), Some("WA202"));
    assert_eq!(receipt.request_id(), None, "v2 has no request id");
}

// ---------------------------------------------------------------------------
// What the server received.

#[tokio::test]
async fn v1_request_is_a_form_post_to_the_v1_path_with_the_api_key() {
    let server = server_answering(json(200, V1_TEXT_SUCCESS)).await;
    client_at(V1, &server.uri())
        .send(
            &Text::new("Hi, your order has been shipped").reference("customer1"),
            TO,
        )
        .await
        .expect("accepted");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), v1_path());
    assert_eq!(request.url.query(), None);
    assert_eq!(header(request, "api-key"), Some(API_KEY));
    assert_eq!(
        header(request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = form(request);
    assert_eq!(form_value(&form, "to"), Some(TO));
    assert_eq!(form_value(&form, "type"), Some("text"));
    assert_eq!(form_value(&form, "channel"), Some("whatsapp"));
    assert_eq!(form_value(&form, "from"), Some(FROM));
    assert_eq!(
        form_value(&form, "body"),
        Some("Hi, your order has been shipped")
    );
    assert_eq!(form_value(&form, "ref"), Some("customer1"));
}

#[tokio::test]
async fn v1_text_sent_with_get_carries_the_fields_in_the_query() {
    let server = server_answering(json(200, V1_TEXT_SUCCESS)).await;
    client_at(V1, &server.uri())
        .send(&Text::new("Hi, your order has been shipped").use_get(), TO)
        .await
        .expect("accepted");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), v1_path());
    assert_eq!(header(request, "api-key"), Some(API_KEY));
    assert!(request.body.is_empty(), "a GET has no body");
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(form_value(&query, "to"), Some(TO));
    assert_eq!(form_value(&query, "type"), Some("text"));
    assert_eq!(
        form_value(&query, "body"),
        Some("Hi, your order has been shipped")
    );
}

#[tokio::test]
async fn v2_request_is_a_json_post_to_the_sender_path_with_the_api_key() {
    let server = server_answering(json(202, V2_ACCEPTED)).await;
    client_at(V2, &server.uri())
        .send(
            &Text::new("Thanks for your order!").reference("customer1"),
            TO,
        )
        .await
        .expect("accepted");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), v2_path());
    assert_eq!(header(request, "api-key"), Some(API_KEY));
    assert_eq!(header(request, "content-type"), Some("application/json"));
    let body: serde_json::Value = request.body_json().expect("a JSON body");
    assert_eq!(body["messaging_object"]["messaging_product"], "whatsapp");
    assert_eq!(body["messaging_object"]["to"], TO);
    assert_eq!(body["messaging_object"]["type"], "text");
    assert_eq!(
        body["messaging_object"]["text"]["body"],
        "Thanks for your order!"
    );
    assert_eq!(body["extra_info"]["ref"], "customer1");
}

#[tokio::test]
async fn v2_two_recipients_make_two_requests_and_one_receipt() {
    let server = MockServer::start().await;
    for (to, id) in [(TO, "wamid.FIRST"), (TO_2, "wamid.SECOND")] {
        let body = V2_ACCEPTED.replace("AXXXXXXXXXXXXXXXXXXX", id);
        Mock::given(method("POST"))
            .and(path(v2_path()))
            .and(body_partial_json(
                serde_json::json!({"messaging_object": {"to": to}}),
            ))
            .respond_with(json(202, &body))
            .mount(&server)
            .await;
    }
    let receipt = client_at(V2, &server.uri())
        .send(&Text::new("Your order has shipped"), [TO, TO_2])
        .await
        .expect("both recipients are accepted");

    let got: Vec<(&str, &str)> = receipt
        .messages()
        .iter()
        .map(|message| (message.recipient.as_str(), message.message_id.as_str()))
        .collect();
    assert_eq!(got, [(TO, "wamid.FIRST"), (TO_2, "wamid.SECOND")]);
    assert!(
        receipt
            .messages()
            .iter()
            .all(|message| message.code.as_deref() == Some("WA202"))
    );

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "v2 sends one request per recipient");
    let mut recipients: Vec<String> = requests
        .iter()
        .map(|request| {
            assert_eq!(request.url.path(), v2_path());
            assert_eq!(header(request, "api-key"), Some(API_KEY));
            let body: serde_json::Value = request.body_json().expect("a JSON body");
            body["messaging_object"]["to"]
                .as_str()
                .expect("a recipient")
                .to_owned()
        })
        .collect();
    recipients.sort();
    assert_eq!(recipients, [TO, TO_2]);
}

#[tokio::test]
async fn v2_one_of_two_recipients_failing_is_partially_sent_with_the_successful_receipt() {
    let server = MockServer::start().await;
    Mock::given(body_partial_json(
        serde_json::json!({"messaging_object": {"to": TO}}),
    ))
    .respond_with(json(202, V2_ACCEPTED))
    .mount(&server)
    .await;
    Mock::given(body_partial_json(
        serde_json::json!({"messaging_object": {"to": TO_2}}),
    ))
    .respond_with(json(400, WA400))
    .mount(&server)
    .await;

    let error = client_at(V2, &server.uri())
        .send(&Text::new("Your order has shipped"), [TO, TO_2])
        .await
        .expect_err("one recipient failed");

    match &error {
        Error::RecipientsFailed { receipt, failures } => {
            assert_eq!(receipt.messages().len(), 1);
            assert_eq!(receipt.messages()[0].recipient, TO);
            assert_eq!(receipt.messages()[0].message_id, "AXXXXXXXXXXXXXXXXXXX");
            assert_eq!(failures.len(), 1);
            assert_eq!(failures[0].recipient, TO_2);
            assert_api_error(
                &failures[0].error,
                V2,
                400,
                ApiCode::MalformedPayload,
                "Refer to correct payload format",
                &[("payload", "Incorrect payload format")],
            );
        }
        other => panic!("expected Error::RecipientsFailed, got {other:?}"),
    }
    assert!(
        error.may_have_been_sent(),
        "a partial send has sent something"
    );
    assert!(!error.is_retryable());
    assert_eq!(received(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------
// Documented error bodies.

#[tokio::test]
async fn rbc001_401_is_invalid_credentials_on_v1_and_v2() {
    for api in BOTH {
        let error = error_for(api, json(401, RBC001)).await;
        assert_api_error(
            &error,
            api,
            401,
            ApiCode::InvalidCredentials,
            "Incorrect SID or API key.",
            &[("error", "Incorrect SID or API key.")],
        );
    }
}

#[tokio::test]
async fn wa401_401_is_number_not_on_account_on_v2() {
    let error = error_for(V2, json(401, WA401)).await;
    assert_api_error(
        &error,
        V2,
        401,
        ApiCode::NumberNotOnAccount,
        "Phone number is not present or does not belong to the account.",
        &[(
            "phone_number",
            "Phone number is not present or does not belong to the account.",
        )],
    );
}

#[tokio::test]
async fn wa400_400_is_malformed_payload_on_v2() {
    let error = error_for(V2, json(400, WA400)).await;
    assert_api_error(
        &error,
        V2,
        400,
        ApiCode::MalformedPayload,
        "Refer to correct payload format",
        &[("payload", "Incorrect payload format")],
    );
}

#[tokio::test]
async fn wa500_500_is_server_error_on_v2() {
    let error = error_for(V2, json(500, WA500)).await;
    assert_api_error(
        &error,
        V2,
        500,
        ApiCode::ServerError,
        "Please try again later",
        &[("error", "Internal server error")],
    );
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_secs(5 * 60)),
        "Kaleyra advises a first retry after 5 minutes"
    );
}

#[tokio::test]
async fn e110_400_is_low_balance_on_v1_and_v2() {
    for api in BOTH {
        let error = error_for(api, json(400, E110)).await;
        assert_api_error(
            &error,
            api,
            400,
            ApiCode::LowBalance,
            "Please check your balance, You have a low balance!",
            &[(
                "balance",
                "Please check your balance, You have a low balance!",
            )],
        );
    }
}

#[tokio::test]
async fn wa_401_account_type_401_is_api_not_available_on_v1_and_v2() {
    for api in BOTH {
        let error = error_for(api, json(401, WA_401_ACCOUNT)).await;
        assert_api_error(
            &error,
            api,
            401,
            ApiCode::ApiNotAvailable,
            "API is not available for given customer.Please contact support for more info",
            &[(
                "account",
                "API is not available for given customer.Please contact support for more info",
            )],
        );
    }
}

#[tokio::test]
async fn wa_401_version_mismatch_401_is_api_not_available_on_v1_and_v2() {
    let text = "The phone number you're using is associated with different Version of our WA API. Please use the appropriate endpoint.";
    for api in BOTH {
        let error = error_for(api, json(401, WA_401_VERSION)).await;
        assert_api_error(
            &error,
            api,
            401,
            ApiCode::ApiNotAvailable,
            text,
            &[("phone_number", text)],
        );
    }
}

#[tokio::test]
async fn e413_type_400_is_invalid_input_naming_type_on_v1() {
    let error = error_for(V1, json(400, E413_TYPE)).await;
    assert_api_error(
        &error,
        V1,
        400,
        ApiCode::InvalidInput,
        "Invalid/incorrect inputs",
        &[("type", "type field is mandatory")],
    );
}

#[tokio::test]
async fn e413_body_400_is_invalid_input_naming_body_on_v1() {
    let server = server_answering(json(400, E413_BODY)).await;
    let message = ReplyButtons::new("Hi Test").button("1", "First Button Title");
    let error = client_at(V1, &server.uri())
        .send(&message, TO)
        .await
        .expect_err("E413");
    assert_api_error(
        &error,
        V1,
        400,
        ApiCode::InvalidInput,
        "Invalid/incorrect inputs",
        &[(
            "body",
            "For the type reply, body field is mandatory and cannot be empty!",
        )],
    );
    let shown = error.to_string();
    assert!(shown.contains("E413"), "{shown}");
    assert!(
        shown.contains("body: For the type reply, body field is mandatory"),
        "Display lists the fields: {shown}"
    );
}

#[tokio::test]
async fn e13008_400_is_invalid_from_on_v1() {
    let error = error_for(V1, json(400, E13008)).await;
    assert_api_error(
        &error,
        V1,
        400,
        ApiCode::InvalidFrom,
        "Invalid or in-correct input of the From number.",
        &[("from", "from_invalid")],
    );
}

#[tokio::test]
async fn e13009_400_is_invalid_to_on_v1() {
    let error = error_for(V1, json(400, E13009)).await;
    assert_api_error(
        &error,
        V1,
        400,
        ApiCode::InvalidTo,
        "Invalid or in-correct input of the TO number.",
        &[("to", "to_invalid")],
    );
}

#[tokio::test]
async fn wa429_429_is_too_many_requests_with_retry_after_from_the_header() {
    for api in BOTH {
        let error = error_for(api, json(429, WA429).insert_header("Retry-After", "7")).await;
        assert_api_error(
            &error,
            api,
            429,
            ApiCode::TooManyRequests,
            "Too many requests",
            &[("error", "Too many requests, please try again later")],
        );
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)), "{api:?}");
        assert!(matches!(
            error,
            Error::Api {
                retry_after: Some(delay),
                ..
            } if delay == Duration::from_secs(7)
        ));
    }
}

#[tokio::test]
async fn wa429_429_without_retry_after_header_has_no_delay() {
    for api in BOTH {
        let error = error_for(api, json(429, WA429)).await;
        assert_api_error(
            &error,
            api,
            429,
            ApiCode::TooManyRequests,
            "Too many requests",
            &[("error", "Too many requests, please try again later")],
        );
        assert_eq!(error.retry_after(), None, "{api:?}");
    }
}

#[tokio::test]
async fn wav2101_is_daily_limit_reached_on_v2() {
    let error = error_for(V2, json(400, WAV2101)).await;
    assert_api_error(
        &error,
        V2,
        400,
        ApiCode::DailyLimitReached,
        "Daily account limit reached",
        &[("account", "Daily account limit reached")],
    );
}

#[tokio::test]
async fn an_unknown_code_is_kept_as_other() {
    let body = r#"{"code": "E999", "message": "Something new", "data": [], "error": {}}"#;
    let error = error_for(V1, json(400, body)).await;
    assert_api_error(
        &error,
        V1,
        400,
        ApiCode::Other("E999".to_owned()),
        "Something new",
        &[],
    );
}

#[tokio::test]
async fn api_error_keeps_the_body() {
    let error = error_for(V2, json(401, WA401)).await;
    match error {
        Error::Api { body, .. } => assert_eq!(body, WA401),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Bodies that are not Kaleyra's.

fn assert_decode(error: &Error, api: Api, expected_status: u16, reason_has: &str) -> String {
    match error {
        Error::Decode {
            status,
            reason,
            body,
        } => {
            assert_eq!(*status, expected_status, "{api:?}: status");
            assert!(
                reason.contains(reason_has),
                "{api:?}: reason `{reason}` should mention `{reason_has}`"
            );
            body.clone()
        }
        other => panic!("{api:?}: expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn html_502_from_a_proxy_is_a_decode_error_keeping_status_and_body() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    for api in BOTH {
        let answer = ResponseTemplate::new(502).set_body_raw(html, "text/html");
        let error = error_for(api, answer).await;
        let body = assert_decode(&error, api, 502, "not JSON");
        assert_eq!(body, html, "a short body is kept whole");
        assert!(error.may_have_been_sent(), "a 5xx may have been sent");
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn large_html_body_is_kept_as_a_bounded_excerpt() {
    let head = "<html><body><h1>502 Bad Gateway</h1>";
    let html = format!(
        "{head}{}TAIL-MARKER</body></html>",
        "<p>upstream unavailable</p>".repeat(1000)
    );
    assert!(html.len() > 20 * Error::BODY_EXCERPT_BYTES);
    for api in BOTH {
        let answer = ResponseTemplate::new(502).set_body_raw(html.clone(), "text/html");
        let error = error_for(api, answer).await;
        let body = assert_decode(&error, api, 502, "not JSON");
        assert!(
            body.starts_with(&html[..Error::BODY_EXCERPT_BYTES]),
            "{api:?}: the excerpt is the start of the body"
        );
        assert!(
            body.len() < Error::BODY_EXCERPT_BYTES + 64,
            "{api:?}: the excerpt is bounded, got {} bytes",
            body.len()
        );
        assert!(!body.contains("TAIL-MARKER"), "{api:?}: the tail is cut");
        assert!(
            body.contains(&html.len().to_string()),
            "{api:?}: the excerpt says how long the body was: {body}"
        );
        assert!(
            error.to_string().len() < 2 * Error::BODY_EXCERPT_BYTES,
            "{api:?}: Display is bounded too"
        );
    }
}

#[tokio::test]
async fn empty_500_is_a_decode_error() {
    for api in BOTH {
        let error = error_for(api, ResponseTemplate::new(500)).await;
        let body = assert_decode(&error, api, 500, "empty");
        assert_eq!(body, "");
        assert!(error.may_have_been_sent());
        assert!(!error.is_retryable());
    }
}

#[tokio::test]
async fn truncated_json_on_200_is_a_decode_error() {
    let truncated = &V1_TEXT_SUCCESS[..V1_TEXT_SUCCESS.len() / 2];
    let error = error_for(V1, json(200, truncated)).await;
    let body = assert_decode(&error, V1, 200, "not JSON");
    assert_eq!(body, truncated);
    assert!(
        error.may_have_been_sent(),
        "a 200 may mean the message was accepted"
    );

    let truncated = &V2_ACCEPTED[..V2_ACCEPTED.len() / 2];
    let error = error_for(V2, json(202, truncated)).await;
    assert_decode(&error, V2, 202, "not JSON");
}

#[tokio::test]
async fn truncated_json_on_500_is_a_decode_error() {
    let truncated = &WA500[..WA500.len() / 2];
    for api in BOTH {
        let error = error_for(api, json(500, truncated)).await;
        let body = assert_decode(&error, api, 500, "not JSON");
        assert_eq!(body, truncated);
    }
}

#[tokio::test]
async fn json_of_the_wrong_shape_on_200_is_a_decode_error() {
    let error = error_for(V1, json(200, r#"{"status": "ok", "data": "queued"}"#)).await;
    assert_decode(&error, V1, 200, "v1 success shape");

    // A v1 success body that lists no message is no receipt either.
    let empty = r#"{"id": "cc8074ae", "type": "text", "totalCount": 0, "data": [], "error": {}}"#;
    let error = error_for(V1, json(200, empty)).await;
    assert_decode(&error, V1, 200, "lists no message");

    // WA202 with `data` as a list instead of an object.
    let v2_wrong = r#"{"code": "WA202", "message": "Request Accepted", "data": [], "error": {}}"#;
    let error = error_for(V2, json(202, v2_wrong)).await;
    assert_decode(&error, V2, 202, "v2 success shape");

    // A v1 success body sent to a v2 client.
    let error = error_for(V2, json(200, V1_TEXT_SUCCESS)).await;
    assert_decode(&error, V2, 200, "v2 success shape");
}

#[tokio::test]
async fn json_without_an_error_body_on_an_error_status_is_a_decode_error() {
    for api in BOTH {
        let error = error_for(api, json(503, r#"{"detail": "maintenance"}"#)).await;
        let body = assert_decode(&error, api, 503, "HTTP 503");
        assert_eq!(body, r#"{"detail": "maintenance"}"#);
    }
}

#[tokio::test]
async fn an_error_body_under_200_is_an_api_error() {
    let error = error_for(V1, json(200, E413_TYPE)).await;
    assert_api_error(
        &error,
        V1,
        200,
        ApiCode::InvalidInput,
        "Invalid/incorrect inputs",
        &[("type", "type field is mandatory")],
    );
    let error = error_for(V2, json(200, WA400)).await;
    assert_api_error(
        &error,
        V2,
        200,
        ApiCode::MalformedPayload,
        "Refer to correct payload format",
        &[("payload", "Incorrect payload format")],
    );
}

#[tokio::test]
async fn an_answer_over_the_size_cap_is_a_decode_error() {
    let server = server_answering(json(200, &" ".repeat(4096))).await;
    let client = client_builder(V1, &server.uri())
        .max_response_bytes(1024)
        .build()
        .expect("builds");
    let error = client
        .send(&Text::new("Hi"), TO)
        .await
        .expect_err("too large");
    assert_decode(&error, V1, 200, "cap");
}

// ---------------------------------------------------------------------------
// Retry classification.

#[tokio::test]
async fn wa429_is_retryable_and_was_not_sent() {
    let error = error_for(V2, json(429, WA429)).await;
    assert!(error.is_retryable());
    assert!(!error.may_have_been_sent());
}

#[tokio::test]
async fn wa500_is_not_retryable_but_may_have_been_sent() {
    for api in BOTH {
        let error = error_for(api, json(500, WA500)).await;
        assert!(!error.is_retryable(), "{api:?}");
        assert!(error.may_have_been_sent(), "{api:?}");
    }
}

#[tokio::test]
async fn a_401_is_neither_retryable_nor_possibly_sent() {
    for (api, body) in [(V1, RBC001), (V2, WA401), (V2, WA_401_VERSION)] {
        let error = error_for(api, json(401, body)).await;
        assert!(!error.is_retryable(), "{api:?}");
        assert!(!error.may_have_been_sent(), "{api:?}");
    }
}

#[tokio::test]
async fn a_refused_connection_is_retryable_and_was_not_sent() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let client = client_builder(V1, &format!("http://127.0.0.1:{port}"))
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("builds");
    let error = client
        .send(&Text::new("Hi"), TO)
        .await
        .expect_err("nobody listens");
    match &error {
        Error::Transport(transport) => {
            assert_eq!(
                transport.kind(),
                kaleyra_runtime::error::TransportErrorKind::Connect
            );
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert!(!error.may_have_been_sent());
}
