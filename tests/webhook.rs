//! Receiving callbacks with the `axum` feature: a real server on loopback
//! gets Kaleyra's callbacks and hands the application typed events, in order,
//! only when the URL ends with the callback secret; forged requests, bodies
//! over the limit and malformed bodies never reach the handler.

use std::net::SocketAddr;

use axum::Router;
use kaleyra_runtime::callbacks::CallbackSecret;
use kaleyra_runtime::callbacks::{Callback, CallbackAuth, callback_router};
use kaleyra_runtime::callbacks::{Content, DeliveryState, Event, TemplateEvent};
use tokio::sync::mpsc;

const STATUSES: &str = r#"{"meta_object": {"field": "messages", "value": {"statuses": [
    {"id": "wamid.A", "status": "sent", "recipient_id": "919876543210"},
    {"id": "wamid.A", "status": "delivered", "recipient_id": "919876543210"}
]}}}"#;

/// Serves `app` on 127.0.0.1 and gives its address.
async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// Serves `callback_router` on 127.0.0.1 with `auth`; gives its address and
/// the events it hands over.
async fn receiver(auth: CallbackAuth) -> (SocketAddr, mpsc::UnboundedReceiver<Event>) {
    let (sender, events) = mpsc::unbounded_channel();
    let app = callback_router("/kaleyra", auth, move |event| {
        let sender = sender.clone();
        async move {
            sender.send(event).unwrap();
        }
    });
    (serve(app).await, events)
}

/// A receiver that takes the URLs of `secret`; gives the callback URL.
async fn secret_receiver(secret: &CallbackSecret) -> (String, mpsc::UnboundedReceiver<Event>) {
    let (address, events) = receiver(CallbackAuth::secret(secret.clone())).await;
    let url = secret
        .callback_url(&format!("http://{address}/kaleyra"))
        .unwrap();
    (url.expose_url().to_owned(), events)
}

async fn post_json(url: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn json_form_and_query_callbacks_become_events_in_order() {
    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    let http = reqwest::Client::new();

    let response = post_json(&url, STATUSES).await;
    assert_eq!(response.status(), 200);
    let response = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("from=919876543210&type=text&body=Hi+there")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = http
        .get(format!("{url}?id=m1%3A0&status=read&mobile=919876543210"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let mut received = Vec::new();
    for _ in 0..4 {
        received.push(events.recv().await.unwrap());
    }
    assert!(
        matches!(&received[0], Event::Status(s) if s.message_id == "wamid.A" && s.status == DeliveryState::Sent)
    );
    assert!(matches!(&received[1], Event::Status(s) if s.status == DeliveryState::Delivered));
    assert!(
        matches!(&received[2], Event::Message(m) if m.content == Content::Text { body: "Hi there".into() })
    );
    assert!(
        matches!(&received[3], Event::Status(s) if s.message_id == "m1:0" && s.status == DeliveryState::Read)
    );
}

#[tokio::test]
async fn a_malformed_callback_is_refused_with_the_reason() {
    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    let response = post_json(&url, "{\"meta_object\": ").await;
    assert_eq!(response.status(), 400);
    let reason = response.text().await.unwrap();
    assert!(
        reason.starts_with("the callback body is not JSON"),
        "{reason}"
    );
    assert!(events.try_recv().is_err(), "nothing is handed over");
}

#[tokio::test]
async fn forged_callbacks_never_reach_the_handler_and_the_right_one_does_once_per_event() {
    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    let exposed = secret.expose_secret();
    let base = url.strip_suffix(exposed).unwrap().trim_end_matches('/');
    let other = CallbackSecret::generate().unwrap();
    let mut last_byte_differs = exposed.to_owned();
    let last = last_byte_differs.pop().unwrap();
    last_byte_differs.push(if last == 'A' { 'B' } else { 'A' });

    for forged in [
        base.to_owned(),                                     // no secret
        format!("{base}/"),                                  // an empty one
        format!("{base}/{}", other.expose_secret()),         // a wrong one
        format!("{base}/{last_byte_differs}"),               // differing in its last byte
        format!("{base}/{}", &exposed[..exposed.len() - 1]), // one byte short
        format!("{base}?secret={exposed}"),                  // the right one, in the query
        format!("{base}/x?secret={exposed}"),
        format!("{base}/{exposed}/x"), // not the last segment
        format!("{base}/{exposed}/"),
        format!("{base}/x/{exposed}"), // under another path
    ] {
        let response = post_json(&forged, STATUSES).await;
        assert_eq!(response.status(), 404, "{forged}");
        assert_eq!(response.text().await.unwrap(), "", "{forged}: says nothing");
        let separator = if forged.contains('?') { '&' } else { '?' };
        let get = reqwest::get(format!("{forged}{separator}id=m1&status=read"))
            .await
            .unwrap();
        assert_eq!(get.status(), 404, "GET {forged}");
    }
    assert!(
        events.try_recv().is_err(),
        "no forged event was handed over"
    );

    let response = post_json(&url, STATUSES).await;
    assert_eq!(response.status(), 200);
    // The handler has run for every event before the answer.
    let mut received = Vec::new();
    while let Ok(event) = events.try_recv() {
        received.push(event);
    }
    assert_eq!(received.len(), 2, "each event once: {received:?}");
    assert_ne!(received[0].idempotency_key(), received[1].idempotency_key());
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_and_a_forged_one_404() {
    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    let mebibyte = vec![b' '; 1024 * 1024];
    let response = post_json(&url, mebibyte.clone()).await;
    assert_eq!(response.status(), 413);
    let reason = response.text().await.unwrap();
    assert_eq!(reason, "a callback body is at most 65536 bytes");

    let just_over = vec![b' '; Callback::BODY_LIMIT + 1];
    assert_eq!(post_json(&url, just_over).await.status(), 413);
    // At the limit, a callback (padded with whitespace) is read.
    let mut at_limit = STATUSES.as_bytes().to_vec();
    at_limit.resize(Callback::BODY_LIMIT, b' ');
    assert_eq!(post_json(&url, at_limit).await.status(), 200);

    let base = url.strip_suffix(secret.expose_secret()).unwrap();
    let forged = post_json(&format!("{base}wrong"), mebibyte).await;
    assert_eq!(forged.status(), 404, "the secret is checked first");

    let mut received = Vec::new();
    while let Ok(event) = events.try_recv() {
        received.push(event);
    }
    assert_eq!(received.len(), 2, "only the callback at the limit");
}

#[tokio::test]
async fn an_unauthenticated_router_has_to_be_asked_for_and_serves_the_path() {
    let (address, mut events) = receiver(CallbackAuth::allow_unauthenticated()).await;
    let response = post_json(&format!("http://{address}/kaleyra"), STATUSES).await;
    assert_eq!(response.status(), 200);
    assert!(events.recv().await.is_some());
}

#[tokio::test]
async fn the_extractor_in_an_application_route_checks_the_secret_too() {
    let secret = CallbackSecret::generate().unwrap();
    let (sender, mut events) = mpsc::unbounded_channel();
    let app = Router::new()
        .route(
            "/hooks/{secret}",
            axum::routing::post(move |Callback(received): Callback| async move {
                sender.send(received).unwrap();
            }),
        )
        .with_state(CallbackAuth::from(secret.clone()));
    let address = serve(app).await;
    let url = secret
        .callback_url(&format!("http://{address}/hooks"))
        .unwrap();

    let forged = post_json(&format!("http://{address}/hooks/guess"), STATUSES).await;
    assert_eq!(forged.status(), 404);
    assert!(events.try_recv().is_err());
    let response = post_json(url.expose_url(), STATUSES).await;
    assert_eq!(response.status(), 200);
    assert_eq!(events.recv().await.unwrap().len(), 2);
}

#[tokio::test]
async fn template_status_callbacks_reach_the_handler_posted_or_by_get() {
    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    // A callback profile's POST: Kaleyra's flat fields, the event in its own spelling.
    let posted = r#"{"id": "cb-1", "time": "2026-11-30 10:00:00", "event": "Paused",
        "message_template_id": 902117263554810, "message_template_name": "order_update",
        "message_template_language": "en_US", "reason": "LOW_QUALITY",
        "callback_profile_id": "cp-9", "company_id": "c-1"}"#;
    assert_eq!(post_json(&url, posted).await.status(), 200);
    // A GET profile: the id and no name, as a query string.
    let query = format!(
        "{url}?id=cb-2&event=approved&message_template_id=902117263554810&message_template_language=en_US&other_info=%7B%7D"
    );
    assert_eq!(reqwest::get(&query).await.unwrap().status(), 200);

    let Event::TemplateStatus(paused) = events.recv().await.unwrap() else {
        panic!("not a template status")
    };
    assert_eq!(paused.event, TemplateEvent::Paused);
    assert_eq!(paused.name.as_deref(), Some("order_update"));
    assert_eq!(paused.language.as_deref(), Some("en_US"));
    assert_eq!(paused.template_id.as_deref(), Some("902117263554810"));
    assert_eq!(paused.reason.as_deref(), Some("LOW_QUALITY"));
    assert_eq!(paused.extra["callback_profile_id"], "cp-9");
    let Event::TemplateStatus(approved) = events.recv().await.unwrap() else {
        panic!("not a template status")
    };
    assert_eq!(approved.event, TemplateEvent::Approved);
    assert_eq!(approved.name, None);
    assert_eq!(approved.template_id.as_deref(), Some("902117263554810"));
    assert_eq!(approved.extra["other_info"], "{}");
}

#[tokio::test]
async fn json_that_is_not_an_object_gets_400_and_never_reaches_the_handler() {
    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    for body in [
        "[1, 2]",
        "[]",
        "\"delivered\"",
        "42",
        "true",
        "null",
        "[{\"id\": \"m1\", \"status\": \"read\"}]",
    ] {
        let response = post_json(&url, body).await;
        assert_eq!(response.status(), 400, "{body}");
        let reason = response.text().await.unwrap();
        assert!(reason.contains("not an object"), "{body}: {reason}");
    }
    assert!(events.try_recv().is_err(), "nothing is handed over");
}

/// Status, headers (but `date`) and body of `method` on `url`.
async fn answer(method: &str, url: &str) -> (u16, Vec<(String, String)>, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let response = reqwest::Client::new()
        .request(method, url)
        .header("content-type", "application/json")
        .body(STATUSES)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    (status, headers, response.text().await.unwrap())
}

#[tokio::test]
async fn other_methods_answer_exactly_as_a_path_that_does_not_exist() {
    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    let base = url.strip_suffix(secret.expose_secret()).unwrap();
    let nowhere = answer(
        "POST",
        &format!("{base}{}/nothing/here", secret.expose_secret()),
    )
    .await;
    assert_eq!(nowhere.0, 404);
    for method in [
        "HEAD",
        "PUT",
        "DELETE",
        "PATCH",
        "OPTIONS",
        "TRACE",
        "PROPFIND",
        "X-ANYTHING",
    ] {
        for target in [url.clone(), format!("{base}wrong-secret")] {
            assert_eq!(answer(method, &target).await, nowhere, "{method} {target}");
        }
    }
    assert!(events.try_recv().is_err(), "nothing is handed over");
    // The methods served still are.
    assert_eq!(answer("POST", &url).await.0, 200);
    assert_eq!(
        answer("GET", &format!("{url}?id=m1&status=read")).await.0,
        200
    );
}

#[tokio::test]
async fn a_body_that_stalls_is_cut_off_with_408_after_the_documented_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let secret = CallbackSecret::generate().unwrap();
    let (url, mut events) = secret_receiver(&secret).await;
    let url = url::Url::parse(&url).unwrap();
    let address = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST {} HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: 60000\r\n\r\n",
        url.path()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&STATUSES.as_bytes()[..20]).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let read =
        tokio::time::timeout(Callback::BODY_TIMEOUT * 3, stream.read_to_end(&mut answer)).await;
    let waited = started.elapsed();
    assert!(read.is_ok(), "still held open after {waited:?}");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.ends_with("the callback body did not arrive within 10 seconds"),
        "{answer}"
    );
    assert!(
        waited >= Callback::BODY_TIMEOUT - std::time::Duration::from_millis(500),
        "cut off too soon: {waited:?}"
    );
    assert!(events.try_recv().is_err(), "nothing is handed over");
}

#[tokio::test]
async fn requests_over_the_in_flight_limit_get_503_at_once_and_the_rest_are_served() {
    let secret = CallbackSecret::generate().unwrap();
    let (entered, mut inside) = mpsc::unbounded_channel();
    let release = std::sync::Arc::new(tokio::sync::Semaphore::new(0));
    let held = release.clone();
    let app = callback_router("/kaleyra", secret.clone(), move |_event: Event| {
        let entered = entered.clone();
        let held = held.clone();
        async move {
            entered.send(()).unwrap();
            held.acquire().await.unwrap().forget();
        }
    });
    let address = serve(app).await;
    let url = secret
        .callback_url(&format!("http://{address}/kaleyra"))
        .unwrap()
        .expose_url()
        .to_owned();
    let one_status = r#"{"id": "m1", "status": "read"}"#;
    let mut in_flight = Vec::new();
    for _ in 0..Callback::MAX_IN_FLIGHT {
        let url = url.clone();
        in_flight.push(tokio::spawn(async move {
            post_json(&url, one_status).await.status()
        }));
    }
    for _ in 0..Callback::MAX_IN_FLIGHT {
        inside.recv().await.unwrap();
    }
    let over = tokio::time::timeout(Callback::BODY_TIMEOUT, post_json(&url, one_status))
        .await
        .expect("shed at once, not queued");
    assert_eq!(over.status(), 503);
    assert!(over.text().await.unwrap().contains("post it again later"));
    assert!(
        inside.try_recv().is_err(),
        "the one over the limit never ran"
    );

    release.add_permits(Callback::MAX_IN_FLIGHT + 1);
    for request in in_flight {
        assert_eq!(request.await.unwrap(), 200);
    }
    assert_eq!(post_json(&url, one_status).await.status(), 200);
}
