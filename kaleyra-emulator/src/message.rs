//! A message the emulator accepted: what it stores, lists as JSON and draws
//! in the inbox.

use std::sync::Arc;

use kaleyra_definitions::{ButtonType, HeaderType};
use serde::{Deserialize, Serialize};

use crate::faults::AppliedFault;
use crate::requests::RawRequest;
pub use kaleyra_runtime::ApiVersion;

/// One accepted message to one recipient, as `GET /emulator/messages` lists it.
///
/// A v1 request to several recipients is stored as one message per recipient,
/// each with the id the response gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredMessage {
    /// The message id the emulator answered with: `<request uuid>:<n>` on v1,
    /// `wamid.…` on v2. Status callbacks refer to it.
    pub id: String,
    /// The API the message came through.
    pub api: ApiVersion,
    /// The business number that sent it, E.164 with `+`.
    pub from: String,
    /// The recipient, E.164 with `+`.
    pub to: String,
    /// What kind of message it is.
    pub kind: MessageKind,
    /// The approved template's name, for template messages.
    pub template_name: Option<String>,
    /// The template's language: the one the request names, else the one the
    /// template was approved in.
    pub language: Option<String>,
    /// The header shown above the body.
    pub header: Option<StoredHeader>,
    /// The text the customer reads. For a template: the definition's body
    /// with the parameters filled in, or `name(value, ...)` when the
    /// definition gives no body.
    pub body: String,
    /// The template's body values, in order.
    pub params: Vec<String>,
    /// The footer.
    pub footer: Option<String>,
    /// The buttons, by index.
    pub buttons: Vec<StoredButton>,
    /// A template's limited-time offer, with the expiry the request gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<StoredOffer>,
    /// A carousel template's cards, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<StoredCard>,
    /// v2: the id of the message this one replies to (`context.message_id`).
    pub reply_to: Option<String>,
    /// Where status callbacks go.
    pub callback_url: Option<String>,
    /// The request's references.
    pub refs: Refs,
    /// How far delivery has got.
    pub status: DeliveryStatus,
    /// When the emulator accepted it, in Unix seconds.
    pub received_at: u64,
    /// Every callback the emulator posted (or refused to post) for it, in order.
    pub callbacks: Vec<CallbackRecord>,
    /// The request that brought it, redacted (a v1 request to several
    /// recipients is the request of each of their messages).
    pub request: Option<Arc<RawRequest>>,
    /// The fault its request met (`/emulator/faults`): a held answer, a
    /// reset after it was sent, or a failure reported later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<AppliedFault>,
}

/// What kind of message was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MessageKind {
    /// A text message.
    #[serde(rename = "text")]
    Text,
    /// An approved template with a text body.
    #[serde(rename = "template")]
    Template,
    /// An approved template with a media header or buttons.
    #[serde(rename = "mediatemplate")]
    MediaTemplate,
    /// An interactive message with reply buttons.
    #[serde(rename = "reply")]
    Reply,
    /// An interactive call-to-action URL message.
    #[serde(rename = "cta_url")]
    CtaUrl,
}

impl MessageKind {
    /// The name written in JSON: `text`, `template`, `mediatemplate`, `reply`, `cta_url`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Text => "text",
            MessageKind::Template => "template",
            MessageKind::MediaTemplate => "mediatemplate",
            MessageKind::Reply => "reply",
            MessageKind::CtaUrl => "cta_url",
        }
    }
}

/// The header of a stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredHeader {
    /// Text, or the kind of media shown.
    #[serde(rename = "type")]
    pub kind: HeaderType,
    /// A text header's text, filled in.
    pub text: Option<String>,
    /// A media header's URL.
    pub url: Option<String>,
    /// v1 reply messages: the caption under a media header.
    pub caption: Option<String>,
    /// A single-product template's `product` header: the product it shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<StoredProduct>,
}

impl StoredHeader {
    pub(crate) fn text(text: String) -> Self {
        StoredHeader {
            kind: HeaderType::Text,
            text: Some(text),
            url: None,
            caption: None,
            product: None,
        }
    }

    /// A location header, shown as its name, address and coordinates.
    pub(crate) fn location(
        latitude: f64,
        longitude: f64,
        name: Option<&str>,
        address: Option<&str>,
    ) -> Self {
        let place: Vec<&str> = name.into_iter().chain(address).collect();
        let coordinates = format!("{latitude}, {longitude}");
        StoredHeader {
            kind: HeaderType::Location,
            text: Some(if place.is_empty() {
                coordinates
            } else {
                format!("{} ({coordinates})", place.join(", "))
            }),
            url: None,
            caption: None,
            product: None,
        }
    }

    pub(crate) fn media(kind: HeaderType, url: String) -> Self {
        StoredHeader {
            kind,
            text: None,
            url: Some(url),
            caption: None,
            product: None,
        }
    }

    pub(crate) fn product(product: StoredProduct) -> Self {
        StoredHeader {
            kind: HeaderType::Product,
            text: None,
            url: None,
            caption: None,
            product: Some(product),
        }
    }
}

/// One card of a stored carousel message, as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredCard {
    /// The card's image or video (its URL, or the emulator's address of an
    /// uploaded file), or its product.
    pub header: Option<StoredHeader>,
    /// The card's body, its placeholders filled in.
    pub body: Option<String>,
    /// The card's buttons, by index.
    pub buttons: Vec<StoredButton>,
}

/// One button of a stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredButton {
    /// The button's position (a template's index; an interactive button's order).
    pub index: u8,
    /// What the button does. A CTA URL message's button is a `url` button.
    #[serde(rename = "type", deserialize_with = "any_button_type")]
    pub kind: ButtonType,
    /// The label the customer sees.
    pub text: String,
    /// The URL a URL button opens, its dynamic suffix filled in.
    pub url: Option<String>,
    /// The payload a quick-reply button returns, as the request gave it.
    pub payload: Option<String>,
    /// The id a reply button returns.
    pub id: Option<String>,
    /// The number a phone-number button calls.
    pub phone_number: Option<String>,
    /// A catalog button's thumbnail product (its retailer id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_product: Option<String>,
    /// The products a multi-product button lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<StoredProducts>,
    /// The coupon code a copy-code button copies, or the flow token a flow
    /// button sends, as the request gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The limited-time offer of a stored template message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredOffer {
    /// The offer's text, from the template.
    pub text: String,
    /// When it expires, in Unix milliseconds, as the request gave it; `None`
    /// for an offer that shows no expiry.
    pub expiration_time_ms: Option<u64>,
}

/// A request's `ref`, `ref1` and `ref2`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Refs {
    /// `ref`.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// `ref1`.
    pub ref1: Option<String>,
    /// `ref2`.
    pub ref2: Option<String>,
}

impl Refs {
    /// The names of the three references on the wire.
    pub const FIELDS: [&'static str; 3] = ["ref", "ref1", "ref2"];

    /// Each reference that is set, with its wire name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        Self::FIELDS
            .into_iter()
            .zip([&self.reference, &self.ref1, &self.ref2])
            .filter_map(|(name, value)| Some((name, value.as_deref()?)))
    }

    pub(crate) fn set(&mut self, name: &str, value: String) {
        match name {
            "ref" => self.reference = Some(value),
            "ref1" => self.ref1 = Some(value),
            "ref2" => self.ref2 = Some(value),
            _ => {}
        }
    }
}

/// How far a message's delivery has got, in the order it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// WhatsApp has taken the message.
    Sent,
    /// It reached the customer's phone.
    Delivered,
    /// The customer opened it.
    Read,
    /// It could not be delivered: Meta reported an error (an emulated
    /// fault, or a status reported on demand). Nothing follows it.
    Failed,
    /// Meta's `deleted` status (v2 only; Kaleyra's v1 statuses do not have
    /// it), reported on demand. Nothing follows it.
    Deleted,
}

impl DeliveryStatus {
    /// Every status, in the order the emulator reports them.
    pub const PROGRESSION: [DeliveryStatus; 3] = [
        DeliveryStatus::Sent,
        DeliveryStatus::Delivered,
        DeliveryStatus::Read,
    ];

    /// Whether nothing follows this status (`failed`, `deleted`).
    pub fn is_final(self) -> bool {
        matches!(self, DeliveryStatus::Failed | DeliveryStatus::Deleted)
    }

    /// `sent`, `delivered`, `read`, `failed` or `deleted`, as callbacks write it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Read => "read",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Deleted => "deleted",
        }
    }
}

/// One callback the emulator posted, or refused to post, for a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallbackRecord {
    /// What was reported: a status name (`sent`, `delivered`, `read`), or
    /// `tap N` for a simulated tap on button N.
    pub event: String,
    /// Where it was posted (or would have been).
    pub url: String,
    /// The body posted: form fields (v1) or JSON (v2), as sent.
    pub payload: String,
    /// When it was posted or given up, in Unix seconds.
    pub at: u64,
    /// What became of it.
    #[serde(flatten)]
    pub outcome: CallbackOutcome,
}

impl CallbackRecord {
    /// The record of posting `payload` to `url` for `event`, now.
    pub(crate) fn new(
        event: String,
        url: &str,
        payload: String,
        outcome: CallbackOutcome,
    ) -> CallbackRecord {
        CallbackRecord {
            event,
            url: url.to_owned(),
            payload,
            at: crate::clock::unix_now(),
            outcome,
        }
    }
}

/// What became of one callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CallbackOutcome {
    /// It was posted and the receiver answered with this HTTP status.
    Posted {
        /// The receiver's HTTP status.
        http_status: u16,
    },
    /// It was not posted, because the URL is not one the emulator posts to
    /// (it posts plain http to loopback hosts only).
    Refused {
        /// Why.
        reason: String,
    },
    /// Posting it failed (no connection, a timeout).
    Failed {
        /// Why.
        reason: String,
    },
}

/// What a decoder made of a message, before it has an id and a recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Content {
    pub(crate) kind: MessageKind,
    pub(crate) template_name: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) header: Option<StoredHeader>,
    pub(crate) body: String,
    pub(crate) params: Vec<String>,
    pub(crate) footer: Option<String>,
    pub(crate) buttons: Vec<StoredButton>,
    pub(crate) offer: Option<StoredOffer>,
    pub(crate) cards: Vec<StoredCard>,
    pub(crate) reply_to: Option<String>,
}

impl Content {
    /// A message with only a body; the rest is filled in by the caller.
    pub(crate) fn new(kind: MessageKind, body: String) -> Self {
        Content {
            kind,
            template_name: None,
            language: None,
            header: None,
            body,
            params: Vec::new(),
            footer: None,
            buttons: Vec::new(),
            offer: None,
            cards: Vec::new(),
            reply_to: None,
        }
    }
}

/// A request the emulator accepted: the message and who it goes to, before
/// ids are given.
#[derive(Debug, Clone)]
pub(crate) struct Submission {
    pub(crate) api: ApiVersion,
    /// v1: the `type` field, echoed in the response.
    pub(crate) type_name: &'static str,
    /// The business number, E.164 with `+`.
    pub(crate) from: String,
    /// Each recipient, E.164 with `+`.
    pub(crate) recipients: Vec<String>,
    pub(crate) content: Content,
    pub(crate) callback_url: Option<String>,
    pub(crate) refs: Refs,
}

impl Submission {
    /// The stored message for the recipient at `position`, with its id.
    pub(crate) fn stored(&self, id: String, position: usize, received_at: u64) -> StoredMessage {
        let content = self.content.clone();
        StoredMessage {
            id,
            api: self.api,
            from: self.from.clone(),
            to: self.recipients[position].clone(),
            kind: content.kind,
            template_name: content.template_name,
            language: content.language,
            header: content.header,
            body: content.body,
            params: content.params,
            footer: content.footer,
            buttons: content.buttons,
            offer: content.offer,
            cards: content.cards,
            reply_to: content.reply_to,
            callback_url: self.callback_url.clone(),
            refs: self.refs.clone(),
            status: DeliveryStatus::Sent,
            received_at,
            callbacks: Vec::new(),
            request: None,
            fault: None,
        }
    }
}

/// The products a multi-product button lists, as a request gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredProducts {
    /// The retailer id of the product whose image is the thumbnail.
    pub thumbnail: String,
    /// The sections, in order.
    pub sections: Vec<StoredSection>,
}

/// One section of a multi-product button's products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredSection {
    /// The section's title.
    pub title: String,
    /// The retailer ids of its products, in order.
    pub product_retailer_ids: Vec<String>,
}

/// The product a single-product template's header shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredProduct {
    /// The catalog's id.
    pub catalog_id: String,
    /// The product's retailer id.
    pub product_retailer_id: String,
}

/// A stored button's type, read back by the name it is written with. Every
/// type is read, including those a definition file may not declare (which
/// `ButtonType`'s own `Deserialize` skips), so a stored copy-code or product
/// button reads back as it was written.
fn any_button_type<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ButtonType, D::Error> {
    let name = String::deserialize(deserializer)?;
    ButtonType::ALL
        .into_iter()
        .find(|kind| {
            serde_json::to_value(kind)
                .ok()
                .is_some_and(|written| written.as_str() == Some(name.as_str()))
        })
        .ok_or_else(|| serde::de::Error::custom(format!("`{name}` is not a button type")))
}
