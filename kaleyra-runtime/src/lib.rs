//! Send WhatsApp messages through [Kaleyra](https://www.kaleyra.com) from
//! Rust: typed messages, checked before sending, encoded exactly as Kaleyra's
//! v1 (form fields) and v2 (JSON) APIs document, with typed receipts and errors.
//!
//! ```no_run
//! use kaleyra_runtime::{Client, TemplateMessage};
//!
//! # async fn run() -> Result<(), kaleyra_runtime::Error> {
//! let client = Client::from_env()?; // KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM, ...
//! let message = TemplateMessage::new("booking_confirm").language("en").param("John").param("Doe");
//! let receipt = client.send(&message, "+919876543210").await?;
//! println!("sent {}", receipt.message_id().unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! # Derive
//!
//! Keep each approved template as `templates/<name>.json` (beside the crate's
//! `Cargo.toml`) and derive a struct for it. The derive checks the struct
//! against the definition when the crate compiles: the number of body fields,
//! the header, each `button = N`. It generates [`Template`], `send`,
//! `prepare`, rustdoc showing the template, and for templates with tappable
//! buttons an enum that recognises a customer's tap in a callback.
//!
//! ```
//! use kaleyra_runtime::{Api, Client, Template};
//!
//! #[derive(Template)]
//! #[kaleyra(template = "booking_confirm", dir = "../templates")] // `templates/` unless set
//! struct BookingConfirm<'a> {
//!     name: &'a str,   // body {{1}}: any `Display` type
//!     booking_id: u32, // body {{2}}
//! }
//!
//! let client = Client::builder().sid("HXAP16XXXXXX97IN").api_key("key").from("+912025550100").api(Api::V1).build()?;
//! let request = BookingConfirm { name: "Ada", booking_id: 4711 }.prepare(&client, "+919876543210")?;
//! assert!(request.body_text().contains("template_name=booking_confirm"));
//! # Ok::<(), kaleyra_runtime::Error>(())
//! ```
//!
//! `#[kaleyra(header)]` marks the field that fills a media header (a
//! [`MediaUrl`]) or a header text's `{{1}}`; `#[kaleyra(button = N)]` the one
//! that fills button N's URL suffix or quick-reply payload.
//!
//! # What is checked before anything is sent
//!
//! Every number is shaped like E.164, every text is within WhatsApp's limits
//! (counted in characters), template parameters hold no line break, tab or
//! more than four spaces in a row, URLs are `http(s)`, button ids and titles
//! are unique, references are at most 255 characters. A derived struct's
//! values are also checked filled into its definition's texts (a header of at
//! most 60 characters, a body of at most 1024, URLs of at most 2000 that are
//! still `http(s)` URLs); a hand-built [`TemplateMessage`] gets the same with
//! [`TemplateMessage::checked_against`]. The rules live in
//! [`definitions::values`]. A failed check is [`Error::Invalid`], naming the
//! field. Values are never cut short or
//! rewritten: what is accepted is sent exactly as given.
//!
//! For numbers as people write them (`098111 11115`, `+91 98111 11116`),
//! `PhoneNumber::parse` (feature `phonenumber`) reads them
//! with libphonenumber's rules, in an optional default `Region`, into the
//! E.164 form that is then sent.
//!
//! # More
//!
//! - [`Client::send_many`]: many messages, with bounded concurrency, a rate
//!   limit and progress, one result per input.
//! - [`RetryPolicy`]: retries that cannot send a message twice, unless you opt in.
//! - [`inbound`]: what Kaleyra posts to a callback URL, typed; with the
//!   `axum` feature, `webhook` receives it, only at a URL holding a
//!   [`CallbackSecret`].
//! - [`decode_response`]: Kaleyra's answers, for code with its own HTTP client.
//! - [`Client::list_templates`]: the account's templates (v2), every page, as
//!   the definition model, each element also kept byte for byte.
//!
//! # Features
//!
//! - `derive` (default): `#[derive(Template)]`.
//! - `axum`: the `webhook` module, to receive callbacks in an axum app.
//! - `phonenumber`: `PhoneNumber` and `Region`, numbers as people write
//!   them, read with libphonenumber's metadata. Off by default, as it adds
//!   regex, a second syn and a metadata build script to the build; without
//!   it, recipients are strings checked for E.164 shape.

mod account_templates;
mod api;
mod bulk;
mod callback_secret;
mod client;
mod encode;
mod endpoint;
mod error;
pub mod inbound;
mod message;
#[cfg(feature = "phonenumber")]
mod phone;
mod receipt;
mod recipients;
mod request;
mod response;
mod retry;
mod template;
mod transport;
#[cfg(feature = "axum")]
pub mod webhook;

pub use account_templates::{MAX_TEMPLATE_LIST_PAGES, TemplateList, TemplateListOptions};
pub use api::{Api, ApiVersion, Pod};
pub use bulk::{BulkResult, MAX_V1_BATCH_SIZE, Progress, SendMany};
pub use callback_secret::{
    CALLBACK_SECRET_ENV, CallbackSecret, CallbackSecretError, CallbackUrl,
    MAX_CALLBACK_SECRET_CHARS, MIN_CALLBACK_SECRET_CHARS,
};
pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT,
};
pub use error::{
    ApiCode, BODY_EXCERPT_BYTES, Error, RecipientFailure, TransportError, TransportErrorKind,
};
#[doc(hidden)]
pub use message::MessageRef;
/// Everything `#[derive(Template)]` expands to names, through this one path:
/// `::kaleyra_runtime::__private`, or `<path>::__private` with
/// `#[kaleyra(crate = "path")]`. Not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::inbound::Event;
    pub use crate::inbound::event::tapped_button;
    pub use crate::message::{
        AnyMessage, AsMediaUrl, ButtonValue, CtaUrl, DerivedValues, InteractiveHeader, Location,
        Param, ReplyButtons, Shape, TemplateHeader, TemplateParts, display_text,
    };
    pub use crate::{Client, Error, PreparedRequest, Receipt, Recipients, Template, TemplateKind};
    pub use kaleyra_definitions::ButtonParameter;
    pub use kaleyra_definitions::placeholder::fill;
    pub use kaleyra_definitions::values::TemplateTexts;
}
pub use message::{
    AnyMessage, AsMediaUrl, CtaUrl, InteractiveHeader, Location, MediaUrl, Message, ReplyButton,
    ReplyButtons, TemplateHeader, TemplateMessage, Text, WaSource,
};
#[cfg(feature = "phonenumber")]
pub use phone::{MAX_WRITTEN_NUMBER_LENGTH, PhoneNumber, PhoneNumberError, Region};
pub use receipt::{Receipt, SentMessage};
pub use recipients::Recipients;
pub use request::PreparedRequest;
pub use response::decode_response;
pub use retry::RetryPolicy;
pub use template::{Template, TemplateKind};

/// Derives [`Template`] for a struct from its approved template in
/// `templates/`; see the [crate documentation](crate#derive).
///
/// | attribute | on | meaning |
/// |---|---|---|
/// | `template = "name"` | the struct | the definition: `templates/name.json`, or every `templates/name.<language>.json` |
/// | `language = "code"` | the struct | send in this one language of the template (`"hi"`, `"pt_BR"`) |
/// | `dir = "path"` | the struct | where definitions are, relative to `Cargo.toml` (default `templates`) |
/// | `crate = "path"` | the struct | where the runtime is, for a crate that re-exports it (default `kaleyra_runtime`) |
/// | `header` | a field | fills the media header (a [`MediaUrl`]), the location header (a [`Location`], v2 only) or the header text's placeholder |
/// | `button = N` | a field | fills button N's URL suffix, quick-reply payload or copy-code coupon |
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
