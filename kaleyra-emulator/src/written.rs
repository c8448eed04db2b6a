//! What simulated customers write: the content of one message, the rules
//! it must pass, and the record kept of each message written.

use serde::{Deserialize, Serialize};

use crate::message::{ApiVersion, CallbackRecord};

/// What a simulated customer sends: the content of one incoming message.
///
/// As JSON (`POST /emulator/customers/{number}/messages`), the variant is the
/// `type` field: `{"type": "text", "text": "Is my order on its way?"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CustomerContent {
    /// A text message.
    Text {
        /// What the customer wrote.
        text: String,
    },
    /// An image, by URL.
    Image {
        /// Where the image is (http or https).
        url: String,
        /// The caption under it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
        /// Its MIME type; read from the URL's file extension when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mime_type: Option<String>,
    },
    /// A document, by URL.
    Document {
        /// Where the document is (http or https).
        url: String,
        /// The file name the customer's phone shows.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filename: Option<String>,
        /// The caption under it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
        /// Its MIME type; read from the URL's file extension when not given.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mime_type: Option<String>,
    },
    /// A shared location (v2 only).
    Location {
        /// Latitude in degrees, -90 to 90.
        latitude: f64,
        /// Longitude in degrees, -180 to 180.
        longitude: f64,
        /// The place's name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The place's address.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<String>,
    },
    /// A reaction to a message the customer received (v2 only). An empty
    /// `emoji` takes a reaction back, as WhatsApp reports it.
    Reaction {
        /// The id of the message reacted to.
        message_id: String,
        /// The emoji.
        emoji: String,
    },
    /// A choice from an interactive list (v2 only).
    ListReply {
        /// The row's id.
        id: String,
        /// The row's title.
        title: String,
        /// The row's description.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
    },
    /// A tap on an interactive reply button (give `reply_to` to say which
    /// message's; `Emulator::tap` taps a stored message's button by index).
    ButtonReply {
        /// The button's id.
        id: String,
        /// The button's title.
        title: String,
    },
}

impl CustomerContent {
    /// The `type` as JSON writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            CustomerContent::Text { .. } => "text",
            CustomerContent::Image { .. } => "image",
            CustomerContent::Document { .. } => "document",
            CustomerContent::Location { .. } => "location",
            CustomerContent::Reaction { .. } => "reaction",
            CustomerContent::ListReply { .. } => "list_reply",
            CustomerContent::ButtonReply { .. } => "button_reply",
        }
    }

    /// What the inbox shows for it.
    pub fn summary(&self) -> String {
        match self {
            CustomerContent::Text { text } => text.clone(),
            CustomerContent::Image { url, caption, .. }
            | CustomerContent::Document { url, caption, .. } => match caption {
                Some(caption) => format!("{caption} ({url})"),
                None => url.clone(),
            },
            CustomerContent::Location {
                latitude,
                longitude,
                name,
                ..
            } => match name {
                Some(name) => format!("📍 {name} ({latitude}, {longitude})"),
                None => format!("📍 {latitude}, {longitude}"),
            },
            CustomerContent::Reaction { emoji, .. } if emoji.is_empty() => {
                "reaction taken back".to_owned()
            }
            CustomerContent::Reaction { emoji, .. } => emoji.clone(),
            CustomerContent::ListReply { title, .. }
            | CustomerContent::ButtonReply { title, .. } => title.clone(),
        }
    }

    /// Why this content cannot be written as it is, naming the field.
    pub(crate) fn problem(&self) -> Option<(&'static str, String)> {
        let blank = |field: &'static str, text: &str| {
            text.trim()
                .is_empty()
                .then(|| (field, "is empty".to_owned()))
        };
        match self {
            CustomerContent::Text { text } => blank("text", text),
            CustomerContent::Image { url, mime_type, .. }
            | CustomerContent::Document { url, mime_type, .. } => media_problem(url, mime_type),
            CustomerContent::Location {
                latitude,
                longitude,
                ..
            } => {
                if !(latitude.is_finite() && (-90.0..=90.0).contains(latitude)) {
                    Some(("latitude", format!("{latitude} is not between -90 and 90")))
                } else if !(longitude.is_finite() && (-180.0..=180.0).contains(longitude)) {
                    Some((
                        "longitude",
                        format!("{longitude} is not between -180 and 180"),
                    ))
                } else {
                    None
                }
            }
            CustomerContent::Reaction { message_id, .. } => blank("message_id", message_id),
            CustomerContent::ListReply { id, title, .. }
            | CustomerContent::ButtonReply { id, title } => {
                blank("id", id).or_else(|| blank("title", title))
            }
        }
    }

    /// The MIME type of a media message: as given, else from the URL.
    pub(crate) fn mime_type(&self) -> Option<String> {
        match self {
            CustomerContent::Image { url, mime_type, .. }
            | CustomerContent::Document { url, mime_type, .. } => {
                mime_type.clone().or_else(|| guessed_mime_type(url))
            }
            _ => None,
        }
    }

    /// Why v1 cannot carry this content, if it cannot.
    pub(crate) fn v1_refusal(&self) -> Option<String> {
        matches!(
            self,
            CustomerContent::Location { .. }
                | CustomerContent::Reaction { .. }
                | CustomerContent::ListReply { .. }
        )
        .then(|| {
            format!(
                "Kaleyra's v1 incoming-message fields do not show how a {} arrives, so the emulator posts it on v2 only; write to the v2 business number",
                self.kind()
            )
        })
    }
}

fn media_problem(url: &str, mime_type: &Option<String>) -> Option<(&'static str, String)> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
        Ok(parsed) => {
            return Some((
                "url",
                format!("`{url}` is {}, not http or https", parsed.scheme()),
            ));
        }
        Err(error) => return Some(("url", format!("`{url}` is not a URL ({error})"))),
    }
    if mime_type.is_none() && guessed_mime_type(url).is_none() {
        return Some((
            "mime_type",
            format!("`{url}` has no file extension that tells its type; give mime_type"),
        ));
    }
    None
}

fn guessed_mime_type(url: &str) -> Option<String> {
    let extension = kaleyra_definitions::media::url_extension(url)?;
    mime_guess::from_ext(&extension)
        .first()
        .map(|mime| mime.essence_str().to_owned())
}

/// A message a simulated customer wrote, and the callback that carried it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WrittenMessage {
    /// The incoming message's id (`wamid.…` on v2; v1's fields carry none).
    pub id: String,
    /// The API of the business number written to.
    pub api: ApiVersion,
    /// The customer, E.164 with `+`.
    pub from: String,
    /// The business number, E.164 with `+`.
    pub to: String,
    /// The customer's profile name.
    pub name: String,
    /// The message it answers.
    pub reply_to: Option<String>,
    /// What it holds.
    pub content: CustomerContent,
    /// What the inbox shows for it.
    pub summary: String,
    /// When it was written, in Unix seconds.
    pub written_at: u64,
    /// The incoming-message callback posted for it.
    pub callback: CallbackRecord,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_content_is_refused_naming_the_field() {
        let problem = |content: CustomerContent| content.problem().map(|(field, _)| field);
        assert_eq!(
            problem(CustomerContent::Text { text: " ".into() }),
            Some("text")
        );
        assert_eq!(
            problem(CustomerContent::Location {
                latitude: f64::NAN,
                longitude: 0.0,
                name: None,
                address: None
            }),
            Some("latitude")
        );
        assert_eq!(
            problem(CustomerContent::Location {
                latitude: 0.0,
                longitude: 181.0,
                name: None,
                address: None
            }),
            Some("longitude")
        );
        assert_eq!(
            problem(CustomerContent::Image {
                url: "https://example.com/media?id=7".into(),
                caption: None,
                mime_type: None
            }),
            Some("mime_type")
        );
        assert_eq!(
            problem(CustomerContent::Document {
                url: "ftp://example.com/a.pdf".into(),
                filename: None,
                caption: None,
                mime_type: None
            }),
            Some("url")
        );
        assert_eq!(
            problem(CustomerContent::Image {
                url: "https://example.com/media?id=7".into(),
                caption: None,
                mime_type: Some("image/jpeg".into())
            }),
            None
        );
    }

    #[test]
    fn v1_refuses_the_kinds_its_fields_do_not_show_and_takes_the_others() {
        let reaction = CustomerContent::Reaction {
            message_id: "m".into(),
            emoji: "👍".into(),
        };
        assert!(reaction.v1_refusal().unwrap().contains("reaction"));
        assert!(
            CustomerContent::Text { text: "hi".into() }
                .v1_refusal()
                .is_none()
        );
    }
}
