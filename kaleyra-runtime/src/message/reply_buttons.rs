//! Interactive messages with up to three reply buttons.

use kaleyra_definitions::limits;

use super::template::{TemplateHeader, check_media_type};
use super::{Extras, Media, shared_options};
use crate::error::Error;

/// An interactive message with one to three reply buttons, sendable inside
/// the 24-hour window after the customer's last message.
///
/// ```
/// use kaleyra_runtime::{InteractiveHeader, ReplyButtons};
///
/// let message = ReplyButtons::new("Your order ships tomorrow. Anything else?")
///     .header(InteractiveHeader::Text("Order 1234".into()))
///     .footer("Reply STOP to opt out")
///     .button("track", "Track order")
///     .button("agent", "Talk to us");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyButtons {
    pub(crate) body: String,
    pub(crate) header: Option<InteractiveHeader>,
    pub(crate) caption: Option<String>,
    pub(crate) footer: Option<String>,
    pub(crate) buttons: Vec<ReplyButton>,
    pub(crate) extras: Extras,
}

/// One reply button: the id your code receives when it is tapped, and the
/// title the customer sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyButton {
    /// The id reported when the button is tapped (at most 256 characters, unique).
    pub id: String,
    /// The title shown on the button (at most 20 characters, unique).
    pub title: String,
}

/// The header of an interactive message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InteractiveHeader {
    /// A line of text (at most 60 characters).
    Text(String),
    /// An image (JPEG or PNG), by link or uploaded id.
    Image(Media),
    /// A video (MP4 or 3GPP), by link or uploaded id.
    Video(Media),
    /// A document (PDF), by link or uploaded id.
    Document(Media),
}

impl InteractiveHeader {
    /// `text`, `image`, `video` or `document`.
    pub fn type_name(&self) -> &'static str {
        match self {
            InteractiveHeader::Text(_) => "text",
            InteractiveHeader::Image(_) => "image",
            InteractiveHeader::Video(_) => "video",
            InteractiveHeader::Document(_) => "document",
        }
    }

    fn as_template_header(&self) -> TemplateHeader {
        match self {
            InteractiveHeader::Text(text) => TemplateHeader::Text(text.clone()),
            InteractiveHeader::Image(media) => TemplateHeader::Image(media.clone()),
            InteractiveHeader::Video(media) => TemplateHeader::Video(media.clone()),
            InteractiveHeader::Document(media) => TemplateHeader::Document(media.clone()),
        }
    }

    /// The header's text, for a text header.
    pub fn text(&self) -> Option<&str> {
        match self {
            InteractiveHeader::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The media, for a media header.
    pub fn media(&self) -> Option<&Media> {
        match self {
            InteractiveHeader::Text(_) => None,
            InteractiveHeader::Image(media)
            | InteractiveHeader::Video(media)
            | InteractiveHeader::Document(media) => Some(media),
        }
    }
}

impl ReplyButtons {
    /// A message with `body` (at most 1024 characters) and no buttons yet.
    pub fn new(body: impl Into<String>) -> Self {
        ReplyButtons {
            body: body.into(),
            header: None,
            caption: None,
            footer: None,
            buttons: Vec::new(),
            extras: Extras::default(),
        }
    }

    /// Adds a button; a message takes one to three.
    pub fn button(mut self, id: impl Into<String>, title: impl Into<String>) -> Self {
        self.buttons.push(ReplyButton {
            id: id.into(),
            title: title.into(),
        });
        self
    }

    /// Sets the header.
    pub fn header(mut self, header: InteractiveHeader) -> Self {
        self.header = Some(header);
        self
    }

    /// v1: a caption for a media header. Not available on v2, whose
    /// interactive headers have no caption: there the send is
    /// [`Error::Unsupported`], never sent without it.
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Sets the footer (at most 60 characters).
    pub fn footer(mut self, footer: impl Into<String>) -> Self {
        self.footer = Some(footer.into());
        self
    }

    /// The buttons, in order.
    pub fn buttons(&self) -> &[ReplyButton] {
        &self.buttons
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        check_interactive_texts(&self.body, self.header.as_ref(), self.footer.as_deref())?;
        if let Some(caption) = &self.caption {
            if !self
                .header
                .as_ref()
                .is_some_and(|header| !matches!(header, InteractiveHeader::Text(_)))
            {
                return Err(Error::invalid("caption", "applies to a media header only"));
            }
            if caption.is_empty() {
                return Err(Error::invalid("caption", "is empty; leave it out instead"));
            }
        }
        let count = self.buttons.len();
        if count == 0 || count > limits::REPLY_BUTTONS {
            return Err(Error::invalid(
                "buttons",
                format!(
                    "has {count} buttons; a reply-button message takes 1 to {}",
                    limits::REPLY_BUTTONS
                ),
            ));
        }
        for (position, button) in self.buttons.iter().enumerate() {
            let field = |key: &str| format!("buttons[{position}].{key}");
            for (key, value, max) in [
                ("id", &button.id, limits::REPLY_BUTTON_ID),
                ("title", &button.title, limits::REPLY_BUTTON_TITLE),
            ] {
                if limits::is_blank(value) {
                    return Err(Error::invalid(field(key), "is empty"));
                }
                if let Some(problem) = limits::length_problem(value, max) {
                    return Err(Error::invalid(field(key), problem));
                }
            }
            // At most three buttons: comparing with the earlier ones is enough.
            let earlier = &self.buttons[..position];
            if earlier.iter().any(|other| other.id == button.id) {
                return Err(Error::invalid(
                    field("id"),
                    format!("`{}` is used by another button; ids are unique", button.id),
                ));
            }
            if earlier.iter().any(|other| other.title == button.title) {
                return Err(Error::invalid(
                    field("title"),
                    format!(
                        "`{}` is used by another button; titles are unique",
                        button.title
                    ),
                ));
            }
        }
        self.extras.check()
    }
}

/// The body, header and footer rules shared by interactive messages.
pub(crate) fn check_interactive_texts(
    body: &str,
    header: Option<&InteractiveHeader>,
    footer: Option<&str>,
) -> Result<(), Error> {
    if limits::is_blank(body) {
        return Err(Error::invalid("body", "is empty"));
    }
    if let Some(problem) = limits::length_problem(body, limits::INTERACTIVE_BODY) {
        return Err(Error::invalid("body", problem));
    }
    match header {
        Some(InteractiveHeader::Text(text)) => {
            if limits::is_blank(text) {
                return Err(Error::invalid("header", "is empty"));
            }
            if let Some(problem) = limits::length_problem(text, limits::HEADER_TEXT) {
                return Err(Error::invalid("header", problem));
            }
        }
        Some(media) => check_media_type(&media.as_template_header())?,
        None => {}
    }
    if let Some(footer) = footer {
        if limits::is_blank(footer) {
            return Err(Error::invalid("footer", "is empty; leave it out instead"));
        }
        if let Some(problem) = limits::length_problem(footer, limits::FOOTER) {
            return Err(Error::invalid("footer", problem));
        }
    }
    Ok(())
}

shared_options!(ReplyButtons);
