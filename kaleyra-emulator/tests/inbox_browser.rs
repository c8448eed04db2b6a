//! The inbox in a real browser: headless Chromium, driven over WebDriver by
//! chromedriver, shows what was sent (the filled-in template body, header,
//! footer and button titles) without a reload, and shows message text as
//! text, never as HTML.
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

use common::{TO, TO_2, V1, V2, client, start};
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use kaleyra_runtime::{MediaUrl, ReplyButtons, TemplateHeader, TemplateMessage, Text};
use serde_json::json;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";
const INSTALL: &str = "run `apt-get install chromium chromium-driver` (as root) to install Chromium and its WebDriver";

/// How long the page has to show a message.
const PAGE_WAIT: Duration = Duration::from_secs(10);

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

/// Installs Debian's `chromium` and `chromium-driver` when they are missing
/// and the test can (as root, with apt-get).
fn install_browser_if_missing() {
    // SAFETY: geteuid(2) only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    if browser_installed() || !root || !Path::new("/usr/bin/apt-get").exists() {
        return;
    }
    eprintln!("installing chromium and chromium-driver with apt-get for the inbox test");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    let installed =
        apt(&["update", "-qq"]) && apt(&["install", "-y", "-qq", "chromium", "chromium-driver"]);
    assert!(
        installed,
        "apt-get could not install chromium and chromium-driver: {INSTALL}"
    );
}

impl Chromedriver {
    fn start() -> Chromedriver {
        install_browser_if_missing();
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
            MediaUrl::parse("https://example.com/tickets/t-1.pdf").unwrap(),
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
