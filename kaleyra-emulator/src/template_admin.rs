//! `POST`, `PUT` and `DELETE /v2/{sid}/whatsapp/{waba_id}/message_templates`:
//! templates created, edited and deleted as Kaleyra's v2 pages describe,
//! reviewed after a delay.
//!
//! - A created template is `PENDING`; after the review delay
//!   ([`crate::EmulatorBuilder::template_review_delay`]) it is `APPROVED`,
//!   or `REJECTED` with a `rejected_reason` when
//!   [`kaleyra_definitions::review`] finds what Meta refuses, or a rule the
//!   test gave ([`crate::EmulatorBuilder::reject_template`]) names it. An
//!   object the derive cannot read is refused at once (`WA400`).
//! - Edits (`PUT ?name=N&template_id=ID`, body `{components}` or
//!   `{category}`) and the 100-per-hour limits follow
//!   [`kaleyra_definitions::management`]; an edit sends the template back to
//!   review. Refusals are Kaleyra's error body: `WA400` naming the rule and,
//!   for the edit budget, the time the next edit is allowed; `WA429` past
//!   100 creations (or edits) per WABA per hour, with the time of the next.
//! - `DELETE ?name=N` removes every language of N, `&template_id=ID` only
//!   that one; templates of the templates directory are hidden from the
//!   list, their files left alone.
//!
//! The answers' bodies are the emulator's choice (Kaleyra shows none):
//! `{"code":"WA200","message","data":{"id","status","category"},"error":{}}`.
//! The review's outcome is settled when the account is next read; with a
//! status URL ([`crate::EmulatorBuilder::template_status_url`]) it is also
//! posted there as Kaleyra's template-status callback (Kaleyra sets that
//! URL on a callback profile through its operations team, not per request).

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kaleyra_definitions::management::{
    self, CREATES_PER_HOUR, EDITS_PER_HOUR, next_approved_edit, next_in_window,
};
use kaleyra_definitions::{TemplateDefinition, TemplateStatus, codes};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::callbacks::CallbackBody;
use crate::errors::{ApiError, Problems, status_of};
use crate::state::Shared;
use crate::template_store::{Key, Managed, key_of};

/// Posts the template-status callback of template `id` once its review
/// settles, when the emulator has a status URL; a later edit's review posts
/// its own.
fn post_when_reviewed(shared: &Arc<Shared>, key: Key, id: String) {
    let Some(url) = shared.template_store.status_url.clone() else {
        return;
    };
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        tokio::select! {
            () = shared.stopping.cancelled() => return,
            () = tokio::time::sleep(shared.template_store.review_delay) => {}
        }
        if let Some(event) = shared.template_store.settled_event(&key, &id) {
            shared.poster.post(&url, &CallbackBody::Json(event)).await;
        }
    });
}

/// `kaleyra_definitions`'s reading of `object`, as the derive reads it.
fn readable(object: &Value) -> Result<(), ApiError> {
    let bytes = serde_json::to_vec(object).unwrap_or_default();
    // Read as the file `pull` would write it, which is named after it.
    let (name, language) = key_of(object);
    let file = format!("{name}.{language}.json");
    TemplateDefinition::from_slice(&bytes, Path::new(&file))
        .map(|_| ())
        .map_err(|error| one("template", error.to_string()))
}

fn one(field: &str, message: impl Into<String>) -> ApiError {
    let mut problems = Problems::new();
    problems.add(field, message);
    ApiError::malformed_payload(problems)
}

fn too_many(waba_id: &str, what: &str, limit: usize, next: SystemTime) -> ApiError {
    let mut problems = Problems::new();
    problems.add(
        "message_templates",
        format!(
            "{limit} template {what} for WABA {waba_id} in the last hour, Kaleyra's limit; the next is allowed at {}",
            crate::clock::rfc3339(next)
        ),
    );
    ApiError::too_many_requests(problems)
}

fn body_object(body: &Bytes) -> Result<Value, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) if value.is_object() => Ok(value),
        Ok(_) => Err(one("payload", "is not a JSON object")),
        Err(error) => Err(one("payload", format!("is not JSON: {error}"))),
    }
}

/// `POST`: creates a template, `PENDING` until its review.
pub(crate) async fn create(
    State(shared): State<Arc<Shared>>,
    UrlPath((sid, waba_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match created(&shared, &sid, &waba_id, &headers, &body) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn created(
    shared: &Arc<Shared>,
    sid: &str,
    waba_id: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Response, ApiError> {
    shared.account.check_credentials(sid, headers)?;
    let object = body_object(body)?;
    let mut problems = Problems::new();
    for field in ["name", "language", "category"] {
        if !object[field].is_string() {
            problems.add(field, "is required, a string");
        }
    }
    if !object["components"].is_array() {
        problems.add("components", "is required, an array");
    }
    if !problems.is_empty() {
        return Err(ApiError::malformed_payload(problems));
    }
    readable(&object)?;
    let listed = crate::template_list::listed(shared)?;
    let admin = &shared.template_store;
    let outcome = admin.review(&object);
    let mut inner = admin.lock();
    let now = inner.now();
    let key = key_of(&object);
    if listed.iter().any(|existing| key_of(existing) == key) {
        return Err(one(
            "name",
            format!(
                "a template `{}` in language `{}` exists; edit it, or delete it first",
                key.0, key.1
            ),
        ));
    }
    let creations = inner.creations.entry(waba_id.to_owned()).or_default();
    if let Some(next) = next_in_window(creations, CREATES_PER_HOUR, now) {
        return Err(too_many(waba_id, "creations", CREATES_PER_HOUR, next));
    }
    creations.push(now);
    inner.next_id += 1;
    let mut fields = object.as_object().cloned().unwrap_or_default();
    for field in ["id", "status", "rejected_reason"] {
        fields.remove(field);
    }
    let template = Managed {
        object: fields,
        id: format!("{}", 880_000_000_000_000 + inner.next_id),
        status: TemplateStatus::Pending,
        rejected_reason: None,
        review: Some((now + admin.review_delay, outcome)),
        approved_edits: Vec::new(),
    };
    let response = template.answer("Template created");
    tracing::info!(name = %key.0, language = %key.1, id = %template.id, "template created");
    post_when_reviewed(shared, key.clone(), template.id.clone());
    inner.managed.insert(key, template);
    Ok(response)
}

/// Whether a listed `id` (a string, or a number in some lists) is `id`.
fn id_is(listed: &Value, id: &str) -> bool {
    match listed {
        Value::String(listed) => listed == id,
        Value::Number(number) => number.to_string() == id,
        _ => false,
    }
}

/// The query of an edit or a delete.
#[derive(Deserialize)]
struct Target {
    name: Option<String>,
    template_id: Option<String>,
}

fn target(query: Option<&str>) -> Result<Target, ApiError> {
    serde_urlencoded::from_str(query.unwrap_or_default())
        .map_err(|error| one("query", format!("cannot be read: {error}")))
}

/// `PUT`: edits a template's components or category.
pub(crate) async fn edit(
    State(shared): State<Arc<Shared>>,
    UrlPath((sid, waba_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    match edited(&shared, &sid, &waba_id, &headers, query.as_deref(), &body) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn edited(
    shared: &Arc<Shared>,
    sid: &str,
    waba_id: &str,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &Bytes,
) -> Result<Response, ApiError> {
    shared.account.check_credentials(sid, headers)?;
    let Target { name, template_id } = target(query)?;
    let (Some(name), Some(template_id)) = (name, template_id) else {
        return Err(one(
            "template_id",
            "`name` and `template_id` are required in the query",
        ));
    };
    let change = body_object(body)?;
    let components = change.get("components");
    let category = change.get("category");
    match (components, category) {
        (Some(_), Some(_)) => {
            return Err(one(
                "payload",
                "change the category and the components in separate calls",
            ));
        }
        (None, None) => {
            return Err(one("payload", "give `components` or `category`"));
        }
        _ => {}
    }
    let listed = crate::template_list::listed(shared)?;
    let found = listed.iter().find(|object| {
        object["name"].as_str() == Some(&name) && id_is(&object["id"], &template_id)
    });
    let Some(found) = found else {
        return Err(one(
            "template_id",
            format!("no template `{name}` with id {template_id}"),
        ));
    };
    let key = key_of(found);
    let admin = &shared.template_store;
    let mut inner = admin.lock();
    let now = inner.now();
    let mut template = match inner.managed.get(&key) {
        Some(template) => template.clone(),
        None => Managed::from_listed(found).ok_or_else(|| one("template_id", "has no id"))?,
    };
    let category_changes =
        category.is_some_and(|category| Some(category) != template.object.get("category"));
    let current_components = template
        .object
        .get("components")
        .cloned()
        .unwrap_or_default();
    if let Some(refusal) =
        management::edit_refusal(&template.status, &current_components, category_changes)
    {
        return Err(one("status", refusal));
    }
    let was_approved = management::edits_are_limited(&template.status);
    if was_approved && let Some(next) = next_approved_edit(&template.approved_edits, now) {
        return Err(one(
            "edit",
            format!(
                "an APPROVED template can be edited once in 24 hours and {} times in 30 days; the next edit of `{name}` is allowed at {}",
                management::APPROVED_EDITS_PER_MONTH,
                crate::clock::rfc3339(next)
            ),
        ));
    }
    let mut object = template.object.clone();
    if let Some(components) = components {
        object.insert("components".to_owned(), components.clone());
    }
    if let Some(category) = category {
        if !category.is_string() {
            return Err(one("category", "is not a string"));
        }
        object.insert("category".to_owned(), category.clone());
    }
    let object = Value::Object(object);
    readable(&object)?;
    let edits = inner.edits.entry(waba_id.to_owned()).or_default();
    if let Some(next) = next_in_window(edits, EDITS_PER_HOUR, now) {
        return Err(too_many(waba_id, "edits", EDITS_PER_HOUR, next));
    }
    edits.push(now);
    if was_approved {
        template.approved_edits.push(now);
    }
    template.review = Some((now + admin.review_delay, admin.review(&object)));
    template.object = object.as_object().cloned().unwrap_or_default();
    template.status = TemplateStatus::Pending;
    template.rejected_reason = None;
    let response = template.answer("Template edited");
    post_when_reviewed(shared, key.clone(), template.id.clone());
    inner.managed.insert(key, template);
    Ok(response)
}

/// `DELETE`: every language of a name, or one template by id.
pub(crate) async fn delete(
    State(shared): State<Arc<Shared>>,
    UrlPath((sid, _waba_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    match deleted(&shared, &sid, &headers, query.as_deref()) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn deleted(
    shared: &Shared,
    sid: &str,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<Response, ApiError> {
    shared.account.check_credentials(sid, headers)?;
    let Target { name, template_id } = target(query)?;
    let Some(name) = name else {
        return Err(one("name", "is required in the query"));
    };
    let listed = crate::template_list::listed(shared)?;
    let gone: Vec<&Value> = listed
        .iter()
        .filter(|object| object["name"].as_str() == Some(&name))
        .filter(|object| {
            template_id
                .as_ref()
                .is_none_or(|id| id_is(&object["id"], id))
        })
        .collect();
    if gone.is_empty() {
        let what = match &template_id {
            Some(id) => format!("no template `{name}` with id {id}"),
            None => format!("no template named `{name}`"),
        };
        return Err(one("name", what));
    }
    let mut inner = shared.template_store.lock();
    let mut deleted = Vec::new();
    for object in gone {
        let key = key_of(object);
        inner.managed.remove(&key);
        inner.hidden.insert(key);
        deleted.push(
            json!({"name": object["name"], "language": object["language"], "id": object["id"]}),
        );
    }
    let body = json!({
        "code": codes::WA200.code,
        "message": "Template deleted",
        "data": {"deleted": deleted},
        "error": {}
    });
    Ok((status_of(&codes::WA200), Json(body)).into_response())
}
