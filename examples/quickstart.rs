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
//! same code sends to Kaleyra for real, to the number in `KALEYRA_TO`: it
//! warns first that it sends this repository's example templates, which the
//! account must have approved. With only some of the four set, it says which
//! are missing and sends to the emulator.

use std::error::Error as StdError;
use std::process::ExitCode;

use kaleyra_emulator::Emulator;
use kaleyra_examples::{
    BookingConfirm, BritishCouncil, CtaUrlSample, DeliveryUpdate, ImtDynamic, LoginCode,
    OrderUpdate, OrderUpdateLanguage, ReplyButtonsSample, SpringCard, SpringCollection,
};
use kaleyra_runtime::definitions::{TemplateSet, diff};
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
    let setup = RealSendSetup::from_env();
    if setup.is_complete() {
        let to = std::env::var("KALEYRA_TO").map_err(|_| "KALEYRA_TO is not valid Unicode")?;
        let client = Client::from_env()?;
        warn_real_send(&client, &to)?;
        if serve {
            eprintln!(
                "note: `--serve` keeps the local emulator running; it is ignored when sending to Kaleyra.\n"
            );
        }
        println!(
            "Sending to Kaleyra ({:?}) from {} to {to}\n",
            client.api(),
            client.from_number()
        );
        return Ok(send_all(&client, &to).await);
    }

    let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
    let emulator = Emulator::builder().templates_dir(templates).start().await?;
    match setup.partly_set() {
        None => println!(
            "No KALEYRA_* credentials set: sending to the local emulator at {}\n",
            emulator.base_url()
        ),
        Some(which) => println!(
            "{which}.\nA real send needs all of {}, so this run sends to the local emulator at {} instead.\n",
            list(&REAL_SEND_VARIABLES),
            emulator.base_url()
        ),
    }
    let v1 = emulator.client(Api::V1)?;
    let v2 = emulator.client(Api::V2(Pod::In))?;
    let mut all_sent = list_the_accounts_templates(&v2, templates).await;
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
        println!(
            "To replay a request printed above, run in another shell\n  export KALEYRA_API_KEY={}\nthen paste its curl command.",
            emulator.api_key()
        );
        tokio::signal::ctrl_c().await?;
    }
    Ok(all_sent)
}

/// The round trip of `kaleyra templates pull` and `check`, through the
/// library they use: the emulator lists its templates as Kaleyra's v2 API
/// lists an account's, and they are compared with `templates/`.
async fn list_the_accounts_templates(v2: &Client, templates: &str) -> bool {
    println!("===== The account's templates, as `kaleyra templates pull` reads them =====\n");
    // Any WhatsApp Business Account id: the emulator has one account.
    let list = match v2.list_templates("102290129340398").await {
        Ok(list) => list,
        Err(error) => {
            println!("failed: {error}\n");
            return false;
        }
    };
    let account = list.definitions();
    for definition in account.iter() {
        println!(
            "  {} ({}): {}",
            definition.name,
            definition.language.as_deref().unwrap_or("no language"),
            definition
                .status
                .as_ref()
                .map_or("no status".to_owned(), ToString::to_string)
        );
    }
    let local = match TemplateSet::load_dir(std::path::Path::new(templates)) {
        Ok(local) => local,
        Err(errors) => {
            for error in errors {
                println!("failed: {error}");
            }
            return false;
        }
    };
    let drift = diff(&local, &account);
    let breaking: Vec<_> = drift.iter().filter(|drift| drift.breaks_sends()).collect();
    if breaking.is_empty() {
        println!(
            "\n{} templates listed; templates/ agrees with the account.\n",
            account.len()
        );
    } else {
        for drift in &breaking {
            println!("  drift: {drift}");
        }
        println!();
    }
    breaking.is_empty()
}

/// The variables a real send needs: the client's three and the recipient.
const REAL_SEND_VARIABLES: [&str; 4] = [
    "KALEYRA_SID",
    "KALEYRA_API_KEY",
    "KALEYRA_FROM",
    "KALEYRA_TO",
];

/// Which of [`REAL_SEND_VARIABLES`] the environment sets, so a run that
/// falls back to the emulator can say exactly what is missing.
struct RealSendSetup {
    /// Set and not empty.
    set: Vec<&'static str>,
    /// Set, but to the empty string.
    empty: Vec<&'static str>,
    /// Not set at all.
    unset: Vec<&'static str>,
}

impl RealSendSetup {
    fn from_env() -> Self {
        let mut setup = RealSendSetup {
            set: Vec::new(),
            empty: Vec::new(),
            unset: Vec::new(),
        };
        for name in REAL_SEND_VARIABLES {
            match std::env::var_os(name) {
                Some(value) if value.is_empty() => setup.empty.push(name),
                Some(_) => setup.set.push(name),
                None => setup.unset.push(name),
            }
        }
        setup
    }

    /// Whether every variable a real send needs is set.
    fn is_complete(&self) -> bool {
        self.set.len() == REAL_SEND_VARIABLES.len()
    }

    /// Which variables are set and which are not, when some of them are
    /// (set or empty) and not all; `None` when none is set or empty.
    fn partly_set(&self) -> Option<String> {
        if self.set.is_empty() && self.empty.is_empty() {
            return None;
        }
        let mut missing = Vec::new();
        if !self.unset.is_empty() {
            missing.push(format!("{} not set", are(&self.unset)));
        }
        if !self.empty.is_empty() {
            missing.push(format!("{} empty", are(&self.empty)));
        }
        let missing = missing.join(" and ");
        Some(if self.set.is_empty() {
            missing
        } else {
            format!("{} set, but {missing}", are(&self.set))
        })
    }
}

/// `A, B and C are` / `A is`.
fn are(names: &[&str]) -> String {
    let verb = if names.len() == 1 { "is" } else { "are" };
    format!("{} {verb}", list(names))
}

/// `A, B and C`.
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    }
}

/// Says, before anything is sent, what a real run sends: this repository's
/// example templates, which the account must have approved to deliver them.
fn warn_real_send(client: &Client, to: &str) -> Result<(), Error> {
    let templates: Vec<String> = messages()?
        .into_iter()
        .filter_map(|(_, message)| match message {
            AnyMessage::Template(template) => Some(template.name().to_owned()),
            _ => None,
        })
        .collect();
    eprintln!(
        "warning: KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM and KALEYRA_TO are set, so this run\n\
         \x20        sends real WhatsApp messages from {from} to {to} through {base}.\n\
         \x20        It sends this repository's example templates (in templates/):\n\
         \x20          {templates}\n\
         \x20        Kaleyra refuses each one your account has not approved with the same name,\n\
         \x20        language and parameters. The reply-button and CTA-URL messages are not\n\
         \x20        templates: WhatsApp delivers them only within 24 hours of the customer's\n\
         \x20        last message to your business number.\n\
         \x20        To send your own templates, put their definitions in templates/ and derive\n\
         \x20        a struct for each (see the README).\n",
        base = client.base_url(),
        from = client.from_number(),
        templates = templates.join(", "),
    );
    Ok(())
}

/// Every example message: each template's derived struct, then hand-built ones.
fn messages() -> Result<Vec<(String, AnyMessage)>, Error> {
    let derived = |name: &str, message: AnyMessage| {
        (
            format!("{name} (derived from templates/{name}.json)"),
            message,
        )
    };
    // A template saved from the account: one file per language.
    let from_account = |name: &str, language: &str, message: AnyMessage| {
        (
            format!("{name} in `{language}` (derived from templates/{name}.{language}.json)"),
            message,
        )
    };
    let order_update = |language: OrderUpdateLanguage, name| {
        from_account(
            OrderUpdate::NAME,
            language.code(),
            OrderUpdate {
                language,
                name,
                order_id: "ORD-4711",
                tracking_path: "ord-4711",
            }
            .to_message(),
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
        order_update(OrderUpdateLanguage::En, "Ada"),
        order_update(OrderUpdateLanguage::Hi, "आशा"),
        from_account(
            DeliveryUpdate::NAME,
            "en",
            DeliveryUpdate {
                header_order_id: "ORD-4711",
                customer_name: "Ada",
                order_id: "ORD-4711",
                arrives: "Friday",
            }
            .to_message(),
        ),
        from_account(
            LoginCode::NAME,
            "en_US",
            LoginCode { code: "482913" }.to_message(),
        ),
        from_account(
            SpringCollection::NAME,
            "en",
            SpringCollection {
                name: "Asha",
                cards: [
                    SpringCard {
                        photo: MediaUrl::parse("https://example.com/spring/kurta.jpg")?.into(),
                        price: "₹1,299",
                        more: "more-kurta",
                        product: "kurta-linen",
                    },
                    SpringCard {
                        photo: MediaUrl::parse("https://example.com/spring/saree.jpg")?.into(),
                        price: "₹2,499",
                        more: "more-saree",
                        product: "saree-block",
                    },
                ],
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
