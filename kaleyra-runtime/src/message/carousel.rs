//! The cards of a carousel template message: each card's header, body
//! values and button values, checked like a template's.

use std::borrow::Cow;
use std::fmt::Display;

use kaleyra_definitions::values::{self, Slot};
use kaleyra_definitions::{ButtonParameter, limits};

use super::template::{ButtonValue, Param, TemplateHeader, check_media_type};
use crate::error::Error;

/// The values of one card of a carousel template: its header (the image or
/// video a media card shows, by link or uploaded id, or the product a
/// product card shows), its body values and its buttons' values.
///
/// A message fills exactly the cards the template was approved with, in
/// order: add them with [`TemplateMessage::card`](crate::TemplateMessage::card).
/// Most code derives a card type with `#[derive(Card)]` instead.
///
/// ```
/// use kaleyra_runtime::{CarouselCard, MediaId, TemplateHeader, TemplateMessage};
///
/// let photo = |id: &str| MediaId::new(id).map(|id| TemplateHeader::Image(id.into()));
/// let message = TemplateMessage::media("carousel_template_media_cards_v1")
///     .language("en_US")
///     .params(["Pablo", "30%", "30OFF"])
///     .card(CarouselCard::new(photo("1635572613893474")?).quick_reply_payload(0, "more-1").url_button(1, "BLUE_ELF"))
///     .card(CarouselCard::new(photo("1635572613893475")?).quick_reply_payload(0, "more-2").url_button(1, "BUDDHA"))
///     .card(CarouselCard::new(photo("1635572613893476")?).quick_reply_payload(0, "more-3").url_button(1, "BLACK_PRINCE"));
/// # Ok::<(), kaleyra_runtime::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarouselCard<'a> {
    pub(crate) header: TemplateHeader,
    pub(crate) params: Vec<Param<'a>>,
    pub(crate) buttons: Vec<ButtonValue<'a>>,
}

impl CarouselCard<'static> {
    /// A card showing `header`: a [`TemplateHeader::Image`] or
    /// [`TemplateHeader::Video`] for a media card, a
    /// [`TemplateHeader::Product`] for a product card.
    pub fn new(header: TemplateHeader) -> Self {
        CarouselCard {
            header,
            params: Vec::new(),
            buttons: Vec::new(),
        }
    }

    /// Appends the value of the card body's next placeholder.
    pub fn param(mut self, value: impl Display) -> Self {
        self.params.push(Param {
            value: Cow::Owned(value.to_string()),
            name: None,
            parameter_name: None,
        });
        self
    }

    /// Sets the dynamic URL suffix of the card's URL button at `index`.
    pub fn url_button(mut self, index: u8, suffix: impl Display) -> Self {
        self.buttons.push(ButtonValue::given(
            index,
            ButtonParameter::UrlSuffix,
            suffix,
        ));
        self
    }

    /// Sets the payload the card's quick-reply button at `index` returns
    /// when tapped.
    pub fn quick_reply_payload(mut self, index: u8, payload: impl Display) -> Self {
        self.buttons
            .push(ButtonValue::given(index, ButtonParameter::Payload, payload));
        self
    }
}

impl<'a> CarouselCard<'a> {
    /// A card from a derived card type's values, borrowed from its fields.
    #[doc(hidden)]
    pub fn derived(
        header: TemplateHeader,
        params: Vec<Param<'a>>,
        buttons: Vec<ButtonValue<'a>>,
    ) -> Self {
        CarouselCard {
            header,
            params,
            buttons,
        }
    }

    /// The card's header value.
    pub fn header(&self) -> &TemplateHeader {
        &self.header
    }

    /// The card's body values, in placeholder order.
    pub fn param_values(&self) -> impl Iterator<Item = &str> {
        self.params.iter().map(|param| &*param.value)
    }

    pub(crate) fn into_static(self) -> CarouselCard<'static> {
        CarouselCard {
            header: self.header,
            params: self.params.into_iter().map(Param::into_static).collect(),
            buttons: self
                .buttons
                .into_iter()
                .map(ButtonValue::into_static)
                .collect(),
        }
    }

    /// Checks the card's values: a media or product header, each body value
    /// and button value by the rules for its slot, at most
    /// [`limits::CARD_BUTTONS`] buttons, each given once.
    pub(crate) fn check(&self, card: usize) -> Result<(), Error> {
        let field = |slot: Slot<'_>, label: Option<&str>| card_field(card, slot, label);
        match &self.header {
            TemplateHeader::Image(_) | TemplateHeader::Video(_) => {
                check_media_type(&self.header).map_err(|error| in_card(error, card))?;
            }
            TemplateHeader::Product(product) => {
                product.check().map_err(|error| in_card(error, card))?;
            }
            other => {
                return Err(Error::invalid(
                    field(Slot::Header, None),
                    format!(
                        "is a {} header; a carousel card shows an image, a video or a product",
                        other.type_name()
                    ),
                ));
            }
        }
        for (position, param) in self.params.iter().enumerate() {
            let slot = Slot::Body {
                position,
                name: param.parameter_name.as_deref(),
            };
            if let Some(problem) = values::value_problem(slot, &param.value) {
                return Err(Error::invalid(field(slot, param.name), problem));
            }
        }
        let mut seen = [false; limits::CARD_BUTTONS];
        for button in &self.buttons {
            let slot = Slot::Button {
                index: button.index,
                takes: button.takes,
            };
            let Some(seen) = seen.get_mut(usize::from(button.index)) else {
                return Err(Error::invalid(
                    field(slot, None),
                    format!(
                        "a carousel card's buttons take indices 0 to {}",
                        limits::CARD_BUTTONS - 1
                    ),
                ));
            };
            if std::mem::replace(seen, true) {
                return Err(Error::invalid(
                    field(slot, None),
                    "has two values; give each button one",
                ));
            }
            if !matches!(
                button.takes,
                ButtonParameter::UrlSuffix | ButtonParameter::Payload
            ) {
                return Err(Error::invalid(
                    field(slot, None),
                    "a carousel card's buttons take a URL suffix or a quick-reply payload",
                ));
            }
            if let Some(problem) = values::value_problem(slot, &button.value) {
                return Err(Error::invalid(field(slot, None), problem));
            }
        }
        Ok(())
    }
}

/// A header's error, with its field named in the card (`cards[1] header`).
fn in_card(error: Error, card: usize) -> Error {
    match error {
        Error::Invalid { field, reason } => Error::Invalid {
            field: format!("cards[{card}] {field}"),
            reason,
        },
        other => other,
    }
}

/// What errors call a card's value: `cards[1] body {{1}}`, after the card
/// type's field name when it has one (`shop_path (cards[1] buttons[1] url
/// suffix)`).
fn card_field(card: usize, slot: Slot<'_>, label: Option<&str>) -> String {
    match label {
        Some(label) => format!("{label} (cards[{card}] {slot})"),
        None => format!("cards[{card}] {slot}"),
    }
}
