//! The kinds of message the client sends, and the options they share.

mod carousel;
mod cta_url;
mod flow;
mod location;
mod media;
mod products;
mod reply_buttons;
mod template;
mod text;

use std::fmt;
use std::str::FromStr;

use kaleyra_definitions::limits;

pub use carousel::CarouselCard;
pub use cta_url::CtaUrl;
pub use flow::{AsFlowActionData, FlowActionData};
pub use location::Location;
pub use media::{AsMedia, Media, MediaId, MediaUrl};
pub use products::{MultiProduct, Product, ProductSection, ProductsButton};
pub use reply_buttons::{InteractiveHeader, ReplyButton, ReplyButtons};
pub use template::{
    ButtonValue, DerivedValues, Param, Shape, TemplateHeader, TemplateMessage, TemplateParts,
    display_text,
};
pub use text::Text;

use crate::error::Error;

/// A message the client can send: [`Text`], [`TemplateMessage`],
/// [`ReplyButtons`], [`CtaUrl`] or [`AnyMessage`].
///
/// This trait is sealed; a `#[derive(Template)]` struct becomes a message
/// through [`crate::Template::to_message`] (or its own `send` and `prepare`).
pub trait Message: sealed::Sealed + Sync {
    #[doc(hidden)]
    fn as_message(&self) -> MessageRef<'_>;
}

mod sealed {
    pub trait Sealed {}
}

/// A borrowed view of any message, for the encoders.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum MessageRef<'a> {
    Text(&'a Text),
    Template(TemplateParts<'a>),
    ReplyButtons(&'a ReplyButtons),
    CtaUrl(&'a CtaUrl),
}

/// Any one message, for code that handles several kinds alike.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AnyMessage {
    /// A text message.
    Text(Text),
    /// An approved template.
    Template(TemplateMessage),
    /// An interactive message with reply buttons.
    ReplyButtons(ReplyButtons),
    /// An interactive call-to-action URL message.
    CtaUrl(CtaUrl),
}

macro_rules! message_kinds {
    ($($kind:ident($type:ty)),*) => {
        $(
            impl sealed::Sealed for $type {}
            impl Message for $type {
                fn as_message(&self) -> MessageRef<'_> {
                    MessageRef::$kind(self.into())
                }
            }
            impl From<$type> for AnyMessage {
                fn from(message: $type) -> Self {
                    AnyMessage::$kind(message)
                }
            }

            impl $type {
                fn extras_mut(&mut self) -> &mut Extras {
                    &mut self.extras
                }
            }
        )*

        impl AnyMessage {
            fn extras_mut(&mut self) -> &mut Extras {
                match self {
                    $(AnyMessage::$kind(message) => &mut message.extras,)*
                }
            }
        }

        impl sealed::Sealed for AnyMessage {}
        impl Message for AnyMessage {
            fn as_message(&self) -> MessageRef<'_> {
                match self {
                    $(AnyMessage::$kind(message) => MessageRef::$kind(message.into()),)*
                }
            }
        }
    };
}

message_kinds!(
    Text(Text),
    Template(TemplateMessage),
    ReplyButtons(ReplyButtons),
    CtaUrl(CtaUrl)
);

impl<'a> MessageRef<'a> {
    /// The options shared by every kind.
    pub(crate) fn options(self) -> &'a Extras {
        match self {
            MessageRef::Text(text) => &text.extras,
            MessageRef::Template(template) => template.extras,
            MessageRef::ReplyButtons(buttons) => &buttons.extras,
            MessageRef::CtaUrl(cta) => &cta.extras,
        }
    }
}

impl<'a> From<&'a TemplateMessage> for TemplateParts<'a> {
    fn from(template: &'a TemplateMessage) -> Self {
        template.parts()
    }
}

impl sealed::Sealed for TemplateParts<'_> {}
impl Message for TemplateParts<'_> {
    fn as_message(&self) -> MessageRef<'_> {
        MessageRef::Template(*self)
    }
}

impl<M: Message + ?Sized> sealed::Sealed for &M {}
impl<M: Message + ?Sized> Message for &M {
    fn as_message(&self) -> MessageRef<'_> {
        (**self).as_message()
    }
}

/// The options every message kind takes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Extras {
    pub(crate) callback_url: Option<String>,
    /// The secret in `callback_url`, which `Debug` and curl output hide.
    pub(crate) callback_secret: Option<crate::callbacks::CallbackSecret>,
    pub(crate) refs: [Option<String>; 3],
    pub(crate) wa_source: Option<WaSource>,
    pub(crate) callback_profile_id: Option<String>,
}

impl fmt::Debug for Extras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let callback_url = self
            .callback_url
            .as_deref()
            .map(|url| crate::callbacks::redacted(self.callback_secret.as_ref(), url));
        f.debug_struct("Extras")
            .field("callback_url", &callback_url)
            .field("refs", &self.refs)
            .field("wa_source", &self.wa_source)
            .field("callback_profile_id", &self.callback_profile_id)
            .finish()
    }
}

impl Extras {
    /// The names of the three references on the wire.
    pub(crate) const REF_FIELDS: [&'static str; 3] = ["ref", "ref1", "ref2"];

    pub(crate) fn check(&self) -> Result<(), Error> {
        if let Some(url) = &self.callback_url
            && !limits::is_http_url(url)
        {
            let shown = crate::callbacks::redacted(self.callback_secret.as_ref(), url);
            return Err(Error::invalid(
                "callback_url",
                format!("`{shown}` is not an http(s) URL"),
            ));
        }
        if let Some(id) = &self.callback_profile_id
            && (id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()))
        {
            return Err(Error::invalid(
                "callback_profile_id",
                format!("{id:?} is not a callback profile id: it is empty or holds whitespace"),
            ));
        }
        for (field, value) in Self::REF_FIELDS.iter().zip(&self.refs) {
            let Some(value) = value else { continue };
            if value.is_empty() {
                return Err(Error::invalid(*field, "is empty; leave it out instead"));
            }
            if let Some(problem) = limits::length_problem(value, limits::REF) {
                return Err(Error::invalid(
                    *field,
                    format!("{problem} (Kaleyra would cut it short)"),
                ));
            }
        }
        Ok(())
    }
}

/// Adds the options every message kind takes to its builder.
macro_rules! shared_options {
    ($type:ty) => {
        impl $type {
            /// The URL Kaleyra posts this message's status callbacks to (http or
            /// https): a plain URL, or a [`CallbackUrl`](crate::callbacks::CallbackUrl) from
            /// [`CallbackSecret::callback_url`](crate::callbacks::CallbackSecret::callback_url),
            /// whose secret `Debug` and the printed curl hide.
            ///
            /// v1 sends it as the `callback_url` field; v2 in
            /// `extra_info.callback_url`, since Kaleyra's v2 pages do not say
            /// where a per-message callback URL goes (a decision).
            pub fn callback_url(mut self, url: impl Into<$crate::callbacks::CallbackUrl>) -> Self {
                let (url, secret) = url.into().into_parts();
                let extras = self.extras_mut();
                extras.callback_url = Some(url);
                extras.callback_secret = secret;
                self
            }

            /// `callback_profile_id`: the Kaleyra callback profile that receives
            /// this message's status callbacks (such as
            /// `IN_b86b078e-046b-4565-892c-...`), instead of the number's.
            ///
            /// v1 only: Kaleyra's pages show it as a v1 form field, and no
            /// page shows where a v2 body carries it, so a v2 client refuses
            /// it ([`Error::Unsupported`](crate::Error::Unsupported)) rather
            /// than guess (a decision; see DECISIONS.md).
            pub fn callback_profile_id(mut self, id: impl Into<String>) -> Self {
                self.extras_mut().callback_profile_id = Some(id.into());
                self
            }

            /// `ref`: your own context for this message (such as a customer id),
            /// returned in reports and callbacks. At most 255 characters: a
            /// longer one is refused when the message is prepared, because
            /// Kaleyra would cut it short.
            pub fn reference(mut self, value: impl Into<String>) -> Self {
                self.extras_mut().refs[0] = Some(value.into());
                self
            }

            /// `ref1`: a second reference; at most 255 characters, like
            /// [`reference`](Self::reference).
            pub fn reference1(mut self, value: impl Into<String>) -> Self {
                self.extras_mut().refs[1] = Some(value.into());
                self
            }

            /// `ref2`: a third reference; at most 255 characters, like
            /// [`reference`](Self::reference).
            pub fn reference2(mut self, value: impl Into<String>) -> Self {
                self.extras_mut().refs[2] = Some(value.into());
                self
            }

            /// `wa_source` (v2): the integration the message comes from. v1 has
            /// no such field, so there the send is
            /// [`Error::Unsupported`](crate::Error::Unsupported) rather than
            /// sent without it.
            pub fn wa_source(mut self, source: $crate::WaSource) -> Self {
                self.extras_mut().wa_source = Some(source);
                self
            }
        }
    };
}
pub(crate) use shared_options;

/// Where a v2 message comes from (`extra_info.wa_source`). Kaleyra rewrites
/// any other value to `api`, so only these can be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaSource {
    /// `api`
    Api,
    /// `clevertap`
    CleverTap,
    /// `zoho`
    Zoho,
    /// `webengage`
    WebEngage,
    /// `shopify`
    Shopify,
    /// `leadsquared`
    LeadSquared,
    /// `responsys`
    Responsys,
    /// `braze`
    Braze,
    /// `hubspot`
    HubSpot,
    /// `salesforce`
    Salesforce,
    /// `zapier`
    Zapier,
    /// `eloqua`
    Eloqua,
    /// `moengage`
    MoEngage,
}

impl WaSource {
    const ALL: [(WaSource, &'static str); 13] = [
        (WaSource::Api, "api"),
        (WaSource::CleverTap, "clevertap"),
        (WaSource::Zoho, "zoho"),
        (WaSource::WebEngage, "webengage"),
        (WaSource::Shopify, "shopify"),
        (WaSource::LeadSquared, "leadsquared"),
        (WaSource::Responsys, "responsys"),
        (WaSource::Braze, "braze"),
        (WaSource::HubSpot, "hubspot"),
        (WaSource::Salesforce, "salesforce"),
        (WaSource::Zapier, "zapier"),
        (WaSource::Eloqua, "eloqua"),
        (WaSource::MoEngage, "moengage"),
    ];

    /// The value sent, such as `clevertap`.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(source, _)| *source == self)
            .map_or("api", |(_, text)| text)
    }
}

impl fmt::Display for WaSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WaSource {
    type Err = Error;

    /// Parses one of Kaleyra's 13 documented sources; anything else is refused
    /// rather than silently becoming `api` as Kaleyra would make it.
    fn from_str(text: &str) -> Result<Self, Error> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(source, _)| *source)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|(_, name)| *name).collect();
                Error::invalid(
                    "wa_source",
                    format!(
                        "`{text}` is not one of Kaleyra's sources: {}",
                        known.join(", ")
                    ),
                )
            })
    }
}

// A derived template's message takes the same options:
// `client.send(&ticket.to_message().callback_url(url), to)`.
shared_options!(AnyMessage);
