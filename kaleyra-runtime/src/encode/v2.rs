//! Kaleyra v2: `POST {base}/v2/{sid}/whatsapp/{from}/messages` with JSON, one
//! recipient per request. `messaging_object` is Meta's Cloud API message.
//!
//! The body is written as JSON text directly (see [`JsonWriter`]): each
//! function below writes one object, and its literals show the object's keys
//! in the order they are sent.

use kaleyra_definitions::{ButtonParameter, limits};
use reqwest::Method;

use super::json::JsonWriter;
use crate::api::ApiVersion;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::{
    ButtonValue, CarouselCard, CtaUrl, Extras, FlowActionData, InteractiveHeader, Location, Media,
    MessageRef, MultiProduct, Param, ProductsButton, ReplyButtons, TemplateHeader, TemplateParts,
    Text,
};
use crate::request::PreparedRequest;

/// Button indices as Meta's examples write them: strings (JSON, quotes
/// included), for each index a WhatsApp template can have.
const INDEX_TEXT: [&str; limits::META_BUTTON_INDEX_MAX as usize + 1] = [
    "\"0\"", "\"1\"", "\"2\"", "\"3\"", "\"4\"", "\"5\"", "\"6\"", "\"7\"", "\"8\"", "\"9\"",
];

/// Card indices as Kaleyra's carousel page writes them: numbers, for each
/// card a carousel can have.
const CARD_INDEX_TEXT: [&str; limits::CAROUSEL_CARDS_MAX] =
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The request for one recipient. `recipients` holds exactly that one, and
/// becomes the request's recipient list as it is.
pub(crate) fn prepare(
    endpoint: &Endpoint,
    message: MessageRef<'_>,
    recipients: Vec<String>,
) -> Result<PreparedRequest, Error> {
    debug_assert_eq!(recipients.len(), 1, "v2 sends one recipient per request");
    if message.options().callback_profile_id.is_some() {
        return Err(Error::unsupported(
            "callback_profile_id (Kaleyra documents it as a v1 form field; where a v2 body carries it is undocumented)",
            ApiVersion::V2,
        ));
    }
    // Most bodies are a few hundred bytes; starting at 512 rarely grows.
    let mut json = JsonWriter::with_capacity(512);
    json.raw(r#"{"messaging_object":"#);
    messaging_object(&mut json, message, &recipients[0])?;
    extra_info(&mut json, message.options());
    json.raw("}");
    let body = json
        .finish()
        .map_err(|error| Error::internal("writing the v2 JSON body", error))?;
    Ok(PreparedRequest {
        method: Method::POST,
        url: endpoint.url.clone(),
        headers: endpoint.headers_with_body.clone(),
        body: body.into_bytes().into(),
        api: ApiVersion::V2,
        recipients,
        callback_secret: message.options().callback_secret.clone(),
    })
}

/// `{"messaging_product", "recipient_type", "to", "type", then the message
/// by its type}`.
fn messaging_object(json: &mut JsonWriter, message: MessageRef<'_>, to: &str) -> Result<(), Error> {
    json.raw(r#"{"messaging_product":"whatsapp","recipient_type":"individual","to":"#);
    json.string(to);
    match message {
        MessageRef::Text(text) => text_message(json, text)?,
        MessageRef::Template(template) => {
            json.raw(r#","type":"template","template":"#);
            template_object(json, template)?;
        }
        MessageRef::ReplyButtons(buttons) => {
            json.raw(r#","type":"interactive","interactive":"#);
            reply_interactive(json, buttons)?;
        }
        MessageRef::CtaUrl(cta) => {
            json.raw(r#","type":"interactive","interactive":"#);
            cta_interactive(json, cta);
        }
    }
    json.raw("}");
    Ok(())
}

/// `"type": "text"`, the optional `context`, and `text`.
fn text_message(json: &mut JsonWriter, text: &Text) -> Result<(), Error> {
    let Text {
        body,
        preview_url,
        reply_to,
        use_get,
        ..
    } = text;
    if *use_get {
        return Err(Error::unsupported("GET requests", ApiVersion::V2));
    }
    json.raw(r#","type":"text""#);
    if let Some(message_id) = reply_to {
        json.raw(r#","context":{"message_id":"#);
        json.string(message_id);
        json.raw("}");
    }
    json.raw(r#","text":{"#);
    match preview_url {
        Some(true) => json.raw(r#""preview_url":true,"#),
        Some(false) => json.raw(r#""preview_url":false,"#),
        None => {}
    }
    json.raw(r#""body":"#);
    json.string(body);
    json.raw("}");
    Ok(())
}

/// `{"name", "language": {"code"}, "components"}`, without `components`
/// when the message gives no values.
fn template_object(json: &mut JsonWriter, template: TemplateParts<'_>) -> Result<(), Error> {
    if template.sandbox {
        return Err(Error::unsupported(
            "the sandbox (source=sandbox)",
            ApiVersion::V2,
        ));
    }
    let code = template.language.ok_or_else(|| {
        Error::invalid(
            "language",
            format!(
                "is required on v2 (template.language.code); give template `{}` its approved language, such as \"en\"",
                template.name
            ),
        )
    })?;
    json.raw(r#"{"name":"#);
    json.string(template.name);
    json.raw(r#","language":{"code":"#);
    json.string(code);
    json.raw("}");
    let expiration_time_ms = template.expiration_time_ms()?;
    let has_components = template.header.is_some()
        || expiration_time_ms.is_some()
        || !template.params.is_empty()
        || !template.buttons.is_empty()
        || template.products.is_some()
        || !template.cards.is_empty();
    if has_components {
        json.raw(r#","components":["#);
        components(json, template, expiration_time_ms);
        json.raw("]");
    }
    json.raw("}");
    Ok(())
}

/// A template's components, comma-separated: the header, the limited-time
/// offer's expiry, the body's values, and the buttons by index, as WhatsApp
/// lists them.
fn components(json: &mut JsonWriter, template: TemplateParts<'_>, expiration_time_ms: Option<u64>) {
    let mut separator = "";
    if let Some(header) = template.header {
        json.raw(r#"{"type":"header","parameters":["#);
        template_header(json, header);
        json.raw("]}");
        separator = ",";
    }
    if let Some(ms) = expiration_time_ms {
        json.raw(separator);
        limited_time_offer(json, ms);
        separator = ",";
    }
    if !template.params.is_empty() {
        json.raw(separator);
        body_component(json, template.params);
        separator = ",";
    }
    buttons(
        json,
        template.buttons,
        template.products,
        template.flow_action_data,
        &mut separator,
    );
    if !template.cards.is_empty() {
        json.raw(separator);
        carousel(json, template.cards);
    }
}

/// The buttons' components by index, as WhatsApp lists them, each after
/// `separator` (which becomes `,` once one is written).
fn buttons(
    json: &mut JsonWriter,
    buttons: &[ButtonValue<'_>],
    products: Option<&ProductsButton<'_>>,
    flow_action_data: Option<&FlowActionData>,
    separator: &mut &'static str,
) {
    // There are at most ten buttons (the checks refuse a higher index).
    for index in 0..=limits::META_BUTTON_INDEX_MAX {
        if let Some(products) = products.filter(|products| products.index == index) {
            json.raw(separator);
            *separator = ",";
            multi_product_button(json, products);
            continue;
        }
        let Some(button) = buttons.iter().find(|button| button.index() == index) else {
            continue;
        };
        json.raw(separator);
        *separator = ",";
        let sub_type = match button.takes {
            ButtonParameter::UrlSuffix => r#"{"type":"button","sub_type":"url","index":"#,
            ButtonParameter::Payload => r#"{"type":"button","sub_type":"quick_reply","index":"#,
            ButtonParameter::CouponCode => r#"{"type":"button","sub_type":"copy_code","index":"#,
            // Meta's "Send Catalog Template Message" writes the sub-type in capitals.
            ButtonParameter::ProductThumbnail => {
                r#"{"type":"button","sub_type":"CATALOG","index":"#
            }
            // The checks refuse it: a multi-product button's value is `products`.
            ButtonParameter::ProductSections => continue,
            ButtonParameter::FlowToken => r#"{"type":"button","sub_type":"flow","index":"#,
        };
        json.raw(sub_type);
        json.raw(INDEX_TEXT[usize::from(button.index())]);
        json.raw(r#","parameters":["#);
        match button.takes {
            ButtonParameter::UrlSuffix => text_parameter(json, &button.value),
            ButtonParameter::Payload => {
                json.raw(r#"{"type":"payload","payload":"#);
                json.string(&button.value);
                json.raw("}");
            }
            ButtonParameter::CouponCode => {
                json.raw(r#"{"type":"coupon_code","coupon_code":"#);
                json.string(&button.value);
                json.raw("}");
            }
            ButtonParameter::ProductThumbnail => {
                json.raw(r#"{"type":"action","action":{"thumbnail_product_retailer_id":"#);
                json.string(&button.value);
                json.raw("}}");
            }
            ButtonParameter::ProductSections => {}
            ButtonParameter::FlowToken => {
                flow_action(json, &button.value, flow_action_data);
            }
        }
        json.raw("]}");
    }
}

/// `{"type": "body", "parameters": [..]}`, each value with its
/// `parameter_name` when the template's placeholders are named.
fn body_component(json: &mut JsonWriter, params: &[Param<'_>]) {
    json.raw(r#"{"type":"body","parameters":["#);
    for (position, param) in params.iter().enumerate() {
        if position > 0 {
            json.raw(",");
        }
        match param.parameter_name.as_deref() {
            Some(name) => named_text_parameter(json, name, &param.value),
            None => text_parameter(json, &param.value),
        }
    }
    json.raw("]}");
}

/// `{"type": "carousel", "cards": [{"card_index", "components": [header,
/// body, buttons]}]}`: Kaleyra's v2 carousel page shows the cards' header
/// and body in this shape; their buttons follow Meta's (Kaleyra's page
/// leaves them unseen: see DECISIONS.md).
fn carousel(json: &mut JsonWriter, cards: &[CarouselCard<'_>]) {
    json.raw(r#"{"type":"carousel","cards":["#);
    for (position, card) in cards.iter().enumerate() {
        if position > 0 {
            json.raw(",");
        }
        json.raw(r#"{"card_index":"#);
        // The checks refuse more than `CAROUSEL_CARDS_MAX` cards.
        json.raw(CARD_INDEX_TEXT[position]);
        json.raw(r#","components":[{"type":"header","parameters":["#);
        template_header(json, card.header());
        json.raw("]}");
        if !card.params.is_empty() {
            json.raw(",");
            body_component(json, &card.params);
        }
        let mut separator = ",";
        buttons(json, &card.buttons, None, None, &mut separator);
        json.raw("]}");
    }
    json.raw("]}");
}

/// `{"type": "button", "sub_type": "mpm", "index", "parameters": [{"type":
/// "action", "action": {"thumbnail_product_retailer_id", "sections"}}]}`:
/// Meta's multi-product button (Kaleyra's v2 page leaves it unseen).
fn multi_product_button(json: &mut JsonWriter, button: &ProductsButton<'_>) {
    json.raw(r#"{"type":"button","sub_type":"mpm","index":"#);
    json.raw(INDEX_TEXT[usize::from(button.index)]);
    json.raw(r#","parameters":[{"type":"action","action":"#);
    multi_product_action(json, &button.products);
    json.raw("}]}");
}

/// `{"thumbnail_product_retailer_id", "sections": [{"title", "product_items":
/// [{"product_retailer_id"}]}]}`.
fn multi_product_action(json: &mut JsonWriter, products: &MultiProduct) {
    json.raw(r#"{"thumbnail_product_retailer_id":"#);
    json.string(products.thumbnail());
    json.raw(r#","sections":"#);
    product_sections(json, products);
    json.raw("}");
}

/// `[{"title", "product_items": [{"product_retailer_id"}]}]`.
fn product_sections(json: &mut JsonWriter, products: &MultiProduct) {
    json.raw("[");
    for (position, section) in products.sections().iter().enumerate() {
        if position > 0 {
            json.raw(",");
        }
        json.raw(r#"{"title":"#);
        json.string(section.title());
        json.raw(r#","product_items":["#);
        for (item, id) in section.retailer_ids().iter().enumerate() {
            if item > 0 {
                json.raw(",");
            }
            json.raw(r#"{"product_retailer_id":"#);
            json.string(id);
            json.raw("}");
        }
        json.raw("]}");
    }
    json.raw("]");
}

/// v1's `sections` form field: the sections as JSON text.
pub(crate) fn product_sections_json(products: &MultiProduct) -> Result<String, Error> {
    let mut json = JsonWriter::with_capacity(256);
    product_sections(&mut json, products);
    json.finish()
        .map_err(|error| Error::internal("writing the v1 `sections` JSON", error))
}

/// `{"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer",
/// "limited_time_offer": {"expiration_time_ms"}}]}`, Meta's component for an
/// offer's expiry. (v1 sends the inner parameter alone, in an array.)
pub(crate) fn limited_time_offer(json: &mut JsonWriter, expiration_time_ms: u64) {
    json.raw(r#"{"type":"limited_time_offer","parameters":[{"type":"limited_time_offer","limited_time_offer":{"expiration_time_ms":"#);
    json.integer(expiration_time_ms);
    json.raw("}}]}");
}

/// `{"type": "action", "action": {"flow_token", "flow_action_data"}}`: a flow
/// button's parameter, as Meta's flow-template example writes it.
fn flow_action(json: &mut JsonWriter, token: &str, data: Option<&FlowActionData>) {
    json.raw(r#"{"type":"action","action":{"flow_token":"#);
    json.string(token);
    if let Some(data) = data {
        json.raw(r#","flow_action_data":"#);
        json.json(data.as_map());
    }
    json.raw("}}");
}

/// `{"type": "text", "text"}`: a template's value, or an interactive
/// message's text header.
fn text_parameter(json: &mut JsonWriter, text: &str) {
    json.raw(r#"{"type":"text","text":"#);
    json.string(text);
    json.raw("}");
}

/// `{"type": "text", "parameter_name", "text"}`: a value of a template with
/// named placeholders.
fn named_text_parameter(json: &mut JsonWriter, name: &str, text: &str) {
    json.raw(r#"{"type":"text","parameter_name":"#);
    json.string(name);
    json.raw(r#","text":"#);
    json.string(text);
    json.raw("}");
}

/// `{"type": T, T: {"link"}}` for media `T`.
fn media_parameter(json: &mut JsonWriter, kind: MediaKind, media: &Media) {
    json.raw(match kind {
        MediaKind::Image => r#"{"type":"image","image":{"#,
        MediaKind::Video => r#"{"type":"video","video":{"#,
        MediaKind::Document => r#"{"type":"document","document":{"#,
    });
    match media {
        Media::Link(url) => {
            json.raw(r#""link":"#);
            json.string(url.as_str());
        }
        Media::Id(id) => {
            json.raw(r#""id":"#);
            json.string(id.as_str());
        }
    }
    json.raw("}}");
}

#[derive(Clone, Copy)]
enum MediaKind {
    Image,
    Video,
    Document,
}

fn template_header(json: &mut JsonWriter, header: &TemplateHeader) {
    match header {
        TemplateHeader::Text(text) => text_parameter(json, text),
        TemplateHeader::NamedText { name, value } => named_text_parameter(json, name, value),
        TemplateHeader::Image(media) => media_parameter(json, MediaKind::Image, media),
        TemplateHeader::Video(media) => media_parameter(json, MediaKind::Video, media),
        TemplateHeader::Document(media) => media_parameter(json, MediaKind::Document, media),
        TemplateHeader::Product(product) => {
            json.raw(r#"{"type":"product","product":{"product_retailer_id":"#);
            json.string(product.retailer_id());
            json.raw(r#","catalog_id":"#);
            json.string(product.catalog_id());
            json.raw("}}");
        }
        TemplateHeader::Location(location) => location_parameter(json, location),
    }
}

/// `{"type": "location", "location": {"latitude", "longitude", "name",
/// "address"}}`: Meta's location header parameter, the coordinates as
/// numbers as in Kaleyra's v2 location message and Meta's examples.
fn location_parameter(json: &mut JsonWriter, location: &Location) {
    json.raw(r#"{"type":"location","location":{"latitude":"#);
    // Finite, as `Location::new` checks.
    json.number(location.latitude());
    json.raw(r#","longitude":"#);
    json.number(location.longitude());
    if let Some(name) = location.place_name() {
        json.raw(r#","name":"#);
        json.string(name);
    }
    if let Some(address) = location.place_address() {
        json.raw(r#","address":"#);
        json.string(address);
    }
    json.raw("}}");
}

fn interactive_header(json: &mut JsonWriter, header: &InteractiveHeader) {
    match header {
        InteractiveHeader::Text(text) => text_parameter(json, text),
        InteractiveHeader::Image(media) => media_parameter(json, MediaKind::Image, media),
        InteractiveHeader::Video(media) => media_parameter(json, MediaKind::Video, media),
        InteractiveHeader::Document(media) => media_parameter(json, MediaKind::Document, media),
    }
}

/// `{"type": "button", "header", "body", "footer", "action"}`.
fn reply_interactive(json: &mut JsonWriter, message: &ReplyButtons) -> Result<(), Error> {
    if message.caption.is_some() {
        return Err(Error::unsupported(
            "a caption on an interactive header",
            ApiVersion::V2,
        ));
    }
    json.raw(r#"{"type":"button""#);
    if let Some(header) = &message.header {
        json.raw(r#","header":"#);
        interactive_header(json, header);
    }
    body_and_footer(json, &message.body, message.footer.as_deref());
    json.raw(r#","action":"#);
    reply_action(json, message);
    json.raw("}");
    Ok(())
}

/// `{"type": "cta_url", "header", "body", "footer", "action"}`.
fn cta_interactive(json: &mut JsonWriter, cta: &CtaUrl) {
    json.raw(r#"{"type":"cta_url""#);
    if let Some(header) = &cta.header {
        json.raw(r#","header":"#);
        text_parameter(json, header);
    }
    body_and_footer(json, &cta.body, cta.footer.as_deref());
    json.raw(r#","action":{"name":"cta_url","parameters":{"display_text":"#);
    json.string(&cta.display_text);
    json.raw(r#","url":"#);
    json.string(&cta.url);
    json.raw("}}}");
}

/// An interactive message's `"body": {"text"}` and optional `"footer": {"text"}`.
fn body_and_footer(json: &mut JsonWriter, body: &str, footer: Option<&str>) {
    json.raw(r#","body":{"text":"#);
    json.string(body);
    json.raw("}");
    if let Some(footer) = footer {
        json.raw(r#","footer":{"text":"#);
        json.string(footer);
        json.raw("}");
    }
}

/// `{"buttons": [{"type": "reply", "reply": {"id", "title"}}, ...]}`.
fn reply_action(json: &mut JsonWriter, message: &ReplyButtons) {
    json.raw(r#"{"buttons":["#);
    for (position, button) in message.buttons.iter().enumerate() {
        if position > 0 {
            json.raw(",");
        }
        json.raw(r#"{"type":"reply","reply":{"id":"#);
        json.string(&button.id);
        json.raw(r#","title":"#);
        json.string(&button.title);
        json.raw("}}");
    }
    json.raw("]}");
}

/// The `action` of a reply-button message, which v1 sends as a JSON string.
pub(crate) fn reply_action_json(message: &ReplyButtons) -> String {
    let mut json = JsonWriter::with_capacity(256);
    reply_action(&mut json, message);
    json.finish().unwrap_or_default()
}

/// `,"extra_info": {"ref", "ref1", "ref2", "wa_source", "callback_url"}`
/// with the options the message has; nothing when it has none.
fn extra_info(json: &mut JsonWriter, extras: &Extras) {
    let [ref0, ref1, ref2] = &extras.refs;
    // decision: Kaleyra's v2 pages do not say where a per-message callback URL
    // goes; this project sends it in `extra_info` (see DECISIONS.md).
    let fields = [
        (r#""ref":"#, ref0.as_deref()),
        (r#""ref1":"#, ref1.as_deref()),
        (r#""ref2":"#, ref2.as_deref()),
        (
            r#""wa_source":"#,
            extras.wa_source.map(|source| source.as_str()),
        ),
        (r#""callback_url":"#, extras.callback_url.as_deref()),
    ];
    let mut opened = false;
    for (key, value) in fields {
        let Some(value) = value else { continue };
        json.raw(if opened { "," } else { r#","extra_info":{"# });
        json.raw(key);
        json.string(value);
        opened = true;
    }
    if opened {
        json.raw("}");
    }
}
