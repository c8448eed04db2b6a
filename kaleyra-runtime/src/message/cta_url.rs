//! Interactive call-to-action URL messages (v2 only).

use kaleyra_definitions::limits;

use super::reply_buttons::check_interactive_texts;
use super::{Extras, InteractiveHeader, shared_options};
use crate::error::Error;

/// An interactive message with one button that opens a URL, so the raw URL
/// need not appear in the text. Kaleyra documents it on v2 only; on v1 it is
/// [`Error::Unsupported`].
///
/// ```
/// use kaleyra_runtime::CtaUrl;
///
/// let message = CtaUrl::new("Tap the button below to see available dates.", "See Dates", "https://example.com/dates")
///     .header_text("Available Dates")
///     .footer("Dates subject to change.");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtaUrl {
    pub(crate) body: String,
    pub(crate) header: Option<String>,
    pub(crate) footer: Option<String>,
    pub(crate) display_text: String,
    pub(crate) url: String,
    pub(crate) extras: Extras,
}

impl CtaUrl {
    /// A message with `body` (at most 1024 characters) and a button labelled
    /// `display_text` (at most 20 characters) that opens `url`.
    pub fn new(
        body: impl Into<String>,
        display_text: impl Into<String>,
        url: impl Into<String>,
    ) -> Self {
        CtaUrl {
            body: body.into(),
            header: None,
            footer: None,
            display_text: display_text.into(),
            url: url.into(),
            extras: Extras::default(),
        }
    }

    /// Sets a text header (at most 60 characters).
    pub fn header_text(mut self, text: impl Into<String>) -> Self {
        self.header = Some(text.into());
        self
    }

    /// Sets the footer (at most 60 characters).
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        let header = self.header.clone().map(InteractiveHeader::Text);
        check_interactive_texts(&self.body, header.as_ref(), self.footer.as_deref())?;
        if limits::is_blank(&self.display_text) {
            return Err(Error::invalid("display_text", "is empty"));
        }
        if let Some(problem) = limits::length_problem(&self.display_text, limits::CTA_DISPLAY_TEXT)
        {
            return Err(Error::invalid("display_text", problem));
        }
        if !limits::is_http_url(&self.url) {
            return Err(Error::invalid(
                "url",
                format!("`{}` is not an http(s) URL", self.url),
            ));
        }
        if let Some(problem) = limits::length_problem(&self.url, limits::BUTTON_URL) {
            return Err(Error::invalid("url", problem));
        }
        self.extras.check()
    }
}

shared_options!(CtaUrl);
