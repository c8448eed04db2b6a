#![doc = include_str!("../README.md")]

pub mod account_templates;
mod api;
pub mod bulk;
pub mod callbacks;
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
    pub use crate::message::{
        AnyMessage, AsMedia, ButtonValue, CtaUrl, DerivedValues, InteractiveHeader, Location,
        MultiProduct, Param, Product, ProductsButton, ReplyButtons, Shape, TemplateHeader,
        TemplateParts, display_text,
    };
    pub use crate::message::{AsFlowActionData, FlowActionData};
    pub use crate::{Client, Error, PreparedRequest, Receipt, Recipients, Template, TemplateKind};
    pub use kaleyra_definitions::ButtonParameter;
    pub use kaleyra_definitions::placeholder::fill;
    pub use kaleyra_definitions::values::TemplateTexts;
}
pub use message::FlowActionData;
pub use message::{
    AnyMessage, AsMedia, CtaUrl, InteractiveHeader, Location, Media, MediaId, MediaUrl, Message,
    MultiProduct, Product, ProductSection, ReplyButton, ReplyButtons, TemplateHeader,
    TemplateMessage, Text, WaSource,
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
/// - Parts this library cannot send yet (carousels, flow or catalog buttons,
///   ..) are a compile error naming each.
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

/// The template definition model, for code that reads `templates/` at run time.
pub use kaleyra_definitions as definitions;
