//! Location-header templates (Meta's `format: LOCATION`): read from Meta's
//! objects, the reference objects 006 and 037 among them, each message
//! giving the place.

use std::path::Path;

use kaleyra_definitions::{HeaderType, TemplateDefinition, TemplateKind};
use serde_json::json;

/// A reference object (Meta's documentation examples 006 and 037) as an
/// account lists it, saved with `"status": "APPROVED"` added.
fn approved(reference: &str) -> TemplateDefinition {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(reference)
        .join("order_delivery_update.en_US.json");
    TemplateDefinition::from_file(&path).unwrap_or_else(|error| panic!("{reference}: {error}"))
}

#[test]
fn the_reference_location_objects_read_as_media_templates_taking_a_place() {
    for file in ["reference-006", "reference-037"] {
        let definition = approved(file);
        assert!(definition.unsupported.is_empty(), "{file}");
        let header = definition.header.as_ref().unwrap();
        assert_eq!(header.kind, HeaderType::Location, "{file}");
        assert!(header.takes_value());
        assert!(!header.kind.is_media());
        assert_eq!(definition.kind, TemplateKind::MediaTemplate);
        assert_eq!(definition.param_count(), 2);
        assert_eq!(
            definition.texts().header,
            None,
            "a place has no text to fill"
        );
    }
}

#[test]
fn a_location_header_on_an_interactive_message_is_refused() {
    let file = json!({"name": "menu", "kind": "reply", "body": "Pick one",
        "header": {"type": "location"}, "buttons": [{"index": 0, "id": "a", "title": "A"}]});
    let error = TemplateDefinition::from_slice(file.to_string().as_bytes(), Path::new("menu.json"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "`header.type`: a `reply` message takes a text, image, video or document header"
        ),
        "{error}"
    );
    let plain =
        json!({"name": "t", "kind": "template", "body": "Hi", "header": {"type": "location"}});
    let error = TemplateDefinition::from_slice(plain.to_string().as_bytes(), Path::new("t.json"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a `template` has no `location` header; use kind `mediatemplate`"),
        "{error}"
    );
}
