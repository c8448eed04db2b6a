//! Each definition rule, at its boundary: what is allowed passes, one step
//! beyond is refused with a message naming the key.

use std::path::Path;

use kaleyra_definitions::{TemplateDefinition, TemplateKind};
use serde_json::{Value, json};

fn parse(value: &Value) -> Result<TemplateDefinition, String> {
    let name = value["name"].as_str().unwrap_or("t");
    let file = format!("templates/{name}.json");
    TemplateDefinition::from_slice(value.to_string().as_bytes(), Path::new(&file))
        .map_err(|error| error.to_string())
}

#[track_caller]
fn assert_valid(value: Value) -> TemplateDefinition {
    parse(&value).unwrap_or_else(|error| panic!("expected valid, got:\n{error}"))
}

#[track_caller]
fn assert_problem(value: Value, expected: &str) {
    match parse(&value) {
        Ok(_) => panic!("expected a problem containing {expected:?}, but the definition is valid"),
        Err(error) => assert!(
            error.contains(expected),
            "expected {expected:?} in:\n{error}"
        ),
    }
}

fn media(extra: Value) -> Value {
    let mut base = json!({"name": "m", "kind": "mediatemplate", "language": "en", "params": 1});
    base.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    base
}

fn reply(buttons: Value) -> Value {
    json!({"name": "r", "kind": "reply", "body": "Hi {{1}}", "buttons": buttons})
}

#[test]
fn the_minimal_definition_from_the_issue_is_valid() {
    let definition =
        assert_valid(json!({"name": "booking_confirm", "kind": "template", "params": 2}));
    assert_eq!(definition.kind, TemplateKind::Template);
    assert_eq!(definition.param_count(), 2);
}

#[test]
fn name_must_match_the_pattern_and_the_file() {
    assert_problem(
        json!({"name": "Booking", "kind": "template", "params": 0}),
        "`name`: `Booking` is not a template name",
    );
    let value = json!({"name": "other", "kind": "template", "params": 0});
    let error = TemplateDefinition::from_slice(
        value.to_string().as_bytes(),
        Path::new("templates/booking.json"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("is `other` but the file is `booking.json`"),
        "{error}"
    );
}

#[test]
fn name_length_limit() {
    let at_limit = "a".repeat(512);
    assert_valid(json!({"name": at_limit, "kind": "template", "params": 0}));
    let over = "a".repeat(513);
    assert_problem(
        json!({"name": over, "kind": "template", "params": 0}),
        "is not a template name",
    );
}

#[test]
fn params_or_body_is_required_and_they_must_agree() {
    assert_problem(json!({"name": "t", "kind": "template"}), "give `params`");
    assert_valid(json!({"name": "t", "kind": "template", "body": "Hi {{1}} {{2}}", "params": 2}));
    assert_problem(
        json!({"name": "t", "kind": "template", "body": "Hi {{1}} {{2}}", "params": 3}),
        "`params`: is 3 but `body` has 2 placeholder(s) ({{1}}, {{2}})",
    );
}

#[test]
fn body_placeholders_must_be_consecutive_and_numbered() {
    assert_problem(
        json!({"name": "t", "kind": "template", "body": "{{1}} {{3}}"}),
        "none missing; found ({{1}}, {{3}})",
    );
    assert_problem(
        json!({"name": "t", "kind": "template", "body": "Hi {{name}}"}),
        "`{{name}}` is not a placeholder",
    );
}

#[test]
fn body_length_limit() {
    assert_valid(json!({"name": "t", "kind": "template", "body": "x".repeat(1024)}));
    assert_problem(
        json!({"name": "t", "kind": "template", "body": "x".repeat(1025)}),
        "`body`: has 1025 characters; the limit is 1024",
    );
}

#[test]
fn header_text_limits_and_one_placeholder() {
    let text = |t: String| media(json!({"header": {"type": "text", "text": t}}));
    assert_valid(text("h".repeat(60)));
    assert_problem(
        text("h".repeat(61)),
        "`header.text`: has 61 characters; the limit is 60",
    );
    assert_valid(text("Order {{1}}".into()));
    assert_problem(
        text("{{1}} {{2}}".into()),
        "has 2 placeholders; a header takes at most 1",
    );
    assert_problem(
        media(json!({"header": {"type": "text"}})),
        "`header.text`: is required",
    );
}

#[test]
fn plain_templates_take_no_media_header_header_variable_or_buttons() {
    let plain = |extra: Value| {
        let mut base = json!({"name": "t", "kind": "template", "params": 0});
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base
    };
    assert_valid(plain(json!({"header": {"type": "text", "text": "Static"}})));
    assert_problem(
        plain(json!({"header": {"type": "image"}})),
        "use kind `mediatemplate`",
    );
    assert_problem(
        plain(json!({"header": {"type": "text", "text": "Hi {{1}}"}})),
        "use kind `mediatemplate`",
    );
    assert_problem(
        plain(json!({"buttons": [{"index": 0, "type": "quick_reply", "text": "Yes"}]})),
        "a `template` has no buttons",
    );
}

#[test]
fn document_examples_of_media_templates_are_pdf() {
    assert_valid(media(
        json!({"header": {"type": "document", "example": "https://x.test/t.PDF"}}),
    ));
    assert_problem(
        media(json!({"header": {"type": "document", "example": "https://x.test/t.docx"}})),
        "accept PDF documents only",
    );
    assert_problem(
        media(json!({"header": {"type": "image", "text": "caption"}})),
        "`image` headers have no text",
    );
}

#[test]
fn footer_limit_and_no_placeholder() {
    assert_valid(media(json!({"footer": "f".repeat(60)})));
    assert_problem(
        media(json!({"footer": "f".repeat(61)})),
        "`footer`: has 61 characters",
    );
    assert_problem(
        media(json!({"footer": "Reply {{1}}"})),
        "`footer`: takes no placeholder",
    );
}

#[test]
fn media_template_buttons_count_and_index() {
    let quick =
        |index: u8| json!({"index": index, "type": "quick_reply", "text": format!("B{index}")});
    assert_valid(media(json!({"buttons": [quick(0), quick(1), quick(2)]})));
    assert_problem(
        media(json!({"buttons": [quick(0), quick(1), quick(2), quick(0)]})),
        "has 4 buttons; this format keeps to Kaleyra v1's limit of 3 on a media template",
    );
    assert_problem(
        media(json!({"buttons": [quick(3)]})),
        "`buttons[0].index`: is 3; buttons take indices 0 to 2",
    );
    assert_problem(
        media(json!({"buttons": [quick(1), quick(1)]})),
        "`buttons[1].index`: 1 is already used by `buttons[0]`",
    );
}

#[test]
fn quick_reply_label_limit() {
    let label = |text: String| {
        media(json!({"buttons": [{"index": 0, "type": "quick_reply", "text": text}]}))
    };
    assert_valid(label("q".repeat(25)));
    assert_problem(
        label("q".repeat(26)),
        "`buttons[0].text`: has 26 characters; the limit is 25",
    );
}

#[test]
fn url_buttons_take_one_trailing_placeholder() {
    let url = |url: &str| {
        media(json!({"buttons": [{"index": 1, "type": "url", "text": "Go", "url": url}]}))
    };
    let valid = assert_valid(url("https://example.com/login/{{1}}"));
    assert!(valid.button(1).unwrap().has_dynamic_url());
    assert!(
        !assert_valid(url("https://example.com/static"))
            .button(1)
            .unwrap()
            .has_dynamic_url()
    );
    assert_problem(url("https://example.com/{{1}}/x"), "at its very end");
    assert_problem(url("https://example.com/{{2}}"), "at its very end");
    assert_problem(url("ftp://example.com/{{1}}"), "is not an http(s) URL");
    let long_ok = format!("https://example.com/{}", "p".repeat(2000 - 20));
    assert_valid(url(&long_ok));
    assert_problem(
        url(&format!("{long_ok}p")),
        "has 2001 characters; the limit is 2000",
    );
}

#[test]
fn button_keys_must_fit_their_type() {
    assert_problem(
        media(
            json!({"buttons": [{"index": 0, "type": "quick_reply", "text": "Yes", "url": "https://x.test"}]}),
        ),
        "`buttons[0].url`: does not apply to a `quick_reply` button",
    );
    assert_problem(
        media(
            json!({"buttons": [{"index": 0, "type": "phone_number", "text": "Call", "phone_number": "12"}]}),
        ),
        "`12` is not an E.164 number",
    );
    assert_problem(
        media(json!({"buttons": [{"index": 0, "text": "Yes"}]})),
        "`buttons[0].type`: is required",
    );
    assert_problem(
        media(json!({"buttons": [{"index": 0, "type": "reply", "id": "a", "title": "A"}]})),
        "`reply` buttons do not belong on a `mediatemplate`",
    );
}

#[test]
fn reply_messages_take_one_to_three_unique_buttons() {
    let button = |id: &str, title: &str| json!({"index": 0, "id": id, "title": title});
    let indexed = |i: u8, id: &str| json!({"index": i, "id": id, "title": format!("T{id}")});
    assert_valid(reply(json!([
        indexed(0, "a"),
        indexed(1, "b"),
        indexed(2, "c")
    ])));
    assert_problem(
        reply(json!([])),
        "has 0 buttons; a `reply` message takes 1 to 3",
    );
    assert_problem(
        reply(json!([
            indexed(0, "a"),
            indexed(1, "b"),
            indexed(2, "c"),
            indexed(2, "d")
        ])),
        "has 4 buttons",
    );
    assert_problem(
        reply(json!([
            json!({"index": 0, "id": "a", "title": "Same"}),
            json!({"index": 1, "id": "b", "title": "Same"})
        ])),
        "`buttons[1].title`: `Same` is also the title of `buttons[0]`",
    );
    assert_valid(reply(json!([button(&"i".repeat(256), &"t".repeat(20))])));
    assert_problem(
        reply(json!([button(&"i".repeat(257), "t")])),
        "`buttons[0].id`: has 257 characters",
    );
    assert_problem(
        reply(json!([button("i", &"t".repeat(21))])),
        "`buttons[0].title`: has 21 characters",
    );
}

#[test]
fn interactive_kinds_need_a_body_and_have_no_approval_fields() {
    assert_problem(
        json!({"name": "r", "kind": "reply", "params": 1, "buttons": [{"index": 0, "id": "a", "title": "A"}]}),
        "`body`: is required for a `reply` message",
    );
    assert_problem(
        json!({"name": "r", "kind": "reply", "language": "en", "body": "Hi", "buttons": [{"index": 0, "id": "a", "title": "A"}]}),
        "`language`: applies to approved templates only",
    );
}

#[test]
fn cta_url_takes_exactly_one_url_button_with_a_short_label() {
    let cta = |text: &str, buttons: Value| json!({"name": "c", "kind": "cta_url", "body": "Tap", "header": {"type": "text", "text": text}, "buttons": buttons});
    let url_button =
        |label: &str| json!({"index": 0, "type": "url", "text": label, "url": "https://x.test"});
    assert_valid(cta("Dates", json!([url_button(&"d".repeat(20))])));
    assert_problem(
        cta("Dates", json!([url_button(&"d".repeat(21))])),
        "has 21 characters; the limit is 20",
    );
    assert_problem(
        cta("Dates", json!([])),
        "a `cta_url` message takes exactly one URL button",
    );
    assert_problem(
        json!({"name": "c", "kind": "cta_url", "body": "Tap", "header": {"type": "image"}, "buttons": [url_button("Go")]}),
        "a `cta_url` message takes a text header only",
    );
}

#[test]
fn language_codes() {
    for good in ["en", "en_US", "en_us", "pt_BR", "fil"] {
        assert_valid(media(json!({"language": good})));
    }
    for bad in ["", "english", "en-US-x", "e"] {
        assert_problem(media(json!({"language": bad})), "is not a language code");
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let error = parse(&json!({
        "name": "t", "kind": "mediatemplate", "params": 1,
        "footer": "x".repeat(61),
        "buttons": [{"index": 5, "type": "quick_reply", "text": "q".repeat(30)}]
    }))
    .unwrap_err();
    assert_eq!(error.lines().count(), 3, "{error}");
}
