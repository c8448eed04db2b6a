//! Template messages checked against their approved definitions, and filled
//! in as the customer sees them. v1 and v2 carry the same values in
//! different fields; [`Wire`] names those fields in errors.

use std::collections::BTreeSet;

use kaleyra_definitions::{
    Button, ButtonParameter, ButtonType, HeaderType, ParameterFormat, Sendability,
    TemplateDefinition, TemplateKind, TemplateSet, TemplateStatus, did_you_mean,
    did_you_mean_sentence, placeholder,
    values::{self, Slot},
};

use crate::errors::Problems;
use crate::interactive::media_url_problem;
use crate::message::{
    Content, MessageKind, StoredButton, StoredCard, StoredHeader, StoredOffer, StoredProduct,
    StoredProducts,
};

/// The values a request gives for a template, whichever API carried them.
#[derive(Debug, Clone, Default)]
pub(crate) struct TemplateRequest {
    pub(crate) name: String,
    pub(crate) language: Option<String>,
    pub(crate) params: Vec<String>,
    /// v2: each body parameter's `parameter_name`, in the order of `params`.
    pub(crate) param_names: Vec<Option<String>>,
    pub(crate) header: Option<HeaderValue>,
    /// v2: the header text parameter's `parameter_name`.
    pub(crate) header_param_name: Option<String>,
    pub(crate) buttons: Vec<ButtonValue>,
    /// v1: whether `type` was `mediatemplate`; v2 does not say.
    pub(crate) media: Option<bool>,
    /// v1 `type=authenticationtemplate`: the `verification_code`.
    pub(crate) verification_code: Option<String>,
    /// The products given to a multi-product button, with its index.
    pub(crate) products: Option<(u8, StoredProducts)>,
    /// The limited-time offer's `expiration_time_ms`, when the request gives one.
    pub(crate) expiration_time_ms: Option<u64>,
    /// v2: the flow button's `flow_action_data`, when the request gives it.
    pub(crate) flow_action_data: Option<serde_json::Map<String, serde_json::Value>>,
    /// v2: a carousel's cards, each with its header, body values and
    /// button values.
    pub(crate) cards: Vec<TemplateRequest>,
}

/// The value a request gives for a template's header.
#[derive(Debug, Clone)]
pub(crate) enum HeaderValue {
    /// The value of a text header's `{{1}}`.
    Text(String),
    /// A media URL; v1's `media_url` does not say which kind of media.
    Media {
        kind: Option<HeaderType>,
        url: String,
    },
    /// The product a single-product template's header shows.
    Product(StoredProduct),
    /// A location header's place, its coordinates in range (v2 only).
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
    },
}

/// The value a request gives for one of a template's buttons.
#[derive(Debug, Clone)]
pub(crate) struct ButtonValue {
    /// The button's index; v1's `param_url` names none (it fills the
    /// template's dynamic URL button).
    pub(crate) index: Option<u8>,
    pub(crate) value: ButtonInput,
}

/// What a request gives for a button: what it fills (the shared
/// [`ButtonParameter`]) and the value, as decoded from either API.
#[derive(Debug, Clone)]
pub(crate) struct ButtonInput {
    pub(crate) takes: ButtonParameter,
    pub(crate) value: String,
}

impl ButtonInput {
    pub(crate) fn new(takes: ButtonParameter, value: String) -> ButtonInput {
        ButtonInput { takes, value }
    }
}

/// Which API's field names errors use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wire {
    V1,
    V2,
}

impl Wire {
    fn name(self) -> &'static str {
        match self {
            Wire::V1 => "template_name",
            Wire::V2 => "messaging_object.template.name",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Wire::V1 => "type",
            Wire::V2 => "messaging_object.type",
        }
    }

    fn language(self) -> &'static str {
        match self {
            Wire::V1 => "lang_code",
            Wire::V2 => "messaging_object.template.language.code",
        }
    }

    fn params(self) -> &'static str {
        match self {
            Wire::V1 => "params",
            Wire::V2 => "messaging_object.template.components[body]",
        }
    }

    fn header(self, kind: Option<HeaderType>) -> &'static str {
        match (self, kind) {
            (Wire::V1, Some(HeaderType::Text)) => "param_header",
            (Wire::V1, _) => "media_url",
            (Wire::V2, _) => "messaging_object.template.components[header]",
        }
    }

    fn button(self, index: Option<u8>, parameter: ButtonParameter) -> String {
        match (self, parameter, index) {
            (Wire::V1, ButtonParameter::UrlSuffix, _) => "param_url".to_owned(),
            (Wire::V1, ButtonParameter::CouponCode, _) => "coupon_code".to_owned(),
            // v1 has no flow field; a flow token is named like a payload.
            (Wire::V1, ButtonParameter::Payload | ButtonParameter::FlowToken, Some(index)) => {
                format!("payload{}", index + 1)
            }
            (Wire::V1, ButtonParameter::Payload | ButtonParameter::FlowToken, None) => {
                "payload".to_owned()
            }
            (Wire::V1, ButtonParameter::ProductThumbnail, _) => {
                "thumbnail_product_retailer_id".to_owned()
            }
            (Wire::V1, ButtonParameter::ProductSections, _) => "sections".to_owned(),
            (Wire::V2, _, Some(index)) => {
                format!("messaging_object.template.components[button {index}]")
            }
            (Wire::V2, _, None) => "messaging_object.template.components[button]".to_owned(),
        }
    }

    /// Where a request gives a limited-time offer's expiry.
    fn offer(self) -> &'static str {
        match self {
            Wire::V1 => "limited_time_offer",
            Wire::V2 => "messaging_object.template.components[limited_time_offer]",
        }
    }

    /// How a missing URL suffix is supplied, for error messages.
    fn url_suffix_hint(self) -> &'static str {
        match self {
            Wire::V1 => "send it in `param_url`",
            Wire::V2 => "send a button component (sub_type `url`) with its suffix",
        }
    }
}

/// Checks `request` against its definition in `set` and fills it in; the
/// error names each field at fault and the template.
pub(crate) fn check(
    set: &TemplateSet,
    request: &TemplateRequest,
    wire: Wire,
) -> Result<Content, Problems> {
    let mut problems = Problems::new();
    let Some(definition) = find(set, request, wire, &mut problems) else {
        return Err(problems);
    };
    let name = &definition.name;
    check_sendable(definition, wire, &mut problems);
    let authentication = definition.authentication().is_some();
    let v1_authentication = request.verification_code.is_some();
    if v1_authentication && !authentication {
        problems.add(
            wire.kind(),
            format!("template `{name}` is not an authentication template; send it with type=template or type=mediatemplate"),
        );
    } else if authentication && wire == Wire::V1 && !v1_authentication {
        problems.add(
            wire.kind(),
            format!("template `{name}` is an authentication template; send it with type=authenticationtemplate and the code in `verification_code`"),
        );
    } else if wire == Wire::V1
        && !authentication
        && let Some(problem) = values::v1_button_count_problem(definition.buttons.len())
    {
        // Kaleyra v1 names three buttons; WhatsApp approves up to ten.
        problems.add(
            wire.kind(),
            format!("template `{name}`: {problem} is not available on Kaleyra's v1 API"),
        );
    } else if request.media == Some(false)
        && definition.kind == TemplateKind::MediaTemplate
        // Kaleyra's v1 catalog page sends `type=template`.
        && !definition
            .buttons
            .iter()
            .any(|button| button.button_type() == ButtonType::Catalog)
    {
        problems.add(
            wire.kind(),
            format!("template `{name}` is a media template; send it with type=mediatemplate"),
        );
    }
    // v1's authentication send gives the code once; it fills the body's one
    // placeholder (and the code button).
    let params: Vec<String> = match &request.verification_code {
        Some(code) => vec![code.clone()],
        None => request.params.clone(),
    };
    if v1_authentication {
        if authentication {
            check_code(definition, &params[0], "verification_code", &mut problems);
        }
    } else {
        check_params(
            definition,
            &params,
            &request.param_names,
            wire,
            &mut problems,
        );
        if authentication && let Some(code) = params.first() {
            check_code(definition, code, wire.params(), &mut problems);
        }
    }
    let header = check_header(definition, request, wire, &mut problems);
    let code = authentication.then(|| params.first().cloned()).flatten();
    let mut buttons = check_buttons(definition, request, code.as_deref(), wire, &mut problems);
    check_products(definition, request, wire, &mut buttons, &mut problems);
    crate::offers::check_offer(
        definition,
        request.expiration_time_ms,
        wire.offer(),
        &mut problems,
    );
    crate::offers::check_flow_data(definition, request.flow_action_data.as_ref(), &mut problems);
    let cards = check_cards(definition, request, wire, &mut problems);
    problems.into_result()?;

    let body = match (&definition.body, definition.parameter_format) {
        (Some(body), ParameterFormat::Named) => {
            let named: Vec<(&str, &str)> = request
                .param_names
                .iter()
                .zip(&params)
                .filter_map(|(name, value)| Some((name.as_deref()?, value.as_str())))
                .collect();
            placeholder::fill_named(body, &named)
        }
        (Some(body), ParameterFormat::Positional) => placeholder::fill(body, &params),
        (None, _) => format!("{name}({})", params.join(", ")),
    };
    let kind = match (request.media, definition.kind) {
        (Some(true), _) | (None, TemplateKind::MediaTemplate) => MessageKind::MediaTemplate,
        _ => MessageKind::Template,
    };
    let mut content = Content::new(kind, body);
    content.cards = cards;
    content.template_name = Some(name.clone());
    content.language = request.language.clone().or(definition.language.clone());
    content.header = header;
    content.params = params;
    content.footer = definition.footer.clone();
    content.buttons = buttons;
    content.offer = definition
        .limited_time_offer
        .as_ref()
        .map(|offer| StoredOffer {
            text: offer.text.clone(),
            expiration_time_ms: request.expiration_time_ms,
        });
    Ok(content)
}

/// The definition a request names, in the language it asks for: Meta's
/// `132001` when the template does not exist in that language.
fn find<'a>(
    set: &'a TemplateSet,
    request: &TemplateRequest,
    wire: Wire,
    problems: &mut Problems,
) -> Option<&'a TemplateDefinition> {
    let name = &request.name;
    let languages = set.languages_of(name);
    let approved_in = || {
        let listed: Vec<String> = languages
            .iter()
            .filter_map(|definition| definition.language.as_deref())
            .map(|language| format!("`{language}`"))
            .collect();
        listed.join(", ")
    };
    let definition = match (request.language.as_deref(), languages) {
        (_, []) => {
            let mut message = format!("(#132001) no approved template is named `{name}`");
            if let Some(suggestion) = did_you_mean_sentence(&set.suggest(name)) {
                message.push_str("; ");
                message.push_str(&suggestion);
            }
            problems.add(wire.name(), message);
            return None;
        }
        // A definition that names no language accepts any.
        (_, [only]) if only.language.is_none() => only,
        (Some(sent), _) => {
            let found = languages.iter().find(|definition| {
                definition
                    .language
                    .as_deref()
                    .is_some_and(|language| language.eq_ignore_ascii_case(sent))
            });
            match found {
                Some(definition) => definition,
                None => {
                    problems.add(
                        wire.language(),
                        format!(
                            "(#132001) template `{name}` does not exist in `{sent}`; it is approved in {}",
                            approved_in()
                        ),
                    );
                    return None;
                }
            }
        }
        (None, [only]) => only,
        (None, _) => {
            problems.add(
                wire.language(),
                format!(
                    "template `{name}` is approved in {}; say which language to send",
                    approved_in()
                ),
            );
            return None;
        }
    };
    if !definition.kind.is_approved_template() {
        problems.add(
            wire.name(),
            format!(
                "`{name}` is a `{}` definition, which the library fills in and sends as an interactive message; it is not an approved template",
                definition.kind
            ),
        );
        return None;
    }
    Some(definition)
}

/// Refuses what the account would not send: a template that is not
/// approved (Meta's codes where Meta has one), parts the emulator cannot
/// check, and on v1 what v1 has no documented field for.
fn check_sendable(definition: &TemplateDefinition, wire: Wire, problems: &mut Problems) {
    let name = &definition.name;
    if definition.sendability() != Sendability::Sendable {
        let status = definition
            .status
            .as_ref()
            .map_or("without a status", TemplateStatus::as_str);
        let code = match definition.status {
            Some(TemplateStatus::Paused) => "(#132015) ",
            Some(TemplateStatus::Disabled) => "(#132016) ",
            _ => "",
        };
        problems.add(
            wire.name(),
            format!("{code}template `{name}` is {status} in the account and cannot be sent"),
        );
    }
    if let Some(part) = definition.unsupported.first() {
        problems.add(
            wire.name(),
            format!(
                "template `{name}` has a {} ({}), which the emulator cannot check yet",
                part.what, part.path
            ),
        );
    }
    if wire == Wire::V1 && definition.parameter_format == ParameterFormat::Named {
        problems.add(
            wire.params(),
            format!("template `{name}` has named parameters; v1's `params` is positional and no Kaleyra page documents named parameters on v1, so send it through v2"),
        );
    }
    if wire == Wire::V1
        && definition
            .buttons
            .iter()
            .any(|button| button.button_type() == ButtonType::Flow)
    {
        problems.add(
            wire.name(),
            format!("template `{name}` has a flow button; no Kaleyra page documents flow templates on v1, so send it through v2"),
        );
    }
}

/// A carousel's cards: exactly as many as the template was approved with
/// (WhatsApp answers another number with 132012), each checked as a
/// template of its own (`CarouselCard::as_template`), its problems named at
/// the card. v1 has no carousel (no Kaleyra v1 page documents one).
fn check_cards(
    definition: &TemplateDefinition,
    request: &TemplateRequest,
    wire: Wire,
    problems: &mut Problems,
) -> Vec<StoredCard> {
    let name = &definition.name;
    let approved = definition.card_count();
    if approved > 0 && wire == Wire::V1 {
        problems.add(
            wire.kind(),
            format!("template `{name}` is a carousel; no Kaleyra v1 page documents carousels, so send it through v2"),
        );
        return Vec::new();
    }
    if let Some(problem) = values::card_count_problem(approved, request.cards.len()) {
        problems.add(
            "messaging_object.template.components[carousel]",
            format!("(#132012) the message {problem}"),
        );
        return Vec::new();
    }
    let Some(carousel) = &definition.carousel else {
        return Vec::new();
    };
    let mut stored = Vec::with_capacity(approved);
    for (position, (card, card_request)) in carousel.cards.iter().zip(&request.cards).enumerate() {
        let card_definition = card.as_template(definition);
        let mut found = Problems::new();
        check_params(
            &card_definition,
            &card_request.params,
            &card_request.param_names,
            wire,
            &mut found,
        );
        let header = check_header(&card_definition, card_request, wire, &mut found);
        let buttons = check_buttons(&card_definition, card_request, None, wire, &mut found);
        let at =
            format!("messaging_object.template.components[carousel].cards[{position}].components[");
        for (field, message) in found.iter() {
            let field = field.replace("messaging_object.template.components[", &at);
            problems.add(field, format!("card {position}: {message}"));
        }
        stored.push(StoredCard {
            header,
            body: card
                .body
                .as_deref()
                .map(|body| placeholder::fill(body, &card_request.params)),
            buttons,
        });
    }
    stored
}

/// An authentication template's code: at most 15 characters, a valid parameter.
fn check_code(definition: &TemplateDefinition, code: &str, field: &str, problems: &mut Problems) {
    if let Some(problem) = values::value_problem(Slot::Code, code) {
        problems.add(
            field,
            format!(
                "the code of authentication template `{}` {problem} ({})",
                definition.name,
                Slot::Code
            ),
        );
    }
}

fn check_params(
    definition: &TemplateDefinition,
    params: &[String],
    names: &[Option<String>],
    wire: Wire,
    problems: &mut Problems,
) {
    let name = &definition.name;
    let given_names: Vec<Option<&str>> = (0..params.len())
        .map(|position| names.get(position).and_then(Option::as_deref))
        .collect();
    if definition.parameter_format == ParameterFormat::Named {
        if wire == Wire::V2 {
            check_named_params(definition, params, &given_names, problems);
        }
        return;
    }
    if given_names.iter().any(Option::is_some) {
        problems.add(
            wire.params(),
            format!("template `{name}` has numbered placeholders; leave `parameter_name` out"),
        );
        return;
    }
    let expected = definition.param_count();
    if params.len() != expected {
        problems.add(
            wire.params(),
            format!(
                "template `{name}` takes {expected} parameter(s) ({}), got {}",
                placeholders(expected),
                params.len()
            ),
        );
        return;
    }
    for (position, value) in params.iter().enumerate() {
        let slot = Slot::Body {
            position,
            name: None,
        };
        if let Some(problem) = values::value_problem(slot, value) {
            problems.add(
                wire.params(),
                format!(
                    "parameter {} of template `{name}` {problem} ({slot})",
                    position + 1
                ),
            );
            return;
        }
    }
    check_filled_body(
        definition,
        params.iter().map(|value| (None, value.as_str())),
        wire,
        problems,
    );
}

/// The body with every value filled in, as WhatsApp counts it.
fn check_filled_body<'v>(
    definition: &TemplateDefinition,
    filled: impl Iterator<Item = (Option<&'v str>, &'v str)> + Clone,
    wire: Wire,
    problems: &mut Problems,
) {
    let Some(body) = definition.body.as_deref() else {
        return;
    };
    let named = definition.parameter_format == ParameterFormat::Named;
    if let Some(problem) = values::filled_body_problem(body, named, filled) {
        problems.add(
            wire.params(),
            format!(
                "template `{}`: {problem} ({})",
                definition.name,
                Slot::FilledBody
            ),
        );
    }
}

/// v2 body parameters of a template with named placeholders: each carries
/// its `parameter_name`, every name once, no name the template lacks.
fn check_named_params(
    definition: &TemplateDefinition,
    params: &[String],
    names: &[Option<&str>],
    problems: &mut Problems,
) {
    let field = Wire::V2.params();
    let name = &definition.name;
    let expected = definition.body_parameter_names();
    let listed = expected
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut seen = BTreeSet::new();
    for (position, (given, value)) in names.iter().zip(params).enumerate() {
        let Some(given) = given else {
            problems.add(
                field,
                format!("parameter {} has no `parameter_name`; template `{name}` has named parameters ({listed})", position + 1),
            );
            return;
        };
        if !expected.contains(given) {
            let mut message =
                format!("`{given}` is not a parameter of template `{name}`, which has {listed}");
            if let Some(suggestion) =
                did_you_mean_sentence(&did_you_mean(given, expected.iter().copied()))
            {
                message.push_str("; ");
                message.push_str(&suggestion);
            }
            problems.add(field, message);
            return;
        }
        if !seen.insert(*given) {
            problems.add(field, format!("parameter `{given}` is given twice"));
            return;
        }
        let slot = Slot::Body {
            position,
            name: Some(given),
        };
        if let Some(problem) = values::value_problem(slot, value) {
            problems.add(
                field,
                format!("parameter `{given}` of template `{name}` {problem} ({slot})"),
            );
            return;
        }
    }
    let missing: Vec<String> = expected
        .iter()
        .filter(|name| !seen.contains(*name))
        .map(|name| format!("`{name}`"))
        .collect();
    if !missing.is_empty() {
        problems.add(
            field,
            format!(
                "(#132000) template `{name}` takes {listed}; missing {}",
                missing.join(", ")
            ),
        );
        return;
    }
    let filled = names
        .iter()
        .zip(params)
        .map(|(given, value)| (*given, value.as_str()));
    check_filled_body(definition, filled, Wire::V2, problems);
}

fn placeholders(count: usize) -> String {
    match count {
        0 => "none".to_owned(),
        1 => "{{1}}".to_owned(),
        n => format!("{{{{1}}}}..{{{{{n}}}}}"),
    }
}

fn check_header(
    definition: &TemplateDefinition,
    request: &TemplateRequest,
    wire: Wire,
    problems: &mut Problems,
) -> Option<StoredHeader> {
    let value = request.header.as_ref();
    let name = &definition.name;
    if let Some(expected) = definition.header_parameter_name()
        && value.is_some()
        && request.header_param_name.as_deref() != Some(expected)
    {
        let given = request
            .header_param_name
            .as_deref()
            .map_or("no `parameter_name`".to_owned(), |given| {
                format!("`{given}`")
            });
        problems.add(
            wire.header(Some(HeaderType::Text)),
            format!("the header parameter of template `{name}` is `{expected}`, but the request gives {given}"),
        );
        return None;
    }
    let sent_kind = value.map(|value| match value {
        HeaderValue::Text(_) => Some(HeaderType::Text),
        HeaderValue::Media { kind, .. } => *kind,
        HeaderValue::Product(_) => Some(HeaderType::Product),
        HeaderValue::Location { .. } => Some(HeaderType::Location),
    });
    let Some(header) = &definition.header else {
        if value.is_some() {
            problems.add(
                wire.header(sent_kind.flatten()),
                format!("template `{name}` has no header; leave the header value out"),
            );
        }
        return None;
    };
    let field = wire.header(Some(header.kind));
    match (header.kind, value) {
        (HeaderType::Text, None) if header.takes_value() => {
            problems.add(
                field,
                format!(
                    "template `{name}` has a header text with {{{{1}}}}; its value is required"
                ),
            );
            None
        }
        (HeaderType::Text, None) => header.text.clone().map(StoredHeader::text),
        (HeaderType::Text, Some(HeaderValue::Text(text))) if header.takes_value() => {
            let template_text = header.text.as_deref().unwrap_or_default();
            let problem = values::value_problem(Slot::Header, text)
                .or_else(|| values::filled_header_problem(template_text, text));
            match problem {
                Some(problem) => {
                    problems.add(
                        field,
                        format!(
                            "the header value of template `{name}` {problem} ({})",
                            Slot::Header
                        ),
                    );
                    None
                }
                None => Some(StoredHeader::text(placeholder::fill(
                    template_text,
                    &[text],
                ))),
            }
        }
        (HeaderType::Product, Some(HeaderValue::Product(product))) => {
            match header_product_problem(product) {
                Some((slot, problem)) => {
                    problems.add(
                        field,
                        format!("the header product of template `{name}` {problem} ({slot})"),
                    );
                    None
                }
                None => Some(StoredHeader::product(product.clone())),
            }
        }
        (HeaderType::Product, _) => {
            problems.add(
                field,
                format!("template `{name}` has a product header; give its product as {{\"type\": \"product\", \"product\": {{\"product_retailer_id\", \"catalog_id\"}}}}"),
            );
            None
        }
        (kind, Some(HeaderValue::Product(_))) => {
            problems.add(
                field,
                format!(
                    "template `{name}` has a {} header, not a product header",
                    kind.as_str()
                ),
            );
            None
        }
        (HeaderType::Text, Some(_)) => {
            let why = if header.takes_value() {
                "its value is text, not media"
            } else {
                "its text is fixed and takes no value"
            };
            problems.add(
                wire.header(sent_kind.flatten()),
                format!("template `{name}` has a text header; {why}"),
            );
            None
        }
        (HeaderType::Location, None) => {
            let v1 = if wire == Wire::V1 {
                " (no Kaleyra v1 page documents a field for it; send it through v2)"
            } else {
                ""
            };
            problems.add(
                field,
                format!("template `{name}` has a location header; its latitude and longitude are required{v1}"),
            );
            None
        }
        (
            HeaderType::Location,
            Some(HeaderValue::Location {
                latitude,
                longitude,
                name: place,
                address,
            }),
        ) => Some(StoredHeader::location(
            *latitude,
            *longitude,
            place.as_deref(),
            address.as_deref(),
        )),
        (HeaderType::Location, Some(_)) => {
            problems.add(
                field,
                format!("template `{name}` has a location header; give its place (`type: location`), not text or media"),
            );
            None
        }
        (kind, Some(HeaderValue::Location { .. })) => {
            problems.add(
                field,
                format!(
                    "template `{name}` has a {} header, not a location header",
                    kind.as_str()
                ),
            );
            None
        }
        (kind, None) => {
            problems.add(
                field,
                format!(
                    "template `{name}` has a {} header; its media URL is required",
                    kind.as_str()
                ),
            );
            None
        }
        (kind, Some(HeaderValue::Media { kind: sent, url })) => {
            if let Some(sent) = sent
                && *sent != kind
            {
                problems.add(
                    field,
                    format!(
                        "template `{name}` has a {} header, not {}",
                        kind.as_str(),
                        sent.as_str()
                    ),
                );
                return None;
            }
            match media_url_problem(kind, url) {
                Some(problem) => {
                    problems.add(field, format!("template `{name}`: {problem}"));
                    None
                }
                None => Some(StoredHeader::media(kind, url.clone())),
            }
        }
        (kind, Some(HeaderValue::Text(_))) => {
            problems.add(
                field,
                format!(
                    "template `{name}` has a {} header; give its media URL, not text",
                    kind.as_str()
                ),
            );
            None
        }
    }
}

fn describe(button: &Button) -> String {
    match button.label() {
        Some(label) => format!("button {} ({label})", button.index),
        None => format!("button {}", button.index),
    }
}

fn check_buttons(
    definition: &TemplateDefinition,
    request: &TemplateRequest,
    code: Option<&str>,
    wire: Wire,
    problems: &mut Problems,
) -> Vec<StoredButton> {
    let values = &request.buttons;
    let name = &definition.name;
    let authentication = definition.authentication();
    let mut given: Vec<(u8, &ButtonInput)> = Vec::new();
    let mut seen = BTreeSet::new();
    for value in values {
        // v2 names buttons by index, v1 a coupon like a payload.
        let parameter = value.value.takes;
        let field = wire.button(value.index, parameter);
        let catalog = || {
            definition
                .buttons
                .iter()
                .find(|button| button.button_type() == ButtonType::Catalog)
        };
        let index = match value.index {
            Some(index) => index,
            // v1's `thumbnail_product_retailer_id` names no index.
            None if parameter == ButtonParameter::ProductThumbnail => match catalog() {
                Some(button) => button.index,
                None => {
                    problems.add(field, format!("template `{name}` has no catalog button"));
                    continue;
                }
            },
            // v1's `coupon_code` names no index: it fills the copy-code button.
            None if parameter == ButtonParameter::CouponCode => {
                match definition.coupon_buttons().as_slice() {
                    [button] => button.index,
                    buttons => {
                        problems.add(
                            field,
                            format!(
                                "template `{name}` has {} copy-code buttons, and v1 carries one `coupon_code`",
                                buttons.len()
                            ),
                        );
                        continue;
                    }
                }
            }
            None => match dynamic_url_buttons(definition).as_slice() {
                [button] => button.index,
                [] => {
                    problems.add(
                        field,
                        format!("template `{name}` has no button with a dynamic URL"),
                    );
                    continue;
                }
                several => {
                    problems.add(
                        field,
                        format!(
                            "template `{name}` has {} buttons with a dynamic URL, and v1 carries one `param_url`; send it through v2",
                            several.len()
                        ),
                    );
                    continue;
                }
            },
        };
        let Some(button) = definition.button(index) else {
            problems.add(
                field,
                format!("template `{name}` has no button at index {index}"),
            );
            continue;
        };
        if button.takes_code() {
            check_code_button(definition, button, &value.value, code, &field, problems);
            if !seen.insert(index) {
                problems.add(
                    field,
                    format!(
                        "{} of template `{name}` is given two values",
                        describe(button)
                    ),
                );
            } else {
                given.push((index, &value.value));
            }
            continue;
        }
        if value.value.takes == ButtonParameter::CouponCode {
            problems.add(
                field,
                format!(
                    "{} of template `{name}` is a {} button, not a copy-code button; it takes no coupon code",
                    describe(button),
                    button.button_type().as_str()
                ),
            );
            continue;
        }
        match button.parameter() {
            None => {
                let why = if button.url.is_some() {
                    "has a fixed URL"
                } else {
                    "is a button"
                };
                problems.add(
                    field,
                    format!(
                        "{} of template `{name}` {why} of type {} and takes no value",
                        describe(button),
                        button.button_type().as_str()
                    ),
                );
                continue;
            }
            Some(expected) if expected != parameter => {
                let article = |parameter: ButtonParameter| match parameter {
                    ButtonParameter::UrlSuffix => "a URL suffix",
                    ButtonParameter::Payload => "a payload",
                    ButtonParameter::CouponCode => "a coupon code",
                    ButtonParameter::ProductThumbnail => "a thumbnail product",
                    ButtonParameter::ProductSections => "products",
                    ButtonParameter::FlowToken => "a flow token",
                };
                let (wanted, got) = (article(expected), article(parameter));
                problems.add(
                    field,
                    format!(
                        "{} of template `{name}` is a {} button; it takes {wanted}, not {got}",
                        describe(button),
                        button.button_type().as_str()
                    ),
                );
                continue;
            }
            Some(_) => {}
        }
        if !seen.insert(index) {
            problems.add(
                field,
                format!(
                    "{} of template `{name}` is given two values",
                    describe(button)
                ),
            );
            continue;
        }
        let slot = Slot::Button {
            index,
            takes: value.value.takes,
        };
        let given_value = value.value.value.as_str();
        let problem = values::value_problem(slot, given_value).or_else(|| {
            let url = button.url.as_deref()?;
            let fills_url = value.value.takes == ButtonParameter::UrlSuffix;
            fills_url.then(|| values::filled_url_problem(url, given_value))?
        });
        let problem = problem.map(|problem| match value.value.takes {
            ButtonParameter::UrlSuffix => format!("the URL suffix {problem} ({slot})"),
            ButtonParameter::Payload => format!("the payload {problem} ({slot})"),
            // A coupon goes to a copy-code button, checked above.
            ButtonParameter::CouponCode => format!("the coupon code {problem} ({slot})"),
            ButtonParameter::ProductThumbnail => {
                format!("the thumbnail product {problem} ({slot})")
            }
            ButtonParameter::ProductSections => format!("the products {problem} ({slot})"),
            ButtonParameter::FlowToken => format!("the flow token {problem} ({slot})"),
        });
        if let Some(problem) = problem {
            problems.add(
                field,
                format!("{} of template `{name}`: {problem}", describe(button)),
            );
            continue;
        }
        given.push((index, &value.value));
    }
    // v2 sends the code of an authentication template again as its button's
    // parameter; v1's `verification_code` covers both.
    let v1_authentication = request.verification_code.is_some();
    for button in definition
        .buttons
        .iter()
        .filter(|button| button.takes_code())
    {
        let is_code_button = authentication.is_some_and(|a| a.button_index == button.index);
        let needed = (is_code_button && !v1_authentication)
            || (!is_code_button && button.button_type() == ButtonType::CopyCode);
        if needed && !given.iter().any(|(index, _)| *index == button.index) {
            let what = if is_code_button {
                "the code, as a `url` button parameter"
            } else {
                "a coupon code (sub_type `copy_code`)"
            };
            let takes = if is_code_button {
                ButtonParameter::UrlSuffix
            } else {
                ButtonParameter::CouponCode
            };
            problems.add(
                wire.button(Some(button.index), takes),
                format!("{} of template `{name}` needs {what}", describe(button)),
            );
        }
    }
    for button in definition
        .buttons
        .iter()
        .filter(|button| button.button_type() == ButtonType::Flow)
    {
        if !given.iter().any(|(index, _)| *index == button.index) {
            problems.add(
                wire.button(Some(button.index), ButtonParameter::FlowToken),
                format!(
                    "{} of template `{name}` is a flow button; its flow token is required (sub_type `flow`, {{\"type\": \"action\", \"action\": {{\"flow_token\": ...}}}})",
                    describe(button)
                ),
            );
        }
    }
    for button in dynamic_url_buttons(definition) {
        let answered = values.iter().any(|value| {
            value.value.takes == ButtonParameter::UrlSuffix
                && value.index.is_none_or(|index| index == button.index)
        });
        if !answered {
            problems.add(
                wire.button(Some(button.index), ButtonParameter::UrlSuffix),
                format!(
                    "{} of template `{name}` has a dynamic URL ({}); its suffix is required: {}",
                    describe(button),
                    button.url.as_deref().unwrap_or_default(),
                    wire.url_suffix_hint()
                ),
            );
        }
    }

    let mut buttons: Vec<&Button> = definition.buttons.iter().collect();
    buttons.sort_by_key(|button| button.index);
    buttons
        .into_iter()
        .map(|button| {
            let input = given
                .iter()
                .find(|(index, _)| *index == button.index)
                .map(|(_, input)| *input);
            let (suffix, payload) = match input.map(|input| (input.takes, &input.value)) {
                Some((ButtonParameter::UrlSuffix, _)) if button.takes_code() => (None, None),
                Some((ButtonParameter::UrlSuffix, suffix)) => (Some(suffix.as_str()), None),
                Some((ButtonParameter::Payload, payload)) => (None, Some(payload.clone())),
                Some((
                    ButtonParameter::CouponCode
                    | ButtonParameter::FlowToken
                    | ButtonParameter::ProductThumbnail
                    | ButtonParameter::ProductSections,
                    _,
                ))
                | None => (None, None),
            };
            let thumbnail_product = input
                .filter(|input| input.takes == ButtonParameter::ProductThumbnail)
                .map(|input| input.value.clone());
            let code = input
                .filter(|input| {
                    matches!(
                        input.takes,
                        ButtonParameter::CouponCode | ButtonParameter::FlowToken
                    )
                })
                .map(|input| input.value.clone());
            let url = button.url.as_deref().map(|url| match suffix {
                Some(suffix) => placeholder::fill(url, &[suffix]),
                None => url.to_owned(),
            });
            StoredButton {
                index: button.index,
                kind: button.button_type(),
                text: button.label().unwrap_or_default().to_owned(),
                url,
                payload,
                id: button.id.clone(),
                phone_number: button.phone_number.clone(),
                thumbnail_product,
                products: None,
                code,
            }
        })
        .collect()
}

/// A catalog button needs its thumbnail product, and a multi-product button
/// its products, within WhatsApp's limits; the products are kept on the
/// stored button.
fn check_products(
    definition: &TemplateDefinition,
    request: &TemplateRequest,
    wire: Wire,
    buttons: &mut [StoredButton],
    problems: &mut Problems,
) {
    let name = &definition.name;
    for button in &definition.buttons {
        let given = request.buttons.iter().any(|value| {
            value.index.is_none_or(|index| index == button.index)
                && value.value.takes == ButtonParameter::ProductThumbnail
        });
        if button.button_type() == ButtonType::Catalog && !given {
            problems.add(
                wire.button(Some(button.index), ButtonParameter::ProductThumbnail),
                format!("{} of template `{name}` needs its thumbnail product (sub_type `CATALOG`, an `action` with `thumbnail_product_retailer_id`)", describe(button)),
            );
        }
    }
    let multi_product = definition
        .buttons
        .iter()
        .find(|button| button.button_type() == ButtonType::MultiProduct);
    match (&request.products, multi_product) {
        (None, None) => {}
        (None, Some(button)) => problems.add(
            wire.button(Some(button.index), ButtonParameter::ProductSections),
            format!("{} of template `{name}` needs its products (sub_type `mpm`, an `action` with `thumbnail_product_retailer_id` and `sections`)", describe(button)),
        ),
        (Some((index, _)), button) if button.is_none_or(|button| button.index != *index) => {
            problems.add(
                wire.button(Some(*index), ButtonParameter::ProductSections),
                format!("template `{name}` has no multi-product button at index {index}"),
            );
        }
        (Some((index, products)), _) => {
            match products_problem(products) {
                Some(problem) => problems.add(
                    wire.button(Some(*index), ButtonParameter::ProductSections),
                    format!("the products of template `{name}`: {problem}"),
                ),
                None => {
                    if let Some(stored) = buttons.iter_mut().find(|stored| stored.index == *index) {
                        stored.products = Some(products.clone());
                    }
                }
            }
        }
    }
}

/// The value of a code button: on an authentication template, the code
/// again as a `url` parameter; on a copy-code button, a coupon.
fn check_code_button(
    definition: &TemplateDefinition,
    button: &Button,
    input: &ButtonInput,
    code: Option<&str>,
    field: &str,
    problems: &mut Problems,
) {
    let name = &definition.name;
    let authentication = definition
        .authentication()
        .is_some_and(|a| a.button_index == button.index);
    match (authentication, input.takes) {
        (true, ButtonParameter::UrlSuffix) => {
            let given = &input.value;
            if code.is_some_and(|code| code != given) {
                problems.add(
                    field,
                    format!("{} of template `{name}` takes the same code as the body", describe(button)),
                );
            }
        }
        (true, _) => problems.add(
            field,
            format!("{} of template `{name}` is the code button of an authentication template; send the code as {{\"type\": \"text\", \"text\": CODE}} with sub_type `url`", describe(button)),
        ),
        (false, ButtonParameter::CouponCode) => {
            let slot = Slot::Button {
                index: button.index,
                takes: ButtonParameter::CouponCode,
            };
            if let Some(problem) = values::value_problem(slot, &input.value) {
                problems.add(
                    field,
                    format!("the coupon code of {} of template `{name}` {problem} ({slot})", describe(button)),
                );
            }
        }
        (false, _) => problems.add(
            field,
            format!("{} of template `{name}` is a copy-code button; it takes a coupon code (sub_type `copy_code`, {{\"type\": \"coupon_code\", \"coupon_code\": ...}})", describe(button)),
        ),
    }
}

fn dynamic_url_buttons(definition: &TemplateDefinition) -> Vec<&Button> {
    definition
        .buttons
        .iter()
        .filter(|button| button.parameter() == Some(ButtonParameter::UrlSuffix))
        .collect()
}

/// Why a header product cannot be sent, if it cannot, with the slot.
pub(crate) fn header_product_problem(product: &StoredProduct) -> Option<(Slot<'static>, String)> {
    [
        (Slot::HeaderProduct, &product.product_retailer_id),
        (Slot::HeaderCatalog, &product.catalog_id),
    ]
    .into_iter()
    .find_map(|(slot, value)| Some((slot, values::value_problem(slot, value)?)))
}

/// Why a multi-product button's products cannot be sent, if they cannot:
/// the definitions' rule, with the slot it names.
pub(crate) fn products_problem(products: &StoredProducts) -> Option<String> {
    let sections = products.sections.iter().map(|section| {
        (
            section.title.as_str(),
            section.product_retailer_ids.as_slice(),
        )
    });
    kaleyra_definitions::products::multi_product_problem(&products.thumbnail, sections)
        .map(|(slot, problem)| format!("{problem} ({slot})"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn set() -> TemplateSet {
        let imt = TemplateDefinition::from_slice(
            br#"{
                "name": "imt_dynamic",
                "kind": "mediatemplate",
                "language": "en",
                "header": { "type": "document" },
                "body": "Hi {{1}} {{2}}, your ticket is attached.",
                "footer": "Reply STOP to opt out",
                "buttons": [
                    { "index": 0, "type": "quick_reply", "text": "Confirm" },
                    { "index": 1, "type": "url", "text": "Login", "url": "https://example.com/login/{{1}}" }
                ]
            }"#,
            Path::new("imt_dynamic.json"),
        )
        .unwrap();
        let counted = TemplateDefinition::from_slice(
            br#"{ "name": "counted", "kind": "template", "params": 2 }"#,
            Path::new("counted.json"),
        )
        .unwrap();
        TemplateSet::from_definitions([imt, counted])
    }

    fn imt_request() -> TemplateRequest {
        TemplateRequest {
            name: "imt_dynamic".to_owned(),
            params: vec!["John".to_owned(), "Doe".to_owned()],
            header: Some(HeaderValue::Media {
                kind: None,
                url: "https://example.com/t.pdf".to_owned(),
            }),
            buttons: vec![
                ButtonValue {
                    index: None,
                    value: ButtonInput::new(ButtonParameter::UrlSuffix, "abc".to_owned()),
                },
                ButtonValue {
                    index: Some(0),
                    value: ButtonInput::new(ButtonParameter::Payload, "yes".to_owned()),
                },
            ],
            media: Some(true),
            ..TemplateRequest::default()
        }
    }

    #[test]
    fn a_complete_request_is_filled_in_from_the_definition() {
        let content = check(&set(), &imt_request(), Wire::V1).unwrap();
        assert_eq!(content.body, "Hi John Doe, your ticket is attached.");
        assert_eq!(content.footer.as_deref(), Some("Reply STOP to opt out"));
        assert_eq!(content.language.as_deref(), Some("en"));
        assert_eq!(
            content.header.unwrap().url.as_deref(),
            Some("https://example.com/t.pdf")
        );
        assert_eq!(content.buttons[0].payload.as_deref(), Some("yes"));
        assert_eq!(
            content.buttons[1].url.as_deref(),
            Some("https://example.com/login/abc")
        );
    }

    #[test]
    fn a_definition_without_body_shows_the_values() {
        let request = TemplateRequest {
            name: "counted".to_owned(),
            params: vec!["John".to_owned(), "Doe".to_owned()],
            ..TemplateRequest::default()
        };
        let content = check(&set(), &request, Wire::V1).unwrap();
        assert_eq!(content.body, "counted(John, Doe)");
    }

    #[test]
    fn a_missing_dynamic_url_suffix_names_the_button_and_template() {
        let mut request = imt_request();
        request.buttons.remove(0);
        let problems = check(&set(), &request, Wire::V1).unwrap_err();
        let (field, message) = problems.iter().next().unwrap();
        assert_eq!(field, "param_url");
        assert!(message.contains("button 1 (Login)"), "{message}");
        assert!(message.contains("`imt_dynamic`"), "{message}");
    }

    #[test]
    fn a_payload_for_a_missing_button_index_is_refused() {
        let mut request = imt_request();
        request.buttons[1].index = Some(2);
        let problems = check(&set(), &request, Wire::V1).unwrap_err();
        let (field, message) = problems.iter().next().unwrap();
        assert_eq!(field, "payload3");
        assert!(message.contains("no button at index 2"), "{message}");
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        let request = TemplateRequest {
            name: "imt_dynamc".to_owned(),
            ..TemplateRequest::default()
        };
        let problems = check(&set(), &request, Wire::V2).unwrap_err();
        let (field, message) = problems.iter().next().unwrap();
        assert_eq!(field, "messaging_object.template.name");
        assert!(message.contains("did you mean `imt_dynamic`"), "{message}");
    }
}
