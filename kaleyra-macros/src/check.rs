//! Phase two: the struct's fields against the template's definition.
//!
//! Each mistake is reported once, at the token that is wrong: a field's
//! attribute when it names a header or button the template lacks, the field
//! when it is one body field too many, the struct's name when something is
//! missing. A field in the wrong place is usually meant for something the
//! template still needs, so its error suggests that edit and the missing
//! thing is not reported a second time.

use std::collections::HashMap;

use kaleyra_definitions::{
    Button, ButtonParameter, HeaderType, ParameterFormat, TemplateDefinition, did_you_mean,
};
use proc_macro2::Span;

use crate::attr::{Container, Field, Role};
use crate::ctxt::{Ctxt, Message};
use crate::locate::Located;

/// Which field fills what, once the struct matches its definition.
pub(crate) struct Plan<'a> {
    /// The body fields, in placeholder order (for named placeholders, in the
    /// order the names first appear in the body; each field's
    /// [`Field::parameter_name`] is its placeholder).
    pub(crate) body: Vec<&'a Field<'a>>,
    /// Whether the body's placeholders are named (`{{customer_name}}`).
    pub(crate) named: bool,
    /// The header field and the header it fills.
    pub(crate) header: Option<(&'a Field<'a>, HeaderType)>,
    /// The button fields with their index and what they give, by index.
    pub(crate) buttons: Vec<(&'a Field<'a>, u8, ButtonParameter)>,
    /// For an authentication template: the field that gives the code, and
    /// the index of the button that carries it.
    pub(crate) code: Option<(&'a Field<'a>, u8)>,
    /// The field that chooses the language at run time, if any.
    pub(crate) language: Option<&'a Field<'a>>,
}

/// A field whose attribute does not fit the template.
struct Misplaced<'a> {
    field: &'a Field<'a>,
    /// The token that is wrong: the `header` key or the button's number.
    span: Span,
    headline: String,
    note: String,
    /// Whether it names a button that exists but takes no value.
    valueless_button: bool,
}

/// What the template takes that no field gives yet.
struct Open {
    /// Body placeholders without a field (numbers, from 1).
    body: Vec<usize>,
    /// Whether the header takes a value and no field gives it.
    header: bool,
    /// Buttons that take a value no field gives, required ones first.
    buttons: Vec<u8>,
    /// Of those, the ones each message must fill.
    required_buttons: Vec<u8>,
}

/// The edit that turns a misplaced field into one the template needs.
enum Fix {
    Button(u8),
    Header,
    Body,
}

impl Open {
    /// Claims the first open slot of the kinds in `preferences`, in order.
    fn claim(&mut self, preferences: &[Preference]) -> Option<Fix> {
        for preference in preferences {
            match preference {
                Preference::Button if !self.buttons.is_empty() => {
                    let index = self.buttons.remove(0);
                    self.required_buttons.retain(|open| *open != index);
                    return Some(Fix::Button(index));
                }
                Preference::RequiredButton if !self.required_buttons.is_empty() => {
                    let index = self.required_buttons.remove(0);
                    self.buttons.retain(|open| *open != index);
                    return Some(Fix::Button(index));
                }
                Preference::Header if self.header => {
                    self.header = false;
                    return Some(Fix::Header);
                }
                Preference::Body if !self.body.is_empty() => {
                    self.body.remove(0);
                    return Some(Fix::Body);
                }
                _ => {}
            }
        }
        None
    }
}

enum Preference {
    /// Any button that takes a value.
    Button,
    /// A button whose value each message must give.
    RequiredButton,
    Header,
    Body,
}

pub(crate) fn check<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
) -> Plan<'a> {
    let definition = &located.definition;
    let about = Describe { located };
    let mut plan = Plan {
        body: Vec::new(),
        named: definition.parameter_format == ParameterFormat::Named,
        header: None,
        buttons: Vec::new(),
        code: None,
        language: None,
    };
    plan.language = language_field(cx, container, located);
    if definition.authentication().is_some() {
        authentication(cx, container, located, &mut plan);
        return plan;
    }
    let mut misplaced: Vec<Misplaced<'a>> = Vec::new();
    let mut button_fields: HashMap<u8, &Field<'_>> = HashMap::new();

    for field in &container.fields {
        match &field.role {
            Role::Invalid | Role::Language { .. } => {}
            Role::Body => {
                if let (Some(param), false) = (&field.param, plan.named) {
                    cx.error_spanned_by(
                        param,
                        Message::new(format!(
                            "template `{}` has numbered placeholders, not named ones",
                            definition.name
                        ))
                        .note(
                            "body fields fill `{{1}}`, `{{2}}`, .. in the order they are declared",
                        )
                        .help("remove `param`"),
                    );
                }
                plan.body.push(field);
            }
            Role::Header { span } => {
                let header = definition
                    .header
                    .as_ref()
                    .filter(|header| header.takes_value());
                match header {
                    Some(_) if plan.header.is_some() => misplaced.push(Misplaced {
                        field,
                        span: *span,
                        headline: "a second `header` field".to_owned(),
                        note: format!(
                            "the header takes one value, and `{}` gives it",
                            plan.header
                                .map(|(field, _)| field.ident.to_string())
                                .unwrap_or_default()
                        ),
                        valueless_button: false,
                    }),
                    Some(header) => plan.header = Some((field, header.kind)),
                    None => misplaced.push(Misplaced {
                        field,
                        span: *span,
                        headline: format!(
                            "template `{}` has no header that takes a value",
                            definition.name
                        ),
                        note: format!("`{}` has {}", located.shown, about.header()),
                        valueless_button: false,
                    }),
                }
            }
            Role::Button { index, literal } => {
                let button = u8::try_from(*index)
                    .ok()
                    .and_then(|index| definition.button(index));
                let Some(button) = button else {
                    misplaced.push(Misplaced {
                        field,
                        span: literal.span(),
                        headline: format!("template `{}` has no button {index}", definition.name),
                        note: format!("`{}` has {}", located.shown, about.buttons()),
                        valueless_button: false,
                    });
                    continue;
                };
                let Some(parameter) = button.takes() else {
                    misplaced.push(Misplaced {
                        field,
                        span: literal.span(),
                        headline: format!("button {index} takes no value"),
                        note: format!(
                            "button {index} of `{}` is {}",
                            located.shown,
                            describe_button(button)
                        ),
                        valueless_button: true,
                    });
                    continue;
                };
                if let Some(first) = button_fields.get(&button.index) {
                    misplaced.push(Misplaced {
                        field,
                        span: literal.span(),
                        headline: format!("a second field for button {index}"),
                        note: format!(
                            "each button takes one value, and `{}` gives it",
                            first.ident
                        ),
                        valueless_button: false,
                    });
                    continue;
                }
                button_fields.insert(button.index, field);
                plan.buttons.push((field, button.index, parameter));
            }
        }
    }
    plan.buttons.sort_by_key(|(_, index, _)| *index);

    // With a field whose role is unknown, what looks missing or extra may be
    // that field: report only what is wrong on its own.
    let roles_known = !container
        .fields
        .iter()
        .any(|field| matches!(field.role, Role::Invalid));
    let expected = definition.param_count();
    let mut open = Open {
        // Named placeholders are matched by name, not filled in order.
        body: if plan.named {
            Vec::new()
        } else {
            (plan.body.len() + 1..=expected).collect()
        },
        header: plan.header.is_none()
            && definition
                .header
                .as_ref()
                .is_some_and(|header| header.takes_value()),
        buttons: open_buttons(definition, &button_fields),
        required_buttons: Vec::new(),
    };
    open.required_buttons = open
        .buttons
        .iter()
        .copied()
        .filter(|index| {
            definition
                .button(*index)
                .and_then(Button::takes)
                .is_some_and(ButtonParameter::is_required)
        })
        .collect();

    for wrong in &misplaced {
        // A button that takes no value was likely meant for one that must
        // have one; a button number that does not exist, for any button.
        let preferences = match (&wrong.field.role, wrong.valueless_button) {
            (Role::Header { .. }, _) => [
                Preference::Body,
                Preference::RequiredButton,
                Preference::Header,
            ],
            (_, true) => [
                Preference::RequiredButton,
                Preference::Body,
                Preference::Header,
            ],
            (_, false) => [Preference::Button, Preference::Body, Preference::Header],
        };
        let help = match open.claim(&preferences) {
            Some(Fix::Button(index)) => match wrong.field.role {
                Role::Button { .. } => format!("did you mean `button = {index}`?"),
                _ => format!(
                    "did you mean `button = {index}`? {}",
                    about.button_needs(index)
                ),
            },
            Some(Fix::Body) => {
                let number = body_position(container, wrong.field);
                format!(
                    "remove the attribute: `{}` then fills body `{{{{{number}}}}}`",
                    wrong.field.ident
                )
            }
            Some(Fix::Header) => "did you mean `header`?".to_owned(),
            None => format!("remove the field `{}`", wrong.field.ident),
        };
        cx.push(syn::Error::new(
            wrong.span,
            Message::new(&wrong.headline).note(&wrong.note).help(help),
        ));
    }

    if !roles_known {
        return plan;
    }
    let ident = &container.input.ident;
    if plan.named {
        named_body(cx, container, located, &mut plan);
    }
    let body_names = names(&plan.body);

    let extra = if plan.named {
        Vec::new()
    } else {
        extra_body_fields(&plan.body, expected, open.header)
    };
    for field in extra {
        let preferences = if holds_media_url(field.ty) {
            [Preference::Header, Preference::Button]
        } else {
            [Preference::Button, Preference::Header]
        };
        let help = match open.claim(&preferences) {
            Some(Fix::Header) => "did you mean to mark it `#[kaleyra(header)]`?".to_owned(),
            Some(Fix::Button(index)) => format!(
                "did you mean to mark it `#[kaleyra(button = {index})]`? {}",
                about.button_needs(index)
            ),
            _ => format!("remove the field `{}`", field.ident),
        };
        cx.error_spanned_by(
            field.ident,
            Message::new(format!("one body field too many: `{}`", field.ident))
            .note(format!(
                "`{}` has {expected} body placeholder{}; body fields fill them in the order they are declared ({body_names})",
                located.shown,
                plural(expected),
            ))
            .help(help),
        );
    }

    if let (Some(&first), false) = (open.body.first(), plan.named) {
        let missing: Vec<String> = open.body.iter().map(|n| format!("`{{{{{n}}}}}`")).collect();
        let after = plan
            .body
            .last()
            .map_or(String::new(), |field| format!(" after `{}`", field.ident));
        cx.error_spanned_by(
            ident,
            Message::new(format!(
                "no field for body {}",
                missing.join(", ")
            ))
            .note(format!(
                "`{}` takes {expected} body value{}; `{ident}` has {} ({})",
                located.shown,
                plural(expected),
                plan.body.len(),
                if body_names.is_empty() { "none" } else { &body_names },
            ))
            .help(format!(
                "add {}{after}: body fields fill the placeholders in the order they are declared, starting with `{{{{{first}}}}}`",
                if open.body.len() == 1 { "a field".to_owned() } else { format!("{} fields", open.body.len()) },
            )),
        );
    }

    if open.header {
        let ty = if definition
            .header
            .as_ref()
            .is_some_and(|header| header.kind.is_media())
        {
            "kaleyra_runtime::MediaUrl"
        } else {
            "String"
        };
        cx.error_spanned_by(
            ident,
            Message::new("no field for the header")
                .note(format!(
                    "`{}` has {}, which each message fills",
                    located.shown,
                    about.header()
                ))
                .help(format!("add a field `#[kaleyra(header)] header: {ty}`")),
        );
    }

    for index in &open.buttons {
        let Some(button) = definition.button(*index) else {
            continue;
        };
        if !button.takes().is_some_and(ButtonParameter::is_required) {
            continue;
        }
        let what_it_takes = if button.takes() == Some(ButtonParameter::CouponCode) {
            ("code", "gives")
        } else {
            ("suffix", "fills")
        };
        cx.error_spanned_by(
            ident,
            Message::new(format!("no field for button {index}"))
                .note(format!(
                    "button {index} of `{}` is {}, whose {} each message {}",
                    located.shown,
                    describe_button(button),
                    what_it_takes.0,
                    what_it_takes.1,
                ))
                .help(format!(
                    "add a field `#[kaleyra(button = {index})] {}: String`",
                    field_name(button)
                )),
        );
    }
    plan
}

/// The field marked `#[kaleyra(language)]`, after checking the struct
/// chooses its language that way: exactly when the template has several
/// languages on file (or the struct asks to, for a template with a language)
/// and no `language = "..."` picks one.
fn language_field<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
) -> Option<&'a Field<'a>> {
    let name = &located.definition.name;
    let mut chosen: Option<&'a Field<'a>> = None;
    for field in &container.fields {
        let Role::Language { span } = field.role else {
            continue;
        };
        let problem = if let Some(first) = chosen {
            Some(
                Message::new("a second `language` field")
                    .note(format!("`{}` chooses the language already", first.ident))
                    .help(format!("remove `{}`", field.ident)),
            )
        } else if let Some(fixed) = &container.language {
            Some(
                Message::new(format!(
                    "the struct sends `{name}` in `{}` only",
                    fixed.value()
                ))
                .note("`language = \"...\"` on the struct picks one language")
                .help(format!(
                    "remove the field `{}`, or remove `language = \"{}\"` to choose among every language on file",
                    field.ident,
                    fixed.value()
                )),
            )
        } else if located.definition.language.is_none() {
            Some(
                Message::new(format!("template `{name}` names no language"))
                    .note(format!("`{}` has no `language`", located.shown))
                    .help(format!("remove the field `{}`", field.ident)),
            )
        } else {
            None
        };
        match problem {
            Some(message) => cx.push(syn::Error::new(span, message)),
            None => chosen = Some(field),
        }
    }
    let invalid = container
        .fields
        .iter()
        .any(|field| matches!(field.role, Role::Invalid));
    if chosen.is_none() && located.has_several_languages() && !invalid {
        let codes = crate::language::codes(located);
        let first = codes.first().cloned().unwrap_or_default();
        let listed: Vec<String> = codes.iter().map(|code| format!("`{code}`")).collect();
        let ident = &container.input.ident;
        cx.error_spanned_by(
            ident,
            Message::new(format!(
                "template `{name}` is on file in {} languages: the struct must say which it sends",
                codes.len()
            ))
            .note(format!("the languages are {}", listed.join(", ")))
            .help(format!(
                "choose at run time with a field `#[kaleyra(language)] language: {}`, or pick one with `#[kaleyra(template = \"{name}\", language = \"{first}\")]`",
                crate::language::enum_ident(container)
            )),
        );
    }
    chosen
}

/// An authentication template takes one value, its code: the struct has one
/// field (besides a language field), which gives it.
fn authentication<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
    plan: &mut Plan<'a>,
) {
    let definition = &located.definition;
    let Some(auth) = definition.authentication() else {
        return;
    };
    let valued: Vec<&'a Field<'a>> = container
        .fields
        .iter()
        .filter(|field| !matches!(field.role, Role::Language { .. }))
        .collect();
    let name = &definition.name;
    let note = format!(
        "`{}` is an authentication template: its one value is the code, sent as the body's parameter and as button {}'s",
        located.shown, auth.button_index
    );
    let Some((&code, extra)) = valued.split_first() else {
        cx.error_spanned_by(
            &container.input.ident,
            Message::new(format!("no field for the code of template `{name}`"))
                .note(note)
                .help("add a field `code: String` (any `Display` type)"),
        );
        return;
    };
    for field in extra {
        cx.error_spanned_by(
            field.ident,
            Message::new(format!(
                "one field too many: `{}`; authentication template `{name}` takes only its code",
                field.ident
            ))
            .note(&note)
            .note(format!("`{}` gives the code", code.ident))
            .help(format!("remove the field `{}`", field.ident)),
        );
    }
    match &code.role {
        Role::Body if code.param.is_none() => plan.code = Some((code, auth.button_index)),
        Role::Invalid => {}
        _ => cx.error_spanned_by(
            code.ident,
            Message::new(format!(
                "the code of authentication template `{name}` takes no attribute"
            ))
            .note(note)
            .help(format!(
                "remove the `#[kaleyra(...)]` attribute of `{}`",
                code.ident
            )),
        ),
    }
}

/// Matches the body fields with the template's named placeholders: by the
/// field's name, or its `param`. Puts them in the order the names appear.
fn named_body<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
    plan: &mut Plan<'a>,
) {
    let definition = &located.definition;
    let names = definition.body_parameter_names();
    let mut given: Vec<(&str, &'a Field<'a>)> = Vec::new();
    let mut unmatched: Vec<&'a Field<'a>> = Vec::new();
    for &field in &plan.body {
        let parameter = field.parameter_name();
        match names.iter().find(|name| **name == parameter) {
            Some(name) => match given.iter().find(|(other, _)| other == name) {
                Some((_, first)) => cx.push(syn::Error::new(
                    field.parameter_span(),
                    Message::new(format!("a second field for `{{{{{name}}}}}`"))
                        .note(format!("`{}` fills it already", first.ident))
                        .help(format!("remove the field `{}`", field.ident)),
                )),
                None => given.push((name, field)),
            },
            None => unmatched.push(field),
        }
    }
    let open: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !given.iter().any(|(given, _)| given == name))
        .collect();
    let listed = |names: &[&str]| -> String {
        let quoted: Vec<String> = names
            .iter()
            .map(|name| format!("`{{{{{name}}}}}`"))
            .collect();
        quoted.join(", ")
    };
    // A misspelt field is reported once, with the open placeholder it likely
    // meant; that placeholder is then not reported missing as well.
    let mut suggested: Vec<&str> = Vec::new();
    for field in unmatched {
        let parameter = field.parameter_name();
        let candidates = open
            .iter()
            .copied()
            .filter(|name| !suggested.contains(name));
        let suggestion = did_you_mean(&parameter, candidates).first().copied();
        let help = match (suggestion, &field.param) {
            (Some(name), Some(_)) => format!("did you mean `param = \"{name}\"`?"),
            (Some(name), None) => format!(
                "did you mean `{name}`? (or keep the field's name and mark it `#[kaleyra(param = \"{name}\")]`)"
            ),
            (None, _) if !open.is_empty() => format!(
                "rename it after the placeholder it fills, or mark it `#[kaleyra(param = \"...\")]`; {} {} no field yet",
                listed(&open),
                if open.len() == 1 { "has" } else { "have" }
            ),
            (None, _) => format!("remove the field `{}`", field.ident),
        };
        suggested.extend(suggestion);
        cx.push(syn::Error::new(
            field.parameter_span(),
            Message::new(format!(
                "template `{}` has no placeholder `{{{{{parameter}}}}}`",
                definition.name
            ))
            .note(format!(
                "the body of `{}` has {}; a body field fills the placeholder of its name",
                located.shown,
                if names.is_empty() {
                    "no placeholders".to_owned()
                } else {
                    listed(&names)
                }
            ))
            .help(help),
        ));
    }
    let missing: Vec<&str> = open
        .iter()
        .copied()
        .filter(|name| !suggested.contains(name))
        .collect();
    if !missing.is_empty() {
        let fields: Vec<String> = missing
            .iter()
            .map(|name| format!("`{name}: String`"))
            .collect();
        cx.error_spanned_by(
            &container.input.ident,
            Message::new(format!("no field for body {}", listed(&missing)))
                .note(format!(
                    "`{}` has named placeholders; a body field fills the placeholder of its name",
                    located.shown
                ))
                .help(format!(
                    "add {} {}",
                    if missing.len() == 1 {
                        "a field"
                    } else {
                        "fields"
                    },
                    fields.join(", ")
                )),
        );
    }
    let mut ordered: Vec<&'a Field<'a>> = Vec::new();
    for name in &names {
        if let Some((_, field)) = given.iter().find(|(given, _)| given == name) {
            ordered.push(field);
        }
    }
    plan.body = ordered;
}

/// The buttons that take a value no field gives, those that need one first.
fn open_buttons(definition: &TemplateDefinition, filled: &HashMap<u8, &Field<'_>>) -> Vec<u8> {
    let mut open: Vec<(bool, u8)> = definition
        .buttons
        .iter()
        .filter(|button| !filled.contains_key(&button.index))
        .filter_map(|button| {
            let value = button.takes()?;
            Some((!value.is_required(), button.index))
        })
        .collect();
    open.sort();
    open.into_iter().map(|(_, index)| index).collect()
}

/// The body placeholder `field` would fill as a body field: one more than
/// the body fields declared before it.
fn body_position(container: &Container<'_>, field: &Field<'_>) -> usize {
    1 + container
        .fields
        .iter()
        .take_while(|other| !std::ptr::eq(*other, field))
        .filter(|other| matches!(other.role, Role::Body))
        .count()
}

/// The body fields beyond the template's count. When the header is open and
/// a body field holds a `MediaUrl`, that field is the likely extra one: it
/// was meant for the header.
fn extra_body_fields<'a>(
    body: &[&'a Field<'a>],
    expected: usize,
    header_open: bool,
) -> Vec<&'a Field<'a>> {
    let count = body.len().saturating_sub(expected);
    if count == 0 {
        return Vec::new();
    }
    let media = body
        .iter()
        .position(|field| header_open && holds_media_url(field.ty));
    let mut extra: Vec<usize> = media.into_iter().collect();
    extra.extend(
        (0..body.len())
            .rev()
            .filter(|position| Some(*position) != media)
            .take(count - extra.len()),
    );
    extra.sort();
    extra.into_iter().map(|position| body[position]).collect()
}

/// Whether a field's type is written as `MediaUrl` (or a path ending in it,
/// or a reference to it).
pub(crate) fn holds_media_url(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(reference) => holds_media_url(&reference.elem),
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "MediaUrl"),
        _ => false,
    }
}

/// "`name`, `code`".
fn names(fields: &[&Field<'_>]) -> String {
    let names: Vec<String> = fields
        .iter()
        .map(|field| format!("`{}`", field.ident))
        .collect();
    names.join(", ")
}

/// A field name for a button's value, from its label: "Login" → `login`.
fn field_name(button: &Button) -> String {
    let words: Vec<String> = button
        .label()
        .unwrap_or_default()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let name = words.join("_");
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && syn::parse_str::<syn::Ident>(&name).is_ok();
    if valid {
        name
    } else {
        match button.takes() {
            Some(ButtonParameter::Payload) => "payload",
            Some(ButtonParameter::CouponCode) => "coupon_code",
            _ => "url_suffix",
        }
        .to_owned()
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Phrases that describe the template in messages.
struct Describe<'a> {
    located: &'a Located,
}

impl Describe<'_> {
    fn definition(&self) -> &TemplateDefinition {
        &self.located.definition
    }

    fn header(&self) -> String {
        match &self.definition().header {
            None => "no header".to_owned(),
            Some(header) => match (header.kind, header.text.as_deref()) {
                (HeaderType::Text, Some(text)) if header.takes_value() => {
                    format!("a text header with a placeholder, \"{text}\"")
                }
                (HeaderType::Text, Some(text)) => {
                    format!("a header of fixed text, \"{text}\"")
                }
                (kind, _) => format!(
                    "a{} {} header",
                    if kind == HeaderType::Image { "n" } else { "" },
                    kind.as_str()
                ),
            },
        }
    }

    fn buttons(&self) -> String {
        let buttons = &self.definition().buttons;
        if buttons.is_empty() {
            return "no buttons".to_owned();
        }
        let listed: Vec<String> = buttons
            .iter()
            .map(|button| format!("{} ({})", button.index, describe_button(button)))
            .collect();
        format!("buttons {}", listed.join(", "))
    }

    /// Why button `index` needs a field: "(button 1 is a url button ...)".
    fn button_needs(&self, index: u8) -> String {
        self.definition()
            .button(index)
            .map(|button| format!("(button {index} is {})", describe_button(button)))
            .unwrap_or_default()
    }
}

/// "a quick_reply button \"Confirm\"", "a url button with a fixed URL".
fn describe_button(button: &Button) -> String {
    let kind = button.button_type().as_str();
    let label = button
        .label()
        .map(|label| format!(" \"{label}\""))
        .unwrap_or_default();
    let extra = match button.url.as_deref() {
        Some(url) if button.has_dynamic_url() => format!(" with a dynamic URL ({url})"),
        Some(url) => format!(" with a fixed URL ({url})"),
        None => String::new(),
    };
    format!("a {kind} button{label}{extra}")
}
