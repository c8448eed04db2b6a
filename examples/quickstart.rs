//! The project's main job: send every example template in `templates/`,
//! through its derived struct, plus a hand-built reply-button and CTA-URL
//! message; print each request as `curl` (API key redacted) and each receipt.
//!
//! ```text
//! cargo run --example quickstart            # to the local emulator, on v1 and v2
//! cargo run --example quickstart -- --serve # ... then keep the emulator's inbox open
//! ```
//!
//! With `KALEYRA_SID`, `KALEYRA_API_KEY`, `KALEYRA_FROM` and `KALEYRA_TO` set
//! (and optionally `KALEYRA_API=v2`, `KALEYRA_POD`, `KALEYRA_BASE_URL`), the
//! same code sends to Kaleyra for real, to the number in `KALEYRA_TO`.

use std::error::Error as StdError;
use std::process::ExitCode;

use kaleyra_emulator::Emulator;
use kaleyra_examples::{
    BookingConfirm, BritishCouncil, CtaUrlSample, ImtDynamic, ReplyButtonsSample,
};
use kaleyra_runtime::{
    AnyMessage, Api, Client, CtaUrl, Error, InteractiveHeader, MediaUrl, Pod, ReplyButtons,
    Template,
};

/// The customer the emulator run sends to.
const EMULATOR_RECIPIENT: &str = "+919876543210";

#[tokio::main]
async fn main() -> ExitCode {
    let serve = std::env::args().skip(1).any(|arg| arg == "--serve");
    match run(serve).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Sends everything; `Ok(false)` when any message failed.
async fn run(serve: bool) -> Result<bool, Box<dyn StdError>> {
    if let Some(to) = real_recipient() {
        let client = Client::from_env()?;
        println!(
            "Sending to Kaleyra ({:?}) from {} to {to}\n",
            client.api(),
            client.from_number()
        );
        return Ok(send_all(&client, &to).await);
    }

    let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let emulator = Emulator::builder().templates_dir(templates).start().await?;
    println!(
        "No KALEYRA_* credentials set: sending to the local emulator at {}\n",
        emulator.base_url()
    );
    let v1 = emulator.client(Api::V1)?;
    let v2 = emulator.client(Api::V2(Pod::In))?;
    let mut all_sent = true;
    for client in [&v1, &v2] {
        println!(
            "===== Kaleyra {} API, from {} =====\n",
            client.api().version(),
            client.from_number()
        );
        all_sent &= send_all(client, EMULATOR_RECIPIENT).await;
    }
    println!(
        "{} messages in the emulator. Inbox: {}",
        emulator.messages().len(),
        emulator.inbox_url()
    );
    if serve {
        println!(
            "Serving the emulator until Ctrl-C (SID {}, API key {}).",
            emulator.sid(),
            emulator.api_key()
        );
        tokio::signal::ctrl_c().await?;
    }
    Ok(all_sent)
}

/// `KALEYRA_TO`, when the credentials for a real send are all set.
fn real_recipient() -> Option<String> {
    let set = |name: &str| std::env::var(name).is_ok_and(|value| !value.is_empty());
    let credentials = ["KALEYRA_SID", "KALEYRA_API_KEY", "KALEYRA_FROM"]
        .iter()
        .all(|name| set(name));
    std::env::var("KALEYRA_TO")
        .ok()
        .filter(|to| credentials && !to.is_empty())
}

/// Every example message: each template's derived struct, then hand-built ones.
fn messages() -> Result<Vec<(String, AnyMessage)>, Error> {
    let derived = |name: &str, message: AnyMessage| {
        (
            format!("{name} (derived from templates/{name}.json)"),
            message,
        )
    };
    Ok(vec![
        derived(
            BookingConfirm::NAME,
            BookingConfirm {
                name: "Ada",
                booking_id: 4711,
            }
            .to_message(),
        ),
        derived(
            ImtDynamic::NAME,
            ImtDynamic {
                first_name: "John",
                last_name: "Doe".to_owned(),
                ticket: MediaUrl::parse("https://example.com/tickets/4711.pdf")?,
                login_path: "4711".to_owned(),
                confirm_payload: "confirm-4711".to_owned(),
            }
            .to_message(),
        ),
        derived(
            BritishCouncil::NAME,
            BritishCouncil { name: "Raman" }.to_message(),
        ),
        derived(
            ReplyButtonsSample::NAME,
            ReplyButtonsSample { name: "Ada" }.to_message(),
        ),
        derived(
            CtaUrlSample::NAME,
            CtaUrlSample {
                name: "Ada",
                click_id: "4711",
            }
            .to_message(),
        ),
        (
            "a reply-button message built by hand".to_owned(),
            ReplyButtons::new("Your order 4711 ships tomorrow. Anything else?")
                .header(InteractiveHeader::Text("Order 4711".to_owned()))
                .footer("Reply STOP to opt out")
                .button("track", "Track order")
                .button("agent", "Talk to us")
                .into(),
        ),
        (
            "a CTA-URL message built by hand".to_owned(),
            CtaUrl::new(
                "Your invoice for order 4711 is ready.",
                "View invoice",
                "https://example.com/invoices/4711",
            )
            .footer("Thank you for your order")
            .into(),
        ),
    ])
}

/// Sends every example message; whether all were sent (or skipped as
/// unavailable on this API version).
async fn send_all(client: &Client, to: &str) -> bool {
    let messages = match messages() {
        Ok(messages) => messages,
        Err(error) => {
            eprintln!("error: {error}");
            return false;
        }
    };
    let mut all_sent = true;
    for (what, message) in messages {
        println!("--- {what}");
        let request = match client.prepare(&message, to) {
            Ok(request) => request,
            Err(Error::Unsupported { what, api }) => {
                println!("skipped: {what} is not available on Kaleyra's {api} API\n");
                continue;
            }
            Err(error) => {
                println!("refused before sending: {error}\n");
                all_sent = false;
                continue;
            }
        };
        println!("{request}");
        match client.send_prepared(&request).await {
            Ok(receipt) => {
                for sent in receipt.messages() {
                    println!("sent: message id {} to {}", sent.message_id, sent.recipient);
                }
                if let Some(code) = receipt.code() {
                    println!("code: {code}");
                }
                if let Some(id) = receipt.request_id() {
                    println!("request id: {id}");
                }
                println!();
            }
            Err(error) => {
                println!("failed: {error}\n");
                all_sent = false;
            }
        }
    }
    all_sent
}
