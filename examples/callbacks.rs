//! Receiving Kaleyra's callbacks securely: a webhook (the `axum` feature)
//! that takes only requests to its secret URL gets the delivery statuses of a
//! template sent through the local emulator, then the customer's tap on one of
//! its buttons, which the emulator simulates; the tap is recognised as a
//! variant of the template's button enum. Kaleyra delivers at least once, so
//! the loop drops repeats by each event's idempotency key.
//!
//! ```text
//! cargo run --example callbacks
//! KALEYRA_CALLBACK_SECRET=... cargo run --example callbacks   # a secret of your own
//! ```

use std::collections::HashSet;
use std::error::Error;
use std::time::Duration;

use kaleyra_emulator::Emulator;
use kaleyra_examples::{ImtDynamic, ImtDynamicButton};
use kaleyra_runtime::callbacks::CallbackSecret;
use kaleyra_runtime::callbacks::callback_router;
use kaleyra_runtime::callbacks::{DeliveryState, Event};
use kaleyra_runtime::{Api, MediaUrl, Pod, Template};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::builder()
        .templates_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/templates"))
        .start()
        .await?;

    // The secret only Kaleyra and this application know. A real application
    // reads it with `CallbackSecret::from_env()`, so every instance (and
    // every message already sent) shares the same one.
    let secret = match std::env::var_os(CallbackSecret::ENV_VAR) {
        Some(_) => CallbackSecret::from_env()?,
        None => CallbackSecret::generate()?,
    };

    // The application's webhook: takes only requests to
    // /kaleyra/callbacks/<secret> (anything else is a 404, its handler never
    // called) and hands each typed event to the loop below.
    let (events_in, mut events) = mpsc::unbounded_channel();
    let webhook = callback_router("/kaleyra/callbacks", secret.clone(), move |event: Event| {
        let events_in = events_in.clone();
        async move {
            let _ = events_in.send(event);
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/kaleyra/callbacks", listener.local_addr()?);
    let callback_url = secret.callback_url(&base)?;
    tokio::spawn(async move { axum::serve(listener, webhook).await });
    // Display hides the secret: this prints .../kaleyra/callbacks/[redacted].
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
    // Keys of the events handled; a real application keeps them in its
    // database, beside what it did, for as long as Kaleyra may retry.
    let mut handled = HashSet::new();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(10), events.recv()).await {
        if !handled.insert(event.idempotency_key()) {
            println!("repeat of {}: dropped", event.idempotency_key());
            continue;
        }
        match &event {
            Event::Status(status) => {
                println!(
                    "status: {:?} for {} (ref {:?})",
                    status.status, status.message_id, status.references.reference
                );
                if !tapped && status.status == DeliveryState::Read {
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
