//! Template updates: Kaleyra's callback profile JSON for a template's
//! status, and Meta's `message_template_status_update`,
//! `template_category_update`, `message_template_quality_update` and
//! `message_template_components_update` changes.

use serde_json::{Map, Value};

use super::event::{TemplateEvent, TemplateStatusUpdate};
use super::fields::{take_object, take_text};
use super::updates::{
    ButtonKind, QualityScore, RejectionInfo, StatusInfo, TemplateCategory, TemplateCategoryUpdate,
    TemplateComponentsUpdate, TemplateQualityUpdate, UpdatedButton,
};

/// Whether a callback's fields are a template status update: an `event`
/// and the template's name or id (profiles that call back with GET send the
/// id and no name).
pub(super) fn is_template_status(object: &Map<String, Value>) -> bool {
    object.contains_key("event")
        && (object.contains_key("message_template_name")
            || object.contains_key("message_template_id"))
}

/// The template an update names: its id, name and language.
struct Named {
    template_id: Option<String>,
    name: Option<String>,
    language: Option<String>,
}

fn named(object: &mut Map<String, Value>) -> Named {
    Named {
        template_id: take_text(object, "message_template_id"),
        name: take_text(object, "message_template_name"),
        language: take_text(object, "message_template_language"),
    }
}

/// The status update `object` reports; every field it does not model stays
/// in `extra`.
pub(super) fn template_status(mut object: Map<String, Value>) -> TemplateStatusUpdate {
    let Named {
        template_id,
        name,
        language,
    } = named(&mut object);
    TemplateStatusUpdate {
        event: TemplateEvent::parse(&take_text(&mut object, "event").unwrap_or_default()),
        name,
        language,
        template_id,
        reason: take_text(&mut object, "reason"),
        category: category(&mut object, "message_template_category"),
        rejection_info: take_object(&mut object, "rejection_info").map(|mut info| RejectionInfo {
            reason: take_text(&mut info, "reason"),
            recommendation: take_text(&mut info, "recommendation"),
            extra: info,
        }),
        other_info: take_object(&mut object, "other_info").map(|mut info| StatusInfo {
            title: take_text(&mut info, "title"),
            description: take_text(&mut info, "description"),
            extra: info,
        }),
        extra: object,
    }
}

fn category(object: &mut Map<String, Value>, key: &str) -> Option<TemplateCategory> {
    take_text(object, key).map(|text| TemplateCategory::parse(&text))
}

/// A `template_category_update` change's value.
pub(super) fn template_category(mut object: Map<String, Value>) -> TemplateCategoryUpdate {
    let Named {
        template_id,
        name,
        language,
    } = named(&mut object);
    TemplateCategoryUpdate {
        template_id,
        name,
        language,
        previous_category: category(&mut object, "previous_category"),
        new_category: category(&mut object, "new_category"),
        correct_category: category(&mut object, "correct_category"),
        extra: object,
    }
}

/// A `message_template_quality_update` change's value.
pub(super) fn template_quality(mut object: Map<String, Value>) -> TemplateQualityUpdate {
    let Named {
        template_id,
        name,
        language,
    } = named(&mut object);
    let score = |object: &mut Map<String, Value>, key: &str| {
        take_text(object, key).map(|text| QualityScore::parse(&text))
    };
    TemplateQualityUpdate {
        template_id,
        name,
        language,
        previous_quality_score: score(&mut object, "previous_quality_score"),
        new_quality_score: score(&mut object, "new_quality_score"),
        extra: object,
    }
}

/// A `message_template_components_update` change's value.
pub(super) fn template_components(mut object: Map<String, Value>) -> TemplateComponentsUpdate {
    let Named {
        template_id,
        name,
        language,
    } = named(&mut object);
    TemplateComponentsUpdate {
        template_id,
        name,
        language,
        header: take_text(&mut object, "message_template_title"),
        body: take_text(&mut object, "message_template_element"),
        footer: take_text(&mut object, "message_template_footer"),
        buttons: buttons(&mut object),
        extra: object,
    }
}

/// The `message_template_buttons`, typed, when every item is an object;
/// otherwise the list stays in `object` as sent and none are typed, so no
/// item is lost and none is read out of its place.
fn buttons(object: &mut Map<String, Value>) -> Vec<UpdatedButton> {
    const KEY: &str = "message_template_buttons";
    let all_objects = match object.get(KEY) {
        Some(Value::Array(items)) => items.iter().all(Value::is_object),
        _ => false,
    };
    if !all_objects {
        return Vec::new();
    }
    let Some(Value::Array(items)) = object.remove(KEY) else {
        return Vec::new();
    };
    items
        .into_iter()
        .filter_map(|item| match item {
            Value::Object(mut button) => Some(UpdatedButton {
                kind: take_text(&mut button, "message_template_button_type")
                    .map(|text| ButtonKind::parse(&text)),
                text: take_text(&mut button, "message_template_button_text"),
                url: take_text(&mut button, "message_template_button_url"),
                phone_number: take_text(&mut button, "message_template_button_phone_number"),
                extra: button,
            }),
            _ => None,
        })
        .collect()
}
