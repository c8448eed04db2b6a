//! Kaleyra v2 webhooks: Meta's `{"field", "value"}` change, in Kaleyra's
//! `meta_object` envelope or Meta's own `entry[].changes[]`.
//!
//! Each function takes the JSON it reads by value and moves parts out of it:
//! a status or message becomes its event without its tree being copied.

use serde_json::{Map, Value};

use super::error::InboundError;
use super::event::{
    Content, DeliveryState, DeliveryStatus, Event, IncomingMessage, References, StatusError,
};
use super::fields::{join, not_an_object, required_text, take_text};
use super::template::template_status;
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
        for (c, one) in changes.into_iter().enumerate() {
            events.extend(change(one, None, &format!("entry[{e}].changes[{c}]"))?);
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

/// One `{"field", "value"}` change, with Kaleyra's `extra_info` when it came
/// in Kaleyra's envelope. Never empty: a change it cannot read is one
/// [`Event::Unknown`].
pub(super) fn change(
    change: Value,
    extra_info: Option<Value>,
    path: &str,
) -> Result<Vec<Event>, InboundError> {
    let field = change.get("field").and_then(Value::as_str);
    let value = change.get("value").and_then(Value::as_object);
    let known = match (field, value) {
        (Some("messages"), Some(value)) => {
            !items(value, "statuses").is_empty() || !items(value, "messages").is_empty()
        }
        (Some("message_template_status_update"), Some(_)) => true,
        _ => false,
    };
    if !known {
        return Ok(vec![Event::Unknown(as_sent(change, extra_info))]);
    }
    let Value::Object(mut change) = change else {
        return Ok(vec![Event::Unknown(as_sent(change, extra_info))]);
    };
    let is_messages = change.get("field").and_then(Value::as_str) == Some("messages");
    let Some(Value::Object(value)) = change.remove("value") else {
        return Ok(vec![Event::Unknown(as_sent(
            Value::Object(change),
            extra_info,
        ))]);
    };
    if is_messages {
        messages(value, extra_info.as_ref(), &format!("{path}.value"))
    } else {
        Ok(vec![Event::TemplateStatus(template_status(value))])
    }
}

/// The `value` of a `messages` change: statuses first, then messages.
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
    for (i, one) in incoming.into_iter().enumerate() {
        events.push(Event::Message(message(
            one,
            contacts,
            business_number,
            &format!("{path}.messages[{i}]"),
        )?));
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
    let error = object
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|errors| errors.first())
        .map(|first| StatusError {
            code: first.get("code").map(|code| {
                code.as_str()
                    .map_or_else(|| code.to_string(), str::to_owned)
            }),
            message: ["message", "title"]
                .iter()
                .find_map(|key| first.get(*key).and_then(Value::as_str))
                .map(str::to_owned),
            title: first
                .get("title")
                .and_then(Value::as_str)
                .map(str::to_owned),
            details: first
                .get("error_data")
                .and_then(|data| data.get("details"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        });
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

fn message(
    value: Value,
    contacts: &[Value],
    business_number: Option<&str>,
    path: &str,
) -> Result<IncomingMessage, InboundError> {
    let Value::Object(mut object) = value else {
        return Err(not_an_object(path));
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
    let content = content(&kind, &mut object, path)?;
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

/// The part of a v2 message named by its type. A part this module models is
/// taken out of `object`; any other stays there, as sent.
fn content(
    kind: &str,
    object: &mut Map<String, Value>,
    path: &str,
) -> Result<Content, InboundError> {
    let part_path = join(path, kind);
    let part = match object.get(kind) {
        Some(Value::Object(part)) => part,
        _ if matches!(kind, "text" | "button" | "interactive" | "location") => {
            return Err(InboundError::Malformed {
                path: part_path,
                reason: "is missing or not an object".to_owned(),
            });
        }
        _ => return Ok(other(kind)),
    };
    // Decided on the borrowed part, so an unmodelled one is left untouched.
    let reply_kind = match kind {
        "text" | "button" | "location" | "image" | "video" | "document" | "audio" | "sticker" => {
            None
        }
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
