//! Kaleyra v1: `POST {base}/v1/{sid}/messages` with form fields.

use reqwest::Method;

use crate::api::ApiVersion;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::{
    Extras, InteractiveHeader, MessageRef, ReplyButtons, Shape, TemplateHeader, TemplateParts, Text,
};
use crate::request::PreparedRequest;
use kaleyra_definitions::{ButtonParameter, values};

/// The form field that carries a template's language. Kaleyra's pages name it
/// both `lang_code` and `language`; this project sends `lang_code` (see DECISIONS.md).
pub(crate) const LANGUAGE_FIELD: &str = "lang_code";

/// The `channel` value.
const CHANNEL: &str = "whatsapp";

/// The form being written, field by field, in Kaleyra's samples' order.
type Form = form_urlencoded::Serializer<'static, String>;

pub(crate) fn prepare(
    endpoint: &Endpoint,
    message: MessageRef<'_>,
    recipients: Vec<String>,
) -> Result<PreparedRequest, Error> {
    let kind = match message {
        MessageRef::Text(_) => "text",
        MessageRef::Template(template) => match template.shape {
            Shape::Plain => "template",
            Shape::Media => "mediatemplate",
            Shape::Authentication => "authenticationtemplate",
        },
        MessageRef::ReplyButtons(_) => "reply",
        MessageRef::CtaUrl(_) => {
            return Err(Error::unsupported("a cta_url message", ApiVersion::V1));
        }
    };
    let mut form = Form::new(String::with_capacity(512));
    form.append_pair("to", &recipients.join(","))
        .append_pair("type", kind)
        .append_pair("channel", CHANNEL)
        .append_pair("from", &endpoint.from);
    match message {
        MessageRef::Text(text) => text_fields(text, &mut form)?,
        MessageRef::Template(template) => template_fields(template, &mut form)?,
        MessageRef::ReplyButtons(buttons) => reply_fields(buttons, &mut form),
        MessageRef::CtaUrl(_) => {}
    }
    extra_fields(message.options(), &mut form)?;
    let encoded = form.finish();

    let use_get = matches!(message, MessageRef::Text(text) if text.use_get);
    let (method, url, body, headers) = if use_get {
        let mut url = url::Url::clone(&endpoint.url);
        url.set_query(Some(&encoded));
        let url = std::sync::Arc::new(url);
        (
            Method::GET,
            url,
            bytes::Bytes::new(),
            &endpoint.headers_without_body,
        )
    } else {
        let url = endpoint.url.clone();
        (
            Method::POST,
            url,
            encoded.into_bytes().into(),
            &endpoint.headers_with_body,
        )
    };
    Ok(PreparedRequest {
        method,
        url,
        headers: headers.clone(),
        body,
        api: ApiVersion::V1,
        recipients,
        callback_secret: message.options().callback_secret.clone(),
    })
}

fn text_fields(text: &Text, form: &mut Form) -> Result<(), Error> {
    if text.preview_url.is_some() {
        return Err(Error::unsupported("preview_url", ApiVersion::V1));
    }
    if text.reply_to.is_some() {
        return Err(Error::unsupported(
            "replying to a message (reply_to)",
            ApiVersion::V1,
        ));
    }
    form.append_pair("body", &text.body);
    Ok(())
}

fn template_fields(template: TemplateParts<'_>, form: &mut Form) -> Result<(), Error> {
    if template.has_named_parameters() {
        // v1's `params` is a list by position; guessing the order named
        // placeholders take there could fill the wrong ones.
        return Err(Error::unsupported(
            "a template with named parameters (v1's `params` is positional, and no Kaleyra page documents named templates on v1; send it through v2)",
            ApiVersion::V1,
        ));
    }
    if template.shape == Shape::Authentication {
        return authentication_fields(template, form);
    }
    if let Some(problem) = template
        .texts
        .and_then(|texts| values::v1_button_count_problem(texts.button_count))
    {
        return Err(Error::unsupported(problem, ApiVersion::V1));
    }
    if let Some((button, problem)) = template.buttons.iter().find_map(|button| {
        values::v1_button_index_problem(button.index).map(|problem| (button, problem))
    }) {
        return Err(Error::invalid(
            format!("buttons[{}] {}", button.index, button.takes.as_str()),
            problem,
        ));
    }
    form.append_pair("template_name", template.name);
    if !template.params.is_empty() {
        form.append_pair("params", &encode_params(template)?);
    }
    if let Some(language) = template.language {
        form.append_pair(LANGUAGE_FIELD, language);
    }
    match template.header {
        Some(TemplateHeader::Text(value) | TemplateHeader::NamedText { value, .. }) => {
            form.append_pair("param_header", value);
        }
        Some(TemplateHeader::Location(_)) => {
            return Err(Error::unsupported(
                "a location header (no Kaleyra v1 page documents one; send it through v2)",
                ApiVersion::V1,
            ));
        }
        Some(media) => {
            if let Some(url) = media.media_url() {
                form.append_pair("media_url", url.as_str());
            }
        }
        None => {}
    }
    let mut url_suffixes = template
        .buttons
        .iter()
        .filter(|button| button.takes == ButtonParameter::UrlSuffix)
        .map(|button| (button.index, &button.value));
    if let Some((_, suffix)) = url_suffixes.next() {
        if let Some((index, _)) = url_suffixes.next() {
            return Err(Error::invalid(
                format!("buttons[{index}] url suffix"),
                "Kaleyra v1 takes one dynamic URL (`param_url`) per message; send a template with two dynamic URL buttons through v2",
            ));
        }
        form.append_pair("param_url", suffix);
    }
    for button in template.buttons {
        match button.takes {
            ButtonParameter::Payload => {
                form.append_pair(PAYLOAD_FIELDS[usize::from(button.index)], &button.value);
            }
            ButtonParameter::CouponCode => {
                return Err(Error::unsupported(
                    "a copy-code (coupon) button value (no v1 page documents its field)",
                    ApiVersion::V1,
                ));
            }
            ButtonParameter::UrlSuffix => {}
        }
    }
    if template.sandbox {
        form.append_pair("source", "sandbox");
    }
    Ok(())
}

/// `type=authenticationtemplate`: the template's name and the code, as
/// `verification_code`. The page names no language field and no references,
/// so the language is not sent (Kaleyra picks the template by name) and
/// references are refused rather than sent where no page says they go.
fn authentication_fields(template: TemplateParts<'_>, form: &mut Form) -> Result<(), Error> {
    if template.extras.refs.iter().any(Option::is_some) {
        return Err(Error::unsupported(
            "references (ref, ref1, ref2) on an authentication template",
            ApiVersion::V1,
        ));
    }
    if template.sandbox {
        return Err(Error::unsupported(
            "the sandbox (source=sandbox) for an authentication template",
            ApiVersion::V1,
        ));
    }
    form.append_pair("template_name", template.name);
    if let Some(code) = template.params.first() {
        form.append_pair("verification_code", &code.value);
    }
    Ok(())
}

/// The quick-reply payload of the button at index `i` goes in `PAYLOAD_FIELDS[i]`.
const PAYLOAD_FIELDS: [&str; 3] = ["payload1", "payload2", "payload3"];

/// `"John","Doe"`: each value in double quotes, joined with commas, as
/// Kaleyra's samples write it. No page says how a `"` inside a value is
/// escaped, so such a value is refused rather than altered.
pub(crate) fn encode_params(template: TemplateParts<'_>) -> Result<String, Error> {
    let mut encoded =
        String::with_capacity(template.param_values().map(|value| value.len() + 3).sum());
    for (position, value) in template.param_values().enumerate() {
        if value.contains('"') {
            return Err(Error::invalid(
                template.param_field(position),
                "contains a double quote (\"), which Kaleyra's v1 `params` field cannot carry unambiguously; remove it, or send through the v2 API, whose JSON can",
            ));
        }
        if position > 0 {
            encoded.push(',');
        }
        encoded.push('"');
        encoded.push_str(value);
        encoded.push('"');
    }
    Ok(encoded)
}

fn reply_fields(message: &ReplyButtons, form: &mut Form) {
    form.append_pair("body", &message.body);
    if let Some(footer) = &message.footer {
        form.append_pair("footer", footer);
    }
    form.append_pair("action", &super::v2::reply_action_json(message));
    if let Some(header) = &message.header {
        form.append_pair("header_type", header.type_name());
        form.append_pair("header_value", header.value());
    }
    if let Some(caption) = &message.caption {
        // The checks refuse a caption without a media header.
        debug_assert!(!matches!(
            message.header,
            Some(InteractiveHeader::Text(_)) | None
        ));
        form.append_pair("caption", caption);
    }
}

fn extra_fields(extras: &Extras, form: &mut Form) -> Result<(), Error> {
    if extras.wa_source.is_some() {
        return Err(Error::unsupported("wa_source", ApiVersion::V1));
    }
    if let Some(url) = &extras.callback_url {
        form.append_pair("callback_url", url);
    }
    for (name, value) in Extras::REF_FIELDS.iter().zip(&extras.refs) {
        if let Some(value) = value {
            form.append_pair(name, value);
        }
    }
    Ok(())
}
