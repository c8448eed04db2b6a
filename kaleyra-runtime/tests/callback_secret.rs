//! The callback secret: generated or read with clear errors, compared in
//! constant time, put in the callback URL as its last path segment, and never
//! shown: not in `Debug` of the secret, the URL or a message, not in a
//! prepared request's `Debug`, `Display` or curl, not in errors, not in the
//! log of a send. Each test first checks the secret is really sent, so its
//! absence from what is shown means something.

use std::time::Duration;

use kaleyra_runtime::callbacks::{CallbackSecret, CallbackSecretError, CallbackUrl};

use kaleyra_runtime::{Api, Pod, PreparedRequest, TemplateMessage, Text};
use kaleyra_test_support::{CapturedLog, client};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "Zm9yZ2VkLW9yLW5vdC1zZWNyZXQtMDEyMzQ1Njc4OQ";
const BASE: &str = "https://app.example.com/kaleyra/callbacks";
const TO: &str = "+919876543210";

fn secret() -> CallbackSecret {
    CallbackSecret::new(SECRET).expect("a valid secret")
}

#[track_caller]
fn assert_hidden(what: &str, shown: &str) {
    assert!(!shown.contains(SECRET), "{what} shows the secret: {shown}");
    // A distinctive part of it, so a partial leak is caught too.
    assert!(
        !shown.contains(&SECRET[8..24]),
        "{what} shows part of the secret: {shown}"
    );
}

#[test]
fn generated_secrets_are_256_random_bits_in_base64url() {
    let one = CallbackSecret::generate().unwrap();
    let two = CallbackSecret::generate().unwrap();
    assert_eq!(one.expose_secret().len(), 43);
    assert!(
        one.expose_secret()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "URL-safe: {}",
        one.expose_secret()
    );
    assert_ne!(one, two, "two generated secrets differ");
    assert_eq!(
        CallbackSecret::new(one.expose_secret()).unwrap(),
        one,
        "a generated secret is accepted back"
    );
}

#[test]
fn a_secret_matches_itself_only() {
    let secret = secret();
    assert!(secret.matches(SECRET));
    let mut last_byte = SECRET.to_owned();
    last_byte.pop();
    last_byte.push('R');
    for forged in [
        "",
        &SECRET[..SECRET.len() - 1],
        &format!("{SECRET}x"),
        &last_byte,
        &SECRET.to_ascii_lowercase(),
    ] {
        assert!(!secret.matches(forged), "{forged}");
    }
}

#[test]
fn bad_secrets_are_refused_with_the_reason_and_without_the_value() {
    let short = "abc123";
    let error = CallbackSecret::new(short).unwrap_err();
    assert!(
        matches!(&error, CallbackSecretError::Invalid { reason, .. } if reason.contains("is 6 characters long")),
        "{error}"
    );
    let escaped = format!("{SECRET}/%");
    let error = CallbackSecret::new(escaped.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the callback secret has a character other than A-Z, a-z, 0-9, `-` and `_` at position 43"
    );
    assert_hidden("the error", &format!("{error} {error:?}"));
    let long = "a".repeat(257);
    assert!(CallbackSecret::new(long).is_err());
}

#[test]
fn the_environment_variable_is_read_and_checked() {
    let lookup = |value: Option<&'static str>| {
        move |name: &str| {
            assert_eq!(name, "KALEYRA_CALLBACK_SECRET");
            value.map(str::to_owned)
        }
    };
    let missing = CallbackSecret::from_lookup(lookup(None)).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("`KALEYRA_CALLBACK_SECRET` is not set"),
        "{missing}"
    );
    let invalid = CallbackSecret::from_lookup(lookup(Some("too-short-secret"))).unwrap_err();
    assert!(
        invalid
            .to_string()
            .starts_with("KALEYRA_CALLBACK_SECRET is 16 characters long"),
        "{invalid}"
    );
    assert!(!invalid.to_string().contains("too-short-secret"));
    assert_eq!(
        CallbackSecret::from_lookup(lookup(Some(SECRET))).unwrap(),
        secret()
    );
    // This test binary never sets the variable, so the environment has none.
    assert!(CallbackSecret::from_env().is_err());
}

#[test]
fn the_secret_is_the_last_path_segment_of_the_callback_url() {
    let url = secret().callback_url(BASE).unwrap();
    assert_eq!(url.expose_url(), format!("{BASE}/{SECRET}"));
    let with_slash = secret().callback_url(&format!("{BASE}/")).unwrap();
    assert_eq!(with_slash.expose_url(), format!("{BASE}/{SECRET}"));
    assert_eq!(url.to_string(), format!("{BASE}/[redacted]"));
    assert_hidden("Debug of the URL", &format!("{url:?}"));
    assert_hidden("Debug of the secret", &format!("{:?}", secret()));

    for (base, reason) in [
        ("ftp://app.example.com/cb", "is ftp"),
        (
            "https://app.example.com/cb?token=1",
            "has a query or fragment",
        ),
        ("not a url", "is not a URL"),
    ] {
        let error = secret().callback_url(base).unwrap_err();
        assert!(error.to_string().contains(reason), "{base}: {error}");
        assert_hidden("the base URL error", &error.to_string());
    }
}

/// Prepared requests that carry the secret URL, on v1 (POST and GET) and v2.
fn prepared(url: &CallbackUrl) -> Vec<PreparedRequest> {
    vec![
        client(Api::V1)
            .prepare(
                &TemplateMessage::new("booking_confirm")
                    .param("Ada")
                    .callback_url(url),
                TO,
            )
            .unwrap(),
        client(Api::V1)
            .prepare(&Text::new("Hi").use_get().callback_url(url), TO)
            .unwrap(),
        client(Api::V2(Pod::In))
            .prepare(&Text::new("Hi").callback_url(url), TO)
            .unwrap(),
    ]
}

#[test]
fn messages_and_prepared_requests_carry_the_secret_and_never_show_it() {
    let url = secret().callback_url(BASE).unwrap();
    let message = Text::new("Hi").callback_url(&url);
    assert_hidden("Debug of the message", &format!("{message:?} {message:#?}"));
    for request in prepared(&url) {
        let sent = match request.form_fields() {
            Some(fields) => fields
                .into_iter()
                .find(|(name, _)| name == "callback_url")
                .map(|(_, value)| value),
            None => request.json().unwrap()["extra_info"]["callback_url"]
                .as_str()
                .map(str::to_owned),
        };
        assert_eq!(sent.as_deref(), Some(url.expose_url()), "it is sent");
        assert_hidden("Debug of the request", &format!("{request:?}"));
        assert_hidden("Display of the request", &request.to_string());
        let curl = request.to_curl();
        assert_hidden("the curl command", &curl);
        assert!(
            curl.contains("[redacted]"),
            "the secret's place is marked: {curl}"
        );
    }
}

#[test]
fn plain_callback_urls_are_taken_as_before_and_shown_as_they_are() {
    let plain = "https://app.example.com/cb";
    let owned = plain.to_owned();
    for message in [
        Text::new("Hi").callback_url(plain),
        Text::new("Hi").callback_url(&owned),
        Text::new("Hi").callback_url(owned.clone()),
    ] {
        let request = client(Api::V1).prepare(&message, TO).unwrap();
        assert!(
            request
                .to_curl()
                .contains("callback_url=https%3A%2F%2Fapp.example.com%2Fcb")
        );
    }
}

// One thread, so every event of the sends reaches this test's subscriber.
#[tokio::test(flavor = "current_thread")]
async fn the_log_of_sending_with_a_secret_url_never_has_the_secret() {
    let log = CapturedLog::start();

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("{}"))
        .mount(&server)
        .await;
    let url = secret().callback_url(BASE).unwrap();
    let v1 = kaleyra_test_support::client_builder(Api::V1, &server.uri())
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let error = v1
        .send(&Text::new("Hi").use_get().callback_url(&url), TO)
        .await
        .unwrap_err();
    let received = server.received_requests().await.unwrap();
    assert!(
        received[0].url.as_str().contains(SECRET),
        "the GET carries the secret in its query"
    );

    let captured = log.text();
    assert!(captured.contains("sending to Kaleyra"), "{captured}");
    assert_hidden("the log", &captured);
    assert_hidden("the error", &format!("{error} {error:?}"));
}
