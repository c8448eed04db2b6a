//! The HTTP routes: Kaleyra's send endpoints, the message list, the inbox.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use kaleyra_definitions::codes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::account::{digits, same_number};
use crate::callbacks::report_statuses;
use crate::clock::{created_date_time, unix_now};
use crate::customer::{self, CustomerMessage, ReportedStatus, StatusError, TapError, WriteError};
use crate::errors::{ApiError, Problems, status_of};
use crate::faults::{Drawn, Effect, FaultRule, Target};
use crate::inbox;
use crate::message::{ApiVersion, MessageKind, StoredMessage, Submission};
use crate::recording::{self, Accepted, FaultAnswered, HoldAnswer, ResetConnection};
use crate::state::Shared;
use crate::v1::{self, Method};
use crate::v2;

type AppState = State<Arc<Shared>>;

/// Every route of the emulator.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let send = Router::new()
        .route("/v1/{sid}/messages", get(v1_get).post(v1_post))
        .route(
            "/v2/{sid}/whatsapp/{phone_number}/messages",
            axum::routing::post(v2_post),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            Arc::clone(&shared),
            recording::record,
        ));
    Router::new()
        .merge(send)
        .route(
            "/v2/{sid}/whatsapp/{waba_id}/message_templates",
            get(crate::template_list::list)
                .post(crate::template_admin::create)
                .put(crate::template_admin::edit)
                .delete(crate::template_admin::delete),
        )
        .route(
            "/v2/{sid}/whatsapp/{phone_number}/media",
            axum::routing::post(upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::uploads::body_limit(),
            )),
        )
        .route("/emulator/media/{id}", get(uploaded_media))
        .route("/emulator/messages", get(list).delete(clear))
        .route("/emulator/refused", get(list_refused).delete(clear_refused))
        .route("/emulator/messages/{id}/tap", axum::routing::post(tap))
        .route("/emulator/events", axum::routing::post(post_event))
        .route(
            "/emulator/messages/{id}/status",
            axum::routing::post(report_status),
        )
        .route(
            "/emulator/customers/{number}/messages",
            get(list_written).post(write_as_customer),
        )
        .route("/emulator/written", get(list_all_written))
        .route("/emulator/inbox", get(inbox_view))
        .route("/emulator/inbox/version", get(inbox_version))
        .route(
            "/emulator/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/emulator/faults/{id}", axum::routing::delete(remove_fault))
        .route(
            "/emulator/template-clock",
            axum::routing::post(advance_template_clock),
        )
        .route("/emulator/ready", get(ready))
        .route("/", get(inbox::page))
        .route("/inbox.js", get(inbox::script))
        .route("/inbox.css", get(inbox::style))
        .with_state(shared)
}

async fn v1_post(State(shared): AppState, Path(sid): Path<String>, request: Request) -> Response {
    if let Err(error) = shared.account.check_credentials(&sid, request.headers()) {
        return refused(ApiVersion::V1, error);
    }
    let fields = match form_fields(request).await {
        Ok(fields) => fields,
        Err(error) => return refused(ApiVersion::V1, error),
    };
    v1_send(&shared, fields, Method::Post)
}

async fn v1_get(
    State(shared): AppState,
    Path(sid): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(error) = shared.account.check_credentials(&sid, &headers) {
        return refused(ApiVersion::V1, error);
    }
    match serde_urlencoded::from_str(query.as_deref().unwrap_or_default()) {
        Ok(fields) => v1_send(&shared, fields, Method::Get),
        Err(error) => refused(ApiVersion::V1, unreadable("query string", error)),
    }
}

fn v1_send(shared: &Arc<Shared>, fields: Vec<(String, String)>, method: Method) -> Response {
    let sendable = shared.template_store.sendable(&shared.templates);
    let templates = sendable.as_ref().unwrap_or(&shared.templates);
    match v1::decode(fields, method, &shared.account, templates) {
        Ok(submission) => {
            let fault = draw_fault(shared, &submission);
            if let Some(answer) = fault
                .as_ref()
                .and_then(|fault| fault_answer(ApiVersion::V1, fault))
            {
                return answer;
            }
            let request_id = shared.ids.request_id();
            let ids = (0..submission.recipients.len())
                .map(|n| format!("{request_id}:{n}"))
                .collect();
            let stored = accept(shared, &submission, ids, fault.as_ref());
            let body = V1Success {
                id: &request_id,
                kind: submission.type_name,
                body: match submission.content.kind {
                    MessageKind::Text | MessageKind::Reply => Some(&submission.content.body),
                    _ => None,
                },
                created: created_date_time(),
                total_count: stored.len(),
                data: stored
                    .iter()
                    .map(|message| V1Recipient {
                        message_id: &message.id,
                        recipient: digits(&message.to),
                    })
                    .collect(),
                error: Map::new(),
            };
            let mut response = (StatusCode::OK, Json(body)).into_response();
            response.extensions_mut().insert(accepted_ids(&stored));
            after_accepting(&mut response, fault.as_ref());
            response
        }
        Err(error) => refused(ApiVersion::V1, error),
    }
}

/// The v1 fields of a POST body: urlencoded (what the client sends),
/// multipart (what the docs' `curl --form` samples send), or a flat JSON object.
async fn form_fields(request: Request) -> Result<Vec<(String, String)>, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("application/x-www-form-urlencoded")
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "multipart/form-data" => {
            let mut multipart = Multipart::from_request(request, &())
                .await
                .map_err(|error| unreadable("multipart body", error))?;
            let mut fields = Vec::new();
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|error| unreadable("multipart body", error))?
            {
                let name = field.name().unwrap_or_default().to_owned();
                if field.file_name().is_some() {
                    return Err(one_problem(name, "is a file; v1 fields are text"));
                }
                let value = field
                    .text()
                    .await
                    .map_err(|error| unreadable("multipart body", error))?;
                fields.push((name, value));
            }
            Ok(fields)
        }
        "application/json" => {
            let bytes = body_bytes(request).await?;
            let object: Map<String, Value> =
                serde_json::from_slice(&bytes).map_err(|error| unreadable("JSON body", error))?;
            object
                .into_iter()
                .map(|(name, value)| match value {
                    Value::String(text) => Ok((name, text)),
                    Value::Number(number) => Ok((name, number.to_string())),
                    Value::Bool(flag) => Ok((name, flag.to_string())),
                    _ => Err(one_problem(name, "is not a string")),
                })
                .collect()
        }
        "application/x-www-form-urlencoded" => {
            let bytes = body_bytes(request).await?;
            serde_urlencoded::from_bytes(&bytes).map_err(|error| unreadable("form body", error))
        }
        other => Err(one_problem(
            "Content-Type",
            format!(
                "is `{other}`; send application/x-www-form-urlencoded, multipart/form-data or application/json"
            ),
        )),
    }
}

async fn body_bytes(request: Request) -> Result<Bytes, ApiError> {
    Bytes::from_request(request, &())
        .await
        .map_err(|error| unreadable("body", error))
}

fn unreadable(what: &str, error: impl std::fmt::Display) -> ApiError {
    one_problem(what, format!("cannot be read: {error}"))
}

fn one_problem(field: impl Into<String>, message: impl Into<String>) -> ApiError {
    let mut problems = Problems::new();
    problems.add(field, message);
    ApiError::invalid_inputs(problems)
}

async fn v2_post(
    State(shared): AppState,
    Path((sid, phone_number)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(error) = shared.account.check_credentials(&sid, &headers) {
        return refused(ApiVersion::V2, error);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let sendable = shared.template_store.sendable(&shared.templates);
    let templates = sendable.as_ref().unwrap_or(&shared.templates);
    match v2::decode(
        &phone_number,
        content_type,
        &body,
        &shared.account,
        templates,
        &shared.uploads,
    ) {
        Ok(submission) => {
            let fault = draw_fault(&shared, &submission);
            if let Some(answer) = fault
                .as_ref()
                .and_then(|fault| fault_answer(ApiVersion::V2, fault))
            {
                return answer;
            }
            let id = shared.ids.wamid();
            let stored = accept(&shared, &submission, vec![id], fault.as_ref());
            let body = V2Success {
                code: codes::WA202.code,
                message: codes::WA202.message,
                data: V2Data {
                    message_id: &stored[0].id,
                },
                error: Map::new(),
            };
            let mut response = (status_of(&codes::WA202), Json(body)).into_response();
            response.extensions_mut().insert(accepted_ids(&stored));
            after_accepting(&mut response, fault.as_ref());
            response
        }
        Err(error) => refused(ApiVersion::V2, error),
    }
}

/// A media upload: the multipart fields `file` and `type`, checked by the
/// definitions' upload rules; answers `{"id": ...}`, as Meta's upload does
/// (Kaleyra's answer is undocumented).
async fn upload(
    State(shared): AppState,
    Path((sid, phone_number)): Path<(String, String)>,
    request: Request,
) -> Response {
    if let Err(error) = shared.account.check_credentials(&sid, request.headers()) {
        return refused(ApiVersion::V2, error);
    }
    match shared.account.binding(&phone_number) {
        Some(ApiVersion::V2) => {}
        Some(ApiVersion::V1) => return refused(ApiVersion::V2, ApiError::different_version()),
        None => return refused(ApiVersion::V2, ApiError::number_not_on_account()),
    }
    match read_upload(request).await {
        Ok(file) => {
            let (mime, size) = (file.upload.mime, file.bytes.len());
            let id = shared.uploads.insert(file);
            tracing::info!(%id, mime, size, "media uploaded");
            Json(serde_json::json!({ "id": id })).into_response()
        }
        Err(error) => refused(ApiVersion::V2, error),
    }
}

async fn read_upload(request: Request) -> Result<crate::uploads::UploadedFile, ApiError> {
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|error| unreadable("multipart body", error))?;
    let (mut file, mut mime) = (None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| unreadable("multipart body", error))?
    {
        match field.name().unwrap_or_default() {
            "file" => {
                file = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|error| unreadable("file", error))?,
                );
            }
            "type" => {
                mime = Some(
                    field
                        .text()
                        .await
                        .map_err(|error| unreadable("type", error))?,
                )
            }
            other => {
                return Err(one_problem(
                    other,
                    "is not a field of a media upload (`file`, `type`)",
                ));
            }
        }
    }
    let mut problems = Problems::new();
    if file.is_none() {
        problems.add("file", "is required");
    }
    if mime.is_none() {
        problems.add("type", "is required");
    }
    let (Some(bytes), Some(mime)) = (file, mime) else {
        return Err(ApiError::invalid_inputs(problems));
    };
    if let Some(problem) = kaleyra_definitions::media::upload_problem(&mime, bytes.len() as u64) {
        return Err(one_problem("file", problem));
    }
    let upload = kaleyra_definitions::media::upload_type(&mime)
        .ok_or_else(|| one_problem("type", "is not a media type"))?;
    Ok(crate::uploads::UploadedFile { upload, bytes })
}

/// An uploaded file, with its type, for the inbox to draw.
async fn uploaded_media(State(shared): AppState, Path(id): Path<String>) -> Response {
    match shared.uploads.get(&id) {
        Some(file) => ([(header::CONTENT_TYPE, file.upload.mime)], file.bytes).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            format!("no media was uploaded as `{id}`"),
        )
            .into_response(),
    }
}

/// The fault `submission` meets, if any.
fn draw_fault(shared: &Shared, submission: &Submission) -> Option<Drawn> {
    shared.faults.draw(Target {
        api: submission.api,
        template: submission.content.template_name.as_deref(),
        recipients: &submission.recipients,
    })
}

/// The answer `fault` gives instead of the route's, when it gives one: a
/// Kaleyra error body (with `Retry-After` when asked), or a reset of a
/// message that is not sent.
fn fault_answer(api: ApiVersion, fault: &Drawn) -> Option<Response> {
    let mut response = match &fault.effect {
        Effect::Error {
            code,
            status,
            retry_after_secs,
            message,
        } => {
            let error = ApiError::fault(api, code, *status, message, &fault.applied.fault_id);
            let mut response = error.into_response();
            if let Some(secs) = retry_after_secs {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
            }
            response
        }
        Effect::Reset { accepted: false } => {
            let mut response = StatusCode::OK.into_response();
            response.extensions_mut().insert(ResetConnection);
            response
        }
        _ => return None,
    };
    tracing::info!(%api, fault = %fault.applied.fault_id, summary = %fault.applied.summary, "fault answered");
    response
        .extensions_mut()
        .insert(FaultAnswered(fault.applied.clone()));
    Some(response)
}

/// What `fault` does to the answer of a request that was accepted: holds it,
/// or resets the connection instead.
fn after_accepting(response: &mut Response, fault: Option<&Drawn>) {
    let Some(fault) = fault else { return };
    tracing::info!(fault = %fault.applied.fault_id, summary = %fault.applied.summary, "fault applied");
    match fault.effect {
        Effect::Hang(delay) => {
            response.extensions_mut().insert(HoldAnswer(delay));
        }
        Effect::Reset { accepted: true } => {
            response.extensions_mut().insert(ResetConnection);
        }
        _ => {}
    }
}

/// Stores one message per recipient of `submission`, with `ids`, and starts
/// reporting their statuses. Each message records the `fault` its request
/// met; a `fail_later` scoped to a recipient fails only that recipient's.
fn accept(
    shared: &Arc<Shared>,
    submission: &Submission,
    ids: Vec<String>,
    fault: Option<&Drawn>,
) -> Vec<StoredMessage> {
    let received_at = unix_now();
    let stored: Vec<StoredMessage> = ids
        .into_iter()
        .enumerate()
        .map(|(position, id)| {
            let mut message = submission.stored(id, position, received_at);
            message.fault = fault
                .filter(|fault| {
                    !matches!(fault.effect, Effect::FailLater(_))
                        || fault
                            .to
                            .as_deref()
                            .is_none_or(|to| same_number(to, &message.to))
                })
                .map(|fault| fault.applied.clone());
            message
        })
        .collect();
    shared.store.insert(stored.clone());
    for message in &stored {
        tracing::info!(
            api = %message.api,
            id = %message.id,
            to = %message.to,
            kind = message.kind.as_str(),
            template = message.template_name.as_deref().unwrap_or("-"),
            "message accepted"
        );
        let shared = Arc::clone(shared);
        let id = message.id.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = shared.stopping.cancelled() => {}
                () = report_statuses(&shared.store, &shared.poster, shared.callback_delay, &id) => {}
            }
        });
    }
    stored
}

/// Tells the request recorder which messages a response accepted.
fn accepted_ids(stored: &[StoredMessage]) -> Accepted {
    Accepted(stored.iter().map(|message| message.id.clone()).collect())
}

fn refused(api: ApiVersion, error: ApiError) -> Response {
    tracing::info!(%api, code = error.code(), problems = %error.describe(), "request refused");
    error.into_response()
}

/// v1's success body.
#[derive(Serialize)]
struct V1Success<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    body: Option<&'a str>,
    #[serde(rename = "createdDateTime")]
    created: String,
    #[serde(rename = "totalCount")]
    total_count: usize,
    data: Vec<V1Recipient<'a>>,
    error: Map<String, Value>,
}

#[derive(Serialize)]
struct V1Recipient<'a> {
    message_id: &'a str,
    recipient: &'a str,
}

/// v2's success body.
#[derive(Serialize)]
struct V2Success<'a> {
    code: &'a str,
    message: &'a str,
    data: V2Data<'a>,
    error: Map<String, Value>,
}

#[derive(Serialize)]
struct V2Data<'a> {
    message_id: &'a str,
}

#[derive(Deserialize)]
struct ListQuery {
    to: Option<String>,
}

async fn list(State(shared): AppState, Query(query): Query<ListQuery>) -> Response {
    // An unencoded `+` in a query string arrives as a space.
    let messages = match query
        .to
        .as_deref()
        .map(str::trim)
        .filter(|to| !to.is_empty())
    {
        Some(to) => shared.store.to(to),
        None => shared.store.all(),
    };
    ([(header::CACHE_CONTROL, "no-store")], Json(messages)).into_response()
}

#[derive(Deserialize)]
struct TapRequest {
    button: u8,
}

/// `POST /emulator/messages/{id}/tap` with `{"button": N}`: the customer taps
/// that button; answers what became of the callback.
async fn tap(
    State(shared): AppState,
    Path(id): Path<String>,
    Json(request): Json<TapRequest>,
) -> Response {
    match customer::tap(&shared, &id, request.button).await {
        Ok(outcome) => Json(outcome).into_response(),
        Err(error) => {
            let status = match error {
                TapError::NoSuchMessage { .. } => StatusCode::NOT_FOUND,
                _ => StatusCode::BAD_REQUEST,
            };
            (
                status,
                Json(serde_json::json!({ "error": error.to_string() })),
            )
                .into_response()
        }
    }
}

/// `POST /emulator/customers/{number}/messages`: the customer with that
/// number writes a message (`CustomerMessage`'s JSON); answers the written
/// message with the callback that carried it.
async fn write_as_customer(
    State(shared): AppState,
    Path(number): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let written = match CustomerMessage::from_json(body) {
        Ok(message) => customer::write(&shared, &number, message).await,
        Err(error) => Err(error),
    };
    match written {
        Ok(written) => (StatusCode::CREATED, Json(written)).into_response(),
        Err(error) => {
            let status = match error {
                WriteError::NoSuchMessage { .. } => StatusCode::NOT_FOUND,
                WriteError::NoIncomingUrl { .. } => StatusCode::CONFLICT,
                _ => StatusCode::BAD_REQUEST,
            };
            control_error(status, &error)
        }
    }
}

/// `GET /emulator/customers/{number}/messages`: what that customer wrote,
/// newest first.
async fn list_written(State(shared): AppState, Path(number): Path<String>) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(shared.store.written(Some(&number))),
    )
        .into_response()
}

/// `GET /emulator/inbox`: what the inbox page shows for its filters
/// (`api`, `outcome`, `search`, `campaign`, `select`, `from`, `to`, `offset`).
async fn inbox_view(
    State(shared): AppState,
    Query(query): Query<crate::inbox_view::ViewQuery>,
) -> Response {
    let view = crate::inbox_view::view(&shared, &query);
    ([(header::CACHE_CONTROL, "no-store")], Json(view)).into_response()
}

/// `GET /emulator/inbox/version`: `{"version": N}`, which moves on with
/// every change, so the page asks for a new view only when needed.
async fn inbox_version(State(shared): AppState) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({ "version": shared.store.version() })),
    )
        .into_response()
}

/// `GET /emulator/written`: what every simulated customer wrote, newest first.
async fn list_all_written(State(shared): AppState) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(shared.store.written(None)),
    )
        .into_response()
}

/// `POST /emulator/messages/{id}/status` with `{"status": "read"}`,
/// `{"status": "failed", "meta_code": "131026"}` or `{"status": "deleted"}`:
/// reports that status for the message; answers what became of the callback.
async fn report_status(
    State(shared): AppState,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let reported: ReportedStatus = match serde_path_to_error::deserialize(body) {
        Ok(reported) => reported,
        Err(error) => {
            let field = match error.path().to_string() {
                path if path == "." => "status".to_owned(),
                path => path,
            };
            let reason = error.into_inner().to_string();
            return (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({ "error": format!("`{field}` {reason}") })),
            )
                .into_response();
        }
    };
    match customer::report_status(&shared, &id, &reported).await {
        Ok(outcome) => Json(outcome).into_response(),
        Err(error) => {
            let status = match error {
                StatusError::NoSuchMessage { .. } => StatusCode::NOT_FOUND,
                StatusError::Ended { .. } => StatusCode::CONFLICT,
                _ => StatusCode::BAD_REQUEST,
            };
            control_error(status, &error)
        }
    }
}

/// A control route's refusal: `{"error": "<why>"}`.
fn control_error(status: StatusCode, error: &dyn std::fmt::Display) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": error.to_string() })),
    )
        .into_response()
}

/// `POST /emulator/events` with an [`crate::AccountEvent`] (its `event`
/// and fields) and an optional `url`: posts it there, or to the template
/// status URL; answers what became of it and the body posted, or `400`
/// naming the field at fault.
async fn post_event(State(shared): AppState, body: Bytes) -> Response {
    let posted = match crate::account_events::read_request(&body) {
        Ok((url, event)) => crate::account_events::post(&shared, url.as_deref(), &event).await,
        Err(error) => Err(error),
    };
    match posted {
        Ok((body, outcome)) => {
            let mut answer = serde_json::to_value(outcome).unwrap_or_default();
            if let Some(answer) = answer.as_object_mut() {
                answer.insert("body".to_owned(), body);
            }
            Json(answer).into_response()
        }
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": error.to_string(), "field": error.field })),
        )
            .into_response(),
    }
}

async fn clear(State(shared): AppState) -> StatusCode {
    shared.store.clear();
    tracing::info!("messages cleared");
    StatusCode::NO_CONTENT
}

/// `GET /emulator/refused`: the refused requests kept, newest first.
async fn list_refused(State(shared): AppState) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(shared.store.refused()),
    )
        .into_response()
}

async fn clear_refused(State(shared): AppState) -> StatusCode {
    shared.store.clear_refused();
    tracing::info!("refused requests cleared");
    StatusCode::NO_CONTENT
}

/// `GET /emulator/faults`: the fault rules set, in the order set.
async fn list_faults(State(shared): AppState) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(shared.faults.list()),
    )
        .into_response()
}

/// `POST /emulator/faults` with a [`FaultRule`]: sets it and answers `201`
/// with it and its id; a rule that is not usable is `400` naming the field.
async fn add_fault(State(shared): AppState, body: Bytes) -> Response {
    let rule: FaultRule = match serde_json::from_slice(&body) {
        Ok(rule) => rule,
        Err(error) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(serde_json::json!({ "error": format!("the fault rule cannot be read: {error}") })),
            )
                .into_response();
        }
    };
    match shared.faults.add(rule, &shared.templates) {
        Ok(active) => (StatusCode::CREATED, Json(active)).into_response(),
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({ "error": error.to_string(), "field": error.field })),
        )
            .into_response(),
    }
}

/// `POST /emulator/template-clock` with `{"advance_secs": N}`: moves the
/// template rules' clock on (see `Emulator::advance_template_clock`) and
/// answers `204`; anything else is `400` saying what it takes.
async fn advance_template_clock(State(shared): AppState, body: Bytes) -> Response {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Advance {
        advance_secs: u64,
    }
    match serde_json::from_slice::<Advance>(&body) {
        Ok(Advance { advance_secs }) => {
            shared
                .template_store
                .advance_clock(std::time::Duration::from_secs(advance_secs));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({
                "error": format!("takes {{\"advance_secs\": a whole number of seconds}}: {error}"),
                "field": "advance_secs",
            })),
        )
            .into_response(),
    }
}

/// `DELETE /emulator/faults`: removes every fault rule.
async fn clear_faults(State(shared): AppState) -> StatusCode {
    shared.faults.clear();
    tracing::info!("faults cleared");
    StatusCode::NO_CONTENT
}

/// `DELETE /emulator/faults/{id}`: removes one rule; `404` when none has that id.
async fn remove_fault(State(shared): AppState, Path(id): Path<String>) -> StatusCode {
    if shared.faults.remove(&id) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

/// `GET /emulator/ready`: answered once the emulator serves, with the
/// account a client needs (never the API key).
async fn ready(State(shared): AppState) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({
            "ready": true,
            "sid": shared.account.sid,
            "v1_number": shared.account.v1_number,
            "v2_number": shared.account.v2_number,
            "templates": shared.templates.len(),
        })),
    )
        .into_response()
}
