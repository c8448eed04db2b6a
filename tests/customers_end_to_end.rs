//! End to end: a simulated customer writes to the business (text, media,
//! a location, a reaction, list and button replies) and the emulator posts
//! each, in the business number's API shape, to the Incoming URL, where the
//! `axum` webhook hands it on typed; and statuses reported on demand
//! (`failed` with Meta's code, `deleted`) arrive typed and end the message.

use std::time::Duration;

use kaleyra_emulator::{
    CallbackOutcome, CustomerContent, CustomerMessage, DeliveryStatus, Emulator, EmulatorBuilder,
    ReportedStatus, RunningEmulator, StatusError, WriteError,
};
use kaleyra_runtime::callbacks::{
    CallbackSecret, CallbackUrl, Content, DeliveryState, Event, IncomingMessage, callback_router,
};
use kaleyra_runtime::{Api, ApiVersion, Pod, Text};
use serde_json::json;
use tokio::sync::mpsc;

const CUSTOMER: &str = "+919876543210";
const V2: Api = Api::V2(Pod::In);

/// A webhook on loopback that takes only callbacks to its secret URL.
async fn webhook() -> (CallbackUrl, mpsc::UnboundedReceiver<Event>) {
    let (sender, events) = mpsc::unbounded_channel();
    let secret = CallbackSecret::generate().unwrap();
    let app = callback_router("/kaleyra", secret.clone(), move |event| {
        let sender = sender.clone();
        async move {
            let _ = sender.send(event);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/kaleyra", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (secret.callback_url(&base).unwrap(), events)
}

async fn next(events: &mut mpsc::UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("an event arrives")
        .expect("the webhook is running")
}

async fn next_message(events: &mut mpsc::UnboundedReceiver<Event>) -> IncomingMessage {
    match next(events).await {
        Event::Message(message) => message,
        other => panic!("not a customer's message: {other:?}"),
    }
}

fn builder() -> EmulatorBuilder {
    Emulator::builder().callback_delay(Duration::from_millis(5))
}

/// An emulator whose business numbers post incoming messages to `url`.
async fn with_incoming_url(url: &CallbackUrl) -> RunningEmulator {
    builder()
        .incoming_url(url.expose_url())
        .start()
        .await
        .unwrap()
}

/// Sends `CUSTOMER` a text from the number bound to `api`; its id.
async fn send_text(emulator: &RunningEmulator, api: Api) -> String {
    let receipt = emulator
        .client(api)
        .unwrap()
        .send(&Text::new("Your order has shipped"), CUSTOMER)
        .await
        .unwrap();
    receipt.message_id().unwrap().to_owned()
}

#[tokio::test]
async fn every_kind_of_message_a_customer_writes_reaches_the_webhook_typed_on_v2() {
    let (url, mut events) = webhook().await;
    let emulator = with_incoming_url(&url).await;
    let sent = send_text(&emulator, V2).await;
    let write =
        |content: CustomerContent| CustomerMessage::new(content).reply_to(&sent).name("Asha");

    let cases: Vec<(CustomerContent, Content)> = vec![
        (
            CustomerContent::Text {
                text: "कब तक आएगा? 📦".into(),
            },
            Content::Text {
                body: "कब तक आएगा? 📦".into(),
            },
        ),
        (
            CustomerContent::Image {
                url: "https://example.com/photos/parcel.jpg".into(),
                caption: Some("It arrived damaged".into()),
                mime_type: None,
            },
            Content::Media {
                kind: "image".into(),
                id: None,
                url: Some("https://example.com/photos/parcel.jpg".into()),
                mime_type: Some("image/jpeg".into()),
                caption: Some("It arrived damaged".into()),
                filename: None,
            },
        ),
        (
            CustomerContent::Document {
                url: "https://example.com/files?id=7".into(),
                filename: Some("invoice.pdf".into()),
                caption: None,
                mime_type: Some("application/pdf".into()),
            },
            Content::Media {
                kind: "document".into(),
                id: None,
                url: Some("https://example.com/files?id=7".into()),
                mime_type: Some("application/pdf".into()),
                caption: None,
                filename: Some("invoice.pdf".into()),
            },
        ),
        (
            CustomerContent::Location {
                latitude: 19.076,
                longitude: 72.8777,
                name: Some("Home".into()),
                address: Some("Bandra West, Mumbai".into()),
            },
            Content::Location {
                latitude: 19.076,
                longitude: 72.8777,
                name: Some("Home".into()),
                address: Some("Bandra West, Mumbai".into()),
            },
        ),
        (
            CustomerContent::Reaction {
                message_id: sent.clone(),
                emoji: "👍".into(),
            },
            Content::Reaction {
                message_id: sent.clone(),
                emoji: "👍".into(),
            },
        ),
        (
            CustomerContent::ListReply {
                id: "slot-2".into(),
                title: "Tomorrow 10:00".into(),
                description: Some("Morning delivery".into()),
            },
            Content::ListReply {
                id: "slot-2".into(),
                title: "Tomorrow 10:00".into(),
                description: Some("Morning delivery".into()),
            },
        ),
        (
            CustomerContent::ButtonReply {
                id: "track".into(),
                title: "Track it".into(),
            },
            Content::ButtonReply {
                id: "track".into(),
                title: "Track it".into(),
            },
        ),
    ];
    for (written, expected) in cases {
        let kind = written.kind();
        let record = emulator
            .write_as_customer(CUSTOMER, write(written))
            .await
            .unwrap();
        assert_eq!(
            record.callback.outcome,
            CallbackOutcome::Posted { http_status: 200 },
            "{kind}"
        );
        assert_eq!(record.api, ApiVersion::V2);
        let message = next_message(&mut events).await;
        assert_eq!(message.content, expected, "{kind}");
        assert_eq!(message.api, ApiVersion::V2);
        assert_eq!(message.from, "919876543210");
        assert_eq!(message.id.as_deref(), Some(record.id.as_str()));
        assert_eq!(message.name.as_deref(), Some("Asha"));
        assert_eq!(message.reply_to.as_deref(), Some(sent.as_str()));
        assert_eq!(
            message.business_number.as_deref(),
            Some(emulator.v2_number().trim_start_matches('+'))
        );
    }
    assert_eq!(emulator.written().len(), 7);
}

#[tokio::test]
async fn v1_takes_text_media_and_button_replies_and_refuses_what_its_fields_do_not_show() {
    let (url, mut events) = webhook().await;
    let emulator = with_incoming_url(&url).await;
    let sent = send_text(&emulator, Api::V1).await;

    let written = emulator
        .write_as_customer(CUSTOMER, CustomerMessage::text("Thanks!").reply_to(&sent))
        .await
        .unwrap();
    assert_eq!(written.api, ApiVersion::V1);
    let message = next_message(&mut events).await;
    assert_eq!(message.api, ApiVersion::V1);
    assert_eq!(
        message.content,
        Content::Text {
            body: "Thanks!".into()
        }
    );
    assert_eq!(message.reply_to.as_deref(), Some(sent.as_str()));
    assert_eq!(
        message.business_number.as_deref(),
        Some(emulator.v1_number().trim_start_matches('+'))
    );

    let image = CustomerContent::Image {
        url: "https://example.com/receipt.png".into(),
        caption: Some("receipt".into()),
        mime_type: None,
    };
    emulator
        .write_as_customer(CUSTOMER, CustomerMessage::new(image))
        .await
        .unwrap();
    let message = next_message(&mut events).await;
    assert_eq!(
        message.content,
        Content::Media {
            kind: "image".into(),
            id: None,
            url: Some("https://example.com/receipt.png".into()),
            mime_type: Some("image/png".into()),
            caption: Some("receipt".into()),
            filename: None,
        }
    );

    let reply = CustomerContent::ButtonReply {
        id: "yes".into(),
        title: "Yes".into(),
    };
    emulator
        .write_as_customer(CUSTOMER, CustomerMessage::new(reply))
        .await
        .unwrap();
    assert_eq!(
        next_message(&mut events).await.content,
        Content::ButtonReply {
            id: "yes".into(),
            title: "Yes".into()
        }
    );

    let unseen = [
        CustomerContent::Location {
            latitude: 1.0,
            longitude: 2.0,
            name: None,
            address: None,
        },
        CustomerContent::Reaction {
            message_id: sent.clone(),
            emoji: "❤️".into(),
        },
        CustomerContent::ListReply {
            id: "a".into(),
            title: "A".into(),
            description: None,
        },
    ];
    for content in unseen {
        let kind = content.kind();
        let refused = emulator
            .write_as_customer(CUSTOMER, CustomerMessage::new(content))
            .await;
        match refused {
            Err(WriteError::NotOnV1 { reason }) => assert!(reason.contains(kind), "{reason}"),
            other => panic!("{kind} on v1: {other:?}"),
        }
    }
    assert_eq!(emulator.written().len(), 3, "refused ones are not kept");
    let nothing = tokio::time::timeout(Duration::from_millis(200), events.recv()).await;
    assert!(nothing.is_err(), "nothing more was posted: {nothing:?}");
}

#[tokio::test]
async fn without_an_incoming_url_the_message_goes_to_the_callback_url_the_business_used() {
    let (url, mut events) = webhook().await;
    let emulator = builder().start().await.unwrap();
    let message = Text::new("Reply to this").callback_url(&url);
    let sent = emulator
        .client(V2)
        .unwrap()
        .send(&message, CUSTOMER)
        .await
        .unwrap();
    let sent = sent.message_id().unwrap().to_owned();

    emulator
        .write_as_customer("919876543210", CustomerMessage::text("ok"))
        .await
        .unwrap();
    loop {
        match next(&mut events).await {
            Event::Status(status) => assert_eq!(status.message_id, sent),
            Event::Message(message) => {
                assert_eq!(message.content, Content::Text { body: "ok".into() });
                assert_eq!(message.reply_to, None);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn what_cannot_be_written_is_refused_saying_why() {
    let (url, _events) = webhook().await;
    let emulator = with_incoming_url(&url).await;

    let refused = emulator
        .write_as_customer(CUSTOMER, CustomerMessage::text("hello?"))
        .await;
    assert!(
        matches!(refused, Err(WriteError::NoBusinessNumber { .. })),
        "{refused:?}"
    );

    let unknown = CustomerMessage::text("hi")
        .to(emulator.v2_number())
        .reply_to("wamid.none");
    match emulator.write_as_customer(CUSTOMER, unknown).await {
        Err(WriteError::NoSuchMessage { field, id, .. }) => {
            assert_eq!((field, id.as_str()), ("reply_to", "wamid.none"));
        }
        other => panic!("{other:?}"),
    }

    let nowhere = CustomerMessage::new(CustomerContent::Location {
        latitude: 91.0,
        longitude: 0.0,
        name: None,
        address: None,
    })
    .to(emulator.v2_number());
    match emulator.write_as_customer(CUSTOMER, nowhere).await {
        Err(WriteError::Invalid { field, reason }) => {
            assert_eq!(field, "latitude");
            assert!(reason.contains("91"), "{reason}");
        }
        other => panic!("{other:?}"),
    }

    let stranger = CustomerMessage::text("hi").to("+15550100");
    match emulator.write_as_customer(CUSTOMER, stranger).await {
        Err(WriteError::Invalid { field, reason }) => {
            assert_eq!(field, "to");
            assert!(reason.contains("not one of the account's"), "{reason}");
        }
        other => panic!("{other:?}"),
    }

    let not_a_number = CustomerMessage::text("hi").to(emulator.v2_number());
    match emulator.write_as_customer("98765", not_a_number).await {
        Err(WriteError::Invalid { field, .. }) => assert_eq!(field, "number"),
        other => panic!("{other:?}"),
    }
    assert!(emulator.written().is_empty());
}

#[tokio::test]
async fn the_customers_route_takes_json_names_a_wrong_field_and_lists_what_was_written() {
    let (url, mut events) = webhook().await;
    let emulator = with_incoming_url(&url).await;
    let http = reqwest::Client::new();
    let route = format!(
        "{}/emulator/customers/919876543210/messages",
        emulator.base_url()
    );

    let answer = http
        .post(&route)
        .json(&json!({"type": "text", "text": "Hi there", "to": emulator.v2_number()}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let written: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(
        written["content"],
        json!({"type": "text", "text": "Hi there"})
    );
    assert_eq!(written["from"], CUSTOMER);
    assert!(matches!(
        next_message(&mut events).await.content,
        Content::Text { .. }
    ));

    for (body, field) in [
        (
            json!({"type": "text", "txt": "typo", "to": "+912025550101"}),
            "txt",
        ),
        (json!({"text": "no type", "to": "+912025550101"}), "type"),
        (json!({"type": "sticker", "to": "+912025550101"}), "sticker"),
        (
            json!({"type": "text", "text": "hi", "to": 912025550101u64}),
            "to",
        ),
    ] {
        let answer = http.post(&route).json(&body).send().await.unwrap();
        assert_eq!(answer.status(), 400, "{body}");
        let error: serde_json::Value = answer.json().await.unwrap();
        let error = error["error"].as_str().unwrap().to_owned();
        assert!(error.contains(field), "{body}: {error}");
    }

    let listed: Vec<serde_json::Value> =
        http.get(&route).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["summary"], "Hi there");
    let other_customer = format!(
        "{}/emulator/customers/919876543211/messages",
        emulator.base_url()
    );
    let listed: Vec<serde_json::Value> = http
        .get(&other_customer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listed.is_empty());
}

#[tokio::test]
async fn a_failed_or_deleted_status_on_demand_reaches_the_webhook_typed_and_ends_the_message() {
    let (url, mut events) = webhook().await;
    // Slow progression, so the statuses on demand come first.
    let emulator = Emulator::builder()
        .callback_delay(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let client = emulator.client(V2).unwrap();
    let message = Text::new("Your OTP is 4711").callback_url(&url);
    let failing = client.send(&message, CUSTOMER).await.unwrap();
    let failing = failing.message_id().unwrap().to_owned();
    let deleted = client.send(&message, CUSTOMER).await.unwrap();
    let deleted = deleted.message_id().unwrap().to_owned();

    let failed = ReportedStatus::Failed {
        meta_code: "131026".into(),
        title: None,
    };
    let outcome = emulator.report_status(&failing, &failed).await.unwrap();
    assert_eq!(outcome, CallbackOutcome::Posted { http_status: 200 });
    match next(&mut events).await {
        Event::Status(status) => {
            assert_eq!(status.message_id, failing);
            assert_eq!(status.status, DeliveryState::Failed);
            let error = status.error.expect("a failed status carries its error");
            assert_eq!(error.code.as_deref(), Some("131026"));
        }
        other => panic!("{other:?}"),
    }
    emulator
        .report_status(&deleted, &ReportedStatus::Deleted)
        .await
        .unwrap();
    match next(&mut events).await {
        Event::Status(status) => {
            assert_eq!(status.message_id, deleted);
            assert_eq!(status.status, DeliveryState::Deleted);
        }
        other => panic!("{other:?}"),
    }

    // Nothing follows: the progression that was under way stops.
    let more = tokio::time::timeout(Duration::from_millis(1200), events.recv()).await;
    assert!(more.is_err(), "no status after failed or deleted: {more:?}");
    assert_eq!(
        emulator.message(&failing).unwrap().status,
        DeliveryStatus::Failed
    );
    assert_eq!(
        emulator.message(&deleted).unwrap().status,
        DeliveryStatus::Deleted
    );
    let again = emulator
        .report_status(&failing, &ReportedStatus::Read)
        .await;
    assert!(matches!(again, Err(StatusError::Ended { .. })), "{again:?}");
}

#[tokio::test]
async fn the_status_route_refuses_deleted_on_v1_and_a_meta_code_that_is_not_one() {
    let (url, _events) = webhook().await;
    let emulator = builder().start().await.unwrap();
    let message = Text::new("hello").callback_url(&url);
    let v1 = emulator.client(Api::V1).unwrap();
    let sent = v1.send(&message, CUSTOMER).await.unwrap();
    let sent = sent.message_id().unwrap().to_owned();
    let http = reqwest::Client::new();
    let route = format!("{}/emulator/messages/{sent}/status", emulator.base_url());

    for (body, status, needle) in [
        (json!({"status": "deleted"}), 400, "v1"),
        (
            json!({"status": "failed", "meta_code": "abc"}),
            400,
            "meta_code",
        ),
        (json!({"status": "failed"}), 400, "meta_code"),
        (json!({"status": "vanished"}), 400, "vanished"),
    ] {
        let answer = http.post(&route).json(&body).send().await.unwrap();
        assert_eq!(answer.status(), status, "{body}");
        let error: serde_json::Value = answer.json().await.unwrap();
        let error = error["error"].as_str().unwrap().to_owned();
        assert!(error.contains(needle), "{body}: {error}");
    }
    let missing = format!("{}/emulator/messages/nope/status", emulator.base_url());
    let answer = http
        .post(&missing)
        .json(&json!({"status": "read"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 404);
}
