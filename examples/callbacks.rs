//! Receiving Kaleyra's callbacks: a webhook (the `axum` feature) gets the
//! delivery statuses of a template sent through the local emulator, then the
//! customer's tap on one of its buttons, which the emulator simulates; the
//! tap is recognised as a variant of the template's button enum.
//!
//! ```text
//! cargo run --example callbacks
//! ```

use std::error::Error;
use std::time::Duration;

use kaleyra_emulator::Emulator;
use kaleyra_examples::{ImtDynamic, ImtDynamicButton};
use kaleyra_runtime::inbound::Event;
use kaleyra_runtime::webhook::callback_router;
use kaleyra_runtime::{Api, MediaUrl, Pod, Template};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::builder()
        .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
        .start()
        .await?;

    // The application's webhook: hands each typed event to the loop below.
    let (events_in, mut events) = mpsc::unbounded_channel();
    let webhook = callback_router("/kaleyra/callbacks", move |event: Event| {
        let events_in = events_in.clone();
        async move {
            let _ = events_in.send(event);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let callback_url = format!("http://{}/kaleyra/callbacks", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, webhook).await });
    println!("Webhook listening at {callback_url}");

    let client = emulator.client(Api::V2(Pod::In))?;
    let ticket = ImtDynamic {
        first_name: "John",
        last_name: "Doe".to_owned(),
        ticket: MediaUrl::parse("https://example.com/tickets/4711.pdf")?,
        login_path: "4711".to_owned(),
        confirm_payload: "confirm-4711".to_owned(),
    };
    let message = ticket
        .to_message()
        .callback_url(&callback_url)
        .reference("order-4711");
    let receipt = client.send(&message, "+919876543210").await?;
    let id = receipt.message_id().unwrap_or_default().to_owned();
    println!("Sent {} as {id}\n", ImtDynamic::NAME);

    let mut tapped = false;
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(10), events.recv()).await {
        match &event {
            Event::Status(status) => {
                println!(
                    "status: {:?} for {} (ref {:?})",
                    status.status, status.message_id, status.references.reference
                );
                if !tapped && status.status == kaleyra_runtime::inbound::DeliveryState::Read {
                    println!("\nThe customer taps \"Confirm\" (simulated by the emulator)...");
                    emulator.tap(&id, 0).await?;
                    tapped = true;
                }
            }
            other => {
                match ImtDynamicButton::from_event(other) {
                    Some(button) => println!(
                        "tap: {button:?} (button {}, \"{}\")",
                        button.index(),
                        button.text()
                    ),
                    None => println!("event: {other:?}"),
                }
                return Ok(());
            }
        }
    }
    Err("no tap arrived within 10 seconds".into())
}
