//! Turning a checked message into the HTTP request Kaleyra documents:
//! [`v1`] form fields or [`v2`] JSON.

mod json;
pub(crate) mod v1;
pub(crate) mod v2;

use crate::api::Api;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::MessageRef;
use crate::request::PreparedRequest;

/// The requests that send `message` to `recipients` (already checked): one on
/// v1, one per recipient on v2.
pub(crate) fn prepare(
    endpoint: &Endpoint,
    message: MessageRef<'_>,
    recipients: Vec<String>,
) -> Result<Vec<PreparedRequest>, Error> {
    check(message)?;
    match endpoint.api {
        Api::V1 => Ok(vec![v1::prepare(endpoint, message, recipients)?]),
        Api::V2(_) => recipients
            .into_iter()
            .map(|to| v2::prepare(endpoint, message, vec![to]))
            .collect(),
    }
}

/// The one request that sends `message` to `recipients` (already checked):
/// on v2, there must be exactly one recipient.
pub(crate) fn prepare_one(
    endpoint: &Endpoint,
    message: MessageRef<'_>,
    recipients: Vec<String>,
) -> Result<PreparedRequest, Error> {
    check(message)?;
    match (endpoint.api, recipients.len()) {
        (Api::V1, _) => v1::prepare(endpoint, message, recipients),
        (Api::V2(_), 1) => v2::prepare(endpoint, message, recipients),
        (Api::V2(_), several) => Err(Error::invalid(
            "to",
            format!(
                "v2 sends one recipient per request, so {} recipients need {} requests; use `prepare_all`",
                several, several
            ),
        )),
    }
}

/// The checks that do not depend on the API version.
fn check(message: MessageRef<'_>) -> Result<(), Error> {
    match message {
        MessageRef::Text(text) => text.check(),
        MessageRef::Template(template) => template.check(),
        MessageRef::ReplyButtons(buttons) => buttons.check(),
        MessageRef::CtaUrl(cta) => cta.check(),
    }
}
