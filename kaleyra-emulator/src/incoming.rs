//! The incoming message a simulated customer's message becomes, in each
//! API's shape.
//!
//! v2 is Meta's webhook `messages[]` entry in Kaleyra's `meta_object`
//! envelope. v1 is the fields of Kaleyra's incoming-message callback
//! profile (`from`, `name`, `body`, `type`, `mime_type`, `media_url`,
//! `created_at`, `reply_to`, `wanumber`); Kaleyra's pages do not show how a
//! location, a reaction or a list reply arrives on v1, so those are refused
//! there rather than invented.

use serde_json::{Map, Value, json};

use crate::account::digits;
use crate::callbacks::CallbackBody;
use crate::message::ApiVersion;
use crate::written::CustomerContent;

/// One message as the customer writes it, with who to and in reply to what.
pub(crate) struct Written<'a> {
    pub(crate) api: ApiVersion,
    /// The new message's id.
    pub(crate) id: &'a str,
    /// The customer, E.164 with `+`.
    pub(crate) customer: &'a str,
    /// The customer's profile name.
    pub(crate) name: &'a str,
    /// The business number, E.164 with `+`.
    pub(crate) business: &'a str,
    pub(crate) reply_to: Option<&'a str>,
    pub(crate) content: &'a CustomerContent,
    pub(crate) timestamp: u64,
}

/// The incoming message `written` makes, in its API's shape. v1 content
/// that `v1_refusal` refuses is never asked for.
pub(crate) fn incoming_body(written: &Written<'_>) -> CallbackBody {
    match written.api {
        ApiVersion::V1 => CallbackBody::Form(v1_fields(written)),
        ApiVersion::V2 => {
            let content = written.content;
            let mut incoming = json!({
                "from": digits(written.customer),
                "id": written.id,
                "timestamp": written.timestamp.to_string(),
            });
            if let Some(reply_to) = written.reply_to {
                incoming["context"] = json!({ "from": digits(written.business), "id": reply_to });
            }
            let (kind, part) = v2_part(content);
            incoming["type"] = json!(kind);
            incoming[kind] = part;
            CallbackBody::Json(json!({
                "meta_object": {
                    "field": "messages",
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": { "display_phone_number": digits(written.business) },
                        "contacts": [{ "profile": { "name": written.name }, "wa_id": digits(written.customer) }],
                        "messages": [incoming],
                    },
                },
            }))
        }
    }
}

fn v1_fields(written: &Written<'_>) -> Vec<(&'static str, String)> {
    let content = written.content;
    let mut fields = vec![
        ("from", digits(written.customer).to_owned()),
        ("name", written.name.to_owned()),
        ("type", content.kind().to_owned()),
        ("created_at", written.timestamp.to_string()),
        ("wanumber", digits(written.business).to_owned()),
    ];
    if let Some(reply_to) = written.reply_to {
        fields.push(("reply_to", reply_to.to_owned()));
    }
    match content {
        CustomerContent::Text { text } => fields.push(("body", text.clone())),
        CustomerContent::Image { url, caption, .. }
        | CustomerContent::Document { url, caption, .. } => {
            fields.push(("media_url", url.clone()));
            fields.extend(content.mime_type().map(|mime| ("mime_type", mime)));
            fields.extend(caption.clone().map(|caption| ("body", caption)));
            if let CustomerContent::Document {
                filename: Some(filename),
                ..
            } = content
            {
                fields.push(("filename", filename.clone()));
            }
        }
        // The field names the emulator's v1 taps use (see `tap_body`).
        CustomerContent::ButtonReply { id, title } => {
            fields.push(("body", title.clone()));
            fields.push(("reply_id", id.clone()));
        }
        CustomerContent::Location { .. }
        | CustomerContent::Reaction { .. }
        | CustomerContent::ListReply { .. } => {}
    }
    fields
}

fn v2_part(content: &CustomerContent) -> (&'static str, Value) {
    let optional = |part: &mut Map<String, Value>, key: &str, value: &Option<String>| {
        if let Some(value) = value {
            part.insert(key.to_owned(), json!(value));
        }
    };
    match content {
        CustomerContent::Text { text } => ("text", json!({ "body": text })),
        CustomerContent::Image { url, caption, .. }
        | CustomerContent::Document { url, caption, .. } => {
            let mut part = Map::new();
            part.insert("link".to_owned(), json!(url));
            optional(&mut part, "mime_type", &content.mime_type());
            optional(&mut part, "caption", caption);
            if let CustomerContent::Document { filename, .. } = content {
                optional(&mut part, "filename", filename);
            }
            (content.kind(), Value::Object(part))
        }
        CustomerContent::Location {
            latitude,
            longitude,
            name,
            address,
        } => {
            let mut part = Map::new();
            part.insert("latitude".to_owned(), json!(latitude));
            part.insert("longitude".to_owned(), json!(longitude));
            optional(&mut part, "name", name);
            optional(&mut part, "address", address);
            ("location", Value::Object(part))
        }
        CustomerContent::Reaction { message_id, emoji } => (
            "reaction",
            json!({ "message_id": message_id, "emoji": emoji }),
        ),
        CustomerContent::ListReply {
            id,
            title,
            description,
        } => {
            let mut reply = Map::new();
            reply.insert("id".to_owned(), json!(id));
            reply.insert("title".to_owned(), json!(title));
            optional(&mut reply, "description", description);
            (
                "interactive",
                json!({ "type": "list_reply", "list_reply": reply }),
            )
        }
        CustomerContent::ButtonReply { id, title } => (
            "interactive",
            json!({ "type": "button_reply", "button_reply": { "id": id, "title": title } }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(api: ApiVersion, content: &CustomerContent) -> CallbackBody {
        incoming_body(&Written {
            api,
            id: "wamid.1",
            customer: "+919876543210",
            name: "Asha",
            business: "+912025550101",
            reply_to: Some("wamid.0"),
            content,
            timestamp: 42,
        })
    }

    #[test]
    fn a_v2_list_reply_is_an_interactive_message_in_reply_to_its_message() {
        let content = CustomerContent::ListReply {
            id: "row-2".into(),
            title: "Tomorrow".into(),
            description: None,
        };
        let CallbackBody::Json(body) = written(ApiVersion::V2, &content) else {
            panic!("v2 is JSON");
        };
        let message = &body["meta_object"]["value"]["messages"][0];
        assert_eq!(message["type"], "interactive");
        assert_eq!(
            message["interactive"],
            json!({"type": "list_reply", "list_reply": {"id": "row-2", "title": "Tomorrow"}})
        );
        assert_eq!(
            message["context"],
            json!({"from": "912025550101", "id": "wamid.0"})
        );
        assert_eq!(
            body["meta_object"]["value"]["contacts"][0]["profile"]["name"],
            "Asha"
        );
    }

    #[test]
    fn a_v1_image_carries_its_url_type_and_caption_in_the_profile_fields() {
        let content = CustomerContent::Image {
            url: "https://example.com/receipt.png".into(),
            caption: Some("my receipt".into()),
            mime_type: None,
        };
        let CallbackBody::Form(fields) = written(ApiVersion::V1, &content) else {
            panic!("v1 is a form");
        };
        let field = |name: &str| {
            fields
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(field("type"), Some("image"));
        assert_eq!(field("media_url"), Some("https://example.com/receipt.png"));
        assert_eq!(field("mime_type"), Some("image/png"));
        assert_eq!(field("body"), Some("my receipt"));
        assert_eq!(field("reply_to"), Some("wamid.0"));
        assert_eq!(field("wanumber"), Some("912025550101"));
    }
}
