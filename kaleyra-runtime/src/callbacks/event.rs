//! The typed events: what one callback reports, whatever the API that sent it.

use serde_json::{Map, Value};

use super::updates::{
    PhoneNumberQualityUpdate, RejectionInfo, StatusInfo, TemplateCategory, TemplateCategoryUpdate,
    TemplateComponentsUpdate, TemplateQualityUpdate,
};
use crate::api::ApiVersion;

/// One thing Kaleyra reports. A callback may carry several.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A sent message's status changed (sent, delivered, read, failed).
    Status(DeliveryStatus),
    /// The customer sent a message: text, a button tap, a reply, media...
    Message(IncomingMessage),
    /// A template was approved, rejected, paused or disabled (Meta's
    /// `message_template_status_update`, or a callback profile's template
    /// status).
    TemplateStatus(TemplateStatusUpdate),
    /// Meta moved a template to another category, or says it will
    /// (`template_category_update`).
    TemplateCategory(TemplateCategoryUpdate),
    /// A template's quality rating changed (`message_template_quality_update`).
    TemplateQuality(TemplateQualityUpdate),
    /// A template's text changed (`message_template_components_update`).
    TemplateComponents(TemplateComponentsUpdate),
    /// The business number's quality or messaging limit changed
    /// (`phone_number_quality_update`).
    PhoneNumberQuality(PhoneNumberQualityUpdate),
    /// A payload of a kind this crate does not know, as received.
    Unknown(Value),
}

/// The status of a message the business sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeliveryStatus {
    /// Which API's callback this was.
    pub api: ApiVersion,
    /// The id of the message, as in its [`crate::Receipt`].
    pub message_id: String,
    /// The new status.
    pub status: DeliveryState,
    /// The customer's number (v1 `mobile`, v2 `recipient_id`).
    pub recipient: Option<String>,
    /// When it happened, as sent (usually Unix seconds).
    pub timestamp: Option<String>,
    /// Why it failed, for failed messages.
    pub error: Option<StatusError>,
    /// The message's `ref`, `ref1` and `ref2`.
    pub references: References,
    /// v1: the price of the message, as sent.
    pub price: Option<String>,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// A message's delivery status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryState {
    /// Sent to WhatsApp.
    Sent,
    /// Delivered to the customer's phone.
    Delivered,
    /// Read by the customer.
    Read,
    /// Failed; see [`DeliveryStatus::error`].
    Failed,
    /// Not sent (v1 `not-sent`).
    NotSent,
    /// Meta's `deleted` (v2): the customer deleted the message after it
    /// reached them.
    Deleted,
    /// A status this crate does not know, as sent.
    Other(String),
}

impl DeliveryState {
    /// Reads a status as sent, in any case.
    pub(super) fn parse(text: &str) -> DeliveryState {
        match text.to_ascii_lowercase().as_str() {
            "sent" => DeliveryState::Sent,
            "delivered" => DeliveryState::Delivered,
            "read" => DeliveryState::Read,
            "failed" => DeliveryState::Failed,
            "not-sent" | "not_sent" => DeliveryState::NotSent,
            "deleted" => DeliveryState::Deleted,
            _ => DeliveryState::Other(text.to_owned()),
        }
    }

    /// Every status this crate knows, in the order a delivery goes through
    /// them (of equal [`rank`](Self::rank): delivered, failed, not sent).
    pub const KNOWN: [DeliveryState; 6] = [
        DeliveryState::Sent,
        DeliveryState::Delivered,
        DeliveryState::Failed,
        DeliveryState::NotSent,
        DeliveryState::Read,
        DeliveryState::Deleted,
    ];

    /// The status as callbacks write it: `sent`, `delivered`, `read`,
    /// `failed`, `not-sent`, `deleted`, or an unknown one as sent.
    pub fn as_str(&self) -> &str {
        match self {
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Read => "read",
            DeliveryState::Failed => "failed",
            DeliveryState::NotSent => "not-sent",
            DeliveryState::Deleted => "deleted",
            DeliveryState::Other(text) => text,
        }
    }

    /// How far along a message's delivery is: `sent` 1; `delivered`,
    /// `failed` and `not-sent` 2 (each an outcome of the send); `read` 3;
    /// `deleted` 4 (nothing follows it).
    /// A status only moves to a higher rank, so a late `sent` callback does
    /// not undo `delivered`. `None` for a status this crate does not know.
    ///
    /// ```
    /// use kaleyra_runtime::callbacks::DeliveryState;
    /// assert!(DeliveryState::Sent.rank() < DeliveryState::Delivered.rank());
    /// assert!(DeliveryState::Delivered.rank() < DeliveryState::Read.rank());
    /// ```
    pub fn rank(&self) -> Option<u8> {
        match self {
            DeliveryState::Sent => Some(1),
            DeliveryState::Delivered | DeliveryState::Failed | DeliveryState::NotSent => Some(2),
            DeliveryState::Read => Some(3),
            DeliveryState::Deleted => Some(4),
            DeliveryState::Other(_) => None,
        }
    }
}

/// Why a message failed: Meta's code, title and details (v2
/// `errors[0]`: `code`, `title`, `message`, `error_data.details`; v1
/// `error_code` and `error`).
///
/// The code is kept as sent, known or not; [`StatusError::meta`] is its row
/// of Meta's table ([`kaleyra_definitions::failures`]) when it is one this
/// crate knows. (A decision: Kaleyra does not show its v2 failed-status
/// error element; these are Meta's field names.)
///
/// ```
/// use kaleyra_runtime::callbacks::Event;
/// use kaleyra_runtime::definitions::failures::{FailureAction, META_131056};
///
/// let body = r#"{"meta_object": {"field": "messages", "value": {"statuses": [{
///     "id": "wamid.1", "status": "failed",
///     "errors": [{"code": 131056, "title": "(Business Account, Consumer Account) pair rate limit hit",
///                 "error_data": {"details": "Message failed to send because there were too many messages"}}]}]}}}"#;
/// let events = Event::parse_json(body.as_bytes()).unwrap();
/// let Event::Status(status) = &events[0] else { unreachable!() };
/// let error = status.error.as_ref().unwrap();
/// assert_eq!(error.code.as_deref(), Some("131056"));
/// assert_eq!(error.meta(), Some(&META_131056));
/// assert_eq!(error.meta().unwrap().action, FailureAction::NotAtOnce);
/// assert!(error.details.as_deref().unwrap().starts_with("Message failed"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusError {
    /// The error code, as sent (numbers written out), known or not.
    pub code: Option<String>,
    /// What went wrong: Meta's `message` (its `title` when it sent none),
    /// or v1's `error`.
    pub message: Option<String>,
    /// Meta's `title` for the code.
    pub title: Option<String>,
    /// Meta's `error_data.details`: the longer explanation.
    pub details: Option<String>,
}

impl StatusError {
    /// The code's row of Meta's table: its title, meaning and what a
    /// campaign does about it; `None` for a code this crate does not know
    /// (it stays in [`StatusError::code`]).
    pub fn meta(&self) -> Option<&'static kaleyra_definitions::failures::FailureCode> {
        self.code
            .as_deref()
            .and_then(kaleyra_definitions::failures::FailureCode::find)
    }

    /// The title to show: Meta's as sent, else the known code's.
    pub fn title(&self) -> Option<&str> {
        self.title
            .as_deref()
            .or_else(|| self.meta().map(|row| row.title))
    }
}

/// A message's `ref`, `ref1` and `ref2`, as set when it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    /// `ref`.
    pub reference: Option<String>,
    /// `ref1`.
    pub reference1: Option<String>,
    /// `ref2`.
    pub reference2: Option<String>,
}

/// A message from the customer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IncomingMessage {
    /// Which API's callback this was.
    pub api: ApiVersion,
    /// The message's id (v2).
    pub id: Option<String>,
    /// Who sent it, as text: the customer's number or, when Meta withholds
    /// it, their business-scoped user id. Kept from before [`Self::sender`],
    /// which says which of the two it is.
    pub from: String,
    /// Who sent it: the customer's phone number (`from`) or, when Meta
    /// sends none (a customer with a WhatsApp username), their
    /// business-scoped user id (`from_user_id`).
    pub sender: Sender,
    /// The customer's business-scoped user id, whenever Meta sends it
    /// (`from_user_id`, else the matching contact's `user_id`), even beside
    /// a phone number: unlike the number, it is stable for this business.
    pub user_id: Option<String>,
    /// The WhatsApp group the message was sent in (`group_id`); `None` for a
    /// one-to-one message.
    pub group_id: Option<String>,
    /// What Meta reports it could not deliver of the message: the message's
    /// `errors`, or those sent beside it in the same webhook (as sent, they
    /// also stay in `extra`). A message that carries only errors (its
    /// content withheld, such as `type: "interactive"` with no
    /// `interactive` part) has [`Content::Other`] content and these errors.
    pub errors: Vec<StatusError>,
    /// The customer's profile name.
    pub name: Option<String>,
    /// The business number it was sent to (v1 `wanumber`, v2 `metadata.display_phone_number`).
    pub business_number: Option<String>,
    /// When it was sent, as sent (Unix seconds).
    pub timestamp: Option<String>,
    /// The id of the business's message this answers (v1 `reply_to`, v2 `context.id`).
    pub reply_to: Option<String>,
    /// What the customer sent.
    pub content: Content,
    /// Every other field, as received.
    pub extra: Map<String, Value>,
}

/// Who sent a customer's message.
///
/// ```
/// use kaleyra_runtime::callbacks::{Event, Sender};
///
/// let body = br#"{"meta_object": {"field": "messages", "value": {"messages": [{
///     "from_user_id": "US.13491208655302741918", "id": "wamid.B", "type": "text",
///     "text": {"body": "Hi"}}]}}}"#;
/// let events = Event::parse_json(body)?;
/// let Event::Message(message) = &events[0] else { panic!() };
/// assert_eq!(message.sender, Sender::UserId("US.13491208655302741918".into()));
/// assert_eq!(message.sender.phone_number(), None);
/// # Ok::<(), kaleyra_runtime::callbacks::InboundError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sender {
    /// The customer's phone number, as sent (digits, no `+`).
    PhoneNumber(String),
    /// The customer's business-scoped user id (such as
    /// `US.13491208655302741918`): Meta sends it instead of the number
    /// for a customer who uses a WhatsApp username. Reply to it as to a number.
    UserId(String),
}

impl Sender {
    /// The number or user id, as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Sender::PhoneNumber(text) | Sender::UserId(text) => text,
        }
    }

    /// The phone number, when the sender is one.
    pub fn phone_number(&self) -> Option<&str> {
        match self {
            Sender::PhoneNumber(number) => Some(number),
            Sender::UserId(_) => None,
        }
    }

    /// The business-scoped user id, when the sender is one.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Sender::UserId(id) => Some(id),
            Sender::PhoneNumber(_) => None,
        }
    }
}

/// What a customer's message holds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Content {
    /// Text.
    Text {
        /// The text.
        body: String,
    },
    /// A tap on a template's quick-reply button.
    ///
    /// On v1, whose tap callbacks Kaleyra's pages do not show, it is read
    /// from `type=button` with the label in `body` and the payload in
    /// `payload` (the emulator's field names; any other field stays in the
    /// message's `extra`).
    Button {
        /// The button's label.
        text: String,
        /// The payload the message gave the button (or, when it gave none, what WhatsApp sends).
        payload: Option<String>,
    },
    /// A tap on an interactive reply button.
    ///
    /// On v1, whose tap callbacks Kaleyra's pages do not show, it is read
    /// from `type=button_reply` (or `interactive`) with the id in `reply_id`
    /// and the title in `body` (the emulator's field names).
    ButtonReply {
        /// The button's id.
        id: String,
        /// The button's title.
        title: String,
    },
    /// A choice from an interactive list.
    ListReply {
        /// The row's id.
        id: String,
        /// The row's title.
        title: String,
        /// The row's description.
        description: Option<String>,
    },
    /// A reaction to a message (v2). An empty `emoji` takes the reaction back.
    Reaction {
        /// The id of the message reacted to.
        message_id: String,
        /// The emoji, or empty when the reaction was taken back.
        emoji: String,
    },
    /// A shared location.
    Location {
        /// Latitude in degrees.
        latitude: f64,
        /// Longitude in degrees.
        longitude: f64,
        /// The place's name.
        name: Option<String>,
        /// The place's address.
        address: Option<String>,
    },
    /// An image, video, document, audio clip or sticker.
    Media {
        /// `image`, `video`, `document`, `audio` or `sticker`.
        kind: String,
        /// The media id (v2).
        id: Option<String>,
        /// The media URL (v1 `media_url`).
        url: Option<String>,
        /// The MIME type.
        mime_type: Option<String>,
        /// The caption.
        caption: Option<String>,
        /// The file name (documents).
        filename: Option<String>,
    },
    /// A message type this crate does not model; its fields are in `extra`
    /// (v1) or under this type's key (v2).
    Other {
        /// The message's `type`.
        kind: String,
    },
}

/// A template's review status changed: Meta's
/// `message_template_status_update`, or a callback profile's template status.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TemplateStatusUpdate {
    /// What happened (`event`).
    pub event: TemplateEvent,
    /// The template's name (`message_template_name`).
    pub name: Option<String>,
    /// The template's language (`message_template_language`).
    pub language: Option<String>,
    /// The template's id, as sent (`message_template_id`).
    pub template_id: Option<String>,
    /// Why, as sent (`reason`): for a rejection, Meta's code such as
    /// `INVALID_FORMAT`; `NONE` when there is none to give.
    pub reason: Option<String>,
    /// The template's category (`message_template_category`).
    pub category: Option<TemplateCategory>,
    /// Meta's explanation of a rejection (`rejection_info`).
    pub rejection_info: Option<RejectionInfo>,
    /// Meta's note on a pause, an unpause, a lock or an unlock (`other_info`).
    pub other_info: Option<StatusInfo>,
    /// Every other field, as received (such as `disable_info`, or a
    /// callback profile's `id` and `time`).
    pub extra: Map<String, Value>,
}

/// What happened to a template, as Meta's `event` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateEvent {
    /// `APPROVED`: it can be sent.
    Approved,
    /// `REJECTED`: see the reason; it can be edited and reviewed again, or appealed.
    Rejected,
    /// `PENDING`: in review.
    Pending,
    /// `PAUSED`: paused for low quality.
    Paused,
    /// `DISABLED`: disabled for low quality.
    Disabled,
    /// `FLAGGED`: customers' feedback puts it at risk of being disabled.
    Flagged,
    /// `REINSTATED`: no longer flagged or disabled; it can be sent again.
    Reinstated,
    /// `IN_APPEAL`: its rejection is being appealed.
    InAppeal,
    /// `LOCKED`: it cannot be edited.
    Locked,
    /// `UNLOCKED`: it can be edited again.
    Unlocked,
    /// `ARCHIVED`: archived (unused for long), to be deleted unless unarchived.
    Archived,
    /// `UNARCHIVED`: restored from the archive.
    Unarchived,
    /// `DELETED`.
    Deleted,
    /// `PENDING_DELETION`: deleted, and being removed.
    PendingDeletion,
    /// `LIMIT_EXCEEDED`: the account holds as many templates as it may.
    LimitExceeded,
    /// An event this crate does not know, as sent.
    Other(String),
}

impl TemplateEvent {
    /// Every event this crate knows.
    pub const KNOWN: [TemplateEvent; 15] = [
        TemplateEvent::Approved,
        TemplateEvent::Rejected,
        TemplateEvent::Pending,
        TemplateEvent::Paused,
        TemplateEvent::Disabled,
        TemplateEvent::Flagged,
        TemplateEvent::Reinstated,
        TemplateEvent::InAppeal,
        TemplateEvent::Locked,
        TemplateEvent::Unlocked,
        TemplateEvent::Archived,
        TemplateEvent::Unarchived,
        TemplateEvent::Deleted,
        TemplateEvent::PendingDeletion,
        TemplateEvent::LimitExceeded,
    ];

    /// Reads an event as sent, in any case (and with spaces for `_`, as
    /// Kaleyra's prose writes `Pending deletion`).
    pub fn parse(text: &str) -> TemplateEvent {
        let normal = text.trim().replace(' ', "_");
        TemplateEvent::KNOWN
            .into_iter()
            .find(|event| event.as_str().eq_ignore_ascii_case(&normal))
            .unwrap_or_else(|| TemplateEvent::Other(text.to_owned()))
    }

    /// The status the template has after this event, for an event that
    /// names one (`APPROVED`, `REJECTED`, `PAUSED`, `PENDING_DELETION`...);
    /// `None` for one that does not (`FLAGGED`, `REINSTATED`, `LOCKED`,
    /// `ARCHIVED`...), which leaves the status to the account's list.
    ///
    /// ```
    /// use kaleyra_runtime::callbacks::TemplateEvent;
    /// use kaleyra_runtime::definitions::{Sendability, TemplateStatus};
    ///
    /// let paused = TemplateEvent::parse("PAUSED").status().unwrap();
    /// assert_eq!(paused, TemplateStatus::Paused);
    /// assert_eq!(paused.sendability(), Sendability::NotNow);
    /// assert_eq!(TemplateEvent::Flagged.status(), None);
    /// ```
    pub fn status(&self) -> Option<kaleyra_definitions::TemplateStatus> {
        // Read by the definitions' own spellings, so a status is named once.
        match kaleyra_definitions::TemplateStatus::parse(self.as_str()) {
            kaleyra_definitions::TemplateStatus::Other(_) => None,
            status => Some(status),
        }
    }

    /// The event as Meta writes it (`APPROVED`, `PENDING_DELETION`...), or
    /// the unknown one as sent.
    pub fn as_str(&self) -> &str {
        match self {
            TemplateEvent::Approved => "APPROVED",
            TemplateEvent::Rejected => "REJECTED",
            TemplateEvent::Pending => "PENDING",
            TemplateEvent::Paused => "PAUSED",
            TemplateEvent::Disabled => "DISABLED",
            TemplateEvent::Flagged => "FLAGGED",
            TemplateEvent::Reinstated => "REINSTATED",
            TemplateEvent::InAppeal => "IN_APPEAL",
            TemplateEvent::Locked => "LOCKED",
            TemplateEvent::Unlocked => "UNLOCKED",
            TemplateEvent::Archived => "ARCHIVED",
            TemplateEvent::Unarchived => "UNARCHIVED",
            TemplateEvent::Deleted => "DELETED",
            TemplateEvent::PendingDeletion => "PENDING_DELETION",
            TemplateEvent::LimitExceeded => "LIMIT_EXCEEDED",
            TemplateEvent::Other(text) => text,
        }
    }
}

impl Event {
    /// The event's `extra` map, for the readers to add what came beside it;
    /// `None` for [`Event::Unknown`], which is all as sent.
    pub(super) fn extra_mut(&mut self) -> Option<&mut Map<String, Value>> {
        match self {
            Event::Status(status) => Some(&mut status.extra),
            Event::Message(message) => Some(&mut message.extra),
            Event::TemplateStatus(update) => Some(&mut update.extra),
            Event::TemplateCategory(update) => Some(&mut update.extra),
            Event::TemplateQuality(update) => Some(&mut update.extra),
            Event::TemplateComponents(update) => Some(&mut update.extra),
            Event::PhoneNumberQuality(update) => Some(&mut update.extra),
            Event::Unknown(_) => None,
        }
    }
}

/// What a button tap carries, whatever the API and button kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ButtonTap<'a> {
    /// The label or title of the button tapped.
    pub text: &'a str,
    /// The quick-reply payload, for template buttons.
    pub payload: Option<&'a str>,
    /// The id, for interactive reply buttons.
    pub id: Option<&'a str>,
    /// The id of the message whose button was tapped, when sent.
    pub reply_to: Option<&'a str>,
}

impl Event {
    /// The button tap this event is, if it is one.
    pub fn button_tap(&self) -> Option<ButtonTap<'_>> {
        let Event::Message(message) = self else {
            return None;
        };
        let reply_to = message.reply_to.as_deref();
        match &message.content {
            Content::Button { text, payload } => Some(ButtonTap {
                text,
                payload: payload.as_deref(),
                id: None,
                reply_to,
            }),
            Content::ButtonReply { id, title } => Some(ButtonTap {
                text: title,
                payload: None,
                id: Some(id),
                reply_to,
            }),
            _ => None,
        }
    }
}

/// The position in `buttons` (each a button's text and, for a reply button,
/// its id) of the button `event` is a tap on: matched by id when the tap
/// carries one, otherwise by the button's text, which is also a quick
/// reply's payload when the message gave none.
///
/// The derive's `<Struct>Button::from_event` calls this with its table, so
/// that each template adds a table and not its own copy of the matching code.
#[doc(hidden)]
pub fn tapped_button(event: &Event, buttons: &[(&str, Option<&str>)]) -> Option<usize> {
    let tap = event.button_tap()?;
    match tap.id {
        Some(id) => buttons
            .iter()
            .position(|&(_, button_id)| button_id == Some(id)),
        None => buttons
            .iter()
            .position(|&(text, _)| text == tap.text || tap.payload == Some(text)),
    }
}

/// What identifies one event, the same each time Kaleyra delivers it.
///
/// Kaleyra delivers callbacks at least once: after a timeout or an error it
/// posts the same callback again. A handler that acts on events (confirms an
/// order on a tap) keeps the keys it has handled and drops a repeat.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The key as text (a short JSON list), to store it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Event {
    /// This event's [`IdempotencyKey`]: a status is its message id and
    /// status; a customer's message its id, or (v1, which sends none) its
    /// sender, time, the message it answers and its content; a template
    /// status update its callback id, or its template, language, event and
    /// time; another template or phone-number update its template (or
    /// number), what it reports and its time; an unknown payload the payload
    /// itself.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        // A JSON list keeps the parts apart whatever they contain.
        let parts = match self {
            Event::Status(status) => {
                serde_json::json!(["status", status.message_id, status.status.as_str()])
            }
            Event::Message(message) => match &message.id {
                Some(id) => serde_json::json!(["message", id]),
                None => serde_json::json!([
                    "message",
                    message.from,
                    message.timestamp,
                    message.reply_to,
                    content_parts(&message.content)
                ]),
            },
            Event::TemplateStatus(update) => match update.extra.get("id") {
                Some(id) => serde_json::json!(["template", id]),
                None => serde_json::json!([
                    "template",
                    update.template_id.as_ref().or(update.name.as_ref()),
                    update.language,
                    update.event.as_str(),
                    sent_at(&update.extra)
                ]),
            },
            Event::TemplateCategory(update) => serde_json::json!([
                "template_category",
                update.template_id.as_ref().or(update.name.as_ref()),
                update.language,
                update
                    .previous_category
                    .as_ref()
                    .map(TemplateCategory::as_str),
                update.new_category.as_ref().map(TemplateCategory::as_str),
                update
                    .correct_category
                    .as_ref()
                    .map(TemplateCategory::as_str),
                sent_at(&update.extra)
            ]),
            Event::TemplateQuality(update) => serde_json::json!([
                "template_quality",
                update.template_id.as_ref().or(update.name.as_ref()),
                update.language,
                update
                    .previous_quality_score
                    .as_ref()
                    .map(|score| score.as_str()),
                update
                    .new_quality_score
                    .as_ref()
                    .map(|score| score.as_str()),
                sent_at(&update.extra)
            ]),
            Event::TemplateComponents(update) => serde_json::json!([
                "template_components",
                update.template_id.as_ref().or(update.name.as_ref()),
                update.language,
                update.header,
                update.body,
                update.footer,
                update
                    .buttons
                    .iter()
                    .map(|button| [&button.text, &button.url, &button.phone_number])
                    .collect::<Vec<_>>(),
                sent_at(&update.extra)
            ]),
            Event::PhoneNumberQuality(update) => serde_json::json!([
                "phone_number_quality",
                update.display_phone_number,
                update.event.as_str(),
                update.current_limit.as_ref().map(|limit| limit.as_str()),
                update.old_limit.as_ref().map(|limit| limit.as_str()),
                update.business_limit.as_ref().map(|limit| limit.as_str()),
                sent_at(&update.extra)
            ]),
            Event::Unknown(value) => serde_json::json!(["unknown", value]),
        };
        IdempotencyKey(parts.to_string())
    }
}

/// When an account event was sent, for its key: a callback profile's
/// `time`, else the `time` of the Meta envelope's entry it came in (kept as
/// `entry`), else nothing.
fn sent_at(extra: &Map<String, Value>) -> Option<&Value> {
    extra
        .get("time")
        .or_else(|| extra.get("entry")?.get("time"))
}

/// What tells two messages of one sender at one time apart.
fn content_parts(content: &Content) -> Value {
    match content {
        Content::Text { body } => serde_json::json!(["text", body]),
        Content::Button { text, payload } => serde_json::json!(["button", text, payload]),
        Content::ButtonReply { id, title } => serde_json::json!(["button_reply", id, title]),
        Content::ListReply { id, title, .. } => serde_json::json!(["list_reply", id, title]),
        Content::Reaction { message_id, emoji } => {
            serde_json::json!(["reaction", message_id, emoji])
        }
        Content::Location {
            latitude,
            longitude,
            ..
        } => serde_json::json!(["location", latitude, longitude]),
        Content::Media { kind, id, url, .. } => serde_json::json!([kind, id, url]),
        Content::Other { kind } => serde_json::json!([kind]),
    }
}
