//! Creating, editing and deleting the account's templates through Kaleyra's
//! v2 API, on the path the list uses:
//! `{base}/v2/{sid}/whatsapp/{waba_id}/message_templates`.
//!
//! | call | request |
//! |---|---|
//! | [`Client::create_template`] | `POST`, body Meta's create object `{name, language, category, components[, parameter_format]}` |
//! | [`Client::edit_template`] | `PUT ?name=N&template_id=ID`, body `{components}` or `{category}` (never both) |
//! | [`Client::delete_template`] | `DELETE ?name=N[&template_id=ID]`, headers `api-key`, `cache-control: no-cache` |
//!
//! Decisions, where Kaleyra's pages are silent (see DECISIONS.md):
//! - **Bodies.** Kaleyra's create and edit pages show no body and send
//!   readers to Meta's "Create and Manage Templates", so the body is Meta's
//!   template object (create) or Meta's edit body (edit).
//! - **Which template an edit is for.** The edit page does not say; the
//!   template is named as Kaleyra's delete page names it on the same path,
//!   in the query (`name`, `template_id`).
//! - **Answers.** Kaleyra shows none: any 2xx is success, read as Meta's
//!   `{id, status, category}` at the top level or in Kaleyra's `data`; other
//!   statuses are Kaleyra's error body ([`Error::Api`]), or
//!   [`Error::Decode`] without one.
//! - **No retries.** A create that timed out may have created the
//!   template; list the account before trying again.
//! - **v1.** Kaleyra's v1 create pages contradict each other (a JSON body on
//!   one, a form on the others; `footer` against `footer_content`,
//!   `quick_reply1` against `quick_reply_1`, `template` against
//!   `templates`), and v1 documents no edit or delete, so on a v1 client
//!   each call is [`Error::Unsupported`], naming why.

use std::sync::Arc;

use kaleyra_definitions::{TemplateStatus, limits};
use reqwest::Method;
use reqwest::header::{CACHE_CONTROL, HeaderValue};
use serde_json::{Map, Value};
use url::Url;

use crate::api::{Api, ApiVersion};
use crate::client::Client;
use crate::error::{Error, excerpt};
use crate::request::PreparedRequest;
use crate::transport::RawResponse;

/// Why template management is refused on v1, for [`Error::Unsupported`].
const V1_REFUSAL: &str = "template creation, editing and deletion (Kaleyra's v1 create pages \
    contradict each other: a JSON body against a form, `footer` against `footer_content`, \
    `quick_reply1` against `quick_reply_1`; v1 documents no edit or delete)";

/// The fields of Meta's create object that a [`NewTemplate`] sends.
const CREATE_FIELDS: [&str; 5] = [
    "name",
    "language",
    "category",
    "components",
    "parameter_format",
];

/// A template to create: Meta's create object, read from a template object
/// (a file `kaleyra templates new` wrote, or one `pull` wrote and you edited).
///
/// Only Meta's create fields are sent (`name`, `language`, `category`,
/// `components`, `parameter_format`); the fields the account adds (`id`,
/// `status`, `company_id`, ..) are left out, and [`NewTemplate::left_out`]
/// names them so a caller can say so.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTemplate {
    object: Map<String, Value>,
    left_out: Vec<String>,
}

impl NewTemplate {
    /// Reads a template object. Errors name the field: a `name` that is not
    /// a template name, a `language` that is not a code, a `category` other
    /// than `MARKETING`, `UTILITY` or `AUTHENTICATION`, `components` that
    /// are not a non-empty array.
    pub fn from_object(object: &Value) -> Result<Self, Error> {
        let Some(fields) = object.as_object() else {
            return Err(Error::invalid("template", "is not a JSON object"));
        };
        let text = |field: &str| fields.get(field).and_then(Value::as_str);
        let name = text("name").ok_or_else(|| Error::invalid("name", "is missing"))?;
        if !limits::is_template_name(name) {
            return Err(Error::invalid(
                "name",
                format!(
                    "`{name}` is not a template name: lowercase letters, digits and `_`, at most {} characters",
                    limits::TEMPLATE_NAME
                ),
            ));
        }
        let language = text("language").ok_or_else(|| Error::invalid("language", "is missing"))?;
        if !limits::is_language_code(language) {
            return Err(Error::invalid(
                "language",
                format!("`{language}` is not a language code such as `en` or `en_US`"),
            ));
        }
        check_category(text("category"))?;
        match fields.get("components").and_then(Value::as_array) {
            Some(components) if !components.is_empty() => {}
            _ => {
                return Err(Error::invalid(
                    "components",
                    "must be a non-empty array of Meta's components",
                ));
            }
        }
        let mut sent = Map::new();
        let mut left_out = Vec::new();
        for (key, value) in fields {
            if CREATE_FIELDS.contains(&key.as_str()) {
                sent.insert(key.clone(), value.clone());
            } else {
                left_out.push(key.clone());
            }
        }
        Ok(NewTemplate {
            object: sent,
            left_out,
        })
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        self.object["name"].as_str().unwrap_or_default()
    }

    /// The template's language code.
    pub fn language(&self) -> &str {
        self.object["language"].as_str().unwrap_or_default()
    }

    /// The template's category.
    pub fn category(&self) -> &str {
        self.object["category"].as_str().unwrap_or_default()
    }

    /// The components, as Meta's array.
    pub fn components(&self) -> &Value {
        &self.object["components"]
    }

    /// The object's fields that are not sent (the account's own, such as
    /// `id` and `status`).
    pub fn left_out(&self) -> &[String] {
        &self.left_out
    }

    /// The body of the create request.
    pub fn body(&self) -> Value {
        Value::Object(self.object.clone())
    }
}

/// The categories Kaleyra's create page lists.
const CATEGORIES: [&str; 3] = ["MARKETING", "UTILITY", "AUTHENTICATION"];

fn check_category(category: Option<&str>) -> Result<(), Error> {
    match category {
        Some(category) if CATEGORIES.contains(&category) => Ok(()),
        Some(other) => Err(Error::invalid(
            "category",
            format!("`{other}` is not one of {}", CATEGORIES.join(", ")),
        )),
        None => Err(Error::invalid("category", "is missing")),
    }
}

/// One edit of a template in the account. Kaleyra takes the category and
/// the components in separate calls, so an edit is one or the other.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateEdit {
    name: String,
    template_id: String,
    change: Change,
}

#[derive(Debug, Clone, PartialEq)]
enum Change {
    Components(Value),
    Category(String),
}

impl TemplateEdit {
    /// Replaces the components of template `template_id` (named `name`).
    pub fn components(
        name: impl Into<String>,
        template_id: impl Into<String>,
        components: Value,
    ) -> Result<Self, Error> {
        if components.as_array().is_none_or(|array| array.is_empty()) {
            return Err(Error::invalid(
                "components",
                "must be a non-empty array of Meta's components",
            ));
        }
        Self::new(
            name.into(),
            template_id.into(),
            Change::Components(components),
        )
    }

    /// Changes the category of template `template_id` (named `name`); the
    /// category of an `APPROVED` template cannot change.
    pub fn category(
        name: impl Into<String>,
        template_id: impl Into<String>,
        category: impl Into<String>,
    ) -> Result<Self, Error> {
        let category = category.into();
        check_category(Some(&category))?;
        Self::new(name.into(), template_id.into(), Change::Category(category))
    }

    fn new(name: String, template_id: String, change: Change) -> Result<Self, Error> {
        check_name(&name)?;
        check_id("template_id", &template_id)?;
        Ok(TemplateEdit {
            name,
            template_id,
            change,
        })
    }

    /// The body of the edit request: `{components}` or `{category}`.
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        match &self.change {
            Change::Components(components) => {
                body.insert("components".to_owned(), components.clone());
            }
            Change::Category(category) => {
                body.insert("category".to_owned(), Value::String(category.clone()));
            }
        }
        Value::Object(body)
    }
}

/// What a delete removes: every language of a name, or one template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDeletion {
    name: String,
    template_id: Option<String>,
}

impl TemplateDeletion {
    /// Every language of the template `name` (Kaleyra deletes them all).
    pub fn every_language(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        check_name(&name)?;
        Ok(TemplateDeletion {
            name,
            template_id: None,
        })
    }

    /// Only the template `template_id` (one language of `name`): Kaleyra
    /// needs both.
    pub fn one(name: impl Into<String>, template_id: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let template_id = template_id.into();
        check_name(&name)?;
        check_id("template_id", &template_id)?;
        Ok(TemplateDeletion {
            name,
            template_id: Some(template_id),
        })
    }
}

/// Kaleyra's answer to a create or an edit, as far as it was readable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TemplateChange {
    /// The template's id, when the answer gave one.
    pub id: Option<String>,
    /// The template's status after the call (`PENDING` while under review),
    /// when the answer gave one.
    pub status: Option<TemplateStatus>,
    /// The template's category, when the answer gave one.
    pub category: Option<String>,
    /// The answer's body, bounded.
    pub body: String,
}

impl Client {
    /// The request [`Client::create_template`] sends, without sending it
    /// (for a dry run: its `Display` hides the API key).
    pub fn prepare_create_template(
        &self,
        waba_id: &str,
        template: &NewTemplate,
    ) -> Result<PreparedRequest, Error> {
        let url = self.templates_url(waba_id, &[])?;
        self.json_request(Method::POST, url, &template.body())
    }

    /// Creates `template` in the WhatsApp business account `waba_id`; it is
    /// `PENDING` until Meta reviews it (see [`Client::list_templates`]).
    ///
    /// Kaleyra allows 100 creations per WABA per hour
    /// ([`kaleyra_definitions::management::CREATES_PER_HOUR`]); beyond, it
    /// answers 429 (`WA429`, [`Error::is_retryable`]). Not retried: a create
    /// that timed out may have created the template. v2 only: on a v1
    /// client it is [`Error::Unsupported`], as Kaleyra's v1 create pages
    /// contradict each other (see the [module](crate::template_management)).
    pub async fn create_template(
        &self,
        waba_id: &str,
        template: &NewTemplate,
    ) -> Result<TemplateChange, Error> {
        let request = self.prepare_create_template(waba_id, template)?;
        let response = self.transport().execute(&request).await?;
        read_change(&response)
    }

    /// The request [`Client::edit_template`] sends, without sending it.
    pub fn prepare_edit_template(
        &self,
        waba_id: &str,
        edit: &TemplateEdit,
    ) -> Result<PreparedRequest, Error> {
        let url = self.templates_url(
            waba_id,
            &[("name", &edit.name), ("template_id", &edit.template_id)],
        )?;
        self.json_request(Method::PUT, url, &edit.body())
    }

    /// Edits a template of `waba_id`: its components or its category.
    ///
    /// Kaleyra edits only `APPROVED`, `REJECTED` and `PAUSED` templates, an
    /// approved one at most once in 24 hours and 10 times in 30 days, never
    /// an approved one's category nor a template with a `VOICE_CALL` button
    /// ([`kaleyra_definitions::management`]); its refusal is
    /// [`Error::Api`]. The template is named in the query, as on Kaleyra's
    /// delete page (the edit page does not say; a decision). v2 only.
    pub async fn edit_template(
        &self,
        waba_id: &str,
        edit: &TemplateEdit,
    ) -> Result<TemplateChange, Error> {
        let request = self.prepare_edit_template(waba_id, edit)?;
        let response = self.transport().execute(&request).await?;
        read_change(&response)
    }

    /// The request [`Client::delete_template`] sends, without sending it.
    pub fn prepare_delete_template(
        &self,
        waba_id: &str,
        deletion: &TemplateDeletion,
    ) -> Result<PreparedRequest, Error> {
        let mut query = vec![("name", deletion.name.as_str())];
        if let Some(id) = &deletion.template_id {
            query.push(("template_id", id));
        }
        let url = self.templates_url(waba_id, &query)?;
        let mut headers = (*self.endpoint().headers_without_body).clone();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        Ok(PreparedRequest {
            method: Method::DELETE,
            url: Arc::new(url),
            headers: Arc::new(headers),
            body: bytes::Bytes::new(),
            api: ApiVersion::V2,
            recipients: Vec::new(),
            callback_secret: None,
        })
    }

    /// Deletes from `waba_id` every language of a template, or one template
    /// by its id ([`TemplateDeletion`]). Answers the body Kaleyra sent,
    /// bounded. v2 only.
    pub async fn delete_template(
        &self,
        waba_id: &str,
        deletion: &TemplateDeletion,
    ) -> Result<String, Error> {
        let request = self.prepare_delete_template(waba_id, deletion)?;
        let response = self.transport().execute(&request).await?;
        if !(200..300).contains(&response.status) {
            return Err(crate::response::refusal(&response));
        }
        Ok(excerpt(&response.body))
    }

    /// `{base}/v2/{sid}/whatsapp/{waba_id}/message_templates?query`, on a v2 client.
    fn templates_url(&self, waba_id: &str, query: &[(&str, &str)]) -> Result<Url, Error> {
        if self.endpoint().api == Api::V1 {
            return Err(Error::unsupported(V1_REFUSAL, ApiVersion::V1));
        }
        let mut url = self.message_templates_url(waba_id)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    fn json_request(
        &self,
        method: Method,
        url: Url,
        body: &Value,
    ) -> Result<PreparedRequest, Error> {
        let body = serde_json::to_vec(body)
            .map_err(|error| Error::internal("writing the template's JSON body", error))?;
        Ok(PreparedRequest {
            method,
            url: Arc::new(url),
            headers: Arc::clone(&self.endpoint().headers_with_body),
            body: body.into(),
            api: ApiVersion::V2,
            recipients: Vec::new(),
            callback_secret: None,
        })
    }
}

fn check_name(name: &str) -> Result<(), Error> {
    if limits::is_template_name(name) {
        Ok(())
    } else {
        Err(Error::invalid(
            "name",
            format!("`{name}` is not a template name: lowercase letters, digits and `_`"),
        ))
    }
}

/// Ids go in the URL: Meta's are digits; letters, `_` and `-` are allowed
/// too, nothing that could change the path or query.
fn check_id(field: &str, id: &str) -> Result<(), Error> {
    if !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Ok(());
    }
    Err(Error::invalid(
        field,
        format!("`{id}` is not an id (digits, such as 102290129340398)"),
    ))
}

/// The change an answer reports, or the error it means.
fn read_change(response: &RawResponse) -> Result<TemplateChange, Error> {
    if !(200..300).contains(&response.status) {
        return Err(crate::response::refusal(response));
    }
    let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    let fields = match body.get("data") {
        Some(data) if data.is_object() => data,
        _ => &body,
    };
    let text = |field: &str| match &fields[field] {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    Ok(TemplateChange {
        id: text("id"),
        status: text("status").map(|status| TemplateStatus::parse(&status)),
        category: text("category"),
        body: excerpt(&response.body),
    })
}
