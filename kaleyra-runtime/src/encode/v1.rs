//! Kaleyra v1: `POST {base}/v1/{sid}/messages` with form fields.

use std::borrow::Cow;

use reqwest::Method;

use super::{endpoint, headers};
use crate::client::{ApiVersion, ClientInner};
use crate::error::Error;
use crate::message::{
    ButtonValue, CtaUrl, Extras, InteractiveHeader, MessageRef, ReplyButtons, TemplateHeader,
    TemplateMessage, Text,
};
use crate::request::PreparedRequest;

/// The form field that carries a template's language. Kaleyra's pages name it
/// both `lang_code` and `language`; this project sends `lang_code` (see the README).
pub(crate) const LANGUAGE_FIELD: &str = "lang_code";

/// The `channel` value.
const CHANNEL: &str = "whatsapp";

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

type Fields<'a> = Vec<(&'static str, Cow<'a, str>)>;

pub(crate) fn prepare(
    client: &ClientInner,
    message: MessageRef<'_>,
    recipients: &[String],
) -> Result<PreparedRequest, Error> {
    let to = recipients.join(",");
    let mut fields: Fields<'_> = vec![("to", Cow::Owned(to))];
    let use_get = match message {
        MessageRef::Text(text) => {
            text_fields(text, &mut fields)?;
            text.use_get
        }
        MessageRef::Template(template) => {
            template_fields(template, &mut fields)?;
            false
        }
        MessageRef::ReplyButtons(buttons) => {
            reply_fields(buttons, &mut fields)?;
            false
        }
        MessageRef::CtaUrl(CtaUrl { .. }) => {
            return Err(Error::unsupported("a cta_url message", ApiVersion::V1));
        }
    };
    fields.insert(2, ("channel", Cow::Borrowed(CHANNEL)));
    fields.insert(3, ("from", Cow::Borrowed(client.from.as_str())));
    extra_fields(message.options(), &mut fields)?;

    let encoded = serde_urlencoded::to_string(&fields)
        .map_err(|error| Error::invalid("form", error.to_string()))?;
    let mut url = endpoint(client, &["v1", &client.sid, "messages"]);
    let (method, body, content_type) = if use_get {
        url.set_query(Some(&encoded));
        (Method::GET, bytes::Bytes::new(), None)
    } else {
        (
            Method::POST,
            encoded.into_bytes().into(),
            Some(FORM_CONTENT_TYPE),
        )
    };
    Ok(PreparedRequest {
        method,
        url,
        headers: headers(client, content_type)?,
        body,
        api: ApiVersion::V1,
        recipients: recipients.to_vec(),
    })
}

fn text_fields<'a>(text: &'a Text, fields: &mut Fields<'a>) -> Result<(), Error> {
    if text.preview_url.is_some() {
        return Err(Error::unsupported("preview_url", ApiVersion::V1));
    }
    if text.reply_to.is_some() {
        return Err(Error::unsupported(
            "replying to a message (reply_to)",
            ApiVersion::V1,
        ));
    }
    fields.push(("type", Cow::Borrowed("text")));
    fields.push(("body", Cow::Borrowed(&text.body)));
    Ok(())
}

fn template_fields<'a>(
    template: &'a TemplateMessage,
    fields: &mut Fields<'a>,
) -> Result<(), Error> {
    let kind = if template.media {
        "mediatemplate"
    } else {
        "template"
    };
    fields.push(("type", Cow::Borrowed(kind)));
    fields.push(("template_name", Cow::Borrowed(&template.name)));
    if !template.params.is_empty() {
        fields.push(("params", Cow::Owned(encode_params(template)?)));
    }
    if let Some(language) = &template.language {
        fields.push((LANGUAGE_FIELD, Cow::Borrowed(language)));
    }
    match &template.header {
        Some(TemplateHeader::Text(value)) => fields.push(("param_header", Cow::Borrowed(value))),
        Some(media) => {
            if let Some(url) = media.media_url() {
                fields.push(("media_url", Cow::Borrowed(url.as_str())));
            }
        }
        None => {}
    }
    let mut url_suffixes = template.buttons.iter().filter_map(|button| match button {
        ButtonValue::UrlSuffix { index, suffix } => Some((index, suffix)),
        ButtonValue::Payload { .. } => None,
    });
    if let Some((_, suffix)) = url_suffixes.next() {
        if let Some((index, _)) = url_suffixes.next() {
            return Err(Error::invalid(
                format!("buttons[{index}] url suffix"),
                "Kaleyra v1 takes one dynamic URL (`param_url`) per message; send a template with two dynamic URL buttons through v2",
            ));
        }
        fields.push(("param_url", Cow::Borrowed(suffix)));
    }
    for button in &template.buttons {
        if let ButtonValue::Payload { index, payload } = button {
            fields.push((PAYLOAD_FIELDS[usize::from(*index)], Cow::Borrowed(payload)));
        }
    }
    if template.sandbox {
        fields.push(("source", Cow::Borrowed("sandbox")));
    }
    Ok(())
}

/// The quick-reply payload of the button at index `i` goes in `PAYLOAD_FIELDS[i]`.
const PAYLOAD_FIELDS: [&str; 3] = ["payload1", "payload2", "payload3"];

/// `"John","Doe"`: each value in double quotes, joined with commas, as
/// Kaleyra's samples write it. No page says how a `"` inside a value is
/// escaped, so such a value is refused rather than altered.
pub(crate) fn encode_params(template: &TemplateMessage) -> Result<String, Error> {
    let mut encoded = String::new();
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

fn reply_fields<'a>(message: &'a ReplyButtons, fields: &mut Fields<'a>) -> Result<(), Error> {
    fields.push(("type", Cow::Borrowed("reply")));
    fields.push(("body", Cow::Borrowed(&message.body)));
    if let Some(footer) = &message.footer {
        fields.push(("footer", Cow::Borrowed(footer)));
    }
    fields.push(("action", Cow::Owned(super::v2::reply_action_json(message))));
    if let Some(header) = &message.header {
        fields.push(("header_type", Cow::Borrowed(header.type_name())));
        fields.push(("header_value", Cow::Borrowed(header.value())));
    }
    if let Some(caption) = &message.caption {
        debug_assert!(!matches!(
            message.header,
            Some(InteractiveHeader::Text(_)) | None
        ));
        fields.push(("caption", Cow::Borrowed(caption)));
    }
    Ok(())
}

fn extra_fields<'a>(extras: &'a Extras, fields: &mut Fields<'a>) -> Result<(), Error> {
    if extras.wa_source.is_some() {
        return Err(Error::unsupported("wa_source", ApiVersion::V1));
    }
    if let Some(url) = &extras.callback_url {
        fields.push(("callback_url", Cow::Borrowed(url)));
    }
    for (name, value) in Extras::REF_FIELDS.iter().zip(&extras.refs) {
        if let Some(value) = value {
            fields.push((name, Cow::Borrowed(value)));
        }
    }
    Ok(())
}
