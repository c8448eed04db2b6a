//! Interactive messages (reply buttons, CTA URL) and the limits they share
//! between v1 and v2: texts, buttons, media headers, references, callback URLs.

use std::collections::HashSet;

use kaleyra_definitions::{ButtonType, HeaderType, limits, media};
use serde::Deserialize;

use crate::errors::Problems;
use crate::message::{Refs, StoredButton};

/// `{"type": "reply", "reply": {"id", "title"}}`, as both APIs write a reply button.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplyButtonObject {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) reply: ReplyObject,
}

/// A reply button's `id` and `title`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplyObject {
    pub(crate) id: String,
    pub(crate) title: String,
}

/// Checks reply buttons (1 to 3, ids ≤ 256 and titles ≤ 20 characters, both
/// unique) and returns them as stored; `field` is the name of the button list.
pub(crate) fn reply_buttons(
    buttons: &[ReplyButtonObject],
    field: &str,
    problems: &mut Problems,
) -> Vec<StoredButton> {
    if buttons.is_empty() || buttons.len() > limits::REPLY_BUTTONS {
        problems.add(
            field,
            format!(
                "has {} buttons; a reply-button message takes 1 to {}",
                buttons.len(),
                limits::REPLY_BUTTONS
            ),
        );
        return Vec::new();
    }
    let mut ids = HashSet::new();
    let mut titles = HashSet::new();
    let mut stored = Vec::new();
    for (position, button) in buttons.iter().enumerate() {
        let at = |key: &str| format!("{field}[{position}].{key}");
        if button.kind != "reply" {
            problems.add(
                at("type"),
                format!("is `{}`; reply buttons have type `reply`", button.kind),
            );
        }
        let ReplyObject { id, title } = &button.reply;
        for (key, value, max) in [
            ("reply.id", id, limits::REPLY_BUTTON_ID),
            ("reply.title", title, limits::REPLY_BUTTON_TITLE),
        ] {
            if let Some(problem) = required_text_problem(value, max) {
                problems.add(at(key), problem);
            }
        }
        if !ids.insert(id.as_str()) {
            problems.add(
                at("reply.id"),
                format!("`{id}` is used by another button; ids are unique"),
            );
        }
        if !titles.insert(title.as_str()) {
            problems.add(
                at("reply.title"),
                format!("`{title}` is used by another button; titles are unique"),
            );
        }
        stored.push(StoredButton {
            index: u8::try_from(position).unwrap_or(u8::MAX),
            kind: ButtonType::Reply,
            text: title.clone(),
            url: None,
            payload: None,
            id: Some(id.clone()),
            phone_number: None,
            thumbnail_product: None,
            products: None,
            code: None,
        });
    }
    stored
}

/// A CTA URL message's one button: `display_text` (≤ 20) opening `url` (http(s)).
pub(crate) fn cta_button(
    display_text: &str,
    url: &str,
    field: &str,
    problems: &mut Problems,
) -> StoredButton {
    if let Some(problem) = required_text_problem(display_text, limits::CTA_DISPLAY_TEXT) {
        problems.add(format!("{field}.display_text"), problem);
    }
    if !limits::is_http_url(url) {
        problems.add(
            format!("{field}.url"),
            format!("`{url}` is not an http(s) URL"),
        );
    } else if let Some(problem) = limits::length_problem(url, limits::BUTTON_URL) {
        problems.add(format!("{field}.url"), problem);
    }
    StoredButton {
        index: 0,
        kind: ButtonType::Url,
        text: display_text.to_owned(),
        url: Some(url.to_owned()),
        payload: None,
        id: None,
        phone_number: None,
        thumbnail_product: None,
        products: None,
        code: None,
    }
}

/// Why a text that must be given is wrong: empty (or blank), or over `max` characters.
pub(crate) fn required_text_problem(text: &str, max: usize) -> Option<String> {
    if text.trim().is_empty() {
        return Some("is empty".to_owned());
    }
    limits::length_problem(text, max)
}

/// Why an optional text that was given is wrong: blank, or over `max` characters.
pub(crate) fn optional_text_problem(text: &str, max: usize) -> Option<String> {
    if text.trim().is_empty() {
        return Some("is empty; leave it out instead".to_owned());
    }
    limits::length_problem(text, max)
}

/// Why `url` cannot be the media of a `kind` header: not an http(s) URL, or
/// a file name whose extension is not one that kind shows.
pub(crate) fn media_url_problem(kind: HeaderType, url: &str) -> Option<String> {
    if !limits::is_http_url(url) {
        return Some(format!("`{url}` is not an http(s) media URL"));
    }
    media::extension_problem(kind, url)
}

/// The header kinds an interactive message may have, by name.
pub(crate) fn header_type(name: &str) -> Option<HeaderType> {
    match name {
        "text" => Some(HeaderType::Text),
        "image" => Some(HeaderType::Image),
        "video" => Some(HeaderType::Video),
        "document" => Some(HeaderType::Document),
        _ => None,
    }
}

/// Checks `ref`, `ref1`, `ref2` (each ≤ 255 characters) under `prefix`
/// (`""` on v1, `"extra_info."` on v2).
pub(crate) fn check_refs(refs: &Refs, prefix: &str, problems: &mut Problems) {
    for (name, value) in refs.iter() {
        if let Some(problem) = limits::length_problem(value, limits::REF) {
            problems.add(
                format!("{prefix}{name}"),
                format!("{problem} (Kaleyra would cut it short)"),
            );
        }
    }
}

/// Checks a callback URL: an absolute http(s) URL.
pub(crate) fn check_callback_url(url: &str, field: &str, problems: &mut Problems) {
    if !limits::is_http_url(url) {
        problems.add(field, format!("`{url}` is not an http(s) URL"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn button(id: &str, title: &str) -> ReplyButtonObject {
        ReplyButtonObject {
            kind: "reply".to_owned(),
            reply: ReplyObject {
                id: id.to_owned(),
                title: title.to_owned(),
            },
        }
    }

    #[test]
    fn reply_buttons_need_one_to_three() {
        let mut problems = Problems::new();
        reply_buttons(&[], "action.buttons", &mut problems);
        assert!(!problems.is_empty());
        let mut problems = Problems::new();
        let four: Vec<_> = (0..4)
            .map(|i| button(&i.to_string(), &i.to_string()))
            .collect();
        reply_buttons(&four, "action.buttons", &mut problems);
        assert!(!problems.is_empty());
    }

    #[test]
    fn reply_button_titles_are_unique_and_at_most_twenty() {
        let mut problems = Problems::new();
        reply_buttons(
            &[button("1", "Same"), button("2", "Same")],
            "b",
            &mut problems,
        );
        assert_eq!(problems.iter().next().unwrap().0, "b[1].reply.title");
        let mut problems = Problems::new();
        reply_buttons(&[button("1", &"t".repeat(21))], "b", &mut problems);
        assert_eq!(problems.iter().next().unwrap().0, "b[0].reply.title");
        let mut problems = Problems::new();
        reply_buttons(&[button("1", &"t".repeat(20))], "b", &mut problems);
        assert!(problems.is_empty());
    }

    #[test]
    fn media_urls_need_http_and_a_matching_extension() {
        assert!(media_url_problem(HeaderType::Document, "https://x.test/a.pdf").is_none());
        assert!(media_url_problem(HeaderType::Document, "https://x.test/download").is_none());
        assert!(media_url_problem(HeaderType::Document, "https://x.test/a.png").is_some());
        assert!(media_url_problem(HeaderType::Image, "ftp://x.test/a.png").is_some());
    }
}
