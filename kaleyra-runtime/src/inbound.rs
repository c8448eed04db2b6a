//! What Kaleyra posts to a `callback_url`: delivery statuses, the customer's
//! messages (button taps among them) and template status updates, typed.
//!
//! ```
//! use kaleyra_runtime::inbound::{Content, Event};
//!
//! let body = br#"{"meta_object": {"field": "messages", "value": {
//!     "messaging_product": "whatsapp",
//!     "contacts": [{"profile": {"name": "Ada"}, "wa_id": "919876543210"}],
//!     "messages": [{"from": "919876543210", "id": "wamid.B", "timestamp": "1700000000",
//!                   "context": {"from": "912025550101", "id": "wamid.A"},
//!                   "type": "button", "button": {"text": "Confirm", "payload": "confirm-4711"}}]}}}"#;
//! let events = Event::parse_json(body)?;
//! let Event::Message(message) = &events[0] else { panic!() };
//! assert_eq!(message.name.as_deref(), Some("Ada"));
//! assert_eq!(message.content, Content::Button { text: "Confirm".into(), payload: Some("confirm-4711".into()) });
//! # Ok::<(), kaleyra_runtime::inbound::InboundError>(())
//! ```
//!
//! Nothing is dropped: fields this module does not model are kept in each
//! event's `extra`, and a payload of a kind it does not know becomes
//! [`Event::Unknown`] with the raw JSON.

use serde_json::{Map, Value};

use crate::api::ApiVersion;

/// One thing Kaleyra reports. A callback may carry several.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A sent message's status changed (sent, delivered, read, failed).
    Status(DeliveryStatus),
    /// The customer sent a message: text, a button tap, a reply, media...
    Message(IncomingMessage),
    /// A template was approved, rejected, paused or disabled.
    TemplateStatus(TemplateStatusUpdate),
    /// A payload of a kind this crate does not know, as received.
    Unknown(Value),
}

/// The status of a message the business sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeliveryStatus {
    /// Which API's callback this was.
    pub api: ApiVersion,
    /// The id of the message, as in its [`crate::Receipt`].
    pub message_id: String,
    /// The new status.
    pub status: DeliveryState,
    /// The customer's number (v1 `mobile`, v2 `recipient_id`).
    pub recipient: Option<String>,
    /// When it happened, as sent (usually Unix seconds).
    pub timestamp: Option<String>,
    /// Why it failed, for failed messages.
    pub error: Option<StatusError>,
    /// The message's `ref`, `ref1` and `ref2`.
    pub references: References,
    /// v1: the price of the message, as sent.
    pub price: Option<String>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// A message's delivery status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryState {
    /// Sent to WhatsApp.
    Sent,
    /// Delivered to the customer's phone.
    Delivered,
    /// Read by the customer.
    Read,
    /// Failed; see [`DeliveryStatus::error`].
    Failed,
    /// Not sent (v1 `not-sent`).
    NotSent,
    /// A status this crate does not know, as sent.
    Other(String),
}

impl DeliveryState {
    fn parse(text: &str) -> DeliveryState {
        match text.to_ascii_lowercase().as_str() {
            "sent" => DeliveryState::Sent,
            "delivered" => DeliveryState::Delivered,
            "read" => DeliveryState::Read,
            "failed" => DeliveryState::Failed,
            "not-sent" | "not_sent" => DeliveryState::NotSent,
            _ => DeliveryState::Other(text.to_owned()),
        }
    }
}

/// Why a message failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusError {
    /// The error code, as sent.
    pub code: Option<String>,
    /// What went wrong.
    pub message: Option<String>,
}

/// A message's `ref`, `ref1` and `ref2`, as set when it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    /// `ref`.
    pub reference: Option<String>,
    /// `ref1`.
    pub reference1: Option<String>,
    /// `ref2`.
    pub reference2: Option<String>,
}

/// A message from the customer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IncomingMessage {
    /// Which API's callback this was.
    pub api: ApiVersion,
    /// The message's id (v2).
    pub id: Option<String>,
    /// The customer's number.
    pub from: String,
    /// The customer's profile name.
    pub name: Option<String>,
    /// The business number it was sent to (v1 `wanumber`, v2 `metadata.display_phone_number`).
    pub business_number: Option<String>,
    /// When it was sent, as sent (Unix seconds).
    pub timestamp: Option<String>,
    /// The id of the business's message this answers (v1 `reply_to`, v2 `context.id`).
    pub reply_to: Option<String>,
    /// What the customer sent.
    pub content: Content,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// What a customer's message holds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Content {
    /// Text.
    Text {
        /// The text.
        body: String,
    },
    /// A tap on a template's quick-reply button.
    Button {
        /// The button's label.
        text: String,
        /// The payload the message gave the button (or, when it gave none, what WhatsApp sends).
        payload: Option<String>,
    },
    /// A tap on an interactive reply button.
    ButtonReply {
        /// The button's id.
        id: String,
        /// The button's title.
        title: String,
    },
    /// A choice from an interactive list.
    ListReply {
        /// The row's id.
        id: String,
        /// The row's title.
        title: String,
        /// The row's description.
        description: Option<String>,
    },
    /// A shared location.
    Location {
        /// Latitude in degrees.
        latitude: f64,
        /// Longitude in degrees.
        longitude: f64,
        /// The place's name.
        name: Option<String>,
        /// The place's address.
        address: Option<String>,
    },
    /// An image, video, document, audio clip or sticker.
    Media {
        /// `image`, `video`, `document`, `audio` or `sticker`.
        kind: String,
        /// The media id (v2).
        id: Option<String>,
        /// The media URL (v1 `media_url`).
        url: Option<String>,
        /// The MIME type.
        mime_type: Option<String>,
        /// The caption.
        caption: Option<String>,
        /// The file name (documents).
        filename: Option<String>,
    },
    /// A message type this crate does not model; its fields are in `extra`
    /// (v1) or under this type's key (v2).
    Other {
        /// The message's `type`.
        kind: String,
    },
}

/// A template's review or quality status changed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TemplateStatusUpdate {
    /// What happened.
    pub event: TemplateEvent,
    /// The template's name.
    pub name: Option<String>,
    /// The template's language.
    pub language: Option<String>,
    /// The template's id, as sent.
    pub template_id: Option<String>,
    /// Why, for rejections and pauses.
    pub reason: Option<String>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// What happened to a template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateEvent {
    /// Approved; it can be sent.
    Approved,
    /// Rejected; see the reason.
    Rejected,
    /// Paused for low quality.
    Paused,
    /// Disabled.
    Disabled,
    /// An event this crate does not know, as sent.
    Other(String),
}

impl TemplateEvent {
    fn parse(text: &str) -> TemplateEvent {
        match text.to_ascii_uppercase().as_str() {
            "APPROVED" => TemplateEvent::Approved,
            "REJECTED" => TemplateEvent::Rejected,
            "PAUSED" => TemplateEvent::Paused,
            "DISABLED" => TemplateEvent::Disabled,
            _ => TemplateEvent::Other(text.to_owned()),
        }
    }
}

/// A callback that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InboundError {
    /// The body was empty and there was no query string.
    #[error("the callback is empty: no body and no query string")]
    Empty,
    /// The body is not JSON.
    #[error("the callback body is not JSON: {reason}")]
    NotJson {
        /// The parser's message.
        reason: String,
    },
    /// The body is not form-encoded.
    #[error("the callback is not form-encoded: {reason}")]
    NotForm {
        /// The decoder's message.
        reason: String,
    },
    /// A known kind of payload with a required field missing or of the wrong type.
    #[error("the callback's `{path}` {reason}")]
    Malformed {
        /// Where in the payload, such as `meta_object.value.statuses[0].id`.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// What a button tap carries, whatever the API and button kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ButtonTap<'a> {
    /// The label or title of the button tapped.
    pub text: &'a str,
    /// The quick-reply payload, for template buttons.
    pub payload: Option<&'a str>,
    /// The id, for interactive reply buttons.
    pub id: Option<&'a str>,
    /// The id of the message whose button was tapped, when sent.
    pub reply_to: Option<&'a str>,
}

impl Event {
    /// Parses what a callback request carries: JSON, a form body, or (v1) a
    /// query string, by its content type.
    pub fn parse_request(
        content_type: Option<&str>,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<Vec<Event>, InboundError> {
        let is_blank = body.iter().all(u8::is_ascii_whitespace);
        let content_type = content_type.unwrap_or_default().to_ascii_lowercase();
        if is_blank {
            return match query.filter(|query| !query.is_empty()) {
                Some(query) => Event::parse_form(query),
                None => Err(InboundError::Empty),
            };
        }
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let text = std::str::from_utf8(body).map_err(|error| InboundError::NotForm {
                reason: error.to_string(),
            })?;
            return Event::parse_form(text);
        }
        Event::parse_json(body)
    }

    /// Parses a JSON callback: a v2 webhook (`meta_object`), Meta's own
    /// envelope (`entry[].changes[]`), or a v1 status or incoming message.
    pub fn parse_json(body: &[u8]) -> Result<Vec<Event>, InboundError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(InboundError::Empty);
        }
        let value: Value = serde_json::from_slice(body).map_err(|error| InboundError::NotJson {
            reason: error.to_string(),
        })?;
        parse_value(value)
    }

    /// Parses a v1 callback sent as a form body or query string.
    pub fn parse_form(encoded: &str) -> Result<Vec<Event>, InboundError> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes())
            .into_owned()
            .collect();
        if pairs.is_empty() {
            return Err(InboundError::Empty);
        }
        let object: Map<String, Value> = pairs
            .into_iter()
            .map(|(key, value)| (key, Value::String(value)))
            .collect();
        Ok(vec![v1_event(object)?])
    }

    /// The button tap this event is, if it is one.
    pub fn button_tap(&self) -> Option<ButtonTap<'_>> {
        let Event::Message(message) = self else {
            return None;
        };
        let reply_to = message.reply_to.as_deref();
        match &message.content {
            Content::Button { text, payload } => Some(ButtonTap {
                text,
                payload: payload.as_deref(),
                id: None,
                reply_to,
            }),
            Content::ButtonReply { id, title } => Some(ButtonTap {
                text: title,
                payload: None,
                id: Some(id),
                reply_to,
            }),
            _ => None,
        }
    }
}

fn parse_value(value: Value) -> Result<Vec<Event>, InboundError> {
    let Value::Object(mut object) = value else {
        return Ok(vec![Event::Unknown(value)]);
    };
    if let Some(meta) = object.remove("meta_object") {
        let extra_info = object.remove("extra_info");
        return v2_change(meta, extra_info.as_ref(), "meta_object");
    }
    if object.get("object").and_then(Value::as_str) == Some("whatsapp_business_account") {
        return meta_envelope(object);
    }
    if object.contains_key("event") && object.contains_key("message_template_name") {
        return Ok(vec![Event::TemplateStatus(template_status(object))]);
    }
    Ok(vec![v1_event(object)?])
}

/// Meta's own webhook envelope: `{"object", "entry": [{"changes": [{"field", "value"}]}]}`.
fn meta_envelope(object: Map<String, Value>) -> Result<Vec<Event>, InboundError> {
    let mut events = Vec::new();
    let entries = object
        .get("entry")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (e, entry) in entries.into_iter().enumerate() {
        let changes = entry
            .get("changes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (c, change) in changes.into_iter().enumerate() {
            events.extend(v2_change(
                change,
                None,
                &format!("entry[{e}].changes[{c}]"),
            )?);
        }
    }
    if events.is_empty() {
        events.push(Event::Unknown(Value::Object(object)));
    }
    Ok(events)
}

/// One `{"field", "value"}` change.
fn v2_change(
    change: Value,
    extra_info: Option<&Value>,
    path: &str,
) -> Result<Vec<Event>, InboundError> {
    let field = change
        .get("field")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let Some(Value::Object(value)) = change.get("value").cloned() else {
        return Ok(vec![Event::Unknown(rebuild(change, extra_info))]);
    };
    match field.as_str() {
        "messages" => {
            let references = extra_info.map(references_from).unwrap_or_default();
            let value_path = format!("{path}.value");
            let mut events = Vec::new();
            for (i, status) in array(&value, "statuses").iter().enumerate() {
                events.push(Event::Status(v2_status(
                    status,
                    &references,
                    &format!("{value_path}.statuses[{i}]"),
                )?));
            }
            let business_number = value
                .get("metadata")
                .and_then(|metadata| metadata.get("display_phone_number"))
                .and_then(Value::as_str);
            let contacts = array(&value, "contacts");
            for (i, message) in array(&value, "messages").iter().enumerate() {
                let message_path = format!("{value_path}.messages[{i}]");
                events.push(Event::Message(v2_message(
                    message,
                    &contacts,
                    business_number,
                    &message_path,
                )?));
            }
            if events.is_empty() {
                events.push(Event::Unknown(rebuild(change, extra_info)));
            }
            Ok(events)
        }
        "message_template_status_update" => Ok(vec![Event::TemplateStatus(template_status(value))]),
        _ => Ok(vec![Event::Unknown(rebuild(change, extra_info))]),
    }
}

/// The payload as Kaleyra sent it, for [`Event::Unknown`].
fn rebuild(change: Value, extra_info: Option<&Value>) -> Value {
    let mut object = Map::new();
    object.insert("meta_object".to_owned(), change);
    if let Some(extra_info) = extra_info {
        object.insert("extra_info".to_owned(), extra_info.clone());
    }
    Value::Object(object)
}

fn array(object: &Map<String, Value>, key: &str) -> Vec<Value> {
    object
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn references_from(extra_info: &Value) -> References {
    let get = |key: &str| {
        extra_info
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    References {
        reference: get("ref"),
        reference1: get("ref1"),
        reference2: get("ref2"),
    }
}

/// Takes `key` out of `object` as text: strings as they are, numbers written out.
fn take_text(object: &mut Map<String, Value>, key: &str) -> Option<String> {
    match object.remove(key)? {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Null => None,
        other => {
            object.insert(key.to_owned(), other);
            None
        }
    }
}

fn required_text(
    object: &mut Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<String, InboundError> {
    take_text(object, key).ok_or_else(|| InboundError::Malformed {
        path: join(path, key),
        reason: "is missing or not text".to_owned(),
    })
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn v2_status(
    value: &Value,
    references: &References,
    path: &str,
) -> Result<DeliveryStatus, InboundError> {
    let Value::Object(mut object) = value.clone() else {
        return Err(InboundError::Malformed {
            path: path.to_owned(),
            reason: "is not an object".to_owned(),
        });
    };
    let message_id = required_text(&mut object, "id", path)?;
    let status = DeliveryState::parse(&required_text(&mut object, "status", path)?);
    let error = match object
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|errors| errors.first())
    {
        Some(first) => {
            let code = first.get("code").map(|code| {
                code.as_str()
                    .map_or_else(|| code.to_string(), str::to_owned)
            });
            let message = ["message", "title"]
                .iter()
                .find_map(|key| first.get(*key).and_then(Value::as_str))
                .map(str::to_owned);
            Some(StatusError { code, message })
        }
        None => None,
    };
    Ok(DeliveryStatus {
        api: ApiVersion::V2,
        message_id,
        status,
        recipient: take_text(&mut object, "recipient_id"),
        timestamp: take_text(&mut object, "timestamp"),
        error,
        references: references.clone(),
        price: None,
        extra: object,
    })
}

fn v2_message(
    value: &Value,
    contacts: &[Value],
    business_number: Option<&str>,
    path: &str,
) -> Result<IncomingMessage, InboundError> {
    let Value::Object(mut object) = value.clone() else {
        return Err(InboundError::Malformed {
            path: path.to_owned(),
            reason: "is not an object".to_owned(),
        });
    };
    let from = required_text(&mut object, "from", path)?;
    let kind = take_text(&mut object, "type").unwrap_or_else(|| "text".to_owned());
    let reply_to = object
        .get("context")
        .and_then(|context| context.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let name = contacts
        .iter()
        .find(|contact| contact.get("wa_id").and_then(Value::as_str) == Some(from.as_str()))
        .or_else(|| contacts.first())
        .and_then(|contact| contact.get("profile")?.get("name")?.as_str())
        .map(str::to_owned);
    let content = v2_content(&kind, &mut object, path)?;
    Ok(IncomingMessage {
        api: ApiVersion::V2,
        id: take_text(&mut object, "id"),
        from,
        name,
        business_number: business_number.map(str::to_owned),
        timestamp: take_text(&mut object, "timestamp"),
        reply_to,
        content,
        extra: object,
    })
}

/// The part of a v2 message named by its type, taken out of `object`.
fn v2_content(
    kind: &str,
    object: &mut Map<String, Value>,
    path: &str,
) -> Result<Content, InboundError> {
    let part_path = join(path, kind);
    let mut part = match object.get(kind) {
        Some(Value::Object(part)) => part.clone(),
        _ if matches!(kind, "text" | "button" | "interactive" | "location") => {
            return Err(InboundError::Malformed {
                path: part_path,
                reason: "is missing or not an object".to_owned(),
            });
        }
        _ => {
            return Ok(Content::Other {
                kind: kind.to_owned(),
            });
        }
    };
    let content = match kind {
        "text" => Content::Text {
            body: required_text(&mut part, "body", &part_path)?,
        },
        "button" => Content::Button {
            text: required_text(&mut part, "text", &part_path)?,
            payload: take_text(&mut part, "payload"),
        },
        "interactive" => {
            let reply_kind = take_text(&mut part, "type").unwrap_or_default();
            let reply_path = join(&part_path, &reply_kind);
            let Some(Value::Object(mut reply)) = part.get(&reply_kind).cloned() else {
                return Ok(Content::Other {
                    kind: format!("interactive.{reply_kind}"),
                });
            };
            match reply_kind.as_str() {
                "button_reply" => Content::ButtonReply {
                    id: required_text(&mut reply, "id", &reply_path)?,
                    title: required_text(&mut reply, "title", &reply_path)?,
                },
                "list_reply" => Content::ListReply {
                    id: required_text(&mut reply, "id", &reply_path)?,
                    title: required_text(&mut reply, "title", &reply_path)?,
                    description: take_text(&mut reply, "description"),
                },
                // Unmodelled: the part stays in `extra`.
                other => {
                    return Ok(Content::Other {
                        kind: format!("interactive.{other}"),
                    });
                }
            }
        }
        "location" => {
            let coordinate = |key: &str| {
                part.get(key)
                    .and_then(|v| v.as_f64().or_else(|| v.as_str()?.parse().ok()))
                    .ok_or_else(|| InboundError::Malformed {
                        path: join(&part_path, key),
                        reason: "is missing or not a number".to_owned(),
                    })
            };
            Content::Location {
                latitude: coordinate("latitude")?,
                longitude: coordinate("longitude")?,
                name: take_text(&mut part, "name"),
                address: take_text(&mut part, "address"),
            }
        }
        "image" | "video" | "document" | "audio" | "sticker" => Content::Media {
            kind: kind.to_owned(),
            id: take_text(&mut part, "id"),
            url: take_text(&mut part, "link").or_else(|| take_text(&mut part, "url")),
            mime_type: take_text(&mut part, "mime_type"),
            caption: take_text(&mut part, "caption"),
            filename: take_text(&mut part, "filename"),
        },
        // Unmodelled: the part stays in `extra`.
        _ => {
            return Ok(Content::Other {
                kind: kind.to_owned(),
            });
        }
    };
    object.remove(kind);
    Ok(content)
}

/// A v1 status (`id` and `status`) or incoming message (`from`); anything
/// else is [`Event::Unknown`].
fn v1_event(mut object: Map<String, Value>) -> Result<Event, InboundError> {
    if object.contains_key("status")
        && (object.contains_key("id") || object.contains_key("message_id"))
    {
        let references = References {
            reference: take_text(&mut object, "ref"),
            reference1: take_text(&mut object, "ref1"),
            reference2: take_text(&mut object, "ref2"),
        };
        let message_id = match take_text(&mut object, "id") {
            Some(id) => id,
            None => required_text(&mut object, "message_id", "")?,
        };
        let status = DeliveryState::parse(&required_text(&mut object, "status", "")?);
        let code = take_text(&mut object, "error_code");
        let message = take_text(&mut object, "error").filter(|error| !error.is_empty());
        let error = (code.is_some() || message.is_some()).then_some(StatusError { code, message });
        return Ok(Event::Status(DeliveryStatus {
            api: ApiVersion::V1,
            message_id,
            status,
            recipient: take_text(&mut object, "mobile"),
            timestamp: take_text(&mut object, "timestamp"),
            error,
            references,
            price: take_text(&mut object, "price"),
            extra: object,
        }));
    }
    if object.contains_key("from") && (object.contains_key("body") || object.contains_key("type")) {
        let from = required_text(&mut object, "from", "")?;
        let kind = take_text(&mut object, "type").unwrap_or_else(|| "text".to_owned());
        let body = take_text(&mut object, "body");
        let content = match kind.as_str() {
            "text" => Content::Text {
                body: body.unwrap_or_default(),
            },
            // decision: Kaleyra's pages do not show a v1 button tap; these are the
            // field names the emulator uses, and any others stay in `extra`.
            "button" => Content::Button {
                text: body.unwrap_or_default(),
                payload: take_text(&mut object, "payload"),
            },
            "button_reply" | "interactive" => Content::ButtonReply {
                id: required_text(&mut object, "reply_id", "")?,
                title: body.unwrap_or_default(),
            },
            "image" | "video" | "document" | "audio" | "sticker" => Content::Media {
                kind: kind.clone(),
                id: None,
                url: take_text(&mut object, "media_url"),
                mime_type: take_text(&mut object, "mime_type"),
                caption: body,
                filename: take_text(&mut object, "filename"),
            },
            _ => {
                if let Some(body) = body {
                    object.insert("body".to_owned(), Value::String(body));
                }
                Content::Other { kind }
            }
        };
        return Ok(Event::Message(IncomingMessage {
            api: ApiVersion::V1,
            id: take_text(&mut object, "id"),
            from,
            name: take_text(&mut object, "name"),
            business_number: take_text(&mut object, "wanumber"),
            timestamp: take_text(&mut object, "created_at"),
            reply_to: take_text(&mut object, "reply_to"),
            content,
            extra: object,
        }));
    }
    Ok(Event::Unknown(Value::Object(object)))
}

fn template_status(mut object: Map<String, Value>) -> TemplateStatusUpdate {
    TemplateStatusUpdate {
        event: TemplateEvent::parse(&take_text(&mut object, "event").unwrap_or_default()),
        name: take_text(&mut object, "message_template_name"),
        language: take_text(&mut object, "message_template_language"),
        template_id: take_text(&mut object, "message_template_id"),
        reason: take_text(&mut object, "reason"),
        extra: object,
    }
}
