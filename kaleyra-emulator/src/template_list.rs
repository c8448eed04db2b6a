//! `GET /v2/{sid}/whatsapp/{waba_id}/message_templates`: the account's
//! approved templates as Meta's template objects, in Kaleyra's envelope
//! `{"code":"WA200","message","data":[..],"error":{}}`, paged Meta's way when
//! asked for a small page.
//!
//! Templates created through the API follow those of the directory
//! ([`crate::template_store`]).
//!
//! The templates directory is read again on every request, so a test can
//! change what the account lists (edit a file's `status`, delete a file)
//! while the emulator runs. A file in Meta's shape is listed exactly as
//! written; a definition in this project's format is converted.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use kaleyra_definitions::codes;
use kaleyra_definitions::{
    ButtonType, DefinitionFormat, HeaderType, MAX_FILE_BYTES, TemplateDefinition, definition_files,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::errors::{ApiError, Problems, status_of};
use crate::state::Shared;

/// The largest page a request may ask for.
pub(crate) const MAX_LIMIT: usize = 1000;

/// The query parameters the list takes; others (Meta's `fields`, ..) are ignored.
#[derive(Deserialize)]
struct ListQuery {
    limit: Option<String>,
    after: Option<String>,
}

/// The route's handler.
pub(crate) async fn list(
    State(shared): State<Arc<Shared>>,
    UrlPath((sid, _waba_id)): UrlPath<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Response {
    if let Err(error) = shared.account.check_credentials(&sid, &headers) {
        return error.into_response();
    }
    let page = match page_request(query.as_deref().unwrap_or_default()) {
        Ok(page) => page,
        Err(error) => return error.into_response(),
    };
    let templates = match listed(&shared) {
        Ok(templates) => templates,
        Err(error) => return error.into_response(),
    };
    let mut body = Map::new();
    body.insert("code".to_owned(), json!(codes::WA200.code));
    body.insert("message".to_owned(), json!(codes::WA200.message));
    match page {
        None => {
            body.insert("data".to_owned(), Value::Array(templates));
        }
        Some((limit, start)) => {
            if start > templates.len() {
                return bad_cursor().into_response();
            }
            let end = start.saturating_add(limit).min(templates.len());
            let data: Vec<Value> = templates[start..end].to_vec();
            let mut paging = json!({
                "cursors": {"before": cursor(start), "after": cursor(end)}
            });
            if end < templates.len() {
                let host = headers
                    .get(header::HOST)
                    .and_then(|host| host.to_str().ok())
                    .unwrap_or("127.0.0.1");
                paging["next"] = json!(format!(
                    "http://{host}{}?limit={limit}&after={}",
                    uri.path(),
                    cursor(end)
                ));
            }
            body.insert("data".to_owned(), Value::Array(data));
            body.insert("paging".to_owned(), paging);
        }
    }
    body.insert("error".to_owned(), json!({}));
    (
        status_of(&codes::WA200),
        [(header::CACHE_CONTROL, "no-store")],
        Json(Value::Object(body)),
    )
        .into_response()
}

/// The page asked for: `None` for everything at once, else the page size
/// and the position to start at.
fn page_request(query: &str) -> Result<Option<(usize, usize)>, ApiError> {
    let query: ListQuery = serde_urlencoded::from_str(query)
        .map_err(|error| invalid("query", format!("cannot be read: {error}")))?;
    let start = match query.after.as_deref() {
        None => 0,
        Some(after) => position(after).ok_or_else(bad_cursor)?,
    };
    match query.limit.as_deref() {
        None if query.after.is_some() => Err(invalid(
            "limit",
            "is required with `after`: give the page size the cursor came with",
        )),
        None => Ok(None),
        Some(limit) => match limit.parse::<usize>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => Ok(Some((limit, start))),
            _ => Err(invalid(
                "limit",
                format!("is `{limit}`; give a page size from 1 to {MAX_LIMIT}"),
            )),
        },
    }
}

/// The emulator's cursors are opaque to clients: `pos_` and a position.
fn cursor(position: usize) -> String {
    format!("pos_{position}")
}

fn position(cursor: &str) -> Option<usize> {
    cursor.strip_prefix("pos_")?.parse().ok()
}

fn bad_cursor() -> ApiError {
    invalid("after", "is not a cursor this list gave")
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    let mut problems = Problems::new();
    problems.add(field, message);
    ApiError::malformed_payload(problems)
}

/// The account's templates as the list shows them: the directory's, then
/// those created through the API ([`crate::template_admin`]), without the
/// deleted ones.
pub(crate) fn listed(shared: &Shared) -> Result<Vec<Value>, ApiError> {
    let directory = directory_listed(shared)?;
    Ok(shared.template_store.listing(directory))
}

/// Every approved template of the directory, as Meta's template objects, sorted by file.
fn directory_listed(shared: &Shared) -> Result<Vec<Value>, ApiError> {
    let Some(dir) = &shared.templates_dir else {
        return Ok(shared
            .templates
            .iter()
            .filter(|definition| definition.kind.is_approved_template())
            .map(meta_object)
            .collect());
    };
    let files = definition_files(dir).map_err(|error| {
        server_error(dir, format!("cannot list the templates directory: {error}"))
    })?;
    let mut templates = Vec::new();
    for file in files {
        let bytes = read_capped(&file).map_err(|error| server_error(&file, error))?;
        let definition = TemplateDefinition::from_slice(&bytes, &file)
            .map_err(|error| server_error(&file, error.to_string()))?;
        match definition.format {
            DefinitionFormat::Meta => {
                // Listed as written: the account is the source of these files.
                let original = serde_json::from_slice(&bytes)
                    .map_err(|error| server_error(&file, error.to_string()))?;
                templates.push(original);
            }
            _ if definition.kind.is_approved_template() => {
                templates.push(meta_object(&definition));
            }
            _ => {}
        }
    }
    Ok(templates)
}

fn read_capped(file: &Path) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|opened| {
            opened
                .take(MAX_FILE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|error| format!("cannot be read: {error}"))?;
    Ok(bytes)
}

fn server_error(file: &Path, message: impl Into<String>) -> ApiError {
    let message = message.into();
    tracing::warn!(file = %file.display(), %message, "template list failed");
    let mut problems = Problems::new();
    problems.add("templates", format!("{}: {message}", file.display()));
    ApiError::server_error(problems)
}

/// A definition in this project's format as Meta's template object.
///
/// What the format does not say is filled in as the emulator's choice:
/// `status` is `APPROVED`, `id` is a number derived from the name and
/// language, a body given only as `params` is listed as its placeholders
/// (`{{1}} {{2}}`), and a definition without `language` is listed without one.
/// Buttons are listed in index order (Meta's buttons have no index).
pub(crate) fn meta_object(definition: &TemplateDefinition) -> Value {
    let mut object = Map::new();
    object.insert("name".to_owned(), json!(definition.name));
    if let Some(language) = &definition.language {
        object.insert("language".to_owned(), json!(language));
    }
    let status = definition
        .status
        .as_ref()
        .map_or("APPROVED", |status| status.as_str());
    object.insert("status".to_owned(), json!(status));
    if let Some(category) = definition.category {
        object.insert("category".to_owned(), json!(category.as_str()));
    }
    let id = definition
        .template_id
        .clone()
        .unwrap_or_else(|| synthetic_id(definition));
    object.insert("id".to_owned(), json!(id));
    object.insert(
        "parameter_format".to_owned(),
        json!(definition.parameter_format.as_str()),
    );
    object.insert(
        "components".to_owned(),
        Value::Array(components(definition)),
    );
    Value::Object(object)
}

fn components(definition: &TemplateDefinition) -> Vec<Value> {
    let mut components = Vec::new();
    if let Some(header) = &definition.header {
        let format = match header.kind {
            HeaderType::Text => "TEXT",
            HeaderType::Image => "IMAGE",
            HeaderType::Video => "VIDEO",
            HeaderType::Document => "DOCUMENT",
            HeaderType::Product => "PRODUCT",
            HeaderType::Location => "LOCATION",
        };
        let mut component = json!({"type": "HEADER", "format": format});
        if let Some(text) = &header.text {
            component["text"] = json!(text);
        }
        components.push(component);
    }
    let body = definition.body.clone().unwrap_or_else(|| {
        let placeholders: Vec<String> = (1..=definition.param_count())
            .map(|n| format!("{{{{{n}}}}}"))
            .collect();
        placeholders.join(" ")
    });
    let mut body = json!({"type": "BODY", "text": body});
    if definition.add_security_recommendation {
        body["add_security_recommendation"] = json!(true);
    }
    components.push(body);
    // An authentication template's footer may give its code's lifetime only.
    if definition.footer.is_some() || definition.code_expiration_minutes.is_some() {
        let mut component = json!({"type": "FOOTER"});
        if let Some(footer) = &definition.footer {
            component["text"] = json!(footer);
        }
        if let Some(minutes) = definition.code_expiration_minutes {
            component["code_expiration_minutes"] = json!(minutes);
        }
        components.push(component);
    }
    let mut buttons: Vec<_> = definition.buttons.iter().collect();
    buttons.sort_by_key(|button| button.index);
    let buttons: Vec<Value> = buttons
        .into_iter()
        .map(|button| {
            let mut object = Map::new();
            let kind = match button.button_type() {
                ButtonType::QuickReply => "QUICK_REPLY",
                ButtonType::Url => "URL",
                ButtonType::PhoneNumber => "PHONE_NUMBER",
                ButtonType::CopyCode => "COPY_CODE",
                ButtonType::Otp => "OTP",
                ButtonType::Catalog => "CATALOG",
                ButtonType::MultiProduct => "MPM",
                ButtonType::SingleProduct => "SPM",
                ButtonType::Flow => "FLOW",
                // Interactive reply buttons are never on an approved template.
                ButtonType::Reply => "QUICK_REPLY",
            };
            object.insert("type".to_owned(), json!(kind));
            for (key, value) in [
                ("text", &button.text),
                ("url", &button.url),
                ("phone_number", &button.phone_number),
            ] {
                if let Some(value) = value {
                    object.insert(key.to_owned(), json!(value));
                }
            }
            if let Some(otp_type) = button.otp_type {
                object.insert("otp_type".to_owned(), json!(otp_type.as_str()));
            }
            if let Some(app) = &button.otp_app {
                object.insert("package_name".to_owned(), json!(app.package_name));
                object.insert("signature_hash".to_owned(), json!(app.signature_hash));
            }
            Value::Object(object)
        })
        .collect();
    if !buttons.is_empty() {
        components.push(json!({"type": "BUTTONS", "buttons": buttons}));
    }
    components
}

/// A stable numeric id, as Meta's ids are digits.
fn synthetic_id(definition: &TemplateDefinition) -> String {
    let mut hasher = DefaultHasher::new();
    (&definition.name, &definition.language).hash(&mut hasher);
    (hasher.finish() % 1_000_000_000_000_000).to_string()
}
