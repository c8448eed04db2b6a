//! Kaleyra v1 callbacks: a delivery status or an incoming message, as form
//! fields, a query string or a flat JSON object.

use serde_json::{Map, Value};

use super::error::InboundError;
use super::event::{
    Content, DeliveryState, DeliveryStatus, Event, IncomingMessage, References, Sender, StatusError,
};
use super::fields::{required_text, take_text};
use crate::api::ApiVersion;

/// A v1 callback sent as a form body or query string: one event.
pub(super) fn parse_form(encoded: &str) -> Result<Vec<Event>, InboundError> {
    let object: Map<String, Value> = form_urlencoded::parse(encoded.as_bytes())
        .into_owned()
        .map(|(key, value)| (key, Value::String(value)))
        .collect();
    if object.is_empty() {
        return Err(InboundError::Empty);
    }
    Ok(vec![event(object)?])
}

/// A v1 status (`id` and `status`), incoming message (`from`) or template
/// status update (`event`); anything else is [`Event::Unknown`].
pub(super) fn event(mut object: Map<String, Value>) -> Result<Event, InboundError> {
    if super::template::is_template_status(&object) {
        return Ok(Event::TemplateStatus(super::template::template_status(
            object,
        )));
    }
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
        // v1 profiles send no title or details: the known code's title is
        // `StatusError::title`'s.
        let error = (code.is_some() || message.is_some()).then_some(StatusError {
            code,
            message,
            title: None,
            details: None,
        });
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
            sender: Sender::PhoneNumber(from.clone()),
            from,
            user_id: None,
            group_id: None,
            errors: Vec::new(),
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
