//! A small application that sends approved templates: one with an image
//! header, a multi-product cart, a single product, the catalog, a
//! limited-time offer, a carousel whose cards show uploaded images, a
//! carousel of products, a flow, a one-time code and a delivery's place on a
//! map.

use kaleyra_runtime::{Card, FlowActionData, Location, MediaId, MediaUrl, Product, Template};

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

/// One card of Meta's media-card carousel (reference object 011): an
/// uploaded photo and its buttons' values.
#[derive(Card)]
#[kaleyra(template = "carousel_template_media_cards_v1")]
pub struct SucculentCard {
    /// The card's photo, uploaded first.
    #[kaleyra(header)]
    pub photo: MediaId,
    /// The quick reply's payload.
    #[kaleyra(button = 0)]
    pub more: String,
    /// The "Shop" URL's suffix.
    #[kaleyra(button = 1)]
    pub product: String,
}

/// Meta's media-card carousel: the bubble's three values and its three cards.
#[derive(Template)]
#[kaleyra(template = "carousel_template_media_cards_v1")]
pub struct SucculentSale {
    /// Body `{{1}}`.
    pub name: String,
    /// Body `{{2}}`.
    pub discount: String,
    /// Body `{{3}}`.
    pub code: String,
    /// The three cards it was approved with.
    #[kaleyra(cards)]
    pub cards: [SucculentCard; 3],
}

/// A one-time code (an authentication template as an account lists it).
#[derive(Template)]
#[kaleyra(template = "login_code")]
pub struct LoginCode {
    /// The code, at most 15 characters.
    pub code: String,
}

/// Meta's location-header template (reference object 037): where the
/// order is going, and two body values.
#[derive(Template)]
#[kaleyra(template = "order_delivery_update")]
pub struct DeliveryOnItsWay {
    /// The place in the header.
    #[kaleyra(header)]
    pub place: Location,
    /// Body `{{1}}`: the customer's name.
    pub name: String,
    /// Body `{{2}}`: the order number.
    pub order: String,
}

/// Meta's single-product template (reference object 007): the product in
/// the header, which the `View` button opens.
#[derive(Template)]
#[kaleyra(template = "abandoned_cart_offer")]
pub struct CartOffer {
    /// The product shown.
    #[kaleyra(header)]
    pub product: Product,
    /// Body `{{1}}`: the code.
    pub code: String,
    /// Body `{{2}}`: the discount.
    pub discount: String,
}

/// Meta's catalog template (reference object 008): the button opens the
/// business's catalog, with a thumbnail product.
#[derive(Template)]
#[kaleyra(template = "intro_catalog_offer")]
pub struct CatalogOffer {
    /// Body `{{1}}`: rupees off.
    pub discount: u32,
    /// Body `{{2}}`: the smallest order.
    pub minimum: u32,
    /// Body `{{3}}`: how many orders.
    pub orders: u32,
    /// The thumbnail product's retailer id.
    #[kaleyra(button = 0)]
    pub thumbnail: String,
}

/// One card of Meta's product-card carousel (reference object 012).
#[derive(Card)]
#[kaleyra(template = "carousel_template_product_cards_v1")]
pub struct ProductCard {
    /// The card's product.
    #[kaleyra(header)]
    pub product: Product,
}

/// Meta's product-card carousel: the bubble's value and its two products.
#[derive(Template)]
#[kaleyra(template = "carousel_template_product_cards_v1")]
pub struct SucculentProducts {
    /// Body `{{1}}`.
    pub name: String,
    /// The two cards it was approved with.
    #[kaleyra(cards)]
    pub cards: [ProductCard; 2],
}

/// A flow template: the button opens the booking flow with a token and
/// optional initial data.
#[derive(Template)]
#[kaleyra(template = "appointment_booking")]
pub struct AppointmentBooking {
    /// Body `{{1}}`: the customer's name.
    pub name: String,
    /// Body `{{2}}`: the service.
    pub service: String,
    /// The flow token the flow's answers come back with.
    #[kaleyra(button = 0)]
    pub flow_token: String,
    /// The flow's first screen's data.
    #[kaleyra(flow_data)]
    pub data: Option<FlowActionData>,
}
