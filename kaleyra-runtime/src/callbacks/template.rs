//! Template status updates: Kaleyra's callback profile JSON, and the same
//! fields in Meta's `message_template_status_update` change.

use serde_json::{Map, Value};

use super::event::{TemplateEvent, TemplateStatusUpdate};
use super::fields::take_text;

/// Whether a callback's fields are a template status update: an `event`
/// and the template's name or id (profiles that call back with GET send the
/// id and no name).
pub(super) fn is_template_status(object: &Map<String, Value>) -> bool {
    object.contains_key("event")
        && (object.contains_key("message_template_name")
            || object.contains_key("message_template_id"))
}

/// The update `object` reports; every field it does not model stays in `extra`.
pub(super) fn template_status(mut object: Map<String, Value>) -> TemplateStatusUpdate {
    TemplateStatusUpdate {
        event: TemplateEvent::parse(&take_text(&mut object, "event").unwrap_or_default()),
        name: take_text(&mut object, "message_template_name"),
        language: take_text(&mut object, "message_template_language"),
        template_id: take_text(&mut object, "message_template_id"),
        reason: take_text(&mut object, "reason"),
        extra: object,
    }
}
