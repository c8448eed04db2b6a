//! Approved WhatsApp templates, named and filled with values.

use std::borrow::Cow;
use std::fmt::Display;
use std::sync::Arc;
use std::time::SystemTime;

use kaleyra_definitions::values::{self, Slot, TemplateTexts};
use kaleyra_definitions::{ButtonParameter, HeaderType, TemplateDefinition, limits};

use super::carousel::CarouselCard;
use super::products::{MultiProduct, Product, ProductsButton};
use super::{Extras, FlowActionData, Location, Media, shared_options};
use crate::error::Error;

/// An approved template sent by name with its values: body parameters, a
/// header, and per-button values.
///
/// Kaleyra fills the template's text in; the message carries the values only.
/// Most code derives these with `#[derive(Template)]` instead of building them.
///
/// ```
/// use kaleyra_runtime::{MediaUrl, TemplateHeader, TemplateMessage};
///
/// let message = TemplateMessage::media("imt_dynamic")
///     .language("en")
///     .param("John")
///     .param("Doe")
///     .header(TemplateHeader::Document(MediaUrl::parse("https://example.com/ticket.pdf")?.into()))
///     .url_button(1, "a1b2c3")
///     .quick_reply_payload(0, "confirm-1234");
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateMessage {
    // Usually static text from a derived struct, so not copied per message.
    pub(crate) name: Cow<'static, str>,
    pub(crate) shape: Shape,
    pub(crate) language: Option<Cow<'static, str>>,
    pub(crate) params: Vec<Param<'static>>,
    pub(crate) header: Option<TemplateHeader>,
    pub(crate) buttons: Vec<ButtonValue<'static>>,
    /// The products of a multi-product button.
    pub(crate) products: Option<ProductsButton<'static>>,
    /// When the template's limited-time offer expires.
    pub(crate) offer_expiry: Option<SystemTime>,
    /// The initial data of the flow button's flow.
    pub(crate) flow_action_data: Option<FlowActionData>,
    /// A carousel template's cards, in order.
    pub(crate) cards: Vec<CarouselCard<'static>>,
    pub(crate) sandbox: bool,
    pub(crate) extras: Extras,
    /// The definition's texts, when the message was checked against one:
    /// then the filled header, body and URLs are checked too.
    pub(crate) texts: Option<Arc<TemplateTexts>>,
}

/// Which of Kaleyra's template message types a template is sent as: v1's
/// `type` field, and on v2 what the components must hold.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `template`: body values only.
    Plain,
    /// `mediatemplate`: a media header, a header variable or buttons.
    Media,
    /// `authenticationtemplate`: one value, the one-time code.
    Authentication,
}

/// A body value, with the name errors call it by and, for a template with
/// named placeholders, the placeholder it fills. Borrowed from a derived
/// struct's field where it can be, so sending copies no text.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param<'a> {
    pub(crate) value: Cow<'a, str>,
    pub(crate) name: Option<&'static str>,
    pub(crate) parameter_name: Option<Cow<'static, str>>,
}

impl<'a> Param<'a> {
    /// The value of a struct's field `name`, for a numbered placeholder.
    pub fn named(name: &'static str, value: Cow<'a, str>) -> Self {
        Param {
            value,
            name: Some(name),
            parameter_name: None,
        }
    }

    /// The value of a struct's field `field`, for the named placeholder
    /// `{{parameter_name}}`.
    pub fn placeholder(
        field: &'static str,
        parameter_name: &'static str,
        value: Cow<'a, str>,
    ) -> Self {
        Param {
            value,
            name: Some(field),
            parameter_name: Some(Cow::Borrowed(parameter_name)),
        }
    }

    pub(crate) fn into_static(self) -> Param<'static> {
        Param {
            value: Cow::Owned(self.value.into_owned()),
            name: self.name,
            parameter_name: self.parameter_name,
        }
    }
}

/// A field's value as a parameter's text, with `Display`, for derived code
/// (which borrows the fields that are text already).
#[doc(hidden)]
pub fn display_text<T: Display + ?Sized>(value: &T) -> Cow<'static, str> {
    Cow::Owned(value.to_string())
}

/// The header value of a template: the value of a text header's placeholder,
/// or the media a media header shows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateHeader {
    /// The value of the header text's `{{1}}`.
    Text(String),
    /// The value of the header text's named placeholder `{{name}}`, for a
    /// template with named parameters.
    NamedText {
        /// The placeholder's name, without braces.
        name: Cow<'static, str>,
        /// Its value.
        value: String,
    },
    /// An image (JPEG or PNG), by link or uploaded id.
    Image(Media),
    /// A video (MP4 or 3GPP), by link or uploaded id.
    Video(Media),
    /// A document (PDF), by link or uploaded id.
    Document(Media),
    /// The product a single-product template's `product` header shows (v2 only).
    Product(Product),
    /// The place a location header shows (v2 only: no Kaleyra v1 page
    /// documents a location header).
    Location(Location),
}

impl TemplateHeader {
    /// The value of the header text's named placeholder `{{name}}`.
    pub fn named_text(name: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        TemplateHeader::NamedText {
            name: name.into(),
            value: value.into(),
        }
    }

    /// The header text's value, for a text header.
    pub fn text(&self) -> Option<&str> {
        match self {
            TemplateHeader::Text(value) | TemplateHeader::NamedText { value, .. } => Some(value),
            TemplateHeader::Image(_)
            | TemplateHeader::Video(_)
            | TemplateHeader::Document(_)
            | TemplateHeader::Product(_)
            | TemplateHeader::Location(_) => None,
        }
    }

    /// `text`, `image`, `video`, `document`, `product` or `location`.
    pub fn type_name(&self) -> &'static str {
        match self {
            TemplateHeader::Text(_) | TemplateHeader::NamedText { .. } => "text",
            TemplateHeader::Image(_) => "image",
            TemplateHeader::Video(_) => "video",
            TemplateHeader::Document(_) => "document",
            TemplateHeader::Product(_) => "product",
            TemplateHeader::Location(_) => "location",
        }
    }

    /// The media, for a media header.
    pub fn media(&self) -> Option<&Media> {
        match self {
            TemplateHeader::Text(_)
            | TemplateHeader::NamedText { .. }
            | TemplateHeader::Product(_)
            | TemplateHeader::Location(_) => None,
            TemplateHeader::Image(media)
            | TemplateHeader::Video(media)
            | TemplateHeader::Document(media) => Some(media),
        }
    }
}

/// The value a message gives one of the template's buttons: what the button
/// takes ([`ButtonParameter`], the one type for it) and the text.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonValue<'a> {
    /// The button's index.
    pub index: u8,
    /// What the button takes: a URL suffix, a quick-reply payload or a coupon code.
    pub takes: ButtonParameter,
    /// The value.
    pub value: Cow<'a, str>,
}

impl ButtonValue<'static> {
    /// The value a message's builder gives the button at `index`.
    pub(crate) fn given(index: u8, takes: ButtonParameter, value: impl Display) -> Self {
        ButtonValue {
            index,
            takes,
            value: Cow::Owned(value.to_string()),
        }
    }
}

impl ButtonValue<'_> {
    pub(crate) fn into_static(self) -> ButtonValue<'static> {
        ButtonValue {
            index: self.index,
            takes: self.takes,
            value: Cow::Owned(self.value.into_owned()),
        }
    }

    /// The button's index.
    pub fn index(&self) -> u8 {
        self.index
    }

    /// The slot errors name it by: `buttons[1] url suffix`.
    fn slot(&self) -> Slot<'static> {
        Slot::Button {
            index: self.index,
            takes: self.takes,
        }
    }
}

impl TemplateMessage {
    /// A plain template (v1 `type=template`): body values only.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self::with_shape(name.into(), Shape::Plain)
    }

    /// A media template (v1 `type=mediatemplate`): one with a media header, a
    /// header variable or buttons.
    pub fn media(name: impl Into<Cow<'static, str>>) -> Self {
        Self::with_shape(name.into(), Shape::Media)
    }

    /// An authentication template (category `AUTHENTICATION`, an `OTP` or
    /// copy-code button) sending the one-time `code`, at most
    /// [`limits::AUTHENTICATION_CODE`] characters.
    ///
    /// v1 sends `type=authenticationtemplate` with `verification_code`; its
    /// page names no language field, so the [`language`](Self::language) is
    /// sent on v2 only (Kaleyra picks the template by name on v1). v2 sends
    /// the code as the body's parameter and as the parameter of the `url`
    /// button at index 0, the code button of every authentication template.
    ///
    /// ```
    /// use kaleyra_runtime::TemplateMessage;
    ///
    /// let message = TemplateMessage::authentication("login_code", "482913").language("en_US");
    /// assert_eq!(message.param_values().collect::<Vec<_>>(), ["482913"]);
    /// ```
    pub fn authentication(name: impl Into<Cow<'static, str>>, code: impl Display) -> Self {
        let code = code.to_string();
        let mut message = Self::with_shape(name.into(), Shape::Authentication);
        message.buttons.push(ButtonValue {
            index: 0,
            takes: ButtonParameter::UrlSuffix,
            value: Cow::Owned(code.clone()),
        });
        message.params.push(Param {
            value: Cow::Owned(code),
            name: Some("code"),
            parameter_name: None,
        });
        message
    }

    fn with_shape(name: Cow<'static, str>, shape: Shape) -> Self {
        TemplateMessage {
            name,
            shape,
            language: None,
            params: Vec::new(),
            header: None,
            buttons: Vec::new(),
            products: None,
            offer_expiry: None,
            flow_action_data: None,
            cards: Vec::new(),
            sandbox: false,
            extras: Extras::default(),
            texts: None,
        }
    }

    /// The template's approved language code, such as `en` or `en_US`.
    /// Required on v2; sent as `lang_code` on v1.
    pub fn language(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.language = Some(code.into());
        self
    }

    /// Appends the value of the next body placeholder (`{{1}}`, then `{{2}}`, ..).
    ///
    /// v1 sends the values in `params`, each in double quotes
    /// (`"John","Doe"`). No Kaleyra page says how a `"` inside a value is
    /// escaped there, so on v1 a value containing `"` is refused, naming it,
    /// rather than altered; v2's JSON carries it as it is.
    pub fn param(mut self, value: impl Display) -> Self {
        self.params.push(Param {
            value: Cow::Owned(value.to_string()),
            name: None,
            parameter_name: None,
        });
        self
    }

    /// Sets the value of the body's named placeholder `{{name}}`, for a
    /// template approved with named parameters (`parameter_format: NAMED`).
    /// v2 sends it with its `parameter_name`; v1 has no named parameters,
    /// so such a message is refused there.
    ///
    /// ```
    /// use kaleyra_runtime::TemplateMessage;
    ///
    /// let message = TemplateMessage::new("order_update")
    ///     .language("en")
    ///     .named_param("customer_name", "Asha")
    ///     .named_param("order_id", 4711);
    /// assert_eq!(message.param_values().collect::<Vec<_>>(), ["Asha", "4711"]);
    /// ```
    pub fn named_param(mut self, name: impl Into<Cow<'static, str>>, value: impl Display) -> Self {
        self.params.push(Param {
            value: Cow::Owned(value.to_string()),
            name: None,
            parameter_name: Some(name.into()),
        });
        self
    }

    /// Appends body values in order.
    pub fn params<I>(self, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: Display,
    {
        values.into_iter().fold(self, TemplateMessage::param)
    }

    /// Appends the value of the next body placeholder (by position, like
    /// [`param`](Self::param)), with the label errors call it by, as a derived
    /// struct labels each value with its field: `first_name (body {{1}})`.
    /// (To fill a *named* placeholder `{{name}}`, use
    /// [`named_param`](Self::named_param).)
    ///
    /// ```
    /// use kaleyra_runtime::{Api, Client, Error, TemplateMessage};
    ///
    /// let client = Client::builder().sid("HXAP16XXXXXX97IN").api_key("key").from("+912025550100").api(Api::V1).build()?;
    /// let message = TemplateMessage::new("booking_confirm").labelled_param("first_name", "");
    /// let Err(Error::Invalid { field, .. }) = client.prepare(&message, "+919876543210") else { panic!() };
    /// assert_eq!(field, "first_name (body {{1}})");
    /// # Ok::<(), kaleyra_runtime::Error>(())
    /// ```
    pub fn labelled_param(mut self, label: &'static str, value: impl Display) -> Self {
        self.params
            .push(Param::named(label, Cow::Owned(value.to_string())));
        self
    }

    /// Sets the header value (text variable or media).
    pub fn header(mut self, header: TemplateHeader) -> Self {
        self.header = Some(header);
        self
    }

    /// Sets the dynamic URL suffix of the URL button at `index`.
    ///
    /// v1 takes one dynamic URL per message, in `param_url`, so on v1 a
    /// message with suffixes for two URL buttons is refused (send it through
    /// v2, which names each button by its index).
    pub fn url_button(mut self, index: u8, suffix: impl Display) -> Self {
        self.buttons.push(ButtonValue::given(
            index,
            ButtonParameter::UrlSuffix,
            suffix,
        ));
        self
    }

    /// Sets the payload the quick-reply button at `index` returns when tapped.
    /// v1 sends it in `payload1` for index 0, `payload2` for 1, `payload3` for 2.
    pub fn quick_reply_payload(mut self, index: u8, payload: impl Display) -> Self {
        self.buttons
            .push(ButtonValue::given(index, ButtonParameter::Payload, payload));
        self
    }

    /// Sets the coupon code the copy-code button at `index` copies (a
    /// marketing template's `COPY_CODE` button), at most
    /// [`limits::COUPON_CODE`] characters.
    ///
    /// v2 sends it as the `copy_code` button's `coupon_code` parameter; v1 as
    /// the `coupon_code` form field, in double quotes like `params` (as
    /// Kaleyra's coupon-code and limited-time-offer pages write it), so a
    /// code containing `"` is refused on v1. v1's field has no button index,
    /// so v1 takes one coupon per message.
    pub fn coupon_code(mut self, index: u8, code: impl Display) -> Self {
        self.buttons
            .push(ButtonValue::given(index, ButtonParameter::CouponCode, code));
        self
    }

    /// Sets the thumbnail product of the catalog (`CATALOG`) button at
    /// `index`: the retailer id of the product whose image the message shows.
    ///
    /// Required: Meta would show the catalog's first product without one,
    /// but Kaleyra's catalog pages always send it (DECISIONS.md). v2 sends it
    /// as the button's `action` parameter (sub-type `CATALOG`, as Meta's
    /// example writes it). v1 sends Kaleyra's catalog page's form:
    /// `type=template` and the id plain in `thumbnail_product_retailer_id`.
    ///
    /// ```
    /// use kaleyra_runtime::TemplateMessage;
    ///
    /// let message = TemplateMessage::media("intro_catalog_offer")
    ///     .language("en_US")
    ///     .params(["100", "400", "3"])
    ///     .catalog_thumbnail(0, "2lc20305pt");
    /// ```
    pub fn catalog_thumbnail(mut self, index: u8, retailer_id: impl Display) -> Self {
        self.buttons.push(ButtonValue::given(
            index,
            ButtonParameter::ProductThumbnail,
            retailer_id,
        ));
        self
    }

    /// Sets when the template's limited-time offer expires (Meta's
    /// `expiration_time_ms`, which WhatsApp counts down to): required for a
    /// template whose `LIMITED_TIME_OFFER` component has `has_expiration`.
    ///
    /// The expiry is a point in time, a [`SystemTime`]: `time`'s
    /// `OffsetDateTime` and `chrono`'s `DateTime` convert into it with
    /// `.into()`. An expiry that is not in the future when the message is
    /// prepared is refused, naming `limited_time_offer expiration_time_ms`.
    ///
    /// v2 sends the `limited_time_offer` component Meta documents (Kaleyra's
    /// v2 page does not show it; see DECISIONS.md); v1 sends it as the
    /// `limited_time_offer` form field, a JSON array text, as Kaleyra's v1
    /// page writes it.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use kaleyra_runtime::TemplateMessage;
    ///
    /// let message = TemplateMessage::media("limited_time_offer_caribbean_pkg_2023")
    ///     .language("en_US")
    ///     .params(["Pablo", "CARIBE25"])
    ///     .offer_expires_at(SystemTime::now() + Duration::from_secs(48 * 3600))
    ///     .coupon_code(0, "CARIBE25")
    ///     .url_button(1, "n3mtql");
    /// ```
    pub fn offer_expires_at(mut self, expiry: SystemTime) -> Self {
        self.offer_expiry = Some(expiry);
        self
    }

    /// Sets the flow token the flow button at `index` sends its WhatsApp
    /// Flow (Meta's `FLOW` button; required for it). The token ties the
    /// flow's answers to this message, so an empty one is refused.
    ///
    /// v2 sends Meta's `flow` button parameter (Kaleyra's v2 flow-template
    /// page does not show it; see DECISIONS.md). No v1 page documents flow
    /// buttons, so such a message is `Error::Unsupported` on v1.
    ///
    /// ```
    /// use kaleyra_runtime::{FlowActionData, TemplateMessage};
    ///
    /// let message = TemplateMessage::media("appointment_booking")
    ///     .language("en_US")
    ///     .params(["Pablo", "dental"])
    ///     .flow_button(0, "booking-4711")
    ///     .flow_action_data(FlowActionData::new().insert("clinic", "Andheri"));
    /// ```
    pub fn flow_button(mut self, index: u8, token: impl Display) -> Self {
        self.buttons
            .push(ButtonValue::given(index, ButtonParameter::FlowToken, token));
        self
    }

    /// Sets the products the multi-product (`MPM`) button at `index` lists:
    /// see [`MultiProduct`] for the limits and the v1 and v2 forms.
    ///
    /// ```
    /// use kaleyra_runtime::{MultiProduct, ProductSection, TemplateHeader, TemplateMessage};
    ///
    /// let message = TemplateMessage::media("abandoned_cart")
    ///     .language("en_US")
    ///     .header(TemplateHeader::Text("Pablo".into()))
    ///     .param("10OFF")
    ///     .multi_product(0, MultiProduct::new("2lc20305pt")
    ///         .section(ProductSection::new("Your cart", ["nseiw1x9ez", "46sgk8mwlv"])));
    /// ```
    pub fn multi_product(mut self, index: u8, products: MultiProduct) -> Self {
        self.products = Some(ProductsButton {
            index,
            products: Cow::Owned(products),
        });
        self
    }

    /// Appends the next card of a carousel template (card 0 first): a
    /// message gives exactly as many cards as the template was approved with
    /// (WhatsApp refuses another number, with error 132012), which is
    /// checked when the message is [checked against](Self::checked_against)
    /// its definition, as a derived struct's always is.
    ///
    /// v2 sends Meta's `carousel` component, each card with its
    /// `card_index`. No Kaleyra v1 page documents carousels, so such a
    /// message is `Error::Unsupported` on v1.
    pub fn card(mut self, card: CarouselCard<'static>) -> Self {
        self.cards.push(card);
        self
    }

    /// Sets the initial data the flow button hands its flow's first screen
    /// (Meta's `flow_action_data`); optional. It goes with the message's one
    /// flow button value ([`flow_button`](Self::flow_button)).
    pub fn flow_action_data(mut self, data: FlowActionData) -> Self {
        self.flow_action_data = Some(data);
        self
    }

    /// Checks the message against its definition when it is prepared: besides
    /// each value's own rules, the header, the body and each button URL with
    /// the values filled in must be within WhatsApp's limits (a header of at
    /// most 60 characters, a body of at most 1024, a URL of at most 2000 that
    /// is still an `http(s)` URL), as Kaleyra counts them.
    ///
    /// A derived struct's messages are always checked against their
    /// definition; this does the same for a message built by hand.
    ///
    /// ```
    /// use std::path::Path;
    /// use kaleyra_runtime::{definitions::TemplateDefinition, TemplateHeader, TemplateMessage};
    ///
    /// let definition = TemplateDefinition::from_slice(br#"{"name":"greeting","kind":"mediatemplate",
    ///     "header":{"type":"text","text":"Hello {{1}}!"},"body":"Hi {{1}}"}"#, Path::new("greeting.json"))?;
    /// let message = TemplateMessage::media("greeting")
    ///     .header(TemplateHeader::Text("x".repeat(55))) // 62 characters once filled in
    ///     .param("Ada")
    ///     .checked_against(&definition);
    /// # Ok::<(), kaleyra_runtime::definitions::DefinitionError>(())
    /// ```
    pub fn checked_against(mut self, definition: &TemplateDefinition) -> Self {
        self.texts = Some(Arc::new(definition.texts()));
        self
    }

    /// v1: sends through Kaleyra's sandbox (`source=sandbox`). Not available
    /// on v2: there the send is [`Error::Unsupported`], never sent outside
    /// the sandbox instead.
    pub fn sandbox(mut self) -> Self {
        self.sandbox = true;
        self
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The body values, in placeholder order.
    pub fn param_values(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|param| &*param.value)
    }

    /// The message, borrowed, as the checks and encoders read it.
    pub(crate) fn parts(&self) -> TemplateParts<'_> {
        TemplateParts {
            name: &self.name,
            shape: self.shape,
            language: self.language.as_deref(),
            params: &self.params,
            header: self.header.as_ref(),
            buttons: &self.buttons,
            products: self.products.as_ref(),
            offer_expiry: self.offer_expiry,
            flow_action_data: self.flow_action_data.as_ref(),
            cards: &self.cards,
            sandbox: self.sandbox,
            extras: &self.extras,
            texts: self.texts.as_deref(),
        }
    }
}

/// A template message borrowed from wherever its values are: what the checks
/// and the encoders read. A [`TemplateMessage`] lends one; a derived struct's
/// `prepare` and `send` build one straight from its fields, so a send copies
/// no value that is already text.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct TemplateParts<'a> {
    pub(crate) name: &'a str,
    pub(crate) shape: Shape,
    pub(crate) language: Option<&'a str>,
    pub(crate) params: &'a [Param<'a>],
    pub(crate) header: Option<&'a TemplateHeader>,
    pub(crate) buttons: &'a [ButtonValue<'a>],
    pub(crate) products: Option<&'a ProductsButton<'a>>,
    pub(crate) offer_expiry: Option<SystemTime>,
    pub(crate) flow_action_data: Option<&'a FlowActionData>,
    pub(crate) cards: &'a [CarouselCard<'a>],
    pub(crate) sandbox: bool,
    pub(crate) extras: &'a Extras,
    pub(crate) texts: Option<&'a TemplateTexts>,
}

/// No callback URL, references or source: what a derived struct sends.
static NO_EXTRAS: Extras = Extras {
    callback_url: None,
    callback_secret: None,
    refs: [None, None, None],
    wa_source: None,
    callback_profile_id: None,
};

/// A derived struct's values, borrowed from its fields where they are text
/// already: what its generated code builds, once, for `to_message`,
/// `prepare` and `send`.
#[doc(hidden)]
#[derive(Debug)]
pub struct DerivedValues<'a, const PARAMS: usize, const BUTTONS: usize> {
    pub name: &'static str,
    pub shape: Shape,
    pub language: Option<&'static str>,
    pub params: [Param<'a>; PARAMS],
    pub header: Option<TemplateHeader>,
    pub buttons: [ButtonValue<'a>; BUTTONS],
    /// The products of a multi-product button.
    pub products: Option<ProductsButton<'a>>,
    /// When the limited-time offer expires, for a template with one.
    pub offer_expiry: Option<SystemTime>,
    /// The flow button's initial data, when the struct gives it.
    pub flow_action_data: Option<&'a FlowActionData>,
    /// A carousel template's cards, from the struct's cards field.
    pub cards: Vec<CarouselCard<'a>>,
    /// The texts of the definition the struct was derived from.
    pub texts: &'static TemplateTexts,
}

impl<const PARAMS: usize, const BUTTONS: usize> DerivedValues<'_, PARAMS, BUTTONS> {
    /// The message, as the checks and encoders read it.
    pub fn parts(&self) -> TemplateParts<'_> {
        TemplateParts {
            name: self.name,
            shape: self.shape,
            language: self.language,
            params: &self.params,
            header: self.header.as_ref(),
            buttons: &self.buttons,
            products: self.products.as_ref(),
            offer_expiry: self.offer_expiry,
            flow_action_data: self.flow_action_data,
            cards: &self.cards,
            sandbox: false,
            extras: &NO_EXTRAS,
            texts: Some(self.texts),
        }
    }

    /// The message as a [`TemplateMessage`] that owns its values: borrowed
    /// text is copied, formatted text moved.
    pub fn into_message(self) -> TemplateMessage {
        TemplateMessage {
            name: Cow::Borrowed(self.name),
            shape: self.shape,
            language: self.language.map(Cow::Borrowed),
            params: self.params.into_iter().map(Param::into_static).collect(),
            header: self.header,
            buttons: self
                .buttons
                .into_iter()
                .map(ButtonValue::into_static)
                .collect(),
            products: self.products.map(ProductsButton::into_static),
            offer_expiry: self.offer_expiry,
            flow_action_data: self.flow_action_data.cloned(),
            cards: self
                .cards
                .into_iter()
                .map(CarouselCard::into_static)
                .collect(),
            sandbox: false,
            extras: Extras::default(),
            texts: Some(Arc::new(self.texts.clone())),
        }
    }
}

impl<'a> TemplateParts<'a> {
    /// The body values, in placeholder order.
    pub(crate) fn param_values(&self) -> impl Iterator<Item = &'a str> {
        self.params.iter().map(|param| &*param.value)
    }

    /// The slot of the body value at `position` (0-based).
    fn param_slot(&self, position: usize) -> Slot<'a> {
        Slot::Body {
            position,
            name: self.params[position].parameter_name.as_deref(),
        }
    }

    /// The name of the body value at `position` (0-based) in errors: its
    /// slot, after the struct's field name when it has one.
    pub(crate) fn param_field(&self, position: usize) -> String {
        let slot = self.param_slot(position);
        match self.params[position].name {
            Some(name) => format!("{name} ({slot})"),
            None => slot.to_string(),
        }
    }

    /// Whether the template's placeholders are named (`{{customer_name}}`)
    /// rather than numbered: only those values carry a parameter name.
    pub(crate) fn has_named_parameters(&self) -> bool {
        self.params
            .iter()
            .any(|param| param.parameter_name.is_some())
            || matches!(self.header, Some(TemplateHeader::NamedText { .. }))
    }

    /// Checks everything that does not depend on the API version.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if !limits::is_template_name(self.name) {
            return Err(Error::invalid(
                "template_name",
                format!(
                    "`{}` is not a template name: lowercase letters, digits and `_`, at most {} characters",
                    self.name,
                    limits::TEMPLATE_NAME
                ),
            ));
        }
        if let Some(code) = &self.language
            && !limits::is_language_code(code)
        {
            return Err(Error::invalid(
                "language",
                format!("`{code}` is not a language code such as `en` or `en_US`"),
            ));
        }
        if self.shape == Shape::Authentication {
            return self.check_authentication();
        }
        for (position, param) in self.params.iter().enumerate() {
            if let Some(problem) = values::value_problem(self.param_slot(position), &param.value) {
                return Err(Error::invalid(self.param_field(position), problem));
            }
        }
        self.check_parameter_names()?;
        self.check_header()?;
        self.check_buttons()?;
        self.check_products()?;
        self.check_offer()?;
        self.check_flow_action_data()?;
        self.check_cards()?;
        self.check_filled_texts()?;
        self.extras.check()
    }

    /// With the definition's texts known: the header, the body and each
    /// button URL as WhatsApp counts them, with the values filled in.
    fn check_filled_texts(&self) -> Result<(), Error> {
        let Some(texts) = self.texts else {
            return Ok(());
        };
        if let (Some(header), Some(value)) =
            (&texts.header, self.header.and_then(TemplateHeader::text))
            && let Some(problem) = values::filled_header_problem(header, value)
        {
            return Err(Error::invalid(Slot::Header.to_string(), problem));
        }
        let body_values = self
            .params
            .iter()
            .map(|param| (param.parameter_name.as_deref(), &*param.value));
        if let Some(problem) = texts.body_problem(body_values) {
            return Err(Error::invalid(Slot::FilledBody.to_string(), problem));
        }
        for button in self.buttons {
            if button.takes == ButtonParameter::UrlSuffix
                && let Some(url) = texts.url(button.index)
                && let Some(problem) = values::filled_url_problem(url, &button.value)
            {
                return Err(Error::invalid(button.slot().to_string(), problem));
            }
        }
        Ok(())
    }

    /// A template's placeholders are all numbered or all named, and each
    /// name is used once and spelled as WhatsApp allows.
    fn check_parameter_names(&self) -> Result<(), Error> {
        if !self.has_named_parameters() {
            return Ok(());
        }
        let mut names = Vec::with_capacity(self.params.len());
        for (position, param) in self.params.iter().enumerate() {
            let Some(name) = param.parameter_name.as_deref() else {
                return Err(Error::invalid(
                    self.param_field(position),
                    "has no parameter name, but the message's other values do; a template's placeholders are all numbered or all named, so give every value its name with `named_param`",
                ));
            };
            if !limits::is_parameter_name(name) {
                return Err(Error::invalid(
                    self.param_field(position),
                    format!("`{name}` is not a parameter name: lowercase letters, digits and `_`"),
                ));
            }
            if names.contains(&name) {
                return Err(Error::invalid(
                    self.param_field(position),
                    format!("`{name}` is given twice; give each named placeholder one value"),
                ));
            }
            names.push(name);
        }
        if let Some(TemplateHeader::Text(_)) = self.header {
            return Err(Error::invalid(
                "header",
                "is a numbered header value in a message with named values; give it its name with `TemplateHeader::named_text`",
            ));
        }
        if let Some(TemplateHeader::NamedText { name, .. }) = self.header
            && !limits::is_parameter_name(name)
        {
            return Err(Error::invalid(
                "header",
                format!("`{name}` is not a parameter name: lowercase letters, digits and `_`"),
            ));
        }
        Ok(())
    }

    /// An authentication template sends its code and nothing else: as the
    /// body's one value and as the code button's parameter.
    fn check_authentication(&self) -> Result<(), Error> {
        let [code] = self.params else {
            return Err(Error::invalid(
                Slot::Code.to_string(),
                format!(
                    "an authentication template takes one value, the code, not {}",
                    self.params.len()
                ),
            ));
        };
        if let Some(problem) = values::value_problem(Slot::Code, &code.value) {
            return Err(Error::invalid(self.param_field(0), problem));
        }
        if self.header.is_some() {
            return Err(Error::invalid(
                Slot::Header.to_string(),
                "an authentication template takes no header value",
            ));
        }
        if let Some(products) = self.products {
            return Err(Error::invalid(
                format!("buttons[{}]", products.index),
                "an authentication template's only button value is its code; it lists no products",
            ));
        }
        if self.offer_expiry.is_some() {
            return Err(Error::invalid(
                Slot::OfferExpiry.to_string(),
                "an authentication template has no limited-time offer",
            ));
        }
        if self.flow_action_data.is_some() {
            return Err(Error::invalid(
                Slot::FlowActionData.to_string(),
                "an authentication template has no flow button",
            ));
        }
        if !self.cards.is_empty() {
            return Err(Error::invalid(
                "cards",
                "an authentication template has no carousel",
            ));
        }
        for button in self.buttons {
            let same_code =
                button.takes == ButtonParameter::UrlSuffix && button.value == code.value;
            if !same_code {
                return Err(Error::invalid(
                    format!("buttons[{}]", button.index()),
                    "an authentication template's only button value is its code; build it with `TemplateMessage::authentication`",
                ));
            }
        }
        self.extras.check()
    }

    /// A carousel's cards: exactly as many as the template was approved
    /// with, when its texts are known, each card's values by their rules.
    fn check_cards(&self) -> Result<(), Error> {
        if let Some(texts) = self.texts
            && let Some(problem) = values::card_count_problem(texts.cards, self.cards.len())
        {
            return Err(Error::invalid("cards", problem));
        }
        if !self.cards.is_empty() && self.shape == Shape::Plain {
            return Err(Error::invalid(
                "cards",
                "a plain template has no carousel; build it with `TemplateMessage::media`",
            ));
        }
        if self.cards.len() > limits::CAROUSEL_CARDS_MAX {
            return Err(Error::invalid(
                "cards",
                format!(
                    "gives {} cards; a carousel has at most {}",
                    self.cards.len(),
                    limits::CAROUSEL_CARDS_MAX
                ),
            ));
        }
        for (position, card) in self.cards.iter().enumerate() {
            card.check(position)?;
        }
        Ok(())
    }

    /// The offer's expiry, when given, is in the future now.
    fn check_offer(&self) -> Result<(), Error> {
        self.expiration_time_ms().map(|_| ())
    }

    /// The offer's expiry as sent (`expiration_time_ms`), if the message
    /// gives one, judged against the clock now by the one rule for it.
    pub(crate) fn expiration_time_ms(&self) -> Result<Option<u64>, Error> {
        let Some(expiry) = self.offer_expiry else {
            return Ok(None);
        };
        if self.shape == Shape::Plain {
            return Err(Error::invalid(
                Slot::OfferExpiry.to_string(),
                "a plain template has no limited-time offer; build it with `TemplateMessage::media`",
            ));
        }
        kaleyra_definitions::offer::expiration_time_ms(expiry, SystemTime::now())
            .map(Some)
            .map_err(|problem| Error::invalid(Slot::OfferExpiry.to_string(), problem))
    }

    /// Flow data goes with exactly one flow button value, and is not empty.
    fn check_flow_action_data(&self) -> Result<(), Error> {
        let Some(data) = self.flow_action_data else {
            return Ok(());
        };
        let flows = self
            .buttons
            .iter()
            .filter(|button| button.takes == ButtonParameter::FlowToken)
            .count();
        let problem = match flows {
            0 => {
                "is given, but the message gives no flow button its token; set it with `flow_button`"
            }
            1 if data.is_empty() => {
                "is an empty object; give the flow some data, or leave flow_action_data out"
            }
            1 => return Ok(()),
            _ => {
                "is given, but the message has several flow buttons, so which one it goes with is not known"
            }
        };
        Err(Error::invalid(Slot::FlowActionData.to_string(), problem))
    }

    fn check_header(&self) -> Result<(), Error> {
        let Some(header) = self.header else {
            return Ok(());
        };
        if self.shape == Shape::Plain {
            return Err(Error::invalid(
                "header",
                "a plain template takes no header value; build it with `TemplateMessage::media`",
            ));
        }
        if let Some(value) = header.text()
            && let Some(problem) = values::value_problem(Slot::Header, value)
        {
            return Err(Error::invalid(Slot::Header.to_string(), problem));
        }
        if let TemplateHeader::Product(product) = header {
            product.check()?;
        }
        check_media_type(header)
    }

    fn check_buttons(&self) -> Result<(), Error> {
        if !self.buttons.is_empty() && self.shape == Shape::Plain {
            return Err(Error::invalid(
                "buttons",
                "a plain template has no buttons; build it with `TemplateMessage::media`",
            ));
        }
        // Meta's limit; Kaleyra v1's lower one is its encoder's to apply.
        let mut seen = [false; limits::META_BUTTON_INDEX_MAX as usize + 1];
        for button in self.buttons {
            let index = button.index();
            // Named only when there is an error to report.
            let field = || format!("buttons[{index}]");
            if index > limits::META_BUTTON_INDEX_MAX {
                return Err(Error::invalid(
                    field(),
                    format!(
                        "WhatsApp (Meta) templates take button indices 0 to {}",
                        limits::META_BUTTON_INDEX_MAX
                    ),
                ));
            }
            if std::mem::replace(&mut seen[usize::from(index)], true) {
                return Err(Error::invalid(
                    field(),
                    "has two values; give each button one",
                ));
            }
            if button.takes == ButtonParameter::ProductSections {
                return Err(Error::invalid(
                    field(),
                    "a multi-product button's products are not one text; give them with `TemplateMessage::multi_product`",
                ));
            }
            if let Some(problem) = values::value_problem(button.slot(), &button.value) {
                return Err(Error::invalid(button.slot().to_string(), problem));
            }
        }
        Ok(())
    }

    /// A multi-product button's products, within WhatsApp's limits, at an
    /// index no other button value takes.
    fn check_products(&self) -> Result<(), Error> {
        let Some(button) = self.products else {
            return Ok(());
        };
        let field = || format!("buttons[{}]", button.index);
        if self.shape == Shape::Plain {
            return Err(Error::invalid(
                field(),
                "a plain template has no buttons; build it with `TemplateMessage::media`",
            ));
        }
        if button.index > limits::BUTTON_INDEX_MAX {
            return Err(Error::invalid(
                field(),
                format!("buttons take indices 0 to {}", limits::BUTTON_INDEX_MAX),
            ));
        }
        if self.buttons.iter().any(|other| other.index == button.index) {
            return Err(Error::invalid(
                field(),
                "has two values; give each button one",
            ));
        }
        button.products.check()
    }
}

/// WhatsApp's media types: a link judged by its file extension (see
/// [`kaleyra_definitions::media::extension_problem`]; a URL without one is
/// sent, since what it serves cannot be told from it), an uploaded file by
/// the type it was uploaded as, when known.
pub(crate) fn check_media_type(header: &TemplateHeader) -> Result<(), Error> {
    let (kind, media) = match header {
        TemplateHeader::Text(_) | TemplateHeader::NamedText { .. } | TemplateHeader::Product(_) => {
            return Ok(());
        }
        TemplateHeader::Location(location) => return location.check(),
        TemplateHeader::Image(media) => (HeaderType::Image, media),
        TemplateHeader::Video(media) => (HeaderType::Video, media),
        TemplateHeader::Document(media) => (HeaderType::Document, media),
    };
    match media.problem(kind) {
        Some(problem) => Err(Error::invalid("header", problem)),
        None => Ok(()),
    }
}

shared_options!(TemplateMessage);
