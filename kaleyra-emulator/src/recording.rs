//! The middleware on the send routes: reads each request's body once, keeps
//! a redacted copy (see [`crate::requests`]), passes the same bytes on to the
//! route, and files the copy with the accepted messages or the refusals.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::clock::unix_now;
use crate::errors::{ApiError, Problems};
use crate::requests::{FieldProblem, RawRequest, RefusedRequest, secrets};
use crate::state::Shared;
use kaleyra_runtime::ApiVersion;

/// The most bytes read from a request body: one more than axum's default
/// body limit, so the route still makes (and words) the refusal of a body
/// just over it.
const READ_LIMIT: usize = 2 * 1024 * 1024 + 1;

/// Put in a send route's response: the ids of the messages it accepted.
#[derive(Debug, Clone)]
pub(crate) struct Accepted(pub(crate) Vec<String>);

/// Records what arrives on the send routes: the raw request of each accepted
/// message, and each refused request with its reasons.
pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let received_at = unix_now();
    let api = if request.uri().path().starts_with("/v1/") {
        ApiVersion::V1
    } else {
        ApiVersion::V2
    };
    let (parts, body) = request.into_parts();
    let secrets = secrets(&shared.account, &parts.headers);
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());

    let (request, raw) = match declared {
        // Too large to read here: the route refuses it, with its own words.
        Some(length) if length > READ_LIMIT => {
            let raw = RawRequest::unread(&parts, length, &secrets);
            (Request::from_parts(parts, body), raw)
        }
        _ => match to_bytes(body, READ_LIMIT).await {
            Ok(bytes) => {
                let raw = RawRequest::new(&parts, &bytes, &secrets);
                (Request::from_parts(parts, Body::from(bytes)), raw)
            }
            // Larger than it said, or cut off: answered as the route answers
            // a body it cannot read.
            Err(error) => {
                let raw = RawRequest::unread(&parts, 0, &secrets);
                tracing::info!(%api, %error, "request refused: body unreadable");
                let mut response = match api {
                    ApiVersion::V1 => {
                        let mut problems = Problems::new();
                        problems.add("body", format!("cannot be read: {error}"));
                        ApiError::invalid_inputs(problems).into_response()
                    }
                    ApiVersion::V2 => (
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!("cannot read the body: {error}"),
                    )
                        .into_response(),
                };
                keep(&shared, api, received_at, raw, &mut response);
                return response;
            }
        },
    };
    let mut response = next.run(request).await;
    keep(&shared, api, received_at, raw, &mut response);
    response
}

/// Keeps `raw` with the messages `response` accepted, or as a refused request.
fn keep(
    shared: &Shared,
    api: ApiVersion,
    received_at: u64,
    raw: RawRequest,
    response: &mut Response,
) {
    if let Some(error) = response.extensions_mut().remove::<ApiError>() {
        shared.store.refuse(|id| RefusedRequest {
            id,
            api,
            received_at,
            http_status: error.status().as_u16(),
            code: error.code().to_owned(),
            message: error.message().to_owned(),
            problems: error
                .fields()
                .map(|(field, reason)| FieldProblem {
                    field: field.to_owned(),
                    reason: reason.to_owned(),
                })
                .collect(),
            request: raw,
        });
    } else if let Some(Accepted(ids)) = response.extensions_mut().remove::<Accepted>() {
        shared.store.attach_request(&ids, &raw);
    } else if !response.status().is_success() {
        // Refused before a route could word it (a body over the size limit).
        let status = response.status();
        shared.store.refuse(|id| RefusedRequest {
            id,
            api,
            received_at,
            http_status: status.as_u16(),
            code: format!("HTTP {}", status.as_u16()),
            message: status.canonical_reason().unwrap_or_default().to_owned(),
            problems: Vec::new(),
            request: raw,
        });
    }
}
