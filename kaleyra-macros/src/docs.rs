//! The rustdoc written for each derived struct, shown on its page: the
//! message as the customer's phone shows it, which field fills each of
//! Kaleyra's numbered placeholders, and how to send it.

use kaleyra_definitions::{
    Button, ButtonParameter, ButtonType, Carousel, HeaderType, LimitedTimeOffer, OtpType,
    Sendability, TemplateDefinition, TemplateStatus, placeholder,
};

use crate::attr::{Container, Field, Role, is_text};
use crate::check::{Plan, holds_media};
use crate::locate::Located;

/// What the page is written from.
pub(crate) struct Page<'a> {
    pub(crate) container: &'a Container<'a>,
    pub(crate) located: &'a Located,
    pub(crate) plan: &'a Plan<'a>,
}

impl Page<'_> {
    /// The definition the page shows (the first language of several).
    fn definition(&self) -> &TemplateDefinition {
        &self.located.definition
    }
}

/// Markdown (with an inline HTML preview) describing the template and which
/// field fills what.
pub(crate) fn render(page: &Page<'_>) -> String {
    let mut doc = intro(page);
    doc.push_str("**Preview**, with each value shown as the field that fills it:\n\n");
    doc.push_str(&preview(page));
    doc.push_str("\n\n");
    doc.push_str(&placeholder_map(page));
    doc.push_str(&example(page));
    doc
}

fn intro(page: &Page<'_>) -> String {
    let definition = page.definition();
    let located = page.located;
    let what = if definition.kind.is_approved_template() {
        "the approved WhatsApp template"
    } else {
        "the interactive WhatsApp message"
    };
    // An authentication template is its own kind of message on v1.
    let mut facts = vec![match definition.authentication() {
        Some(_) => "kind `authenticationtemplate`".to_owned(),
        None => format!("kind `{}`", definition.kind),
    }];
    if let Some(category) = definition.category {
        facts.push(format!("category `{}`", category.as_str()));
    }
    if let Some(authentication) = definition.authentication() {
        if let Some(otp) = authentication.otp_type {
            facts.push(format!("`{}` code button", otp.as_str()));
        }
        if let Some(app) = definition
            .code_button()
            .and_then(|button| button.otp_app.as_ref())
        {
            facts.push(format!("for the Android app `{}`", app.package_name));
        }
        if let Some(minutes) = authentication.code_expiration_minutes {
            facts.push(format!("the code expires in {minutes} minutes"));
        }
    }
    if page.plan.named {
        facts.push("named placeholders".to_owned());
    }
    let mut intro = if located.has_several_languages() {
        format!(
            "Sends {what} `{}` ({}) in the language its `#[kaleyra(language)]` field chooses:\n\n",
            definition.name,
            facts.join(", ")
        )
    } else {
        if let Some(language) = &definition.language {
            facts.insert(1, format!("language `{language}`"));
        }
        if let Some(status) = &definition.status {
            facts.push(format!("status `{status}`"));
        }
        format!(
            "Sends {what} `{}`, defined in `{}` ({}).\n\n",
            definition.name,
            located.shown,
            facts.join(", ")
        )
    };
    if located.has_several_languages() {
        intro.push_str("| language | status | file |\n|---|---|---|\n");
        for file in &located.languages {
            intro.push_str(&format!(
                "| `{}` | {} | `{}` |\n",
                file.definition.language.as_deref().unwrap_or_default(),
                file.definition
                    .status
                    .as_ref()
                    .map_or_else(|| "not given".to_owned(), |status| format!("`{status}`")),
                file.shown
            ));
        }
        intro.push('\n');
    }
    intro.push_str(&status_note(located));
    intro
}

/// What a status other than `APPROVED` means for sending, for each language
/// that has one.
fn status_note(located: &Located) -> String {
    let mut notes = String::new();
    for file in &located.languages {
        let definition = &file.definition;
        let language = if located.has_several_languages() {
            format!(
                " in `{}`",
                definition.language.as_deref().unwrap_or_default()
            )
        } else {
            String::new()
        };
        let note = match (definition.sendability(), &definition.status) {
            // Meta's create shape: read as PENDING by the definitions.
            (Sendability::NotNow, Some(TemplateStatus::Pending))
                if definition.template_id.is_none() =>
            {
                format!(
                    "**Not submitted yet**: `{}` is in Meta's create shape (no `id` or `status`), so the template{language} reads as `PENDING`. Submit it with `kaleyra templates push`; once it is approved, `kaleyra templates pull` writes the approved object, and the struct needs no change.\n\n",
                    file.shown
                )
            }
            (Sendability::NotNow, Some(status)) => format!(
                "**Not sendable now**: the template{language} is `{status}` in the account. Kaleyra refuses its sends until it is approved (or its pause ends); the struct needs no change when it is.\n\n"
            ),
            (Sendability::Unknown, Some(status)) => format!(
                "**Status unknown to this library**: the template{language} is `{status}` in the account. Sends fail if the account does not allow it.\n\n"
            ),
            (Sendability::Unknown, None) => format!(
                "**No status on file**: `{}` does not say whether the template{language} is approved. Sends fail if it is not.\n\n",
                file.shown
            ),
            _ => continue,
        };
        notes.push_str(&note);
    }
    notes
}

/// The colours and shapes of the emulator's inbox, inline, so the preview
/// renders in `cargo doc` with no stylesheet or script.
mod style {
    pub(super) const CHAT: &str = "background:#efeae2;padding:12px;border-radius:8px;margin-bottom:12px;max-width:28rem;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111b21";
    pub(super) const MESSAGE: &str =
        "display:flex;flex-direction:column;gap:2px;max-width:24rem;margin-left:auto";
    pub(super) const BUBBLE: &str = "background:#d9fdd3;border-radius:7.5px 0 7.5px 7.5px;padding:6px 9px 5px;box-shadow:0 1px 0.5px rgba(11,20,26,.13)";
    pub(super) const HEADER_TEXT: &str = "font-weight:700;margin-bottom:4px";
    pub(super) const CAROUSEL: &str = "display:flex;gap:6px;overflow-x:auto;margin-top:4px";
    pub(super) const CARD: &str = "flex:0 0 11rem;background:#fff;border-radius:7.5px;padding:6px;box-shadow:0 1px 0.5px rgba(11,20,26,.13)";
    pub(super) const MEDIA: &str = "display:flex;flex-direction:column;background:rgba(0,0,0,.06);border-left:4px solid #008069;border-radius:6px;padding:8px;margin-bottom:6px;font-size:.8rem";
    pub(super) const MEDIA_TYPE: &str = "text-transform:uppercase;color:#667781;font-size:.7rem";
    pub(super) const BODY: &str = "overflow-wrap:anywhere;font-size:.95rem;line-height:1.35";
    pub(super) const FOOTER: &str = "color:#667781;font-size:.8rem;margin-top:4px";
    pub(super) const BUTTON: &str = "background:#fff;border-radius:7.5px;padding:8px;text-align:center;color:#027eb5;box-shadow:0 1px 0.5px rgba(11,20,26,.13);font-size:.9rem";
    pub(super) const BUTTON_DETAIL: &str = "color:#667781;font-size:.7rem;overflow-wrap:anywhere";
    pub(super) const FIELD: &str =
        "background:#fff3b0;color:#111b21;border-radius:3px;padding:0 3px;font-family:monospace";
}

/// A field's name, highlighted where its value goes.
fn field_html(field: &Field<'_>) -> String {
    format!(
        "<span style=\"{}\" title=\"field `{}`\">{}</span>",
        style::FIELD,
        field.ident,
        field.ident
    )
}

/// Template text as HTML, with placeholder `{{n}}` shown as `fields[n - 1]`.
fn text_html(text: &str, fields: &[&Field<'_>]) -> String {
    let escaped = html_escape::encode_text(text).replace('\n', "<br>");
    let values: Vec<String> = fields.iter().map(|field| field_html(field)).collect();
    placeholder::fill(&escaped, &values)
}

/// Template text as HTML, with each named placeholder `{{name}}` shown as
/// the field that fills it.
fn named_text_html(text: &str, fields: &[(String, &Field<'_>)]) -> String {
    let escaped = html_escape::encode_text(text).replace('\n', "<br>");
    let values: Vec<(&str, String)> = fields
        .iter()
        .map(|(name, field)| (name.as_str(), field_html(field)))
        .collect();
    placeholder::fill_named(&escaped, &values)
}

/// The body's text as HTML, with its placeholders (numbered or named, or
/// an authentication template's code) shown as fields.
fn body_html(page: &Page<'_>, body: &str) -> String {
    let plan = page.plan;
    if let Some((field, _)) = plan.code {
        return text_html(body, &[field]);
    }
    if plan.named {
        let fields: Vec<(String, &Field<'_>)> = plan
            .body
            .iter()
            .map(|field| (field.parameter_name(), *field))
            .collect();
        return named_text_html(body, &fields);
    }
    text_html(body, &plan.body)
}

/// A limited-time offer as the phone shows it: its text, and the countdown
/// to the expiry the field gives.
fn offer_html(offer: &LimitedTimeOffer, expiry: Option<&Field<'_>>) -> String {
    let countdown = match (offer.has_expiration, expiry) {
        (true, Some(field)) => format!(
            "<div style=\"{}\">⏱ ends {}</div>",
            style::BUTTON_DETAIL,
            field_html(field)
        ),
        _ => String::new(),
    };
    format!(
        "<div style=\"{}\"><b>🏷 {}</b>{countdown}</div>",
        style::MEDIA,
        html_escape::encode_text(&offer.text)
    )
}

/// The message as one inline-styled HTML block (a single line, so Markdown
/// keeps it whole).
fn preview(page: &Page<'_>) -> String {
    let definition = page.definition();
    let plan = page.plan;
    let header_field: Vec<&Field<'_>> = plan.header.map(|(field, _)| field).into_iter().collect();
    let mut bubble = String::new();
    match &definition.header {
        Some(header) if header.kind == HeaderType::Text => {
            let text = header.text.as_deref().unwrap_or_default();
            let html = match (definition.header_parameter_name(), header_field.first()) {
                (Some(name), Some(field)) => named_text_html(text, &[(name.to_owned(), *field)]),
                _ => text_html(text, &header_field),
            };
            bubble.push_str(&format!(
                "<div style=\"{}\">{html}</div>",
                style::HEADER_TEXT
            ));
        }
        Some(header) => bubble.push_str(&format!(
            "<div style=\"{}\"><span style=\"{}\">{}</span><span>{}</span></div>",
            style::MEDIA,
            style::MEDIA_TYPE,
            header.kind.as_str(),
            header_field
                .first()
                .map(|field| field_html(field))
                .unwrap_or_default()
        )),
        None => {}
    }
    let body = match &definition.body {
        Some(body) => body_html(page, body),
        None => {
            let fields: Vec<String> = plan.body.iter().map(|field| field_html(field)).collect();
            let approved = "<i>the approved text</i>".to_owned();
            if fields.is_empty() {
                approved
            } else {
                format!("{approved}, with {}", fields.join(", "))
            }
        }
    };
    if let Some(offer) = &definition.limited_time_offer {
        bubble.push_str(&offer_html(offer, plan.offer_expiry));
    }
    bubble.push_str(&format!("<div style=\"{}\">{body}</div>", style::BODY));
    if let Some(footer) = &definition.footer {
        bubble.push_str(&format!(
            "<div style=\"{}\">{}</div>",
            style::FOOTER,
            html_escape::encode_text(footer)
        ));
    }

    let mut message = format!("<div style=\"{}\">{bubble}</div>", style::BUBBLE);
    for button in sorted_buttons(definition) {
        let field = match plan.code {
            Some((field, index)) if index == button.index => {
                Some((field, ButtonParameter::CouponCode))
            }
            _ => button_field(plan, button),
        };
        message.push_str(&button_html(button, field));
    }
    if let Some(carousel) = &definition.carousel {
        message.push_str(&carousel_html(carousel, plan.cards));
    }
    format!(
        "<div style=\"{}\"><div style=\"{}\">{message}</div></div>",
        style::CHAT,
        style::MESSAGE
    )
}

/// Every card of a carousel, side by side: its header's kind, its body as
/// approved (the card type's fields fill its placeholders), its buttons.
fn carousel_html(carousel: &Carousel, field: Option<&Field<'_>>) -> String {
    let filled_by = field
        .map(|field| format!(" from <code>{}[n]</code>", field.ident))
        .unwrap_or_default();
    let mut row = String::new();
    for (position, card) in carousel.cards.iter().enumerate() {
        let mut html = format!(
            "<div style=\"{}\"><span style=\"{}\">card {position}: {}</span><span>{filled_by}</span></div>",
            style::MEDIA,
            style::MEDIA_TYPE,
            card.header.kind.as_str(),
        );
        if let Some(body) = &card.body {
            html.push_str(&format!(
                "<div style=\"{}\">{}</div>",
                style::BODY,
                html_escape::encode_text(body)
            ));
        }
        for button in &card.buttons {
            html.push_str(&button_html(button, None));
        }
        row.push_str(&format!("<div style=\"{}\">{html}</div>", style::CARD));
    }
    format!("<div style=\"{}\">{row}</div>", style::CAROUSEL)
}

fn button_html(button: &Button, field: Option<(&Field<'_>, ButtonParameter)>) -> String {
    let icon = match button.button_type() {
        ButtonType::Url => "↗",
        ButtonType::PhoneNumber => "☎",
        ButtonType::QuickReply | ButtonType::Reply => "↩",
        ButtonType::CopyCode | ButtonType::Otp => "⧉",
        ButtonType::Catalog | ButtonType::MultiProduct | ButtonType::SingleProduct => "🛍",
        ButtonType::Flow => "☰",
    };
    let label = html_escape::encode_text(button.label().unwrap_or(match button.button_type() {
        // Meta's copy-code buttons have no text of their own; the phone shows this.
        ButtonType::CopyCode => "Copy offer code",
        ButtonType::Otp => match button.otp_type {
            Some(OtpType::OneTap | OtpType::ZeroTap) => "Autofill",
            _ => "Copy code",
        },
        _ => "",
    }));
    let detail = match (field, button.url.as_deref()) {
        (Some((field, ButtonParameter::UrlSuffix)), Some(url)) => Some(text_html(url, &[field])),
        (Some((field, ButtonParameter::Payload)), _) => {
            Some(format!("payload: {}", field_html(field)))
        }
        (Some((field, ButtonParameter::CouponCode)), _) => {
            Some(format!("code: {}", field_html(field)))
        }
        (Some((field, ButtonParameter::ProductThumbnail)), _) => {
            Some(format!("thumbnail product: {}", field_html(field)))
        }
        (Some((field, ButtonParameter::ProductSections)), _) => {
            Some(format!("products: {}", field_html(field)))
        }
        (Some((field, ButtonParameter::FlowToken)), _) => {
            Some(format!("flow token: {}", field_html(field)))
        }
        (_, Some(url)) => Some(html_escape::encode_text(url).into_owned()),
        (_, None) => button
            .phone_number
            .as_deref()
            .map(|number| html_escape::encode_text(number).into_owned()),
    };
    let detail = detail
        .map(|detail| format!("<div style=\"{}\">{detail}</div>", style::BUTTON_DETAIL))
        .unwrap_or_default();
    format!(
        "<div style=\"{}\">{icon} {label}{detail}</div>",
        style::BUTTON
    )
}

fn sorted_buttons(definition: &TemplateDefinition) -> Vec<&Button> {
    let mut buttons: Vec<&Button> = definition.buttons.iter().collect();
    buttons.sort_by_key(|button| button.index);
    buttons
}

/// The field that gives `button`'s value, if any.
fn button_field<'a>(
    plan: &'a Plan<'a>,
    button: &Button,
) -> Option<(&'a Field<'a>, ButtonParameter)> {
    plan.buttons
        .iter()
        .find(|(_, index, _)| *index == button.index)
        .map(|(field, _, parameter)| (*field, *parameter))
}

/// Which field fills each of the template's placeholders (numbered or
/// named), header and button values, and which chooses the language.
fn placeholder_map(page: &Page<'_>) -> String {
    let definition = page.definition();
    let plan = page.plan;
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(field) = plan.language {
        let codes: Vec<String> = crate::language::codes(page.located)
            .iter()
            .map(|code| format!("`{code}`"))
            .collect();
        rows.push((
            format!("the language: {}", codes.join(", ")),
            format!("`{}`", field.ident),
        ));
    }
    if let Some((field, index)) = plan.code {
        rows.push((
            format!("the code: body `{{{{1}}}}` and button {index}"),
            format!("`{}`", field.ident),
        ));
    }
    if let (Some(header), Some((field, _))) = (&definition.header, plan.header) {
        let place = match header.text.as_deref() {
            Some(text) if header.kind == HeaderType::Text => {
                let placeholder = definition
                    .header_parameter_name()
                    .map_or_else(|| "{{1}}".to_owned(), |name| format!("{{{{{name}}}}}"));
                format!("header `{placeholder}` in \"{}\"", cell(text))
            }
            _ if header.kind == HeaderType::Product => {
                "header (product): the catalog's product it shows".to_owned()
            }
            _ => format!("header ({}): the media URL", header.kind.as_str()),
        };
        rows.push((place, format!("`{}`", field.ident)));
    }
    for (number, field) in plan.body.iter().enumerate() {
        let placeholder = if plan.named {
            field.parameter_name()
        } else {
            (number + 1).to_string()
        };
        rows.push((
            format!("body `{{{{{placeholder}}}}}`"),
            format!("`{}`", field.ident),
        ));
    }
    for (field, index, value) in &plan.buttons {
        let label = definition
            .button(*index)
            .and_then(Button::label)
            .map(|label| format!(" \"{}\"", cell(label)))
            .unwrap_or_default();
        let what = match value {
            ButtonParameter::UrlSuffix => "the URL's `{{1}}`",
            ButtonParameter::Payload => "the payload returned when tapped",
            ButtonParameter::CouponCode => "the code it copies",
            ButtonParameter::ProductThumbnail => "the product whose image is the thumbnail",
            ButtonParameter::ProductSections => "the products it lists (thumbnail and sections)",
            ButtonParameter::FlowToken => "the flow token it sends",
        };
        rows.push((
            format!("button {index}{label}: {what}"),
            format!("`{}`", field.ident),
        ));
    }
    if rows.is_empty() {
        return "**Placeholders**: none; every message is the same.\n\n".to_owned();
    }
    let mut map = "**Placeholders**:\n\n| placeholder | filled by field |\n|---|---|\n".to_owned();
    for (place, field) in rows {
        map.push_str(&format!("| {place} | {field} |\n"));
    }
    map.push('\n');
    map
}

/// A send example with a value of each field's type. It is not compiled
/// (`ignore`): the struct may be private or in a binary crate, where a
/// doctest cannot name it, and a derive must not break its users' tests.
fn example(page: &Page<'_>) -> String {
    let container = page.container;
    let ident = &container.input.ident;
    let runtime = runtime_path_text(container);
    let media_url = page.plan.header.is_some_and(|(_, kind)| kind.is_media());
    let location = page
        .plan
        .header
        .is_some_and(|(_, kind)| kind == HeaderType::Location);
    let named = page.plan.named;
    let imports = if media_url {
        "{Client, MediaUrl}"
    } else if location {
        "{Client, Location}"
    } else {
        "Client"
    };
    let mut code = format!(
        "use {runtime}::{imports};\n\nlet client = Client::from_env()?; // KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM, KALEYRA_API\n"
    );
    if container.fields.is_empty() {
        code.push_str(&format!("let message = {ident};\n"));
    } else {
        code.push_str(&format!("let message = {ident} {{\n"));
        let mut body_number = 0;
        for field in &container.fields {
            let fills = match &field.role {
                Role::Body if page.plan.code.is_some() => "the code".to_owned(),
                Role::Body if named => format!("body {{{{{}}}}}", field.parameter_name()),
                Role::Body => {
                    body_number += 1;
                    format!("body {{{{{body_number}}}}}")
                }
                Role::Header { .. } => "the header".to_owned(),
                Role::Button { index, .. } => format!("button {index}"),
                Role::Language { .. } => "the language".to_owned(),
                Role::OfferExpiry { .. } => "the offer's expiry".to_owned(),
                Role::FlowData { .. } => "the flow's data".to_owned(),
                Role::Cards { .. } => "the carousel's cards".to_owned(),
                Role::Invalid => String::new(),
            };
            let value = match field.role {
                Role::Language { .. } => {
                    let codes = crate::language::codes(page.located);
                    let variant = crate::language::variant_names(&codes)
                        .into_iter()
                        .next()
                        .map(|variant| variant.to_string())
                        .unwrap_or_default();
                    format!("{}::{variant}", crate::language::enum_ident(container))
                }
                Role::OfferExpiry { .. } => {
                    "std::time::SystemTime::now() + std::time::Duration::from_secs(86_400)"
                        .to_owned()
                }
                Role::FlowData { .. } => {
                    format!("{runtime}::FlowActionData::new().insert(\"key\", \"value\")")
                }
                Role::Cards { .. } => format!(
                    "[/* {} cards, each a value of the card type */]",
                    page.definition().card_count()
                ),
                Role::Header { .. } if location => {
                    "Location::new(37.483307, -122.148981)?.name(\"Pablo Morales\")".to_owned()
                }
                _ => example_value(field, page.definition(), &runtime),
            };
            code.push_str(&format!("    {}: {value}, // {fills}\n", field.ident));
        }
        code.push_str("};\n");
    }
    code.push_str("let receipt = message.send(&client, \"+919876543210\").await?;\n");
    format!("**Sending**:\n\n```rust,ignore\n{code}```\n")
}

/// The runtime's path as the struct's crate names it: `kaleyra_runtime`, or
/// the path given with `#[kaleyra(crate = "...")]`.
pub(crate) fn runtime_path_text(container: &Container<'_>) -> String {
    container.krate.as_ref().map_or_else(
        || "kaleyra_runtime".to_owned(),
        |path| quote::quote!(#path).to_string().replace(' ', ""),
    )
}

/// A value of the field's type, for the example.
fn example_value(field: &Field<'_>, definition: &TemplateDefinition, runtime: &str) -> String {
    let sample = field.ident.to_string().replace('_', " ");
    match field.ty {
        syn::Type::Reference(_) if is_text(field.ty) => format!("{sample:?}"),
        ty if is_text(ty) => format!("{sample:?}.into()"),
        ty if holds_media(ty) => {
            let url = definition
                .header
                .as_ref()
                .and_then(|header| header.example.clone())
                .unwrap_or_else(|| "https://example.com/file".to_owned());
            let borrow = if matches!(ty, syn::Type::Reference(_)) {
                "&"
            } else {
                ""
            };
            let link = format!("MediaUrl::parse({url:?})?");
            if type_named(ty, "MediaId") {
                format!("{borrow}{runtime}::MediaId::new(\"an-uploaded-media-id\")?")
            } else if type_named(ty, "Media") {
                format!("{borrow}{runtime}::Media::from({link})")
            } else {
                format!("{borrow}{link}")
            }
        }
        ty if type_named(ty, "MultiProduct") => format!(
            "{}{runtime}::MultiProduct::new(\"sku-1\").section({runtime}::ProductSection::new(\"Popular\", [\"sku-1\", \"sku-2\"]))",
            borrow_of(ty)
        ),
        ty if type_named(ty, "Product") => format!(
            "{}{runtime}::Product::new(\"catalog-id\", \"sku-1\")",
            borrow_of(ty)
        ),
        syn::Type::Path(path) if path.path.get_ident().is_some_and(is_integer) => "42".to_owned(),
        _ => format!("{sample:?}.parse()?"),
    }
}

fn is_integer(ident: &syn::Ident) -> bool {
    [
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ]
    .iter()
    .any(|name| ident == name)
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `&` for a reference type, so the example's value has the field's type.
fn borrow_of(ty: &syn::Type) -> &'static str {
    if matches!(ty, syn::Type::Reference(_)) {
        "&"
    } else {
        ""
    }
}

/// Whether the type is written as `name` (or a path ending in it, or a
/// reference to it).
fn type_named(ty: &syn::Type, name: &str) -> bool {
    match ty {
        syn::Type::Reference(reference) => type_named(&reference.elem, name),
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::ctxt::Ctxt;
    use crate::{attr, check, locate};

    /// The page of `input`, a struct for a definition in the repository's `templates/`.
    fn page_of(input: syn::DeriveInput) -> String {
        let mut cx = Ctxt::default();
        let container = attr::parse(&mut cx, &input).expect("a struct");
        let template = container.template.as_ref().expect("a template");
        let located = locate::load(
            template,
            container.language.as_ref(),
            container.dir.as_ref(),
        )
        .expect("the definition");
        let plan = check::check(&mut cx, &container, &located);
        assert!(!cx.has_errors(), "the struct matches its definition");
        super::render(&super::Page {
            container: &container,
            located: &located,
            plan: &plan,
        })
    }

    fn imt_dynamic_page() -> String {
        page_of(syn::parse_quote! {
            #[kaleyra(template = "imt_dynamic", dir = "../templates")]
            struct ImtDynamic<'a> {
                first_name: &'a str,
                last_name: String,
                #[kaleyra(header)]
                ticket: MediaUrl,
                #[kaleyra(button = 1)]
                login_path: String,
                #[kaleyra(button = 0)]
                confirm_payload: String,
            }
        })
    }

    #[test]
    fn the_map_names_the_field_behind_each_numbered_placeholder() {
        let page = imt_dynamic_page();
        for row in [
            "| placeholder | filled by field |",
            "| header (document): the media URL | `ticket` |",
            "| body `{{1}}` | `first_name` |",
            "| body `{{2}}` | `last_name` |",
            "| button 0 \"Confirm\": the payload returned when tapped | `confirm_payload` |",
            "| button 1 \"Login\": the URL's `{{1}}` | `login_path` |",
        ] {
            assert!(page.contains(row), "no `{row}` in:\n{page}");
        }
    }

    #[test]
    fn the_example_builds_every_field_and_sends() {
        let page = imt_dynamic_page();
        let example = page
            .split("```rust,ignore\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_else(|| panic!("no example in:\n{page}"));
        for line in [
            "use kaleyra_runtime::{Client, MediaUrl};",
            "let client = Client::from_env()?;",
            "let message = ImtDynamic {",
            "    first_name: \"first name\", // body {{1}}",
            "    last_name: \"last name\".into(), // body {{2}}",
            "    ticket: MediaUrl::parse(\"https://example.com/tickets/sample.pdf\")?, // the header",
            "    login_path: \"login path\".into(), // button 1",
            "let receipt = message.send(&client, \"+919876543210\").await?;",
        ] {
            assert!(example.contains(line), "no `{line}` in:\n{example}");
        }
    }

    #[test]
    fn the_preview_is_one_html_block_with_the_fields_highlighted() {
        let page = imt_dynamic_page();
        let preview = page
            .lines()
            .find(|line| line.starts_with("<div"))
            .unwrap_or_else(|| panic!("no preview in:\n{page}"));
        // One line: a blank line would end Markdown's HTML block.
        assert!(preview.ends_with("</div>"));
        for part in [
            "background:#d9fdd3",
            ">document</span>",
            "Hi <span style=",
            ">first_name</span> <span",
            ">last_name</span>, your ticket is attached.",
            "Reply STOP to opt out",
            "↩ Confirm",
            "↗ Login",
            "https://example.com/login/<span",
            ">login_path</span>",
            "payload: <span",
        ] {
            assert!(preview.contains(part), "no `{part}` in:\n{preview}");
        }
        assert!(!preview.contains("<script"));
    }

    /// The structs of the repository's `src/lib.rs`, one per example template.
    #[test]
    fn every_example_template_gets_a_preview_a_map_and_an_example() {
        let structs: Vec<syn::DeriveInput> = vec![
            syn::parse_quote! {
                #[kaleyra(template = "booking_confirm", dir = "../templates")]
                struct BookingConfirm<'a> { name: &'a str, booking_id: u32 }
            },
            syn::parse_quote! {
                #[kaleyra(template = "british_council", dir = "../templates")]
                struct BritishCouncil<'a> { name: &'a str }
            },
            syn::parse_quote! {
                #[kaleyra(template = "reply_buttons_sample", dir = "../templates")]
                struct ReplyButtonsSample<'a> { name: &'a str }
            },
            syn::parse_quote! {
                #[kaleyra(template = "cta_url_sample", dir = "../templates")]
                struct CtaUrlSample<'a> {
                    name: &'a str,
                    #[kaleyra(button = 0)]
                    click_id: &'a str,
                }
            },
            syn::parse_quote! {
                #[kaleyra(template = "order_update", dir = "../templates")]
                struct OrderUpdate<'a> {
                    #[kaleyra(language)]
                    language: OrderUpdateLanguage,
                    name: &'a str,
                    order_id: &'a str,
                    #[kaleyra(button = 0)]
                    tracking_path: &'a str,
                }
            },
            syn::parse_quote! {
                #[kaleyra(template = "delivery_update", dir = "../templates")]
                struct DeliveryUpdate<'a> {
                    #[kaleyra(header)]
                    header_order_id: &'a str,
                    customer_name: &'a str,
                    order_id: &'a str,
                    #[kaleyra(param = "delivery_date")]
                    arrives: &'a str,
                }
            },
            syn::parse_quote! {
                #[kaleyra(template = "login_code", dir = "../templates")]
                struct LoginCode<'a> { code: &'a str }
            },
            syn::parse_quote! {
                #[kaleyra(template = "spring_collection", dir = "../templates")]
                struct SpringCollection<'a> {
                    name: &'a str,
                    #[kaleyra(cards)]
                    cards: [SpringCard<'a>; 2],
                }
            },
        ];
        let mut pages: Vec<(String, String)> = structs
            .into_iter()
            .map(|input| (input.ident.to_string(), page_of(input)))
            .collect();
        pages.push(("ImtDynamic".to_owned(), imt_dynamic_page()));
        let templates =
            kaleyra_definitions::TemplateSet::load_dir(std::path::Path::new("../templates"))
                .unwrap();
        assert_eq!(
            pages.len(),
            templates.names().count(),
            "one struct per example template, whatever its languages"
        );
        for (name, page) in pages {
            assert!(page.contains("**Preview**"), "{name}: no preview:\n{page}");
            assert!(
                page.contains("\n<div style=\"background:#efeae2"),
                "{name}: no preview:\n{page}"
            );
            assert!(
                page.contains("| placeholder | filled by field |\n|---|---|\n"),
                "{name}: no map:\n{page}"
            );
            assert!(page.contains("body `{{"), "{name}: no map:\n{page}");
            assert!(
                page.contains(&format!("let message = {name} {{\n")),
                "{name}: no example:\n{page}"
            );
            assert!(
                page.contains(".send(&client, \"+919876543210\").await?;"),
                "{name}: no send:\n{page}"
            );
        }
    }

    #[test]
    fn the_carousel_preview_shows_every_card_with_its_body_and_buttons() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "spring_collection", dir = "../templates")]
            struct SpringCollection<'a> {
                name: &'a str,
                #[kaleyra(cards)]
                cards: [SpringCard<'a>; 2],
            }
        });
        for part in [
            "card 0: image",
            "card 1: image",
            "Linen kurta, now {{1}}",
            "Block-print saree, now {{1}}",
            "from <code>cards[n]</code>",
            "More like this",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
        assert!(page.contains("cards: [/* 2 cards"), "{page}");
    }

    #[test]
    fn the_interactive_preview_shows_its_buttons_and_filled_url() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "cta_url_sample", dir = "../templates")]
            struct CtaUrlSample<'a> {
                name: &'a str,
                #[kaleyra(button = 0)]
                click_id: &'a str,
            }
        });
        assert!(
            page.contains("Sends the interactive WhatsApp message `cta_url_sample`"),
            "{page}"
        );
        assert!(page.contains("↗ See Dates"), "{page}");
        assert!(
            page.contains("https://www.luckyshrub.com?clickID=<span"),
            "{page}"
        );
        assert!(page.contains(">Available Dates</div>"), "{page}");
    }

    #[test]
    fn the_preview_shows_the_offer_its_expiry_field_and_the_flow_token() {
        let offer = page_of(syn::parse_quote! {
            #[kaleyra(template = "limited_time_offer_caribbean_pkg_2023", dir = "../tests/ui/templates/meta")]
            struct CaribbeanOffer {
                #[kaleyra(header)]
                banner: MediaUrl,
                name: String,
                code: String,
                #[kaleyra(offer_expiry)]
                expires_at: std::time::SystemTime,
                #[kaleyra(button = 0)]
                coupon: String,
                #[kaleyra(button = 1)]
                booking: String,
            }
        });
        assert!(offer.contains("🏷 Expiring offer!"), "{offer}");
        assert!(offer.contains("⏱ ends <span"), "{offer}");
        assert!(offer.contains("code: <span"), "{offer}");
        assert!(
            offer.contains("expires_at: std::time::SystemTime::now()"),
            "{offer}"
        );
        let flow = page_of(syn::parse_quote! {
            #[kaleyra(template = "appointment_booking", dir = "../tests/ui/templates/meta")]
            struct AppointmentBooking {
                name: String,
                service: String,
                #[kaleyra(button = 0)]
                token: String,
                #[kaleyra(flow_data)]
                data: Option<FlowActionData>,
            }
        });
        assert!(flow.contains("☰ Book now"), "{flow}");
        assert!(flow.contains("flow token: <span"), "{flow}");
        assert!(flow.contains("the flow token it sends"), "{flow}");
    }

    #[test]
    fn template_text_is_escaped_in_the_preview() {
        let html = super::text_html("a < b & {{1}}\n\nc", &[]);
        assert_eq!(html, "a &lt; b &amp; {{1}}<br><br>c");
    }

    #[test]
    fn no_hidden_path_or_suffix_on_the_page() {
        let page = imt_dynamic_page();
        for hidden in ["_kaleyra", "__private", "usize", "u8"] {
            assert!(!page.contains(hidden), "`{hidden}` on the page:\n{page}");
        }
    }

    #[test]
    fn a_re_exported_runtime_is_named_as_the_crate_names_it() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "booking_confirm", dir = "../templates", crate = "my_sdk::kaleyra")]
            struct BookingConfirm<'a> {
                name: &'a str,
                booking_id: u32,
            }
        });
        assert!(page.contains("use my_sdk::kaleyra::Client;"), "{page}");
        assert!(page.contains("    booking_id: 42, // body {{2}}"), "{page}");
        assert!(!page.contains("kaleyra_runtime"), "{page}");
    }

    #[test]
    fn a_named_template_maps_each_name_to_its_field_and_says_it_is_paused() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "delivery_named", dir = "../tests/ui/templates/meta")]
            struct DeliveryNamed<'a> {
                #[kaleyra(param = "delivery_date")]
                arrives: &'a str,
                order_id: &'a str,
                customer_name: String,
                #[kaleyra(header)]
                header_order: &'a str,
            }
        });
        for part in [
            "defined in `../tests/ui/templates/meta/delivery_named.en.json` (kind `mediatemplate`, language `en`, category `UTILITY`, named placeholders, status `PAUSED`)",
            "**Not sendable now**: the template is `PAUSED` in the account.",
            "| header `{{order_id}}` in \"Order {{order_id}}\" | `header_order` |",
            "| body `{{customer_name}}` | `customer_name` |",
            "| body `{{order_id}}` | `order_id` |",
            "| body `{{delivery_date}}` | `arrives` |",
            "    arrives: \"arrives\", // body {{delivery_date}}",
            "Hi <span style=",
            ">customer_name</span>, order <span",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
        // The map follows the body's order, not the fields'.
        let customer = page.find("| body `{{customer_name}}`").unwrap();
        let date = page.find("| body `{{delivery_date}}`").unwrap();
        assert!(customer < date, "{page}");
    }

    #[test]
    fn a_template_in_several_languages_lists_each_with_its_status() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "order_status", dir = "../tests/ui/templates/meta")]
            struct OrderStatus<'a> {
                #[kaleyra(language)]
                language: OrderStatusLanguage,
                name: &'a str,
                order: u32,
                #[kaleyra(button = 0)]
                tracking: String,
            }
        });
        for part in [
            "in the language its `#[kaleyra(language)]` field chooses",
            "| language | status | file |",
            "| `en` | `APPROVED` | `../tests/ui/templates/meta/order_status.en.json` |",
            "| `pt_BR` | `PAUSED` | `../tests/ui/templates/meta/order_status.pt_BR.json` |",
            "**Not sendable now**: the template in `pt_BR` is `PAUSED`",
            "| the language: `en`, `hi`, `pt_BR` | `language` |",
            "    language: OrderStatusLanguage::En, // the language",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
        assert!(
            !page.contains("**Not sendable now**: the template in `hi`"),
            "{page}"
        );
    }

    #[test]
    fn an_authentication_template_shows_its_code_field() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "login_code", dir = "../tests/ui/templates/meta")]
            struct LoginCode {
                code: u32,
            }
        });
        for part in [
            "kind `authenticationtemplate`, language `en`, category `AUTHENTICATION`",
            "| the code: body `{{1}}` and button 0 | `code` |",
            "    code: 42, // the code",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
    }

    #[test]
    fn product_templates_show_their_products_in_the_preview_map_and_example() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "abandoned_cart", dir = "../tests/ui/templates/products")]
            struct AbandonedCart<'a> {
                #[kaleyra(header)]
                name: &'a str,
                code: &'a str,
                #[kaleyra(button = 0)]
                cart: &'a MultiProduct,
            }
        });
        for part in [
            "🛍 View items",
            "products: <span",
            "| button 0 \"View items\": the products it lists (thumbnail and sections) | `cart` |",
            "cart: &kaleyra_runtime::MultiProduct::new(",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "abandoned_cart_offer", dir = "../tests/ui/templates/products")]
            struct AbandonedCartOffer {
                #[kaleyra(header)]
                product: Product,
                code: String,
                discount: String,
            }
        });
        for part in [
            "| header (product): the catalog's product it shows | `product` |",
            "product: kaleyra_runtime::Product::new(\"catalog-id\", \"sku-1\"), // the header",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
    }

    #[test]
    fn a_one_tap_template_shows_how_its_code_is_handed_over() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "login_autofill", dir = "../tests/ui/templates/meta")]
            struct LoginAutofill {
                code: String,
            }
        });
        for part in [
            "kind `authenticationtemplate`, language `en_US`, category `AUTHENTICATION`, `ONE_TAP` code button, for the Android app `com.example.luckyshrub`, the code expires in 5 minutes",
            "| the code: body `{{1}}` and button 0 | `code` |",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
    }

    #[test]
    fn a_location_header_is_previewed_and_its_example_makes_a_location() {
        let page = page_of(syn::parse_quote! {
            #[kaleyra(template = "order_delivery_update", dir = "../tests/ui/templates/meta")]
            struct DeliveryUpdate<'a> {
                #[kaleyra(header)]
                place: Location,
                name: &'a str,
                order: &'a str,
            }
        });
        for part in [
            ">location</span>",
            "use kaleyra_runtime::{Client, Location};",
            "    place: Location::new(37.483307, -122.148981)?.name(\"Pablo Morales\"), // the header",
        ] {
            assert!(page.contains(part), "no `{part}` in:\n{page}");
        }
    }
}
