#![doc = include_str!("../README.md")]

pub mod account_templates;
mod api;
pub mod bulk;
pub mod callbacks;
mod card;
mod client;
mod encode;
mod endpoint;
pub mod error;
mod message;
#[cfg(feature = "phonenumber")]
mod phone;
mod receipt;
mod recipients;
mod request;
mod response;
mod retry;
mod template;
pub mod template_management;
mod transport;
mod upload;

pub use api::{Api, ApiVersion, Pod};
pub use client::{Client, ClientBuilder};
pub use error::Error;
#[doc(hidden)]
pub use message::MessageRef;
/// Everything `#[derive(Template)]` expands to names, through this one path:
/// `::kaleyra_runtime::__private`, or `<path>::__private` with
/// `#[kaleyra(crate = "path")]`. Not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::callbacks::Event;
    pub use crate::callbacks::event::tapped_button;
    pub use crate::card::{is_card, same_name};
    pub use crate::message::{
        AnyMessage, AsMedia, ButtonValue, CarouselCard, CtaUrl, DerivedValues, InteractiveHeader,
        Location, MultiProduct, Param, Product, ProductsButton, ReplyButtons, Shape,
        TemplateHeader, TemplateParts, display_text,
    };
    pub use crate::message::{AsFlowActionData, FlowActionData};
    pub use crate::{
        Card, Client, Error, PreparedRequest, Receipt, Recipients, Template, TemplateKind,
    };
    pub use kaleyra_definitions::ButtonParameter;
    pub use kaleyra_definitions::placeholder::fill;
    pub use kaleyra_definitions::values::TemplateTexts;
}
pub use card::Card;
pub use message::FlowActionData;
pub use message::{
    AnyMessage, AsMedia, CarouselCard, CtaUrl, InteractiveHeader, Location, Media, MediaId,
    MediaUrl, Message, MultiProduct, Product, ProductSection, ReplyButton, ReplyButtons,
    TemplateHeader, TemplateMessage, Text, WaSource,
};
#[cfg(feature = "phonenumber")]
pub use phone::{PhoneNumber, PhoneNumberError, Region};
pub use receipt::{Receipt, SentMessage};
pub use recipients::Recipients;
pub use request::PreparedRequest;
pub use response::decode_response;
pub use retry::RetryPolicy;
pub use template::{Template, TemplateKind};
pub use upload::MediaFile;

/// Derives [`Template`] for a struct from its approved template in
/// `templates/`; see the [crate documentation](crate#derive).
///
/// | attribute | on | meaning |
/// |---|---|---|
/// | `template = "name"` | the struct | the definition: `templates/name.json`, or every `templates/name.<language>.json` |
/// | `language = "code"` | the struct | send in this one language of the template (`"hi"`, `"pt_BR"`) |
/// | `dir = "path"` | the struct | where definitions are, relative to `Cargo.toml` (default `templates`) |
/// | `crate = "path"` | the struct | where the runtime is, for a crate that re-exports it (default `kaleyra_runtime`) |
/// | `header` | a field | fills the media header (a [`MediaUrl`]), the location header (a [`Location`], v2 only), the product header (a [`Product`]) or the header text's placeholder |
/// | `button = N` | a field | fills button N's URL suffix, quick-reply payload, copy-code coupon, flow token, catalog thumbnail or products |
/// | `offer_expiry` | a field | when the limited-time offer expires: a `SystemTime` (or a type that converts into one) |
/// | `flow_data` | a field | the flow button's initial data: a [`FlowActionData`], or an `Option` of one |
/// | `param = "name"` | a field | the named placeholder `{{name}}` it fills, when not the field's own name |
/// | `language` | a field | chooses the language at run time; its type is the generated `<Struct>Language` |
/// | `cards` | a field | a carousel's cards: an array of exactly the approved number of a type that derives [`Card`](derive@Card) (`[OfferCard; 3]`) |
///
/// Definitions are this project's format or Meta's template objects as the
/// account lists them (one file per name and language), read unchanged:
///
/// - **Languages.** A template on file in several languages is sent in any of
///   them through a field `#[kaleyra(language)] language: OrderUpdateLanguage`;
///   the enum `<Struct>Language` has one variant per language code (`en` →
///   `En`, `pt_BR` → `PtBr`), so a language not on file cannot be named. The
///   languages must take the same values, or the derive names the difference.
///   `language = "hi"` on the struct picks one instead.
/// - **Named placeholders** (`"parameter_format": "NAMED"`): each body field
///   fills the placeholder of its name (`customer_name` fills
///   `{{customer_name}}`), whatever the order; a missing, extra or misspelt
///   one is a compile error with a suggestion.
/// - **Authentication templates**: the struct has one field, the code (any
///   `Display` type, at most 15 characters, checked before sending), for an
///   `OTP` button (copy code, one-tap, zero-tap) and for the `URL` button an
///   account lists it as (`https://www.whatsapp.com/otp/code/?otp_type=..`).
/// - **Buttons**: Meta's objects take up to 10 (v2 sends indices 0 to 9);
///   Kaleyra v1 takes 3, so v1 refuses a template with more, naming v1.
/// - **Status**: a template that can never be sent (`REJECTED`, `DISABLED`,
///   `DELETED`, `PENDING_DELETION`) does not derive. One that is `PENDING`,
///   `PAUSED`, `IN_APPEAL` or `LIMIT_EXCEEDED` derives, with a note on its
///   page; Kaleyra refuses its sends until it is approved or unpaused
///   ([`Template::STATUS`] holds the status).
/// - **Carousels**: the struct holds its cards in a `#[kaleyra(cards)]` field,
///   an array whose length is the approved number of cards (another length
///   is a compile error naming the approved one: WhatsApp would refuse it),
///   of a type that derives [`Card`](derive@Card) for the same template.
///   Sent on v2 only: no Kaleyra v1 page documents carousels.
/// - Parts this library cannot send yet (a component or button type it does
///   not know) are a compile error naming each.
///
/// The generated code names the runtime only through the `crate` path, so a
/// crate that re-exports the runtime (`pub use kaleyra_runtime as kaleyra;`)
/// lets its users derive with `#[kaleyra(crate = "my_sdk::kaleyra")]` without
/// depending on `kaleyra_runtime` themselves.
///
/// The struct's page in `cargo doc` shows the template: its languages,
/// status and category, a preview of the message as the phone shows it,
/// which field fills each placeholder, and a send example.
#[cfg(feature = "derive")]
pub use kaleyra_macros::Template;

/// Derives [`Card`](trait@Card) for a struct that fills one card of a
/// carousel template in `templates/`.
///
/// The struct names the carousel template like a `Template` does
/// (`template`, `language`, `dir` and `crate` on the struct), and its fields
/// fill a card as a template's fill a template: unannotated fields the
/// card body's placeholders in order, `header` the card's image or video (a
/// [`MediaUrl`], a [`MediaId`] or a [`Media`]) or its product (a
/// [`Product`]), `button = N` the card's button N (a URL suffix or a
/// quick-reply payload). Every card of the template must take the same
/// values, or the derive names the card that differs.
///
/// ```ignore
/// #[derive(Card)]
/// #[kaleyra(template = "carousel_template_media_cards_v1")]
/// struct SucculentCard<'a> {
///     #[kaleyra(header)] photo: MediaId,
///     #[kaleyra(button = 0)] more: &'a str,      // the quick reply's payload
///     #[kaleyra(button = 1)] product: &'a str,   // the URL button's suffix
/// }
///
/// #[derive(Template)]
/// #[kaleyra(template = "carousel_template_media_cards_v1")]
/// struct SucculentSale<'a> {
///     name: &'a str,
///     discount: &'a str,
///     code: &'a str,
///     #[kaleyra(cards)] cards: [SucculentCard<'a>; 3], // approved with 3 cards
/// }
/// ```
#[cfg(feature = "derive")]
pub use kaleyra_macros::Card;

/// The template definition model, for code that reads `templates/` at run time.
pub use kaleyra_definitions as definitions;
