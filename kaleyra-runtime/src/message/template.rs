//! Approved WhatsApp templates, named and filled with values.

use std::borrow::Cow;
use std::fmt::Display;

use kaleyra_definitions::{HeaderType, limits, media};

use super::{Extras, MediaUrl, shared_options};
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
///     .header(TemplateHeader::Document(MediaUrl::parse("https://example.com/ticket.pdf")?))
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
    pub(crate) sandbox: bool,
    pub(crate) extras: Extras,
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

    fn into_static(self) -> Param<'static> {
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
    /// An image (JPEG or PNG).
    Image(MediaUrl),
    /// A video (MP4 or 3GPP).
    Video(MediaUrl),
    /// A document (PDF on Kaleyra v1).
    Document(MediaUrl),
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
            TemplateHeader::Image(_) | TemplateHeader::Video(_) | TemplateHeader::Document(_) => {
                None
            }
        }
    }

    /// `text`, `image`, `video` or `document`.
    pub fn type_name(&self) -> &'static str {
        match self {
            TemplateHeader::Text(_) | TemplateHeader::NamedText { .. } => "text",
            TemplateHeader::Image(_) => "image",
            TemplateHeader::Video(_) => "video",
            TemplateHeader::Document(_) => "document",
        }
    }

    /// The media URL, for a media header.
    pub fn media_url(&self) -> Option<&MediaUrl> {
        match self {
            TemplateHeader::Text(_) | TemplateHeader::NamedText { .. } => None,
            TemplateHeader::Image(url)
            | TemplateHeader::Video(url)
            | TemplateHeader::Document(url) => Some(url),
        }
    }
}

/// The value a message gives one of the template's buttons.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonValue<'a> {
    /// The dynamic suffix appended to the URL of the URL button at `index`.
    UrlSuffix {
        /// The button's index, 0 to 2.
        index: u8,
        /// The suffix.
        suffix: Cow<'a, str>,
    },
    /// The payload the quick-reply button at `index` returns when tapped.
    Payload {
        /// The button's index, 0 to 2.
        index: u8,
        /// The payload.
        payload: Cow<'a, str>,
    },
    /// The coupon code the copy-code button at `index` copies.
    CouponCode {
        /// The button's index, 0 to 2.
        index: u8,
        /// The code.
        code: Cow<'a, str>,
    },
}

impl ButtonValue<'_> {
    fn into_static(self) -> ButtonValue<'static> {
        match self {
            ButtonValue::UrlSuffix { index, suffix } => ButtonValue::UrlSuffix {
                index,
                suffix: Cow::Owned(suffix.into_owned()),
            },
            ButtonValue::Payload { index, payload } => ButtonValue::Payload {
                index,
                payload: Cow::Owned(payload.into_owned()),
            },
            ButtonValue::CouponCode { index, code } => ButtonValue::CouponCode {
                index,
                code: Cow::Owned(code.into_owned()),
            },
        }
    }

    /// The button's index.
    pub fn index(&self) -> u8 {
        match self {
            ButtonValue::UrlSuffix { index, .. }
            | ButtonValue::Payload { index, .. }
            | ButtonValue::CouponCode { index, .. } => *index,
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
        message.buttons.push(ButtonValue::UrlSuffix {
            index: 0,
            suffix: Cow::Owned(code.clone()),
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
            sandbox: false,
            extras: Extras::default(),
        }
    }

    /// The template's approved language code, such as `en` or `en_US`.
    /// Required on v2; sent as `lang_code` on v1.
    pub fn language(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.language = Some(code.into());
        self
    }

    /// Appends the value of the next body placeholder (`{{1}}`, then `{{2}}`, ..).
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

    /// Appends the value of the next body placeholder, named `name` in errors
    /// (as a derived struct names it after its field).
    pub fn param_named(mut self, name: &'static str, value: impl Display) -> Self {
        self.params
            .push(Param::named(name, Cow::Owned(value.to_string())));
        self
    }

    /// Sets the header value (text variable or media).
    pub fn header(mut self, header: TemplateHeader) -> Self {
        self.header = Some(header);
        self
    }

    /// Sets the dynamic URL suffix of the URL button at `index`.
    pub fn url_button(mut self, index: u8, suffix: impl Display) -> Self {
        self.buttons.push(ButtonValue::UrlSuffix {
            index,
            suffix: Cow::Owned(suffix.to_string()),
        });
        self
    }

    /// Sets the payload the quick-reply button at `index` returns when tapped.
    pub fn quick_reply_payload(mut self, index: u8, payload: impl Display) -> Self {
        self.buttons.push(ButtonValue::Payload {
            index,
            payload: Cow::Owned(payload.to_string()),
        });
        self
    }

    /// Sets the coupon code the copy-code button at `index` copies (a
    /// marketing template's `COPY_CODE` button). v2 only: no v1 page
    /// documents a field for it.
    pub fn coupon_code(mut self, index: u8, code: impl Display) -> Self {
        self.buttons.push(ButtonValue::CouponCode {
            index,
            code: Cow::Owned(code.to_string()),
        });
        self
    }

    /// v1: sends through Kaleyra's sandbox (`source=sandbox`). Not available on v2.
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
            sandbox: self.sandbox,
            extras: &self.extras,
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
    pub(crate) sandbox: bool,
    pub(crate) extras: &'a Extras,
}

/// No callback URL, references or source: what a derived struct sends.
static NO_EXTRAS: Extras = Extras {
    callback_url: None,
    callback_secret: None,
    refs: [None, None, None],
    wa_source: None,
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
            sandbox: false,
            extras: &NO_EXTRAS,
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
            sandbox: false,
            extras: Extras::default(),
        }
    }
}

impl<'a> TemplateParts<'a> {
    /// The body values, in placeholder order.
    pub(crate) fn param_values(&self) -> impl Iterator<Item = &'a str> {
        self.params.iter().map(|param| &*param.value)
    }

    /// The name of the body value at `position` (0-based) in errors.
    pub(crate) fn param_field(&self, position: usize) -> String {
        let param = &self.params[position];
        let placeholder = match &param.parameter_name {
            Some(parameter_name) => format!("body {{{{{parameter_name}}}}}"),
            None => format!("body {{{{{}}}}}", position + 1),
        };
        match param.name {
            Some(name) => format!("{name} ({placeholder})"),
            None => placeholder,
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
        for (position, param) in self.params.iter().enumerate() {
            let problem = limits::parameter_problem(&param.value)
                .or_else(|| limits::length_problem(&param.value, limits::TEMPLATE_BODY));
            if let Some(problem) = problem {
                return Err(Error::invalid(self.param_field(position), problem));
            }
        }
        self.check_parameter_names()?;
        if self.shape == Shape::Authentication {
            return self.check_authentication();
        }
        self.check_header()?;
        self.check_buttons()?;
        self.extras.check()
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
                "code",
                format!(
                    "an authentication template takes one value, the code, not {}",
                    self.params.len()
                ),
            ));
        };
        if let Some(problem) = limits::length_problem(&code.value, limits::AUTHENTICATION_CODE) {
            return Err(Error::invalid(self.param_field(0), problem));
        }
        if code.value.is_empty() {
            return Err(Error::invalid(self.param_field(0), "is empty"));
        }
        if self.header.is_some() {
            return Err(Error::invalid(
                "header",
                "an authentication template takes no header value",
            ));
        }
        for button in self.buttons {
            let same_code =
                matches!(button, ButtonValue::UrlSuffix { suffix, .. } if *suffix == code.value);
            if !same_code {
                return Err(Error::invalid(
                    format!("buttons[{}]", button.index()),
                    "an authentication template's only button value is its code; build it with `TemplateMessage::authentication`",
                ));
            }
        }
        self.extras.check()
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
        if let Some(value) = header.text() {
            let problem = limits::parameter_problem(value)
                .or_else(|| limits::length_problem(value, limits::HEADER_TEXT));
            if let Some(problem) = problem {
                return Err(Error::invalid("header", problem));
            }
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
        let mut seen = [false; limits::BUTTON_INDEX_MAX as usize + 1];
        for button in self.buttons {
            let index = button.index();
            // Named only when there is an error to report.
            let field = || format!("buttons[{index}]");
            if index > limits::BUTTON_INDEX_MAX {
                return Err(Error::invalid(
                    field(),
                    format!("buttons take indices 0 to {}", limits::BUTTON_INDEX_MAX),
                ));
            }
            if std::mem::replace(&mut seen[usize::from(index)], true) {
                return Err(Error::invalid(
                    field(),
                    "has two values; give each button one",
                ));
            }
            match button {
                ButtonValue::UrlSuffix { suffix, .. } => {
                    let problem = limits::parameter_problem(suffix)
                        .or_else(|| limits::length_problem(suffix, limits::BUTTON_URL));
                    if let Some(problem) = problem {
                        return Err(Error::invalid(format!("{} url suffix", field()), problem));
                    }
                }
                ButtonValue::Payload { payload, .. } => {
                    if payload.is_empty() {
                        return Err(Error::invalid(format!("{} payload", field()), "is empty"));
                    }
                }
                ButtonValue::CouponCode { code, .. } => {
                    let problem = if code.is_empty() {
                        Some("is empty".to_owned())
                    } else {
                        limits::parameter_problem(code)
                            .or_else(|| limits::length_problem(code, limits::COUPON_CODE))
                    };
                    if let Some(problem) = problem {
                        return Err(Error::invalid(format!("{} coupon code", field()), problem));
                    }
                }
            }
        }
        Ok(())
    }
}

/// WhatsApp's media types, judged by the URL's file extension (see
/// [`kaleyra_definitions::media::extension_problem`]): a URL without one is
/// sent, since what it serves cannot be told from it.
pub(crate) fn check_media_type(header: &TemplateHeader) -> Result<(), Error> {
    let (kind, url) = match header {
        TemplateHeader::Text(_) | TemplateHeader::NamedText { .. } => return Ok(()),
        TemplateHeader::Image(url) => (HeaderType::Image, url),
        TemplateHeader::Video(url) => (HeaderType::Video, url),
        TemplateHeader::Document(url) => (HeaderType::Document, url),
    };
    match media::extension_problem(kind, url.as_str()) {
        Some(problem) => Err(Error::invalid("header", problem)),
        None => Ok(()),
    }
}

shared_options!(TemplateMessage);
