//! Status callbacks: `sent`, `delivered`, `read`, in that order, posted to a
//! loopback receiver in each API's shape; never posted off the machine.

mod common;

use std::time::Duration;

use common::{Receiver, TO, V1, V2, client, start, wait_for_message};
use kaleyra_emulator::{CallbackOutcome, DeliveryStatus};
use kaleyra_runtime::{ReplyButtons, Text};

#[tokio::test]
async fn v1_status_callbacks_arrive_in_order_as_form_fields_with_the_message_id() {
    let emulator = start().await;
    let receiver = Receiver::start().await;
    let message = Text::new("Your order has shipped")
        .callback_url(&receiver.url)
        .reference("customer1")
        .reference2("campaign-9");
    let receipt = client(&emulator, V1).send(&message, TO).await.unwrap();
    let id = receipt.message_id().unwrap().to_owned();

    let mut statuses = Vec::new();
    for _ in 0..3 {
        let callback = receiver.next().await;
        assert_eq!(callback.content_type, "application/x-www-form-urlencoded");
        assert_eq!(callback.form_field("id").as_deref(), Some(id.as_str()));
        assert_eq!(
            callback.form_field("mobile").as_deref(),
            Some("919876543210")
        );
        assert_eq!(callback.form_field("ref").as_deref(), Some("customer1"));
        assert_eq!(callback.form_field("ref1"), None);
        assert_eq!(callback.form_field("ref2").as_deref(), Some("campaign-9"));
        let timestamp: u64 = callback.form_field("timestamp").unwrap().parse().unwrap();
        assert!(timestamp > 1_600_000_000);
        statuses.push(callback.form_field("status").unwrap());
    }
    assert_eq!(statuses, ["sent", "delivered", "read"]);

    let stored = wait_for_message(&emulator, &id, |m| m.callbacks.len() == 3).await;
    assert_eq!(stored.status, DeliveryStatus::Read);
    let outcomes: Vec<(&str, &CallbackOutcome)> = stored
        .callbacks
        .iter()
        .map(|record| (record.event.as_str(), &record.outcome))
        .collect();
    let posted = CallbackOutcome::Posted { http_status: 200 };
    assert_eq!(
        outcomes,
        [("sent", &posted), ("delivered", &posted), ("read", &posted)]
    );
}

#[tokio::test]
async fn v2_status_callbacks_arrive_in_order_as_meta_webhooks_with_the_message_id() {
    let emulator = start().await;
    let receiver = Receiver::start().await;
    let message = ReplyButtons::new("Pick one")
        .button("1", "Yes")
        .button("2", "No")
        .callback_url(&receiver.url)
        .reference1("ticket-5");
    let receipt = client(&emulator, V2).send(&message, TO).await.unwrap();
    let id = receipt.message_id().unwrap();

    let mut statuses = Vec::new();
    for _ in 0..3 {
        let callback = receiver.next().await;
        assert_eq!(callback.content_type, "application/json");
        let body = callback.json();
        assert_eq!(body["meta_object"]["field"], "messages");
        let value = &body["meta_object"]["value"];
        assert_eq!(value["messaging_product"], "whatsapp");
        assert_eq!(value["metadata"]["display_phone_number"], "912025550101");
        let status = &value["statuses"][0];
        assert_eq!(status["id"], id);
        assert_eq!(status["recipient_id"], "919876543210");
        assert!(status["timestamp"].as_str().unwrap().parse::<u64>().is_ok());
        assert_eq!(body["extra_info"], serde_json::json!({"ref1": "ticket-5"}));
        statuses.push(status["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(statuses, ["sent", "delivered", "read"]);
}

#[tokio::test]
async fn no_callback_is_posted_to_a_non_loopback_url() {
    let emulator = start().await;
    let receiver = Receiver::start().await;
    let client = client(&emulator, V1);

    let refused = client
        .send(
            &Text::new("hi").callback_url("http://callbacks.example.invalid/kaleyra"),
            TO,
        )
        .await
        .unwrap();
    let id = refused.message_id().unwrap();
    let stored = wait_for_message(&emulator, id, |m| m.callbacks.len() == 3).await;
    assert_eq!(stored.status, DeliveryStatus::Read);
    for record in &stored.callbacks {
        match &record.outcome {
            CallbackOutcome::Refused { reason } => {
                assert!(
                    reason.contains("callbacks.example.invalid") && reason.contains("loopback"),
                    "{reason}"
                );
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    assert!(
        receiver
            .gets_anything_within(Duration::from_millis(200))
            .await
            .is_none()
    );

    // The receiver is live: a loopback callback URL does reach it.
    client
        .send(&Text::new("hi").callback_url(&receiver.url), TO)
        .await
        .unwrap();
    assert_eq!(
        receiver.next().await.form_field("status").as_deref(),
        Some("sent")
    );
}

#[tokio::test]
async fn statuses_advance_to_read_without_a_callback_url() {
    let emulator = start().await;
    let receipt = client(&emulator, V2)
        .send(&Text::new("hi"), TO)
        .await
        .unwrap();
    let stored = wait_for_message(&emulator, receipt.message_id().unwrap(), |m| {
        m.status == DeliveryStatus::Read
    })
    .await;
    assert!(stored.callbacks.is_empty());
}

#[tokio::test]
async fn status_callbacks_are_read_by_the_runtimes_inbound_parser() {
    use kaleyra_runtime::callbacks::{DeliveryState, Event};

    let emulator = start().await;
    let receiver = Receiver::start().await;
    for api in [V1, V2] {
        let message = Text::new("hi")
            .callback_url(&receiver.url)
            .reference("customer1")
            .reference2("campaign-9");
        let receipt = client(&emulator, api).send(&message, TO).await.unwrap();
        let id = receipt.message_id().unwrap();
        let mut states = Vec::new();
        for _ in 0..3 {
            let callback = receiver.next().await;
            let events =
                Event::parse_request(Some(&callback.content_type), None, &callback.body).unwrap();
            let [Event::Status(status)] = events.as_slice() else {
                panic!("{api:?}: expected one status, got {events:?}");
            };
            assert_eq!(status.api, api.version());
            assert_eq!(status.message_id, id);
            assert_eq!(status.recipient.as_deref(), Some("919876543210"));
            assert_eq!(status.references.reference.as_deref(), Some("customer1"));
            assert_eq!(status.references.reference1, None);
            assert_eq!(status.references.reference2.as_deref(), Some("campaign-9"));
            assert!(status.timestamp.is_some());
            states.push(status.status.clone());
        }
        assert_eq!(
            states,
            [
                DeliveryState::Sent,
                DeliveryState::Delivered,
                DeliveryState::Read
            ],
            "{api:?}"
        );
    }
}
