//! Carousel templates (Meta's `CAROUSEL` component): a body above a row of
//! 2 to 10 cards the customer scrolls sideways, each with its own header
//! (an image or video, or a catalog product), body and buttons.
//!
//! The number of cards is fixed when the template is approved: WhatsApp
//! refuses a message with another number (error 132012, "parameter format
//! does not match"), so every message fills exactly the approved cards.
//! Read from Meta's template objects only.

use crate::model::{
    Button, ButtonParameter, DefinitionFormat, Header, HeaderType, ParameterFormat,
    TemplateDefinition, TemplateKind,
};
pub use crate::model::{Carousel, CarouselCard};

/// What a message gives one card: the header, how many body values, and the
/// value each button takes. Two cards that take the same can be filled by
/// one card type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardTakes {
    /// The header's kind: every card's header takes a value (its media or
    /// its product).
    pub header: HeaderType,
    /// How many body values the card takes.
    pub params: usize,
    /// The buttons that take a value, by index, with what they take.
    pub buttons: Vec<(u8, ButtonParameter)>,
}

impl Carousel {
    /// The carousel's `cards`.
    pub fn new(cards: Vec<CarouselCard>) -> Self {
        Carousel { cards }
    }
}

impl CarouselCard {
    /// The card `header`, `body` and `buttons`.
    pub fn new(header: Header, body: Option<String>, buttons: Vec<Button>) -> Self {
        CarouselCard {
            header,
            body,
            buttons,
        }
    }

    /// Whether the card shows a catalog product rather than media.
    pub fn is_product_card(&self) -> bool {
        self.header.kind == HeaderType::Product
    }

    /// The card as a template of its own, under the carousel's name,
    /// language, category and parameter format: its header, body and buttons,
    /// with no footer and no cards. What a message gives a card follows the
    /// same rules as what it gives a template, so the rules, the derive and
    /// the emulator check a card through this.
    pub fn as_template(&self, carousel: &TemplateDefinition) -> TemplateDefinition {
        TemplateDefinition {
            schema: None,
            name: carousel.name.clone(),
            kind: TemplateKind::MediaTemplate,
            language: carousel.language.clone(),
            category: carousel.category,
            header: Some(self.header.clone()),
            body: self.body.clone(),
            // A card without a body takes no body value.
            params: self.body.is_none().then_some(0),
            footer: None,
            buttons: self.buttons.clone(),
            format: DefinitionFormat::Meta,
            parameter_format: carousel.parameter_format,
            status: carousel.status.clone(),
            template_id: None,
            code_expiration_minutes: None,
            limited_time_offer: None,
            add_security_recommendation: false,
            carousel: None,
            unsupported: Vec::new(),
        }
    }

    /// What a message gives this card, for a carousel whose placeholders
    /// are written as `parameter_format` says.
    pub fn takes(&self, parameter_format: ParameterFormat) -> CardTakes {
        let params = match (parameter_format, self.body.as_deref()) {
            (_, None) => 0,
            (ParameterFormat::Positional, Some(body)) => {
                crate::placeholder::scan(body).numbers.len()
            }
            (ParameterFormat::Named, Some(body)) => crate::placeholder::named_in_order(body).len(),
        };
        let mut buttons: Vec<(u8, ButtonParameter)> = self
            .buttons
            .iter()
            .filter_map(|button| Some((button.index, button.takes()?)))
            .collect();
        buttons.sort_by_key(|(index, _)| *index);
        CardTakes {
            header: self.header.kind,
            params,
            buttons,
        }
    }
}

impl TemplateDefinition {
    /// The number of cards a carousel template was approved with; 0 for a
    /// template without a carousel.
    pub fn card_count(&self) -> usize {
        self.carousel
            .as_ref()
            .map_or(0, |carousel| carousel.cards.len())
    }

    /// What every card of the carousel takes, when all cards take the same
    /// (one card type can fill them all); otherwise the first card that
    /// differs from card 0, with what each takes.
    pub fn card_takes(&self) -> Option<Result<CardTakes, CardsDiffer>> {
        let carousel = self.carousel.as_ref()?;
        let mut cards = carousel
            .cards
            .iter()
            .map(|card| card.takes(self.parameter_format));
        let first = cards.next()?;
        for (position, takes) in cards.enumerate() {
            if takes != first {
                return Some(Err(CardsDiffer {
                    card: position + 1,
                    first,
                    other: takes,
                }));
            }
        }
        Some(Ok(first))
    }
}

/// Two cards of one carousel that take different values, so one card type
/// cannot fill both: card 0 and card `card`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardsDiffer {
    /// The first card (from 0) that takes other values than card 0.
    pub card: usize,
    /// What card 0 takes.
    pub first: CardTakes,
    /// What card `card` takes.
    pub other: CardTakes,
}

impl std::fmt::Display for CardsDiffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let describe = |takes: &CardTakes| {
            let buttons: Vec<String> = takes
                .buttons
                .iter()
                .map(|(index, takes)| format!("button {index} a {}", takes.as_str()))
                .collect();
            let buttons = if buttons.is_empty() {
                "no button value".to_owned()
            } else {
                buttons.join(", ")
            };
            format!(
                "a {} header, {} body value(s), {buttons}",
                takes.header.as_str(),
                takes.params
            )
        };
        write!(
            f,
            "card 0 takes {} but card {} takes {}",
            describe(&self.first),
            self.card,
            describe(&self.other)
        )
    }
}
