//! The rule book for the values a message gives a template: every rule a
//! value must pass, in one place, for the runtime's checks before sending,
//! the derive's generated code (through the runtime), the CLI's row check
//! and the emulator.
//!
//! A rule is a function of the [`Slot`] the value goes in, the value, and,
//! when the definition is known, its [`TemplateTexts`]: WhatsApp counts the
//! *filled* header, body and URL against its limits, so a value that fits
//! alone can still make a text that does not.
//!
//! ```
//! use kaleyra_definitions::values::{self, Slot};
//!
//! assert_eq!(values::value_problem(Slot::Header, "Ada"), None);
//! // Alone, 55 characters fit a header; in "Hello {{1}}!" they make 62.
//! let value = "x".repeat(55);
//! let problem = values::filled_header_problem("Hello {{1}}!", &value).unwrap();
//! assert!(problem.contains("62 characters"));
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::limits::{self, length_problem};
use crate::model::{ButtonParameter, ParameterFormat, TemplateDefinition};

/// Where a value goes in a template message: what an error about it names.
///
/// Its `Display` is the name errors use: `body {{2}}`, `body {{order_id}}`,
/// `header`, `buttons[1] url suffix`, `buttons[0] payload`,
/// `buttons[2] coupon code`, `code`, `body` for the filled body,
/// `header product_retailer_id`, `buttons[0] thumbnail product` and
/// `products sections[1] title` for products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot<'a> {
    /// One body value: its position from 0, and for a template with named
    /// placeholders the name it fills.
    Body {
        /// The value's position among the body values, from 0.
        position: usize,
        /// The named placeholder it fills, for `"parameter_format": "NAMED"`.
        name: Option<&'a str>,
    },
    /// The value of the header text's placeholder, or the header's media.
    Header,
    /// The value of the button at `index`.
    Button {
        /// The button's index.
        index: u8,
        /// What the button takes.
        takes: ButtonParameter,
    },
    /// An authentication template's code (its one body value and its code
    /// button's parameter).
    Code,
    /// A location header's place: its latitude, longitude, name or address.
    Location(LocationPart),
    /// The body text with every value filled in.
    FilledBody,
    /// The retailer id of the product a single-product template's
    /// `product` header shows.
    HeaderProduct,
    /// The id of the catalog that product is in.
    HeaderCatalog,
    /// A part of the products a multi-product (`mpm`) button lists.
    Products(ProductsPart),
    /// A limited-time offer's expiry (Meta's `expiration_time_ms`), judged by
    /// [`crate::offer::expiration_time_ms`].
    OfferExpiry,
    /// The initial data a flow button gives its flow (Meta's
    /// `flow_action_data`).
    FlowActionData,
}

/// Which part of a multi-product button's products a value is: what errors
/// name after `products`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProductsPart {
    /// The product whose image is the message's thumbnail.
    Thumbnail,
    /// The sections as a whole (their number, the products' number).
    Sections,
    /// The section at `section` (from 0) as a whole.
    Section {
        /// The section's position, from 0.
        section: usize,
    },
    /// The title of the section at `section` (from 0).
    SectionTitle {
        /// The section's position, from 0.
        section: usize,
    },
    /// The product at `item` (from 0) of the section at `section`.
    Item {
        /// The section's position, from 0.
        section: usize,
        /// The product's position in its section, from 0.
        item: usize,
    },
}

impl fmt::Display for Slot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Slot::Body {
                name: Some(name), ..
            } => write!(f, "body {{{{{name}}}}}"),
            Slot::Body { position, .. } => write!(f, "body {{{{{}}}}}", position + 1),
            Slot::Header => f.write_str("header"),
            Slot::Button { index, takes } => write!(f, "buttons[{index}] {}", takes.as_str()),
            Slot::Code => f.write_str("code"),
            Slot::Location(part) => write!(f, "location {}", part.as_str()),
            Slot::FilledBody => f.write_str("body"),
            Slot::HeaderProduct => f.write_str("header product_retailer_id"),
            Slot::HeaderCatalog => f.write_str("header catalog_id"),
            Slot::Products(part) => match part {
                ProductsPart::Thumbnail => f.write_str("products thumbnail"),
                ProductsPart::Sections => f.write_str("products sections"),
                ProductsPart::Section { section } => write!(f, "products sections[{section}]"),
                ProductsPart::SectionTitle { section } => {
                    write!(f, "products sections[{section}] title")
                }
                ProductsPart::Item { section, item } => {
                    write!(f, "products sections[{section}] product_items[{item}]")
                }
            },
            Slot::OfferExpiry => f.write_str("limited_time_offer expiration_time_ms"),
            Slot::FlowActionData => f.write_str("flow_action_data"),
        }
    }
}

/// A value asked for where the template has no place for one: what the
/// derive says of a misplaced field and the CLI of a misnamed column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoSlot {
    /// A body value past the template's placeholders.
    #[error("template `{template}` has {count} body parameter(s)")]
    Body {
        /// The template's name.
        template: String,
        /// How many body values it takes.
        count: usize,
    },
    /// A header value, for a template whose header takes none.
    #[error("template `{template}` has no header that takes a value")]
    Header {
        /// The template's name.
        template: String,
    },
    /// A button the template does not have.
    #[error("template `{template}` has no button {index}")]
    Button {
        /// The template's name.
        template: String,
        /// The index asked for.
        index: usize,
    },
    /// A button that exists and takes no value, such as a phone-number
    /// button.
    #[error("button {index} takes no value")]
    ButtonTakesNoValue {
        /// The button's index.
        index: u8,
    },
}

/// The parts of a location header's place, each checked on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LocationPart {
    /// Degrees north (positive) or south, -90 to 90.
    Latitude,
    /// Degrees east (positive) or west, -180 to 180.
    Longitude,
    /// The place's name.
    Name,
    /// The place's address.
    Address,
}

impl LocationPart {
    /// What errors call it: `latitude`, `longitude`, `name` or `address`.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationPart::Latitude => "latitude",
            LocationPart::Longitude => "longitude",
            LocationPart::Name => "name",
            LocationPart::Address => "address",
        }
    }
}

/// Why `degrees` cannot be the `part` (latitude or longitude) of a location
/// header, if it cannot: a latitude is -90 to 90 and a longitude -180 to 180
/// degrees, and neither is NaN or infinite. For a name or an address this
/// is `None`: see [`value_problem`].
///
/// ```
/// use kaleyra_definitions::values::{coordinate_problem, LocationPart};
/// assert_eq!(coordinate_problem(LocationPart::Latitude, 37.483307), None);
/// assert!(coordinate_problem(LocationPart::Latitude, 91.0).unwrap().contains("-90 to 90"));
/// assert!(coordinate_problem(LocationPart::Longitude, f64::NAN).is_some());
/// ```
pub fn coordinate_problem(part: LocationPart, degrees: f64) -> Option<String> {
    let max = match part {
        LocationPart::Latitude => limits::LATITUDE_MAX,
        LocationPart::Longitude => limits::LONGITUDE_MAX,
        LocationPart::Name | LocationPart::Address => return None,
    };
    if !degrees.is_finite() {
        return Some(format!(
            "is {degrees}, not a number of degrees; a {} is -{max} to {max}",
            part.as_str()
        ));
    }
    (degrees.abs() > max).then(|| {
        format!(
            "is {degrees} degrees; a {} is -{max} to {max}",
            part.as_str()
        )
    })
}

/// Why `value` cannot go in `slot`, if it cannot: the rules that hold for the
/// value alone, whatever the template's text.
///
/// - body and header values: not empty, no line break or tab, at most four
///   spaces in a row (WhatsApp's parameter rules), at most the body's or the
///   header's length;
/// - a URL suffix: the parameter rules, at most the URL limit;
/// - a quick-reply payload: not empty;
/// - a coupon code and an authentication code: the parameter rules, at most
///   15 characters;
/// - a product's retailer id, a catalog id and a section title: not blank,
///   a title at most 24 characters (see [`product_id_problem`] and its
///   neighbours below).
/// - a location's latitude and longitude, as text: a number of degrees in
///   range (see [`coordinate_problem`]); its name and address: not blank.
/// - a flow token: not empty. Meta documents no other rule for it, so any
///   other text is sent as given.
///
/// An offer's expiry is a point in time, judged by
/// [`crate::offer::expiration_time_ms`]; flow action data is a JSON object
/// the runtime's type guarantees. For those two slots this gives `None`.
///
/// A media header's value is a URL, judged by [`crate::media`]; this checks
/// a header *text* value.
///
/// ```
/// use kaleyra_definitions::values::{value_problem, Slot};
/// use kaleyra_definitions::ButtonParameter;
///
/// let coupon = Slot::Button { index: 0, takes: ButtonParameter::CouponCode };
/// assert_eq!(value_problem(coupon, "SAVE25"), None);
/// assert!(value_problem(coupon, "SAVE25SAVE25SAVE").unwrap().contains("limit is 15"));
/// ```
pub fn value_problem(slot: Slot<'_>, value: &str) -> Option<String> {
    let parameter = |max| limits::parameter_problem(value).or_else(|| length_problem(value, max));
    match slot {
        Slot::Body { .. } | Slot::FilledBody => parameter(limits::TEMPLATE_BODY),
        Slot::Header => parameter(limits::HEADER_TEXT),
        Slot::Button { takes, .. } => match takes {
            ButtonParameter::UrlSuffix => parameter(limits::BUTTON_URL),
            ButtonParameter::Payload => value.is_empty().then(|| "is empty".to_owned()),
            ButtonParameter::CouponCode => parameter(limits::COUPON_CODE),
            ButtonParameter::ProductThumbnail => product_id_problem(value),
            // Not one text: the products module judges them as a whole.
            ButtonParameter::ProductSections => None,
            ButtonParameter::FlowToken => value.is_empty().then(|| {
                "is empty; a flow button sends its flow a token, which ties the flow's answers to this message".to_owned()
            }),
        },
        Slot::Code => parameter(limits::AUTHENTICATION_CODE),
        Slot::HeaderProduct => product_id_problem(value),
        Slot::HeaderCatalog => catalog_id_problem(value),
        Slot::Products(part) => match part {
            ProductsPart::Thumbnail | ProductsPart::Item { .. } => {
                product_id_problem(value)
            }
            ProductsPart::SectionTitle { .. } => section_title_problem(value),
            ProductsPart::Sections | ProductsPart::Section { .. } => None,
        },
        Slot::OfferExpiry | Slot::FlowActionData => None,
        // A coordinate given as text (a CSV column, a form field) is read as
        // degrees; a name or an address is any text that is not blank.
        Slot::Location(part @ (LocationPart::Latitude | LocationPart::Longitude)) => {
            match value.trim().parse::<f64>() {
                Ok(degrees) => coordinate_problem(part, degrees),
                Err(_) => Some(format!("`{value}` is not a number of degrees")),
            }
        }
        Slot::Location(LocationPart::Name | LocationPart::Address) => {
            limits::is_blank(value).then(|| "is empty; leave it out instead".to_owned())
        }
    }
}

/// What of a definition the filled-text rules read: its body, its header
/// text and its buttons' URLs, with their placeholders.
///
/// Built from a definition with [`TemplateDefinition::texts`], or written as
/// a `static` (the derive does, from the definition it read at compile time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateTexts {
    /// The body text, with its placeholders.
    pub body: Option<Cow<'static, str>>,
    /// The header text, with its placeholder, for a text header.
    pub header: Option<Cow<'static, str>>,
    /// The URL of each button whose URL has a dynamic suffix, by index.
    pub urls: Cow<'static, [(u8, Cow<'static, str>)]>,
    /// Whether the placeholders are named (`{{customer_name}}`).
    pub named: bool,
    /// How many buttons the template has: Kaleyra v1 sends a media template
    /// with at most [`limits::TEMPLATE_BUTTONS`], Meta's templates have up
    /// to [`limits::META_TEMPLATE_BUTTONS`].
    pub button_count: usize,
    /// How many cards a carousel template was approved with (0 without a
    /// carousel): every message fills exactly these.
    pub cards: usize,
}

/// Why a message with `given` carousel cards cannot be sent as a template
/// approved with `approved` cards, if it cannot: WhatsApp sends exactly the
/// approved number, and answers another with error 132012, whose words
/// ("parameter format does not match") do not say that the count is wrong.
///
/// ```
/// use kaleyra_definitions::values::card_count_problem;
/// assert_eq!(card_count_problem(3, 3), None);
/// assert!(card_count_problem(3, 2).unwrap().contains("approved with 3 cards"));
/// ```
pub fn card_count_problem(approved: usize, given: usize) -> Option<String> {
    if approved == given {
        return None;
    }
    Some(match approved {
        0 => format!(
            "gives {given} carousel card(s), but the template has no carousel; leave the cards out"
        ),
        _ => format!(
            "gives {given} card(s), but the template was approved with {approved} cards; a carousel sends exactly the approved number (WhatsApp refuses another with error 132012)"
        ),
    })
}

/// Why a template with `button_count` buttons cannot be sent through
/// Kaleyra v1, if it cannot, as what v1 does not have: v1's media templates
/// take at most [`limits::TEMPLATE_BUTTONS`] (quick-reply payloads go in
/// `payload1` to `payload3`), while WhatsApp approves up to
/// [`limits::META_TEMPLATE_BUTTONS`].
///
/// ```
/// use kaleyra_definitions::values::v1_button_count_problem;
/// assert_eq!(v1_button_count_problem(3), None);
/// assert!(v1_button_count_problem(5).unwrap().starts_with("a template with 5 buttons"));
/// ```
pub fn v1_button_count_problem(button_count: usize) -> Option<String> {
    (button_count > limits::TEMPLATE_BUTTONS).then(|| {
        format!(
            "a template with {button_count} buttons (Kaleyra v1's media templates take at most {}, indices 0 to {}; send it through v2, which takes WhatsApp's {})",
            limits::TEMPLATE_BUTTONS,
            limits::BUTTON_INDEX_MAX,
            limits::META_TEMPLATE_BUTTONS
        )
    })
}

/// Why a button value at `index` cannot be sent through Kaleyra v1, if it
/// cannot: v1 names buttons 0 to [`limits::BUTTON_INDEX_MAX`] only.
pub fn v1_button_index_problem(index: u8) -> Option<String> {
    (index > limits::BUTTON_INDEX_MAX).then(|| {
        format!(
            "is at index {index}; Kaleyra v1 takes button values at indices 0 to {} only (`payload1` to `payload3`), so send it through v2, which takes indices 0 to {}",
            limits::BUTTON_INDEX_MAX,
            limits::META_BUTTON_INDEX_MAX
        )
    })
}

impl TemplateTexts {
    /// The URL, with its `{{1}}`, of the button at `index`, if it has a dynamic one.
    pub fn url(&self, index: u8) -> Option<&str> {
        self.urls
            .iter()
            .find(|(at, _)| *at == index)
            .map(|(_, url)| &**url)
    }

    /// Why the values in `body` make a body that is too long, if they do.
    /// Each value is given with the named placeholder it fills (for named
    /// templates) in body order.
    pub fn body_problem<'v>(
        &self,
        values: impl Iterator<Item = (Option<&'v str>, &'v str)> + Clone,
    ) -> Option<String> {
        let body = self.body.as_deref()?;
        filled_body_problem(body, self.named, values)
    }
}

impl TemplateDefinition {
    /// The texts the filled-text rules read ([`crate::values`]), copied out of
    /// the definition.
    pub fn texts(&self) -> TemplateTexts {
        TemplateTexts {
            body: self.body.clone().map(Cow::Owned),
            header: self
                .header
                .as_ref()
                .filter(|header| header.takes_value())
                .and_then(|header| header.text.clone())
                .map(Cow::Owned),
            urls: self
                .buttons
                .iter()
                .filter(|button| button.parameter() == Some(ButtonParameter::UrlSuffix))
                .filter_map(|button| Some((button.index, Cow::Owned(button.url.clone()?))))
                .collect::<Vec<_>>()
                .into(),
            named: self.parameter_format == ParameterFormat::Named,
            button_count: self.buttons.len(),
            cards: self.card_count(),
        }
    }

    /// The slot of the body value at `position` (from 0): named as the
    /// template names it, and the code of an authentication template.
    pub fn body_slot(&self, position: usize) -> Result<Slot<'_>, NoSlot> {
        let count = self.param_count();
        if position >= count {
            return Err(NoSlot::Body {
                template: self.name.clone(),
                count,
            });
        }
        if self.authentication().is_some() {
            return Ok(Slot::Code);
        }
        Ok(Slot::Body {
            position,
            name: self.body_parameter_names().get(position).copied(),
        })
    }

    /// The slot of the header's value, if the header takes one.
    pub fn header_slot(&self) -> Result<Slot<'static>, NoSlot> {
        match &self.header {
            Some(header) if header.takes_value() => Ok(Slot::Header),
            _ => Err(NoSlot::Header {
                template: self.name.clone(),
            }),
        }
    }

    /// The slot of the value of the button at `index`, if it has one that
    /// takes a value. (An authentication template's code button is filled by
    /// its [`Slot::Code`].)
    pub fn button_slot(&self, index: usize) -> Result<Slot<'static>, NoSlot> {
        let Some(index) = u8::try_from(index)
            .ok()
            .filter(|index| self.button(*index).is_some())
        else {
            return Err(NoSlot::Button {
                template: self.name.clone(),
                index,
            });
        };
        self.button_parameter(index)
            .map(|takes| Slot::Button { index, takes })
            .ok_or(NoSlot::ButtonTakesNoValue { index })
    }
}

/// Why `value` in the header text `header` makes a header longer than
/// WhatsApp allows, if it does. (The value's own rules are
/// [`value_problem`]'s.)
pub fn filled_header_problem(header: &str, value: &str) -> Option<String> {
    // A text has no more characters than bytes.
    if header.len() + value.len() <= limits::HEADER_TEXT {
        return None;
    }
    let length = filled_length(header, |_| Some(value));
    (length > limits::HEADER_TEXT).then(|| {
        format!(
            "makes a header of {length} characters with the template's text; the limit is {}",
            limits::HEADER_TEXT
        )
    })
}

/// Why the body values make a body longer than WhatsApp allows, if they do.
/// `values` are in body order, each with the named placeholder it fills when
/// `named`.
pub fn filled_body_problem<'v>(
    body: &str,
    named: bool,
    values: impl Iterator<Item = (Option<&'v str>, &'v str)> + Clone,
) -> Option<String> {
    // Most bodies cannot reach the limit even if the longest value, counted
    // in bytes, stood at as many placeholders as the text could hold (each
    // `{{..}}` takes at least five bytes): then there is nothing to count.
    // This runs for every message, so it reads no text.
    let longest = values.clone().map(|(_, value)| value.len()).max()?;
    if body.len() + body.len() / 5 * longest <= limits::TEMPLATE_BODY {
        return None;
    }
    let length = filled_length(body, |inner| {
        if named {
            values
                .clone()
                .find(|(name, _)| *name == Some(inner))
                .map(|(_, value)| value)
        } else {
            let number: usize = inner.parse().ok()?;
            values
                .clone()
                .nth(number.checked_sub(1)?)
                .map(|(_, value)| value)
        }
    });
    (length > limits::TEMPLATE_BODY).then(|| {
        format!(
            "the values make a body of {length} characters with the template's text; the limit is {}",
            limits::TEMPLATE_BODY
        )
    })
}

/// Why `suffix` at the end of the button URL `url` (with its `{{1}}`) makes a
/// URL that is too long or not an `http(s)` URL, if it does.
///
/// `url` is a definition's, which the definition rules have checked: an
/// `http(s)` URL with its one `{{1}}` at the end. So past the host a suffix
/// can only break it with whitespace (a URL parser escapes any other text
/// there), and the filled URL is parsed only when the suffix is part of the
/// host, which keeps this cheap enough to run for every message.
pub fn filled_url_problem(url: &str, suffix: &str) -> Option<String> {
    if url.len() + suffix.len() > limits::BUTTON_URL {
        let length = filled_length(url, |_| Some(suffix));
        if length > limits::BUTTON_URL {
            return Some(format!(
                "makes a URL of {length} characters with the template's URL; the limit is {}",
                limits::BUTTON_URL
            ));
        }
    }
    // Compared byte for byte: this runs for every message.
    let after_host = url
        .strip_suffix("{{1}}")
        .and_then(|prefix| {
            prefix
                .strip_prefix("https://")
                .or_else(|| prefix.strip_prefix("http://"))
        })
        .is_some_and(|rest| rest.bytes().any(|byte| matches!(byte, b'/' | b'?' | b'#')));
    let valid = if after_host {
        !suffix.contains(char::is_whitespace)
    } else {
        limits::is_http_url(&crate::placeholder::fill(url, &[suffix]))
    };
    (!valid).then(|| {
        format!(
            "makes `{}`, which is not an http(s) URL",
            crate::placeholder::fill(url, &[suffix])
        )
    })
}

/// The characters of `text` with each `{{...}}` that `value` answers for
/// replaced by that value; the others are counted as written.
fn filled_length<'v>(text: &str, value: impl Fn(&str) -> Option<&'v str>) -> usize {
    let mut length = 0;
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}").map(|at| open + 2 + at) else {
            break;
        };
        match value(&rest[open + 2..close]) {
            Some(value) => length += limits::chars(&rest[..open]) + limits::chars(value),
            None => length += limits::chars(&rest[..close + 2]),
        }
        rest = &rest[close + 2..];
    }
    length + limits::chars(rest)
}

/// Why `id` cannot name a product (a retailer id), if it cannot: it is
/// empty or only whitespace.
pub fn product_id_problem(id: &str) -> Option<String> {
    limits::is_blank(id)
        .then(|| "is empty; give the product's retailer id (its SKU in the catalog)".to_owned())
}

/// Why `id` cannot name a catalog, if it cannot: it is empty or only
/// whitespace.
pub fn catalog_id_problem(id: &str) -> Option<String> {
    limits::is_blank(id).then(|| {
        "is empty; give the id of the catalog the product is in (from Meta's Commerce Manager)"
            .to_owned()
    })
}

/// Why `title` cannot title a multi-product message's section, if it
/// cannot: it is empty, or longer than [`limits::PRODUCT_SECTION_TITLE`].
pub fn section_title_problem(title: &str) -> Option<String> {
    if limits::is_blank(title) {
        return Some("is empty; WhatsApp shows each section under its title".to_owned());
    }
    length_problem(title, limits::PRODUCT_SECTION_TITLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positional<'v>(
        values: &'v [&'v str],
    ) -> impl Iterator<Item = (Option<&'v str>, &'v str)> + Clone {
        values.iter().map(|value| (None, *value))
    }

    fn definition(category: &str, components: &str, format: &str) -> TemplateDefinition {
        let json = format!(
            r#"{{"name":"ticket","language":"en","status":"APPROVED","category":"{category}","parameter_format":"{format}","components":{components}}}"#
        );
        TemplateDefinition::from_slice(json.as_bytes(), std::path::Path::new("ticket.en.json"))
            .unwrap()
    }

    #[test]
    fn a_definition_names_the_slot_of_each_value_it_takes() {
        let named = definition(
            "UTILITY",
            r#"[{"type":"HEADER","format":"IMAGE"},
                {"type":"BODY","text":"Hi {{name}}, seat {{seat}}"},
                {"type":"BUTTONS","buttons":[
                    {"type":"PHONE_NUMBER","text":"Call","phone_number":"+15550000000"},
                    {"type":"URL","text":"Open","url":"https://example.com/t/{{1}}"}]}]"#,
            "NAMED",
        );
        assert_eq!(named.body_slot(1).unwrap().to_string(), "body {{seat}}");
        assert_eq!(named.header_slot(), Ok(Slot::Header));
        assert_eq!(
            named.button_slot(1),
            Ok(Slot::Button {
                index: 1,
                takes: ButtonParameter::UrlSuffix
            })
        );
        let refusals = [
            named.body_slot(2).unwrap_err().to_string(),
            named.button_slot(0).unwrap_err().to_string(),
            named.button_slot(2).unwrap_err().to_string(),
            named.button_slot(300).unwrap_err().to_string(),
        ];
        assert_eq!(
            refusals,
            [
                "template `ticket` has 2 body parameter(s)",
                "button 0 takes no value",
                "template `ticket` has no button 2",
                "template `ticket` has no button 300",
            ]
        );
        let plain = definition(
            "UTILITY",
            r#"[{"type":"BODY","text":"Hi {{1}}"}]"#,
            "POSITIONAL",
        );
        assert_eq!(plain.body_slot(0).unwrap().to_string(), "body {{1}}");
        assert_eq!(
            plain.header_slot().unwrap_err().to_string(),
            "template `ticket` has no header that takes a value"
        );
    }

    #[test]
    fn an_authentication_templates_body_value_is_its_code() {
        let otp = definition(
            "AUTHENTICATION",
            r#"[{"type":"BODY","text":"*{{1}}* is your verification code."},
                {"type":"BUTTONS","buttons":[{"type":"OTP","otp_type":"COPY_CODE","text":"Copy code"}]}]"#,
            "POSITIONAL",
        );
        assert_eq!(otp.body_slot(0), Ok(Slot::Code));
        assert_eq!(
            otp.button_slot(0),
            Err(NoSlot::ButtonTakesNoValue { index: 0 })
        );
    }

    #[test]
    fn slots_are_named_as_errors_name_them() {
        let names = [
            Slot::Body {
                position: 1,
                name: None,
            }
            .to_string(),
            Slot::Body {
                position: 0,
                name: Some("order_id"),
            }
            .to_string(),
            Slot::Header.to_string(),
            Slot::Button {
                index: 1,
                takes: ButtonParameter::UrlSuffix,
            }
            .to_string(),
            Slot::Button {
                index: 0,
                takes: ButtonParameter::Payload,
            }
            .to_string(),
            Slot::Button {
                index: 2,
                takes: ButtonParameter::CouponCode,
            }
            .to_string(),
            Slot::Code.to_string(),
            Slot::Location(LocationPart::Latitude).to_string(),
            Slot::FilledBody.to_string(),
            Slot::Button {
                index: 1,
                takes: ButtonParameter::FlowToken,
            }
            .to_string(),
            Slot::OfferExpiry.to_string(),
            Slot::FlowActionData.to_string(),
        ];
        assert_eq!(
            names,
            [
                "body {{2}}",
                "body {{order_id}}",
                "header",
                "buttons[1] url suffix",
                "buttons[0] payload",
                "buttons[2] coupon code",
                "code",
                "location latitude",
                "body",
                "buttons[1] flow token",
                "limited_time_offer expiration_time_ms",
                "flow_action_data",
            ]
        );
    }

    #[test]
    fn coordinates_are_range_checked_as_numbers_and_as_text() {
        let latitude = Slot::Location(LocationPart::Latitude);
        let longitude = Slot::Location(LocationPart::Longitude);
        assert_eq!(value_problem(latitude, "90"), None);
        assert_eq!(value_problem(latitude, "-90"), None);
        assert!(
            value_problem(latitude, "91")
                .unwrap()
                .contains("is 91 degrees; a latitude is -90 to 90")
        );
        assert_eq!(value_problem(longitude, "-180"), None);
        assert!(
            value_problem(longitude, "180.5")
                .unwrap()
                .contains("a longitude is -180 to 180")
        );
        assert!(
            value_problem(longitude, "east")
                .unwrap()
                .contains("`east` is not a number of degrees")
        );
        assert!(coordinate_problem(LocationPart::Latitude, f64::INFINITY).is_some());
        let name = Slot::Location(LocationPart::Name);
        assert_eq!(value_problem(name, "Menlo Park 🏢"), None);
        assert!(value_problem(name, " ").unwrap().contains("is empty"));
        assert_eq!(name.to_string(), "location name");
    }

    #[test]
    fn a_filled_header_of_sixty_characters_fits_and_sixty_one_does_not() {
        // "Hi {{1}}" is 3 characters of text around the placeholder.
        assert_eq!(filled_header_problem("Hi {{1}}", &"é".repeat(57)), None);
        let problem = filled_header_problem("Hi {{1}}", &"é".repeat(58)).unwrap();
        assert!(problem.contains("61 characters"), "{problem}");
    }

    #[test]
    fn a_filled_body_counts_every_occurrence_and_the_text_around_it() {
        let body = "{{1}} and {{1}} and {{2}}"; // 10 characters of text
        let fits = "a".repeat(338); // 338 * 2 + 338 + 10 = 1024
        let values = [fits.as_str(), fits.as_str()];
        assert_eq!(filled_body_problem(body, false, positional(&values)), None);
        let over = "a".repeat(339);
        let values = [over.as_str(), fits.as_str()];
        let problem = filled_body_problem(body, false, positional(&values)).unwrap();
        assert!(problem.contains("1026 characters"), "{problem}");
    }

    #[test]
    fn a_named_body_is_filled_by_name() {
        // 1011 characters of text, then 2 and 11 of values: 1024.
        let body = format!("{{{{b}}}}{}{{{{a}}}}", "x".repeat(1011));
        let values = [(Some("a"), "12"), (Some("b"), "345678901234")];
        assert!(filled_body_problem(&body, true, values.iter().copied()).is_some());
        let values = [(Some("a"), "12"), (Some("b"), "34567890123")];
        assert_eq!(
            filled_body_problem(&body, true, values.iter().copied()),
            None
        );
    }

    #[test]
    fn a_placeholder_without_a_value_counts_as_written() {
        assert_eq!(
            filled_length("{{1}} {{2}}", |inner| (inner == "1").then_some("ab")),
            8
        );
    }

    #[test]
    fn a_filled_url_within_the_limit_fits_and_one_more_character_does_not() {
        let url = "https://example.com/{{1}}"; // 20 characters before the placeholder
        assert_eq!(
            filled_url_problem(url, &"a".repeat(limits::BUTTON_URL - 20)),
            None
        );
        let problem = filled_url_problem(url, &"a".repeat(limits::BUTTON_URL - 19)).unwrap();
        assert!(problem.contains("2001 characters"), "{problem}");
    }

    #[test]
    fn a_suffix_that_makes_the_host_invalid_is_refused() {
        assert_eq!(filled_url_problem("https://{{1}}", "example.com/a"), None);
        assert!(filled_url_problem("https://{{1}}", "exa mple").is_some());
        assert!(filled_url_problem("https://{{1}}", "[::1").is_some());
        assert!(filled_url_problem("https://example.com/{{1}}", "a b").is_some());
    }

    #[test]
    fn codes_and_coupons_follow_the_parameter_rules() {
        assert!(value_problem(Slot::Code, "12\t34").unwrap().contains("tab"));
        assert!(value_problem(Slot::Code, "").unwrap().contains("empty"));
        assert!(
            value_problem(Slot::Code, &"1".repeat(16))
                .unwrap()
                .contains("limit is 15")
        );
        assert_eq!(value_problem(Slot::Code, &"1".repeat(15)), None);
    }

    #[test]
    fn a_flow_token_must_not_be_empty_and_is_otherwise_free() {
        let token = Slot::Button {
            index: 0,
            takes: ButtonParameter::FlowToken,
        };
        assert!(value_problem(token, "").unwrap().contains("empty"));
        assert_eq!(value_problem(token, "order-4711 ✓ with spaces"), None);
    }
}
