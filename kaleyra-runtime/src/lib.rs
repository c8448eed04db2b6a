//! Send WhatsApp messages through [Kaleyra](https://www.kaleyra.com) from
//! Rust: typed messages, checked before sending, encoded exactly as Kaleyra's
//! v1 (form fields) and v2 (JSON) APIs document, with typed receipts and errors.
//!
//! ```no_run
//! use kaleyra_runtime::{Client, Template, TemplateMessage};
//!
//! # async fn run() -> Result<(), kaleyra_runtime::Error> {
//! let client = Client::from_env()?; // KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM, ...
//! let message = TemplateMessage::new("booking_confirm").language("en").param("John").param("Doe");
//! let receipt = client.send(&message, "+919876543210").await?;
//! println!("sent {}", receipt.message_id().unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! With `#[derive(Template)]`, a struct is checked against its approved
//! template in `templates/` at compile time; see [`Template`].
//!
//! # What is checked before anything is sent
//!
//! Every number is shaped like E.164, every text is within WhatsApp's limits
//! (counted in characters), template parameters hold no line break, tab or
//! more than four spaces in a row, URLs are `http(s)`, button ids and titles
//! are unique, references are at most 255 characters. A failed check is
//! [`Error::Invalid`], naming the field. Values are never cut short or
//! rewritten: what is accepted is sent exactly as given.

mod bulk;
mod client;
mod encode;
mod error;
pub mod inbound;
mod message;
mod receipt;
mod recipients;
mod request;
mod response;
mod retry;
mod template;
mod transport;
#[cfg(feature = "axum")]
pub mod webhook;

pub use bulk::{BulkResult, DEFAULT_CONCURRENCY, Progress, SendMany};
pub use client::{
    Api, ApiVersion, Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REQUEST_TIMEOUT, Pod,
};
pub use error::{
    ApiCode, BODY_EXCERPT_BYTES, Error, RecipientFailure, TransportError, TransportErrorKind,
};
#[doc(hidden)]
pub use message::MessageRef;
pub use message::{
    AnyMessage, AsMediaUrl, ButtonValue, CtaUrl, InteractiveHeader, MediaUrl, Message, ReplyButton,
    ReplyButtons, TemplateHeader, TemplateMessage, Text, WaSource,
};
pub use receipt::{Receipt, SentMessage};
pub use recipients::Recipients;
pub use request::PreparedRequest;
pub use response::decode_response;
pub use retry::RetryPolicy;
pub use template::{Template, TemplateKind};

/// Derives [`Template`] for a struct from its approved template in
/// `templates/<name>.json`; see the [crate documentation](crate#derive).
#[cfg(feature = "derive")]
pub use kaleyra_macros::Template;

/// The template definition model, for code that reads `templates/` at run time.
pub use kaleyra_definitions as definitions;
