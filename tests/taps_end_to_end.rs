//! End to end: send a template through the emulator with a secret callback
//! URL, have the emulator simulate the customer tapping one of its buttons,
//! receive the callback with the `axum` webhook (which takes only requests to
//! the secret URL), and get the right button variant.

use std::time::Duration;

use kaleyra_emulator::{CallbackOutcome, Emulator, RunningEmulator, TapError};
use kaleyra_examples::{
    ImtDynamic, ImtDynamicButton, ReplyButtonsSample, ReplyButtonsSampleButton,
};
use kaleyra_runtime::callbacks::callback_router;
use kaleyra_runtime::callbacks::{CallbackSecret, CallbackUrl};
use kaleyra_runtime::callbacks::{DeliveryState, Event};
use kaleyra_runtime::{Api, Client, MediaUrl, Pod, Template};
use tokio::sync::mpsc;

const TO: &str = "+919876543210";

async fn emulator() -> RunningEmulator {
    Emulator::builder()
        .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
        .callback_delay(Duration::from_millis(5))
        .start()
        .await
        .unwrap()
}

/// A webhook on loopback that takes only callbacks to its secret URL; gives
/// that URL and the events it receives.
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

fn client(emulator: &RunningEmulator, api: Api) -> Client {
    emulator.client(api).unwrap()
}

/// The next event that is not a delivery status, after checking statuses arrive for `id`.
async fn next_tap(events: &mut mpsc::UnboundedReceiver<Event>, id: &str) -> Event {
    let mut statuses = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .unwrap()
            .unwrap();
        match &event {
            Event::Status(status) => {
                assert_eq!(status.message_id, id);
                statuses.push(status.status.clone());
            }
            _ => {
                assert!(
                    statuses.contains(&DeliveryState::Sent),
                    "statuses came first: {statuses:?}"
                );
                return event;
            }
        }
    }
}

fn ticket() -> ImtDynamic<'static> {
    ImtDynamic {
        first_name: "John",
        last_name: "Doe".to_owned(),
        ticket: MediaUrl::parse("https://example.com/tickets/4711.pdf").unwrap(),
        login_path: "4711".to_owned(),
        confirm_payload: "confirm-4711".to_owned(),
    }
}

#[tokio::test]
async fn a_customer_tapping_a_template_quick_reply_gives_its_variant_on_v1_and_v2() {
    let emulator = emulator().await;
    for api in [Api::V1, Api::V2(Pod::In)] {
        let (url, mut events) = webhook().await;
        let message = ticket().to_message().callback_url(&url);
        let receipt = client(&emulator, api).send(&message, TO).await.unwrap();
        let id = receipt.message_id().unwrap().to_owned();
        // Let `sent` arrive before the tap, as on a phone.
        tokio::time::sleep(Duration::from_millis(50)).await;

        let outcome = emulator.tap(&id, 0).await.unwrap();
        assert_eq!(
            outcome,
            CallbackOutcome::Posted { http_status: 200 },
            "the tap went to the secret URL and was taken"
        );
        let tap = next_tap(&mut events, &id).await;
        assert_eq!(
            ImtDynamicButton::from_event(&tap),
            Some(ImtDynamicButton::Confirm),
            "{api:?}: {tap:?}"
        );
        let details = tap.button_tap().unwrap();
        assert_eq!(
            details.payload,
            Some("confirm-4711"),
            "the message's payload comes back"
        );
        assert_eq!(
            details.reply_to,
            Some(id.as_str()),
            "the tap names the tapped message"
        );
        let stored = emulator.message(&id).unwrap();
        assert!(
            stored
                .callbacks
                .iter()
                .all(|record| record.outcome == CallbackOutcome::Posted { http_status: 200 }),
            "every status and the tap were taken by the authenticated router: {:?}",
            stored.callbacks
        );
    }
}

#[tokio::test]
async fn a_customer_tapping_a_reply_button_gives_its_variant_on_v1_and_v2() {
    let emulator = emulator().await;
    for api in [Api::V1, Api::V2(Pod::In)] {
        let (url, mut events) = webhook().await;
        let message = ReplyButtonsSample { name: "Ada" }
            .to_message()
            .callback_url(&url);
        let receipt = client(&emulator, api).send(&message, TO).await.unwrap();
        let id = receipt.message_id().unwrap().to_owned();
        tokio::time::sleep(Duration::from_millis(50)).await;

        emulator.tap(&id, 2).await.unwrap();
        let tap = next_tap(&mut events, &id).await;
        assert_eq!(
            ReplyButtonsSampleButton::from_event(&tap),
            Some(ReplyButtonsSampleButton::ThirdButtonTitle),
            "{api:?}: {tap:?}"
        );
    }
}

#[tokio::test]
async fn taps_the_emulator_cannot_make_are_refused_with_the_reason() {
    let emulator = emulator().await;
    let v1 = client(&emulator, Api::V1);
    let without_callback = v1.send(&ticket().to_message(), TO).await.unwrap();
    let id = without_callback.message_id().unwrap();
    assert!(matches!(
        emulator.tap(id, 0).await,
        Err(TapError::NoCallbackUrl { .. })
    ));
    let with_callback = v1
        .send(
            &ticket().to_message().callback_url("http://127.0.0.1:9/x"),
            TO,
        )
        .await
        .unwrap();
    let id = with_callback.message_id().unwrap();
    assert!(
        matches!(
            emulator.tap(id, 1).await,
            Err(TapError::NotTappable { kind: "url", .. })
        ),
        "a URL button opens a page"
    );
    assert!(matches!(
        emulator.tap(id, 2).await,
        Err(TapError::NoSuchButton { .. })
    ));
    assert!(matches!(
        emulator.tap("no-such-id", 0).await,
        Err(TapError::NoSuchMessage { .. })
    ));
}

#[tokio::test]
async fn the_tap_route_simulates_the_tap_over_http() {
    let emulator = emulator().await;
    let (url, mut events) = webhook().await;
    let receipt = client(&emulator, Api::V2(Pod::In))
        .send(
            &ReplyButtonsSample { name: "Ada" }
                .to_message()
                .callback_url(&url),
            TO,
        )
        .await
        .unwrap();
    let id = receipt.message_id().unwrap().to_owned();
    let http = reqwest::Client::new();
    let tap_url = format!("{}/emulator/messages/{id}/tap", emulator.base_url());
    let response = http
        .post(&tap_url)
        .json(&serde_json::json!({"button": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let tap = next_tap(&mut events, &id).await;
    assert_eq!(
        ReplyButtonsSampleButton::from_event(&tap),
        Some(ReplyButtonsSampleButton::FirstButtonTitle)
    );

    let missing = http
        .post(&tap_url)
        .json(&serde_json::json!({"button": 7}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    let reason: serde_json::Value = missing.json().await.unwrap();
    assert_eq!(reason["error"], format!("message `{id}` has no button 7"));
}
