//! The types of a template definition, as written in `templates/<name>.json`.

use serde::{Deserialize, Serialize};

/// One approved WhatsApp template, or one interactive message whose text the
/// library fills in itself, as kept in `templates/<name>.json`.
///
/// Obtain one with [`TemplateDefinition::from_slice`] or
/// [`TemplateDefinition::from_file`]: both check every rule, so a value of this
/// type is always a definition Kaleyra could accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        title = "Kaleyra WhatsApp template definition",
        description = "One approved WhatsApp template (kind `template` or `mediatemplate`) or interactive message (kind `reply` or `cta_url`). Either `params` or `body` is required."
    )
)]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct TemplateDefinition {
    /// The JSON Schema this file follows, for editors (`"./schema.json"`).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The template's name as approved in Kaleyra: `^[a-z0-9_]+$`, at most
    /// 512 characters, equal to the file's stem.
    #[cfg_attr(
        feature = "schema",
        schemars(pattern(r"^[a-z0-9_]+$"), length(min = 1, max = crate::limits::TEMPLATE_NAME))
    )]
    pub name: String,
    /// Which kind of message this definition sends.
    pub kind: TemplateKind,
    /// The approved language code, such as `en` or `en_US` (approved templates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The category the template was approved in (approved templates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The header shown above the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<Header>,
    /// The body text with its `{{1}}`..`{{n}}` placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::limits::TEMPLATE_BODY)))]
    pub body: Option<String>,
    /// How many body placeholders the template has; must match `body` when both are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<usize>,
    /// The footer text; it takes no placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::limits::FOOTER)))]
    pub footer: Option<String>,
    /// The buttons, each at its index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::limits::TEMPLATE_BUTTONS)))]
    pub buttons: Vec<Button>,
}

/// What a definition sends, and so which Kaleyra message type it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TemplateKind {
    /// An approved template with a text body (v1 `type=template`).
    #[serde(rename = "template")]
    Template,
    /// An approved template with a media header or buttons (v1 `type=mediatemplate`).
    #[serde(rename = "mediatemplate")]
    MediaTemplate,
    /// An interactive message with reply buttons (v1 `type=reply`), filled in by the library.
    #[serde(rename = "reply")]
    Reply,
    /// An interactive call-to-action URL message (v2 only), filled in by the library.
    #[serde(rename = "cta_url")]
    CtaUrl,
}

impl TemplateKind {
    /// The name used in definition files (`template`, `mediatemplate`, `reply`, `cta_url`).
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::Template => "template",
            TemplateKind::MediaTemplate => "mediatemplate",
            TemplateKind::Reply => "reply",
            TemplateKind::CtaUrl => "cta_url",
        }
    }

    /// Whether this is a template approved by WhatsApp, whose text Kaleyra fills in,
    /// rather than an interactive message whose text the library fills in.
    pub fn is_approved_template(self) -> bool {
        matches!(self, TemplateKind::Template | TemplateKind::MediaTemplate)
    }
}

impl std::fmt::Display for TemplateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The category WhatsApp approved a template in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    /// Transactional updates about something the customer did.
    Utility,
    /// Promotions and offers.
    Marketing,
    /// One-time passwords.
    Authentication,
}

impl Category {
    /// The name used in definition files (`UTILITY`, `MARKETING`, `AUTHENTICATION`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Utility => "UTILITY",
            Category::Marketing => "MARKETING",
            Category::Authentication => "AUTHENTICATION",
        }
    }
}

/// The header of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct Header {
    /// Text, or the kind of media shown.
    #[serde(rename = "type")]
    pub kind: HeaderType,
    /// For a text header: its text, with at most one placeholder `{{1}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::limits::HEADER_TEXT)))]
    pub text: Option<String>,
    /// For a media header: an example media URL, for documentation and checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

impl Header {
    /// Whether each message must supply a header value: a media URL, or the
    /// value of a text header's placeholder.
    pub fn takes_value(&self) -> bool {
        match self.kind {
            HeaderType::Text => self
                .text
                .as_deref()
                .is_some_and(|text| !crate::placeholder::scan(text).numbers.is_empty()),
            HeaderType::Image | HeaderType::Video | HeaderType::Document => true,
        }
    }
}

/// What a header shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum HeaderType {
    /// A line of text.
    Text,
    /// An image (JPEG or PNG).
    Image,
    /// A video (MP4 or 3GPP).
    Video,
    /// A document (PDF for Kaleyra v1 media templates).
    Document,
}

impl HeaderType {
    /// The name used in definition files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderType::Text => "text",
            HeaderType::Image => "image",
            HeaderType::Video => "video",
            HeaderType::Document => "document",
        }
    }

    /// Whether the header shows media rather than text.
    pub fn is_media(self) -> bool {
        !matches!(self, HeaderType::Text)
    }
}

/// One button of a template or interactive message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
#[non_exhaustive]
pub struct Button {
    /// The button's position, 0 to 2; unique within the definition.
    #[cfg_attr(feature = "schema", schemars(range(max = crate::limits::BUTTON_INDEX_MAX)))]
    pub index: u8,
    /// What the button does; may be omitted for `reply` kind buttons.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ButtonType>,
    /// The label of a quick-reply, URL or phone-number button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::limits::TEMPLATE_BUTTON_TEXT)))]
    pub text: Option<String>,
    /// The URL a URL button opens; a trailing `{{1}}` makes its suffix dynamic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::limits::BUTTON_URL)))]
    pub url: Option<String>,
    /// The number a phone-number button calls (E.164).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The id a `reply` kind button reports when tapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::limits::REPLY_BUTTON_ID)))]
    pub id: Option<String>,
    /// The title a `reply` kind button shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = crate::limits::REPLY_BUTTON_TITLE)))]
    pub title: Option<String>,
}

impl Button {
    /// The button's type; `reply` kind buttons may leave it out.
    pub fn button_type(&self) -> ButtonType {
        self.kind.unwrap_or(ButtonType::Reply)
    }

    /// The label the customer sees: `title` for reply buttons, `text` otherwise.
    pub fn label(&self) -> Option<&str> {
        match self.button_type() {
            ButtonType::Reply => self.title.as_deref(),
            _ => self.text.as_deref(),
        }
    }

    /// Whether the button's URL ends with a `{{1}}` placeholder that each message fills.
    pub fn has_dynamic_url(&self) -> bool {
        self.url
            .as_deref()
            .is_some_and(|url| !crate::placeholder::scan(url).numbers.is_empty())
    }

    /// The value a message may or must give for this button, if any.
    pub fn parameter(&self) -> Option<ButtonParameter> {
        match self.button_type() {
            ButtonType::Url if self.has_dynamic_url() => Some(ButtonParameter::UrlSuffix),
            ButtonType::QuickReply => Some(ButtonParameter::Payload),
            ButtonType::Url | ButtonType::PhoneNumber | ButtonType::Reply => None,
        }
    }
}

/// What a button does when tapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ButtonType {
    /// Sends a predefined reply (and the message's payload) back to the business.
    QuickReply,
    /// Opens a URL.
    Url,
    /// Calls a phone number.
    PhoneNumber,
    /// An interactive reply button with an `id` and a `title`.
    Reply,
}

impl ButtonType {
    /// The name used in definition files.
    pub fn as_str(self) -> &'static str {
        match self {
            ButtonType::QuickReply => "quick_reply",
            ButtonType::Url => "url",
            ButtonType::PhoneNumber => "phone_number",
            ButtonType::Reply => "reply",
        }
    }
}

/// The value a message gives for a button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ButtonParameter {
    /// The dynamic suffix of a URL button's URL; required.
    UrlSuffix,
    /// The payload a quick-reply button returns when tapped; optional.
    Payload,
}

impl ButtonParameter {
    /// Whether every message must give this value.
    pub fn is_required(self) -> bool {
        matches!(self, ButtonParameter::UrlSuffix)
    }
}

impl TemplateDefinition {
    /// How many body values each message gives: `params`, or the number of
    /// placeholders in `body`.
    pub fn param_count(&self) -> usize {
        self.params.unwrap_or_else(|| {
            self.body
                .as_deref()
                .map_or(0, |body| crate::placeholder::scan(body).numbers.len())
        })
    }

    /// The button at `index`, if the definition has one there.
    pub fn button(&self, index: u8) -> Option<&Button> {
        self.buttons.iter().find(|button| button.index == index)
    }
}

// The keys each object accepts, for unknown-key suggestions. A test checks
// them against what serde writes, so they cannot drift from the types.
impl TemplateDefinition {
    pub(crate) const KEYS: &'static [&'static str] = &[
        "$schema", "name", "kind", "language", "category", "header", "body", "params", "footer",
        "buttons",
    ];
}

impl Header {
    pub(crate) const KEYS: &'static [&'static str] = &["type", "text", "example"];
}

impl Button {
    pub(crate) const KEYS: &'static [&'static str] = &[
        "index",
        "type",
        "text",
        "url",
        "phone_number",
        "id",
        "title",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_written(value: impl Serialize) -> Vec<String> {
        match serde_json::to_value(value).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("not an object: {other}"),
        }
    }

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        keys.sort();
        keys
    }

    #[test]
    fn known_keys_match_the_serde_model() {
        let button = Button {
            index: 0,
            kind: Some(ButtonType::Url),
            text: Some(String::new()),
            url: Some(String::new()),
            phone_number: Some(String::new()),
            id: Some(String::new()),
            title: Some(String::new()),
        };
        let header = Header {
            kind: HeaderType::Text,
            text: Some(String::new()),
            example: Some(String::new()),
        };
        let definition = TemplateDefinition {
            schema: Some(String::new()),
            name: String::new(),
            kind: TemplateKind::Template,
            language: Some(String::new()),
            category: Some(Category::Utility),
            header: Some(header.clone()),
            body: Some(String::new()),
            params: Some(0),
            footer: Some(String::new()),
            buttons: vec![button.clone()],
        };
        assert_eq!(keys_written(&button), sorted(Button::KEYS));
        assert_eq!(keys_written(&header), sorted(Header::KEYS));
        assert_eq!(keys_written(&definition), sorted(TemplateDefinition::KEYS));
    }
}
