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
