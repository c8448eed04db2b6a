//! Plain text messages.

use kaleyra_definitions::limits;

use super::{Extras, shared_options};
use crate::error::Error;

/// A text message, sendable inside the 24-hour window after the customer's
/// last message.
///
/// ```
/// use kaleyra_runtime::Text;
///
/// let reply = Text::new("Thanks for your order! Where should we deliver it?")
///     .reply_to("wamid.HBgM")      // v2: quote the customer's message
///     .preview_url(false);         // v2: no link preview
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub(crate) body: String,
    pub(crate) preview_url: Option<bool>,
    pub(crate) reply_to: Option<String>,
    pub(crate) use_get: bool,
    pub(crate) extras: Extras,
}

impl Text {
    /// A text message with `body` (at most 4096 characters).
    pub fn new(body: impl Into<String>) -> Self {
        Text {
            body: body.into(),
            preview_url: None,
            reply_to: None,
            use_get: false,
            extras: Extras::default(),
        }
    }

    /// v2: whether WhatsApp renders a preview of the first URL in the body.
    /// Not available on v1: there the send is [`Error::Unsupported`], never
    /// sent without it.
    pub fn preview_url(mut self, preview: bool) -> Self {
        self.preview_url = Some(preview);
        self
    }

    /// v2: sends the text as a reply quoting the message with this id
    /// (`context.message_id`). Not available on v1: there the send is
    /// [`Error::Unsupported`], never sent as a plain text.
    pub fn reply_to(mut self, message_id: impl Into<String>) -> Self {
        self.reply_to = Some(message_id.into());
        self
    }

    /// v1: sends with `GET` and the fields in the query string, which Kaleyra
    /// also accepts for text messages. Not available on v2: there the send
    /// is [`Error::Unsupported`], never sent as a POST instead.
    pub fn use_get(mut self) -> Self {
        self.use_get = true;
        self
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if limits::is_blank(&self.body) {
            return Err(Error::invalid("body", "is empty"));
        }
        if let Some(problem) = limits::length_problem(&self.body, limits::TEXT_BODY) {
            return Err(Error::invalid("body", problem));
        }
        if let Some(id) = &self.reply_to
            && id.is_empty()
        {
            return Err(Error::invalid("reply_to", "is empty"));
        }
        self.extras.check()
    }
}

shared_options!(Text);
