//! Callback-profile authentication in `callback_router`, over real HTTP on
//! 127.0.0.1: custom headers, HTTP Basic and bearer tokens from the
//! router's own auth URL, each composed with the URL secret; a request with
//! a wrong or missing credential is refused before the handler runs (each
//! test counts its calls), and the setups that cannot work are refused when
//! they are made.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use kaleyra_runtime::callbacks::{
    BasicCredentials, CallbackAuth, CallbackHeader, CallbackSecret, CallbackTokens, Event,
    TokenAnswer, callback_router,
};
use secrecy::ExposeSecret;

const STATUS: &str = r#"{"meta_object": {"field": "messages", "value": {"statuses": [
    {"id": "wamid.A", "status": "delivered", "recipient_id": "919876543210"}]}}}"#;
const HEADER_VALUE: &str = "header-token-0123456789abcdef";
const PASSWORD: &str = "basic-password-0123456789";
const CLIENT_ID: &str = "kaleyra-client";
const CLIENT_SECRET: &str = "client-secret-0123456789abcdef";

/// `callback_router("/kaleyra", auth)` on 127.0.0.1: its base URL and the
/// handler's call count.
async fn receiver(auth: CallbackAuth) -> (String, Arc<AtomicUsize>) {
    let handled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&handled);
    let app = callback_router("/kaleyra", auth, move |_event: Event| {
        let counter = Arc::clone(&counter);
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/kaleyra"), handled)
}

/// Posts the status callback to `url` with `headers`; the answer's status.
async fn post(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(STATUS);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

fn url(secret: &CallbackSecret, base: &str) -> String {
    secret.callback_url(base).unwrap().expose_url().to_owned()
}

#[tokio::test]
async fn the_url_secret_and_a_header_are_both_required() {
    let secret = CallbackSecret::generate().unwrap();
    let header = CallbackHeader::new("X-Callback-Token", HEADER_VALUE).unwrap();
    let auth = CallbackAuth::secret(secret.clone())
        .and_header(header)
        .unwrap();
    let (base, handled) = receiver(auth).await;
    let right = url(&secret, &base);
    let response = post(&right, &[("X-Callback-Token", HEADER_VALUE)]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(handled.load(Ordering::SeqCst), 1);

    let other_url = url(&CallbackSecret::generate().unwrap(), &base);
    for (url, headers) in [
        (&right, vec![]),
        (
            &right,
            vec![("X-Callback-Token", "header-token-0123456789abcdeX")],
        ),
        (&right, vec![("X-Callback-Token", &HEADER_VALUE[1..])]),
        (
            &right,
            vec![
                ("X-Callback-Token", HEADER_VALUE),
                ("X-Callback-Token", HEADER_VALUE),
            ],
        ),
        (&other_url, vec![("X-Callback-Token", HEADER_VALUE)]),
    ] {
        let response = post(url, &headers).await;
        assert_eq!(response.status(), 404, "{headers:?}");
        assert_eq!(
            response.content_length(),
            Some(0),
            "the refusal says nothing"
        );
    }
    assert_eq!(
        handled.load(Ordering::SeqCst),
        1,
        "no refused request ran the handler"
    );
}

#[tokio::test]
async fn basic_credentials_are_required_as_rfc_7617_says() {
    let basic = BasicCredentials::new("kaleyra", PASSWORD).unwrap();
    let (base, handled) = receiver(CallbackAuth::basic(basic.clone())).await;
    let right = basic.expose_header_value();
    assert_eq!(
        right,
        format!("Basic {}", STANDARD.encode(format!("kaleyra:{PASSWORD}")))
    );
    assert_eq!(
        post(&base, &[("Authorization", &right)]).await.status(),
        200
    );
    let wrong = format!(
        "Basic {}",
        STANDARD.encode("kaleyra:basic-password-012345678X")
    );
    let bearer = right.replacen("Basic", "Bearer", 1);
    for headers in [
        vec![],
        vec![("Authorization", wrong.as_str())],
        vec![("Authorization", bearer.as_str())],
    ] {
        assert_eq!(post(&base, &headers).await.status(), 404, "{headers:?}");
    }
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}

fn tokens() -> CallbackTokens {
    CallbackTokens::new("/kaleyra/token", CLIENT_ID, CLIENT_SECRET).unwrap()
}

/// Asks the router's auth URL for a token with a form body.
async fn fetch_token(base: &str, client_secret: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={client_secret}"
        ))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_auth_url_issues_tokens_to_the_client_only_in_kaleyras_shape() {
    let secret = CallbackSecret::generate().unwrap();
    let auth = CallbackAuth::secret(secret.clone())
        .and_bearer(tokens())
        .unwrap();
    let (base, handled) = receiver(auth).await;

    let refused = fetch_token(&base, "client-secret-0123456789abcdeX").await;
    assert_eq!(refused.status(), 401);
    let body = refused.text().await.unwrap();
    assert!(body.contains("invalid_client"), "{body}");

    let answered = fetch_token(&base, CLIENT_SECRET).await;
    assert_eq!(answered.status(), 200);
    assert_eq!(answered.headers()["cache-control"], "no-store");
    let body = answered.bytes().await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    for field in ["expires_in", "ext_expires_in", "expires_on", "not_before"] {
        assert!(json[field].is_string(), "{field} is a string: {json}");
    }
    assert_eq!(json["token_type"], "Bearer");
    assert_eq!(json["expires_in"], "3600");
    let token = TokenAnswer::parse(&body).unwrap();
    let bearer = format!("Bearer {}", token.access_token.expose_secret());

    let callback_url = url(&secret, &base);
    assert_eq!(
        post(&callback_url, &[("Authorization", &bearer)])
            .await
            .status(),
        200
    );
    assert_eq!(handled.load(Ordering::SeqCst), 1);

    // A forged token, once everything else matches: 401, so Kaleyra fetches anew.
    let forged = post(
        &callback_url,
        &[("Authorization", "Bearer forged-token-0123456789")],
    )
    .await;
    assert_eq!(forged.status(), 401);
    assert_eq!(
        forged.headers()["www-authenticate"],
        r#"Bearer error="invalid_token""#
    );
    // No token at all, or the right token on a URL without the secret: 404.
    assert_eq!(post(&callback_url, &[]).await.status(), 404);
    let other_url = url(&CallbackSecret::generate().unwrap(), &base);
    assert_eq!(
        post(&other_url, &[("Authorization", &bearer)])
            .await
            .status(),
        404
    );
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_auth_url_takes_json_and_basic_client_credentials_too() {
    let (base, _handled) = receiver(CallbackAuth::bearer(tokens())).await;
    let http = reqwest::Client::new();
    let json = http
        .post(format!("{base}/token"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"client_id":"{CLIENT_ID}","client_secret":"{CLIENT_SECRET}"}}"#
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 200);
    let basic = http
        .get(format!("{base}/token"))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);
    let missing = http.post(format!("{base}/token")).send().await.unwrap();
    assert_eq!(missing.status(), 400);
    let put = http.put(format!("{base}/token")).send().await.unwrap();
    assert_eq!(put.status(), 404);
}

#[tokio::test]
async fn a_token_past_its_lifetime_is_refused() {
    let tokens = tokens().lifetime(Duration::from_secs(1)).unwrap();
    let (base, handled) = receiver(CallbackAuth::bearer(tokens)).await;
    let body = fetch_token(&base, CLIENT_SECRET)
        .await
        .bytes()
        .await
        .unwrap();
    let token = TokenAnswer::parse(&body).unwrap();
    assert_eq!(token.expires_in, 1);
    let bearer = format!("Bearer {}", token.access_token.expose_secret());
    assert_eq!(
        post(&base, &[("Authorization", &bearer)]).await.status(),
        200
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        post(&base, &[("Authorization", &bearer)]).await.status(),
        401
    );
    assert_eq!(handled.load(Ordering::SeqCst), 1);
}

#[test]
fn setups_that_cannot_work_are_refused_with_the_reason() {
    let secret = CallbackSecret::generate().unwrap();
    let basic = BasicCredentials::new("kaleyra", PASSWORD).unwrap();
    let header = CallbackHeader::new("X-Callback-Token", HEADER_VALUE).unwrap();
    let authorization_header = CallbackHeader::new("Authorization", HEADER_VALUE).unwrap();

    let both = CallbackAuth::bearer(tokens())
        .and_basic(basic.clone())
        .unwrap_err();
    assert!(
        both.to_string().contains("one Authorization header"),
        "{both}"
    );
    let both = CallbackAuth::basic(basic.clone())
        .and_bearer(tokens())
        .unwrap_err();
    assert!(
        both.to_string().contains("one Authorization header"),
        "{both}"
    );
    let custom = CallbackAuth::basic(basic.clone())
        .and_header(authorization_header.clone())
        .unwrap_err();
    assert!(custom.to_string().contains("Authorization"), "{custom}");
    let custom = CallbackAuth::header(authorization_header)
        .and_basic(basic)
        .unwrap_err();
    assert!(custom.to_string().contains("Authorization"), "{custom}");
    let twice = CallbackAuth::secret(secret)
        .and_header(header.clone())
        .unwrap()
        .and_header(header)
        .unwrap_err();
    assert!(twice.to_string().contains("required twice"), "{twice}");
}

#[test]
fn debug_of_every_mode_shows_no_credential() {
    let secret = CallbackSecret::generate().unwrap();
    let auth = CallbackAuth::secret(secret.clone())
        .and_header(CallbackHeader::new("X-Callback-Token", HEADER_VALUE).unwrap())
        .unwrap()
        .and_bearer(tokens())
        .unwrap();
    let basic = CallbackAuth::secret(secret.clone())
        .and_basic(BasicCredentials::new("kaleyra", PASSWORD).unwrap())
        .unwrap();
    let shown = format!("{auth:?} {basic:?}");
    for hidden in [
        secret.expose_secret(),
        HEADER_VALUE,
        PASSWORD,
        CLIENT_SECRET,
        CLIENT_ID,
    ] {
        assert!(!shown.contains(hidden), "{shown}");
    }
    assert!(
        shown.contains("x-callback-token") && shown.contains("/kaleyra/token"),
        "{shown}"
    );
    // The plain secret keeps its short form.
    assert_eq!(
        format!("{:?}", CallbackAuth::secret(secret)),
        r#"CallbackAuth::Secret(CallbackSecret("[redacted]"))"#
    );
}

mod no_panic {
    use axum::extract::FromRequest;
    use kaleyra_runtime::callbacks::{Callback, CallbackRejection};
    use kaleyra_test_support::proptest_config;
    use proptest::prelude::*;

    use super::*;

    /// Every mode at once but Basic (one Authorization header): secret,
    /// header and bearer.
    fn strict() -> (CallbackAuth, CallbackSecret) {
        let secret = CallbackSecret::new("Zm9yZ2VkLW9yLW5vdC1zZWNyZXQtMDEyMzQ1Njc4OQ").unwrap();
        let auth = CallbackAuth::secret(secret.clone())
            .and_header(CallbackHeader::new("X-Callback-Token", HEADER_VALUE).unwrap())
            .unwrap()
            .and_bearer(tokens())
            .unwrap();
        (auth, secret)
    }

    proptest! {
        #![proptest_config(proptest_config(256))]

        #[test]
        fn constructors_refuse_or_accept_any_text_without_panicking(
            name in ".{0,40}", value in ".{0,80}", user in ".{0,20}",
        ) {
            let _ = CallbackHeader::new(&name, value.clone());
            let _ = BasicCredentials::new(user.clone(), value.clone());
            let _ = CallbackTokens::new(&name, user, value);
        }

        #[test]
        fn token_answers_of_any_bytes_are_read_or_refused(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = TokenAnswer::parse(&body);
        }

        #[test]
        fn token_answer_refusals_never_quote_the_token(
            expires_in in "[0-9a-z ]{0,12}", access_token in "tok-[a-z]{8}", token_type in "[A-Za-z]{0,10}",
        ) {
            // The other fields cannot hold `-`, so a refusal holding the token quoted it.
            let body = serde_json::json!({
                "token_type": token_type, "expires_in": expires_in, "access_token": access_token,
            });
            if let Err(error) = TokenAnswer::parse(body.to_string().as_bytes()) {
                prop_assert!(!error.to_string().contains(&access_token), "{error}");
            }
        }

        #[test]
        fn a_request_with_any_credentials_is_refused_unless_they_are_right(
            header in proptest::collection::vec(any::<u8>(), 0..60),
            authorization in proptest::collection::vec(any::<u8>(), 0..80),
        ) {
            let (auth, secret) = strict();
            let mut request = axum::http::Request::post(format!("/kaleyra/{}", secret.expose_secret()));
            if let Ok(value) = axum::http::HeaderValue::from_bytes(&header) {
                request = request.header("x-callback-token", value);
            }
            if let Ok(value) = axum::http::HeaderValue::from_bytes(&authorization) {
                request = request.header("authorization", value);
            }
            let request = request
                .header("content-type", "application/json")
                .body(axum::body::Body::from(STATUS))
                .unwrap();
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let result = runtime.block_on(Callback::from_request(request, &auth));
            prop_assert!(
                matches!(result, Err(CallbackRejection::NotFound | CallbackRejection::InvalidToken)),
                "{result:?}"
            );
        }
    }
}
