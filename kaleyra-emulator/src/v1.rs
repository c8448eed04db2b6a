//! Kaleyra v1: the form fields of `POST /v1/{sid}/messages` (and of `GET`,
//! for text), checked in Kaleyra's order and turned into a [`Submission`].
//!
//! Errors are `E413` with a field → message map (Kaleyra's own wording where
//! its pages give one), `E13008` for `from`, `E13009` for `to`, and `WA-401`
//! for the account's v2 number.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use kaleyra_definitions::{
    ButtonParameter, HeaderType, TemplateSet, did_you_mean, did_you_mean_sentence, limits,
};
use serde::Deserialize;

use crate::account::{Account, with_plus};
use crate::errors::{ApiError, Problems};
use crate::interactive::{
    self, ReplyButtonObject, header_type, media_url_problem, optional_text_problem,
};
use crate::message::{ApiVersion, Content, MessageKind, Refs, StoredHeader, Submission};
use crate::params::decode_params;
use crate::templates::{self, ButtonInput, ButtonValue, HeaderValue, TemplateRequest, Wire};

/// How the request came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// Form fields in the body.
    Post,
    /// Fields in the query string; Kaleyra documents it for `type=text` only.
    Get,
}

/// The fields every type takes.
const COMMON_FIELDS: &[&str] = &[
    "to",
    "type",
    "channel",
    "from",
    "callback_url",
    "ref",
    "ref1",
    "ref2",
    // Kaleyra's v1 coupon-code and limited-time-offer pages send it; the
    // emulator has no callback profiles, so it is taken and not acted on.
    "callback_profile_id",
];
const MANDATORY_FIELDS: &[&str] = &["to", "type", "channel", "from"];
const TEXT_FIELDS: &[&str] = &["body"];
/// Kaleyra's v1 catalog page sends a catalog template as `type=template`
/// with its thumbnail product, the id plain.
const TEMPLATE_FIELDS: &[&str] = &[
    "template_name",
    "params",
    "lang_code",
    "language",
    "source",
    "thumbnail_product_retailer_id",
];
const MEDIA_TEMPLATE_FIELDS: &[&str] = &[
    "template_name",
    "params",
    "lang_code",
    "language",
    "source",
    "media_url",
    "param_header",
    "param_url",
    "payload1",
    "payload2",
    "payload3",
    "coupon_code",
    "limited_time_offer",
];
/// `type=authenticationtemplate`: the code fills the template's one
/// placeholder and its code button; Kaleyra's page names no language field.
const AUTHENTICATION_TEMPLATE_FIELDS: &[&str] = &["template_name", "verification_code"];
const REPLY_FIELDS: &[&str] = &[
    "body",
    "footer",
    "action",
    "header_type",
    "header_value",
    "caption",
];

/// Each v1 message type the emulator takes, with the fields it uses.
const TYPES: [(&str, &[&str]); 5] = [
    ("text", TEXT_FIELDS),
    ("template", TEMPLATE_FIELDS),
    ("mediatemplate", MEDIA_TEMPLATE_FIELDS),
    ("authenticationtemplate", AUTHENTICATION_TEMPLATE_FIELDS),
    ("reply", REPLY_FIELDS),
];

/// The `payloadN` fields, for the quick-reply button at index N-1.
const PAYLOAD_FIELDS: [&str; 3] = ["payload1", "payload2", "payload3"];

fn known_fields() -> impl Iterator<Item = &'static str> {
    COMMON_FIELDS
        .iter()
        .chain(TYPES.iter().flat_map(|(_, fields)| fields.iter()))
        .copied()
}

/// Checks a v1 request's fields and makes the submission they describe.
pub(crate) fn decode(
    fields: Vec<(String, String)>,
    method: Method,
    account: &Account,
    templates: &TemplateSet,
) -> Result<Submission, ApiError> {
    let (fields, type_name) = structure(fields, method)?;
    // Kaleyra's own curl samples send `-d "from=+1202..."`, whose unencoded
    // `+` arrives as a space; the number is read without it.
    let from = check_from(fields["from"].trim(), account)?;
    let recipients = check_to(&fields["to"])?;

    let mut problems = Problems::new();
    let content = match type_name {
        "text" => text(&fields, &mut problems),
        "reply" => reply(&fields, &mut problems),
        "authenticationtemplate" => authentication_template(&fields, templates, &mut problems),
        _ => template(&fields, type_name, templates, &mut problems),
    };
    let callback_url = fields.get("callback_url").cloned();
    if let Some(url) = &callback_url {
        interactive::check_callback_url(url, "callback_url", &mut problems);
    }
    let mut refs = Refs::default();
    for name in Refs::FIELDS {
        if let Some(value) = fields.get(name) {
            refs.set(name, value.clone());
        }
    }
    interactive::check_refs(&refs, "", &mut problems);
    problems.into_result().map_err(ApiError::invalid_inputs)?;
    // Every path that makes no content notes a problem, so this is an
    // accepted message; the fallback only keeps a mistake from panicking.
    let content = content.ok_or_else(|| ApiError::invalid_inputs(Problems::new()))?;

    Ok(Submission {
        api: ApiVersion::V1,
        type_name,
        from,
        recipients,
        content,
        callback_url,
        refs,
    })
}

type Fields = BTreeMap<String, String>;

/// The fields by name, with the structure checked: every field known, none
/// given twice, the mandatory ones present, a known `type`, and only the
/// fields that type uses.
fn structure(
    list: Vec<(String, String)>,
    method: Method,
) -> Result<(Fields, &'static str), ApiError> {
    let mut problems = Problems::new();
    let mut fields = Fields::new();
    for (name, value) in list {
        if !known_fields().any(|known| known == name) {
            let mut message = "is not a field of Kaleyra's v1 messages API".to_owned();
            if let Some(suggestion) = did_you_mean_sentence(&did_you_mean(&name, known_fields())) {
                message.push_str("; ");
                message.push_str(&suggestion);
            }
            problems.add(name, message);
            continue;
        }
        match fields.entry(name) {
            Entry::Occupied(field) => problems.add(field.key().clone(), "is given more than once"),
            Entry::Vacant(field) => {
                field.insert(value);
            }
        }
    }
    for (name, value) in &fields {
        if name != "body" && has_html_tag(value) {
            problems.add(
                name.clone(),
                "contains an HTML tag, which Kaleyra refuses in every parameter but `body`",
            );
        }
    }
    for name in MANDATORY_FIELDS {
        if fields
            .get(*name)
            .is_none_or(|value| value.trim().is_empty())
        {
            problems.add(*name, format!("{name} field is mandatory"));
        }
    }
    if let Some(channel) = fields.get("channel")
        && !channel.trim().is_empty()
        && !channel.eq_ignore_ascii_case("whatsapp")
    {
        problems.add(
            "channel",
            format!("is `{channel}`; this API sends on channel `whatsapp`"),
        );
    }
    let mut type_name = "";
    if let Some(sent) = fields.get("type").filter(|value| !value.trim().is_empty()) {
        match TYPES.iter().find(|(name, _)| name == sent) {
            None => {
                let names: Vec<&str> = TYPES.iter().map(|(name, _)| *name).collect();
                problems.add(
                    "type",
                    format!(
                        "`{sent}` is not a v1 message type the emulator takes: {}",
                        names.join(", ")
                    ),
                );
            }
            Some((name, _)) if method == Method::Get && *name != "text" => {
                problems.add(
                    "type",
                    format!("a GET request sends type text only; send `{name}` with POST"),
                );
            }
            Some((name, used)) => {
                type_name = name;
                for field in fields.keys() {
                    if !COMMON_FIELDS.contains(&field.as_str()) && !used.contains(&field.as_str()) {
                        problems.add(field.clone(), format!("is not used by type {name}"));
                    }
                }
            }
        }
    }
    problems.into_result().map_err(ApiError::invalid_inputs)?;
    Ok((fields, type_name))
}

/// Whether `value` holds something like an HTML tag (`<b>`, `</p>`, `<!--`).
fn has_html_tag(value: &str) -> bool {
    value.char_indices().any(|(at, c)| {
        c == '<'
            && value[at + 1..]
                .chars()
                .next()
                .is_some_and(|next| next.is_ascii_alphabetic() || next == '/' || next == '!')
            && value[at..].contains('>')
    })
}

/// The business number, E.164 with `+`: `E13008` unless it is the account's
/// v1 number, `WA-401` when it is the v2 one.
fn check_from(from: &str, account: &Account) -> Result<String, ApiError> {
    if !limits::is_e164(from) {
        return Err(ApiError::invalid_from(format!(
            "`{from}` is not an E.164 number such as +912025550100"
        )));
    }
    match account.binding(from) {
        Some(ApiVersion::V1) => Ok(with_plus(from)),
        Some(ApiVersion::V2) => Err(ApiError::different_version()),
        None => Err(ApiError::invalid_from(format!(
            "`{from}` is not a WhatsApp business number of this account"
        ))),
    }
}

/// Each recipient, E.164 with `+`; `E13009` for the first that is not a number.
fn check_to(to: &str) -> Result<Vec<String>, ApiError> {
    to.split(',')
        .map(str::trim)
        .enumerate()
        .map(|(position, number)| {
            if limits::is_e164(number) {
                Ok(with_plus(number))
            } else if number.is_empty() {
                Err(ApiError::invalid_to(format!(
                    "recipient {} is empty",
                    position + 1
                )))
            } else {
                Err(ApiError::invalid_to(format!(
                    "`{number}` is not an E.164 number such as +919876543210"
                )))
            }
        })
        .collect()
}

fn text(fields: &Fields, problems: &mut Problems) -> Option<Content> {
    let body = fields.get("body").filter(|body| !body.trim().is_empty());
    let Some(body) = body else {
        problems.add(
            "body",
            "For the type text, body field is mandatory and cannot be empty!",
        );
        return None;
    };
    if let Some(problem) = limits::length_problem(body, limits::TEXT_BODY) {
        problems.add("body", problem);
    }
    Some(Content::new(MessageKind::Text, body.clone()))
}

fn template(
    fields: &Fields,
    type_name: &'static str,
    set: &TemplateSet,
    problems: &mut Problems,
) -> Option<Content> {
    let mut shape = Problems::new();
    let name = fields
        .get("template_name")
        .filter(|name| !name.trim().is_empty());
    if name.is_none() {
        shape.add("template_name", "template_name field is mandatory");
    }
    let params = match fields.get("params").map(|params| decode_params(params)) {
        None => Vec::new(),
        Some(Ok(params)) => params,
        Some(Err(error)) => {
            shape.add("params", error);
            Vec::new()
        }
    };
    if fields.contains_key("lang_code") && fields.contains_key("language") {
        shape.add(
            "language",
            "give the language once, in `lang_code` (or `language`), not both",
        );
    }
    if let Some(source) = fields.get("source")
        && source != "sandbox"
    {
        shape.add(
            "source",
            format!("is `{source}`; the one documented value is `sandbox`"),
        );
    }
    let header = match (fields.get("param_header"), fields.get("media_url")) {
        (Some(_), Some(_)) => {
            shape.add(
                "param_header",
                "give a text header value (`param_header`) or a media URL (`media_url`), not both",
            );
            None
        }
        (Some(text), None) => Some(HeaderValue::Text(text.clone())),
        (None, Some(url)) => Some(HeaderValue::Media {
            kind: None,
            url: url.clone(),
        }),
        (None, None) => None,
    };
    let mut buttons = Vec::new();
    if let Some(suffix) = fields.get("param_url") {
        buttons.push(ButtonValue {
            index: None,
            value: ButtonInput::new(ButtonParameter::UrlSuffix, suffix.clone()),
        });
    }
    if let Some(thumbnail) = fields.get("thumbnail_product_retailer_id") {
        buttons.push(ButtonValue {
            index: None,
            value: ButtonInput::new(ButtonParameter::ProductThumbnail, thumbnail.clone()),
        });
    }
    if let Some(code) = fields.get("coupon_code") {
        match crate::offers::v1_coupon_code(code) {
            Ok(code) => buttons.push(ButtonValue {
                index: None,
                value: ButtonInput::new(ButtonParameter::CouponCode, code),
            }),
            Err(problem) => shape.add("coupon_code", problem),
        }
    }
    let expiration_time_ms = match fields.get("limited_time_offer") {
        None => None,
        Some(field) => match crate::offers::v1_expiration_time_ms(field) {
            Ok(ms) => Some(ms),
            Err(problem) => {
                shape.add("limited_time_offer", problem);
                None
            }
        },
    };
    for (index, field) in (0u8..).zip(PAYLOAD_FIELDS) {
        if let Some(payload) = fields.get(field) {
            buttons.push(ButtonValue {
                index: Some(index),
                value: ButtonInput::new(ButtonParameter::Payload, payload.clone()),
            });
        }
    }
    if !shape.is_empty() {
        problems.extend(shape);
        return None;
    }
    let request = TemplateRequest {
        name: name.cloned().unwrap_or_default(),
        language: fields
            .get("lang_code")
            .or_else(|| fields.get("language"))
            .cloned(),
        params,
        header,
        buttons,
        media: Some(type_name == "mediatemplate"),
        expiration_time_ms,
        ..TemplateRequest::default()
    };
    match templates::check(set, &request, Wire::V1) {
        Ok(content) => Some(content),
        Err(found) => {
            problems.extend(found);
            None
        }
    }
}

/// `type=authenticationtemplate`: `template_name` and `verification_code`.
fn authentication_template(
    fields: &Fields,
    set: &TemplateSet,
    problems: &mut Problems,
) -> Option<Content> {
    let mut shape = Problems::new();
    let name = fields
        .get("template_name")
        .filter(|name| !name.trim().is_empty());
    if name.is_none() {
        shape.add("template_name", "template_name field is mandatory");
    }
    let code = fields.get("verification_code");
    if code.is_none() {
        shape.add(
            "verification_code",
            "verification_code field is mandatory for type authenticationtemplate",
        );
    }
    if !shape.is_empty() {
        problems.extend(shape);
        return None;
    }
    let request = TemplateRequest {
        name: name.cloned().unwrap_or_default(),
        verification_code: code.cloned(),
        ..TemplateRequest::default()
    };
    match templates::check(set, &request, Wire::V1) {
        Ok(content) => Some(content),
        Err(found) => {
            problems.extend(found);
            None
        }
    }
}

/// The `action` field of a reply message: a JSON string.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplyAction {
    buttons: Vec<ReplyButtonObject>,
}

fn reply(fields: &Fields, problems: &mut Problems) -> Option<Content> {
    let body = fields.get("body").filter(|body| !body.trim().is_empty());
    let Some(body) = body else {
        problems.add(
            "body",
            "For the type reply, body field is mandatory and cannot be empty!",
        );
        return None;
    };
    if let Some(problem) = limits::length_problem(body, limits::INTERACTIVE_BODY) {
        problems.add("body", problem);
    }
    let mut content = Content::new(MessageKind::Reply, body.clone());
    if let Some(footer) = fields.get("footer") {
        if let Some(problem) = optional_text_problem(footer, limits::FOOTER) {
            problems.add("footer", problem);
        }
        content.footer = Some(footer.clone());
    }
    match fields.get("action") {
        None => problems.add("action", "For the type reply, action field is mandatory"),
        Some(action) => {
            let deserializer = &mut serde_json::Deserializer::from_str(action);
            match serde_path_to_error::deserialize::<_, ReplyAction>(deserializer) {
                Ok(action) => {
                    content.buttons =
                        interactive::reply_buttons(&action.buttons, "action.buttons", problems);
                }
                Err(error) => problems.add(
                    "action",
                    format!(
                        "is not the documented JSON {{\"buttons\": [{{\"type\": \"reply\", \"reply\": {{\"id\", \"title\"}}}}]}}: {error}"
                    ),
                ),
            }
        }
    }
    content.header = reply_header(fields, problems);
    if let Some(caption) = fields.get("caption") {
        match &mut content.header {
            Some(header) if header.kind.is_media() => header.caption = Some(caption.clone()),
            _ => problems.add("caption", "applies to a media header only"),
        }
    }
    Some(content)
}

fn reply_header(fields: &Fields, problems: &mut Problems) -> Option<StoredHeader> {
    match (fields.get("header_type"), fields.get("header_value")) {
        (None, None) => None,
        (Some(_), None) => {
            problems.add("header_value", "is required with header_type");
            None
        }
        (None, Some(_)) => {
            problems.add("header_type", "is required with header_value");
            None
        }
        (Some(kind), Some(value)) => match header_type(kind) {
            None => {
                problems.add(
                    "header_type",
                    format!("is `{kind}`; use text, image, video or document"),
                );
                None
            }
            Some(HeaderType::Text) => match optional_text_problem(value, limits::HEADER_TEXT) {
                Some(problem) => {
                    problems.add("header_value", problem);
                    None
                }
                None => Some(StoredHeader::text(value.clone())),
            },
            Some(kind) => match media_url_problem(kind, value) {
                Some(problem) => {
                    problems.add("header_value", problem);
                    None
                }
                None => Some(StoredHeader::media(kind, value.clone())),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_tags_are_recognised_but_comparisons_are_not() {
        assert!(has_html_tag("<b>hi</b>"));
        assert!(has_html_tag("x </p> y"));
        assert!(!has_html_tag("a < b > c"));
        assert!(!has_html_tag("I <3 it"));
        assert!(!has_html_tag("<b no close"));
    }

    #[test]
    fn several_recipients_are_split_and_written_with_plus() {
        assert_eq!(
            check_to("+919876543210, 919876543211").unwrap(),
            ["+919876543210", "+919876543211"]
        );
        assert_eq!(check_to("+919876543210,").unwrap_err().code(), "E13009");
        assert_eq!(check_to("12").unwrap_err().code(), "E13009");
    }
}
