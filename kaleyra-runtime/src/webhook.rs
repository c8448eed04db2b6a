//! Receiving Kaleyra's callbacks in an [axum](https://docs.rs/axum) app
//! (feature `axum`): an extractor that turns a callback request into typed
//! [`Event`]s, and a router that hands each event to your code.
//!
//! ```no_run
//! use axum::Router;
//! use kaleyra_runtime::inbound::Event;
//! use kaleyra_runtime::webhook::{Callback, callback_router};
//!
//! // Either as an extractor in your own route...
//! async fn on_callback(Callback(events): Callback) {
//!     for event in events {
//!         println!("{event:?}");
//!     }
//! }
//! let app: Router = Router::new().route("/kaleyra", axum::routing::post(on_callback));
//!
//! // ... or a ready router, for GET (v1 query strings) and POST alike.
//! let app: Router = callback_router("/kaleyra", |event: Event| async move {
//!     println!("{event:?}");
//! });
//! ```

use std::future::Future;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::inbound::{Event, InboundError};

/// The events of one Kaleyra callback request (JSON, form body or query string).
#[derive(Debug, Clone, PartialEq)]
pub struct Callback(pub Vec<Event>);

/// Why a request is not a callback: answered with `400 Bad Request` and the reason.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallbackRejection {
    /// The body could not be read.
    Body(axum::extract::rejection::BytesRejection),
    /// The body is not a callback Kaleyra sends.
    Invalid(InboundError),
}

impl IntoResponse for CallbackRejection {
    fn into_response(self) -> Response {
        match self {
            CallbackRejection::Body(rejection) => rejection.into_response(),
            CallbackRejection::Invalid(error) => {
                (StatusCode::BAD_REQUEST, error.to_string()).into_response()
            }
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for Callback {
    type Rejection = CallbackRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let query = request.uri().query().map(str::to_owned);
        let body = Bytes::from_request(request, state)
            .await
            .map_err(CallbackRejection::Body)?;
        Event::parse_request(content_type.as_deref(), query.as_deref(), &body)
            .map(Callback)
            .map_err(CallbackRejection::Invalid)
    }
}

/// A router that accepts Kaleyra's callbacks on `path` (GET and POST) and
/// calls `handler` with each event, in order, before answering `200 OK`.
pub fn callback_router<H, F>(path: &str, handler: H) -> Router
where
    H: Fn(Event) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let receive = move |Callback(events): Callback| {
        let handler = handler.clone();
        async move {
            for event in events {
                handler(event).await;
            }
            StatusCode::OK
        }
    };
    Router::new().route(path, axum::routing::get(receive.clone()).post(receive))
}
