//! The API key never shows: not in `Debug` of the client, its builder, a
//! prepared request or any error, nor in a prepared request's `Display` or
//! `to_curl()`. Each test first checks the key is really in use (the request
//! carries it, or the server received it), so its absence means something.

use std::time::Duration;

use kaleyra_runtime::{Api, Client, CtaUrl, Error, Pod, PreparedRequest, Text, WaSource};
use kaleyra_test_support::{API_KEY, CapturedLog, FROM, SID, builder, client};
use wiremock::matchers::{any, body_partial_json};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TO: &str = "+919876543210";
const TO_2: &str = "+919876543211";

const V1: Api = Api::V1;
const V2: Api = Api::V2(Pod::In);
const BOTH: [Api; 2] = [V1, V2];

/// A distinctive part of the key, so a partial leak is caught too.
const KEY_PART: &str = "key-0123456789";

fn client_at(api: Api, base_url: String) -> Client {
    kaleyra_test_support::client_builder(api, &base_url)
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("the client builds")
}

#[track_caller]
fn assert_hidden(what: &str, shown: &str) {
    assert!(API_KEY.contains(KEY_PART), "KEY_PART is part of the key");
    assert!(
        !shown.contains(API_KEY),
        "{what} shows the API key: {shown}"
    );
    assert!(
        !shown.contains(KEY_PART),
        "{what} shows part of the API key: {shown}"
    );
}

#[track_caller]
fn assert_error_hidden(what: &str, error: &Error) {
    assert_hidden(&format!("Debug of {what}"), &format!("{error:?}"));
    assert_hidden(&format!("Display of {what}"), &format!("{error}"));
    assert_hidden(
        &format!("alternate Debug of {what}"),
        &format!("{error:#?}"),
    );
}

/// The request really carries the key, in its `api-key` header.
#[track_caller]
fn assert_carries_key(request: &PreparedRequest) {
    let value = request.headers().get("api-key").expect("an api-key header");
    assert_eq!(value.to_str().expect("ASCII"), API_KEY);
    assert!(value.is_sensitive(), "the header is marked sensitive");
}

fn prepared(api: Api) -> Vec<PreparedRequest> {
    let client = client(api);
    let mut requests = vec![
        client
            .prepare(&Text::new("Your order has shipped").reference("c1"), TO)
            .expect("prepared"),
    ];
    if api == V1 {
        requests.push(
            client
                .prepare(&Text::new("Your order has shipped").use_get(), TO)
                .expect("prepared"),
        );
    } else {
        requests.push(
            client
                .prepare(&CtaUrl::new("Tap below", "See", "https://example.com"), TO)
                .expect("prepared"),
        );
    }
    requests
}

#[test]
fn client_debug_hides_the_api_key() {
    for api in BOTH {
        let client = client(api);
        let shown = format!("{client:?}");
        assert_hidden("Debug of Client", &shown);
        assert_hidden("alternate Debug of Client", &format!("{client:#?}"));
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(shown.contains(SID), "the rest is shown: {shown}");
    }
}

#[test]
fn client_builder_debug_hides_the_api_key() {
    for api in BOTH {
        let builder = builder(api).base_url("https://api.in.kaleyra.io");
        assert_hidden("Debug of ClientBuilder", &format!("{builder:?}"));
        assert_hidden("alternate Debug of ClientBuilder", &format!("{builder:#?}"));
    }
}

#[test]
fn prepared_request_debug_hides_the_api_key() {
    for api in BOTH {
        for request in prepared(api) {
            assert_carries_key(&request);
            let shown = format!("{request:?}");
            assert_hidden("Debug of PreparedRequest", &shown);
            assert_hidden(
                "alternate Debug of PreparedRequest",
                &format!("{request:#?}"),
            );
            assert!(shown.contains("api-key"), "the header is listed: {shown}");
            assert_hidden(
                "Debug of PreparedRequest::headers",
                &format!("{:?}", request.headers()),
            );
        }
    }
}

#[test]
fn prepared_request_display_and_curl_hide_the_api_key() {
    for api in BOTH {
        for request in prepared(api) {
            assert_carries_key(&request);
            let curl = request.to_curl();
            assert_hidden("to_curl", &curl);
            assert_hidden("Display of PreparedRequest", &request.to_string());
            assert!(
                curl.contains("$KALEYRA_API_KEY"),
                "the curl command reads the key from the environment: {curl}"
            );
            assert!(
                curl.contains("\"api-key: $KALEYRA_API_KEY\""),
                "in double quotes, so the shell expands it: {curl}"
            );
            assert_eq!(request.to_string(), curl, "Display is the curl command");
        }
    }
}

#[test]
fn invalid_and_unsupported_errors_hide_the_api_key() {
    // A key that is refused must not be echoed in the refusal.
    let error = Client::builder()
        .sid(SID)
        .api_key(format!("{API_KEY} \n"))
        .from(FROM)
        .build()
        .expect_err("whitespace in the key");
    assert!(matches!(&error, Error::Invalid { field, .. } if field == "api_key"));
    assert_error_hidden("a refused API key", &error);

    let error = Client::from_lookup(|name| match name {
        "KALEYRA_SID" => Some(SID.to_owned()),
        "KALEYRA_API_KEY" => Some(format!("{API_KEY} x")),
        "KALEYRA_FROM" => Some(FROM.to_owned()),
        _ => None,
    })
    .expect_err("whitespace in the key");
    assert!(matches!(&error, Error::Invalid { field, .. } if field == "KALEYRA_API_KEY"));
    assert_error_hidden("a refused KALEYRA_API_KEY", &error);

    let error = builder(V1)
        .base_url("http://api.kaleyra.io")
        .build()
        .expect_err("plain http");
    assert_error_hidden("a refused base URL", &error);

    for api in BOTH {
        let error = client(api)
            .prepare(&Text::new("a".repeat(4097)), TO)
            .expect_err("too long");
        assert_error_hidden("Error::Invalid", &error);
        let error = client(api)
            .prepare(&Text::new("Hi"), "not a number")
            .expect_err("bad number");
        assert_error_hidden("Error::Invalid for `to`", &error);
    }
    let error = client(V1)
        .prepare(&Text::new("Hi").wa_source(WaSource::Api), TO)
        .expect_err("unsupported");
    assert!(matches!(error, Error::Unsupported { .. }));
    assert_error_hidden("Error::Unsupported", &error);
}

#[tokio::test]
async fn api_and_decode_errors_hide_the_api_key() {
    let rbc001 = r#"{"code": "RBC001", "message": "Incorrect SID or API key.", "data": [], "error": {"error": "Incorrect SID or API key."}}"#;
    for api in BOTH {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(401).set_body_raw(rbc001, "application/json"))
            .mount(&server)
            .await;
        let error = client_at(api, server.uri())
            .send(&Text::new("Hi"), TO)
            .await
            .expect_err("401");
        assert!(matches!(error, Error::Api { status: 401, .. }), "{error:?}");
        assert_error_hidden("Error::Api", &error);
        let requests = server.received_requests().await.expect("recorded");
        assert_eq!(
            requests[0].headers.get("api-key").map(|v| v.as_bytes()),
            Some(API_KEY.as_bytes()),
            "the key was sent"
        );

        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(502).set_body_raw("<html>502</html>", "text/html"))
            .mount(&server)
            .await;
        let error = client_at(api, server.uri())
            .send(&Text::new("Hi"), TO)
            .await
            .expect_err("502");
        assert!(
            matches!(error, Error::Decode { status: 502, .. }),
            "{error:?}"
        );
        assert_error_hidden("Error::Decode", &error);
    }
}

#[tokio::test]
async fn a_transport_error_from_a_refused_connection_hides_the_api_key() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
        // The listener is dropped here, so nothing listens on the port.
    };
    for api in BOTH {
        let client = client_at(api, format!("http://127.0.0.1:{port}"));
        let error = client
            .send(&Text::new("Hi"), TO)
            .await
            .expect_err("nobody listens");
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert_error_hidden("Error::Transport", &error);
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            assert_hidden("an error's source", &format!("{cause:?} {cause}"));
            source = cause.source();
        }
    }
}

#[tokio::test]
async fn a_recipients_failed_error_hides_the_api_key() {
    let server = MockServer::start().await;
    Mock::given(body_partial_json(
        serde_json::json!({"messaging_object": {"to": TO}}),
    ))
    .respond_with(ResponseTemplate::new(202).set_body_raw(
        r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"wamid.A"},"error":{}}"#,
        "application/json",
    ))
    .mount(&server)
    .await;
    Mock::given(body_partial_json(
        serde_json::json!({"messaging_object": {"to": TO_2}}),
    ))
    .respond_with(ResponseTemplate::new(500).set_body_raw(
        r#"{"code":"WA500","message":"Please try again later","data":{},"error":{"error":"Internal server error"}}"#,
        "application/json",
    ))
    .mount(&server)
    .await;

    let error = client_at(V2, server.uri())
        .send(&Text::new("Hi"), [TO, TO_2])
        .await
        .expect_err("one recipient failed");
    assert!(matches!(error, Error::RecipientsFailed { .. }), "{error:?}");
    assert_error_hidden("Error::RecipientsFailed", &error);
}

// One thread, so every event of the send (the client's and its HTTP stack's)
// reaches the subscriber set for this test.
#[tokio::test(flavor = "current_thread")]
async fn tracing_output_of_sending_failing_and_retrying_never_has_the_key() {
    let log = CapturedLog::start();

    let server = MockServer::start().await;
    let too_many = r#"{"code":"WA429","message":"Too many requests","data":{},"error":{"error":"Too many requests"}}"#;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).set_body_string(too_many))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_body_string(
            r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"wamid.OK"},"error":{}}"#,
        ))
        .mount(&server)
        .await;
    let policy = kaleyra_runtime::RetryPolicy::safe(1).max_delay(Duration::from_millis(10));
    let retried = builder(V2)
        .base_url(server.uri())
        .retry_policy(policy)
        .build()
        .unwrap();
    let receipt = retried
        .send(&Text::new("hi"), TO)
        .await
        .expect("sent after one retry");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "it did retry"
    );

    let refused_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let failing = client_at(V1, format!("http://127.0.0.1:{refused_port}"));
    let error = failing.send(&Text::new("hi"), TO).await.unwrap_err();

    let captured = log.text();
    assert!(
        captured.contains("retrying the send"),
        "the retry was logged:\n{captured}"
    );
    assert!(
        captured.contains("sending to Kaleyra"),
        "sends were logged:\n{captured}"
    );
    assert_hidden("tracing output", &captured);
    assert_hidden("Debug of the receipt", &format!("{receipt:?}"));
    assert_error_hidden("the transport error", &error);
    assert_hidden("Debug of the clients", &format!("{retried:?} {failing:?}"));
}
