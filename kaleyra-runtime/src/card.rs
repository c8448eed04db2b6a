//! The trait `#[derive(Card)]` implements: one card of a carousel template.

use crate::message::CarouselCard;

/// A struct whose fields fill one card of a carousel template: the card's
/// header (its image or video, by link or uploaded id, or its product), its
/// body values and its buttons' values.
///
/// Implemented by `#[derive(Card)]`, which checks the struct against the
/// template's cards at compile time. A carousel template's struct holds its
/// cards in a `#[kaleyra(cards)]` field, an array of exactly the approved
/// number of cards (`[OfferCard; 3]`), so a message with another number of
/// cards does not compile.
pub trait Card {
    /// The carousel template whose cards this type fills.
    const TEMPLATE: &'static str;

    /// The card's values, borrowed from the fields where they are text.
    fn card_values(&self) -> CarouselCard<'_>;
}

/// Whether two template names are the same, in a `const` (the derive
/// checks that a carousel's card type fills that carousel's cards).
#[doc(hidden)]
pub const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut position = 0;
    while position < a.len() {
        if a[position] != b[position] {
            return false;
        }
        position += 1;
    }
    true
}

/// Compiles only for a card type: the derive calls it on a carousel's cards
/// field, so a type that does not derive `Card` is reported at the field.
#[doc(hidden)]
pub fn is_card<T: Card + ?Sized>() {}
