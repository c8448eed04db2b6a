//! The rules a parsed definition must follow: WhatsApp's limits and what each
//! kind of message can carry. Every broken rule is reported, not just the first.

use std::collections::HashMap;

use crate::carousel::{Carousel, CarouselCard};
use crate::error::Problem;
use crate::limits::{self, length_problem};
use crate::model::{
    Button, ButtonType, Category, DefinitionFormat, Header, HeaderType, OtpType, ParameterFormat,
    TemplateDefinition, TemplateKind,
};
use crate::offer::LimitedTimeOffer;
use crate::placeholder;

/// Checks every rule; `file_stem` is the definition file's name without `.json`.
pub(crate) fn check(definition: &TemplateDefinition, file_stem: Option<&str>) -> Vec<Problem> {
    let mut rules = Rules {
        definition,
        problems: Vec::new(),
    };
    rules.name(file_stem);
    rules.approval_fields();
    rules.body();
    if let Some(header) = &definition.header {
        rules.header(header);
    }
    if let Some(footer) = &definition.footer {
        rules.footer(footer);
    }
    rules.buttons();
    rules.authentication();
    rules.problems.extend(crate::products::check(definition));
    if let Some(offer) = &definition.limited_time_offer {
        rules.limited_time_offer(offer);
    }
    if let Some(carousel) = &definition.carousel {
        rules.carousel(carousel);
    }
    rules.problems
}

struct Rules<'a> {
    definition: &'a TemplateDefinition,
    problems: Vec<Problem>,
}

impl Rules<'_> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::at_path(path, message));
    }

    fn kind(&self) -> TemplateKind {
        self.definition.kind
    }

    fn name(&mut self, file_stem: Option<&str>) {
        let name = &self.definition.name;
        if !limits::is_template_name(name) {
            self.problem(
                "name",
                format!(
                    "`{name}` is not a template name: use lowercase letters, digits and `_` only, at most {} characters",
                    limits::TEMPLATE_NAME
                ),
            );
        }
        let language = self.definition.language.as_deref();
        let named_after = |stem: &str| match stem.split_once('.') {
            None => stem == name,
            Some((stem_name, stem_language)) => {
                stem_name == name && language == Some(stem_language)
            }
        };
        if let Some(stem) = file_stem.filter(|stem| !named_after(stem)) {
            let expected = match language {
                Some(language) => format!("`{name}.json` or `{name}.{language}.json`"),
                None => format!("`{name}.json`"),
            };
            self.problem(
                "name",
                format!("is `{name}` but the file is `{stem}.json`; a definition's file is named after its template: {expected}"),
            );
        }
    }

    /// An authentication template sends one value, the code, as its body's
    /// one placeholder.
    fn authentication(&mut self) {
        if self.definition.authentication().is_none() {
            return;
        }
        let count = self.definition.param_count();
        if count != 1 {
            self.problem(
                "body",
                format!("has {count} placeholders; an authentication template's body has exactly one, the code"),
            );
        }
    }

    /// Meta's rules for a limited-time offer: a marketing template without a
    /// footer, an offer text of at most 16 characters, and, when the offer
    /// shows its expiry, a copy-code button first among the buttons.
    fn limited_time_offer(&mut self, offer: &LimitedTimeOffer) {
        if offer.text.trim().is_empty() {
            self.problem("limited_time_offer.text", "is empty");
        } else if let Some(problem) = length_problem(&offer.text, limits::OFFER_TEXT) {
            self.problem("limited_time_offer.text", problem);
        }
        if self.definition.category != Some(Category::Marketing) {
            self.problem(
                "category",
                "must be `MARKETING` for a template with a LIMITED_TIME_OFFER component (WhatsApp approves offers as marketing only)",
            );
        }
        if self.definition.footer.is_some() {
            self.problem(
                "footer",
                "is not allowed on a template with a LIMITED_TIME_OFFER component",
            );
        }
        let first = self
            .definition
            .buttons
            .iter()
            .min_by_key(|button| button.index);
        if offer.has_expiration
            && first.is_none_or(|button| button.button_type() != ButtonType::CopyCode)
        {
            self.problem(
                "buttons",
                "must start with a COPY_CODE button: a limited-time offer with `has_expiration` shows its code with the countdown",
            );
        }
    }

    /// Meta's rules for a carousel: 2 to 10 cards, no header or buttons
    /// outside them, and cards alike: the same header format, a body on all
    /// or none, the same button types in the same order. Each card's
    /// header, body and buttons follow a template's rules, with Meta's
    /// card limits (a body of 160 characters; one or two quick-reply, URL or
    /// phone-number buttons on a media card, one `SPM` or URL button on a
    /// product card).
    fn carousel(&mut self, carousel: &Carousel) {
        let count = carousel.cards.len();
        if !(limits::CAROUSEL_CARDS_MIN..=limits::CAROUSEL_CARDS_MAX).contains(&count) {
            self.problem(
                "carousel.cards",
                format!(
                    "has {count} card(s); a carousel template has {} to {}",
                    limits::CAROUSEL_CARDS_MIN,
                    limits::CAROUSEL_CARDS_MAX
                ),
            );
        }
        if self.definition.header.is_some() {
            self.problem(
                "header",
                "is not allowed on a carousel template: each card has its own header",
            );
        }
        if !self.definition.buttons.is_empty() {
            self.problem(
                "buttons",
                "are not allowed on a carousel template outside its cards: each card has its own buttons",
            );
        }
        let Some(first) = carousel.cards.first() else {
            return;
        };
        let button_types = |card: &CarouselCard| {
            card.buttons
                .iter()
                .map(Button::button_type)
                .collect::<Vec<_>>()
        };
        for (position, card) in carousel.cards.iter().enumerate() {
            let at = |path: &str| format!("carousel.cards[{position}].{path}");
            for mut problem in check(&card.as_template(self.definition), None) {
                // The name, language and category are the carousel's, checked once.
                let path = problem.path.take().unwrap_or_default();
                if matches!(path.as_str(), "name" | "language" | "category") {
                    continue;
                }
                problem.path = Some(at(&path));
                self.problems.push(problem);
            }
            let allowed: &[ButtonType] = match card.header.kind {
                HeaderType::Image | HeaderType::Video => &[
                    ButtonType::QuickReply,
                    ButtonType::Url,
                    ButtonType::PhoneNumber,
                ],
                HeaderType::Product => &[ButtonType::SingleProduct, ButtonType::Url],
                other => {
                    self.problem(
                        at("header.type"),
                        format!(
                            "is `{}`; a carousel card's header is an image, a video or a product",
                            other.as_str()
                        ),
                    );
                    continue;
                }
            };
            if card.header.kind != first.header.kind {
                self.problem(
                    at("header.type"),
                    format!(
                        "is `{}` but card 0's is `{}`; every card of a carousel has the same header format",
                        card.header.kind.as_str(),
                        first.header.kind.as_str()
                    ),
                );
            }
            if let Some(body) = &card.body
                && let Some(problem) = length_problem(body, limits::CARD_BODY)
            {
                self.problem(at("body"), problem);
            }
            if card.body.is_some() != first.body.is_some() {
                self.problem(
                    at("body"),
                    "is on some cards but not on others; a carousel's cards all have a body or none has",
                );
            }
            let most = if card.is_product_card() {
                1
            } else {
                limits::CARD_BUTTONS
            };
            if card.buttons.is_empty() || card.buttons.len() > most {
                self.problem(
                    at("buttons"),
                    format!(
                        "has {} button(s); a {} card has 1 to {most}",
                        card.buttons.len(),
                        if card.is_product_card() {
                            "product"
                        } else {
                            "media"
                        }
                    ),
                );
            }
            for button in &card.buttons {
                if !allowed.contains(&button.button_type()) {
                    self.problem(
                        at(&format!("buttons[{}].type", button.index)),
                        format!(
                            "is `{}`; a {} card's buttons are {}",
                            button.button_type().as_str(),
                            if card.is_product_card() {
                                "product"
                            } else {
                                "media"
                            },
                            names(allowed)
                        ),
                    );
                }
            }
            if position > 0 && button_types(card) != button_types(first) {
                self.problem(
                    at("buttons"),
                    "differ from card 0's; every card of a carousel has the same button types in the same order",
                );
            }
        }
    }

    fn approval_fields(&mut self) {
        let kind = self.kind();
        if kind.is_approved_template() {
            if let Some(language) = &self.definition.language
                && !limits::is_language_code(language)
            {
                self.problem(
                    "language",
                    format!("`{language}` is not a language code such as `en` or `en_US`"),
                );
            }
        } else {
            for (key, present) in [
                ("language", self.definition.language.is_some()),
                ("category", self.definition.category.is_some()),
            ] {
                if present {
                    self.problem(
                        key,
                        format!("applies to approved templates only; a `{kind}` message is not approved by WhatsApp, so remove it"),
                    );
                }
            }
        }
    }

    fn body(&mut self) {
        let kind = self.kind();
        let Some(body) = &self.definition.body else {
            if !kind.is_approved_template() {
                self.problem(
                    "body",
                    format!("is required for a `{kind}` message: the library fills its placeholders in itself"),
                );
            } else if self.definition.params.is_none() {
                self.problem(
                    "params",
                    "give `params` (how many body placeholders the template has) or `body` (its text)",
                );
            }
            return;
        };
        if body.trim().is_empty() {
            self.problem("body", "is empty");
        }
        let max = if kind.is_approved_template() {
            limits::TEMPLATE_BODY
        } else {
            limits::INTERACTIVE_BODY
        };
        if let Some(problem) = length_problem(body, max) {
            self.problem("body", problem);
        }
        let found = self.placeholders("body", body);
        if let Some(params) = self.definition.params
            && params != found
        {
            let numbers = placeholder::scan(body).numbers;
            self.problem(
                "params",
                format!(
                    "is {params} but `body` has {found} placeholder(s){}; make them agree",
                    list_placeholders(&numbers)
                ),
            );
        }
    }

    /// Checks a text's placeholders are `{{1}}`..`{{n}}` (or valid names, for
    /// named parameters), and gives how many distinct ones it has.
    fn placeholders(&mut self, path: &str, text: &str) -> usize {
        if self.definition.parameter_format == ParameterFormat::Named {
            let found = placeholder::scan_named(text);
            for invalid in &found.invalid {
                self.problem(
                    path,
                    format!("`{invalid}` is not a named placeholder; names use lowercase letters, digits and `_`, such as `{{{{customer_name}}}}`"),
                );
            }
            return found.names.len();
        }
        let found = placeholder::scan(text);
        for malformed in &found.malformed {
            self.problem(
                path,
                format!("`{malformed}` is not a placeholder; placeholders are numbered `{{{{1}}}}`, `{{{{2}}}}`, .."),
            );
        }
        if !found.are_consecutive() {
            self.problem(
                path,
                format!(
                    "placeholders must run from `{{{{1}}}}` with none missing; found{}",
                    list_placeholders(&found.numbers)
                ),
            );
        }
        found.numbers.len()
    }

    fn header(&mut self, header: &Header) {
        let kind = self.kind();
        match header.kind {
            HeaderType::Text => {
                let Some(text) = &header.text else {
                    self.problem("header.text", "is required for a text header");
                    return;
                };
                if text.trim().is_empty() {
                    self.problem("header.text", "is empty");
                }
                if let Some(problem) = length_problem(text, limits::HEADER_TEXT) {
                    self.problem("header.text", problem);
                }
                let found = self.placeholders("header.text", text);
                if found > limits::HEADER_PLACEHOLDERS {
                    self.problem(
                        "header.text",
                        format!(
                            "has {found} placeholders; a header takes at most {}",
                            limits::HEADER_PLACEHOLDERS
                        ),
                    );
                } else if found > 0 && kind == TemplateKind::Template {
                    self.problem(
                        "header.text",
                        "has a placeholder, which Kaleyra fills only for media templates (`param_header`); use kind `mediatemplate`",
                    );
                }
                if header.example.is_some() {
                    self.problem("header.example", "applies to media headers only");
                }
            }
            media => {
                if header.text.is_some() {
                    self.problem(
                        "header.text",
                        format!("`{}` headers have no text", media.as_str()),
                    );
                }
                match kind {
                    TemplateKind::Template => self.problem(
                        "header.type",
                        format!(
                            "a `template` has no `{}` header; use kind `mediatemplate`",
                            media.as_str()
                        ),
                    ),
                    TemplateKind::CtaUrl => self.problem(
                        "header.type",
                        "a `cta_url` message takes a text header only",
                    ),
                    TemplateKind::Reply if media == HeaderType::Location => self.problem(
                        "header.type",
                        "a `reply` message takes a text, image, video or document header; location headers are for approved templates",
                    ),
                    TemplateKind::MediaTemplate | TemplateKind::Reply => {}
                }
                if media == HeaderType::Location && header.example.is_some() {
                    self.problem("header.example", "applies to media headers only");
                }
                if let Some(example) = &header.example {
                    if !limits::is_http_url(example) {
                        self.problem(
                            "header.example",
                            format!("`{example}` is not an http(s) URL"),
                        );
                    } else if media == HeaderType::Document
                        && kind == TemplateKind::MediaTemplate
                        && !crate::media::has_extension(example, &["pdf"])
                    {
                        self.problem(
                            "header.example",
                            "Kaleyra media templates accept PDF documents only; the example is not a .pdf",
                        );
                    }
                }
            }
        }
    }

    fn footer(&mut self, footer: &str) {
        if footer.trim().is_empty() {
            self.problem("footer", "is empty; leave it out instead");
        }
        if let Some(problem) = length_problem(footer, limits::FOOTER) {
            self.problem("footer", problem);
        }
        let found = placeholder::scan(footer);
        if !found.numbers.is_empty() || !found.malformed.is_empty() {
            self.problem("footer", "takes no placeholder");
        }
    }

    fn buttons(&mut self) {
        let kind = self.kind();
        let buttons = &self.definition.buttons;
        let count = buttons.len();
        match kind {
            TemplateKind::Template if count > 0 => self.problem(
                "buttons",
                "a `template` has no buttons; templates with buttons are kind `mediatemplate`",
            ),
            TemplateKind::MediaTemplate
                if self.definition.format == DefinitionFormat::Project
                    && count > limits::TEMPLATE_BUTTONS =>
            {
                self.problem(
                    "buttons",
                    format!(
                        "has {count} buttons; this format keeps to Kaleyra v1's limit of {} on a media template (a template approved with more is kept as Meta's object, as `kaleyra templates pull` writes it, and sent through v2)",
                        limits::TEMPLATE_BUTTONS
                    ),
                )
            }
            TemplateKind::MediaTemplate if count > limits::META_TEMPLATE_BUTTONS => self.problem(
                "buttons",
                format!(
                    "has {count} buttons; WhatsApp (Meta) allows at most {} on a template",
                    limits::META_TEMPLATE_BUTTONS
                ),
            ),
            TemplateKind::Reply if count == 0 || count > limits::REPLY_BUTTONS => self.problem(
                "buttons",
                format!(
                    "has {count} buttons; a `reply` message takes 1 to {}",
                    limits::REPLY_BUTTONS
                ),
            ),
            TemplateKind::CtaUrl if count != 1 => self.problem(
                "buttons",
                format!("has {count} buttons; a `cta_url` message takes exactly one URL button"),
            ),
            _ => {}
        }

        // Meta's objects hold what WhatsApp approved, within Meta's limits;
        // this project's format keeps to Kaleyra v1's.
        let index_max = match self.definition.format {
            DefinitionFormat::Meta => limits::META_BUTTON_INDEX_MAX,
            DefinitionFormat::Project => limits::BUTTON_INDEX_MAX,
        };
        if self.definition.format == DefinitionFormat::Meta && kind.is_approved_template() {
            self.meta_button_caps();
        }
        let mut first_at_index: HashMap<u8, usize> = HashMap::new();
        for (position, button) in buttons.iter().enumerate() {
            let path = format!("buttons[{position}]");
            if button.index > index_max {
                self.problem(
                    format!("{path}.index"),
                    format!("is {}; buttons take indices 0 to {index_max}", button.index),
                );
            }
            if let Some(&first) = first_at_index.get(&button.index) {
                self.problem(
                    format!("{path}.index"),
                    format!(
                        "{} is already used by `buttons[{first}]`; indices are unique",
                        button.index
                    ),
                );
            } else {
                first_at_index.insert(button.index, position);
            }
            self.button(&path, button);
        }

        if kind == TemplateKind::Reply {
            self.unique_reply_values("id", |button| button.id.as_deref());
            self.unique_reply_values("title", |button| button.title.as_deref());
        }
    }

    /// Meta's caps per button type on a template: the first button past its
    /// type's cap is reported.
    fn meta_button_caps(&mut self) {
        let mut seen: HashMap<ButtonType, usize> = HashMap::new();
        for (position, button) in self.definition.buttons.iter().enumerate() {
            let button_type = button.button_type();
            let count = seen.entry(button_type).or_default();
            *count += 1;
            if *count == button_type.meta_cap() + 1 {
                let cap = button_type.meta_cap();
                self.problems.push(Problem::at_path(
                    format!("buttons[{position}]"),
                    format!(
                        "is `{}` button number {count}; WhatsApp (Meta) allows at most {cap} on a template",
                        button_type.as_str()
                    ),
                ));
            }
        }
    }

    /// Reports reply buttons that repeat another's `key` (`id` or `title`).
    fn unique_reply_values(&mut self, key: &str, value_of: fn(&Button) -> Option<&str>) {
        let mut first_with: HashMap<&str, usize> = HashMap::new();
        for (position, button) in self.definition.buttons.iter().enumerate() {
            let Some(value) = value_of(button) else {
                continue;
            };
            if let Some(first) = first_with.get(value) {
                self.problems.push(Problem::at_path(
                    format!("buttons[{position}].{key}"),
                    format!("`{value}` is also the {key} of `buttons[{first}]`; reply button {key}s are unique"),
                ));
            } else {
                first_with.insert(value, position);
            }
        }
    }

    fn button(&mut self, path: &str, button: &Button) {
        let kind = self.kind();
        let allowed: &[ButtonType] = match (kind, self.definition.format) {
            (TemplateKind::Template | TemplateKind::MediaTemplate, DefinitionFormat::Project) => &[
                ButtonType::QuickReply,
                ButtonType::Url,
                ButtonType::PhoneNumber,
            ],
            // Code buttons are read from Meta's objects only, where Meta
            // describes them; this project's format has no way to write them.
            (TemplateKind::Template | TemplateKind::MediaTemplate, DefinitionFormat::Meta) => &[
                ButtonType::QuickReply,
                ButtonType::Url,
                ButtonType::PhoneNumber,
                ButtonType::CopyCode,
                ButtonType::Otp,
                ButtonType::Catalog,
                ButtonType::MultiProduct,
                ButtonType::SingleProduct,
                ButtonType::Flow,
            ],
            (TemplateKind::Reply, _) => &[ButtonType::Reply],
            (TemplateKind::CtaUrl, _) => &[ButtonType::Url],
        };
        let button_type = match button.kind {
            Some(button_type) => button_type,
            None if kind == TemplateKind::Reply => ButtonType::Reply,
            None => {
                self.problem(
                    format!("{path}.type"),
                    format!("is required: one of {}", names(allowed)),
                );
                return;
            }
        };
        if !allowed.contains(&button_type) {
            self.problem(
                format!("{path}.type"),
                format!(
                    "`{}` buttons do not belong on a `{kind}`; use one of {}",
                    button_type.as_str(),
                    names(allowed)
                ),
            );
            return;
        }

        // (required keys, optional keys, longest label)
        let (required, optional, label_max): (&[&str], &[&str], usize) = match button_type {
            ButtonType::QuickReply => (&["text"], &[], limits::TEMPLATE_BUTTON_TEXT),
            ButtonType::Url if kind == TemplateKind::CtaUrl => {
                (&["text", "url"], &[], limits::CTA_DISPLAY_TEXT)
            }
            ButtonType::Url => (&["text", "url"], &[], limits::TEMPLATE_BUTTON_TEXT),
            ButtonType::PhoneNumber => {
                (&["text", "phone_number"], &[], limits::TEMPLATE_BUTTON_TEXT)
            }
            ButtonType::Reply => (&["id", "title"], &[], limits::REPLY_BUTTON_TITLE),
            ButtonType::Flow => (&["text"], &[], limits::TEMPLATE_BUTTON_TEXT),
            // Meta writes these buttons' labels itself and may leave them out.
            ButtonType::CopyCode
            | ButtonType::Otp
            | ButtonType::Catalog
            | ButtonType::MultiProduct
            | ButtonType::SingleProduct => (&[], &["text"], limits::TEMPLATE_BUTTON_TEXT),
        };
        let fields = [
            ("text", &button.text),
            ("url", &button.url),
            ("phone_number", &button.phone_number),
            ("id", &button.id),
            ("title", &button.title),
        ];
        for (key, value) in fields {
            match (required.contains(&key), value) {
                (true, None) => self.problem(
                    format!("{path}.{key}"),
                    format!("is required for a `{}` button", button_type.as_str()),
                ),
                (true, Some(value)) if value.trim().is_empty() => {
                    self.problem(format!("{path}.{key}"), "is empty")
                }
                (false, Some(_)) if !optional.contains(&key) => self.problem(
                    format!("{path}.{key}"),
                    format!("does not apply to a `{}` button", button_type.as_str()),
                ),
                _ => {}
            }
        }

        let label_key = if button_type == ButtonType::Reply {
            "title"
        } else {
            "text"
        };
        if let Some(problem) = button
            .label()
            .and_then(|label| length_problem(label, label_max))
        {
            self.problem(format!("{path}.{label_key}"), problem);
        }
        if let Some(problem) = button
            .id
            .as_deref()
            .and_then(|id| length_problem(id, limits::REPLY_BUTTON_ID))
        {
            self.problem(format!("{path}.id"), problem);
        }
        if let Some(url) = &button.url {
            self.button_url(&format!("{path}.url"), url);
        }
        if let Some(otp @ (OtpType::OneTap | OtpType::ZeroTap)) = button.otp_type
            && button.otp_app.is_none()
        {
            self.problem(
                format!("{path}.package_name"),
                format!(
                    "is required, with `signature_hash`, for a {} `otp` button: WhatsApp hands the code to that Android app, and approves no such button without them",
                    otp.as_str()
                ),
            );
        }
        if let Some(number) = &button.phone_number
            && !limits::is_e164(number)
        {
            self.problem(
                format!("{path}.phone_number"),
                format!("`{number}` is not an E.164 number such as +14155550100"),
            );
        }
    }

    fn button_url(&mut self, path: &str, url: &str) {
        let found = placeholder::scan(url);
        for malformed in &found.malformed {
            self.problem(
                path,
                format!("`{malformed}` is not a placeholder; a dynamic URL ends with `{{{{1}}}}`"),
            );
        }
        match found.occurrences.as_slice() {
            [] => {}
            [(1, range)] if range.end == url.len() => {}
            _ => self.problem(
                path,
                "a URL takes one placeholder, `{{1}}`, at its very end (the dynamic suffix)",
            ),
        }
        let without_placeholder = placeholder::fill(url, &["suffix"]);
        if !limits::is_http_url(&without_placeholder) {
            self.problem(path, format!("`{url}` is not an http(s) URL"));
        }
        if let Some(problem) = length_problem(url, limits::BUTTON_URL) {
            self.problem(path, problem);
        }
    }
}

fn names(types: &[ButtonType]) -> String {
    types
        .iter()
        .map(|t| format!("`{}`", t.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list_placeholders(numbers: &[usize]) -> String {
    if numbers.is_empty() {
        return String::new();
    }
    let listed: Vec<String> = numbers.iter().map(|n| format!("{{{{{n}}}}}")).collect();
    format!(" ({})", listed.join(", "))
}
