//! The emulator as a Kaleyra callback profile, end to end: a template sent
//! through the runtime's `Client` with a callback URL, its status callbacks
//! posted with the profile's credentials (custom header, HTTP Basic, or a
//! bearer token fetched from the auth URL) to the runtime's
//! `callback_router` on 127.0.0.1, which hands them to the handler only when
//! every credential is right. Each test counts the handler's calls.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use common::{TO, V1, V2, client, templates_dir, wait_for_message};
use kaleyra_emulator::{
    AdvancedAuth, AuthMethod, CallbackOutcome, ClientCredentialsIn, Emulator, EmulatorBuilder,
    RunningEmulator, StoredMessage,
};
use kaleyra_runtime::callbacks::{
    BasicCredentials, CallbackAuth, CallbackHeader, CallbackSecret, CallbackTokens, Event,
    callback_router,
};
use kaleyra_runtime::{Api, TemplateMessage};

const HEADER_VALUE: &str = "header-token-0123456789abcdef";
const PASSWORD: &str = "basic-password-0123456789";
const CLIENT_ID: &str = "kaleyra-client";
const CLIENT_SECRET: &str = "client-secret-0123456789abcdef";

/// The emulator over the workspace's templates, quick callbacks, and the
/// profile `configure` sets.
async fn emulator(configure: impl FnOnce(EmulatorBuilder) -> EmulatorBuilder) -> RunningEmulator {
    configure(
        Emulator::builder()
            .templates_dir(templates_dir())
            .callback_delay(Duration::from_millis(10)),
    )
    .start()
    .await
    .expect("the emulator starts")
}

/// A `callback_router` on 127.0.0.1 with `auth`: its base URL, how many
/// times the handler ran, and how many token requests reached it.
struct Receiver {
    base: String,
    handled: Arc<AtomicUsize>,
    token_requests: Arc<AtomicUsize>,
}

impl Receiver {
    async fn start(auth: CallbackAuth) -> Receiver {
        let handled = Arc::new(AtomicUsize::new(0));
        let token_requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&handled);
        let app = callback_router("/kaleyra", auth, move |event: Event| {
            let counter = Arc::clone(&counter);
            async move {
                assert!(matches!(event, Event::Status(_)), "{event:?}");
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        let counted = Arc::clone(&token_requests);
        let app = app.layer(axum::middleware::from_fn(
            move |request: Request, next: Next| {
                let counted = Arc::clone(&counted);
                async move {
                    if request.uri().path() == "/kaleyra/token" {
                        counted.fetch_add(1, Ordering::SeqCst);
                    }
                    next.run(request).await
                }
            },
        ));
        let address = serve(app).await;
        Receiver {
            base: format!("http://{address}/kaleyra"),
            handled,
            token_requests,
        }
    }

    fn handled(&self) -> usize {
        self.handled.load(Ordering::SeqCst)
    }

    fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }

    fn token_url(&self) -> String {
        format!("{}/token", self.base)
    }
}

async fn serve(app: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// Sends `booking_confirm` on `api` with `callback_url`, and waits for its
/// three status callbacks to be recorded.
async fn send_and_settle(
    emulator: &RunningEmulator,
    api: Api,
    callback_url: &str,
) -> StoredMessage {
    let message = TemplateMessage::new("booking_confirm")
        .language("en")
        .params(["Ada", "B-4711"])
        .callback_url(callback_url);
    let receipt = client(emulator, api).send(&message, TO).await.unwrap();
    let id = receipt.message_id().unwrap().to_owned();
    wait_for_message(emulator, &id, |message| message.callbacks.len() == 3).await
}

fn outcomes(message: &StoredMessage) -> Vec<CallbackOutcome> {
    message
        .callbacks
        .iter()
        .map(|record| record.outcome.clone())
        .collect()
}

const POSTED: CallbackOutcome = CallbackOutcome::Posted { http_status: 200 };
const NOT_FOUND: CallbackOutcome = CallbackOutcome::Posted { http_status: 404 };
const UNAUTHORIZED: CallbackOutcome = CallbackOutcome::Posted { http_status: 401 };

fn secret() -> CallbackSecret {
    CallbackSecret::generate().unwrap()
}

fn url_of(secret: &CallbackSecret, receiver: &Receiver) -> String {
    secret
        .callback_url(&receiver.base)
        .unwrap()
        .expose_url()
        .to_owned()
}

#[tokio::test]
async fn a_custom_header_profile_reaches_a_router_that_requires_the_secret_and_the_header() {
    let secret = secret();
    let header = CallbackHeader::new("X-Callback-Token", HEADER_VALUE).unwrap();
    let receiver = Receiver::start(
        CallbackAuth::secret(secret.clone())
            .and_header(header)
            .unwrap(),
    )
    .await;
    let url = url_of(&secret, &receiver);
    let emulator = emulator(|b| b.callback_header("X-Callback-Token", HEADER_VALUE)).await;
    for api in [V1, V2] {
        let message = send_and_settle(&emulator, api, &url).await;
        assert_eq!(outcomes(&message), [POSTED; 3], "{api:?}");
    }
    assert_eq!(receiver.handled(), 6);
}

#[tokio::test]
async fn a_wrong_or_missing_header_is_refused_and_the_handler_never_runs() {
    let secret = secret();
    let header = CallbackHeader::new("X-Callback-Token", HEADER_VALUE).unwrap();
    let receiver = Receiver::start(
        CallbackAuth::secret(secret.clone())
            .and_header(header)
            .unwrap(),
    )
    .await;
    let url = url_of(&secret, &receiver);
    let wrong =
        emulator(|b| b.callback_header("X-Callback-Token", "header-token-0123456789abcdeX")).await;
    let missing = emulator(|b| b).await;
    let other_name = emulator(|b| b.callback_header("X-Other-Token", HEADER_VALUE)).await;
    for emulator in [&wrong, &missing, &other_name] {
        let message = send_and_settle(emulator, V2, &url).await;
        assert_eq!(outcomes(&message), [NOT_FOUND; 3]);
    }
    // The right header with the wrong URL secret is refused too.
    let right = emulator(|b| b.callback_header("X-Callback-Token", HEADER_VALUE)).await;
    let wrong_url = url_of(&CallbackSecret::generate().unwrap(), &receiver);
    let message = send_and_settle(&right, V2, &wrong_url).await;
    assert_eq!(outcomes(&message), [NOT_FOUND; 3]);
    assert_eq!(receiver.handled(), 0);
}

#[tokio::test]
async fn basic_credentials_are_admitted_and_wrong_ones_refused_before_the_handler() {
    let basic = BasicCredentials::new("kaleyra", PASSWORD).unwrap();
    let receiver = Receiver::start(CallbackAuth::basic(basic)).await;
    let right = emulator(|b| b.callback_basic_auth("kaleyra", PASSWORD)).await;
    let message = send_and_settle(&right, V1, &receiver.base).await;
    assert_eq!(outcomes(&message), [POSTED; 3]);
    assert_eq!(receiver.handled(), 3);

    let wrong_password =
        emulator(|b| b.callback_basic_auth("kaleyra", "basic-password-012345678X")).await;
    let wrong_user = emulator(|b| b.callback_basic_auth("kaleyrA", PASSWORD)).await;
    let none = emulator(|b| b).await;
    for emulator in [&wrong_password, &wrong_user, &none] {
        let message = send_and_settle(emulator, V2, &receiver.base).await;
        assert_eq!(outcomes(&message), [NOT_FOUND; 3]);
    }
    assert_eq!(
        receiver.handled(),
        3,
        "no refused callback reached the handler"
    );
}

fn tokens() -> CallbackTokens {
    CallbackTokens::new("/kaleyra/token", CLIENT_ID, CLIENT_SECRET).unwrap()
}

#[tokio::test]
async fn advanced_auth_fetches_one_token_in_each_representation_and_the_callbacks_carry_it() {
    for (method, credentials_in) in [
        (AuthMethod::Post, ClientCredentialsIn::Form),
        (AuthMethod::Post, ClientCredentialsIn::Json),
        (AuthMethod::Post, ClientCredentialsIn::Basic),
        (AuthMethod::Get, ClientCredentialsIn::Basic),
    ] {
        let secret = secret();
        let receiver = Receiver::start(
            CallbackAuth::secret(secret.clone())
                .and_bearer(tokens())
                .unwrap(),
        )
        .await;
        let auth = AdvancedAuth::new(receiver.token_url(), CLIENT_ID, CLIENT_SECRET)
            .method(method)
            .credentials_in(credentials_in)
            .header("X-Tenant", "acme");
        let emulator = emulator(|b| b.callback_advanced_auth(auth)).await;
        let message = send_and_settle(&emulator, V2, &url_of(&secret, &receiver)).await;
        assert_eq!(
            outcomes(&message),
            [POSTED; 3],
            "{method:?} {credentials_in:?}"
        );
        assert_eq!(receiver.handled(), 3);
        assert_eq!(
            receiver.token_requests(),
            1,
            "the token is kept between callbacks"
        );
    }
}

#[tokio::test]
async fn a_wrong_client_secret_gets_no_token_and_the_callback_fails_with_the_reason() {
    let receiver = Receiver::start(CallbackAuth::bearer(tokens())).await;
    let leaked = "client-secret-0123456789abcdeX";
    let auth = AdvancedAuth::new(receiver.token_url(), CLIENT_ID, leaked);
    let emulator = emulator(|b| b.callback_advanced_auth(auth)).await;
    let message = send_and_settle(&emulator, V2, &receiver.base).await;
    for outcome in outcomes(&message) {
        let CallbackOutcome::Failed { reason } = outcome else {
            panic!("expected a failure: {outcome:?}");
        };
        assert!(reason.contains("auth URL answered HTTP 401"), "{reason}");
    }
    assert_eq!(receiver.handled(), 0);
    let shown = format!("{:?} {:?}", emulator.emulator(), emulator.messages());
    assert!(!shown.contains(leaked), "{shown}");
}

#[tokio::test]
async fn a_callback_without_a_token_is_refused_before_the_handler() {
    let receiver = Receiver::start(CallbackAuth::bearer(tokens())).await;
    let emulator = emulator(|b| b.callback_header("X-Callback-Token", HEADER_VALUE)).await;
    let message = send_and_settle(&emulator, V2, &receiver.base).await;
    assert_eq!(outcomes(&message), [NOT_FOUND; 3]);
    assert_eq!(receiver.handled(), 0);
}

/// A token URL of the test's own, answering `body` to every request.
async fn token_server(body: &'static str, requests: Arc<AtomicUsize>) -> String {
    let app = Router::new().route(
        "/token",
        axum::routing::post(move || {
            requests.fetch_add(1, Ordering::SeqCst);
            async move { ([("content-type", "application/json")], body) }
        }),
    );
    format!("http://{}/token", serve(app).await)
}

#[tokio::test]
async fn unusable_token_answers_are_the_callbacks_failure_with_the_reason() {
    let receiver = Receiver::start(CallbackAuth::bearer(tokens())).await;
    for (answer, expected) in [
        ("<html>oops</html>", "not JSON"),
        (
            r#"{"token_type":"Bearer","expires_in":"3599"}"#,
            "no `access_token`",
        ),
        (
            r#"{"token_type":"Bearer","expires_in":"in an hour","access_token":"tok-secret-1"}"#,
            "`expires_in` is \"in an hour\"",
        ),
        (
            r#"{"token_type":"Bearer","expires_in":3599,"access_token":"tok-secret-1"}"#,
            "JSON number 3599",
        ),
    ] {
        let url = token_server(answer, Arc::new(AtomicUsize::new(0))).await;
        let auth = AdvancedAuth::new(url, CLIENT_ID, CLIENT_SECRET);
        let emulator = emulator(|b| b.callback_advanced_auth(auth)).await;
        let message = send_and_settle(&emulator, V2, &receiver.base).await;
        for outcome in outcomes(&message) {
            let CallbackOutcome::Failed { reason } = &outcome else {
                panic!("{answer}: expected a failure, got {outcome:?}");
            };
            assert!(reason.contains(expected), "{answer}: {reason}");
            assert!(!reason.contains("tok-secret"), "{reason}");
        }
    }
    assert_eq!(receiver.handled(), 0);
}

#[tokio::test]
async fn an_expired_token_is_fetched_anew() {
    let tokens = tokens().lifetime(Duration::from_secs(1)).unwrap();
    let receiver = Receiver::start(CallbackAuth::bearer(tokens)).await;
    let auth = AdvancedAuth::new(receiver.token_url(), CLIENT_ID, CLIENT_SECRET);
    let emulator = emulator(|b| b.callback_advanced_auth(auth)).await;
    let first = send_and_settle(&emulator, V2, &receiver.base).await;
    assert_eq!(outcomes(&first), [POSTED; 3]);
    assert_eq!(receiver.token_requests(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = send_and_settle(&emulator, V2, &receiver.base).await;
    assert_eq!(outcomes(&second), [POSTED; 3]);
    assert!(receiver.token_requests() >= 2, "expired, so fetched again");
    assert_eq!(receiver.handled(), 6);
}

#[tokio::test]
async fn a_401_makes_the_emulator_fetch_a_new_token_once() {
    let tokens = tokens();
    let receiver = Receiver::start(CallbackAuth::bearer(tokens.clone())).await;
    let auth = AdvancedAuth::new(receiver.token_url(), CLIENT_ID, CLIENT_SECRET);
    let emulator = emulator(|b| b.callback_advanced_auth(auth)).await;
    let first = send_and_settle(&emulator, V2, &receiver.base).await;
    assert_eq!(outcomes(&first), [POSTED; 3]);
    // The kept token is not valid any more (as after a restart of the receiver).
    tokens.revoke_all();
    let second = send_and_settle(&emulator, V2, &receiver.base).await;
    assert_eq!(outcomes(&second), [POSTED; 3]);
    assert_eq!(receiver.token_requests(), 2);
    assert_eq!(receiver.handled(), 6);
}

#[tokio::test]
async fn a_token_the_router_never_issued_is_refused_with_401_after_one_refetch() {
    let receiver = Receiver::start(CallbackAuth::bearer(tokens())).await;
    let requests = Arc::new(AtomicUsize::new(0));
    let url = token_server(
        r#"{"token_type":"Bearer","expires_in":"3599","access_token":"not-issued-by-the-router"}"#,
        Arc::clone(&requests),
    )
    .await;
    let emulator =
        emulator(|b| b.callback_advanced_auth(AdvancedAuth::new(url, CLIENT_ID, CLIENT_SECRET)))
            .await;
    let message = send_and_settle(&emulator, V2, &receiver.base).await;
    assert_eq!(outcomes(&message), [UNAUTHORIZED; 3]);
    // One fetch to start, then one more after each 401: never a loop.
    assert_eq!(requests.load(Ordering::SeqCst), 4);
    assert_eq!(receiver.handled(), 0);
}

#[tokio::test]
async fn profiles_that_cannot_work_are_refused_at_start_by_setting() {
    let auth = AdvancedAuth::new("http://127.0.0.1:9/token", CLIENT_ID, CLIENT_SECRET);
    let cases: Vec<(EmulatorBuilder, &str, &str)> = vec![
        (
            Emulator::builder()
                .callback_basic_auth("kaleyra", PASSWORD)
                .callback_advanced_auth(auth.clone()),
            "callback_basic_auth",
            "one Authorization header",
        ),
        (
            Emulator::builder()
                .callback_header("Authorization", HEADER_VALUE)
                .callback_basic_auth("kaleyra", PASSWORD),
            "callback_header",
            "`Authorization`",
        ),
        (
            Emulator::builder().callback_header("X Token", HEADER_VALUE),
            "callback_header",
            "not an HTTP header name",
        ),
        (
            Emulator::builder().callback_basic_auth("kale:yra", PASSWORD),
            "callback_basic_auth",
            "RFC 7617",
        ),
        (
            Emulator::builder().callback_advanced_auth(AdvancedAuth::new(
                "https://auth.example.com/token",
                CLIENT_ID,
                CLIENT_SECRET,
            )),
            "callback_advanced_auth",
            "plain http",
        ),
    ];
    for (builder, setting, expected) in cases {
        let error = builder.build().unwrap_err();
        let shown = error.to_string();
        assert!(
            shown.contains(setting) && shown.contains(expected),
            "{shown}"
        );
        assert!(
            !shown.contains(PASSWORD) && !shown.contains(HEADER_VALUE),
            "{shown}"
        );
    }
}

#[test]
fn the_builders_debug_shows_no_credential() {
    let builder = Emulator::builder()
        .callback_header("X-Callback-Token", HEADER_VALUE)
        .callback_advanced_auth(
            AdvancedAuth::new("http://127.0.0.1:9/token", CLIENT_ID, CLIENT_SECRET)
                .header("X-Key", "auth-header-value-1"),
        );
    let shown = format!("{builder:?}");
    assert!(
        shown.contains("x-callback-token") || shown.contains("X-Callback-Token"),
        "{shown}"
    );
    for secret in [HEADER_VALUE, CLIENT_SECRET, "auth-header-value-1"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let basic = format!(
        "{:?}",
        Emulator::builder().callback_basic_auth("kaleyra", PASSWORD)
    );
    assert!(
        basic.contains("kaleyra") && !basic.contains(PASSWORD),
        "{basic}"
    );
}

/// Kills the child process on drop, so a failed assertion leaves nothing running.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_takes_the_profile_from_flags_and_variables() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let secret = secret();
    let auth = CallbackAuth::secret(secret.clone())
        .and_header(CallbackHeader::new("X-Callback-Token", HEADER_VALUE).unwrap())
        .unwrap()
        .and_bearer(tokens())
        .unwrap();
    let receiver = Receiver::start(auth).await;
    let child = Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
        .arg("--templates")
        .arg(templates_dir())
        .args(["--port", "0", "--callback-delay-ms", "10"])
        .args(["--callback-auth-url", &receiver.token_url()])
        .args(["--callback-auth-client-id", CLIENT_ID])
        .args(["--callback-auth-credentials", "json"])
        .env(
            "KALEYRA_EMULATOR_CALLBACK_HEADER",
            format!("X-Callback-Token={HEADER_VALUE}"),
        )
        .env(
            "KALEYRA_EMULATOR_CALLBACK_AUTH_CLIENT_SECRET",
            CLIENT_SECRET,
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    let mut banner = String::new();
    for line in BufReader::new(child.0.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if line.starts_with("Point the client") {
            break;
        }
    }
    assert!(
        banner.contains("callbacks carry header X-Callback-Token: [redacted]"),
        "{banner}"
    );
    assert!(
        banner.contains("Bearer token from http://127.0.0.1:"),
        "{banner}"
    );
    assert!(
        !banner.contains(HEADER_VALUE) && !banner.contains(CLIENT_SECRET),
        "{banner}"
    );
    let base = banner
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap()
        .to_owned();

    let client = kaleyra_runtime::Client::builder()
        .sid(kaleyra_emulator::DEFAULT_SID)
        .api_key(kaleyra_emulator::DEFAULT_API_KEY)
        .from(kaleyra_emulator::DEFAULT_V2_NUMBER)
        .api(V2)
        .base_url(base)
        .build()
        .unwrap();
    let message = TemplateMessage::new("booking_confirm")
        .language("en")
        .params(["Ada", "B-4711"])
        .callback_url(url_of(&secret, &receiver));
    client.send(&message, TO).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while receiver.handled() < 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} of 3 callbacks handled",
            receiver.handled()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(receiver.token_requests(), 1);
}

#[test]
fn the_binary_refuses_profile_flags_that_cannot_work_without_showing_credentials() {
    for (args, expected) in [
        (
            &["--callback-header", "X-Token:hidden-credential-1"][..],
            "--callback-header is not NAME=VALUE",
        ),
        (
            &["--callback-basic-password", "hidden-credential-1"],
            "--callback-basic-user",
        ),
        (
            &[
                "--callback-auth-url",
                "http://127.0.0.1:9/t",
                "--callback-auth-client-id",
                "c",
            ],
            "--callback-auth-client-secret",
        ),
        (
            &[
                "--callback-basic-user",
                "u",
                "--callback-basic-password",
                "hidden-credential-1",
                "--callback-auth-url",
                "http://127.0.0.1:9/t",
                "--callback-auth-client-id",
                "c",
                "--callback-auth-client-secret",
                "hidden-credential-1",
            ],
            "cannot be used with",
        ),
        (
            &["--callback-auth-credentials", "xml"],
            "not form, json or basic",
        ),
        (&["--callback-auth-method", "PATCH"], "not GET or POST"),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_kaleyra-emulator"))
            .arg("--templates")
            .arg(templates_dir())
            .args(["--port", "0"])
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("hidden-credential"), "{args:?}: {stderr}");
    }
}
