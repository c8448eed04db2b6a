//! Kaleyra v1: `POST {base}/v1/{sid}/messages` with form fields.

use reqwest::Method;

use crate::api::ApiVersion;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::{
    Extras, InteractiveHeader, Media, MessageRef, MultiProduct, ReplyButtons, Shape,
    TemplateHeader, TemplateParts, Text,
};
use crate::request::PreparedRequest;
use kaleyra_definitions::ButtonParameter;
use kaleyra_definitions::values::{self, ProductsPart, Slot};

/// The form field that carries a template's language. Kaleyra's pages name it
/// both `lang_code` and `language`; this project sends `lang_code` (see DECISIONS.md).
pub(crate) const LANGUAGE_FIELD: &str = "lang_code";

/// The `channel` value. Kaleyra's pages write both `whatsapp` and
/// `WhatsApp`; this project sends the lowercase one (see DECISIONS.md).
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
        MessageRef::Template(template) => template_type(template)?,
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
        MessageRef::ReplyButtons(buttons) => reply_fields(buttons, &mut form)?,
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
    // Known from the definition even when the message gives no card, so a
    // carousel is never sent without its cards.
    if !template.cards.is_empty() || template.texts.is_some_and(|texts| texts.cards > 0) {
        return Err(Error::unsupported(
            "a carousel template (no Kaleyra v1 page documents carousels; send it through v2)",
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
    if let Some(products) = template.products {
        return multi_product_fields(template, &products.products, form);
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
        Some(header) => {
            if let Some(media) = header.media() {
                form.append_pair("media_url", media_url(media)?);
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
            ButtonParameter::FlowToken => {
                return Err(Error::unsupported(
                    "a flow button (no Kaleyra v1 page documents flow templates; send it through v2)",
                    ApiVersion::V1,
                ));
            }
            // Kaleyra's catalog page sends the id plain, unlike its
            // multi-product page (see `multi_product_fields`).
            ButtonParameter::ProductThumbnail => {
                form.append_pair("thumbnail_product_retailer_id", &button.value);
            }
            ButtonParameter::CouponCode
            | ButtonParameter::UrlSuffix
            | ButtonParameter::ProductSections => {}
        }
    }
    coupon_code_field(template, form)?;
    if let Some(ms) = template.expiration_time_ms()? {
        // `[{"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms":N}}]`:
        // Meta's parameter, embedded whole, as Kaleyra's v1 LTO page sends it.
        let mut json = super::json::JsonWriter::with_capacity(96);
        json.raw(r#"[{"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms":"#);
        json.integer(ms);
        json.raw("}}]");
        let text = json
            .finish()
            .map_err(|error| Error::internal("writing the v1 limited_time_offer field", error))?;
        form.append_pair("limited_time_offer", &text);
    }
    if template.sandbox {
        form.append_pair("source", "sandbox");
    }
    Ok(())
}

/// The v1 `type` of a template message: `template`, `mediatemplate` or
/// `authenticationtemplate` by its shape; `template` for a catalog template,
/// as Kaleyra's catalog page sends it; for a multi-product template the
/// value its products were given, since Kaleyra's page leaves it unseen.
fn template_type<'a>(template: TemplateParts<'a>) -> Result<&'a str, Error> {
    if let Some(TemplateHeader::Product(_)) = template.header {
        return Err(Error::unsupported(
            "a single-product (SPM) template with a `product` header (no Kaleyra page documents one on v1; its `singleproduct` type is an interactive message); send it through v2",
            ApiVersion::V1,
        ));
    }
    if let Some(products) = template.products {
        return products.products.v1_type().ok_or_else(|| {
            Error::invalid(
                "type",
                "Kaleyra's v1 multi-product page does not show the value of `type` for a multi-product template; give it with `MultiProduct::v1_message_type` once Kaleyra tells you, or send through v2",
            )
        });
    }
    let catalog = template
        .buttons
        .iter()
        .any(|button| button.takes == ButtonParameter::ProductThumbnail);
    Ok(match template.shape {
        Shape::Plain => "template",
        Shape::Media if catalog => "template",
        Shape::Media => "mediatemplate",
        Shape::Authentication => "authenticationtemplate",
    })
}

/// A multi-product template, as Kaleyra's v1 multi-product page writes it:
/// `name` and `language` (not `template_name` and `lang_code`),
/// `thumbnail_product_retailer_id` in double quotes and `sections` as JSON.
/// The page shows no body, header or button values, nor the sandbox, so
/// those are refused rather than sent in fields it does not name.
fn multi_product_fields(
    template: TemplateParts<'_>,
    products: &MultiProduct,
    form: &mut Form,
) -> Result<(), Error> {
    let unsupported = |what: &str| {
        Error::unsupported(
            format!(
                "{what} on a multi-product template (Kaleyra's v1 multi-product page shows none; send it through v2)"
            ),
            ApiVersion::V1,
        )
    };
    if !template.params.is_empty() {
        return Err(unsupported("body values"));
    }
    if template.header.is_some() {
        return Err(unsupported("a header value"));
    }
    if !template.buttons.is_empty() {
        return Err(unsupported("other button values"));
    }
    if template.sandbox {
        return Err(unsupported("the sandbox (source=sandbox)"));
    }
    form.append_pair("name", template.name);
    if let Some(language) = template.language {
        form.append_pair(MULTI_PRODUCT_LANGUAGE_FIELD, language);
    }
    if products.thumbnail().contains('"') {
        return Err(Error::invalid(
            Slot::Products(ProductsPart::Thumbnail).to_string(),
            "contains a double quote (\"), which Kaleyra's v1 quoted `thumbnail_product_retailer_id` cannot carry unambiguously; send through v2",
        ));
    }
    form.append_pair(
        "thumbnail_product_retailer_id",
        &format!("\"{}\"", products.thumbnail()),
    );
    form.append_pair("sections", &super::v2::product_sections_json(products)?);
    Ok(())
}

/// The field a multi-product template's language goes in on v1: Kaleyra's
/// multi-product page names it `language`, where its other template pages
/// name it `lang_code` ([`LANGUAGE_FIELD`]).
pub(crate) const MULTI_PRODUCT_LANGUAGE_FIELD: &str = "language";

/// `coupon_code="CODE"`: the copy-code button's code, in double quotes as
/// Kaleyra's v1 coupon-code and limited-time-offer pages write it (like
/// `params`). The field has no index, so one coupon per message; a code with
/// a `"` is refused rather than sent where no page says how it is escaped.
fn coupon_code_field(template: TemplateParts<'_>, form: &mut Form) -> Result<(), Error> {
    let mut coupons = template
        .buttons
        .iter()
        .filter(|button| button.takes == ButtonParameter::CouponCode);
    let Some(coupon) = coupons.next() else {
        return Ok(());
    };
    if let Some(second) = coupons.next() {
        return Err(Error::invalid(
            format!("buttons[{}] coupon code", second.index),
            "Kaleyra v1 takes one coupon code (`coupon_code`) per message; send a template with two copy-code buttons through v2",
        ));
    }
    if coupon.value.contains('"') {
        return Err(Error::invalid(
            format!("buttons[{}] coupon code", coupon.index),
            "contains a double quote (\"), which Kaleyra's v1 `coupon_code` field cannot carry unambiguously; remove it, or send through the v2 API, whose JSON can",
        ));
    }
    form.append_pair("coupon_code", &format!("\"{}\"", coupon.value));
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

fn reply_fields(message: &ReplyButtons, form: &mut Form) -> Result<(), Error> {
    form.append_pair("body", &message.body);
    if let Some(footer) = &message.footer {
        form.append_pair("footer", footer);
    }
    form.append_pair("action", &super::v2::reply_action_json(message));
    if let Some(header) = &message.header {
        form.append_pair("header_type", header.type_name());
        let value = match (header.text(), header.media()) {
            (Some(text), _) => text,
            (None, Some(media)) => media_url(media)?,
            (None, None) => "",
        };
        form.append_pair("header_value", value);
    }
    if let Some(caption) = &message.caption {
        // The checks refuse a caption without a media header.
        debug_assert!(!matches!(
            message.header,
            Some(InteractiveHeader::Text(_)) | None
        ));
        form.append_pair("caption", caption);
    }
    Ok(())
}

fn extra_fields(extras: &Extras, form: &mut Form) -> Result<(), Error> {
    if extras.wa_source.is_some() {
        return Err(Error::unsupported("wa_source", ApiVersion::V1));
    }
    if let Some(url) = &extras.callback_url {
        form.append_pair("callback_url", url);
    }
    if let Some(id) = &extras.callback_profile_id {
        form.append_pair("callback_profile_id", id);
    }
    for (name, value) in Extras::REF_FIELDS.iter().zip(&extras.refs) {
        if let Some(value) = value {
            form.append_pair(name, value);
        }
    }
    Ok(())
}

/// A media header's link, as v1's `media_url` and `header_value` take it.
/// An uploaded id is refused by name (a decision: Kaleyra's v1 pages send
/// media by URL, or as the file itself in the same request, `media=@file`,
/// and disagree on whether that field is a file; this library sends v1 media
/// by URL only).
fn media_url(media: &Media) -> Result<&str, Error> {
    match media {
        Media::Link(url) => Ok(url.as_str()),
        Media::Id(_) => Err(Error::unsupported(
            "media by uploaded id (`MediaId`; v1 takes a media URL: send a `MediaUrl`, or use v2)",
            ApiVersion::V1,
        )),
    }
}
