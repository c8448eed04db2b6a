//! The customer's side, simulated: tapping a button of a message they
//! received, writing to a business number, and what becomes of a message
//! on their phone (read, deleted, failed with Meta's code), each posted as
//! Kaleyra would post it.

use std::sync::Arc;

use kaleyra_definitions::ButtonType;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::account::{same_number, with_plus};
use crate::callbacks::{CUSTOMER_NAME, post_status, tap_body};
use crate::clock::unix_now;
use crate::faults::MetaFailure;
use crate::incoming::{Written, incoming_body};
use crate::message::{ApiVersion, CallbackOutcome, CallbackRecord, DeliveryStatus, StoredMessage};
use crate::state::Shared;
use crate::written::{CustomerContent, WrittenMessage};

/// Why a simulated tap could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TapError {
    /// No stored message has this id.
    #[error("no message with id `{id}`")]
    NoSuchMessage {
        /// The id asked for.
        id: String,
    },
    /// The message has no button at this index.
    #[error("message `{id}` has no button {index}")]
    NoSuchButton {
        /// The message's id.
        id: String,
        /// The index asked for.
        index: u8,
    },
    /// The button does not report taps (URL and phone-number buttons open
    /// something on the phone instead).
    #[error(
        "button {index} of message `{id}` is a {kind} button, which does not report taps; quick-reply and reply buttons do"
    )]
    NotTappable {
        /// The message's id.
        id: String,
        /// The button's index.
        index: u8,
        /// The button's type.
        kind: &'static str,
    },
    /// The message has no callback URL to post the tap to.
    #[error("message `{id}` has no callback_url, so the tap has nowhere to go")]
    NoCallbackUrl {
        /// The message's id.
        id: String,
    },
}

/// Simulates the customer tapping button `index` of message `id`: posts the
/// incoming message to its callback URL and records it among its callbacks.
pub(crate) async fn tap(
    shared: &Arc<Shared>,
    id: &str,
    index: u8,
) -> Result<CallbackOutcome, TapError> {
    let message = shared
        .store
        .get(id)
        .ok_or_else(|| TapError::NoSuchMessage { id: id.to_owned() })?;
    let button = message
        .buttons
        .iter()
        .find(|button| button.index == index)
        .ok_or_else(|| TapError::NoSuchButton {
            id: id.to_owned(),
            index,
        })?;
    if !matches!(button.kind, ButtonType::QuickReply | ButtonType::Reply) {
        return Err(TapError::NotTappable {
            id: id.to_owned(),
            index,
            kind: button.kind.as_str(),
        });
    }
    let url = message
        .callback_url
        .as_deref()
        .ok_or_else(|| TapError::NoCallbackUrl { id: id.to_owned() })?;
    let tap_id = match message.api {
        ApiVersion::V1 => format!("{}:tap{index}", message.id),
        ApiVersion::V2 => shared.ids.wamid(),
    };
    let body = tap_body(&message, button, &tap_id, unix_now());
    let outcome = shared.poster.post(url, &body).await;
    let record = CallbackRecord::new(format!("tap {index}"), url, body.text(), outcome.clone());
    shared
        .store
        .update(id, |message| message.callbacks.push(record));
    Ok(outcome)
}

/// A message a simulated customer writes to one of the account's business
/// numbers: what it holds, and optionally which number, in reply to which
/// message, and under which profile name.
///
/// As JSON (`POST /emulator/customers/{number}/messages`), the content's
/// fields with `to`, `reply_to` and `name` beside them:
/// `{"type": "text", "text": "Is it on its way?", "reply_to": "wamid.…"}`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CustomerMessage {
    /// What the message holds.
    pub content: CustomerContent,
    /// The business number written to. Unset: the sender of `reply_to`,
    /// else of the newest message the customer received.
    pub to: Option<String>,
    /// The id of the message this one answers (WhatsApp's `context`).
    pub reply_to: Option<String>,
    /// The customer's profile name; `Emulated customer` unless set.
    pub name: Option<String>,
}

impl CustomerMessage {
    /// A message holding `content`.
    pub fn new(content: CustomerContent) -> CustomerMessage {
        CustomerMessage {
            content,
            to: None,
            reply_to: None,
            name: None,
        }
    }

    /// A text message.
    pub fn text(text: impl Into<String>) -> CustomerMessage {
        CustomerMessage::new(CustomerContent::Text { text: text.into() })
    }

    /// Writes to business number `number`.
    pub fn to(mut self, number: impl Into<String>) -> CustomerMessage {
        self.to = Some(number.into());
        self
    }

    /// Answers the message with id `id`.
    pub fn reply_to(mut self, id: impl Into<String>) -> CustomerMessage {
        self.reply_to = Some(id.into());
        self
    }

    /// Writes under the profile name `name`.
    pub fn name(mut self, name: impl Into<String>) -> CustomerMessage {
        self.name = Some(name.into());
        self
    }

    /// Reads the JSON form: the content's fields (`type` first among them)
    /// with `to`, `reply_to` and `name`; any other field is refused by name.
    pub fn from_json(value: Value) -> Result<CustomerMessage, WriteError> {
        let Value::Object(mut object) = value else {
            return Err(invalid("body", "is not a JSON object"));
        };
        let text = |field: &'static str, object: &mut Map<String, Value>| match object.remove(field)
        {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(invalid(field, "is not a string")),
        };
        let to = text("to", &mut object)?;
        let reply_to = text("reply_to", &mut object)?;
        let name = text("name", &mut object)?;
        let content = serde_path_to_error::deserialize(Value::Object(object)).map_err(|error| {
            let path = error.path().to_string();
            let field = if path == "." { "type".to_owned() } else { path };
            WriteError::Invalid {
                field,
                reason: error.into_inner().to_string(),
            }
        })?;
        Ok(CustomerMessage {
            content,
            to,
            reply_to,
            name,
        })
    }
}

/// Why a simulated customer's message could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A field is missing or wrong.
    #[error("`{field}` {reason}")]
    Invalid {
        /// The field, such as `latitude` or `to`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The message named by `reply_to` or a reaction's `message_id` is not
    /// one this customer received.
    #[error("`{field}`: no message `{id}` was sent to {customer}")]
    NoSuchMessage {
        /// `reply_to` or `message_id`.
        field: &'static str,
        /// The id given.
        id: String,
        /// The customer.
        customer: String,
    },
    /// No business number was named and none can be told.
    #[error(
        "{customer} has received no message, so say which business number they write to in `to`"
    )]
    NoBusinessNumber {
        /// The customer.
        customer: String,
    },
    /// The API of the business number cannot carry this content.
    #[error("{reason}")]
    NotOnV1 {
        /// Why.
        reason: String,
    },
    /// There is nowhere to post the incoming message.
    #[error(
        "no Incoming URL is set for {business} (start the emulator with --incoming-url, or `EmulatorBuilder::incoming_url`), and no message it sent {customer} has a callback_url"
    )]
    NoIncomingUrl {
        /// The business number.
        business: String,
        /// The customer.
        customer: String,
    },
}

fn invalid(field: &str, reason: impl Into<String>) -> WriteError {
    WriteError::Invalid {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

/// Simulates `customer` writing `message`: posts the incoming message, in
/// the business number's API shape, to the account's Incoming URL (else to
/// the callback URL of the newest message that number sent the customer,
/// as taps do), and keeps it for the inbox.
pub(crate) async fn write(
    shared: &Arc<Shared>,
    customer: &str,
    message: CustomerMessage,
) -> Result<WrittenMessage, WriteError> {
    if !kaleyra_definitions::limits::is_e164(customer) {
        return Err(invalid(
            "number",
            format!(
                "`{customer}` is not a phone number in international form, such as +919876543210"
            ),
        ));
    }
    let customer = with_plus(customer);
    if let Some((field, reason)) = message.content.problem() {
        return Err(invalid(field, reason));
    }
    let received = shared.store.to(&customer);
    let received_message = |field: &'static str, id: &str| {
        received
            .iter()
            .find(|sent| sent.id == id)
            .ok_or_else(|| WriteError::NoSuchMessage {
                field,
                id: id.to_owned(),
                customer: customer.clone(),
            })
    };
    let answered = match &message.reply_to {
        Some(id) => Some(received_message("reply_to", id)?),
        None => None,
    };
    if let CustomerContent::Reaction { message_id, .. } = &message.content {
        received_message("message_id", message_id)?;
    }
    let business = match (&message.to, answered) {
        (Some(to), Some(answered)) if !same_number(to, &answered.from) => {
            return Err(invalid(
                "to",
                format!(
                    "is {to}, but message `{}` was sent from {}",
                    answered.id, answered.from
                ),
            ));
        }
        (Some(to), _) => with_plus(to),
        (None, Some(answered)) => answered.from.clone(),
        (None, None) => received
            .first()
            .map(|newest| newest.from.clone())
            .ok_or_else(|| WriteError::NoBusinessNumber {
                customer: customer.clone(),
            })?,
    };
    let api = shared.account.binding(&business).ok_or_else(|| {
        invalid(
            "to",
            format!(
                "{business} is not one of the account's business numbers ({} on v1, {} on v2)",
                shared.account.v1_number, shared.account.v2_number
            ),
        )
    })?;
    if api == ApiVersion::V1
        && let Some(reason) = message.content.v1_refusal()
    {
        return Err(WriteError::NotOnV1 { reason });
    }
    let url = shared
        .incoming_url
        .clone()
        .or_else(|| newest_callback_url(&received, &business))
        .ok_or_else(|| WriteError::NoIncomingUrl {
            business: business.clone(),
            customer: customer.clone(),
        })?;
    let id = shared.ids.wamid();
    let name = message.name.unwrap_or_else(|| CUSTOMER_NAME.to_owned());
    let written_at = unix_now();
    let body = incoming_body(&Written {
        api,
        id: &id,
        customer: &customer,
        name: &name,
        business: &business,
        reply_to: message.reply_to.as_deref(),
        content: &message.content,
        timestamp: written_at,
    });
    let outcome = shared.poster.post(&url, &body).await;
    let event = format!("customer wrote a {}", message.content.kind());
    let written = WrittenMessage {
        id,
        api,
        from: customer,
        to: business,
        name,
        reply_to: message.reply_to,
        summary: message.content.summary(),
        content: message.content,
        written_at,
        callback: CallbackRecord::new(event, &url, body.text(), outcome),
    };
    shared.store.insert_written(written.clone());
    Ok(written)
}

/// The callback URL of the newest message `business` sent, among `received`.
fn newest_callback_url(received: &[StoredMessage], business: &str) -> Option<String> {
    received
        .iter()
        .filter(|sent| same_number(&sent.from, business))
        .find_map(|sent| sent.callback_url.clone())
}

/// A status reported on demand for a message the customer received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase", deny_unknown_fields)]
#[non_exhaustive]
pub enum ReportedStatus {
    /// `delivered`.
    Delivered,
    /// `read`.
    Read,
    /// `failed`, with Meta's error.
    Failed {
        /// Meta's code, such as `131026`.
        meta_code: String,
        /// Meta's title; the code's known one unless set (required for a
        /// code this project does not know).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
    },
    /// Meta's `deleted` (v2 only: Kaleyra's v1 statuses do not have it).
    Deleted,
}

/// Why a status could not be reported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusError {
    /// No stored message has this id.
    #[error("no message with id `{id}`")]
    NoSuchMessage {
        /// The id asked for.
        id: String,
    },
    /// A field is wrong.
    #[error("`{field}` {reason}")]
    Invalid {
        /// The field, such as `meta_code`.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The message's API has no such status.
    #[error("message `{id}` went through v1, whose statuses have no `{status}`")]
    NotOnV1 {
        /// The message's id.
        id: String,
        /// The status asked for.
        status: &'static str,
    },
    /// The message already failed or was deleted; nothing follows that.
    #[error("message `{id}` is {status} already; nothing is reported after that")]
    Ended {
        /// The message's id.
        id: String,
        /// Its status.
        status: &'static str,
    },
    /// The message has no callback URL to post the status to.
    #[error("message `{id}` has no callback_url, so the status has nowhere to go")]
    NoCallbackUrl {
        /// The message's id.
        id: String,
    },
}

/// Reports `reported` for the message with id `id`: its stored status
/// becomes it (and the automatic progression stops after a `failed` or
/// `deleted`), and the status callback is posted to its callback URL.
pub(crate) async fn report_status(
    shared: &Arc<Shared>,
    id: &str,
    reported: &ReportedStatus,
) -> Result<CallbackOutcome, StatusError> {
    let message = shared
        .store
        .get(id)
        .ok_or_else(|| StatusError::NoSuchMessage { id: id.to_owned() })?;
    let (status, failure) = match reported {
        ReportedStatus::Delivered => (DeliveryStatus::Delivered, None),
        ReportedStatus::Read => (DeliveryStatus::Read, None),
        ReportedStatus::Failed { meta_code, title } => {
            let failure = MetaFailure::resolve(meta_code, title.as_deref()).map_err(|error| {
                StatusError::Invalid {
                    field: error.field.strip_prefix("action.").unwrap_or(error.field),
                    reason: error.reason,
                }
            })?;
            (DeliveryStatus::Failed, Some(failure))
        }
        ReportedStatus::Deleted => (DeliveryStatus::Deleted, None),
    };
    if status == DeliveryStatus::Deleted && message.api == ApiVersion::V1 {
        return Err(StatusError::NotOnV1 {
            id: id.to_owned(),
            status: status.as_str(),
        });
    }
    if message.status.is_final() {
        return Err(StatusError::Ended {
            id: id.to_owned(),
            status: message.status.as_str(),
        });
    }
    if message.callback_url.is_none() {
        return Err(StatusError::NoCallbackUrl { id: id.to_owned() });
    }
    let message = shared
        .store
        .update(id, |message| {
            message.status = if status.is_final() {
                status
            } else {
                message.status.max(status)
            }
        })
        .ok_or_else(|| StatusError::NoSuchMessage { id: id.to_owned() })?;
    post_status(
        &shared.store,
        &shared.poster,
        &message,
        status,
        failure.as_ref(),
    )
    .await
    .ok_or_else(|| StatusError::NoSuchMessage { id: id.to_owned() })
}
