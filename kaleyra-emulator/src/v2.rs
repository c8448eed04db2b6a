//! Kaleyra v2: `POST /v2/{sid}/whatsapp/{phone_number}/messages` with
//! `{"messaging_object": <Meta Cloud API message>, "extra_info": {...}}`,
//! checked and turned into a [`Submission`].
//!
//! The path number is the business (sender) number (a project decision, see
//! DECISIONS.md): `WA401` when it is not the account's, `WA-401` when it is
//! the account's v1 number. Anything else wrong is `WA400`, whose `error` map
//! keeps Kaleyra's `"payload": "Incorrect payload format"` and names each
//! field at fault by its JSON path.

use crate::uploads::Uploads;
use kaleyra_definitions::values::{self, LocationPart, Slot};
use kaleyra_definitions::{ButtonParameter, HeaderType, TemplateSet, limits, media};
use serde::Deserialize;

use crate::account::{Account, with_plus};
use crate::errors::{ApiError, Problems};
use crate::interactive::{
    self, ReplyButtonObject, header_type, media_url_problem, optional_text_problem,
    required_text_problem,
};
use crate::message::{ApiVersion, Content, MessageKind, Refs, StoredHeader, Submission};
use crate::templates::{self, ButtonInput, ButtonValue, HeaderValue, TemplateRequest, Wire};

/// The `wa_source` values Kaleyra documents; it rewrites any other to `api`.
const WA_SOURCES: [&str; 13] = [
    "api",
    "clevertap",
    "zoho",
    "webengage",
    "shopify",
    "leadsquared",
    "responsys",
    "braze",
    "hubspot",
    "salesforce",
    "zapier",
    "eloqua",
    "moengage",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    messaging_object: MessagingObject,
    extra_info: Option<ExtraInfo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessagingObject {
    messaging_product: String,
    recipient_type: Option<String>,
    to: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    context: Option<Context>,
    text: Option<TextObject>,
    template: Option<TemplateObject>,
    interactive: Option<InteractiveObject>,
    biz_opaque_callback_data: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Context {
    message_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextObject {
    body: String,
    #[serde(rename = "preview_url")]
    _preview_url: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateObject {
    name: String,
    language: Language,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Language {
    code: String,
    #[serde(rename = "policy")]
    _policy: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Component {
    #[serde(rename = "type")]
    kind: String,
    sub_type: Option<String>,
    index: Option<Index>,
    #[serde(default)]
    parameters: Vec<Parameter>,
    /// A `carousel` component's cards.
    cards: Option<Vec<CardObject>>,
}

/// One card of a `carousel` component: its position and its components.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardObject {
    card_index: Index,
    #[serde(default)]
    components: Vec<Component>,
}

/// A button index, which Meta's examples write as a string (`"0"`) and
/// others as a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Index {
    Number(u64),
    Text(String),
}

impl Index {
    fn value(&self) -> Option<u8> {
        match self {
            Index::Number(number) => u8::try_from(*number).ok(),
            Index::Text(text) => text.parse().ok(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Parameter {
    #[serde(rename = "type")]
    kind: String,
    text: Option<String>,
    /// Meta's named parameters: the placeholder this value fills.
    parameter_name: Option<String>,
    payload: Option<String>,
    coupon_code: Option<String>,
    /// A single-product template's header product.
    product: Option<crate::products::ProductObject>,
    limited_time_offer: Option<OfferParameter>,
    /// A catalog, multi-product or flow button's action.
    action: Option<ButtonAction>,
    image: Option<Media>,
    video: Option<Media>,
    document: Option<Media>,
    location: Option<LocationObject>,
}

/// A location header parameter's place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationObject {
    latitude: Option<serde_json::Value>,
    longitude: Option<serde_json::Value>,
    name: Option<String>,
    address: Option<String>,
}

/// `{"expiration_time_ms": <Unix ms>}`, a limited-time offer's expiry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfferParameter {
    expiration_time_ms: Option<u64>,
}

/// A button parameter's `action`: a catalog button's thumbnail, a
/// multi-product button's thumbnail and sections, or a flow button's
/// `{"flow_token", "flow_action_data"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ButtonAction {
    thumbnail_product_retailer_id: Option<String>,
    sections: Option<Vec<crate::products::SectionObject>>,
    flow_token: Option<String>,
    flow_action_data: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Media {
    link: Option<String>,
    id: Option<String>,
    #[serde(rename = "caption")]
    _caption: Option<String>,
    #[serde(rename = "filename")]
    _filename: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InteractiveObject {
    #[serde(rename = "type")]
    kind: String,
    header: Option<InteractiveHeader>,
    body: TextOnly,
    footer: Option<TextOnly>,
    action: Action,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InteractiveHeader {
    #[serde(rename = "type")]
    kind: String,
    text: Option<String>,
    image: Option<Media>,
    video: Option<Media>,
    document: Option<Media>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextOnly {
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Action {
    buttons: Option<Vec<ReplyButtonObject>>,
    name: Option<String>,
    parameters: Option<CtaParameters>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CtaParameters {
    display_text: String,
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraInfo {
    #[serde(rename = "ref")]
    reference: Option<String>,
    ref1: Option<String>,
    ref2: Option<String>,
    wa_source: Option<String>,
    // decision: Kaleyra's v2 pages do not say where a per-message callback
    // URL goes; this project sends it in `extra_info`.
    callback_url: Option<String>,
}

/// Checks a v2 request sent from `path_number` and makes the submission it describes.
pub(crate) fn decode(
    path_number: &str,
    content_type: Option<&str>,
    body: &[u8],
    account: &Account,
    templates: &TemplateSet,
    uploads: &Uploads,
) -> Result<Submission, ApiError> {
    match account.binding(path_number) {
        Some(ApiVersion::V2) => {}
        Some(ApiVersion::V1) => return Err(ApiError::different_version()),
        None => return Err(ApiError::number_not_on_account()),
    }
    let is_json = content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
    });
    if !is_json {
        let mut problems = Problems::new();
        problems.add(
            "Content-Type",
            format!(
                "is `{}`; the only allowed value is application/json",
                content_type.unwrap_or("missing")
            ),
        );
        return Err(ApiError::malformed_payload(problems));
    }
    // Not JSON at all: Kaleyra's documented body as it is.
    if serde_json::from_slice::<serde_json::Value>(body).is_err() {
        return Err(ApiError::malformed_payload(Problems::new()));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    let envelope: Envelope = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        // `payload` carries Kaleyra's own sentence, so the top level has a name of its own.
        let field = if path == "." {
            "request_body".to_owned()
        } else {
            path
        };
        let mut problems = Problems::new();
        problems.add(field, error.into_inner().to_string());
        ApiError::malformed_payload(problems)
    })?;

    let mut problems = Problems::new();
    let object = &envelope.messaging_object;
    if object.messaging_product != "whatsapp" {
        problems.add(
            "messaging_object.messaging_product",
            format!(
                "is `{}`; the only allowed value is whatsapp",
                object.messaging_product
            ),
        );
    }
    if let Some(kind) = &object.recipient_type
        && kind != "individual"
    {
        problems.add(
            "messaging_object.recipient_type",
            format!("is `{kind}`; the only allowed value is individual"),
        );
    }
    if !limits::is_e164(&object.to) {
        problems.add(
            "messaging_object.to",
            format!(
                "`{}` is not an E.164 number such as +919876543210",
                object.to
            ),
        );
    }
    if let Some(data) = &object.biz_opaque_callback_data
        && data.chars().count() > 512
    {
        problems.add(
            "messaging_object.biz_opaque_callback_data",
            "has more than 512 characters",
        );
    }
    // The documented default when `type` is left out.
    let kind = object.kind.as_deref().unwrap_or("text");
    let (type_name, content) = match kind {
        "text" => ("text", text(object, &mut problems)),
        "template" => (
            "template",
            template(object, templates, uploads, &mut problems),
        ),
        "interactive" => ("interactive", interactive(object, uploads, &mut problems)),
        other => {
            problems.add(
                "messaging_object.type",
                format!("`{other}` is not a type the emulator takes: text, template, interactive"),
            );
            ("", None)
        }
    };
    for (present, name) in [
        (object.text.is_some(), "text"),
        (object.template.is_some(), "template"),
        (object.interactive.is_some(), "interactive"),
    ] {
        if present && name != kind {
            problems.add(
                format!("messaging_object.{name}"),
                format!("is given, but the message's type is {kind}"),
            );
        }
    }

    let extra = envelope.extra_info.unwrap_or(ExtraInfo {
        reference: None,
        ref1: None,
        ref2: None,
        wa_source: None,
        callback_url: None,
    });
    let refs = Refs {
        reference: extra.reference,
        ref1: extra.ref1,
        ref2: extra.ref2,
    };
    interactive::check_refs(&refs, "extra_info.", &mut problems);
    if let Some(url) = &extra.callback_url {
        interactive::check_callback_url(url, "extra_info.callback_url", &mut problems);
    }
    if let Some(source) = &extra.wa_source
        && !WA_SOURCES.contains(&source.as_str())
    {
        tracing::info!(wa_source = %source, "unknown wa_source; Kaleyra would record it as `api`");
    }
    problems
        .into_result()
        .map_err(ApiError::malformed_payload)?;
    // Every path that makes no content notes a problem, so this is an
    // accepted message; the fallback only keeps a mistake from panicking.
    let content = content.ok_or_else(|| ApiError::malformed_payload(Problems::new()))?;

    Ok(Submission {
        api: ApiVersion::V2,
        type_name,
        from: account.v2_number.clone(),
        recipients: vec![with_plus(&object.to)],
        content,
        callback_url: extra.callback_url,
        refs,
    })
}

fn text(object: &MessagingObject, problems: &mut Problems) -> Option<Content> {
    let Some(text) = &object.text else {
        problems.add("messaging_object.text", "is required when type is text");
        return None;
    };
    if let Some(problem) = required_text_problem(&text.body, limits::TEXT_BODY) {
        problems.add("messaging_object.text.body", problem);
    }
    let mut content = Content::new(MessageKind::Text, text.body.clone());
    if let Some(context) = &object.context {
        if context.message_id.trim().is_empty() {
            problems.add("messaging_object.context.message_id", "is empty");
        }
        content.reply_to = Some(context.message_id.clone());
    }
    Some(content)
}

fn template(
    object: &MessagingObject,
    set: &TemplateSet,
    uploads: &Uploads,
    problems: &mut Problems,
) -> Option<Content> {
    let Some(template) = &object.template else {
        problems.add(
            "messaging_object.template",
            "is required when type is template",
        );
        return None;
    };
    let mut shape = Problems::new();
    if template.language.code.trim().is_empty() {
        shape.add("messaging_object.template.language.code", "is empty");
    }
    let mut request = TemplateRequest {
        name: template.name.clone(),
        language: Some(template.language.code.clone()),
        ..TemplateRequest::default()
    };
    read_components(
        &template.components,
        "messaging_object.template.components",
        uploads,
        &mut request,
        &mut shape,
    );
    if !shape.is_empty() {
        problems.extend(shape);
        return None;
    }
    match templates::check(set, &request, Wire::V2) {
        Ok(content) => Some(content),
        Err(found) => {
            problems.extend(found);
            None
        }
    }
}

/// Reads a template's components (or a carousel card's) at `path` into
/// `request`, recording what is malformed in `shape`.
fn read_components(
    components: &[Component],
    path: &str,
    uploads: &Uploads,
    request: &mut TemplateRequest,
    shape: &mut Problems,
) {
    let (mut saw_header, mut saw_body, mut saw_offer, mut saw_carousel) =
        (false, false, false, false);
    for (position, component) in components.iter().enumerate() {
        let at = format!("{path}[{position}]");
        let seen = match component.kind.as_str() {
            "header" => &mut saw_header,
            "body" => &mut saw_body,
            "button" => {
                if let Some(button) = button_value(component, &at, &mut request.products, shape) {
                    request.buttons.push(button);
                }
                if component.sub_type.as_deref() == Some("flow")
                    && let Some(data) = component
                        .parameters
                        .first()
                        .and_then(|parameter| parameter.action.as_ref())
                        .and_then(|action| action.flow_action_data.clone())
                {
                    request.flow_action_data = Some(data);
                }
                continue;
            }
            "limited_time_offer" => {
                if std::mem::replace(&mut saw_offer, true) {
                    shape.add(
                        format!("{at}.type"),
                        "a second limited_time_offer component",
                    );
                } else {
                    request.expiration_time_ms = offer_value(component, &at, shape);
                }
                continue;
            }
            // A card's components are read alike, but hold no carousel.
            "carousel" if !path.contains(".cards[") => {
                if std::mem::replace(&mut saw_carousel, true) {
                    shape.add(format!("{at}.type"), "a second carousel component");
                } else {
                    read_cards(component, &at, uploads, request, shape);
                }
                continue;
            }
            other => {
                shape.add(
                    format!("{at}.type"),
                    format!(
                        "is `{other}`; components are header, limited_time_offer, body, button or carousel"
                    ),
                );
                continue;
            }
        };
        if std::mem::replace(seen, true) {
            shape.add(
                format!("{at}.type"),
                format!("a second {} component", component.kind),
            );
            continue;
        }
        if component.kind == "header" {
            request.header = header_value(component, &at, uploads, shape);
            request.header_param_name = component
                .parameters
                .first()
                .and_then(|parameter| parameter.parameter_name.clone());
        } else {
            for (number, parameter) in component.parameters.iter().enumerate() {
                match (&parameter.kind[..], &parameter.text) {
                    ("text", Some(text)) => {
                        request.params.push(text.clone());
                        request.param_names.push(parameter.parameter_name.clone());
                    }
                    _ => shape.add(
                        format!("{at}.parameters[{number}]"),
                        "body parameters are {\"type\": \"text\", \"text\": ...} (the emulator takes text parameters only)",
                    ),
                }
            }
        }
    }
}

/// A `carousel` component's cards, each read like a template's components:
/// `{"type": "carousel", "cards": [{"card_index": 0, "components": [..]}]}`.
fn read_cards(
    component: &Component,
    at: &str,
    uploads: &Uploads,
    request: &mut TemplateRequest,
    shape: &mut Problems,
) {
    let Some(cards) = &component.cards else {
        shape.add(format!("{at}.cards"), "is required on a carousel component");
        return;
    };
    if cards.is_empty() {
        shape.add(format!("{at}.cards"), "is empty");
    }
    for (position, card) in cards.iter().enumerate() {
        let card_at = format!("{at}.cards[{position}]");
        if card.card_index.value().map(usize::from) != Some(position) {
            shape.add(
                format!("{card_at}.card_index"),
                format!("must be {position}: cards are given in order, from 0"),
            );
        }
        let mut card_request = TemplateRequest::default();
        read_components(
            &card.components,
            &format!("{card_at}.components"),
            uploads,
            &mut card_request,
            shape,
        );
        request.cards.push(card_request);
    }
}

/// The `expiration_time_ms` of a `limited_time_offer` component:
/// `{"type": "limited_time_offer", "parameters": [{"type": "limited_time_offer",
/// "limited_time_offer": {"expiration_time_ms": N}}]}`.
fn offer_value(component: &Component, at: &str, problems: &mut Problems) -> Option<u64> {
    let [parameter] = component.parameters.as_slice() else {
        problems.add(
            format!("{at}.parameters"),
            format!(
                "has {} parameters; a limited_time_offer component takes one",
                component.parameters.len()
            ),
        );
        return None;
    };
    match (&parameter.kind[..], &parameter.limited_time_offer) {
        (
            "limited_time_offer",
            Some(OfferParameter {
                expiration_time_ms: Some(ms),
            }),
        ) => Some(*ms),
        ("limited_time_offer", _) => {
            problems.add(
                format!("{at}.parameters[0].limited_time_offer.expiration_time_ms"),
                "is required, the offer's expiry in Unix milliseconds",
            );
            None
        }
        (other, _) => {
            problems.add(
                format!("{at}.parameters[0].type"),
                format!("is `{other}`; a limited_time_offer component's parameter is of type limited_time_offer"),
            );
            None
        }
    }
}

fn header_value(
    component: &Component,
    at: &str,
    uploads: &Uploads,
    problems: &mut Problems,
) -> Option<HeaderValue> {
    let [parameter] = component.parameters.as_slice() else {
        problems.add(
            format!("{at}.parameters"),
            format!(
                "has {} parameters; a header component takes one",
                component.parameters.len()
            ),
        );
        return None;
    };
    if parameter.kind == "product" {
        let at = format!("{at}.parameters[0]");
        return crate::products::header_product(parameter.product.as_ref(), &at, problems);
    }
    if parameter.kind == "location" {
        return location_value(parameter.location.as_ref(), at, problems);
    }
    let kind = header_type(&parameter.kind);
    let media = match kind {
        Some(HeaderType::Text) => {
            return match &parameter.text {
                Some(text) => Some(HeaderValue::Text(text.clone())),
                None => {
                    problems.add(format!("{at}.parameters[0].text"), "is missing");
                    None
                }
            };
        }
        Some(HeaderType::Image) => &parameter.image,
        Some(HeaderType::Video) => &parameter.video,
        Some(HeaderType::Document) => &parameter.document,
        // `header_type` reads media and text only; a product and a location
        // are read above.
        Some(HeaderType::Product | HeaderType::Location) | None => {
            problems.add(
                format!("{at}.parameters[0].type"),
                format!(
                    "is `{}`; a header parameter is text, image, video, document, product or location",
                    parameter.kind
                ),
            );
            return None;
        }
    };
    let field = format!("{at}.parameters[0].{}", parameter.kind);
    let url = media_link(media.as_ref(), &field, kind, uploads, problems)?;
    Some(HeaderValue::Media { kind, url })
}

/// A location header's `location`: the latitude and longitude each a number
/// of degrees in range (a JSON number, or a string holding one, as Meta's
/// examples write both), the name and address optional text, each checked by
/// the definitions' rule book.
fn location_value(
    location: Option<&LocationObject>,
    at: &str,
    problems: &mut Problems,
) -> Option<HeaderValue> {
    let field = format!("{at}.parameters[0].location");
    let Some(location) = location else {
        problems.add(field, "is missing");
        return None;
    };
    let mut degrees = |part: LocationPart, value: &Option<serde_json::Value>| {
        let at = format!("{field}.{}", part.as_str());
        let number = match value {
            None => {
                problems.add(at, "is required");
                return None;
            }
            Some(serde_json::Value::Number(number)) => number.as_f64(),
            Some(serde_json::Value::String(text)) => text.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        let Some(number) = number else {
            problems.add(at, "is not a number of degrees");
            return None;
        };
        match values::coordinate_problem(part, number) {
            Some(problem) => {
                problems.add(at, problem);
                None
            }
            None => Some(number),
        }
    };
    let latitude = degrees(LocationPart::Latitude, &location.latitude);
    let longitude = degrees(LocationPart::Longitude, &location.longitude);
    let mut text_ok = true;
    for (part, text) in [
        (LocationPart::Name, &location.name),
        (LocationPart::Address, &location.address),
    ] {
        if let Some(text) = text
            && let Some(problem) = values::value_problem(Slot::Location(part), text)
        {
            problems.add(format!("{field}.{}", part.as_str()), problem);
            text_ok = false;
        }
    }
    Some(HeaderValue::Location {
        latitude: latitude?,
        longitude: longitude?,
        name: location.name.clone().filter(|_| text_ok),
        address: location.address.clone().filter(|_| text_ok),
    })
}

/// Where a media object's file is: its `link`, or for an uploaded `id` the
/// emulator's own address of that file ([`Uploads::url`]), after
/// checking the id was uploaded here as a type the header shows. One of the
/// two is required, and not both (a decision: Kaleyra's media sample writes
/// both, schematically, and says nothing of which would win).
fn media_link(
    media: Option<&Media>,
    field: &str,
    kind: Option<HeaderType>,
    uploads: &Uploads,
    problems: &mut Problems,
) -> Option<String> {
    let Some(media) = media else {
        problems.add(field, "is missing");
        return None;
    };
    match (&media.link, &media.id) {
        (Some(_), Some(_)) => problems.add(field, "has both `link` and `id`; give one"),
        (Some(link), None) => return Some(link.clone()),
        (None, Some(id)) => match uploads.get(id) {
            None => problems.add(
                format!("{field}.id"),
                format!("no media was uploaded as `{id}` to this number's media"),
            ),
            Some(file) => {
                let problem =
                    kind.and_then(|kind| media::uploaded_type_problem(kind, file.upload.mime));
                match problem {
                    Some(problem) => problems.add(format!("{field}.id"), problem),
                    None => return Some(uploads.url(id)),
                }
            }
        },
        (None, None) => problems.add(field, "has neither `link` nor `id`"),
    }
    None
}

fn button_value(
    component: &Component,
    at: &str,
    products_out: &mut Option<(u8, crate::message::StoredProducts)>,
    problems: &mut Problems,
) -> Option<ButtonValue> {
    let index = match component.index.as_ref().map(Index::value) {
        None => {
            problems.add(format!("{at}.index"), "is required on a button component");
            return None;
        }
        Some(Some(index)) if index <= limits::META_BUTTON_INDEX_MAX => index,
        Some(_) => {
            problems.add(
                format!("{at}.index"),
                format!(
                    "WhatsApp (Meta) templates take button indices 0 to {}",
                    limits::META_BUTTON_INDEX_MAX
                ),
            );
            return None;
        }
    };
    let [parameter] = component.parameters.as_slice() else {
        problems.add(
            format!("{at}.parameters"),
            format!(
                "has {} parameters; a button component takes one",
                component.parameters.len()
            ),
        );
        return None;
    };
    let value = match (component.sub_type.as_deref(), &parameter.kind[..]) {
        (Some("url"), "text") => parameter
            .text
            .clone()
            .map(|text| ButtonInput::new(ButtonParameter::UrlSuffix, text)),
        (Some("quick_reply"), "payload") => parameter
            .payload
            .clone()
            .map(|payload| ButtonInput::new(ButtonParameter::Payload, payload)),
        (Some("copy_code"), "coupon_code") => parameter
            .coupon_code
            .clone()
            .map(|code| ButtonInput::new(ButtonParameter::CouponCode, code)),
        (Some(sub_type @ ("CATALOG" | "catalog" | "mpm" | "MPM")), "action") => {
            let at = format!("{at}.parameters[0]");
            if parameter.action.as_ref().is_some_and(|action| {
                action.flow_token.is_some() || action.flow_action_data.is_some()
            }) {
                problems.add(
                    format!("{at}.action"),
                    "flow_token and flow_action_data belong to a flow button, not a catalog or mpm one",
                );
                return None;
            }
            return match crate::products::button_action(
                sub_type,
                parameter.action.as_ref().map(|action| {
                    (
                        action.thumbnail_product_retailer_id.as_ref(),
                        action.sections.as_ref(),
                    )
                }),
                &at,
                problems,
            )? {
                crate::products::ActionValue::Thumbnail(value) => Some(ButtonValue {
                    index: Some(index),
                    value,
                }),
                crate::products::ActionValue::Products(products) => {
                    products_out.replace((index, products));
                    None
                }
            };
        }
        (Some("CATALOG" | "catalog" | "mpm" | "MPM"), _) => {
            problems.add(
                format!("{at}.parameters[0]"),
                "a catalog or mpm button takes {\"type\": \"action\", \"action\": {...}}",
            );
            return None;
        }
        (Some("flow"), "action") => match &parameter.action {
            Some(ButtonAction {
                thumbnail_product_retailer_id: None,
                sections: None,
                flow_token: Some(token),
                ..
            }) => Some(ButtonInput::new(ButtonParameter::FlowToken, token.clone())),
            Some(ButtonAction {
                flow_token: Some(_),
                ..
            }) => {
                problems.add(
                    format!("{at}.parameters[0].action"),
                    "thumbnail_product_retailer_id and sections belong to a catalog or mpm button, not a flow one",
                );
                return None;
            }
            _ => {
                problems.add(
                    format!("{at}.parameters[0].action.flow_token"),
                    "is required: a flow button sends its flow a token",
                );
                return None;
            }
        },
        (Some("flow"), _) => {
            problems.add(
                format!("{at}.parameters[0]"),
                "a flow button takes {\"type\": \"action\", \"action\": {\"flow_token\": ..., \"flow_action_data\": {..}}}",
            );
            return None;
        }
        (Some("copy_code"), _) => {
            problems.add(
                format!("{at}.parameters[0]"),
                "a copy_code button takes {\"type\": \"coupon_code\", \"coupon_code\": ...}",
            );
            return None;
        }
        (Some("url"), _) => {
            problems.add(
                format!("{at}.parameters[0]"),
                "a url button takes {\"type\": \"text\", \"text\": <URL suffix>}",
            );
            return None;
        }
        (Some("quick_reply"), _) => {
            problems.add(
                format!("{at}.parameters[0]"),
                "a quick_reply button takes {\"type\": \"payload\", \"payload\": ...}",
            );
            return None;
        }
        (other, _) => {
            problems.add(
                format!("{at}.sub_type"),
                format!(
                    "is {}; button components are url, quick_reply, copy_code, flow, CATALOG or mpm",
                    other.map_or("missing".to_owned(), |other| format!("`{other}`"))
                ),
            );
            return None;
        }
    };
    match value {
        Some(value) => Some(ButtonValue {
            index: Some(index),
            value,
        }),
        None => {
            problems.add(format!("{at}.parameters[0]"), "has no value");
            None
        }
    }
}

fn interactive(
    object: &MessagingObject,
    uploads: &Uploads,
    problems: &mut Problems,
) -> Option<Content> {
    const AT: &str = "messaging_object.interactive";
    let Some(interactive) = &object.interactive else {
        problems.add(AT, "is required when type is interactive");
        return None;
    };
    let kind = match interactive.kind.as_str() {
        "button" => MessageKind::Reply,
        "cta_url" => MessageKind::CtaUrl,
        other => {
            problems.add(
                format!("{AT}.type"),
                format!("`{other}` is not an interactive type the emulator takes: button, cta_url"),
            );
            return None;
        }
    };
    let body = &interactive.body.text;
    if let Some(problem) = required_text_problem(body, limits::INTERACTIVE_BODY) {
        problems.add(format!("{AT}.body.text"), problem);
    }
    let mut content = Content::new(kind, body.clone());
    if let Some(footer) = &interactive.footer {
        if let Some(problem) = optional_text_problem(&footer.text, limits::FOOTER) {
            problems.add(format!("{AT}.footer.text"), problem);
        }
        content.footer = Some(footer.text.clone());
    }
    if let Some(header) = &interactive.header {
        content.header = interactive_header(header, kind, uploads, problems);
    }
    let action = &interactive.action;
    match kind {
        MessageKind::Reply => {
            if action.name.is_some() || action.parameters.is_some() {
                problems.add(
                    format!("{AT}.action"),
                    "a button message's action has `buttons` only",
                );
            }
            match &action.buttons {
                Some(buttons) => {
                    content.buttons = interactive::reply_buttons(
                        buttons,
                        &format!("{AT}.action.buttons"),
                        problems,
                    );
                }
                None => problems.add(format!("{AT}.action.buttons"), "is missing"),
            }
        }
        _ => {
            if action.buttons.is_some() {
                problems.add(
                    format!("{AT}.action.buttons"),
                    "a cta_url message has no reply buttons",
                );
            }
            if action.name.as_deref() != Some("cta_url") {
                problems.add(format!("{AT}.action.name"), "must be cta_url");
            }
            match &action.parameters {
                Some(parameters) => {
                    content.buttons = vec![interactive::cta_button(
                        &parameters.display_text,
                        &parameters.url,
                        &format!("{AT}.action.parameters"),
                        problems,
                    )];
                }
                None => problems.add(format!("{AT}.action.parameters"), "is missing"),
            }
        }
    }
    Some(content)
}

fn interactive_header(
    header: &InteractiveHeader,
    kind: MessageKind,
    uploads: &Uploads,
    problems: &mut Problems,
) -> Option<StoredHeader> {
    const AT: &str = "messaging_object.interactive.header";
    let header_kind = header_type(&header.kind);
    let media = match header_kind {
        Some(HeaderType::Text) => {
            let text = header.text.as_deref().unwrap_or_default();
            if let Some(problem) = required_text_problem(text, limits::HEADER_TEXT) {
                problems.add(format!("{AT}.text"), problem);
                return None;
            }
            return Some(StoredHeader::text(text.to_owned()));
        }
        Some(_) if kind == MessageKind::CtaUrl => {
            problems.add(
                format!("{AT}.type"),
                "a cta_url message's header is text only",
            );
            return None;
        }
        Some(HeaderType::Image) => &header.image,
        Some(HeaderType::Video) => &header.video,
        Some(HeaderType::Document) => &header.document,
        // `header_type` reads media and text only.
        Some(HeaderType::Product | HeaderType::Location) | None => {
            problems.add(
                format!("{AT}.type"),
                format!("is `{}`; use text, image, video or document", header.kind),
            );
            return None;
        }
    };
    let field = format!("{AT}.{}", header.kind);
    let url = media_link(media.as_ref(), &field, header_kind, uploads, problems)?;
    let kind = header_kind?;
    if let Some(problem) = media_url_problem(kind, &url) {
        problems.add(format!("{field}.link"), problem);
        return None;
    }
    Some(StoredHeader::media(kind, url))
}
