//! The callback router under attack: arbitrary methods, paths, content types
//! and bytes sent at a real server on loopback. It never panics, answers each
//! with one of its documented statuses, and calls the handler only for a
//! request whose URL ends with the secret.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use kaleyra_runtime::callbacks::{CallbackSecret, Event, callback_router};
use kaleyra_test_support::proptest_config;
use kaleyra_test_support::strategies::{json_leaf, json_tree};
use proptest::prelude::*;

/// A receiver served once for every case: its runtime, URL without the
/// secret, secret and the handler's call count.
struct Receiver {
    runtime: tokio::runtime::Runtime,
    base: String,
    secret: CallbackSecret,
    calls: Arc<AtomicUsize>,
    http: reqwest::Client,
}

fn receiver() -> &'static Receiver {
    static RECEIVER: OnceLock<Receiver> = OnceLock::new();
    RECEIVER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let secret = CallbackSecret::generate().unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let app = callback_router("/kaleyra", secret.clone(), move |_event: Event| {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
            }
        });
        let address = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            address
        });
        Receiver {
            runtime,
            base: format!("http://{address}/kaleyra"),
            secret,
            calls,
            http: reqwest::Client::new(),
        }
    })
}

/// Where a request goes: the right secret, a wrong one, none, or the right
/// one where it does not count.
#[derive(Debug, Clone)]
enum Target {
    Secret,
    Wrong(String),
    NoSecret,
    SecretInQuery,
    SecretThenMore(String),
}

fn targets() -> impl Strategy<Value = Target> {
    prop_oneof![
        3 => Just(Target::Secret),
        1 => "[A-Za-z0-9_-]{0,60}".prop_map(Target::Wrong),
        1 => Just(Target::NoSecret),
        1 => Just(Target::SecretInQuery),
        1 => "[A-Za-z0-9_.-]{1,20}".prop_map(Target::SecretThenMore),
    ]
}

fn methods() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("POST".to_owned()),
        2 => Just("GET".to_owned()),
        1 => prop::sample::select(&["HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"][..])
            .prop_map(str::to_owned),
        1 => "[A-Z]{1,12}",
    ]
}

const KEYS: &[&str] = &[
    "meta_object",
    "extra_info",
    "field",
    "value",
    "messages",
    "statuses",
    "contacts",
    "from",
    "from_user_id",
    "group_id",
    "id",
    "status",
    "type",
    "text",
    "body",
    "interactive",
    "errors",
    "event",
    "message_template_name",
    "object",
    "entry",
    "changes",
];
const WORDS: &[&str] = &[
    "messages",
    "whatsapp_business_account",
    "interactive",
    "read",
    "text",
];

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        json_tree(KEYS, json_leaf(WORDS)).prop_map(|value| value.to_string().into_bytes()),
        "[a-z_]{1,10}=[^&]{0,20}(&[a-z_]{1,10}=[^&]{0,20}){0,4}".prop_map(String::into_bytes),
    ]
}

fn content_types() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("application/json".to_owned())),
        Just(Some("application/x-www-form-urlencoded".to_owned())),
        "[ -~]{0,40}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(proptest_config(128))]

    #[test]
    fn arbitrary_requests_never_panic_and_reach_the_handler_only_with_the_secret(
        method in methods(),
        target in targets(),
        content_type in content_types(),
        body in bodies(),
        query in proptest::option::of("[a-z_]{1,8}=[a-z0-9]{0,8}"),
    ) {
        let receiver = receiver();
        let secret = receiver.secret.expose_secret();
        let (path, admitted) = match &target {
            Target::Secret => (format!("{}/{secret}", receiver.base), true),
            Target::Wrong(wrong) => (format!("{}/{wrong}", receiver.base), false),
            Target::NoSecret => (receiver.base.clone(), false),
            Target::SecretInQuery => (format!("{}?secret={secret}", receiver.base), false),
            Target::SecretThenMore(more) => (format!("{}/{secret}/{more}", receiver.base), false),
        };
        let url = match (&query, path.contains('?')) {
            (Some(query), true) => format!("{path}&{query}"),
            (Some(query), false) => format!("{path}?{query}"),
            (None, _) => path,
        };
        let served = matches!(method.as_str(), "GET" | "POST");
        let before = receiver.calls.load(Ordering::SeqCst);
        let status = receiver.runtime.block_on(async {
            let mut request = receiver
                .http
                .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), &url)
                .body(body.clone());
            if let Some(value) = content_type
                .as_deref()
                .and_then(|text| reqwest::header::HeaderValue::from_str(text).ok())
            {
                request = request.header("content-type", value);
            }
            request.send().await.map(|response| response.status().as_u16())
        });
        let status = status.map_err(|error| TestCaseError::fail(format!("no answer: {error}")))?;
        let after = receiver.calls.load(Ordering::SeqCst);
        prop_assert!([200, 400, 404, 413].contains(&status), "{method} {url}: {status}");
        if !(admitted && served) {
            prop_assert_eq!(status, 404, "{} {}", method, url);
        }
        if status != 200 {
            prop_assert_eq!(after, before, "a refused request reached the handler");
        }
    }
}
