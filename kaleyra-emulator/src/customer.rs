//! The customer's side, simulated: tapping a button of a message they
//! received, which posts the incoming message to the message's callback URL.

use std::sync::Arc;

use kaleyra_definitions::ButtonType;

use crate::callbacks::tap_body;
use crate::clock::unix_now;
use crate::message::{ApiVersion, CallbackOutcome, CallbackRecord};
use crate::state::Shared;

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
