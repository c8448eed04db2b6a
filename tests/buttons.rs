//! The button enums `#[derive(Template)]` generates, and recognising a
//! customer's tap on each kind of button from a callback.

use kaleyra_examples::{ImtDynamicButton, ReplyButtonsSampleButton};
use kaleyra_runtime::callbacks::Event;
use serde_json::json;

fn v2_event(message: serde_json::Value) -> Event {
    let body = json!({"meta_object": {"field": "messages", "value": {"messages": [message]}}});
    Event::parse_json(body.to_string().as_bytes())
        .unwrap()
        .remove(0)
}

#[test]
fn a_template_gets_one_variant_per_quick_reply_button() {
    // imt_dynamic: quick reply "Confirm" at 0; its URL button (1) cannot be tapped back.
    assert_eq!(ImtDynamicButton::ALL, [ImtDynamicButton::Confirm]);
    assert_eq!(ImtDynamicButton::Confirm.index(), 0);
    assert_eq!(ImtDynamicButton::Confirm.text(), "Confirm");
    assert_eq!(ImtDynamicButton::Confirm.id(), None);
}

#[test]
fn a_reply_message_gets_one_variant_per_button_named_from_its_title() {
    assert_eq!(
        ReplyButtonsSampleButton::ALL,
        [
            ReplyButtonsSampleButton::FirstButtonTitle,
            ReplyButtonsSampleButton::SecondButtonTitle,
            ReplyButtonsSampleButton::ThirdButtonTitle
        ]
    );
    assert_eq!(ReplyButtonsSampleButton::SecondButtonTitle.id(), Some("2"));
    assert_eq!(ReplyButtonsSampleButton::ThirdButtonTitle.index(), 2);
}

#[test]
fn a_v2_quick_reply_tap_is_recognised_by_text_or_payload() {
    let by_text = v2_event(json!({"from": "919876543210", "type": "button",
        "button": {"text": "Confirm", "payload": "confirm-4711"}}));
    assert_eq!(
        ImtDynamicButton::from_event(&by_text),
        Some(ImtDynamicButton::Confirm)
    );
    let by_payload = v2_event(json!({"from": "919876543210", "type": "button",
        "button": {"text": "Bestätigen", "payload": "Confirm"}}));
    assert_eq!(
        ImtDynamicButton::from_event(&by_payload),
        Some(ImtDynamicButton::Confirm)
    );
    let other =
        v2_event(json!({"from": "919876543210", "type": "button", "button": {"text": "Cancel"}}));
    assert_eq!(ImtDynamicButton::from_event(&other), None);
}

#[test]
fn an_interactive_reply_is_recognised_by_id() {
    let tap = v2_event(json!({"from": "919876543210", "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "3", "title": "Third Button Title"}}}));
    assert_eq!(
        ReplyButtonsSampleButton::from_event(&tap),
        Some(ReplyButtonsSampleButton::ThirdButtonTitle)
    );
    let unknown_id = v2_event(json!({"from": "919876543210", "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "9", "title": "Third Button Title"}}}));
    assert_eq!(
        ReplyButtonsSampleButton::from_event(&unknown_id),
        None,
        "an id decides, not a title"
    );
}

#[test]
fn a_v1_tap_is_recognised_too() {
    let tap = Event::parse_form("from=919876543210&type=button&body=Confirm&payload=confirm-4711")
        .unwrap()
        .remove(0);
    assert_eq!(
        ImtDynamicButton::from_event(&tap),
        Some(ImtDynamicButton::Confirm)
    );
    let reply =
        Event::parse_form("from=919876543210&type=button_reply&reply_id=1&body=First+Button+Title")
            .unwrap()
            .remove(0);
    assert_eq!(
        ReplyButtonsSampleButton::from_event(&reply),
        Some(ReplyButtonsSampleButton::FirstButtonTitle)
    );
}

#[test]
fn events_that_are_not_taps_are_not_buttons() {
    let text =
        v2_event(json!({"from": "919876543210", "type": "text", "text": {"body": "Confirm"}}));
    assert_eq!(ImtDynamicButton::from_event(&text), None);
}
