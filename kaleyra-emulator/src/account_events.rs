//! The account's events, posted on demand: what Meta reports about a
//! template (its status, category, quality and components) and about the
//! business number (its quality and messaging limit), which Kaleyra passes
//! on through a callback profile.
//!
//! Each is posted as a v2 webhook, Meta's change in Kaleyra's envelope
//! (`{"meta_object": {"field", "value"}}`, as the emulator's v2 status
//! callbacks are), to the URL asked for or else to the template status URL
//! ([`crate::EmulatorBuilder::template_status_url`]), which stands for the
//! callback profile Kaleyra's operations team sets up.
//!
//! Every value is checked against the spellings `kaleyra_runtime::callbacks`
//! reads, so the emulator never posts an event the runtime would keep as
//! `Other`: an unknown one is refused, naming the field.

use std::sync::Arc;

use kaleyra_runtime::callbacks::{
    ButtonKind, MessagingLimit, PhoneNumberEvent, QualityScore, TemplateCategory, TemplateEvent,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::account::digits;
use crate::callbacks::CallbackBody;
use crate::loopback::refusal;
use crate::message::CallbackOutcome;
use crate::state::Shared;

/// An event of the account to post; see the crate's README, "Account events".
///
/// As JSON (`POST /emulator/events`), the variant is the `event` field:
/// `template_status`, `template_category` (or `category`),
/// `template_quality` (or `quality`), `template_components` (or
/// `components`) or `phone_number_quality`, beside its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountEvent {
    /// Meta's `message_template_status_update`.
    TemplateStatus(TemplateStatusEvent),
    /// Meta's `template_category_update`.
    TemplateCategory(TemplateCategoryEvent),
    /// Meta's `message_template_quality_update`.
    TemplateQuality(TemplateQualityEvent),
    /// Meta's `message_template_components_update`.
    TemplateComponents(TemplateComponentsEvent),
    /// Meta's `phone_number_quality_update`.
    PhoneNumberQuality(PhoneNumberQualityEvent),
}

/// A template's status changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateStatusEvent {
    /// The template's name.
    pub template: String,
    /// The template's language.
    pub language: String,
    /// Its id; when `None`, the id the account lists it with (a template
    /// the account does not list needs one).
    #[serde(default)]
    pub template_id: Option<String>,
    /// Meta's `event`: `APPROVED`, `REJECTED`, `PAUSED`, `DISABLED`, ...
    pub status: String,
    /// Meta's `reason`; `NONE` when `None`, as Meta writes it.
    #[serde(default)]
    pub reason: Option<String>,
    /// The template's category; when `None`, the one the account lists.
    #[serde(default)]
    pub category: Option<String>,
    /// Meta's `rejection_info`: why, and what to change.
    #[serde(default)]
    pub rejection_info: Option<RejectionInfo>,
    /// Meta's `other_info`, on a pause, unpause, lock or unlock.
    #[serde(default)]
    pub other_info: Option<OtherInfo>,
}

/// Meta's `rejection_info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectionInfo {
    /// What is wrong.
    pub reason: String,
    /// What to change.
    pub recommendation: String,
}

/// Meta's `other_info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherInfo {
    /// Such as `FIRST_PAUSE`, `UNPAUSE`.
    pub title: String,
    /// Why, in a sentence.
    pub description: String,
}

/// Meta moved a template to another category.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateCategoryEvent {
    /// The template's name.
    pub template: String,
    /// The template's language.
    pub language: String,
    /// Its id; as for [`TemplateStatusEvent::template_id`].
    #[serde(default)]
    pub template_id: Option<String>,
    /// The category it had; when `None`, the one the account lists, if any.
    #[serde(default)]
    pub previous_category: Option<String>,
    /// The category it has now.
    pub new_category: String,
}

/// A template's quality rating changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateQualityEvent {
    /// The template's name.
    pub template: String,
    /// The template's language.
    pub language: String,
    /// Its id; as for [`TemplateStatusEvent::template_id`].
    #[serde(default)]
    pub template_id: Option<String>,
    /// The rating it had: `GREEN`, `YELLOW`, `RED` or `UNKNOWN`.
    #[serde(default)]
    pub previous_quality_score: Option<String>,
    /// The rating it has now.
    pub new_quality_score: String,
}

/// A template's components changed; those not given are the account's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateComponentsEvent {
    /// The template's name.
    pub template: String,
    /// The template's language.
    pub language: String,
    /// Its id; as for [`TemplateStatusEvent::template_id`].
    #[serde(default)]
    pub template_id: Option<String>,
    /// The text header; when `None`, the account's text header, if any.
    #[serde(default)]
    pub header: Option<String>,
    /// The body; when `None`, the account's.
    #[serde(default)]
    pub body: Option<String>,
    /// The footer; when `None`, the account's, if any.
    #[serde(default)]
    pub footer: Option<String>,
    /// The buttons; when `None`, the account's.
    #[serde(default)]
    pub buttons: Option<Vec<UpdatedButton>>,
}

/// A button of [`TemplateComponentsEvent`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatedButton {
    /// `QUICK_REPLY`, `URL`, `PHONE_NUMBER`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// The label.
    pub text: String,
    /// A URL button's URL.
    #[serde(default)]
    pub url: Option<String>,
    /// A phone-number button's number.
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// The business number's quality or messaging limit changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneNumberQualityEvent {
    /// Meta's `event`: `FLAGGED`, `UNFLAGGED`, `UPGRADE`, `DOWNGRADE`, ...
    /// (named `status`, as for a template, since `event` names the kind).
    pub status: String,
    /// The number; when `None`, the account's v2 number.
    #[serde(default)]
    pub display_phone_number: Option<String>,
    /// The limit now: `TIER_50` ... `TIER_100K`, `TIER_UNLIMITED`.
    #[serde(default)]
    pub current_limit: Option<String>,
    /// The limit before, for a change of limit.
    #[serde(default)]
    pub old_limit: Option<String>,
    /// The business portfolio's limit (`max_daily_conversations_per_business`).
    #[serde(default)]
    pub business_limit: Option<String>,
}

/// Why an account event was not posted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
#[non_exhaustive]
pub struct EventError {
    /// The field at fault, such as `status` or `url`.
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
}

fn refused(field: &str, reason: impl Into<String>) -> EventError {
    EventError {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

/// The event asked for in a `POST /emulator/events` body: its kind
/// (`event`), its fields, and `url` where to post it.
pub(crate) fn read_request(body: &[u8]) -> Result<(Option<String>, AccountEvent), EventError> {
    let mut value: Value = serde_json::from_slice(body)
        .map_err(|error| refused("body", format!("is not JSON: {error}")))?;
    let Some(object) = value.as_object_mut() else {
        return Err(refused("body", "is not a JSON object"));
    };
    let url = match object.remove("url") {
        None | Some(Value::Null) => None,
        Some(Value::String(url)) => Some(url),
        Some(_) => return Err(refused("url", "is not text")),
    };
    let kind = match object.remove("event") {
        Some(Value::String(kind)) => kind,
        _ => String::new(),
    };
    let event = match kind.as_str() {
        "template_status" => AccountEvent::TemplateStatus(fields(value)?),
        "template_category" | "category" => AccountEvent::TemplateCategory(fields(value)?),
        "template_quality" | "quality" => AccountEvent::TemplateQuality(fields(value)?),
        "template_components" | "components" => AccountEvent::TemplateComponents(fields(value)?),
        "phone_number_quality" => AccountEvent::PhoneNumberQuality(fields(value)?),
        _ => {
            return Err(refused(
                "event",
                format!(
                    "`{kind}` is not an event the emulator posts; one of template_status, template_category, template_quality, template_components, phone_number_quality"
                ),
            ));
        }
    };
    Ok((url, event))
}

/// An event's fields, or the first one at fault, by its path.
fn fields<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, EventError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body" } else { &path };
        refused(field, error.inner().to_string())
    })
}

/// Posts `event` to `url`, or to the template status URL when `url` is
/// `None`; answers the body posted and what became of it.
pub(crate) async fn post(
    shared: &Arc<Shared>,
    url: Option<&str>,
    event: &AccountEvent,
) -> Result<(Value, CallbackOutcome), EventError> {
    let url = url
        .or(shared.template_store.status_url.as_deref())
        .ok_or_else(|| {
            refused(
                "url",
                "none given, and the emulator has no template status URL (`template_status_url`, `--template-status-url`) to post to as Kaleyra's callback profile would",
            )
        })?;
    if let Some(reason) = refusal(url) {
        return Err(refused("url", reason));
    }
    let body = body(shared, event)?;
    let outcome = shared
        .poster
        .post(url, &CallbackBody::Json(body.clone()))
        .await;
    tracing::info!(field = %body["meta_object"]["field"], ?outcome, "account event posted");
    Ok((body, outcome))
}

/// The webhook `event` is: Meta's change, in Kaleyra's envelope.
fn body(shared: &Shared, event: &AccountEvent) -> Result<Value, EventError> {
    let (field, value) = match event {
        AccountEvent::TemplateStatus(event) => (
            "message_template_status_update",
            template_status(shared, event)?,
        ),
        AccountEvent::TemplateCategory(event) => (
            "template_category_update",
            template_category(shared, event)?,
        ),
        AccountEvent::TemplateQuality(event) => (
            "message_template_quality_update",
            template_quality(shared, event)?,
        ),
        AccountEvent::TemplateComponents(event) => (
            "message_template_components_update",
            template_components(shared, event)?,
        ),
        AccountEvent::PhoneNumberQuality(event) => (
            "phone_number_quality_update",
            phone_number_quality(shared, event)?,
        ),
    };
    Ok(json!({"meta_object": {"field": field, "value": value}}))
}

fn template_status(
    shared: &Shared,
    event: &TemplateStatusEvent,
) -> Result<Map<String, Value>, EventError> {
    let (listed, mut value) = template_value(
        shared,
        &event.template,
        &event.language,
        event.template_id.as_deref(),
    )?;
    let status = known(
        "status",
        &event.status,
        TemplateEvent::parse,
        TemplateEvent::as_str,
        &TemplateEvent::KNOWN,
    )?;
    value.insert("event".into(), json!(status));
    let reason = event.reason.as_deref().unwrap_or("NONE");
    value.insert("reason".into(), json!(reason));
    let category = match &event.category {
        Some(category) => Some(category_text("category", category)?),
        None => listed_category(listed.as_ref()),
    };
    if let Some(category) = category {
        value.insert("message_template_category".into(), json!(category));
    }
    if let Some(info) = &event.rejection_info {
        let info = json!({"reason": info.reason, "recommendation": info.recommendation});
        value.insert("rejection_info".into(), info);
    }
    if let Some(info) = &event.other_info {
        let info = json!({"title": info.title, "description": info.description});
        value.insert("other_info".into(), info);
    }
    Ok(value)
}

fn template_category(
    shared: &Shared,
    event: &TemplateCategoryEvent,
) -> Result<Map<String, Value>, EventError> {
    let (listed, mut value) = template_value(
        shared,
        &event.template,
        &event.language,
        event.template_id.as_deref(),
    )?;
    let previous = match &event.previous_category {
        Some(category) => Some(category_text("previous_category", category)?),
        None => listed_category(listed.as_ref()),
    };
    if let Some(previous) = previous {
        value.insert("previous_category".into(), json!(previous));
    }
    let new = category_text("new_category", &event.new_category)?;
    value.insert("new_category".into(), json!(new));
    Ok(value)
}

fn template_quality(
    shared: &Shared,
    event: &TemplateQualityEvent,
) -> Result<Map<String, Value>, EventError> {
    let (_, mut value) = template_value(
        shared,
        &event.template,
        &event.language,
        event.template_id.as_deref(),
    )?;
    let score = |field: &str, text: &str| {
        known(
            field,
            text,
            QualityScore::parse,
            QualityScore::as_str,
            &QualityScore::KNOWN,
        )
    };
    if let Some(previous) = &event.previous_quality_score {
        let previous = score("previous_quality_score", previous)?;
        value.insert("previous_quality_score".into(), json!(previous));
    }
    let new = score("new_quality_score", &event.new_quality_score)?;
    value.insert("new_quality_score".into(), json!(new));
    Ok(value)
}

fn template_components(
    shared: &Shared,
    event: &TemplateComponentsEvent,
) -> Result<Map<String, Value>, EventError> {
    let (listed, mut value) = template_value(
        shared,
        &event.template,
        &event.language,
        event.template_id.as_deref(),
    )?;
    components(event, listed.as_ref(), &mut value)?;
    Ok(value)
}

fn phone_number_quality(
    shared: &Shared,
    event: &PhoneNumberQualityEvent,
) -> Result<Map<String, Value>, EventError> {
    let mut value = Map::new();
    let number = event
        .display_phone_number
        .clone()
        .unwrap_or_else(|| digits(&shared.account.v2_number).to_owned());
    value.insert("display_phone_number".into(), json!(number));
    let status = known(
        "status",
        &event.status,
        PhoneNumberEvent::parse,
        PhoneNumberEvent::as_str,
        &PhoneNumberEvent::KNOWN,
    )?;
    value.insert("event".into(), json!(status));
    for (field, key, limit) in [
        ("old_limit", "old_limit", &event.old_limit),
        ("current_limit", "current_limit", &event.current_limit),
        (
            "business_limit",
            "max_daily_conversations_per_business",
            &event.business_limit,
        ),
    ] {
        if let Some(limit) = limit {
            let limit = known(
                field,
                limit,
                MessagingLimit::parse,
                MessagingLimit::as_str,
                &MessagingLimit::KNOWN,
            )?;
            value.insert(key.into(), json!(limit));
        }
    }
    Ok(value)
}

/// `text` in Meta's spelling when the runtime reads it as one of `known`;
/// otherwise refused, naming `field` and every value it takes.
fn known<T>(
    field: &str,
    text: &str,
    parse: fn(&str) -> T,
    as_str: fn(&T) -> &str,
    all: &[T],
) -> Result<String, EventError> {
    let parsed = parse(text);
    if all.iter().any(|one| as_str(one) == as_str(&parsed)) {
        return Ok(as_str(&parsed).to_owned());
    }
    let names: Vec<&str> = all.iter().map(as_str).collect();
    Err(refused(
        field,
        format!(
            "`{text}` is not one Meta posts; one of {}",
            names.join(", ")
        ),
    ))
}

fn category_text(field: &str, text: &str) -> Result<String, EventError> {
    known(
        field,
        text,
        TemplateCategory::parse,
        TemplateCategory::as_str,
        &TemplateCategory::KNOWN,
    )
}

/// The account's template of `name` and `language`, as its list shows it.
fn listed_template(shared: &Shared, name: &str, language: &str) -> Option<Map<String, Value>> {
    let listed = crate::template_list::listed(shared).ok()?;
    listed.into_iter().find_map(|object| match object {
        Value::Object(object)
            if object.get("name").and_then(Value::as_str) == Some(name)
                && object.get("language").and_then(Value::as_str) == Some(language) =>
        {
            Some(object)
        }
        _ => None,
    })
}

fn listed_category(listed: Option<&Map<String, Value>>) -> Option<String> {
    let text = listed?.get("category")?.as_str()?;
    Some(TemplateCategory::parse(text).as_str().to_owned())
}

/// A JSON object.
type Object = Map<String, Value>;

/// The template as the account lists it (if it does), and the event's
/// fields that name it, which every template event starts from.
fn template_value(
    shared: &Shared,
    name: &str,
    language: &str,
    template_id: Option<&str>,
) -> Result<(Option<Object>, Object), EventError> {
    let listed = listed_template(shared, name, language);
    let value = template_fields(name, language, template_id, listed.as_ref())?;
    Ok((listed, value))
}

/// The fields that name the template: its id (given, or the account's),
/// name and language.
fn template_fields(
    name: &str,
    language: &str,
    template_id: Option<&str>,
    listed: Option<&Map<String, Value>>,
) -> Result<Map<String, Value>, EventError> {
    if name.is_empty() {
        return Err(refused("template", "is empty"));
    }
    let listed_id = listed.and_then(|object| match object.get("id")? {
        Value::String(id) => Some(id.clone()),
        other => Some(other.to_string()),
    });
    let id = template_id.map(str::to_owned).or(listed_id).ok_or_else(|| {
        refused(
            "template",
            format!(
                "the account lists no template `{name}` in `{language}`; give its `template_id` to post an event for it anyway"
            ),
        )
    })?;
    // Meta writes the id as a number.
    let id = id
        .parse::<u64>()
        .map_or_else(|_| json!(id), |number| json!(number));
    let mut value = Map::new();
    value.insert("message_template_id".into(), id);
    value.insert("message_template_name".into(), json!(name));
    value.insert("message_template_language".into(), json!(language));
    Ok(value)
}

/// The components of a components update: those given, else the account's.
fn components(
    event: &TemplateComponentsEvent,
    listed: Option<&Map<String, Value>>,
    value: &mut Map<String, Value>,
) -> Result<(), EventError> {
    let listed_components: &[Value] = listed
        .and_then(|object| object.get("components")?.as_array())
        .map_or(&[], Vec::as_slice);
    let component = |kind: &str| {
        listed_components
            .iter()
            .find(|component| component.get("type").and_then(Value::as_str) == Some(kind))
    };
    let text_of = |kind: &str| {
        component(kind)
            .and_then(|component| component.get("text")?.as_str())
            .map(str::to_owned)
    };
    let header = event.header.clone().or_else(|| {
        component("HEADER")
            .filter(|header| header.get("format").and_then(Value::as_str) == Some("TEXT"))
            .and_then(|header| header.get("text")?.as_str())
            .map(str::to_owned)
    });
    if let Some(header) = header {
        value.insert("message_template_title".into(), json!(header));
    }
    let body = event
        .body
        .clone()
        .or_else(|| text_of("BODY"))
        .ok_or_else(|| {
            refused(
                "body",
                "none given, and the account lists no body for this template",
            )
        })?;
    value.insert("message_template_element".into(), json!(body));
    if let Some(footer) = event.footer.clone().or_else(|| text_of("FOOTER")) {
        value.insert("message_template_footer".into(), json!(footer));
    }
    let buttons: Vec<UpdatedButton> = match &event.buttons {
        Some(buttons) => buttons.clone(),
        None => component("BUTTONS")
            .and_then(|component| component.get("buttons")?.as_array())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|button| {
                let text = |key: &str| button.get(key).and_then(Value::as_str).map(str::to_owned);
                UpdatedButton {
                    kind: text("type").unwrap_or_default(),
                    text: text("text").unwrap_or_default(),
                    url: text("url"),
                    phone_number: text("phone_number"),
                }
            })
            .collect(),
    };
    if !buttons.is_empty() {
        let mut written = Vec::with_capacity(buttons.len());
        for (i, button) in buttons.iter().enumerate() {
            let field = format!("buttons[{i}].type");
            let ButtonKind::Known(kind) = ButtonKind::parse(&button.kind) else {
                return Err(refused(
                    &field,
                    format!("`{}` is not a template button type", button.kind),
                ));
            };
            let mut item = Map::new();
            item.insert(
                "message_template_button_type".into(),
                json!(kind.as_str().to_ascii_uppercase()),
            );
            item.insert("message_template_button_text".into(), json!(button.text));
            if let Some(url) = &button.url {
                item.insert("message_template_button_url".into(), json!(url));
            }
            if let Some(number) = &button.phone_number {
                item.insert("message_template_button_phone_number".into(), json!(number));
            }
            written.push(Value::Object(item));
        }
        value.insert("message_template_buttons".into(), Value::Array(written));
    }
    Ok(())
}
