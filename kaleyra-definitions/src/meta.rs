//! Reading one of Meta's template objects (an element of Kaleyra v2's
//! `message_templates` `data[]`) into the model.
//!
//! The object is kept byte for byte as the account returned it, so fields this
//! library does not use are ignored, and components or buttons it cannot send
//! are recorded in [`TemplateDefinition::unsupported`] instead of refused.
//! Problems name Meta's JSON path, such as `components[2].buttons[0].url`.

use serde::Deserialize;
use serde_json::Value;

use crate::carousel::{Carousel, CarouselCard};
use crate::error::Problem;
use crate::limits::META_TEMPLATE_BUTTONS as MAX_META_BUTTONS;
use crate::model::{
    Button, ButtonType, Category, DefinitionFormat, Header, HeaderType, OtpApp, OtpType,
    ParameterFormat, TemplateDefinition, TemplateKind, Unsupported,
};
use crate::status::TemplateStatus;

/// Where WhatsApp's copy-code URL points: an authentication template's code
/// button as an account's list returns it is a `URL` button to this address
/// (`..?otp_type=COPY_CODE&..&code=otp{{1}}`), which WhatsApp renders as
/// the `OTP` button it was created as.
const OTP_URL_PREFIX: &str = "https://www.whatsapp.com/otp/code/";

/// Whether `text` holds a Meta template object rather than a definition in
/// this project's format: a JSON object with `components` and no `kind`.
pub(crate) fn is_meta_object(text: &str) -> bool {
    #[derive(Deserialize)]
    struct Keys {
        components: Option<serde::de::IgnoredAny>,
        kind: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_str::<Keys>(text)
        .is_ok_and(|keys| keys.components.is_some() && keys.kind.is_none())
}

/// The top level of Meta's template object; every other field is ignored.
#[derive(Deserialize)]
struct Object {
    name: String,
    language: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    id: Option<Id>,
    #[serde(default)]
    parameter_format: Option<String>,
    components: Vec<Value>,
}

/// Meta writes ids as strings; accept a number too, kept as its digits.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Deserialize)]
struct HeaderComponent {
    format: String,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct BodyComponent {
    /// Absent in Meta's create requests for authentication templates, whose
    /// text Meta writes (see [`AUTHENTICATION_BODY`]).
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    add_security_recommendation: Option<bool>,
}

#[derive(Deserialize)]
struct FooterComponent {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    code_expiration_minutes: Option<u32>,
}

#[derive(Deserialize)]
struct OfferComponent {
    limited_time_offer: OfferFields,
}

#[derive(Deserialize)]
struct OfferFields {
    text: String,
    #[serde(default)]
    has_expiration: bool,
}

#[derive(Deserialize)]
struct CarouselComponent {
    cards: Vec<CardObject>,
}

#[derive(Deserialize)]
struct CardObject {
    components: Vec<Value>,
}

#[derive(Deserialize)]
struct ButtonsComponent {
    buttons: Vec<Value>,
}

#[derive(Deserialize)]
struct MetaButton {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    otp_type: Option<String>,
    #[serde(default)]
    package_name: Option<String>,
    #[serde(default)]
    signature_hash: Option<String>,
    #[serde(default)]
    supported_apps: Vec<SupportedApp>,
}

/// One of an `OTP` button's `supported_apps` (Meta's newer form of
/// `package_name` and `signature_hash`).
#[derive(Deserialize)]
struct SupportedApp {
    #[serde(default)]
    package_name: Option<String>,
    #[serde(default)]
    signature_hash: Option<String>,
}

impl MetaButton {
    /// For a `URL` button to WhatsApp's copy-code address, or one that
    /// carries `otp_type`: the `otp_type`, `package_name` and
    /// `signature_hash` it carries, as fields or in the URL's query.
    fn otp_url_fields(&self) -> Option<(String, Option<String>, Option<String>)> {
        let url = self.url.as_deref().unwrap_or("");
        let query: Vec<(String, String)> = if url.starts_with(OTP_URL_PREFIX) {
            url::Url::parse(url)
                .map(|parsed| parsed.query_pairs().into_owned().collect())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let from_query = |key: &str| {
            query
                .iter()
                .find(|(name, value)| name == key && !value.is_empty())
                .map(|(_, value)| value.clone())
        };
        let otp_type = self.otp_type.clone().or_else(|| from_query("otp_type"))?;
        Some((
            otp_type,
            self.package_name
                .clone()
                .or_else(|| from_query("package_name")),
            self.signature_hash
                .clone()
                .or_else(|| from_query("signature_hash")),
        ))
    }

    /// The app an `OTP` button names, when it names both its package and
    /// its signature hash.
    fn otp_app(
        &self,
        package_name: Option<String>,
        signature_hash: Option<String>,
    ) -> Option<OtpApp> {
        let first = self.supported_apps.first();
        let package_name =
            package_name.or_else(|| first.and_then(|app| app.package_name.clone()))?;
        let signature_hash =
            signature_hash.or_else(|| first.and_then(|app| app.signature_hash.clone()))?;
        Some(OtpApp::new(package_name, signature_hash))
    }
}

/// Where each part of the model came from in Meta's object, to name Meta's
/// paths in the rules' problems.
#[derive(Debug, Default)]
pub(crate) struct MetaPaths {
    header: Option<String>,
    body: Option<String>,
    footer: Option<String>,
    buttons: Option<String>,
    offer: Option<String>,
    carousel: Option<String>,
    /// For each model button, its position in Meta's `buttons` array.
    button_positions: Vec<usize>,
    /// For a carousel: each card's paths, as a template's.
    cards: Vec<MetaPaths>,
}

impl MetaPaths {
    /// Meta's path for a model path such as `buttons[1].url` or `header.type`.
    pub(crate) fn translate(&self, path: &str) -> String {
        let (head, rest) = match path.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (path, None),
        };
        let joined = |base: &Option<String>, key: &str| match base {
            Some(base) => format!("{base}.{key}"),
            None => path.to_owned(),
        };
        match (head, rest) {
            ("body" | "params", None) => joined(&self.body, "text"),
            ("footer", None) => joined(&self.footer, "text"),
            ("header", None) => self.header.clone().unwrap_or_else(|| path.to_owned()),
            ("header", Some("type")) => joined(&self.header, "format"),
            ("header", Some(key)) => joined(&self.header, key),
            ("buttons", None) => joined(&self.buttons, "buttons"),
            ("limited_time_offer", Some(key)) => {
                joined(&self.offer, &format!("limited_time_offer.{key}"))
            }
            ("limited_time_offer", None) => self.offer.clone().unwrap_or_else(|| path.to_owned()),
            ("carousel", rest) => self.translate_carousel(path, rest),
            (button, rest) if button.starts_with("buttons[") => {
                let position = button
                    .trim_start_matches("buttons[")
                    .trim_end_matches(']')
                    .parse::<usize>()
                    .ok()
                    .and_then(|position| self.button_positions.get(position));
                match (&self.buttons, position) {
                    (Some(base), Some(meta)) => match rest {
                        Some(rest) => format!("{base}.buttons[{meta}].{rest}"),
                        None => format!("{base}.buttons[{meta}]"),
                    },
                    _ => path.to_owned(),
                }
            }
            _ => path.to_owned(),
        }
    }
}

impl MetaPaths {
    /// Meta's path for `carousel`, `carousel.cards`, `carousel.cards[1]` or
    /// a card's model path such as `carousel.cards[1].buttons[0].url`.
    fn translate_carousel(&self, path: &str, rest: Option<&str>) -> String {
        let Some(carousel) = &self.carousel else {
            return path.to_owned();
        };
        let Some(rest) = rest else {
            return carousel.clone();
        };
        let Some(card) = rest.strip_prefix("cards[") else {
            return format!("{carousel}.{rest}");
        };
        let (index, inner) = match card.split_once("].") {
            Some((index, inner)) => (index, Some(inner)),
            None => (card.trim_end_matches(']'), None),
        };
        let card_paths = index
            .parse::<usize>()
            .ok()
            .and_then(|index| self.cards.get(index));
        match (card_paths, inner) {
            // A part the card does not have (a missing body) is the card's.
            (Some(card_paths), Some(inner)) => match card_paths.translate(inner) {
                translated if translated == inner => format!("{carousel}.cards[{index}]"),
                translated => translated,
            },
            _ => format!("{carousel}.{rest}"),
        }
    }
}

/// Parses Meta's template object in `text` into the model (rules not yet checked).
pub(crate) fn parse(text: &str) -> Result<(TemplateDefinition, MetaPaths), Vec<Problem>> {
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_str(text);
    let parsed: Result<Object, serde_json::Error> = {
        let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        Object::deserialize(tracked)
    };
    let object = match parsed.and_then(|object| json.end().map(|()| object)) {
        Ok(object) => object,
        Err(error) => {
            let path = track.path().to_string();
            let position = (error.line() > 0).then(|| (error.line(), error.column()));
            let message = crate::error::strip_position(&error);
            let problem = if error.is_syntax() || error.is_eof() {
                Problem::in_file(format!("is not valid JSON: {message}"))
            } else if path == "." {
                Problem::in_file(message)
            } else {
                Problem::at_path(path, message)
            };
            return Err(vec![problem.with_position(position)]);
        }
    };
    Reader::default().read(object)
}

#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
    paths: MetaPaths,
    unsupported: Vec<Unsupported>,
}

impl Reader {
    fn read(mut self, object: Object) -> Result<(TemplateDefinition, MetaPaths), Vec<Problem>> {
        let parameter_format = match object.parameter_format.as_deref() {
            None => ParameterFormat::Positional,
            Some(text) if text.eq_ignore_ascii_case("POSITIONAL") => ParameterFormat::Positional,
            Some(text) if text.eq_ignore_ascii_case("NAMED") => ParameterFormat::Named,
            Some(other) => {
                self.problems.push(Problem::at_path(
                    "parameter_format",
                    format!(
                        "`{other}` is not a parameter format; Meta's are `POSITIONAL` and `NAMED`"
                    ),
                ));
                ParameterFormat::Positional
            }
        };
        let mut header = None;
        let mut body = None;
        let mut footer = None;
        let mut code_expiration_minutes = None;
        let mut add_security_recommendation = false;
        let mut buttons = Vec::new();
        let mut limited_time_offer = None;
        let mut carousel = None;
        for (position, component) in object.components.iter().enumerate() {
            let path = format!("components[{position}]");
            let Some(kind) = component.get("type").and_then(Value::as_str) else {
                self.problems.push(Problem::at_path(
                    format!("{path}.type"),
                    "is required, a string such as `HEADER`, `BODY`, `FOOTER` or `BUTTONS`",
                ));
                continue;
            };
            let kind = kind.to_ascii_uppercase();
            let seen = match kind.as_str() {
                "HEADER" => &mut self.paths.header,
                "BODY" => &mut self.paths.body,
                "FOOTER" => &mut self.paths.footer,
                "BUTTONS" => &mut self.paths.buttons,
                "LIMITED_TIME_OFFER" => &mut self.paths.offer,
                "CAROUSEL" => &mut self.paths.carousel,
                _ => {
                    self.unsupported
                        .push(Unsupported::new(path, format!("{kind} component")));
                    continue;
                }
            };
            if let Some(first) = seen {
                let message = format!("is a second {kind} component; the first is `{first}`");
                self.problems.push(Problem::at_path(path, message));
                continue;
            }
            *seen = Some(path.clone());
            match kind.as_str() {
                "HEADER" => header = self.header(&path, component),
                "BODY" => {
                    body = typed::<BodyComponent>(&path, component, &mut self.problems);
                    add_security_recommendation = body
                        .as_ref()
                        .and_then(|body| body.add_security_recommendation)
                        .unwrap_or(false);
                }
                "FOOTER" => {
                    if let Some(component) =
                        typed::<FooterComponent>(&path, component, &mut self.problems)
                    {
                        footer = component.text;
                        code_expiration_minutes = component.code_expiration_minutes;
                    }
                }
                "LIMITED_TIME_OFFER" => {
                    limited_time_offer = typed::<OfferComponent>(
                        &path,
                        component,
                        &mut self.problems,
                    )
                    .map(|component| {
                        let offer = component.limited_time_offer;
                        crate::offer::LimitedTimeOffer::new(offer.text, offer.has_expiration)
                    });
                }
                "CAROUSEL" => carousel = self.carousel(&path, component),
                _ => buttons = self.buttons(&path, component),
            }
        }
        if self.paths.body.is_none() {
            self.problems.push(Problem::at_path(
                "components",
                "has no BODY component; every template has a body",
            ));
        }
        let authentication =
            object.category.as_deref().and_then(category) == Some(Category::Authentication);
        let body_text = match body.and_then(|body| body.text) {
            Some(text) => Some(text),
            None if authentication => Some(AUTHENTICATION_BODY.to_owned()),
            None => {
                if let Some(path) = &self.paths.body {
                    self.problems.push(Problem::at_path(
                        path.clone(),
                        "has no `text`; only an authentication template's body may leave it to Meta",
                    ));
                }
                None
            }
        };
        if !self.problems.is_empty() {
            return Err(self.problems);
        }

        let takes_header_value = header.as_ref().is_some_and(Header::takes_value);
        let kind = if takes_header_value
            || header.as_ref().is_some_and(|h: &Header| h.kind.is_media())
            || !buttons.is_empty()
            || limited_time_offer.is_some()
            || carousel.is_some()
        {
            TemplateKind::MediaTemplate
        } else {
            TemplateKind::Template
        };
        let definition = TemplateDefinition {
            schema: None,
            name: object.name,
            kind,
            language: Some(object.language),
            category: object.category.as_deref().and_then(category),
            header,
            body: body_text,
            params: None,
            footer,
            buttons,
            format: DefinitionFormat::Meta,
            parameter_format,
            status: match object.status.as_deref() {
                Some(status) => Some(TemplateStatus::parse(status)),
                // Meta's create shape, as `kaleyra templates new` writes it
                // and `push` submits it: no id and no status, so not approved
                // yet (DECISIONS.md). An object with an id but no status
                // says nothing about its review.
                None if object.id.is_none() => Some(TemplateStatus::Pending),
                None => None,
            },
            template_id: object.id.map(|id| match id {
                Id::Text(text) => text,
                Id::Number(number) => number.to_string(),
            }),
            code_expiration_minutes,
            limited_time_offer,
            add_security_recommendation,
            carousel,
            unsupported: self.unsupported,
        };
        Ok((definition, self.paths))
    }

    fn header(&mut self, path: &str, component: &Value) -> Option<Header> {
        let header = typed::<HeaderComponent>(path, component, &mut self.problems)?;
        let kind = match header.format.to_ascii_uppercase().as_str() {
            "TEXT" => HeaderType::Text,
            "IMAGE" => HeaderType::Image,
            "VIDEO" => HeaderType::Video,
            "DOCUMENT" => HeaderType::Document,
            "PRODUCT" => HeaderType::Product,
            "LOCATION" => HeaderType::Location,
            other => {
                self.unsupported
                    .push(Unsupported::new(path, format!("{other} header")));
                return None;
            }
        };
        // A media header's example is an upload handle, not a URL a message
        // could send, so it is not kept as the model's example.
        Some(Header {
            kind,
            text: header.text.filter(|_| kind == HeaderType::Text),
            example: None,
        })
    }

    /// A `CAROUSEL` component's cards, each read like a template of its own
    /// (a `HEADER`, a `BODY` and `BUTTONS`), with its paths kept for the
    /// rules' problems.
    fn carousel(&mut self, path: &str, component: &Value) -> Option<Carousel> {
        let component = typed::<CarouselComponent>(path, component, &mut self.problems)?;
        let mut cards = Vec::with_capacity(component.cards.len());
        for (position, card) in component.cards.iter().enumerate() {
            let card_path = format!("{path}.cards[{position}]");
            let mut reader = Reader::default();
            let (mut header, mut body, mut buttons) = (None, None, Vec::new());
            for (position, component) in card.components.iter().enumerate() {
                let path = format!("{card_path}.components[{position}]");
                let Some(kind) = component.get("type").and_then(Value::as_str) else {
                    reader.problems.push(Problem::at_path(
                        format!("{path}.type"),
                        "is required, a string such as `HEADER`, `BODY` or `BUTTONS`",
                    ));
                    continue;
                };
                let kind = kind.to_ascii_uppercase();
                let seen = match kind.as_str() {
                    "HEADER" => &mut reader.paths.header,
                    "BODY" => &mut reader.paths.body,
                    "BUTTONS" => &mut reader.paths.buttons,
                    _ => {
                        reader.unsupported.push(Unsupported::new(
                            path,
                            format!("{kind} component of a carousel card"),
                        ));
                        continue;
                    }
                };
                if let Some(first) = seen {
                    let message = format!("is a second {kind} component; the first is `{first}`");
                    reader.problems.push(Problem::at_path(path, message));
                    continue;
                }
                *seen = Some(path.clone());
                match kind.as_str() {
                    "HEADER" => header = reader.header(&path, component),
                    "BODY" => {
                        body = typed::<BodyComponent>(&path, component, &mut reader.problems)
                            .and_then(|body| body.text);
                        if body.is_none() {
                            reader.problems.push(Problem::at_path(
                                path,
                                "has no `text`; a card's body has text, or the card has no BODY",
                            ));
                        }
                    }
                    _ => buttons = reader.buttons(&path, component),
                }
            }
            if reader.paths.header.is_none() {
                reader.problems.push(Problem::at_path(
                    card_path,
                    "has no HEADER component; every carousel card has an image, video or product header",
                ));
            }
            self.problems.append(&mut reader.problems);
            self.unsupported.append(&mut reader.unsupported);
            self.paths.cards.push(reader.paths);
            if let Some(header) = header {
                cards.push(CarouselCard::new(header, body, buttons));
            }
        }
        Some(Carousel::new(cards))
    }

    fn buttons(&mut self, path: &str, component: &Value) -> Vec<Button> {
        let Some(component) = typed::<ButtonsComponent>(path, component, &mut self.problems) else {
            return Vec::new();
        };
        if component.buttons.len() > MAX_META_BUTTONS {
            self.problems.push(Problem::at_path(
                format!("{path}.buttons"),
                format!(
                    "has {} buttons; a WhatsApp template has at most {MAX_META_BUTTONS}",
                    component.buttons.len()
                ),
            ));
            return Vec::new();
        }
        let mut buttons = Vec::new();
        for (position, value) in component.buttons.iter().enumerate() {
            let path = format!("{path}.buttons[{position}]");
            let Some(button) = typed::<MetaButton>(&path, value, &mut self.problems) else {
                continue;
            };
            let kind = button.kind.to_ascii_uppercase();
            let mut app_fields = (button.package_name.clone(), button.signature_hash.clone());
            let (button_type, otp_type) = match kind.as_str() {
                "QUICK_REPLY" => (ButtonType::QuickReply, None),
                // The code button of an authentication template, as the
                // account's list writes it: sent like an `OTP` button.
                "URL"
                    if let Some((otp, package_name, signature_hash)) = button.otp_url_fields() =>
                {
                    let Ok(otp) = otp_type(&otp) else {
                        self.unsupported.push(Unsupported::new(
                            path,
                            format!("URL button with otp_type {otp}"),
                        ));
                        continue;
                    };
                    app_fields = (package_name, signature_hash);
                    (ButtonType::Otp, Some(otp))
                }
                "URL" => (ButtonType::Url, None),
                "PHONE_NUMBER" => (ButtonType::PhoneNumber, None),
                "COPY_CODE" => (ButtonType::CopyCode, None),
                "CATALOG" => (ButtonType::Catalog, None),
                "MPM" => (ButtonType::MultiProduct, None),
                "SPM" => (ButtonType::SingleProduct, None),
                "FLOW" => (ButtonType::Flow, None),
                "OTP" => match button.otp_type.as_deref().map(otp_type) {
                    None => (ButtonType::Otp, None),
                    Some(Ok(otp)) => (ButtonType::Otp, Some(otp)),
                    Some(Err(other)) => {
                        self.unsupported.push(Unsupported::new(
                            path,
                            format!("OTP button of type {other}"),
                        ));
                        continue;
                    }
                },
                _ => {
                    self.unsupported
                        .push(Unsupported::new(path, format!("{kind} button")));
                    continue;
                }
            };
            self.paths.button_positions.push(position);
            // Keep only the fields of the button's type: Meta adds others
            // (`example`, `autofill_text`, ..) that the rules would refuse.
            let keep = |field: Option<String>, wanted: &[ButtonType]| {
                field.filter(|_| wanted.contains(&button_type))
            };
            let otp_app = match otp_type {
                Some(OtpType::OneTap | OtpType::ZeroTap) => {
                    button.otp_app(app_fields.0, app_fields.1)
                }
                _ => None,
            };
            buttons.push(Button {
                index: u8::try_from(position).unwrap_or(u8::MAX),
                kind: Some(button_type),
                text: button.text,
                url: keep(button.url, &[ButtonType::Url]),
                phone_number: keep(button.phone_number, &[ButtonType::PhoneNumber]),
                id: None,
                title: None,
                otp_type,
                otp_app,
            });
        }
        buttons
    }
}

fn otp_type(text: &str) -> Result<OtpType, &str> {
    match text.to_ascii_uppercase().as_str() {
        "COPY_CODE" => Ok(OtpType::CopyCode),
        "ONE_TAP" => Ok(OtpType::OneTap),
        "ZERO_TAP" => Ok(OtpType::ZeroTap),
        _ => Err(text),
    }
}

/// The category, if it is one of today's three; legacy categories of old
/// templates are not sent anywhere, so they are left out rather than refused.
/// The body of an authentication template whose object gives no text (Meta's
/// create requests: Meta writes the text, in the template's language, from
/// `add_security_recommendation`): the code alone. A decision: the file does
/// not say Meta's words, so previews show only the code; what is sent, the
/// code, is the same either way.
pub(crate) const AUTHENTICATION_BODY: &str = "{{1}}";

fn category(text: &str) -> Option<Category> {
    match text.to_ascii_uppercase().as_str() {
        "UTILITY" => Some(Category::Utility),
        "MARKETING" => Some(Category::Marketing),
        "AUTHENTICATION" => Some(Category::Authentication),
        _ => None,
    }
}

/// Reads `value` as `T`, reporting a problem at `path` and the path inside.
fn typed<T: serde::de::DeserializeOwned>(
    path: &str,
    value: &Value,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(typed) => Some(typed),
        Err(error) => {
            let inner = error.path().to_string();
            let at = if inner == "." {
                path.to_owned()
            } else {
                format!("{path}.{inner}")
            };
            problems.push(Problem::at_path(at, error.into_inner().to_string()));
            None
        }
    }
}
