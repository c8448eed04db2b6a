//! A small application that sends approved templates: one with an image
//! header, and a limited-time offer.

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

/// Meta's limited-time offer (reference object 013): a countdown to the
/// expiry, the coupon it copies and a booking link.
#[derive(Template)]
#[kaleyra(template = "limited_time_offer_caribbean_pkg_2023")]
pub struct CaribbeanOffer {
    /// The banner in the header.
    #[kaleyra(header)]
    pub banner: MediaUrl,
    /// The customer's name: body `{{1}}`.
    pub name: String,
    /// The code named in the body: body `{{2}}`.
    pub code: String,
    /// When the offer ends.
    #[kaleyra(offer_expiry)]
    pub expires_at: std::time::SystemTime,
    /// The code the copy-code button copies.
    #[kaleyra(button = 0)]
    pub coupon: String,
    /// The booking link's suffix.
    #[kaleyra(button = 1)]
    pub booking: String,
}
