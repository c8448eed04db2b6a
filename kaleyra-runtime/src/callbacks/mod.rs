//! Callbacks: what Kaleyra posts to a `callback_url` or a callback profile
//! (delivery statuses, the customer's messages, button taps among them, and
//! the account's events), typed; the [`CallbackSecret`] that makes a callback URL one only Kaleyra
//! knows; and, with the `axum` feature, [`callback_router`] and the
//! [`Callback`] extractor that receive them.
//!
//! ```
//! use kaleyra_runtime::callbacks::{Content, Event};
//!
//! let body = br#"{"meta_object": {"field": "messages", "value": {
//!     "messaging_product": "whatsapp",
//!     "contacts": [{"profile": {"name": "Ada"}, "wa_id": "919876543210"}],
//!     "messages": [{"from": "919876543210", "id": "wamid.B", "timestamp": "1700000000",
//!                   "context": {"from": "912025550101", "id": "wamid.A"},
//!                   "type": "button", "button": {"text": "Confirm", "payload": "confirm-4711"}}]}}}"#;
//! let events = Event::parse_json(body)?;
//! let Event::Message(message) = &events[0] else { panic!() };
//! assert_eq!(message.name.as_deref(), Some("Ada"));
//! assert_eq!(message.content, Content::Button { text: "Confirm".into(), payload: Some("confirm-4711".into()) });
//! # Ok::<(), kaleyra_runtime::callbacks::InboundError>(())
//! ```
//!
//! | Meta's `field` (v2), or the callback | [`Event`] |
//! |---|---|
//! | `messages`, `statuses[]` (v1: a status) | [`Event::Status`] ([`DeliveryStatus`]) |
//! | `messages`, `messages[]` (v1: an incoming message) | [`Event::Message`] ([`IncomingMessage`]) |
//! | `message_template_status_update` (a profile's template status) | [`Event::TemplateStatus`] ([`TemplateStatusUpdate`]) |
//! | `template_category_update` | [`Event::TemplateCategory`] ([`TemplateCategoryUpdate`]) |
//! | `message_template_quality_update` | [`Event::TemplateQuality`] ([`TemplateQualityUpdate`]) |
//! | `message_template_components_update` | [`Event::TemplateComponents`] ([`TemplateComponentsUpdate`]) |
//! | `phone_number_quality_update` | [`Event::PhoneNumberQuality`] ([`PhoneNumberQualityUpdate`]) |
//! | any other | [`Event::Unknown`], as sent |
//!
//! ```
//! use kaleyra_runtime::callbacks::{Event, MessagingLimit, PhoneNumberEvent};
//!
//! let body = br#"{"meta_object": {"field": "phone_number_quality_update", "value": {
//!     "display_phone_number": "912025550101", "event": "UPGRADE",
//!     "old_limit": "TIER_1K", "current_limit": "TIER_10K"}}}"#;
//! let events = Event::parse_json(body)?;
//! let Event::PhoneNumberQuality(update) = &events[0] else { panic!() };
//! assert_eq!(update.event, PhoneNumberEvent::Upgrade);
//! assert_eq!(update.current_limit, Some(MessagingLimit::Tier10K));
//! # Ok::<(), kaleyra_runtime::callbacks::InboundError>(())
//! ```
//!
//! Nothing is dropped: fields this module does not model are kept in each
//! event's `extra` (a value's fields beside its statuses and messages, such
//! as `metadata` and `contacts`, go with each of them; in Meta's own
//! envelope, the entry's `id` and `time` go with each of its events as
//! `extra["entry"]`), every value Meta may add to has an `Other` variant
//! that keeps it as sent, and an object of a kind this module does not know
//! becomes [`Event::Unknown`] with the raw JSON. A body that is JSON but not an
//! object (a list, a string, a number) is no callback and is refused with
//! [`InboundError::NotAnObject`].
//!
//! The submodules: `event` holds [`Event`] and its parts, `updates` the
//! account's template and phone-number events; `v1` and `v2` read each
//! API's callbacks into them (with `template` and `phone_number` for the
//! account's), and this module picks the reader; `secret` is the URL
//! secret; `credentials` and `tokens` what a callback profile adds to it
//! (custom headers, HTTP Basic, bearer tokens from an auth URL), and
//! `token_answer` the auth URL's answer; `webhook` the axum receiver.

#[cfg(feature = "axum")]
mod credentials;
mod error;
pub(crate) mod event;
mod fields;
mod phone_number;
mod secret;
mod template;
mod token_answer;
#[cfg(feature = "axum")]
mod tokens;
mod updates;
mod v1;
mod v2;
#[cfg(feature = "axum")]
mod webhook;

use serde_json::Value;

#[cfg(feature = "axum")]
pub use credentials::{BasicCredentials, CallbackAuthError, CallbackHeader, MIN_CREDENTIAL_CHARS};
pub use error::InboundError;
pub use event::{
    ButtonTap, Content, DeliveryState, DeliveryStatus, Event, IdempotencyKey, IncomingMessage,
    References, Sender, StatusError, TemplateEvent, TemplateStatusUpdate,
};
pub(crate) use secret::redacted;
pub use secret::{CallbackSecret, CallbackSecretError, CallbackUrl};
pub use token_answer::{
    CLIENT_CREDENTIALS_GRANT, CLIENT_ID_FIELD, CLIENT_SECRET_FIELD, GRANT_TYPE_FIELD, TokenAnswer,
    TokenAnswerError,
};
#[cfg(feature = "axum")]
pub use tokens::CallbackTokens;
pub use updates::{
    ButtonKind, MessagingLimit, PhoneNumberEvent, PhoneNumberQualityUpdate, QualityScore,
    RejectionInfo, StatusInfo, TemplateCategory, TemplateCategoryUpdate, TemplateComponentsUpdate,
    TemplateQualityUpdate, UpdatedButton,
};
#[cfg(feature = "axum")]
pub use webhook::{Callback, CallbackAuth, CallbackRejection, callback_router};

impl Event {
    /// Parses what a callback request carries: JSON, a form body, or (v1) a
    /// query string, by its content type.
    pub fn parse_request(
        content_type: Option<&str>,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<Vec<Event>, InboundError> {
        let is_blank = body.iter().all(u8::is_ascii_whitespace);
        let content_type = content_type.unwrap_or_default().to_ascii_lowercase();
        if is_blank {
            return match query.filter(|query| !query.is_empty()) {
                Some(query) => Event::parse_form(query),
                None => Err(InboundError::Empty),
            };
        }
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let text = std::str::from_utf8(body).map_err(|error| InboundError::NotForm {
                reason: error.to_string(),
            })?;
            return Event::parse_form(text);
        }
        Event::parse_json(body)
    }

    /// Parses a JSON callback: a v2 webhook (`meta_object`), Meta's own
    /// envelope (`entry[].changes[]`), or a v1 status or incoming message.
    pub fn parse_json(body: &[u8]) -> Result<Vec<Event>, InboundError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(InboundError::Empty);
        }
        let value: Value = serde_json::from_slice(body).map_err(|error| InboundError::NotJson {
            reason: error.to_string(),
        })?;
        parse_value(value)
    }

    /// Parses a v1 callback sent as a form body or query string.
    pub fn parse_form(encoded: &str) -> Result<Vec<Event>, InboundError> {
        v1::parse_form(encoded)
    }
}

/// Picks the reader for a JSON callback by its shape. A body that is not an
/// object is refused: it is no callback Kaleyra sends, so it is not handed
/// on as [`Event::Unknown`].
fn parse_value(value: Value) -> Result<Vec<Event>, InboundError> {
    let found = match &value {
        Value::Object(_) => "",
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "true or false",
        Value::Null => "null",
    };
    let Value::Object(mut object) = value else {
        return Err(InboundError::NotAnObject { found });
    };
    if let Some(meta) = object.remove("meta_object") {
        let extra_info = object.remove("extra_info");
        return v2::change(meta, extra_info, "meta_object");
    }
    if object.get("object").and_then(Value::as_str) == Some("whatsapp_business_account") {
        return v2::meta_envelope(object);
    }
    if template::is_template_status(&object) {
        return Ok(vec![Event::TemplateStatus(template::template_status(
            object,
        ))]);
    }
    Ok(vec![v1::event(object)?])
}
