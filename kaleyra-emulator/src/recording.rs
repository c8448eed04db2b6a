//! The middleware on the send routes: reads each request's body once, keeps
//! a redacted copy (see [`crate::requests`]), passes the same bytes on to the
//! route, and files the copy with the accepted messages or the refusals.

use std::sync::Arc;

use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::clock::unix_now;
use crate::connection::ResetHandle;
use crate::errors::{ApiError, Problems};
use crate::faults::AppliedFault;
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

/// Put in a send route's response: the fault that answered instead of the
/// route (an error, or a reset of a message not sent).
#[derive(Debug, Clone)]
pub(crate) struct FaultAnswered(pub(crate) AppliedFault);

/// Put in a send route's response: hold it this long before answering.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HoldAnswer(pub(crate) Duration);

/// Put in a send route's response: reset the connection instead of answering.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResetConnection;

/// Records what arrives on the send routes: the raw request of each accepted
/// message, and each refused request with its reasons.
pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let received_at = unix_now();
    // Taken before the request goes on: a `reset` fault needs it afterwards.
    let connection = request
        .extensions()
        .get::<ConnectInfo<ResetHandle>>()
        .map(|ConnectInfo(handle)| handle.clone());
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
                keep(&shared, api, received_at, raw, true, &mut response);
                return response;
            }
        },
    };
    let mut response = next.run(request).await;
    let reset = response
        .extensions_mut()
        .remove::<ResetConnection>()
        .is_some();
    if reset && connection.is_none() {
        response = cannot_reset(response);
    }
    let answered = !reset || connection.is_none();
    keep(&shared, api, received_at, raw, answered, &mut response);
    if let Some(HoldAnswer(delay)) = response.extensions_mut().remove::<HoldAnswer>() {
        tokio::select! {
            () = shared.stopping.cancelled() => {}
            () = tokio::time::sleep(delay) => {}
        }
    }
    if reset && let Some(connection) = connection {
        tracing::info!(%api, "connection reset by a fault");
        connection.reset();
    }
    response
}

/// The answer to a request a `reset` fault drew on a connection the emulator
/// cannot reset: its router is served on a listener of someone else's
/// ([`crate::Emulator::router`]), not by [`crate::EmulatorBuilder::start`].
fn cannot_reset(mut response: Response) -> Response {
    let accepted = response.extensions_mut().remove::<Accepted>();
    let fault = response.extensions_mut().remove::<FaultAnswered>();
    let mut answer = (
        StatusCode::INTERNAL_SERVER_ERROR,
        "a reset fault needs the emulator's own listener (EmulatorBuilder::start or the binary); this connection cannot be reset",
    )
        .into_response();
    if let Some(accepted) = accepted {
        answer.extensions_mut().insert(accepted);
    }
    if let Some(fault) = fault {
        answer.extensions_mut().insert(fault);
    }
    answer
}

/// Keeps `raw` with the messages `response` accepted, or as a refused
/// request; `answered` is false when a fault resets the connection instead.
fn keep(
    shared: &Shared,
    api: ApiVersion,
    received_at: u64,
    raw: RawRequest,
    answered: bool,
    response: &mut Response,
) {
    let fault = response
        .extensions_mut()
        .remove::<FaultAnswered>()
        .map(|FaultAnswered(fault)| fault);
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
            fault,
        });
    } else if let Some(Accepted(ids)) = response.extensions_mut().remove::<Accepted>() {
        shared.store.attach_request(&ids, &raw);
    } else if let Some(fault) = fault {
        // A reset before the message was sent.
        shared.store.refuse(|id| RefusedRequest {
            id,
            api,
            received_at,
            http_status: if answered {
                response.status().as_u16()
            } else {
                0
            },
            code: "reset".to_owned(),
            message: fault.summary.clone(),
            problems: Vec::new(),
            request: raw,
            fault: Some(fault),
        });
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
            fault: None,
        });
    }
}
