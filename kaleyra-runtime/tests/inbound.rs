//! Every callback shape Kaleyra documents (v1 statuses and
//! incoming messages, v2 `meta_object` webhooks in Meta's shape, template
//! status updates, the account's template and phone-number events) parses
//! to its typed event; unknown fields and kinds are kept; malformed
//! payloads get an error that says where.

use kaleyra_runtime::ApiVersion;
use kaleyra_runtime::callbacks::{
    ButtonKind, Content, DeliveryState, DeliveryStatus, Event, InboundError, IncomingMessage,
    MessagingLimit, PhoneNumberEvent, QualityScore, Sender, TemplateCategory, TemplateEvent,
};
use kaleyra_runtime::definitions::{ButtonType, Category};
use kaleyra_test_support::strategies::{json_leaf, json_tree};
use serde_json::{Value, json};

fn one(events: Result<Vec<Event>, InboundError>) -> Event {
    let mut events = events.unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}

fn v2_webhook(value: Value) -> Vec<u8> {
    json!({"meta_object": {"field": "messages", "value": value}, "extra_info": {"ref": "order-4711", "ref2": "x"}})
        .to_string()
        .into_bytes()
}

fn v2_message(message: Value) -> Event {
    one(Event::parse_json(&v2_webhook(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "912025550101", "phone_number_id": "1234"},
        "contacts": [{"profile": {"name": "Ada"}, "wa_id": "919876543210"}],
        "messages": [message]
    }))))
}

#[test]
fn v1_status_from_a_query_string_a_form_body_and_json() {
    let query = "id=abc%3A0&status=delivered&mobile=919876543210&timestamp=1700000000&ref=order-4711&price=0.12&custom_response=kept";
    let from_query = one(Event::parse_request(None, Some(query), b""));
    let from_form = one(Event::parse_request(
        Some("application/x-www-form-urlencoded"),
        None,
        query.as_bytes(),
    ));
    let json = json!({"id": "abc:0", "status": "delivered", "mobile": "919876543210", "timestamp": 1700000000,
                      "ref": "order-4711", "price": "0.12", "custom_response": "kept"});
    let from_json = one(Event::parse_request(
        Some("application/json"),
        None,
        json.to_string().as_bytes(),
    ));
    for event in [&from_query, &from_form, &from_json] {
        let Event::Status(status) = event else {
            panic!("{event:?}")
        };
        assert_eq!(status.api, ApiVersion::V1);
        assert_eq!(status.message_id, "abc:0");
        assert_eq!(status.status, DeliveryState::Delivered);
        assert_eq!(status.recipient.as_deref(), Some("919876543210"));
        assert_eq!(status.timestamp.as_deref(), Some("1700000000"));
        assert_eq!(status.references.reference.as_deref(), Some("order-4711"));
        assert_eq!(status.price.as_deref(), Some("0.12"));
        assert_eq!(
            status.extra["custom_response"], "kept",
            "unknown fields are kept"
        );
        assert!(status.error.is_none());
    }
}

#[test]
fn v1_statuses_each_parse() {
    for (text, state) in [
        ("sent", DeliveryState::Sent),
        ("delivered", DeliveryState::Delivered),
        ("read", DeliveryState::Read),
        ("failed", DeliveryState::Failed),
        ("not-sent", DeliveryState::NotSent),
        ("queued", DeliveryState::Other("queued".into())),
    ] {
        let Event::Status(status) = one(Event::parse_form(&format!("id=m1&status={text}"))) else {
            panic!()
        };
        assert_eq!(status.status, state);
    }
    let failed = one(Event::parse_form(
        "id=m1&status=failed&error=Number+not+on+WhatsApp&error_code=1013",
    ));
    let Event::Status(status) = failed else {
        panic!()
    };
    let error = status.error.unwrap();
    assert_eq!(error.code.as_deref(), Some("1013"));
    assert_eq!(error.message.as_deref(), Some("Number not on WhatsApp"));
}

#[test]
fn v1_incoming_messages() {
    let text = one(Event::parse_form(
        "from=919876543210&name=Ada&body=Hello&type=text&created_at=1700000000&wanumber=912025550100&reply_to=abc%3A0",
    ));
    let Event::Message(message) = text else {
        panic!()
    };
    assert_eq!(message.api, ApiVersion::V1);
    assert_eq!(message.from, "919876543210");
    assert_eq!(message.name.as_deref(), Some("Ada"));
    assert_eq!(message.business_number.as_deref(), Some("912025550100"));
    assert_eq!(message.timestamp.as_deref(), Some("1700000000"));
    assert_eq!(message.reply_to.as_deref(), Some("abc:0"));
    assert_eq!(
        message.content,
        Content::Text {
            body: "Hello".into()
        }
    );

    let image = one(Event::parse_form(
        "from=919876543210&type=image&mime_type=image%2Fjpeg&media_url=https%3A%2F%2Fx.test%2Fa.jpg&body=look",
    ));
    let Event::Message(message) = image else {
        panic!()
    };
    assert_eq!(
        message.content,
        Content::Media {
            kind: "image".into(),
            id: None,
            url: Some("https://x.test/a.jpg".into()),
            mime_type: Some("image/jpeg".into()),
            caption: Some("look".into()),
            filename: None,
        }
    );

    let tap = one(Event::parse_form(
        "from=919876543210&type=button&body=Confirm&payload=confirm-4711&reply_to=abc%3A0",
    ));
    let tap = tap.button_tap().unwrap();
    assert_eq!(
        (tap.text, tap.payload, tap.reply_to),
        ("Confirm", Some("confirm-4711"), Some("abc:0"))
    );

    let reply = one(Event::parse_form(
        "from=919876543210&type=button_reply&reply_id=track&body=Track+order",
    ));
    let reply = reply.button_tap().unwrap();
    assert_eq!((reply.text, reply.id), ("Track order", Some("track")));
}

#[test]
fn an_unknown_v1_message_type_keeps_its_fields() {
    let Event::Message(message) = one(Event::parse_form(
        "from=919876543210&type=contacts&body=x&vcard=BEGIN",
    )) else {
        panic!()
    };
    assert_eq!(
        message.content,
        Content::Other {
            kind: "contacts".into()
        }
    );
    assert_eq!(message.extra["vcard"], "BEGIN");
    assert_eq!(message.extra["body"], "x");
}

#[test]
fn v2_statuses_with_references_and_errors() {
    let events = Event::parse_json(&v2_webhook(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "912025550101"},
        "statuses": [
            {"id": "wamid.A", "status": "sent", "timestamp": "1700000000", "recipient_id": "919876543210",
             "conversation": {"id": "c1"}, "pricing": {"billable": true}},
            {"id": "wamid.B", "status": "failed", "timestamp": "1700000001", "recipient_id": "919876543211",
             "errors": [{"code": 131026, "title": "Message undeliverable"}]}
        ]
    })))
    .unwrap();
    assert_eq!(events.len(), 2);
    let Event::Status(sent) = &events[0] else {
        panic!()
    };
    assert_eq!(sent.api, ApiVersion::V2);
    assert_eq!(sent.message_id, "wamid.A");
    assert_eq!(sent.status, DeliveryState::Sent);
    assert_eq!(sent.recipient.as_deref(), Some("919876543210"));
    assert_eq!(sent.references.reference.as_deref(), Some("order-4711"));
    assert_eq!(sent.references.reference2.as_deref(), Some("x"));
    assert_eq!(
        sent.extra["pricing"]["billable"], true,
        "unknown fields are kept"
    );
    let Event::Status(failed) = &events[1] else {
        panic!()
    };
    let error = failed.error.as_ref().unwrap();
    assert_eq!(error.code.as_deref(), Some("131026"));
    assert_eq!(error.message.as_deref(), Some("Message undeliverable"));
}

/// Meta's failed status, as its webhook documentation shows one: code,
/// title, message and `error_data.details`, here with each code Meta's table
/// lists and one it does not.
fn meta_failed_status(code: u64, title: &str) -> Vec<u8> {
    v2_webhook(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "972123456789", "phone_number_id": "1122334455667"},
        "statuses": [{
            "id": "wamid.xyzxyz", "status": "failed", "timestamp": "1689380458",
            "recipient_id": "972987654321",
            "errors": [{
                "code": code, "title": title, "message": title,
                "error_data": {"details": format!("Failed to send message: {title}")},
                "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
            }]
        }]
    }))
}

#[test]
fn a_failed_status_carries_metas_code_title_and_details_typed() {
    use kaleyra_runtime::definitions::failures::{FAILURE_CODES, FailureAction};
    for row in &FAILURE_CODES {
        let code: u64 = row.code.parse().unwrap();
        let Event::Status(status) = one(Event::parse_json(&meta_failed_status(code, row.title)))
        else {
            panic!("{}: not a status", row.code)
        };
        assert_eq!(status.status, DeliveryState::Failed);
        let error = status.error.expect("the error is kept");
        assert_eq!(error.code.as_deref(), Some(row.code));
        assert_eq!(error.title.as_deref(), Some(row.title));
        assert_eq!(
            error.details.as_deref(),
            Some(format!("Failed to send message: {}", row.title).as_str())
        );
        assert_eq!(error.meta(), Some(row));
    }
    let Event::Status(paused) = one(Event::parse_json(&meta_failed_status(
        132015,
        "Template is Paused",
    ))) else {
        panic!()
    };
    assert!(matches!(
        paused.error.unwrap().meta().unwrap().action,
        FailureAction::StopCampaign(_)
    ));

    // A code Meta's table here does not list is kept as sent, with its title.
    let Event::Status(unknown) = one(Event::parse_json(&meta_failed_status(
        130472,
        "User's number is part of an experiment",
    ))) else {
        panic!()
    };
    let error = unknown.error.unwrap();
    assert_eq!(error.code.as_deref(), Some("130472"));
    assert_eq!(error.meta(), None);
    assert_eq!(
        error.title(),
        Some("User's number is part of an experiment")
    );
}

#[test]
fn a_v1_failed_status_with_a_known_code_gets_metas_title() {
    let Event::Status(status) = one(Event::parse_form(
        "id=m1&status=failed&error=paused&error_code=132015",
    )) else {
        panic!()
    };
    let error = status.error.unwrap();
    assert_eq!(error.title, None, "v1 sends no title");
    assert_eq!(error.title(), Some("Template is Paused"));
}

#[test]
fn v2_text_message() {
    let Event::Message(message) = v2_message(json!({
        "from": "919876543210", "id": "wamid.T", "timestamp": "1700000000", "type": "text",
        "text": {"body": "Hello"}
    })) else {
        panic!()
    };
    assert_eq!(message.id.as_deref(), Some("wamid.T"));
    assert_eq!(message.name.as_deref(), Some("Ada"));
    assert_eq!(message.business_number.as_deref(), Some("912025550101"));
    assert_eq!(
        message.content,
        Content::Text {
            body: "Hello".into()
        }
    );
}

#[test]
fn v2_template_button_tap() {
    let event = v2_message(json!({
        "context": {"from": "912025550101", "id": "wamid.SENT"},
        "from": "919876543210", "id": "wamid.TAP", "timestamp": "1700000000", "type": "button",
        "button": {"text": "Confirm", "payload": "confirm-4711"}
    }));
    let tap = event.button_tap().unwrap();
    assert_eq!(tap.text, "Confirm");
    assert_eq!(tap.payload, Some("confirm-4711"));
    assert_eq!(tap.reply_to, Some("wamid.SENT"));
}

#[test]
fn v2_interactive_button_and_list_replies() {
    let button = v2_message(json!({
        "from": "919876543210", "id": "wamid.R", "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "track", "title": "Track order"}}
    }));
    let Event::Message(message) = &button else {
        panic!()
    };
    assert_eq!(
        message.content,
        Content::ButtonReply {
            id: "track".into(),
            title: "Track order".into()
        }
    );
    assert_eq!(button.button_tap().unwrap().id, Some("track"));

    let list = v2_message(json!({
        "from": "919876543210", "id": "wamid.L", "type": "interactive",
        "interactive": {"type": "list_reply", "list_reply": {"id": "row-2", "title": "Tuesday", "description": "9am to 5pm"}}
    }));
    let Event::Message(message) = &list else {
        panic!()
    };
    assert_eq!(
        message.content,
        Content::ListReply {
            id: "row-2".into(),
            title: "Tuesday".into(),
            description: Some("9am to 5pm".into())
        }
    );
    assert!(list.button_tap().is_none());
}

#[test]
fn v2_location_and_media() {
    let Event::Message(location) = v2_message(json!({
        "from": "919876543210", "id": "wamid.P", "type": "location",
        "location": {"latitude": 12.97, "longitude": 77.59, "name": "Office", "address": "MG Road"}
    })) else {
        panic!()
    };
    assert_eq!(
        location.content,
        Content::Location {
            latitude: 12.97,
            longitude: 77.59,
            name: Some("Office".into()),
            address: Some("MG Road".into())
        }
    );
    let Event::Message(document) = v2_message(json!({
        "from": "919876543210", "id": "wamid.D", "type": "document",
        "document": {"id": "media-1", "mime_type": "application/pdf", "filename": "ticket.pdf", "caption": "my ticket", "sha256": "abc"}
    })) else {
        panic!()
    };
    assert_eq!(
        document.content,
        Content::Media {
            kind: "document".into(),
            id: Some("media-1".into()),
            url: None,
            mime_type: Some("application/pdf".into()),
            caption: Some("my ticket".into()),
            filename: Some("ticket.pdf".into()),
        }
    );
}

#[test]
fn an_unknown_v2_message_type_keeps_its_part() {
    let Event::Message(message) = v2_message(json!({
        "from": "919876543210", "id": "wamid.X", "type": "hologram",
        "hologram": {"message_id": "wamid.SENT", "shape": "🔷"}
    })) else {
        panic!()
    };
    assert_eq!(
        message.content,
        Content::Other {
            kind: "hologram".into()
        }
    );
    assert_eq!(message.extra["hologram"]["shape"], "🔷");
}

#[test]
fn template_status_updates() {
    for (event, expected) in [
        ("APPROVED", TemplateEvent::Approved),
        ("REJECTED", TemplateEvent::Rejected),
        ("PAUSED", TemplateEvent::Paused),
        ("DISABLED", TemplateEvent::Disabled),
        ("FLAGGED", TemplateEvent::Flagged),
        ("Pending deletion", TemplateEvent::PendingDeletion),
        (
            "SOMETHING_NEW",
            TemplateEvent::Other("SOMETHING_NEW".into()),
        ),
    ] {
        let body = json!({"meta_object": {"field": "message_template_status_update", "value": {
            "event": event, "message_template_id": 594425479261596u64, "message_template_name": "imt_dynamic",
            "message_template_language": "en", "reason": "INCORRECT_CATEGORY", "other_info": {"title": "x"}
        }}});
        let Event::TemplateStatus(update) = one(Event::parse_json(body.to_string().as_bytes()))
        else {
            panic!()
        };
        assert_eq!(update.event, expected);
        assert_eq!(
            update.event.as_str(),
            event.replace(' ', "_").to_uppercase()
        );
        assert_eq!(update.name.as_deref(), Some("imt_dynamic"));
        assert_eq!(update.language.as_deref(), Some("en"));
        assert_eq!(update.template_id.as_deref(), Some("594425479261596"));
        assert_eq!(update.reason.as_deref(), Some("INCORRECT_CATEGORY"));
        assert_eq!(update.other_info.unwrap().title.as_deref(), Some("x"));
        assert!(update.extra.is_empty(), "{:?}", update.extra);
    }
}

#[test]
fn a_template_event_names_the_status_it_leaves_when_it_names_one() {
    use kaleyra_runtime::definitions::TemplateStatus;
    for (event, status) in [
        (TemplateEvent::Approved, Some(TemplateStatus::Approved)),
        (TemplateEvent::Rejected, Some(TemplateStatus::Rejected)),
        (TemplateEvent::Pending, Some(TemplateStatus::Pending)),
        (TemplateEvent::Paused, Some(TemplateStatus::Paused)),
        (TemplateEvent::Disabled, Some(TemplateStatus::Disabled)),
        (TemplateEvent::InAppeal, Some(TemplateStatus::InAppeal)),
        (TemplateEvent::Deleted, Some(TemplateStatus::Deleted)),
        (
            TemplateEvent::PendingDeletion,
            Some(TemplateStatus::PendingDeletion),
        ),
        (
            TemplateEvent::LimitExceeded,
            Some(TemplateStatus::LimitExceeded),
        ),
        (TemplateEvent::Flagged, None),
        (TemplateEvent::Reinstated, None),
        (TemplateEvent::Locked, None),
        (TemplateEvent::Unlocked, None),
        (TemplateEvent::Archived, None),
        (TemplateEvent::Unarchived, None),
        (TemplateEvent::Other("NEW".into()), None),
    ] {
        assert_eq!(event.status(), status, "{event:?}");
    }
}

#[test]
fn meta_s_own_envelope_is_read_too() {
    let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"statuses": [{"id": "wamid.A", "status": "read", "recipient_id": "919876543210"}]}},
        {"field": "messages", "value": {"messages": [{"from": "919876543210", "type": "text", "text": {"body": "hi"}}]}}
    ]}]});
    let events = Event::parse_json(body.to_string().as_bytes()).unwrap();
    assert!(matches!(&events[0], Event::Status(status) if status.status == DeliveryState::Read));
    assert!(
        matches!(&events[1], Event::Message(message) if message.content == Content::Text { body: "hi".into() })
    );
}

#[test]
fn unknown_kinds_are_events_with_the_raw_json_not_errors() {
    let account = json!({"meta_object": {"field": "account_update", "value": {"event": "VERIFIED"}}, "extra_info": {"ref": "r"}});
    assert_eq!(
        one(Event::parse_json(account.to_string().as_bytes())),
        Event::Unknown(account)
    );
    let other = json!({"something": "else"});
    assert_eq!(
        one(Event::parse_json(other.to_string().as_bytes())),
        Event::Unknown(other)
    );
}

#[test]
fn json_that_is_not_an_object_is_refused_not_handed_on_as_unknown() {
    for (body, found) in [
        (&b"[1, 2]"[..], "a list"),
        (b"[]", "a list"),
        (b"\"status\"", "a string"),
        (b"42", "a number"),
        (b"true", "true or false"),
        (b"null", "null"),
    ] {
        let error = Event::parse_json(body).unwrap_err();
        assert_eq!(error, InboundError::NotAnObject { found }, "{body:?}");
        assert!(error.to_string().contains("not an object"), "{error}");
        // Whatever the content type says, a JSON body is read as JSON.
        assert_eq!(
            Event::parse_request(Some("application/json"), None, body),
            Err(InboundError::NotAnObject { found })
        );
    }
}

#[test]
fn malformed_payloads_say_what_and_where() {
    assert!(matches!(
        Event::parse_json(b"{\"meta_object\": "),
        Err(InboundError::NotJson { .. })
    ));
    assert_eq!(Event::parse_json(b"  "), Err(InboundError::Empty));
    assert_eq!(
        Event::parse_request(None, None, b""),
        Err(InboundError::Empty)
    );
    let no_id = v2_webhook(json!({"statuses": [{"status": "sent"}]}));
    assert_eq!(
        Event::parse_json(&no_id).unwrap_err().to_string(),
        "the callback's `meta_object.value.statuses[0].id` is missing or not text"
    );
    let no_latitude = v2_webhook(
        json!({"messages": [{"from": "9198", "type": "location", "location": {"longitude": 1.0}}]}),
    );
    assert_eq!(
        Event::parse_json(&no_latitude).unwrap_err().to_string(),
        "the callback's `meta_object.value.messages[0].location.latitude` is missing or not a number"
    );
    let no_text = v2_webhook(json!({"messages": [{"from": "9198", "type": "text"}]}));
    assert!(
        matches!(Event::parse_json(&no_text), Err(InboundError::Malformed { path, .. }) if path.ends_with("messages[0].text"))
    );
}

#[test]
fn idempotency_keys_are_the_same_for_a_repeat_and_differ_between_events() {
    let body = v2_webhook(json!({"statuses": [
        {"id": "wamid.A", "status": "sent", "recipient_id": "919876543210"},
        {"id": "wamid.A", "status": "delivered", "recipient_id": "919876543210"},
        {"id": "wamid.B", "status": "sent", "recipient_id": "919876543210"}
    ]}));
    let keys = |events: Vec<Event>| -> Vec<String> {
        events
            .iter()
            .map(|event| event.idempotency_key().to_string())
            .collect()
    };
    let first = keys(Event::parse_json(&body).unwrap());
    assert_eq!(first, keys(Event::parse_json(&body).unwrap()), "a repeat");
    assert_eq!(first[0], r#"["status","wamid.A","sent"]"#);
    assert_ne!(first[0], first[1], "another status of the same message");
    assert_ne!(first[0], first[2], "the same status of another message");

    // v1 incoming messages have no id: sender, time, answered message and content.
    let tap = "from=919876543210&type=button&body=Confirm&payload=confirm-4711&created_at=1700000000&reply_to=m1%3A0";
    let other_tap = tap.replace("Confirm&payload=confirm-4711", "Cancel&payload=cancel-4711");
    let tap_key = keys(Event::parse_form(tap).unwrap());
    assert_eq!(tap_key, keys(Event::parse_form(tap).unwrap()), "a repeat");
    assert_ne!(tap_key, keys(Event::parse_form(&other_tap).unwrap()));

    let v2_tap = v2_message(
        json!({"from": "919876543210", "id": "wamid.TAP", "type": "button",
                                   "button": {"text": "Confirm", "payload": "confirm-4711"}}),
    );
    assert_eq!(
        v2_tap.idempotency_key().as_str(),
        r#"["message","wamid.TAP"]"#
    );
}

/// The keys callbacks use.
const CALLBACK_KEYS: &[&str] = &[
    "meta_object",
    "extra_info",
    "field",
    "value",
    "statuses",
    "messages",
    "contacts",
    "metadata",
    "id",
    "status",
    "type",
    "from",
    "body",
    "text",
    "button",
    "payload",
    "interactive",
    "button_reply",
    "list_reply",
    "title",
    "location",
    "latitude",
    "image",
    "context",
    "errors",
    "object",
    "entry",
    "changes",
    "event",
    "message_template_name",
    "message_id",
    "reply_id",
    "rejection_info",
    "other_info",
    "message_template_buttons",
    "message_template_button_type",
    "new_quality_score",
    "new_category",
    "current_limit",
];

/// Values callbacks use that steer the parser.
const CALLBACK_WORDS: &[&str] = &[
    "messages",
    "button",
    "interactive",
    "button_reply",
    "list_reply",
    "text",
    "location",
    "image",
    "sent",
    "whatsapp_business_account",
    "message_template_status_update",
    "template_category_update",
    "message_template_quality_update",
    "message_template_components_update",
    "phone_number_quality_update",
];

/// JSON built from the keys and values callbacks use, nested in any shape.
fn callback_like_json() -> impl proptest::strategy::Strategy<Value = Value> {
    json_tree(CALLBACK_KEYS, json_leaf(CALLBACK_WORDS))
}

proptest::proptest! {
    #![proptest_config(kaleyra_test_support::proptest_config(256))]

    #[test]
    fn no_callback_a_sender_can_post_makes_the_parser_panic(
        json in callback_like_json(),
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256),
        form in "[a-z_=&%0-9]{0,64}",
    ) {
        let text = json.to_string();
        for content_type in [Some("application/json"), Some("application/x-www-form-urlencoded"), None] {
            let _ = Event::parse_request(content_type, None, text.as_bytes());
            let _ = Event::parse_request(content_type, Some(&form), &bytes);
            let _ = Event::parse_request(content_type, Some(&form), b"");
        }
        if let Ok(events) = Event::parse_json(text.as_bytes()) {
            for event in &events {
                let _ = event.idempotency_key();
                let _ = event.button_tap();
            }
        }
    }
}

/// The events of a Meta webhook fixture in `tests/fixtures/meta-webhooks/`.
fn meta_fixture(name: &str) -> Vec<Event> {
    let path = format!(
        "{}/tests/fixtures/meta-webhooks/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    Event::parse_json(&std::fs::read(&path).unwrap())
        .unwrap_or_else(|error| panic!("{name}: {error}"))
}

fn only_message(events: Vec<Event>) -> IncomingMessage {
    let [Event::Message(message)] = <[Event; 1]>::try_from(events).unwrap() else {
        panic!("not one message")
    };
    message
}

#[test]
fn a_sender_with_only_a_business_scoped_user_id_parses_as_a_user_id() {
    let message = only_message(meta_fixture("username-sender.json"));
    assert_eq!(
        message.sender,
        Sender::UserId("US.13491208655302741918".into())
    );
    assert_eq!(message.sender.user_id(), Some("US.13491208655302741918"));
    assert_eq!(message.sender.phone_number(), None);
    assert_eq!(message.from, "US.13491208655302741918");
    assert_eq!(message.user_id.as_deref(), Some("US.13491208655302741918"));
    assert_eq!(
        message.name.as_deref(),
        Some("Test Name"),
        "found by its user id"
    );
    assert_eq!(
        message.content,
        Content::Button {
            text: "title".into(),
            payload: Some("callback_data".into())
        }
    );
    assert!(
        !message.extra.contains_key("from_user_id"),
        "typed, not left in extra"
    );
}

#[test]
fn a_sender_with_a_number_and_a_user_id_is_the_number_with_the_user_id_kept() {
    let message = only_message(meta_fixture(
        "020-meta-pywa-callback_button-quick_reply_without_context.json",
    ));
    assert_eq!(message.sender, Sender::PhoneNumber("972987654321".into()));
    assert_eq!(message.from, "972987654321");
    assert_eq!(message.user_id.as_deref(), Some("US.13491208655302741918"));
    // Without `from_user_id`, the contact's `user_id` is the sender's.
    let message = only_message(
        Event::parse_json(
            json!({"meta_object": {"field": "messages", "value": {
                "contacts": [{"wa_id": "919876543210", "user_id": "IN.42"}],
                "messages": [{"from": "919876543210", "type": "text", "text": {"body": "hi"}}]}}})
            .to_string()
            .as_bytes(),
        )
        .unwrap(),
    );
    assert_eq!(message.user_id.as_deref(), Some("IN.42"));
    assert_eq!(message.group_id, None);
    assert!(message.errors.is_empty());
}

#[test]
fn a_message_with_no_sender_at_all_is_refused_naming_both_fields() {
    let body = json!({"meta_object": {"field": "messages", "value": {
        "messages": [{"id": "wamid.X", "type": "text", "text": {"body": "hi"}}]}}});
    let Err(InboundError::Malformed { path, reason }) =
        Event::parse_json(body.to_string().as_bytes())
    else {
        panic!("not refused")
    };
    assert_eq!(path, "meta_object.value.messages[0].from");
    assert!(reason.contains("from_user_id"), "{reason}");
}

#[test]
fn a_message_that_carries_only_errors_parses_with_the_errors() {
    // The errors beside the message, and no `interactive` part.
    let message = only_message(meta_fixture(
        "033-meta-pywa-message-interactive_message_with_err.json",
    ));
    assert_eq!(
        message.content,
        Content::Other {
            kind: "interactive".into()
        }
    );
    assert_eq!(message.errors.len(), 1);
    let error = &message.errors[0];
    assert_eq!(error.code.as_deref(), Some("131000"));
    assert_eq!(error.title.as_deref(), Some("Something went wrong"));
    assert_eq!(
        error.details.as_deref(),
        Some("Unsupported webhook payload")
    );
    assert_eq!(message.reply_to.as_deref(), Some("wamid.gvwegfretge=="));
    assert_eq!(message.extra["errors"][0]["code"], 131000, "kept as sent");

    // The errors in the message itself.
    let message = only_message(meta_fixture("032-meta-pywa-message-unsupported.json"));
    assert_eq!(
        message.content,
        Content::Other {
            kind: "unsupported".into()
        }
    );
    assert_eq!(message.errors[0].code.as_deref(), Some("131051"));
    assert_eq!(
        message.errors[0].message.as_deref(),
        Some("Message type unknown")
    );

    // Without errors, a missing part is still malformed.
    let body = json!({"meta_object": {"field": "messages", "value": {
        "messages": [{"from": "919876543210", "type": "interactive"}]}}});
    assert!(matches!(
        Event::parse_json(body.to_string().as_bytes()),
        Err(InboundError::Malformed { path, .. }) if path == "meta_object.value.messages[0].interactive"
    ));
}

#[test]
fn a_group_message_has_its_group_typed() {
    let message = only_message(meta_fixture("group-text.json"));
    assert_eq!(message.group_id.as_deref(), Some("120363042159325468@g.us"));
    assert!(
        !message.extra.contains_key("group_id"),
        "typed, not left in extra"
    );
    assert_eq!(message.sender, Sender::PhoneNumber("16505551234".into()));
    assert_eq!(
        message.content,
        Content::Text {
            body: "Hello, everyone".into()
        }
    );
}

#[test]
fn a_reaction_names_its_message_and_emoji_and_a_reaction_taken_back_has_none() {
    let reaction = |part: Value| match v2_message(json!({
        "from": "919876543210", "id": "wamid.R", "timestamp": "1700000000",
        "type": "reaction", "reaction": part
    })) {
        Event::Message(message) => message.content,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reaction(json!({"message_id": "wamid.A", "emoji": "👍"})),
        Content::Reaction {
            message_id: "wamid.A".into(),
            emoji: "👍".into()
        }
    );
    // Meta leaves the emoji out when the customer takes the reaction back.
    assert_eq!(
        reaction(json!({"message_id": "wamid.A"})),
        Content::Reaction {
            message_id: "wamid.A".into(),
            emoji: String::new()
        }
    );
    let missing = Event::parse_json(&v2_webhook(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "912025550101"},
        "messages": [{"from": "919876543210", "id": "wamid.R", "timestamp": "1", "type": "reaction",
                      "reaction": {"emoji": "👍"}}]
    })));
    let error = missing.unwrap_err().to_string();
    assert!(error.contains("reaction.message_id"), "{error}");
}

#[test]
fn a_deleted_status_is_typed_and_ranks_after_read() {
    let Event::Status(status) = one(Event::parse_json(&v2_webhook(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "912025550101"},
        "statuses": [{"id": "wamid.D", "status": "deleted", "timestamp": "1700000000", "recipient_id": "919876543210"}]
    })))) else {
        panic!("not a status")
    };
    assert_eq!(status.status, DeliveryState::Deleted);
    assert_eq!(status.status.as_str(), "deleted");
    assert!(DeliveryState::Deleted.rank() > DeliveryState::Read.rank());
    assert!(DeliveryState::KNOWN.contains(&DeliveryState::Deleted));
}

/// The only event of a fixture.
fn only_event(name: &str) -> Event {
    let events = meta_fixture(name);
    assert_eq!(events.len(), 1, "{name}: {events:?}");
    events.into_iter().next().unwrap()
}

fn only_status(name: &str) -> DeliveryStatus {
    match only_event(name) {
        Event::Status(status) => status,
        other => panic!("{name}: not a status: {other:?}"),
    }
}

/// The `entry` kept from Meta's envelope: its account id and time.
fn entry(id: &str, time: u64) -> serde_json::Map<String, Value> {
    let mut extra = serde_json::Map::new();
    extra.insert("entry".into(), json!({"id": id, "time": time}));
    extra
}

#[test]
fn meta_template_status_updates_keep_reason_category_and_rejection_info() {
    let Event::TemplateStatus(approved) =
        only_event("035-meta-pywa-template_status_update-approved.json")
    else {
        panic!("not a template status")
    };
    assert_eq!(approved.event, TemplateEvent::Approved);
    assert_eq!(approved.template_id.as_deref(), Some("1689556908129832"));
    assert_eq!(approved.name.as_deref(), Some("order_confirmation"));
    assert_eq!(approved.language.as_deref(), Some("en_US"));
    assert_eq!(approved.reason.as_deref(), Some("NONE"), "kept as sent");
    assert_eq!(
        approved.category,
        Some(TemplateCategory::Known(Category::Utility))
    );
    assert_eq!(approved.rejection_info, None);
    assert_eq!(approved.other_info, None);
    assert_eq!(approved.extra, entry("102290129340398", 1751247548));

    let Event::TemplateStatus(rejected) =
        only_event("036-meta-pywa-template_status_update-rejected.json")
    else {
        panic!("not a template status")
    };
    assert_eq!(rejected.event, TemplateEvent::Rejected);
    assert_eq!(rejected.template_id.as_deref(), Some("1689556908129835"));
    assert_eq!(rejected.name.as_deref(), Some("abandoned_cart"));
    assert_eq!(rejected.language.as_deref(), Some("en"));
    assert_eq!(rejected.reason.as_deref(), Some("INVALID_FORMAT"));
    assert_eq!(
        rejected.category,
        Some(TemplateCategory::Known(Category::Marketing))
    );
    let info = rejected.rejection_info.unwrap();
    assert!(
        info.reason
            .as_deref()
            .unwrap()
            .starts_with("Your template has parameters placed next to each other")
    );
    assert_eq!(
        info.recommendation.as_deref(),
        Some(
            "Separate parameters with descriptive text and ensure each parameter is clearly contextualized."
        )
    );
    assert!(info.extra.is_empty());
    assert_eq!(rejected.other_info, None);
    assert_eq!(rejected.extra, entry("102290129340398", 1751247548));

    let Event::TemplateStatus(paused) = only_event("template-status-paused.json") else {
        panic!("not a template status")
    };
    assert_eq!(paused.event, TemplateEvent::Paused);
    assert_eq!(paused.template_id.as_deref(), Some("806312974732579"));
    assert_eq!(paused.name.as_deref(), Some("welcome_template"));
    assert_eq!(paused.language.as_deref(), Some("en_US"));
    assert_eq!(paused.reason.as_deref(), Some("NONE"));
    assert_eq!(
        paused.category,
        Some(TemplateCategory::Known(Category::Marketing))
    );
    let info = paused.other_info.unwrap();
    assert_eq!(info.title.as_deref(), Some("FIRST_PAUSE"));
    assert_eq!(
        info.description.as_deref(),
        Some("Your template has been paused for 3 hours because of low quality.")
    );
    assert!(info.extra.is_empty());
    assert_eq!(paused.extra, entry("102290129340398", 1751250000));
}

#[test]
fn a_template_category_update_is_typed() {
    let Event::TemplateCategory(update) =
        only_event("037-meta-pywa-template_category_update-marketing.json")
    else {
        panic!("not a category update")
    };
    assert_eq!(update.template_id.as_deref(), Some("12345678"));
    assert_eq!(update.name.as_deref(), Some("my_message_template"));
    assert_eq!(update.language.as_deref(), Some("he"));
    assert_eq!(update.previous_category, None);
    assert_eq!(
        update.new_category,
        Some(TemplateCategory::Known(Category::Marketing))
    );
    assert_eq!(update.correct_category, None);
    assert_eq!(update.extra, entry("57438975935", 1750344882));

    let body = json!({"meta_object": {"field": "template_category_update", "value": {
        "message_template_id": 1, "message_template_name": "n", "message_template_language": "en",
        "previous_category": "utility", "new_category": "MARKETING", "correct_category": "PROMO",
        "category_update_timestamp": 1750000000}}});
    let Event::TemplateCategory(update) = one(Event::parse_json(body.to_string().as_bytes()))
    else {
        panic!("not a category update")
    };
    assert_eq!(
        update.previous_category,
        Some(TemplateCategory::Known(Category::Utility)),
        "read in any case"
    );
    assert_eq!(
        update.correct_category,
        Some(TemplateCategory::Other("PROMO".into()))
    );
    assert_eq!(update.extra["category_update_timestamp"], 1750000000);
}

#[test]
fn a_template_quality_update_is_typed() {
    let Event::TemplateQuality(update) =
        only_event("038-meta-pywa-template_quality_update-yellow.json")
    else {
        panic!("not a quality update")
    };
    assert_eq!(update.template_id.as_deref(), Some("806312974732579"));
    assert_eq!(update.name.as_deref(), Some("welcome_template"));
    assert_eq!(update.language.as_deref(), Some("en_US"));
    assert_eq!(update.previous_quality_score, Some(QualityScore::Green));
    assert_eq!(update.new_quality_score, Some(QualityScore::Yellow));
    assert_eq!(update.extra, entry("102290129340398", 1674864290));
    for (text, score) in [
        ("RED", QualityScore::Red),
        ("unknown", QualityScore::Unknown),
        ("PURPLE", QualityScore::Other("PURPLE".into())),
    ] {
        assert_eq!(QualityScore::parse(text), score);
    }
}

#[test]
fn a_template_components_update_has_every_component_typed() {
    let Event::TemplateComponents(update) =
        only_event("039-meta-pywa-template_components_update.json")
    else {
        panic!("not a components update")
    };
    assert_eq!(update.template_id.as_deref(), Some("1315502779341834"));
    assert_eq!(update.name.as_deref(), Some("order_confirmation"));
    assert_eq!(update.language.as_deref(), Some("en_US"));
    assert_eq!(update.header.as_deref(), Some("Your order is confirmed!"));
    assert_eq!(
        update.body.as_deref(),
        Some(
            "Thank you for your order, {{1}}! Your order number is {{2}}. If you have any questions, contact support using the buttons below. Thanks again!"
        )
    );
    assert_eq!(
        update.footer.as_deref(),
        Some("Lucky Shrub: the Succulent Specialists!")
    );
    assert_eq!(update.buttons.len(), 2);
    let phone = &update.buttons[0];
    assert_eq!(phone.kind, Some(ButtonKind::Known(ButtonType::PhoneNumber)));
    assert_eq!(phone.text.as_deref(), Some("Phone support"));
    assert_eq!(phone.phone_number.as_deref(), Some("+15550783881"));
    assert_eq!(phone.url, None);
    assert!(phone.extra.is_empty());
    let url = &update.buttons[1];
    assert_eq!(url.kind, Some(ButtonKind::Known(ButtonType::Url)));
    assert_eq!(url.text.as_deref(), Some("Email support"));
    assert_eq!(
        url.url.as_deref(),
        Some("https://www.luckyshrub.com/support")
    );
    assert_eq!(url.phone_number, None);
    assert!(url.extra.is_empty());
    assert_eq!(update.extra, entry("102290129340398", 1751250234));

    // A list with an item that is not an object is kept whole, as sent.
    let body = json!({"meta_object": {"field": "message_template_components_update", "value": {
        "message_template_name": "n", "message_template_buttons": [
            {"message_template_button_type": "VOICE_CALL", "message_template_button_text": "Call"}, "odd"]}}});
    let Event::TemplateComponents(update) = one(Event::parse_json(body.to_string().as_bytes()))
    else {
        panic!("not a components update")
    };
    assert!(update.buttons.is_empty());
    assert_eq!(update.extra["message_template_buttons"][1], "odd");
    assert_eq!(
        ButtonKind::parse("VOICE_CALL"),
        ButtonKind::Other("VOICE_CALL".into())
    );
}

#[test]
fn a_phone_number_quality_update_has_its_event_and_limits_typed() {
    let Event::PhoneNumberQuality(update) = only_event("phone-number-quality-upgrade.json") else {
        panic!("not a phone-number update")
    };
    assert_eq!(update.display_phone_number.as_deref(), Some("15550783881"));
    assert_eq!(update.event, PhoneNumberEvent::Upgrade);
    assert_eq!(update.old_limit, Some(MessagingLimit::Tier1K));
    assert_eq!(update.current_limit, Some(MessagingLimit::Tier10K));
    assert_eq!(update.business_limit, Some(MessagingLimit::Tier10K));
    assert_eq!(update.extra, entry("102290129340398", 1739321024));

    for (text, event) in [
        ("FLAGGED", PhoneNumberEvent::Flagged),
        ("unflagged", PhoneNumberEvent::Unflagged),
        ("DOWNGRADE", PhoneNumberEvent::Downgrade),
        ("ONBOARDING", PhoneNumberEvent::Onboarding),
        ("THROUGHPUT_UPGRADE", PhoneNumberEvent::ThroughputUpgrade),
        ("NEW_EVENT", PhoneNumberEvent::Other("NEW_EVENT".into())),
    ] {
        assert_eq!(PhoneNumberEvent::parse(text), event);
        assert_eq!(event.as_str(), text.to_ascii_uppercase().as_str());
    }
    for (text, limit, per_day) in [
        ("TIER_50", MessagingLimit::Tier50, Some(50)),
        ("TIER_250", MessagingLimit::Tier250, Some(250)),
        ("TIER_2K", MessagingLimit::Tier2K, Some(2_000)),
        ("TIER_100K", MessagingLimit::Tier100K, Some(100_000)),
        ("TIER_UNLIMITED", MessagingLimit::Unlimited, None),
        ("TIER_NOT_SET", MessagingLimit::NotSet, None),
        ("TIER_5K", MessagingLimit::Other("TIER_5K".into()), None),
    ] {
        assert_eq!(MessagingLimit::parse(text), limit);
        assert_eq!(limit.as_str(), text);
        assert_eq!(limit.per_day(), per_day);
    }
}

#[test]
fn metas_status_fixtures_parse_to_their_status_with_the_rest_kept() {
    for (name, state, timestamp) in [
        (
            "022-meta-pywa-message_status-sent.json",
            DeliveryState::Sent,
            "1698266945",
        ),
        (
            "023-meta-pywa-message_status-delivered.json",
            DeliveryState::Delivered,
            "1698266945",
        ),
        (
            "024-meta-pywa-message_status-read.json",
            DeliveryState::Read,
            "1689380458",
        ),
        (
            "025-meta-pywa-message_status-played.json",
            DeliveryState::Other("played".into()),
            "1689380458",
        ),
        (
            "026-meta-pywa-message_status-failed.json",
            DeliveryState::Failed,
            "1689380458",
        ),
        (
            "027-meta-pywa-message_status-with_tracker.json",
            DeliveryState::Sent,
            "1698266945",
        ),
    ] {
        let status = only_status(name);
        assert_eq!(status.api, ApiVersion::V2, "{name}");
        assert_eq!(status.message_id, "wamid.xyzxyz", "{name}");
        assert_eq!(status.status, state, "{name}");
        assert_eq!(status.recipient.as_deref(), Some("972987654321"), "{name}");
        assert_eq!(status.timestamp.as_deref(), Some(timestamp), "{name}");
        assert_eq!(
            status.extra["metadata"]["phone_number_id"], "1122334455667",
            "{name}: the value's metadata goes with the status"
        );
        assert_eq!(status.extra["entry"]["id"], "5467539754836534", "{name}");
        assert_eq!(status.extra["messaging_product"], "whatsapp", "{name}");
    }
    let failed = only_status("026-meta-pywa-message_status-failed.json");
    let error = failed.error.unwrap();
    assert_eq!(error.code.as_deref(), Some("130472"));
    assert_eq!(
        error.title.as_deref(),
        Some("User's number is part of an experiment")
    );
    assert_eq!(
        error.details.as_deref(),
        Some("Failed to send message because this user's phone number is part of an experiment")
    );
    let tracked = only_status("027-meta-pywa-message_status-with_tracker.json");
    assert_eq!(tracked.extra["biz_opaque_callback_data"], "some data");
    assert_eq!(tracked.extra["pricing"]["pricing_model"], "CBP");

    let group = only_status("028-meta-pywa-message_status-group.json");
    assert_eq!(group.message_id, "<WHATSAPP_MESSAGE_ID>");
    assert_eq!(group.status, DeliveryState::Read);
    assert_eq!(group.recipient.as_deref(), Some("fowefinoewcnw"));
    assert_eq!(group.extra["recipient_type"], "group");
    assert_eq!(group.extra["recipient_participant_user_id"], "US.123456");
}

#[test]
fn metas_message_fixtures_parse_to_their_content() {
    let tap = only_message(meta_fixture("018-meta-pywa-callback_button-button.json"));
    assert_eq!(
        tap.content,
        Content::ButtonReply {
            id: "callback_data".into(),
            title: "title".into()
        }
    );
    assert_eq!(tap.reply_to.as_deref(), Some("wamid.xyzxyz"));
    assert_eq!(tap.name.as_deref(), Some("Test Name"));
    assert_eq!(tap.user_id.as_deref(), Some("US.13491208655302741918"));
    assert_eq!(tap.business_number.as_deref(), Some("972123456789"));
    assert_eq!(
        tap.extra["contacts"][0]["parent_user_id"],
        "US.ENT.11815799212886844830"
    );

    let quick = only_message(meta_fixture(
        "019-meta-pywa-callback_button-quick_reply.json",
    ));
    assert_eq!(
        quick.content,
        Content::Button {
            text: "title".into(),
            payload: Some("callback_data".into())
        }
    );
    assert_eq!(quick.id.as_deref(), Some("wamid.xsidjw"));
    assert_eq!(quick.reply_to.as_deref(), Some("wamid.xyzxyz=="));

    let list = only_message(meta_fixture(
        "021-meta-pywa-callback_selection-callback.json",
    ));
    assert_eq!(
        list.content,
        Content::ListReply {
            id: "callback_data".into(),
            title: "title".into(),
            description: None
        }
    );

    let text = only_message(meta_fixture("029-meta-pywa-message-text.json"));
    assert_eq!(text.sender, Sender::PhoneNumber("972987654321".into()));
    assert_eq!(text.timestamp.as_deref(), Some("1697043223"));
    assert_eq!(
        text.content,
        Content::Text {
            body: "Body Text".into()
        }
    );
    assert_eq!(text.reply_to, None);

    let reply = only_message(meta_fixture("030-meta-pywa-message-reply.json"));
    assert_eq!(reply.reply_to.as_deref(), Some("wamid.xyzxyz=="));
    assert_eq!(
        reply.content,
        Content::Text {
            body: "replied text".into()
        }
    );

    let order = only_message(meta_fixture("031-meta-pywa-message-order.json"));
    assert_eq!(
        order.content,
        Content::Other {
            kind: "order".into()
        }
    );
    assert_eq!(order.extra["order"]["catalog_id"], "354160437058781");
    assert_eq!(
        order.extra["order"]["product_items"][2]["product_retailer_id"],
        "SODA"
    );

    let referral = only_message(meta_fixture("034-meta-pywa-message-referral.json"));
    assert_eq!(
        referral.content,
        Content::Text {
            body: "BODY".into()
        }
    );
    assert_eq!(referral.extra["referral"]["ctwa_clid"], "CTWA_CLID");
}

/// Every value in `value` (strings, numbers, booleans), as the `Debug` of
/// an event writes it, except those the event's variant stands for: the
/// envelope's `object`, each change's `field`, and a message's `type` (and
/// its `interactive.type`), which its [`Content`] variant is.
fn leaves(value: &Value, path: &mut Vec<String>, out: &mut Vec<String>) {
    let ends_with = |tail: &[&str]| {
        path.len() >= tail.len() && path[path.len() - tail.len()..].iter().eq(tail.iter())
    };
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                path.push(key.clone());
                leaves(inner, path, out);
                path.pop();
            }
        }
        Value::Array(items) => items.iter().for_each(|item| leaves(item, path, out)),
        _ if path.len() == 1 && ends_with(&["object"]) => {}
        _ if ends_with(&["changes", "field"])
            || ends_with(&["messages", "type"])
            || ends_with(&["messages", "interactive", "type"]) => {}
        Value::String(text) => out.push(format!("{text:?}")),
        Value::Number(number) => out.push(number.to_string()),
        Value::Bool(flag) => out.push(flag.to_string()),
        Value::Null => out.push("Null".to_owned()),
    }
}

/// The values of `events` that are typed as enums, as their `as_str` writes
/// them (their `Debug` is the variant's name).
fn typed_values(events: &[Event]) -> Vec<String> {
    let mut values: Vec<&str> = Vec::new();
    for event in events {
        match event {
            Event::Status(status) => values.push(status.status.as_str()),
            Event::TemplateStatus(update) => {
                values.push(update.event.as_str());
                values.extend(update.category.as_ref().map(TemplateCategory::as_str));
            }
            Event::TemplateCategory(update) => values.extend(
                [
                    &update.previous_category,
                    &update.new_category,
                    &update.correct_category,
                ]
                .into_iter()
                .flatten()
                .map(TemplateCategory::as_str),
            ),
            Event::TemplateQuality(update) => values.extend(
                [&update.previous_quality_score, &update.new_quality_score]
                    .into_iter()
                    .flatten()
                    .map(QualityScore::as_str),
            ),
            Event::TemplateComponents(update) => values.extend(
                update
                    .buttons
                    .iter()
                    .filter_map(|button| button.kind.as_ref().map(ButtonKind::as_str)),
            ),
            Event::PhoneNumberQuality(update) => {
                values.push(update.event.as_str());
                values.extend(
                    [
                        &update.current_limit,
                        &update.old_limit,
                        &update.business_limit,
                    ]
                    .into_iter()
                    .flatten()
                    .map(MessagingLimit::as_str),
                );
            }
            _ => {}
        }
    }
    values.into_iter().map(str::to_owned).collect()
}

#[test]
fn every_meta_webhook_fixture_parses_with_nothing_lost() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/meta-webhooks");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 26, "every fixture is here: {names:?}");
    for name in &names {
        let events = meta_fixture(name);
        assert!(!events.is_empty(), "{name}: no event");
        for event in &events {
            assert!(!matches!(event, Event::Unknown(_)), "{name}: {event:?}");
        }
        // Each value the fixture carries is in its events (typed, or in an
        // `extra`) at least as often as it is sent: none was dropped.
        let sent: Value =
            serde_json::from_slice(&std::fs::read(format!("{dir}/{name}")).unwrap()).unwrap();
        let mut sent_leaves = Vec::new();
        leaves(&sent, &mut Vec::new(), &mut sent_leaves);
        // Read in any case: enums are written as Meta spells them.
        let parsed = format!("{events:?} {:?}", typed_values(&events)).to_lowercase();
        for leaf in &sent_leaves {
            let times_sent = sent_leaves.iter().filter(|other| *other == leaf).count();
            assert!(
                parsed.matches(&leaf.to_lowercase()).count() >= times_sent,
                "{name}: {leaf} is sent {times_sent} times and lost from {parsed}"
            );
        }
    }
}

#[test]
fn an_account_event_s_key_is_the_same_for_a_repeat_and_differs_by_time_and_content() {
    let body = |time: u64, score: &str| {
        json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "time": time, "changes": [
            {"field": "message_template_quality_update", "value": {
                "message_template_id": 7, "message_template_name": "n", "message_template_language": "en",
                "previous_quality_score": "GREEN", "new_quality_score": score}}]}]})
        .to_string()
    };
    let key = |body: String| one(Event::parse_json(body.as_bytes())).idempotency_key();
    assert_eq!(key(body(10, "RED")), key(body(10, "RED")));
    assert_ne!(key(body(10, "RED")), key(body(11, "RED")), "a later change");
    assert_ne!(key(body(10, "RED")), key(body(10, "YELLOW")));
    let phone = |event: &str| {
        json!({"meta_object": {"field": "phone_number_quality_update", "value": {
            "display_phone_number": "1", "event": event, "current_limit": "TIER_1K"}}})
        .to_string()
    };
    assert_ne!(key(phone("FLAGGED")), key(phone("UNFLAGGED")));
}
