//! The inbox in a real browser: headless Chromium, driven over WebDriver by
//! chromedriver, shows what was sent (the filled-in template body, header,
//! footer and button titles) without a reload, and shows message text as
//! text, never as HTML. As a developer's tool it lists refused requests with
//! their code and reasons, opens each message's raw request and callbacks,
//! marks simulated ticks and untappable buttons, keeps v1 and v2 senders in
//! separate conversations, and filters and searches.
//!
//! Needs Debian's `chromium` and `chromium-driver`. When they are missing and
//! the test runs as root, it installs them with `apt-get`, so that
//! `cargo test --workspace` works on a fresh machine of this project's kind;
//! otherwise it fails and says what to install.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Raw, Receiver, TO, TO_2, V1, V2, client, start};
use fantoccini::elements::Element;
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use kaleyra_runtime::{
    CarouselCard, MediaUrl, ReplyButtons, TemplateHeader, TemplateMessage, Text,
};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";
const INSTALL: &str = "run `apt-get install chromium chromium-driver` (as root) to install Chromium and its WebDriver";

/// How long the page has to show a message.
const PAGE_WAIT: Duration = Duration::from_secs(10);

/// One browser at a time: the tests share two cores with everything else.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// chromedriver, started in a process group of its own; dropping it ends the
/// group, so the browsers it started end with it.
struct Chromedriver {
    child: std::process::Child,
    port: u16,
}

/// Whether Chromium and chromedriver are both installed.
fn browser_installed() -> bool {
    let on_path = Command::new(CHROMEDRIVER)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    Path::new(CHROMIUM).exists() && on_path
}

impl Chromedriver {
    fn start() -> Chromedriver {
        kaleyra_test_support::apt::install_if_missing(
            &["chromium", "chromium-driver"],
            browser_installed,
        );
        assert!(
            Path::new(CHROMIUM).exists(),
            "{CHROMIUM} is missing: {INSTALL}"
        );
        let port = free_port();
        let mut command = Command::new(CHROMEDRIVER);
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {CHROMEDRIVER} ({error}): {INSTALL}"));
        let driver = Chromedriver { child, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Ok(group) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) with the negated id of the group this test created
            // for chromedriver; it touches no memory.
            #[allow(unsafe_code)]
            unsafe {
                libc::kill(-group, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

async fn open_browser(driver: &Chromedriver, profile: &Path) -> Browser {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::rustls()
        .expect("a WebDriver HTTP client")
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|error| {
            panic!("cannot open Chromium through chromedriver ({error}); {INSTALL}")
        })
}

/// The page's visible text once it contains every one of `needles`, waiting
/// up to [`PAGE_WAIT`].
async fn wait_for_text(browser: &Browser, needles: &[&str]) -> String {
    let deadline = Instant::now() + PAGE_WAIT;
    loop {
        let text = browser
            .find(Locator::Css("body"))
            .await
            .expect("the page has a body")
            .text()
            .await
            .expect("the body's text");
        if needles.iter().all(|needle| text.contains(needle)) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "the inbox did not show {needles:?} within {PAGE_WAIT:?}; it shows:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_shows_sent_messages_in_a_real_browser() {
    let _turn = ONE_BROWSER.lock().await;
    let started = Instant::now();
    let emulator = start().await;
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;

    // The page is open before anything is sent: what follows must appear
    // without a reload.
    browser.goto(&emulator.inbox_url()).await.unwrap();
    wait_for_text(&browser, &["No conversations yet."]).await;

    let template = TemplateMessage::media("imt_dynamic")
        .language("en")
        .params(["John", "Doe"])
        .header(TemplateHeader::Document(
            MediaUrl::parse("https://example.com/tickets/t-1.pdf")
                .unwrap()
                .into(),
        ))
        .url_button(1, "t-1");
    client(&emulator, V1).send(&template, TO).await.unwrap();
    let text = wait_for_text(
        &browser,
        &[
            "Hi John Doe, your ticket is attached.",
            "Reply STOP to opt out",
            "Confirm",
            "Login",
            "https://example.com/tickets/t-1.pdf",
            TO,
        ],
    )
    .await;
    assert!(!text.contains("{{1}}"), "{text}");

    let buttons = ReplyButtons::new("Hi Ada, which one would you like?")
        .footer("Hey footer")
        .button("1", "First Button Title")
        .button("2", "Second Button Title")
        .button("3", "Third Button Title");
    client(&emulator, V2).send(&buttons, TO_2).await.unwrap();
    wait_for_text(
        &browser,
        &[
            "Hi Ada, which one would you like?",
            "First Button Title",
            "Second Button Title",
            "Third Button Title",
            TO_2,
        ],
    )
    .await;

    // A carousel's cards side by side, each with its body and buttons.
    let card = |photo: &str, price: &str, product: &str| {
        CarouselCard::new(TemplateHeader::Image(
            MediaUrl::parse(photo).unwrap().into(),
        ))
        .param(price)
        .quick_reply_payload(0, "more")
        .url_button(1, product)
    };
    let carousel = TemplateMessage::media("spring_collection")
        .language("en")
        .param("Asha")
        .card(card(
            "https://example.com/kurta.jpg",
            "₹1,299",
            "kurta-linen",
        ))
        .card(card(
            "https://example.com/saree.jpg",
            "₹2,499",
            "saree-block",
        ));
    client(&emulator, V2).send(&carousel, TO_2).await.unwrap();
    wait_for_text(
        &browser,
        &[
            "New in for spring, Asha",
            "Linen kurta, now ₹1,299",
            "Block-print saree, now ₹2,499",
            "https://shop.example.com/p/saree-block",
        ],
    )
    .await;
    wait_for_count(&browser, "#messages .carousel .card", 2).await;

    // Markup in a message is shown as text and never becomes elements.
    let markup = "<img src=x onerror=\"document.title='pwned'\"><b>bold?</b>";
    client(&emulator, V2)
        .send(&Text::new(markup), TO_2)
        .await
        .unwrap();
    wait_for_text(&browser, &[markup]).await;
    let injected = browser
        .find_all(Locator::Css("#messages img, #messages b"))
        .await
        .unwrap();
    assert!(injected.is_empty(), "message text became elements");
    assert_ne!(browser.title().await.unwrap(), "pwned");

    // Ticks follow the status: the last message is read by now.
    let deadline = Instant::now() + PAGE_WAIT;
    while browser
        .find_all(Locator::Css("#messages .message[data-status='read']"))
        .await
        .unwrap()
        .is_empty()
    {
        assert!(Instant::now() < deadline, "no message was shown as read");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    browser.close().await.unwrap();
    drop(driver);
    eprintln!("browser test took {:?}", started.elapsed());
}

/// The elements matching `css` once there are `count` of them, waiting up to
/// [`PAGE_WAIT`].
async fn wait_for_count(browser: &Browser, css: &str, count: usize) -> Vec<Element> {
    let deadline = Instant::now() + PAGE_WAIT;
    loop {
        let found = browser.find_all(Locator::Css(css)).await.unwrap();
        if found.len() == count {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "the inbox did not show {count} of `{css}` within {PAGE_WAIT:?}; it shows {}",
            found.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The visible text of the element `css` once it contains every one of
/// `needles`, waiting up to [`PAGE_WAIT`].
async fn wait_for_text_in(browser: &Browser, css: &str, needles: &[&str]) -> String {
    let deadline = Instant::now() + PAGE_WAIT;
    loop {
        let text = match browser.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if needles.iter().all(|needle| text.contains(needle)) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "`{css}` did not show {needles:?} within {PAGE_WAIT:?}; it shows:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the element `css`, trying again (up to [`PAGE_WAIT`]) while it is
/// missing or was redrawn between finding and clicking it.
async fn click(browser: &Browser, css: &str) {
    let deadline = Instant::now() + PAGE_WAIT;
    loop {
        let clicked = match browser.find(Locator::Css(css)).await {
            Ok(element) => element.click().await.map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match clicked {
            Ok(()) => return,
            Err(error) => assert!(
                Instant::now() < deadline,
                "could not click `{css}` within {PAGE_WAIT:?}: {error}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn choose(browser: &Browser, select: &str, value: &str) {
    browser
        .find(Locator::Css(select))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_shows_refused_requests_details_and_what_really_happened() {
    let _turn = ONE_BROWSER.lock().await;
    let emulator = start().await;
    let raw = Raw::new(&emulator);
    let receiver = Receiver::start().await;
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    browser.goto(&emulator.inbox_url()).await.unwrap();
    wait_for_text(&browser, &["No conversations yet."]).await;

    // Accepted: to one customer from the v1 number, with a callback URL, and
    // from the v2 number, with buttons and no callback URL.
    let reported = client(&emulator, V1)
        .send(
            &Text::new("Your order has shipped").callback_url(&receiver.url),
            TO,
        )
        .await
        .unwrap();
    let reported_id = reported.message_id().unwrap().to_owned();
    let buttons = ReplyButtons::new("Which one would you like?")
        .button("1", "First")
        .button("2", "Second");
    client(&emulator, V2).send(&buttons, TO).await.unwrap();
    // Refused: an unknown v1 field, with the API key pasted into the body,
    // and a malformed v2 payload.
    let key = emulator.api_key().to_owned();
    let fields = raw.v1_fields(
        "text",
        &[("body", "Hello"), ("colour", "blue"), ("note", &key)],
    );
    assert_eq!(raw.v1(&fields).await.code(), "E413");
    let malformed = json!({ "messaging_object": { "to": TO, "type": "text" } });
    assert_eq!(raw.v2(&malformed).await.code(), "WA400");

    // One conversation per business number and customer: v1 and v2 senders
    // are not mixed, and each says which number it is from.
    let v1_entry = format!(".conversation[data-from='{}']", emulator.v1_number());
    let v2_entry = format!(".conversation[data-from='{}']", emulator.v2_number());
    wait_for_count(&browser, &format!(".conversation[data-to='{TO}']"), 2).await;
    wait_for_text_in(
        &browser,
        &v1_entry,
        &[&format!("from {} · v1", emulator.v1_number())],
    )
    .await;

    // The refused requests are listed beside the conversations, with the
    // code, every field's reason and the body without the key.
    wait_for_text_in(&browser, ".refused-entry .count", &["2"]).await;
    click(&browser, ".refused-entry").await;
    let refusals = wait_for_text_in(
        &browser,
        "#messages",
        &[
            "E413",
            "HTTP 400",
            "colour",
            "is not a field of Kaleyra's v1 messages API",
            "colour=blue",
            "[api-key redacted]",
            "WA400",
            "Incorrect payload format",
            &format!("POST /v1/{}/messages", emulator.sid()),
        ],
    )
    .await;
    assert!(!refusals.contains(&key), "{refusals}");

    // Each message opens its details: the raw request, the stored message,
    // and the callbacks with their URL, payload and answer.
    click(&browser, &v1_entry).await;
    click(
        &browser,
        &format!("#messages .message[data-id='{reported_id}'] .open-detail"),
    )
    .await;
    let detail = wait_for_text_in(
        &browser,
        "#detail",
        &[
            "Request as received",
            &format!("POST /v1/{}/messages", emulator.sid()),
            "Content-Type: application/x-www-form-urlencoded",
            "Your+order+has+shipped",
            "Stored message",
            &reported_id,
            "Callbacks",
            "read",
            "HTTP 200",
            &receiver.url,
            "status=read",
        ],
    )
    .await;
    assert!(!detail.contains(&key), "{detail}");
    click(&browser, "#detail-close").await;
    wait_for_count(&browser, "#detail:not([hidden])", 0).await;

    // Ticks say what happened: reported ones turn blue once `read` is
    // posted; without a callback URL they are grey and marked simulated.
    wait_for_count(
        &browser,
        "#messages .message[data-ticks='reported'] .ticks.read:not(.simulated)",
        1,
    )
    .await;
    click(&browser, &v2_entry).await;
    wait_for_count(
        &browser,
        "#messages .message[data-ticks='simulated'] .ticks.simulated",
        1,
    )
    .await;
    // Buttons without a callback URL look disabled and say why.
    let disabled = wait_for_count(&browser, "#messages button.button.disabled[disabled]", 2).await;
    let why = disabled[0].attr("title").await.unwrap().unwrap_or_default();
    assert!(why.contains("no callback_url"), "{why}");
    wait_for_text_in(
        &browser,
        "#messages",
        &["simulated", "Buttons can't be tapped", "no callback_url"],
    )
    .await;

    // The filters: by API version, accepted or refused, and a search.
    choose(&browser, "#filter-api", "v1").await;
    wait_for_count(&browser, &v2_entry, 0).await;
    wait_for_count(&browser, &v1_entry, 1).await;
    wait_for_text_in(&browser, ".refused-entry .count", &["1"]).await;
    choose(&browser, "#filter-api", "").await;
    choose(&browser, "#filter-outcome", "refused").await;
    wait_for_count(&browser, ".conversation:not(.refused-entry)", 0).await;
    wait_for_count(&browser, ".refused-entry", 1).await;
    choose(&browser, "#filter-outcome", "accepted").await;
    wait_for_count(&browser, ".refused-entry", 0).await;
    wait_for_count(&browser, ".conversation", 2).await;
    choose(&browser, "#filter-outcome", "").await;
    let search = browser.find(Locator::Css("#search")).await.unwrap();
    search.send_keys("which one").await.unwrap();
    wait_for_count(&browser, ".conversation", 1).await;
    wait_for_count(&browser, &v2_entry, 1).await;
    search.clear().await.unwrap();
    search.send_keys("colour").await.unwrap();
    wait_for_count(&browser, ".conversation", 1).await;
    wait_for_text_in(&browser, ".refused-entry .count", &["1"]).await;

    let source = browser.source().await.unwrap();
    assert!(!source.contains(&key), "the page holds the API key");
    browser.close().await.unwrap();
    drop(driver);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_shows_each_fault_beside_the_request_it_touched() {
    use kaleyra_emulator::{FaultAction, FaultRule};

    let _turn = ONE_BROWSER.lock().await;
    let emulator = start().await;
    let receiver = Receiver::start().await;
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    browser.goto(&emulator.inbox_url()).await.unwrap();
    wait_for_text(&browser, &["No conversations yet."]).await;

    // A refusal by a fault, a reset that got no answer, and a message that
    // was accepted and then failed.
    emulator
        .add_fault(FaultRule::next(
            1,
            FaultAction::error("WA429").retry_after(Duration::from_secs(2)),
        ))
        .unwrap();
    assert!(
        client(&emulator, V2)
            .send(&Text::new("a"), TO)
            .await
            .is_err()
    );
    emulator
        .add_fault(FaultRule::next(1, FaultAction::reset()))
        .unwrap();
    assert!(
        client(&emulator, V2)
            .send(&Text::new("b"), TO)
            .await
            .is_err()
    );
    emulator
        .add_fault(FaultRule::next(1, FaultAction::fail_later("131047")))
        .unwrap();
    let failed = client(&emulator, V1)
        .send(
            &Text::new("Your order has shipped").callback_url(&receiver.url),
            TO,
        )
        .await
        .unwrap();
    let failed_id = failed.message_id().unwrap().to_owned();

    wait_for_text_in(&browser, ".refused-entry .count", &["2"]).await;
    click(&browser, ".refused-entry").await;
    wait_for_text_in(
        &browser,
        "#messages",
        &[
            "WA429",
            "fault-1: error WA429 (HTTP 429, Retry-After 2 s)",
            "reset",
            "no answer",
            "fault-2: connection reset, message not sent",
        ],
    )
    .await;
    wait_for_count(
        &browser,
        "#messages .refusal .fault[data-fault='fault-1']",
        1,
    )
    .await;

    let v1_entry = format!(".conversation[data-from='{}']", emulator.v1_number());
    click(&browser, &v1_entry).await;
    let message = format!("#messages .message[data-id='{failed_id}']");
    wait_for_text_in(
        &browser,
        &message,
        &["fault-3: accepted, then failed with Meta's 131047 (Re-engagement message)"],
    )
    .await;
    wait_for_count(&browser, &format!("{message} .ticks.failed"), 1).await;

    let search = browser.find(Locator::Css("#search")).await.unwrap();
    search.send_keys("fault-2").await.unwrap();
    wait_for_count(&browser, ".conversation:not(.refused-entry)", 0).await;
    wait_for_text_in(&browser, ".refused-entry .count", &["1"]).await;
    browser.close().await.unwrap();
    drop(driver);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_lists_a_multi_product_button_s_products() {
    let _turn = ONE_BROWSER.lock().await;
    let fixtures = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../kaleyra-definitions/tests/fixtures/products");
    let emulator = kaleyra_emulator::Emulator::builder()
        .templates_dir(fixtures)
        .start()
        .await
        .unwrap();
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    browser.goto(&emulator.inbox_url()).await.unwrap();

    let cart = kaleyra_runtime::MultiProduct::new("2lc20305pt").section(
        kaleyra_runtime::ProductSection::new("Your cart", ["nseiw1x9ez", "46sgk8mwlv"]),
    );
    let message = TemplateMessage::media("abandoned_cart")
        .language("en_US")
        .header(TemplateHeader::Text("Pablo".into()))
        .param("10OFF")
        .multi_product(0, cart);
    client(&emulator, V2).send(&message, TO).await.unwrap();
    wait_for_text(
        &browser,
        &[
            "thumbnail: 2lc20305pt",
            "Your cart",
            "nseiw1x9ez",
            "46sgk8mwlv",
        ],
    )
    .await;
    wait_for_count(&browser, "#messages .products-items li", 2).await;

    browser.close().await.unwrap();
    drop(driver);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_shows_what_the_customer_wrote_and_its_reply_box_writes_as_them() {
    let _turn = ONE_BROWSER.lock().await;
    let emulator = start().await;
    let receiver = Receiver::start().await;
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    browser.goto(&emulator.inbox_url()).await.unwrap();

    let shipped = Text::new("Your order has shipped").callback_url(&receiver.url);
    let receipt = client(&emulator, V2).send(&shipped, TO).await.unwrap();
    let sent = receipt.message_id().unwrap().to_owned();
    let location =
        kaleyra_emulator::CustomerMessage::new(kaleyra_emulator::CustomerContent::Location {
            latitude: 19.076,
            longitude: 72.8777,
            name: Some("Home".into()),
            address: None,
        })
        .reply_to(&sent);
    emulator.write_as_customer(TO, location).await.unwrap();
    wait_for_text_in(
        &browser,
        "#messages .message.incoming",
        &["📍 Home", "reply to", "location"],
    )
    .await;

    // The reply box writes as the customer; the text goes to the callback
    // URL the business used, in v2's shape, and joins the conversation.
    let reply = "मैं घर पर हूँ, ring twice 🔔";
    browser
        .find(Locator::Css("#reply-text"))
        .await
        .unwrap()
        .send_keys(reply)
        .await
        .unwrap();
    click(&browser, "#reply-send").await;
    wait_for_count(&browser, "#messages .message.incoming", 2).await;
    wait_for_text_in(&browser, "#messages", &[reply]).await;
    let written = emulator.written();
    assert_eq!(written[0].summary, reply);
    loop {
        let body = receiver.next().await.json();
        let incoming = &body["meta_object"]["value"]["messages"][0];
        if incoming["type"] == "text" {
            assert_eq!(incoming["text"]["body"], reply);
            break;
        }
    }

    // Where the customer's message has nowhere to go, the box says why.
    client(&emulator, V2)
        .send(&Text::new("No callback here"), TO_2)
        .await
        .unwrap();
    click(&browser, &format!(".conversation[data-to=\"{TO_2}\"]")).await;
    wait_for_text_in(&browser, "#chat-title", &[TO_2]).await;
    browser
        .find(Locator::Css("#reply-text"))
        .await
        .unwrap()
        .send_keys("hello?")
        .await
        .unwrap();
    click(&browser, "#reply-send").await;
    wait_for_text_in(&browser, "#reply-note", &["Not sent", "Incoming URL"]).await;
    assert_eq!(emulator.written().len(), 2);

    browser.close().await.unwrap();
    drop(driver);
}

/// The recipient of message `n` of the scale test: +9198000NNNNN.
fn nth_customer(n: usize) -> String {
    format!("+9198{:08}", n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_stays_fast_at_100000_messages_and_collapses_identical_refusals() {
    const MESSAGES: usize = 100_000;
    const PER_REQUEST: usize = 1_000;
    const REFUSALS: usize = 1_200;
    let _turn = ONE_BROWSER.lock().await;
    let emulator = start().await;
    let v1 = client(&emulator, V1);

    // Two campaigns, sent as `kaleyra send` names them (`<campaign>:<n>`),
    // 1,000 recipients per v1 request.
    let customers: Vec<String> = (0..MESSAGES).map(nth_customer).collect();
    for (batch, recipients) in customers.chunks(PER_REQUEST).enumerate() {
        let campaign = if batch < 60 {
            "diwali-sale"
        } else {
            "welcome-series"
        };
        let message = Text::new("Our Diwali sale starts tomorrow 🪔")
            .reference(format!("{campaign}:{batch}"));
        v1.send(&message, recipients).await.unwrap();
    }
    // The same mistake, made 1,200 times: more than the 1,000 kept.
    let raw = Raw::new(&emulator);
    let fields = raw.v1_fields("text", &[("body", "hi"), ("colour", "blue")]);
    for _ in 0..REFUSALS {
        assert_eq!(raw.v1(&fields).await.code(), "E413");
    }
    assert_eq!(emulator.messages().len(), MESSAGES);

    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().unwrap();
    let browser = open_browser(&driver, profile.path()).await;
    browser.goto(&emulator.inbox_url()).await.unwrap();

    // Campaigns with exact counts, one page of conversations, the rest a
    // click away.
    wait_for_text_in(
        &browser,
        ".campaigns",
        &["diwali-sale", "60,000", "welcome-series", "40,000"],
    )
    .await;
    wait_for_count(&browser, ".conversation:not(.refused-entry)", 100).await;
    wait_for_text_in(&browser, ".page.older", &["100 of 100,000"]).await;
    click(&browser, ".campaign[data-campaign='welcome-series']").await;
    wait_for_text_in(&browser, ".page.older", &["100 of 40,000"]).await;
    click(&browser, ".campaign[data-campaign='*']").await;

    // Every refusal counted, identical ones one card with their count.
    wait_for_text_in(&browser, ".refused-entry .count", &["1,200"]).await;
    click(&browser, ".refused-entry").await;
    wait_for_count(&browser, "#messages .refusal", 1).await;
    wait_for_text_in(&browser, "#messages .repeat", &["×1,000 identical"]).await;

    // One customer among 100,000, found by the search within a second.
    let wanted = nth_customer(54_321);
    let search = browser.find(Locator::Css("#search")).await.unwrap();
    let started = Instant::now();
    search.send_keys(&wanted).await.unwrap();
    let typed = Instant::now();
    wait_for_count(&browser, ".conversation:not(.refused-entry)", 1).await;
    wait_for_count(&browser, &format!(".conversation[data-to='{wanted}']"), 1).await;
    let found = typed.elapsed();
    eprintln!(
        "typing took {:?}; found {:?} after the last key",
        typed - started,
        found
    );
    assert!(
        found < Duration::from_secs(1),
        "found after {found:?}, not within a second"
    );
    click(&browser, &format!(".conversation[data-to='{wanted}']")).await;
    wait_for_text_in(
        &browser,
        "#messages",
        &["Our Diwali sale starts tomorrow 🪔"],
    )
    .await;

    browser.close().await.unwrap();
    drop(driver);
}
