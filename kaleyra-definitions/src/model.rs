//! The types of a template definition, as written in `templates/<name>.json`.

use serde::{Deserialize, Serialize};

use crate::status::{Sendability, TemplateStatus};

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
    /// Which of the two file formats the definition was read from.
    #[serde(skip)]
    pub format: DefinitionFormat,
    /// Whether placeholders are numbered (`{{1}}`) or named (`{{customer_name}}`).
    /// Only Meta's template objects can be named.
    #[serde(skip)]
    pub parameter_format: ParameterFormat,
    /// The template's review status in the account; `None` in this project's
    /// own format, whose files hold approved templates by convention.
    ///
    /// A Meta object with neither `id` nor `status` is Meta's create shape (a
    /// template written to be submitted, as `kaleyra templates new` writes
    /// it), and reads as [`TemplateStatus::Pending`]: it is not approved
    /// until the account says so. With an `id` and no `status` it is `None`.
    #[serde(skip)]
    pub status: Option<TemplateStatus>,
    /// The template's id in the account (Meta's `id`), when the file gives it.
    #[serde(skip)]
    pub template_id: Option<String>,
    /// For an authentication template: the minutes its code stays valid,
    /// from the footer's `code_expiration_minutes`.
    #[serde(skip)]
    pub code_expiration_minutes: Option<u32>,
    /// The template's limited-time offer (Meta's `LIMITED_TIME_OFFER`
    /// component), read from Meta's template objects only.
    #[serde(skip)]
    pub limited_time_offer: Option<crate::offer::LimitedTimeOffer>,
    /// For an authentication template: whether its body adds WhatsApp's
    /// security recommendation ("For your security, do not share this
    /// code."), from the body's `add_security_recommendation`.
    #[serde(skip)]
    pub add_security_recommendation: bool,
    /// For a carousel template (Meta's `CAROUSEL` component): its cards, as
    /// many as every message must fill. Read from Meta's template objects
    /// only.
    #[serde(skip)]
    pub carousel: Option<Carousel>,
    /// The parts of a Meta template object this library cannot send yet
    /// (a `GIF` header, an unknown button type, ..), each with where it is.
    /// The file is read, but a message cannot be built from it.
    #[serde(skip)]
    pub unsupported: Vec<Unsupported>,
}

/// The cards of a carousel template, in the order the customer sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Carousel {
    /// The cards, card 0 first.
    pub cards: Vec<CarouselCard>,
}

/// One card of a carousel: a media card (an image or video header, an
/// optional body, one or two quick-reply, URL or phone-number buttons) or a
/// product card (a catalog product's header and one `SPM` or URL button).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CarouselCard {
    /// The card's header: `image`, `video` or `product`.
    pub header: Header,
    /// The card's body text, with its placeholders, if the card has one.
    pub body: Option<String>,
    /// The card's buttons, each at its index within the card.
    pub buttons: Vec<Button>,
}

/// The two file formats a definition can be written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DefinitionFormat {
    /// This project's own format (`"kind": "template"`, ..), typed by hand.
    #[default]
    Project,
    /// One of Meta's template objects as the account lists it (`"components": [..]`),
    /// kept byte for byte.
    Meta,
}

/// How a template's placeholders are written (Meta's `parameter_format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ParameterFormat {
    /// `{{1}}`, `{{2}}`, ..: values are given in order.
    #[default]
    Positional,
    /// `{{customer_name}}`: each value is given with its name (v2's `parameter_name`).
    Named,
}

impl ParameterFormat {
    /// Meta's spelling: `POSITIONAL` or `NAMED`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterFormat::Positional => "POSITIONAL",
            ParameterFormat::Named => "NAMED",
        }
    }
}

/// A part of a Meta template object this library cannot send yet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unsupported {
    /// Where it is in the file, such as `components[3]` or `components[2].buttons[1]`.
    pub path: String,
    /// What it is, in Meta's words: `CAROUSEL component`, `FLOW button`, `GIF header`.
    pub what: String,
}

impl Unsupported {
    /// The part `what` at `path`.
    pub fn new(path: impl Into<String>, what: impl Into<String>) -> Self {
        Unsupported {
            path: path.into(),
            what: what.into(),
        }
    }
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.path, self.what)
    }
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
            // Named or numbered: the rules allow only the kind the template's
            // parameter format uses.
            HeaderType::Text => self.text.as_deref().is_some_and(|text| {
                !crate::placeholder::scan(text).numbers.is_empty()
                    || !crate::placeholder::scan_named(text).names.is_empty()
            }),
            HeaderType::Image | HeaderType::Video | HeaderType::Document => true,
            // The product each message shows.
            HeaderType::Product => true,
            HeaderType::Location => true,
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
    /// A product of the business's catalog, with its image, title and price
    /// (Meta's `PRODUCT` header of a single-product template). Read from
    /// Meta's template objects only.
    #[serde(skip_deserializing)]
    Product,
    /// A place on a map (Meta's `LOCATION` header): each message gives its
    /// latitude and longitude, and optionally its name and address.
    Location,
}

impl HeaderType {
    /// The name used in definition files and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderType::Text => "text",
            HeaderType::Image => "image",
            HeaderType::Video => "video",
            HeaderType::Document => "document",
            HeaderType::Product => "product",
            HeaderType::Location => "location",
        }
    }

    /// Whether the header shows media (an image, a video or a document, by
    /// URL) rather than text, a location or a product.
    pub fn is_media(self) -> bool {
        matches!(
            self,
            HeaderType::Image | HeaderType::Video | HeaderType::Document
        )
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
    /// For an `OTP` button: how the code reaches the customer's app.
    #[serde(skip)]
    pub otp_type: Option<OtpType>,
    /// For a one-tap or zero-tap `OTP` button: the Android app that receives
    /// the code. Read from Meta's template objects only.
    #[serde(skip)]
    pub otp_app: Option<OtpApp>,
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
            ButtonType::Catalog => Some(ButtonParameter::ProductThumbnail),
            ButtonType::MultiProduct => Some(ButtonParameter::ProductSections),
            ButtonType::Flow => Some(ButtonParameter::FlowToken),
            // A code button's value is a coupon or a one-time password, not
            // a URL suffix or payload: see `Button::takes_code`.
            ButtonType::Url
            | ButtonType::PhoneNumber
            | ButtonType::Reply
            | ButtonType::CopyCode
            | ButtonType::Otp
            // It shows the product of the template's `product` header.
            | ButtonType::SingleProduct => None,
        }
    }

    /// What a message gives this button, if anything, on a template that is
    /// not an authentication template: [`Button::parameter`], or the coupon
    /// code of a copy-code button. (On an authentication template the code
    /// button takes the template's code: see
    /// [`TemplateDefinition::button_parameter`].)
    pub fn takes(&self) -> Option<ButtonParameter> {
        match self.parameter() {
            None if self.button_type() == ButtonType::CopyCode => Some(ButtonParameter::CouponCode),
            parameter => parameter,
        }
    }

    /// Whether each message gives a code for this button: the coupon of a
    /// copy-code button, or the one-time password of an `OTP` button.
    /// [`Button::parameter`] is `None` for these buttons.
    pub fn takes_code(&self) -> bool {
        matches!(self.button_type(), ButtonType::CopyCode | ButtonType::Otp)
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
    /// Copies a code the message gives (Meta's `COPY_CODE`): a coupon on a
    /// marketing template, or the code of an authentication template.
    /// Read from Meta's template objects only.
    #[serde(skip_deserializing)]
    CopyCode,
    /// The one-time-password button of an authentication template (Meta's
    /// `OTP`); its kind is in [`Button::otp_type`]. Read from Meta's template
    /// objects only.
    #[serde(skip_deserializing)]
    Otp,
    /// Opens the business's catalog (Meta's `CATALOG`); each message names
    /// the product whose image the message shows. Read from Meta's template
    /// objects only.
    #[serde(skip_deserializing)]
    Catalog,
    /// Opens a list of products in sections (Meta's `MPM`); each message
    /// gives the products. Read from Meta's template objects only.
    #[serde(skip_deserializing)]
    MultiProduct,
    /// Opens the product of the template's `product` header (Meta's
    /// `SPM`). Read from Meta's template objects only.
    #[serde(skip_deserializing)]
    SingleProduct,
    /// Opens a WhatsApp Flow (Meta's `FLOW`); each message gives the flow
    /// token, and may give the flow's initial data. Read from Meta's
    /// template objects only.
    #[serde(skip_deserializing)]
    Flow,
}

impl ButtonType {
    /// Every button type.
    pub const ALL: [ButtonType; 10] = [
        ButtonType::QuickReply,
        ButtonType::Url,
        ButtonType::PhoneNumber,
        ButtonType::Reply,
        ButtonType::CopyCode,
        ButtonType::Otp,
        ButtonType::Catalog,
        ButtonType::MultiProduct,
        ButtonType::SingleProduct,
        ButtonType::Flow,
    ];

    /// The name used in definition files.
    pub fn as_str(self) -> &'static str {
        match self {
            ButtonType::QuickReply => "quick_reply",
            ButtonType::Url => "url",
            ButtonType::PhoneNumber => "phone_number",
            ButtonType::Reply => "reply",
            ButtonType::CopyCode => "copy_code",
            ButtonType::Otp => "otp",
            ButtonType::Catalog => "catalog",
            ButtonType::MultiProduct => "mpm",
            ButtonType::SingleProduct => "spm",
            ButtonType::Flow => "flow",
        }
    }

    /// The most buttons of this type a WhatsApp template may have (Meta's
    /// per-type caps, within [`limits::META_TEMPLATE_BUTTONS`] in all):
    /// quick replies up to the total, two URL buttons, one phone-number, one
    /// copy-code, one `OTP`, one flow button and one of each product kind. `Reply` buttons belong to interactive
    /// messages, whose cap is [`limits::REPLY_BUTTONS`].
    ///
    /// [`limits::META_TEMPLATE_BUTTONS`]: crate::limits::META_TEMPLATE_BUTTONS
    /// [`limits::REPLY_BUTTONS`]: crate::limits::REPLY_BUTTONS
    pub fn meta_cap(self) -> usize {
        use crate::limits;
        match self {
            ButtonType::QuickReply => limits::META_TEMPLATE_BUTTONS,
            ButtonType::Url => limits::META_URL_BUTTONS,
            ButtonType::PhoneNumber => limits::META_PHONE_NUMBER_BUTTONS,
            ButtonType::CopyCode | ButtonType::Otp => limits::META_CODE_BUTTONS,
            ButtonType::Catalog | ButtonType::MultiProduct | ButtonType::SingleProduct => {
                limits::META_PRODUCT_BUTTONS
            }
            ButtonType::Flow => limits::META_FLOW_BUTTONS,
            ButtonType::Reply => limits::REPLY_BUTTONS,
        }
    }
}

/// What an authentication template's `OTP` button does (Meta's `otp_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtpType {
    /// The customer taps to copy the code.
    CopyCode,
    /// The customer taps to fill the code into the business's Android app.
    OneTap,
    /// The business's Android app receives the code without a tap.
    ZeroTap,
}

impl OtpType {
    /// Meta's spelling: `COPY_CODE`, `ONE_TAP` or `ZERO_TAP`.
    pub fn as_str(self) -> &'static str {
        match self {
            OtpType::CopyCode => "COPY_CODE",
            OtpType::OneTap => "ONE_TAP",
            OtpType::ZeroTap => "ZERO_TAP",
        }
    }
}

/// The Android app a one-tap or zero-tap `OTP` button hands the code to
/// (Meta's `package_name` and `signature_hash`, or the first of its
/// `supported_apps`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OtpApp {
    /// The app's package name, such as `com.example.luckyshrub`.
    pub package_name: String,
    /// The app's signing-key hash, as Meta's object writes it.
    pub signature_hash: String,
}

impl OtpApp {
    /// The app `package_name` signed with `signature_hash`.
    pub fn new(package_name: impl Into<String>, signature_hash: impl Into<String>) -> Self {
        OtpApp {
            package_name: package_name.into(),
            signature_hash: signature_hash.into(),
        }
    }
}

/// What makes a template an authentication template, and how its code is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Authentication {
    /// The index of the `OTP` (or `COPY_CODE`) button; v2 sends the code as
    /// this button's `url` parameter.
    pub button_index: u8,
    /// How the code reaches the customer, for an `OTP` button.
    pub otp_type: Option<OtpType>,
    /// The minutes the code stays valid, if the template says.
    pub code_expiration_minutes: Option<u32>,
    /// Whether the body adds WhatsApp's security recommendation.
    pub add_security_recommendation: bool,
}

/// What a message gives a button: the one type for a button's value, used by
/// the definitions, the runtime, the derive, the CLI and the emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ButtonParameter {
    /// The dynamic suffix of a URL button's URL; required.
    UrlSuffix,
    /// The payload a quick-reply button returns when tapped; optional.
    Payload,
    /// The coupon code a marketing template's copy-code button copies;
    /// required. (An authentication template's code button takes the
    /// template's code instead: see [`TemplateDefinition::authentication`].)
    CouponCode,
    /// The retailer id of the product whose image a catalog (`CATALOG`)
    /// button's message shows; required. (Meta would take the catalog's
    /// first product without one; Kaleyra's catalog pages always send it,
    /// so this project asks for it: see DECISIONS.md.)
    ProductThumbnail,
    /// The products a multi-product (`MPM`) button lists: the thumbnail
    /// product and sections of product retailer ids; required. Not text, so
    /// it is never a `ButtonValue`: see [`crate::products`].
    ProductSections,
    /// The flow token a flow button sends to the business's flow endpoint;
    /// required. Meta would default it to `"unused"`; this library asks for
    /// it, since it is what ties the flow's answers to the message (see
    /// DECISIONS.md).
    FlowToken,
}

impl ButtonParameter {
    /// Whether every message must give this value.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            ButtonParameter::UrlSuffix
                | ButtonParameter::CouponCode
                | ButtonParameter::ProductThumbnail
                | ButtonParameter::ProductSections
                | ButtonParameter::FlowToken
        )
    }

    /// What errors call it: `url suffix`, `payload`, `coupon code`,
    /// `thumbnail product` or `products`.
    pub fn as_str(self) -> &'static str {
        match self {
            ButtonParameter::UrlSuffix => "url suffix",
            ButtonParameter::Payload => "payload",
            ButtonParameter::CouponCode => "coupon code",
            ButtonParameter::ProductThumbnail => "thumbnail product",
            ButtonParameter::ProductSections => "products",
            ButtonParameter::FlowToken => "flow token",
        }
    }
}

impl TemplateDefinition {
    /// How many body values each message gives: `params`, or the number of
    /// distinct placeholders in `body` (numbered or named).
    pub fn param_count(&self) -> usize {
        self.params.unwrap_or_else(|| match self.parameter_format {
            ParameterFormat::Positional => self
                .body
                .as_deref()
                .map_or(0, |body| crate::placeholder::scan(body).numbers.len()),
            ParameterFormat::Named => self.body_parameter_names().len(),
        })
    }

    /// For a template with named parameters: the body's parameter names, in
    /// the order they first appear. Empty for numbered placeholders.
    ///
    /// ```
    /// use std::path::Path;
    /// use kaleyra_definitions::TemplateDefinition;
    ///
    /// let json = br#"{"name":"order_update","language":"en","status":"APPROVED",
    ///   "category":"UTILITY","parameter_format":"NAMED","components":[
    ///   {"type":"BODY","text":"Hi {{customer_name}}, order {{order_id}} is ready, {{customer_name}}."}]}"#;
    /// let definition = TemplateDefinition::from_slice(json, Path::new("order_update.en.json"))?;
    /// assert_eq!(definition.body_parameter_names(), ["customer_name", "order_id"]);
    /// assert_eq!(definition.param_count(), 2);
    /// # Ok::<(), kaleyra_definitions::DefinitionError>(())
    /// ```
    pub fn body_parameter_names(&self) -> Vec<&str> {
        match (self.parameter_format, self.body.as_deref()) {
            (ParameterFormat::Named, Some(body)) => crate::placeholder::named_in_order(body),
            _ => Vec::new(),
        }
    }

    /// For a template with named parameters: the name of the header text's
    /// placeholder, if it has one.
    pub fn header_parameter_name(&self) -> Option<&str> {
        if self.parameter_format != ParameterFormat::Named {
            return None;
        }
        let text = self.header.as_ref()?.text.as_deref()?;
        crate::placeholder::named_in_order(text).first().copied()
    }

    /// Whether the template can be sent now, given its status in the account.
    /// A definition in this project's format has no status and is sendable;
    /// a Meta object without `status` is [`Sendability::Unknown`].
    pub fn sendability(&self) -> Sendability {
        match (&self.status, self.format) {
            (Some(status), _) => status.sendability(),
            (None, DefinitionFormat::Project) => Sendability::Sendable,
            (None, DefinitionFormat::Meta) => Sendability::Unknown,
        }
    }

    /// For an authentication template (category `AUTHENTICATION` with an `OTP`
    /// or `COPY_CODE` button): its one value is the code, at most
    /// [`crate::limits::AUTHENTICATION_CODE`] characters, sent as the body
    /// parameter and as the button's parameter.
    pub fn authentication(&self) -> Option<Authentication> {
        if self.category != Some(Category::Authentication) {
            return None;
        }
        let button = self.buttons.iter().find(|button| button.takes_code())?;
        Some(Authentication {
            button_index: button.index,
            otp_type: button.otp_type,
            code_expiration_minutes: self.code_expiration_minutes,
            add_security_recommendation: self.add_security_recommendation,
        })
    }

    /// The button an authentication template's code is sent in (its `OTP`
    /// or copy-code button, whether the account writes it as an `OTP`
    /// button or as the `URL` button WhatsApp renders it as), with its app
    /// for one-tap and zero-tap codes.
    pub fn code_button(&self) -> Option<&Button> {
        let authentication = self.authentication()?;
        self.button(authentication.button_index)
    }

    /// The copy-code buttons whose value is a coupon code (on templates that
    /// are not authentication templates), by index.
    pub fn coupon_buttons(&self) -> Vec<&Button> {
        if self.authentication().is_some() {
            return Vec::new();
        }
        self.buttons
            .iter()
            .filter(|button| button.button_type() == ButtonType::CopyCode)
            .collect()
    }

    /// The file this definition is kept in: `<name>.<language>.json`, or
    /// `<name>.json` when it names no language. Every language of a name has
    /// a file of its own, so a tool writing the account's templates (one
    /// object per name and language) uses this name.
    ///
    /// ```
    /// use std::path::Path;
    /// use kaleyra_definitions::TemplateDefinition;
    ///
    /// let json = br#"{"name":"order_update","language":"pt_BR","components":[{"type":"BODY","text":"Oi"}]}"#;
    /// let definition = TemplateDefinition::from_slice(json, Path::new("order_update.json"))?;
    /// assert_eq!(definition.file_name(), "order_update.pt_BR.json");
    /// # Ok::<(), kaleyra_definitions::DefinitionError>(())
    /// ```
    pub fn file_name(&self) -> String {
        match &self.language {
            Some(language) => format!("{}.{language}.json", self.name),
            None => format!("{}.json", self.name),
        }
    }

    /// The button at `index`, if the definition has one there.
    pub fn button(&self, index: u8) -> Option<&Button> {
        self.buttons.iter().find(|button| button.index == index)
    }

    /// What a message gives the button at `index`, if it takes a value: a
    /// URL suffix, a payload, or a coupon code (a copy-code button on a
    /// template that is not an authentication template). `None` for a button
    /// without a value, for an authentication template's code button (its
    /// value is the template's code), and for an index with no button.
    pub fn button_parameter(&self, index: u8) -> Option<ButtonParameter> {
        let button = self.button(index)?;
        if self
            .authentication()
            .is_some_and(|authentication| authentication.button_index == index)
        {
            return None;
        }
        button.takes()
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
            otp_type: Some(OtpType::OneTap),
            otp_app: Some(OtpApp::new("com.example", "K8a%2FAINcGX7")),
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
            format: DefinitionFormat::Meta,
            parameter_format: ParameterFormat::Named,
            status: Some(TemplateStatus::Paused),
            template_id: Some(String::new()),
            code_expiration_minutes: Some(5),
            limited_time_offer: None,
            add_security_recommendation: true,
            carousel: None,
            unsupported: vec![Unsupported::new("components[0]", "GIF header")],
        };
        assert_eq!(keys_written(&button), sorted(Button::KEYS));
        assert_eq!(keys_written(&header), sorted(Header::KEYS));
        assert_eq!(keys_written(&definition), sorted(TemplateDefinition::KEYS));
    }
}
