//! What the throughput and memory benches share: a minimal server that
//! answers Kaleyra's documented v2 success body, a client for it, and the
//! message and recipients both send.

use axum::http::StatusCode;
use kaleyra_runtime::{Api, Client, Pod, TemplateMessage};

const ACCEPTED: &str = r#"{"code":"WA202","message":"Request Accepted","data":{"message_id":"wamid.BENCH"},"error":{}}"#;

/// A server on loopback that answers every POST with the documented v2
/// success body; its base URL.
pub async fn minimal_server() -> String {
    let app = axum::Router::new().route(
        "/{*path}",
        axum::routing::post(|| async { (StatusCode::ACCEPTED, ACCEPTED) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("its address"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the server runs") });
    url
}

/// A v2 client for the minimal server at `url`.
pub fn minimal_client(url: &str) -> Client {
    Client::builder()
        .sid("HXBENCH0001IN")
        .api_key("bench-key")
        .from("+912025550101")
        .api(Api::V2(Pod::In))
        .base_url(url)
        .build()
        .expect("the client")
}

/// The message every bench sends.
pub fn message() -> TemplateMessage {
    TemplateMessage::new("booking_confirm")
        .language("en")
        .param("Ada")
        .param("4711")
}

/// The `i`th recipient.
pub fn recipient(i: usize) -> String {
    format!("+9198765{:05}", i % 100_000)
}
