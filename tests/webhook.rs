//! Receiving callbacks with the `axum` feature: a real server on loopback
//! gets Kaleyra's callbacks and hands the application typed events, in order.

use std::net::SocketAddr;

use kaleyra_runtime::inbound::{Content, DeliveryState, Event};
use kaleyra_runtime::webhook::callback_router;
use tokio::sync::mpsc;

/// Serves `callback_router` on 127.0.0.1 and gives its address and the events it hands over.
async fn receiver() -> (SocketAddr, mpsc::UnboundedReceiver<Event>) {
    let (sender, events) = mpsc::unbounded_channel();
    let app = callback_router("/kaleyra", move |event| {
        let sender = sender.clone();
        async move {
            sender.send(event).unwrap();
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (address, events)
}

#[tokio::test]
async fn json_form_and_query_callbacks_become_events_in_order() {
    let (address, mut events) = receiver().await;
    let url = format!("http://{address}/kaleyra");
    let http = reqwest::Client::new();

    let v2 = serde_json::json!({"meta_object": {"field": "messages", "value": {"statuses": [
        {"id": "wamid.A", "status": "sent", "recipient_id": "919876543210"},
        {"id": "wamid.A", "status": "delivered", "recipient_id": "919876543210"}
    ]}}});
    let response = http
        .post(&url)
        .header("content-type", "application/json")
        .body(v2.to_string())
        .send()
        .await
        .unwrap();
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
    let (address, mut events) = receiver().await;
    let response = reqwest::Client::new()
        .post(format!("http://{address}/kaleyra"))
        .header("content-type", "application/json")
        .body("{\"meta_object\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let reason = response.text().await.unwrap();
    assert!(
        reason.starts_with("the callback body is not JSON"),
        "{reason}"
    );
    assert!(events.try_recv().is_err(), "nothing is handed over");
}
