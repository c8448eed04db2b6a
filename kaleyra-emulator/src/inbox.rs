//! The inbox page: one conversation per business number and customer, each
//! message drawn as WhatsApp shows it, and the requests the emulator refused
//! with their code and reasons. Each message opens its raw request, the
//! stored message and the callbacks posted for it; the page filters by API
//! version and outcome, and searches. The page, its script and its style
//! sheet are built in, so it needs nothing from the network; the script
//! polls `GET /emulator/messages` and `GET /emulator/refused` every second
//! and builds the page with `textContent` only, so no message or request
//! text is ever read as HTML.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const PAGE: &str = include_str!("inbox/index.html");
const SCRIPT: &str = include_str!("inbox/inbox.js");
const STYLE: &str = include_str!("inbox/inbox.css");

/// Only the emulator's own script and style run on the page.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// `GET /`: the inbox page.
pub(crate) async fn page() -> Response {
    asset("text/html; charset=utf-8", PAGE)
}

/// `GET /inbox.js`: the script that draws the conversations.
pub(crate) async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /inbox.css`: the page's style.
pub(crate) async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}
