//! Kaleyra v2 webhooks: Meta's `{"field", "value"}` change, in Kaleyra's
//! `meta_object` envelope or Meta's own `entry[].changes[]`.
//!
//! Each function takes the JSON it reads by value and moves parts out of it:
//! a status or message becomes its event without its tree being copied.

use serde_json::{Map, Value};

use super::error::InboundError;
use super::event::{
    Content, DeliveryState, DeliveryStatus, Event, IncomingMessage, References, Sender, StatusError,
};
use super::fields::{join, not_an_object, required_text, take_text};
use super::phone_number::phone_number_quality;
use super::template::{template_category, template_components, template_quality, template_status};
use crate::api::ApiVersion;

/// Meta's own webhook envelope: `{"object", "entry": [{"changes": [{"field", "value"}]}]}`.
pub(super) fn meta_envelope(mut object: Map<String, Value>) -> Result<Vec<Event>, InboundError> {
    let has_changes = object
        .get("entry")
        .and_then(Value::as_array)
        .is_some_and(|entries| entries.iter().any(|entry| !changes_of(entry).is_empty()));
    if !has_changes {
        return Ok(vec![Event::Unknown(Value::Object(object))]);
    }
    let Some(Value::Array(entries)) = object.remove("entry") else {
        return Ok(vec![Event::Unknown(Value::Object(object))]);
    };
    let mut events = Vec::new();
    for (e, entry) in entries.into_iter().enumerate() {
        let Value::Object(mut entry) = entry else {
            continue;
        };
        let Some(Value::Array(changes)) = entry.remove("changes") else {
            continue;
        };
        // The entry's own fields (the account's `id`, the `time` it was
        // sent) go with each of its events, as `entry`.
        let entry = Value::Object(entry);
        for (c, one) in changes.into_iter().enumerate() {
            let mut read = change(one, None, &format!("entry[{e}].changes[{c}]"))?;
            for event in &mut read {
                keep_beside(event, "entry", &entry);
            }
            events.extend(read);
        }
    }
    Ok(events)
}

fn changes_of(entry: &Value) -> &[Value] {
    entry
        .get("changes")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The kinds of change this module reads, by their `field`.
#[derive(Clone, Copy)]
enum Field {
    Messages,
    TemplateStatus,
    TemplateCategory,
    TemplateQuality,
    TemplateComponents,
    PhoneNumberQuality,
}

impl Field {
    fn of(field: &str) -> Option<Field> {
        Some(match field {
            "messages" => Field::Messages,
            "message_template_status_update" => Field::TemplateStatus,
            "template_category_update" => Field::TemplateCategory,
            "message_template_quality_update" => Field::TemplateQuality,
            "message_template_components_update" => Field::TemplateComponents,
            "phone_number_quality_update" => Field::PhoneNumberQuality,
            _ => return None,
        })
    }
}

/// One `{"field", "value"}` change, with Kaleyra's `extra_info` when it came
/// in Kaleyra's envelope. Never empty: a change it cannot read is one
/// [`Event::Unknown`].
pub(super) fn change(
    change: Value,
    extra_info: Option<Value>,
    path: &str,
) -> Result<Vec<Event>, InboundError> {
    let field = change
        .get("field")
        .and_then(Value::as_str)
        .and_then(Field::of);
    let known = match (field, change.get("value").and_then(Value::as_object)) {
        (Some(Field::Messages), Some(value)) => {
            !items(value, "statuses").is_empty() || !items(value, "messages").is_empty()
        }
        (Some(_), Some(_)) => true,
        _ => false,
    };
    let (Some(field), true) = (field, known) else {
        return Ok(vec![Event::Unknown(as_sent(change, extra_info))]);
    };
    let Value::Object(mut change) = change else {
        return Ok(vec![Event::Unknown(as_sent(change, extra_info))]);
    };
    let Some(Value::Object(value)) = change.remove("value") else {
        return Ok(vec![Event::Unknown(as_sent(
            Value::Object(change),
            extra_info,
        ))]);
    };
    let event = match field {
        Field::Messages => {
            return messages(value, extra_info.as_ref(), &format!("{path}.value"));
        }
        Field::TemplateStatus => Event::TemplateStatus(template_status(value)),
        Field::TemplateCategory => Event::TemplateCategory(template_category(value)),
        Field::TemplateQuality => Event::TemplateQuality(template_quality(value)),
        Field::TemplateComponents => Event::TemplateComponents(template_components(value)),
        Field::PhoneNumberQuality => Event::PhoneNumberQuality(phone_number_quality(value)),
    };
    Ok(vec![event])
}

/// Puts `value` in `event`'s `extra` under `key`, unless the event has no
/// `extra` or already holds that key (what the event itself sent wins).
fn keep_beside(event: &mut Event, key: &str, value: &Value) {
    if let Some(extra) = event.extra_mut() {
        extra.entry(key.to_owned()).or_insert_with(|| value.clone());
    }
}

/// The `value` of a `messages` change: statuses first, then messages. What
/// the value holds beside them (`messaging_product`, `metadata`,
/// `contacts`...) goes with each event, in its `extra`.
fn messages(
    mut value: Map<String, Value>,
    extra_info: Option<&Value>,
    path: &str,
) -> Result<Vec<Event>, InboundError> {
    let references = extra_info.map(references_from).unwrap_or_default();
    let statuses = take_items(&mut value, "statuses");
    let incoming = take_items(&mut value, "messages");
    let mut events = Vec::with_capacity(statuses.len() + incoming.len());
    for (i, one) in statuses.into_iter().enumerate() {
        events.push(Event::Status(status(
            one,
            &references,
            &format!("{path}.statuses[{i}]"),
        )?));
    }
    let business_number = value
        .get("metadata")
        .and_then(|metadata| metadata.get("display_phone_number"))
        .and_then(Value::as_str);
    let contacts = items(&value, "contacts");
    // Errors Meta sends beside the messages, not in them: about those messages.
    let beside = items(&value, "errors");
    for (i, one) in incoming.into_iter().enumerate() {
        events.push(Event::Message(message(
            one,
            contacts,
            beside,
            business_number,
            &format!("{path}.messages[{i}]"),
        )?));
    }
    for event in &mut events {
        for (key, field) in &value {
            keep_beside(event, key, field);
        }
    }
    Ok(events)
}

/// The payload as Kaleyra sent it, for [`Event::Unknown`].
fn as_sent(change: Value, extra_info: Option<Value>) -> Value {
    let mut object = Map::new();
    object.insert("meta_object".to_owned(), change);
    if let Some(extra_info) = extra_info {
        object.insert("extra_info".to_owned(), extra_info);
    }
    Value::Object(object)
}

/// The list under `key`, or none when it is missing or not a list.
fn items<'a>(object: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    object
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// [`items`], moved out of `object`.
fn take_items(object: &mut Map<String, Value>, key: &str) -> Vec<Value> {
    match object.remove(key) {
        Some(Value::Array(items)) => items,
        Some(other) => {
            object.insert(key.to_owned(), other);
            Vec::new()
        }
        None => Vec::new(),
    }
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

fn status(
    value: Value,
    references: &References,
    path: &str,
) -> Result<DeliveryStatus, InboundError> {
    let Value::Object(mut object) = value else {
        return Err(not_an_object(path));
    };
    let message_id = required_text(&mut object, "id", path)?;
    let status = DeliveryState::parse(&required_text(&mut object, "status", path)?);
    // The errors stay in `extra` as sent; the first is summarised.
    let error = errors_of(&object).into_iter().next();
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

/// Meta's `errors` list in `object` (code, title, message, details), typed;
/// the list itself is left where it is.
fn errors_of(object: &Map<String, Value>) -> Vec<StatusError> {
    items(object, "errors").iter().map(meta_error).collect()
}

/// One of Meta's errors: `code` (numbers written out), `message` (else
/// `title`), `title` and `error_data.details`.
fn meta_error(error: &Value) -> StatusError {
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
    StatusError {
        code: error.get("code").map(|code| {
            code.as_str()
                .map_or_else(|| code.to_string(), str::to_owned)
        }),
        message: text(error.get("message")).or_else(|| text(error.get("title"))),
        title: text(error.get("title")),
        details: text(error.get("error_data").and_then(|data| data.get("details"))),
    }
}

fn message(
    value: Value,
    contacts: &[Value],
    errors_beside: &[Value],
    business_number: Option<&str>,
    path: &str,
) -> Result<IncomingMessage, InboundError> {
    let Value::Object(mut object) = value else {
        return Err(not_an_object(path));
    };
    // A customer with a username may come with a business-scoped user id
    // and no number.
    let phone = take_text(&mut object, "from");
    let from_user_id = take_text(&mut object, "from_user_id");
    let sender = match (phone, &from_user_id) {
        (Some(phone), _) => Sender::PhoneNumber(phone),
        (None, Some(user_id)) => Sender::UserId(user_id.clone()),
        (None, None) => {
            return Err(InboundError::Malformed {
                path: join(path, "from"),
                reason:
                    "is missing or not text, and so is `from_user_id`: the message has no sender"
                        .to_owned(),
            });
        }
    };
    let kind = take_text(&mut object, "type").unwrap_or_else(|| "text".to_owned());
    let reply_to = object
        .get("context")
        .and_then(|context| context.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let is_sender = |contact: &&Value| {
        let field = |key: &str| contact.get(key).and_then(Value::as_str);
        match &sender {
            Sender::PhoneNumber(phone) => field("wa_id") == Some(phone.as_str()),
            Sender::UserId(user_id) => field("user_id") == Some(user_id.as_str()),
        }
    };
    let contact = contacts.iter().find(is_sender).or_else(|| contacts.first());
    let name = contact
        .and_then(|contact| contact.get("profile")?.get("name")?.as_str())
        .map(str::to_owned);
    let user_id = from_user_id.or_else(|| {
        contact
            .and_then(|contact| contact.get("user_id")?.as_str())
            .map(str::to_owned)
    });
    let mut errors = errors_of(&object);
    if errors.is_empty() && !errors_beside.is_empty() {
        errors = errors_beside.iter().map(meta_error).collect();
        // Kept as sent, as a message's own errors are.
        object.insert("errors".to_owned(), Value::Array(errors_beside.to_vec()));
    }
    let content = content(&kind, &mut object, !errors.is_empty(), path)?;
    Ok(IncomingMessage {
        api: ApiVersion::V2,
        id: take_text(&mut object, "id"),
        from: sender.as_str().to_owned(),
        sender,
        user_id,
        group_id: take_text(&mut object, "group_id"),
        errors,
        name,
        business_number: business_number.map(str::to_owned),
        timestamp: take_text(&mut object, "timestamp"),
        reply_to,
        content,
        extra: object,
    })
}

/// The part of a v2 message named by its type. A part this module models is
/// taken out of `object`; any other stays there, as sent. A message that
/// `has_errors` may come without its part: Meta withheld it and says why.
fn content(
    kind: &str,
    object: &mut Map<String, Value>,
    has_errors: bool,
    path: &str,
) -> Result<Content, InboundError> {
    let part_path = join(path, kind);
    let part = match object.get(kind) {
        Some(Value::Object(part)) => part,
        None if has_errors => return Ok(other(kind)),
        _ if matches!(
            kind,
            "text" | "button" | "interactive" | "location" | "reaction"
        ) =>
        {
            return Err(InboundError::Malformed {
                path: part_path,
                reason: "is missing or not an object".to_owned(),
            });
        }
        _ => return Ok(other(kind)),
    };
    // Decided on the borrowed part, so an unmodelled one is left untouched.
    let reply_kind = match kind {
        "text" | "button" | "location" | "reaction" | "image" | "video" | "document" | "audio"
        | "sticker" => None,
        "interactive" => {
            let reply_kind = interactive_kind(part);
            let modelled = matches!(reply_kind.as_str(), "button_reply" | "list_reply")
                && part.get(&reply_kind).is_some_and(Value::is_object);
            if !modelled {
                return Ok(other(&format!("interactive.{reply_kind}")));
            }
            Some(reply_kind)
        }
        _ => return Ok(other(kind)),
    };
    let Some(Value::Object(mut part)) = object.remove(kind) else {
        return Ok(other(kind));
    };
    let content = match (kind, reply_kind) {
        ("text", _) => Content::Text {
            body: required_text(&mut part, "body", &part_path)?,
        },
        ("button", _) => Content::Button {
            text: required_text(&mut part, "text", &part_path)?,
            payload: take_text(&mut part, "payload"),
        },
        ("reaction", _) => Content::Reaction {
            message_id: required_text(&mut part, "message_id", &part_path)?,
            // Meta leaves `emoji` out when a reaction is taken back.
            emoji: take_text(&mut part, "emoji").unwrap_or_default(),
        },
        ("interactive", Some(reply_kind)) => {
            let reply_path = join(&part_path, &reply_kind);
            let Some(Value::Object(mut reply)) = part.remove(&reply_kind) else {
                return Err(not_an_object(&reply_path));
            };
            if reply_kind == "button_reply" {
                Content::ButtonReply {
                    id: required_text(&mut reply, "id", &reply_path)?,
                    title: required_text(&mut reply, "title", &reply_path)?,
                }
            } else {
                Content::ListReply {
                    id: required_text(&mut reply, "id", &reply_path)?,
                    title: required_text(&mut reply, "title", &reply_path)?,
                    description: take_text(&mut reply, "description"),
                }
            }
        }
        ("location", _) => {
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
        _ => Content::Media {
            kind: kind.to_owned(),
            id: take_text(&mut part, "id"),
            url: take_text(&mut part, "link").or_else(|| take_text(&mut part, "url")),
            mime_type: take_text(&mut part, "mime_type"),
            caption: take_text(&mut part, "caption"),
            filename: take_text(&mut part, "filename"),
        },
    };
    Ok(content)
}

/// An interactive part's `type`, as text (numbers written out), or empty.
fn interactive_kind(part: &Map<String, Value>) -> String {
    match part.get("type") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}

fn other(kind: &str) -> Content {
    Content::Other {
        kind: kind.to_owned(),
    }
}
