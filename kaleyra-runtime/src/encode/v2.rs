//! Kaleyra v2: `POST {base}/v2/{sid}/whatsapp/{from}/messages` with JSON, one
//! recipient per request. `messaging_object` is Meta's Cloud API message.

use kaleyra_definitions::limits;
use reqwest::Method;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::api::ApiVersion;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::message::{
    ButtonValue, CtaUrl, Extras, InteractiveHeader, MessageRef, ReplyButtons, TemplateHeader,
    TemplateParts, Text,
};
use crate::request::PreparedRequest;

/// Button indices as Meta's examples write them: strings.
const INDEX_TEXT: [&str; 3] = ["0", "1", "2"];

/// The request for one recipient. `recipients` holds exactly that one, and
/// becomes the request's recipient list as it is.
pub(crate) fn prepare(
    endpoint: &Endpoint,
    message: MessageRef<'_>,
    recipients: Vec<String>,
) -> Result<PreparedRequest, Error> {
    debug_assert_eq!(recipients.len(), 1, "v2 sends one recipient per request");
    let envelope = Envelope {
        messaging_object: messaging_object(message, &recipients[0])?,
        extra_info: ExtraInfo::from(message.options()),
    };
    // Most messages fit in 1 KiB; starting there saves growing the buffer.
    let mut body = Vec::with_capacity(1024);
    serde_json::to_writer(&mut body, &envelope)
        .map_err(|error| Error::internal("writing the v2 JSON body", error))?;
    Ok(PreparedRequest {
        method: Method::POST,
        url: endpoint.url.clone(),
        headers: endpoint.headers_with_body.clone(),
        body: body.into(),
        api: ApiVersion::V2,
        recipients,
        callback_secret: message.options().callback_secret.clone(),
    })
}

#[derive(Serialize)]
struct Envelope<'a> {
    messaging_object: MessagingObject<'a>,
    #[serde(skip_serializing_if = "ExtraInfo::is_empty")]
    extra_info: ExtraInfo<'a>,
}

#[derive(Serialize)]
struct MessagingObject<'a> {
    messaging_product: &'static str,
    recipient_type: &'static str,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<Context<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<TextObject<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<TemplateObject<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interactive: Option<Interactive<'a>>,
}

fn messaging_object<'a>(
    message: MessageRef<'a>,
    to: &'a str,
) -> Result<MessagingObject<'a>, Error> {
    let mut object = MessagingObject {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to,
        kind: "text",
        context: None,
        text: None,
        template: None,
        interactive: None,
    };
    match message {
        MessageRef::Text(text) => {
            let Text {
                body,
                preview_url,
                reply_to,
                use_get,
                ..
            } = text;
            if *use_get {
                return Err(Error::unsupported("GET requests", ApiVersion::V2));
            }
            object.context = reply_to.as_deref().map(|message_id| Context { message_id });
            object.text = Some(TextObject {
                preview_url: *preview_url,
                body,
            });
        }
        MessageRef::Template(template) => {
            object.kind = "template";
            object.template = Some(template_object(template)?);
        }
        MessageRef::ReplyButtons(buttons) => {
            object.kind = "interactive";
            object.interactive = Some(reply_interactive(buttons)?);
        }
        MessageRef::CtaUrl(cta) => {
            object.kind = "interactive";
            object.interactive = Some(cta_interactive(cta));
        }
    }
    Ok(object)
}

#[derive(Serialize)]
struct Context<'a> {
    message_id: &'a str,
}

#[derive(Serialize)]
struct TextObject<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    preview_url: Option<bool>,
    body: &'a str,
}

#[derive(Serialize)]
struct TemplateObject<'a> {
    name: &'a str,
    language: Language<'a>,
    #[serde(skip_serializing_if = "Components::is_empty")]
    components: Components<'a>,
}

#[derive(Serialize)]
struct Language<'a> {
    code: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Component<'a> {
    Header {
        parameters: [Parameter<'a>; 1],
    },
    Body {
        parameters: BodyParameters<'a>,
    },
    Button {
        sub_type: &'static str,
        index: &'static str,
        parameters: [Parameter<'a>; 1],
    },
}

/// A typed value, `{"type": T, T: ...}`: a template component's parameter,
/// and also the header of an interactive message, which has the same shape.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Parameter<'a> {
    Text {
        text: &'a str,
    },
    /// A value of a template with named placeholders.
    #[serde(rename = "text")]
    NamedText {
        parameter_name: &'a str,
        text: &'a str,
    },
    CouponCode {
        coupon_code: &'a str,
    },
    Payload {
        payload: &'a str,
    },
    Image {
        image: Link<'a>,
    },
    Video {
        video: Link<'a>,
    },
    Document {
        document: Link<'a>,
    },
}

#[derive(Serialize)]
struct Link<'a> {
    link: &'a str,
}

impl<'a> From<&'a TemplateHeader> for Parameter<'a> {
    fn from(header: &'a TemplateHeader) -> Self {
        match header {
            TemplateHeader::Text(text) => Parameter::Text { text },
            TemplateHeader::NamedText { name, value } => Parameter::NamedText {
                parameter_name: name,
                text: value,
            },
            TemplateHeader::Image(url) => Parameter::Image {
                image: Link { link: url.as_str() },
            },
            TemplateHeader::Video(url) => Parameter::Video {
                video: Link { link: url.as_str() },
            },
            TemplateHeader::Document(url) => Parameter::Document {
                document: Link { link: url.as_str() },
            },
        }
    }
}

impl<'a> From<&'a InteractiveHeader> for Parameter<'a> {
    fn from(header: &'a InteractiveHeader) -> Self {
        match header {
            InteractiveHeader::Text(text) => Parameter::Text { text },
            InteractiveHeader::Image(url) => Parameter::Image {
                image: Link { link: url.as_str() },
            },
            InteractiveHeader::Video(url) => Parameter::Video {
                video: Link { link: url.as_str() },
            },
            InteractiveHeader::Document(url) => Parameter::Document {
                document: Link { link: url.as_str() },
            },
        }
    }
}

fn template_object(template: TemplateParts<'_>) -> Result<TemplateObject<'_>, Error> {
    if template.sandbox {
        return Err(Error::unsupported(
            "the sandbox (source=sandbox)",
            ApiVersion::V2,
        ));
    }
    let code = template.language.ok_or_else(|| {
        Error::invalid(
            "language",
            format!(
                "is required on v2 (template.language.code); give template `{}` its approved language, such as \"en\"",
                template.name
            ),
        )
    })?;
    Ok(TemplateObject {
        name: template.name,
        language: Language { code },
        components: Components(template),
    })
}

/// A template's components (header, body, buttons by index), written
/// straight from the message rather than collected into a list first.
struct Components<'a>(TemplateParts<'a>);

impl Components<'_> {
    fn is_empty(&self) -> bool {
        let Components(template) = self;
        template.header.is_none() && template.params.is_empty() && template.buttons.is_empty()
    }
}

impl Serialize for Components<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Components(template) = self;
        let mut components = serializer.serialize_seq(None)?;
        if let Some(header) = template.header {
            components.serialize_element(&Component::Header {
                parameters: [header.into()],
            })?;
        }
        if !template.params.is_empty() {
            components.serialize_element(&Component::Body {
                parameters: BodyParameters(*template),
            })?;
        }
        // By index, as WhatsApp lists them (there are at most three).
        let by_index = (0..=limits::BUTTON_INDEX_MAX).filter_map(|index| {
            template
                .buttons
                .iter()
                .find(|button| button.index() == index)
        });
        for button in by_index {
            let index = INDEX_TEXT[usize::from(button.index())];
            components.serialize_element(&match button {
                ButtonValue::UrlSuffix { suffix, .. } => Component::Button {
                    sub_type: "url",
                    index,
                    parameters: [Parameter::Text { text: suffix }],
                },
                ButtonValue::Payload { payload, .. } => Component::Button {
                    sub_type: "quick_reply",
                    index,
                    parameters: [Parameter::Payload { payload }],
                },
                ButtonValue::CouponCode { code, .. } => Component::Button {
                    sub_type: "copy_code",
                    index,
                    parameters: [Parameter::CouponCode { coupon_code: code }],
                },
            })?;
        }
        components.end()
    }
}

/// The body's values, each a text parameter.
struct BodyParameters<'a>(TemplateParts<'a>);

impl Serialize for BodyParameters<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let BodyParameters(template) = self;
        serializer.collect_seq(template.params.iter().map(|param| {
            match param.parameter_name.as_deref() {
                Some(parameter_name) => Parameter::NamedText {
                    parameter_name,
                    text: &param.value,
                },
                None => Parameter::Text { text: &param.value },
            }
        }))
    }
}

#[derive(Serialize)]
struct Interactive<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    header: Option<Parameter<'a>>,
    body: TextOnly<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    footer: Option<TextOnly<'a>>,
    action: Action<'a>,
}

#[derive(Serialize)]
struct TextOnly<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Action<'a> {
    Buttons {
        buttons: ReplyButtonList<'a>,
    },
    CtaUrl {
        name: &'static str,
        parameters: CtaParameters<'a>,
    },
}

#[derive(Serialize)]
struct ReplyButtonObject<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    reply: ReplyObject<'a>,
}

#[derive(Serialize)]
struct ReplyObject<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct CtaParameters<'a> {
    display_text: &'a str,
    url: &'a str,
}

/// The reply buttons, written straight from the message.
struct ReplyButtonList<'a>(&'a ReplyButtons);

impl Serialize for ReplyButtonList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ReplyButtonList(message) = self;
        serializer.collect_seq(message.buttons.iter().map(|button| ReplyButtonObject {
            kind: "reply",
            reply: ReplyObject {
                id: &button.id,
                title: &button.title,
            },
        }))
    }
}

/// The `action` of a reply-button message, which v1 sends as a JSON string.
pub(crate) fn reply_action_json(message: &ReplyButtons) -> String {
    let action = Action::Buttons {
        buttons: ReplyButtonList(message),
    };
    serde_json::to_string(&action).unwrap_or_default()
}

fn reply_interactive(message: &ReplyButtons) -> Result<Interactive<'_>, Error> {
    if message.caption.is_some() {
        return Err(Error::unsupported(
            "a caption on an interactive header",
            ApiVersion::V2,
        ));
    }
    Ok(Interactive {
        kind: "button",
        header: message.header.as_ref().map(Parameter::from),
        body: TextOnly {
            text: &message.body,
        },
        footer: message.footer.as_deref().map(|text| TextOnly { text }),
        action: Action::Buttons {
            buttons: ReplyButtonList(message),
        },
    })
}

fn cta_interactive(cta: &CtaUrl) -> Interactive<'_> {
    Interactive {
        kind: "cta_url",
        header: cta.header.as_deref().map(|text| Parameter::Text { text }),
        body: TextOnly { text: &cta.body },
        footer: cta.footer.as_deref().map(|text| TextOnly { text }),
        action: Action::CtaUrl {
            name: "cta_url",
            parameters: CtaParameters {
                display_text: &cta.display_text,
                url: &cta.url,
            },
        },
    }
}

/// `extra_info`: the references, `wa_source`, and `callback_url`.
#[derive(Serialize)]
struct ExtraInfo<'a> {
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    ref0: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ref1: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ref2: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    wa_source: Option<&'static str>,
    // decision: Kaleyra's v2 pages do not say where a per-message callback URL
    // goes; this project sends it in `extra_info` (see the README).
    #[serde(skip_serializing_if = "Option::is_none")]
    callback_url: Option<&'a str>,
}

impl<'a> From<&'a Extras> for ExtraInfo<'a> {
    fn from(extras: &'a Extras) -> Self {
        let [ref0, ref1, ref2] = extras.refs.each_ref().map(Option::as_deref);
        ExtraInfo {
            ref0,
            ref1,
            ref2,
            wa_source: extras.wa_source.map(|source| source.as_str()),
            callback_url: extras.callback_url.as_deref(),
        }
    }
}

impl ExtraInfo<'_> {
    fn is_empty(&self) -> bool {
        self.ref0.is_none()
            && self.ref1.is_none()
            && self.ref2.is_none()
            && self.wa_source.is_none()
            && self.callback_url.is_none()
    }
}
