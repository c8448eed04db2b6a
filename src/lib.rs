//! Typed messages for the templates in this repository's `templates/`
//! directory, used by the examples and the integration tests. Each struct is
//! checked against its definition when this crate compiles.

use kaleyra_runtime::{Card, Media, MediaUrl, Template};

/// `booking_confirm`: a plain approved template with two body values.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "booking_confirm")]
pub struct BookingConfirm<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
    /// The booking id (`{{2}}`).
    pub booking_id: u32,
}

/// `imt_dynamic`: a media template with a document header, a quick-reply
/// button and a URL button with a dynamic suffix.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "imt_dynamic")]
pub struct ImtDynamic<'a> {
    /// The customer's first name (`{{1}}`).
    pub first_name: &'a str,
    /// The customer's last name (`{{2}}`).
    pub last_name: String,
    /// The ticket, a PDF, shown as the document header.
    #[kaleyra(header)]
    pub ticket: MediaUrl,
    /// The end of the login URL of button 1.
    #[kaleyra(button = 1)]
    pub login_path: String,
    /// The payload button 0 ("Confirm") returns when tapped.
    #[kaleyra(button = 0)]
    pub confirm_payload: String,
}

/// `british_council`: the template of Kaleyra's sandbox sample.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "british_council")]
pub struct BritishCouncil<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
}

/// `reply_buttons_sample`: Kaleyra's reply-button sample, with the customer's
/// name filled into the body.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "reply_buttons_sample")]
pub struct ReplyButtonsSample<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
}

/// `cta_url_sample`: Kaleyra's CTA-URL sample, with a per-message click id.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "cta_url_sample")]
pub struct CtaUrlSample<'a> {
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
    /// The click id appended to the button's URL.
    #[kaleyra(button = 0)]
    pub click_id: &'a str,
}

/// `order_update`: a template approved in English and Hindi, saved as the
/// account lists it (Meta's shape, one file per language). The language is
/// chosen per message.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "order_update")]
pub struct OrderUpdate<'a> {
    /// The language to send in: one of those on file.
    #[kaleyra(language)]
    pub language: OrderUpdateLanguage,
    /// The customer's name (`{{1}}`).
    pub name: &'a str,
    /// The order id (`{{2}}`).
    pub order_id: &'a str,
    /// The end of the tracking URL of button 0.
    #[kaleyra(button = 0)]
    pub tracking_path: &'a str,
}

/// `delivery_update`: a template with named placeholders, filled by name.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "delivery_update")]
pub struct DeliveryUpdate<'a> {
    /// The header's `{{order_id}}`.
    #[kaleyra(header)]
    pub header_order_id: &'a str,
    /// `{{customer_name}}`.
    pub customer_name: &'a str,
    /// `{{order_id}}` in the body.
    pub order_id: &'a str,
    /// `{{delivery_date}}`.
    #[kaleyra(param = "delivery_date")]
    pub arrives: &'a str,
}

/// `login_code`: an authentication template; its one value is the code.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "login_code")]
pub struct LoginCode<'a> {
    /// The one-time code, at most 15 characters.
    pub code: &'a str,
}

/// One card of `spring_collection`: its photo, its price, and its buttons'
/// values.
#[derive(Debug, Clone, Card)]
#[kaleyra(template = "spring_collection")]
pub struct SpringCard<'a> {
    /// The card's image, by link or uploaded id.
    #[kaleyra(header)]
    pub photo: Media,
    /// The card body's `{{1}}`: the price.
    pub price: &'a str,
    /// The payload of the "More like this" quick reply.
    #[kaleyra(button = 0)]
    pub more: &'a str,
    /// The product path the "Shop" URL button opens.
    #[kaleyra(button = 1)]
    pub product: &'a str,
}

/// `spring_collection`: a carousel of two media cards, as the account lists it.
#[derive(Debug, Clone, Template)]
#[kaleyra(template = "spring_collection")]
pub struct SpringCollection<'a> {
    /// The body's `{{1}}`: the customer's name.
    pub name: &'a str,
    /// The two cards it was approved with.
    #[kaleyra(cards)]
    pub cards: [SpringCard<'a>; 2],
}
