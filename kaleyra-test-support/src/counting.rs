//! A loopback Kaleyra that accepts every send and counts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use kaleyra_runtime::{Api, Client, ClientBuilder};

/// A server on 127.0.0.1 that answers every `POST` as Kaleyra accepts a send:
/// v2 with `WA202` and a message id naming the recipient (`wamid.<digits>`),
/// v1 with one `data[]` entry per recipient of `to` (`req:<digits>`). It can
/// wait before answering, or refuse everything with `E110`.
#[derive(Debug, Clone)]
pub struct CountingKaleyra {
    url: String,
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

#[derive(Clone)]
struct Behaviour {
    counts: Arc<Counts>,
    delay: Duration,
    refuse: bool,
}

impl CountingKaleyra {
    /// Starts a server that answers after `delay`.
    pub async fn start(delay: Duration) -> CountingKaleyra {
        Self::serve(delay, false).await
    }

    /// Starts a server that refuses every send with `400 E110` (low balance).
    pub async fn refusing() -> CountingKaleyra {
        Self::serve(Duration::ZERO, true).await
    }

    async fn serve(delay: Duration, refuse: bool) -> CountingKaleyra {
        let counts = Arc::new(Counts::default());
        let behaviour = Behaviour {
            counts: Arc::clone(&counts),
            delay,
            refuse,
        };
        let app = axum::Router::new()
            .route("/{*path}", axum::routing::post(answer))
            .with_state(behaviour);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port is free");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        CountingKaleyra { url, counts }
    }

    /// The server's base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// How many requests arrived.
    pub fn requests(&self) -> usize {
        self.counts.requests.load(Ordering::SeqCst)
    }

    /// The most requests that were in flight at the same moment.
    pub fn most_in_flight(&self) -> usize {
        self.counts.most_in_flight.load(Ordering::SeqCst)
    }

    /// A builder with the test credentials, pointed at this server.
    pub fn client_builder(&self, api: Api) -> ClientBuilder {
        crate::client_builder(api, &self.url)
    }

    /// A client with the test credentials, pointed at this server.
    pub fn client(&self, api: Api) -> Client {
        crate::client_at(api, &self.url)
    }
}

async fn answer(State(behaviour): State<Behaviour>, body: String) -> (StatusCode, String) {
    let counts = &behaviour.counts;
    counts.requests.fetch_add(1, Ordering::SeqCst);
    let now = counts.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    counts.most_in_flight.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(behaviour.delay).await;
    counts.in_flight.fetch_sub(1, Ordering::SeqCst);
    if behaviour.refuse {
        let body = r#"{"code":"E110","message":"Please check your balance, You have a low balance!","data":{},"error":{"balance":"low"}}"#;
        return (StatusCode::BAD_REQUEST, body.to_owned());
    }
    if body.starts_with('{') {
        let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let to = json["messaging_object"]["to"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches('+');
        let reply = serde_json::json!({"code": "WA202", "message": "Request Accepted",
            "data": {"message_id": format!("wamid.{to}")}, "error": {}});
        return (StatusCode::ACCEPTED, reply.to_string());
    }
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let to = fields
        .iter()
        .find(|(key, _)| key == "to")
        .map_or("", |(_, value)| value.as_str());
    let data: Vec<serde_json::Value> = to
        .split(',')
        .map(|number| {
            let digits = number.trim_start_matches('+');
            serde_json::json!({"message_id": format!("req:{digits}"), "recipient": digits})
        })
        .collect();
    let reply = serde_json::json!({"id": "req", "type": "template", "body": null,
        "createdDateTime": "2026-11-22 00:00:00+00:00", "totalCount": data.len(), "data": data, "error": {}});
    (StatusCode::OK, reply.to_string())
}
