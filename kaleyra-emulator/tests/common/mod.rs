//! Helpers shared by the integration tests: an emulator over the workspace's
//! templates, the project's client pointed at it, raw HTTP, and a loopback
//! receiver for callbacks. Each test binary uses some of them.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use kaleyra_emulator::{Emulator, RunningEmulator, StoredMessage};
use kaleyra_runtime::error::ApiCode;
use kaleyra_runtime::{Api, Client, Error, Pod};
use serde_json::Value;
use tokio::sync::{Mutex, mpsc};

/// A recipient.
pub const TO: &str = "+919876543210";
/// A second recipient.
pub const TO_2: &str = "+919876543211";

pub const V1: Api = Api::V1;
pub const V2: Api = Api::V2(Pod::In);

/// The workspace's example templates.
pub fn templates_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../templates")
}

/// An emulator over the workspace's templates, with quick callbacks.
pub async fn start() -> RunningEmulator {
    Emulator::builder()
        .templates_dir(templates_dir())
        .callback_delay(Duration::from_millis(10))
        .start()
        .await
        .expect("the emulator starts")
}

/// The project's client for `api`, sending from the emulator's number for it.
pub fn client(emulator: &RunningEmulator, api: Api) -> Client {
    emulator.client(api).expect("the client builds")
}

/// The project's client for `api`, sending from `from`.
pub fn client_from(emulator: &RunningEmulator, api: Api, from: &str) -> Client {
    emulator
        .client_builder(api)
        .from(from)
        .build()
        .expect("the client builds")
}

/// Asserts `result` is Kaleyra's `code` with `status`, and returns its fields.
#[track_caller]
pub fn expect_api_error<T: std::fmt::Debug>(
    result: Result<T, Error>,
    code: ApiCode,
    status: u16,
) -> std::collections::BTreeMap<String, String> {
    match result {
        Err(Error::Api {
            code: got,
            status: got_status,
            fields,
            ..
        }) if got == code && got_status == status => fields,
        other => panic!("expected {code} with HTTP {status}, got {other:?}"),
    }
}

/// An answer from the emulator: HTTP status and JSON body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    /// The `code` of an error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    /// The message for `field` in an error body's `error` map.
    pub fn field(&self, field: &str) -> &str {
        self.body["error"][field].as_str().unwrap_or_default()
    }

    /// Asserts this is `code` with `status` and a message for `field`
    /// containing `needle`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str, field: &str, needle: &str) {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "body: {}",
            self.body
        );
        assert!(
            self.field(field).contains(needle),
            "`error.{field}` should contain {needle:?}; body: {}",
            self.body
        );
    }
}

/// Raw HTTP to the emulator, for what the client refuses to send.
pub struct Raw {
    http: reqwest::Client,
    base: String,
    pub sid: String,
    pub api_key: String,
    pub v1_number: String,
    pub v2_number: String,
}

impl Raw {
    pub fn new(emulator: &RunningEmulator) -> Self {
        Raw {
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            base: emulator.base_url(),
            sid: emulator.sid().to_owned(),
            api_key: emulator.api_key().to_owned(),
            v1_number: emulator.v1_number().to_owned(),
            v2_number: emulator.v2_number().to_owned(),
        }
    }

    async fn answer(response: reqwest::Response) -> Answer {
        let status = response.status().as_u16();
        let bytes = response.bytes().await.expect("a body");
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            panic!("not JSON ({error}): {}", String::from_utf8_lossy(&bytes))
        });
        Answer { status, body }
    }

    /// The fields of a valid v1 text message, to change one at a time.
    pub fn v1_text(&self) -> Vec<(String, String)> {
        [
            ("to", TO),
            ("type", "text"),
            ("channel", "whatsapp"),
            ("from", &self.v1_number),
            ("body", "Hello"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
    }

    /// The common fields of a v1 message of `kind`, plus `extra`.
    pub fn v1_fields(&self, kind: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = [
            ("to", TO),
            ("type", kind),
            ("channel", "whatsapp"),
            ("from", &self.v1_number),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        fields.extend(
            extra
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        fields
    }

    /// POSTs `fields` as a form to `/v1/{sid}/messages` with `api_key`.
    pub async fn v1_with(
        &self,
        sid: &str,
        api_key: Option<&str>,
        fields: &[(String, String)],
    ) -> Answer {
        let mut request = self
            .http
            .post(format!("{}/v1/{sid}/messages", self.base))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(fields).unwrap());
        if let Some(key) = api_key {
            request = request.header("api-key", key);
        }
        Self::answer(request.send().await.expect("the emulator answers")).await
    }

    /// POSTs `fields` as a form with the right SID and key.
    pub async fn v1(&self, fields: &[(String, String)]) -> Answer {
        self.v1_with(&self.sid, Some(&self.api_key), fields).await
    }

    /// GETs `/v1/{sid}/messages` with `fields` in the query string.
    pub async fn v1_get(&self, fields: &[(String, String)]) -> Answer {
        let query = serde_urlencoded::to_string(fields).unwrap();
        let response = self
            .http
            .get(format!("{}/v1/{}/messages?{query}", self.base, self.sid))
            .header("api-key", &self.api_key)
            .send()
            .await
            .expect("the emulator answers");
        Self::answer(response).await
    }

    /// POSTs `body` (sent as it is) to the v2 endpoint for `number`.
    pub async fn v2_raw(
        &self,
        sid: &str,
        api_key: Option<&str>,
        number: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> Answer {
        let mut request = self
            .http
            .post(format!("{}/v2/{sid}/whatsapp/{number}/messages", self.base))
            .header(header::CONTENT_TYPE, content_type)
            .body(body);
        if let Some(key) = api_key {
            request = request.header("api-key", key);
        }
        Self::answer(request.send().await.expect("the emulator answers")).await
    }

    /// POSTs `body` as JSON to the v2 endpoint for the account's v2 number.
    pub async fn v2(&self, body: &Value) -> Answer {
        self.v2_raw(
            &self.sid,
            Some(&self.api_key),
            &self.v2_number,
            "application/json",
            body.to_string(),
        )
        .await
    }

    /// `GET /emulator/messages` with an optional query string.
    pub async fn list(&self, query: &str) -> (u16, Vec<StoredMessage>) {
        let response = self
            .http
            .get(format!("{}/emulator/messages{query}", self.base))
            .send()
            .await
            .expect("the emulator answers");
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).expect("a message list"),
        )
    }

    /// `DELETE /emulator/messages`.
    pub async fn clear(&self) -> u16 {
        self.http
            .delete(format!("{}/emulator/messages", self.base))
            .send()
            .await
            .expect("the emulator answers")
            .status()
            .as_u16()
    }
}

/// A v2 text message to [`TO`], as JSON.
pub fn v2_text(body: &str) -> Value {
    serde_json::json!({
        "messaging_object": {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": TO,
            "type": "text",
            "text": { "body": body }
        }
    })
}

/// One request a [`Receiver`] got.
#[derive(Debug, Clone)]
pub struct Received {
    pub content_type: String,
    pub body: Bytes,
}

impl Received {
    /// The body's form fields.
    pub fn form(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_bytes(&self.body).expect("a form body")
    }

    /// The body's form field `name`.
    pub fn form_field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value)
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// A loopback HTTP server that records every POST to `/cb`.
pub struct Receiver {
    pub url: String,
    received: Mutex<mpsc::UnboundedReceiver<Received>>,
    _server: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let (sender, received) = mpsc::unbounded_channel();
        let app = axum::Router::new()
            .route("/cb", axum::routing::post(record))
            .with_state(Arc::new(sender));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/cb", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver {
            url,
            received: Mutex::new(received),
            _server: server,
        }
    }

    /// The next request, waiting up to 5 seconds.
    pub async fn next(&self) -> Received {
        let mut received = self.received.lock().await;
        tokio::time::timeout(Duration::from_secs(5), received.recv())
            .await
            .expect("a callback arrives within 5 s")
            .expect("the receiver is running")
    }

    /// Whether a request arrives within `wait`.
    pub async fn gets_anything_within(&self, wait: Duration) -> Option<Received> {
        let mut received = self.received.lock().await;
        tokio::time::timeout(wait, received.recv())
            .await
            .ok()
            .flatten()
    }
}

async fn record(
    State(sender): State<Arc<mpsc::UnboundedSender<Received>>>,
    headers: HeaderMap,
    body: Bytes,
) -> &'static str {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let _ = sender.send(Received { content_type, body });
    "ok"
}

/// Waits (up to 5 s) until the stored message `id` satisfies `done`.
pub async fn wait_for_message(
    emulator: &RunningEmulator,
    id: &str,
    done: impl Fn(&StoredMessage) -> bool,
) -> StoredMessage {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(message) = emulator.message(id)
            && done(&message)
        {
            return message;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "message {id} did not get there in 5 s: {:?}",
            emulator.message(id)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
