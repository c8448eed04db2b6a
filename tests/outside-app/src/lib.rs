//! A small application that sends one approved template with an image header.

use kaleyra_runtime::{MediaUrl, Template};

/// This week's offer, with its picture.
#[derive(Template)]
#[kaleyra(template = "promo_image")]
pub struct PromoImage {
    /// The customer's first name: body `{{1}}`.
    pub name: String,
    /// The picture in the header.
    #[kaleyra(header)]
    pub picture: MediaUrl,
}

/// The cart a customer left, with a button listing its products (Meta's
/// multi-product template `abandoned_cart`, as the account lists it).
#[derive(Template)]
#[kaleyra(template = "abandoned_cart")]
pub struct AbandonedCart<'a> {
    /// The customer's name, in the header's `{{1}}`.
    #[kaleyra(header)]
    pub name: &'a str,
    /// The discount code: body `{{1}}`.
    pub code: &'a str,
    /// The products the button lists.
    #[kaleyra(button = 0)]
    pub cart: &'a kaleyra_runtime::MultiProduct,
}
