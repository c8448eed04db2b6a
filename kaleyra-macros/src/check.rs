//! Phase two: the struct's fields against the template's definition.
//!
//! Each mistake is reported once, at the token that is wrong: a field's
//! attribute when it names a header or button the template lacks, the field
//! when it is one body field too many, the struct's name when something is
//! missing. A field in the wrong place is usually meant for something the
//! template still needs, so its error suggests that edit and the missing
//! thing is not reported a second time.

use kaleyra_definitions::values::{NoSlot, Slot};
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
    /// The field that gives the limited-time offer's expiry, if any.
    pub(crate) offer_expiry: Option<&'a Field<'a>>,
    /// The field that gives the flow button's initial data, if any.
    pub(crate) flow_data: Option<&'a Field<'a>>,
    /// The field that holds a carousel's cards, if any.
    pub(crate) cards: Option<&'a Field<'a>>,
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

/// Checks the struct against its definition, reporting every mistake, and
/// says which field fills what.
///
/// The steps run in this order because each later one reads what the
/// earlier ones found; it is also the order the errors are shown in.
pub(crate) fn check<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
) -> Plan<'a> {
    let definition = &located.definition;
    let mut plan = Plan::empty(definition);
    plan.language = language_field(cx, container, located);
    if definition.authentication().is_some() {
        authentication(cx, container, located, &mut plan);
        return plan;
    }
    let misplaced = place_fields(cx, container, located, &mut plan);
    let placed = crate::offer_flow::place(cx, container, located);
    plan.offer_expiry = placed.offer_expiry;
    plan.flow_data = placed.flow_data;
    plan.cards = crate::cards::place(cx, container, located);
    let mut open = Open::left_by(definition, &plan);
    suggest_fixes(cx, container, located, &misplaced, &mut open);
    // With a field whose role is unknown, what looks missing or extra may be
    // that field: report only what is wrong on its own.
    if !roles_known(container) {
        return plan;
    }
    if plan.named {
        named_body(cx, container, located, &mut plan);
    } else {
        report_extra_body_fields(cx, located, &plan, &mut open);
        report_missing_body(cx, container, located, &plan, &open);
    }
    report_missing_header(cx, container, located, &open);
    report_missing_buttons(cx, container, located, &open);
    plan
}

impl Plan<'_> {
    /// A plan with no field placed yet.
    fn empty(definition: &TemplateDefinition) -> Self {
        Plan {
            body: Vec::new(),
            named: definition.parameter_format == ParameterFormat::Named,
            header: None,
            buttons: Vec::new(),
            code: None,
            language: None,
            offer_expiry: None,
            flow_data: None,
            cards: None,
        }
    }
}

/// Puts each field where its role says (body, header, button) when the
/// template has that place free, and returns those it has not: a header or
/// button the template lacks, a button that takes no value, a second field
/// for one place. Reports `param` on a template with numbered placeholders
/// as it goes. The buttons end sorted by index.
fn place_fields<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
    plan: &mut Plan<'a>,
) -> Vec<Misplaced<'a>> {
    let definition = &located.definition;
    let about = Describe { located };
    let mut misplaced: Vec<Misplaced<'a>> = Vec::new();
    for field in &container.fields {
        match &field.role {
            // Placed by `crate::offer_flow::place`.
            Role::Invalid
            | Role::Language { .. }
            | Role::OfferExpiry { .. }
            | Role::FlowData { .. }
            | Role::Cards { .. } => {}
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
            Role::Header { span } => match definition.header_slot() {
                Err(no_slot) => misplaced.push(Misplaced {
                    field,
                    span: *span,
                    headline: no_slot.to_string(),
                    note: format!("{} has {}", located.subject, about.header()),
                    valueless_button: false,
                }),
                Ok(_) if plan.header.is_some() => misplaced.push(Misplaced {
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
                Ok(_) => {
                    plan.header = definition
                        .header
                        .as_ref()
                        .map(|header| (field, header.kind))
                }
            },
            Role::Button { index, literal } => {
                let asked = usize::try_from(*index).unwrap_or(usize::MAX);
                let (button, parameter) = match definition.button_slot(asked) {
                    Ok(Slot::Button { index, takes }) => (index, takes),
                    Err(no_slot @ NoSlot::ButtonTakesNoValue { index }) => {
                        misplaced.push(Misplaced {
                            field,
                            span: literal.span(),
                            headline: no_slot.to_string(),
                            note: format!(
                                "button {index} of {} is {}",
                                located.subject,
                                definition
                                    .button(index)
                                    .map_or_else(String::new, describe_button)
                            ),
                            valueless_button: true,
                        });
                        continue;
                    }
                    _ => {
                        let no_slot = NoSlot::Button {
                            template: definition.name.clone(),
                            index: asked,
                        };
                        misplaced.push(Misplaced {
                            field,
                            span: literal.span(),
                            headline: no_slot.to_string(),
                            note: format!("{} has {}", located.subject, about.buttons()),
                            valueless_button: false,
                        });
                        continue;
                    }
                };
                let first = plan.buttons.iter().find(|(_, filled, _)| *filled == button);
                if let Some((first, _, _)) = first {
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
                plan.buttons.push((field, button, parameter));
            }
        }
    }
    plan.buttons.sort_by_key(|(_, index, _)| *index);
    misplaced
}

impl Open {
    /// What the template takes that the fields placed in `plan` do not give.
    fn left_by(definition: &TemplateDefinition, plan: &Plan<'_>) -> Open {
        let expected = definition.param_count();
        let buttons = open_buttons(definition, plan);
        let required_buttons = buttons
            .iter()
            .copied()
            .filter(|index| {
                definition
                    .button(*index)
                    .and_then(Button::takes)
                    .is_some_and(ButtonParameter::is_required)
            })
            .collect();
        Open {
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
            buttons,
            required_buttons,
        }
    }
}

/// Reports each misplaced field at its wrong token, with the edit that makes
/// it fill something still open (which is then no longer open), or else
/// with its removal.
fn suggest_fixes(
    cx: &mut Ctxt,
    container: &Container<'_>,
    located: &Located,
    misplaced: &[Misplaced<'_>],
    open: &mut Open,
) {
    let about = Describe { located };
    for wrong in misplaced {
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
}

/// Whether every field's role is known (none had an attribute error).
fn roles_known(container: &Container<'_>) -> bool {
    !container
        .fields
        .iter()
        .any(|field| matches!(field.role, Role::Invalid))
}

/// Reports each body field beyond the template's numbered placeholders, with
/// the open header or button it was likely meant for (claiming it).
fn report_extra_body_fields(cx: &mut Ctxt, located: &Located, plan: &Plan<'_>, open: &mut Open) {
    let about = Describe { located };
    let expected = located.definition.param_count();
    let body_names = names(&plan.body);
    for field in extra_body_fields(&plan.body, expected, open.header) {
        let preferences = if holds_media(field.ty) {
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
                "{} has {expected} body placeholder{}; body fields fill them in the order they are declared ({body_names})",
                located.subject,
                plural(expected),
            ))
            .help(help),
        );
    }
}

/// Reports the numbered body placeholders no field fills, at the struct's name.
fn report_missing_body(
    cx: &mut Ctxt,
    container: &Container<'_>,
    located: &Located,
    plan: &Plan<'_>,
    open: &Open,
) {
    let Some(&first) = open.body.first() else {
        return;
    };
    let ident = &container.input.ident;
    let expected = located.definition.param_count();
    let body_names = names(&plan.body);
    let missing: Vec<String> = open.body.iter().map(|n| format!("`{{{{{n}}}}}`")).collect();
    let after = plan
        .body
        .last()
        .map_or(String::new(), |field| format!(" after `{}`", field.ident));
    let mut message = Message::new(format!("no field for body {}", missing.join(", ")));
    if let Some(note) = code_field_note(container, located) {
        message = message.note(note);
    }
    cx.error_spanned_by(
        ident,
        message
        .note(format!(
            "{} takes {expected} body value{}; `{ident}` has {} ({})",
            located.subject,
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

/// When a struct whose one field is named `code` misses values of a template
/// that is not an authentication template: why `code` alone does not do, as
/// it would for an authentication template (whose one code fills the body
/// and its code button). A `code` beside other fields is an ordinary value
/// (a body's discount code, say) and gets no note.
fn code_field_note(container: &Container<'_>, located: &Located) -> Option<String> {
    let definition = &located.definition;
    let only_code = matches!(container.fields.as_slice(), [field] if field.ident == "code");
    if definition.authentication().is_some() || !only_code {
        return None;
    }
    let category = definition
        .category
        .map_or("no category".to_owned(), |category| {
            format!("category `{}`", category.as_str())
        });
    Some(format!(
        "`code` stands for every value only on an authentication template (category `AUTHENTICATION` with an `OTP` or copy-code button); {} is not one ({category}), so each of its values needs a field of its own",
        located.subject
    ))
}

/// Reports a header that takes a value no field gives, at the struct's name.
fn report_missing_header(cx: &mut Ctxt, container: &Container<'_>, located: &Located, open: &Open) {
    if !open.header {
        return;
    }
    let about = Describe { located };
    let ty = match located.definition.header.as_ref().map(|header| header.kind) {
        Some(HeaderType::Product) => "kaleyra_runtime::Product",
        Some(kind) if kind.is_media() => "kaleyra_runtime::MediaUrl",
        Some(HeaderType::Location) => "kaleyra_runtime::Location",
        _ => "String",
    };
    cx.error_spanned_by(
        &container.input.ident,
        Message::new("no field for the header")
            .note(format!(
                "{} has {}, which each message fills",
                located.subject,
                about.header()
            ))
            .help(format!("add a field `#[kaleyra(header)] header: {ty}`")),
    );
}

/// Reports each open button whose value every message must give, at the
/// struct's name. (An open optional button is fine: it is sent without.)
fn report_missing_buttons(
    cx: &mut Ctxt,
    container: &Container<'_>,
    located: &Located,
    open: &Open,
) {
    let definition = &located.definition;
    for index in &open.buttons {
        let Some(button) = definition.button(*index) else {
            continue;
        };
        if !button.takes().is_some_and(ButtonParameter::is_required) {
            continue;
        }
        let what_it_takes = match button.takes() {
            Some(ButtonParameter::CouponCode) => ("code", "gives"),
            Some(ButtonParameter::ProductThumbnail) => ("thumbnail product", "names"),
            Some(ButtonParameter::ProductSections) => ("products", "lists"),
            Some(ButtonParameter::FlowToken) => ("flow token", "gives"),
            _ => ("suffix", "fills"),
        };
        let ty = match button.takes() {
            Some(ButtonParameter::ProductSections) => "kaleyra_runtime::MultiProduct",
            _ => "String",
        };
        let mut message = Message::new(format!("no field for button {index}"));
        if let Some(note) = code_field_note(container, located) {
            message = message.note(note);
        }
        cx.error_spanned_by(
            &container.input.ident,
            message
                .note(format!(
                    "button {index} of {} is {}, whose {} each message {}",
                    located.subject,
                    describe_button(button),
                    what_it_takes.0,
                    what_it_takes.1,
                ))
                .help(format!(
                    "add a field `#[kaleyra(button = {index})] {}: {ty}`",
                    field_name(button)
                )),
        );
    }
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
                    .note(format!("{} has no `language`", located.subject))
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
    if chosen.is_none() && located.has_several_languages() && roles_known(container) {
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
        "{} is an authentication template: its one value is the code, sent as the body's parameter and as button {}'s",
        located.subject, auth.button_index
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
                "the body of {} has {}; a body field fills the placeholder of its name",
                located.subject,
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
                    "{} has named placeholders; a body field fills the placeholder of its name",
                    located.subject
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

/// The buttons that take a value no field in `plan` gives, those that need
/// one first.
fn open_buttons(definition: &TemplateDefinition, plan: &Plan<'_>) -> Vec<u8> {
    let filled = |index: u8| plan.buttons.iter().any(|(_, filled, _)| *filled == index);
    let mut open: Vec<(bool, u8)> = definition
        .buttons
        .iter()
        .filter(|button| !filled(button.index))
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
        .position(|field| header_open && holds_media(field.ty));
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

/// Whether a field's type is written as `MediaUrl`, `MediaId` or `Media`
/// (or a path ending in one, or a reference to one).
pub(crate) fn holds_media(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(reference) => holds_media(&reference.elem),
        syn::Type::Path(path) => path.path.segments.last().is_some_and(|segment| {
            segment.ident == "MediaUrl" || segment.ident == "MediaId" || segment.ident == "Media"
        }),
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
    // A product button's label ("View items") does not say what its field holds.
    match button.takes() {
        Some(ButtonParameter::ProductThumbnail) => return "thumbnail".to_owned(),
        Some(ButtonParameter::ProductSections) => return "products".to_owned(),
        _ => {}
    }
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
            Some(ButtonParameter::FlowToken) => "flow_token",
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use kaleyra_definitions::{HeaderType, TemplateDefinition};
    use syn::DeriveInput;

    use super::*;
    use crate::attr;

    /// A template with an image header, two numbered body placeholders, an
    /// optional quick reply (0), a URL button that takes a suffix (1) and a
    /// URL button with a fixed URL (2).
    const TICKET: &str = r#"{
        "name": "ticket",
        "kind": "mediatemplate",
        "header": { "type": "image", "example": "https://example.com/a.png" },
        "body": "Hi {{1}}, seat {{2}}.",
        "params": 2,
        "buttons": [
            { "index": 0, "type": "quick_reply", "text": "Confirm" },
            { "index": 1, "type": "url", "text": "Login", "url": "https://example.com/login/{{1}}" },
            { "index": 2, "type": "url", "text": "Help", "url": "https://example.com/help" }
        ]
    }"#;

    /// The same body without a header or buttons.
    const PLAIN: &str =
        r#"{ "name": "plain", "kind": "template", "body": "Hi {{1}}, seat {{2}}.", "params": 2 }"#;

    /// Named placeholders, `customer_name` first in the body.
    const NAMED: &str = r#"{
        "name": "named",
        "parameter_format": "NAMED",
        "components": [{
            "type": "BODY",
            "text": "Hi {{customer_name}}, order {{order_id}} arrives {{delivery_date}}.",
            "example": { "body_text_named_params": [
                { "param_name": "customer_name", "example": "Asha" },
                { "param_name": "order_id", "example": "ORD-1" },
                { "param_name": "delivery_date", "example": "Friday" }
            ] }
        }],
        "language": "en",
        "status": "APPROVED",
        "category": "UTILITY"
    }"#;

    /// The definition in `json`, read as `templates/<file>`.
    fn located(file: &str, json: &str) -> Located {
        let shown = format!("templates/{file}");
        let definition = TemplateDefinition::from_slice(json.as_bytes(), Path::new(&shown))
            .expect("a valid definition");
        Located {
            definition,
            languages: Vec::new(),
            subject: format!("`{shown}`"),
            shown,
        }
    }

    /// The struct's fields and roles; its attributes must be valid.
    fn container(input: &DeriveInput) -> Container<'_> {
        let mut cx = Ctxt::default();
        let container = attr::parse(&mut cx, input).expect("a struct");
        assert!(cx.messages().is_empty(), "{:?}", cx.messages());
        container
    }

    fn idents(fields: &[&Field<'_>]) -> Vec<String> {
        fields.iter().map(|field| field.ident.to_string()).collect()
    }

    /// The plan after placing the fields, with the misplaced fields' headlines
    /// and the errors reported.
    fn placed<'a>(
        container: &'a Container<'a>,
        located: &Located,
    ) -> (Plan<'a>, Vec<String>, Vec<String>) {
        let mut cx = Ctxt::default();
        let mut plan = Plan::empty(&located.definition);
        let misplaced = place_fields(&mut cx, container, located, &mut plan);
        let headlines = misplaced.iter().map(|m| m.headline.clone()).collect();
        (plan, headlines, cx.messages())
    }

    #[test]
    fn place_fields_puts_each_field_in_its_place_with_buttons_by_index() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                name: String,
                #[kaleyra(button = 1)]
                login: String,
                seat: u32,
                #[kaleyra(header)]
                photo: MediaUrl,
                #[kaleyra(button = 0)]
                confirm: String,
            }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let (plan, misplaced, errors) = placed(&container, &located);
        assert!(
            misplaced.is_empty() && errors.is_empty(),
            "{misplaced:?} {errors:?}"
        );
        assert_eq!(idents(&plan.body), ["name", "seat"]);
        let (header, kind) = plan.header.expect("a header field");
        assert_eq!(
            (header.ident.to_string(), kind),
            ("photo".to_owned(), HeaderType::Image)
        );
        let buttons: Vec<(String, u8, ButtonParameter)> = plan
            .buttons
            .iter()
            .map(|(field, index, takes)| (field.ident.to_string(), *index, *takes))
            .collect();
        assert_eq!(
            buttons,
            [
                ("confirm".to_owned(), 0, ButtonParameter::Payload),
                ("login".to_owned(), 1, ButtonParameter::UrlSuffix),
            ]
        );
    }

    #[test]
    fn place_fields_returns_each_field_the_template_has_no_place_for_in_order() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                #[kaleyra(button = 7)]
                nowhere: String,
                #[kaleyra(button = 2)]
                help: String,
                #[kaleyra(button = 1)]
                login: String,
                #[kaleyra(button = 1)]
                again: String,
                #[kaleyra(header)]
                photo: MediaUrl,
                #[kaleyra(header)]
                second_photo: MediaUrl,
            }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let mut cx = Ctxt::default();
        let mut plan = Plan::empty(&located.definition);
        let misplaced = place_fields(&mut cx, &container, &located, &mut plan);
        let found: Vec<(String, &str, bool)> = misplaced
            .iter()
            .map(|m| {
                (
                    m.field.ident.to_string(),
                    m.headline.as_str(),
                    m.valueless_button,
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "nowhere".to_owned(),
                    "template `ticket` has no button 7",
                    false
                ),
                ("help".to_owned(), "button 2 takes no value", true),
                ("again".to_owned(), "a second field for button 1", false),
                ("second_photo".to_owned(), "a second `header` field", false),
            ]
        );
        assert_eq!(
            misplaced[2].note,
            "each button takes one value, and `login` gives it"
        );
        assert!(
            misplaced[0]
                .note
                .contains("buttons 0 (a quick_reply button \"Confirm\")"),
            "{}",
            misplaced[0].note
        );
        // The first of each kept its place.
        assert_eq!(plan.buttons.len(), 1);
        assert!(plan.header.is_some());
        assert!(cx.messages().is_empty());
    }

    #[test]
    fn place_fields_refuses_a_header_field_when_the_template_has_none_and_param_on_numbered_bodies()
    {
        let input: DeriveInput = syn::parse_quote! {
            struct Plain {
                #[kaleyra(param = "name")]
                name: String,
                #[kaleyra(header)]
                photo: MediaUrl,
            }
        };
        let container = container(&input);
        let located = located("plain.json", PLAIN);
        let (plan, misplaced, errors) = placed(&container, &located);
        assert_eq!(
            misplaced,
            ["template `plain` has no header that takes a value"]
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("template `plain` has numbered placeholders, not named ones"),
            "{errors:?}"
        );
        // The field is still a body field: only its `param` is wrong.
        assert_eq!(idents(&plan.body), ["name"]);
    }

    #[test]
    fn open_left_by_lists_what_no_field_gives_required_buttons_first() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket { name: String }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let (plan, _, _) = placed(&container, &located);
        let open = Open::left_by(&located.definition, &plan);
        assert_eq!(open.body, [2]);
        assert!(open.header);
        assert_eq!(
            open.buttons,
            [1, 0],
            "the URL button must be filled, the quick reply need not"
        );
        assert_eq!(open.required_buttons, [1]);

        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                name: String,
                seat: u32,
                #[kaleyra(header)]
                photo: MediaUrl,
                #[kaleyra(button = 1)]
                login: String,
            }
        };
        let container = self::container(&input);
        let (plan, _, _) = placed(&container, &located);
        let open = Open::left_by(&located.definition, &plan);
        assert!(open.body.is_empty() && !open.header && open.required_buttons.is_empty());
        assert_eq!(open.buttons, [0]);
    }

    #[test]
    fn open_left_by_leaves_named_placeholders_to_be_matched_by_name() {
        let input: DeriveInput = syn::parse_quote! {
            struct Named { order_id: String }
        };
        let container = container(&input);
        let located = located("named.en.json", NAMED);
        let (plan, _, _) = placed(&container, &located);
        assert!(plan.named);
        assert!(Open::left_by(&located.definition, &plan).body.is_empty());
    }

    fn open() -> Open {
        Open {
            body: vec![2, 3],
            header: true,
            buttons: vec![1, 0],
            required_buttons: vec![1],
        }
    }

    #[test]
    fn claim_takes_the_first_preference_still_open_and_closes_it() {
        let mut open = open();
        assert!(matches!(
            open.claim(&[Preference::RequiredButton]),
            Some(Fix::Button(1))
        ));
        assert_eq!(
            open.buttons,
            [0],
            "claimed as required, it is no longer open at all"
        );
        assert!(open.claim(&[Preference::RequiredButton]).is_none());
        assert!(matches!(
            open.claim(&[Preference::RequiredButton, Preference::Button]),
            Some(Fix::Button(0))
        ));
        assert!(matches!(
            open.claim(&[Preference::Button, Preference::Header]),
            Some(Fix::Header)
        ));
        assert!(!open.header);
        assert!(matches!(open.claim(&[Preference::Body]), Some(Fix::Body)));
        assert_eq!(open.body, [3]);
        assert!(
            open.claim(&[Preference::Header, Preference::Button])
                .is_none()
        );
    }

    /// The help lines of `messages`.
    fn helps(messages: &[String]) -> Vec<&str> {
        messages
            .iter()
            .filter_map(|message| message.split("\n= help: ").nth(1))
            .collect()
    }

    #[test]
    fn suggest_fixes_offers_what_is_still_open_and_claims_it() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                name: String,
                #[kaleyra(button = 7)]
                login: String,
                #[kaleyra(button = 2)]
                help: String,
                #[kaleyra(button = 9)]
                extra: String,
            }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let mut cx = Ctxt::default();
        let mut plan = Plan::empty(&located.definition);
        let misplaced = place_fields(&mut cx, &container, &located, &mut plan);
        let mut open = Open::left_by(&located.definition, &plan);
        suggest_fixes(&mut cx, &container, &located, &misplaced, &mut open);
        let messages = cx.messages();
        assert_eq!(
            helps(&messages),
            [
                // A wrong number: any open button, the required one first.
                "did you mean `button = 1`?",
                // A valueless button: a required button (none left), then the body.
                "remove the attribute: `help` then fills body `{{2}}`",
                "did you mean `button = 0`?",
            ]
        );
        assert!(
            messages[0].starts_with("template `ticket` has no button 7\n= note: "),
            "{messages:?}"
        );
        assert!(open.buttons.is_empty() && open.body.is_empty());
        assert!(open.header, "nothing claimed the header");
    }

    #[test]
    fn suggest_fixes_says_remove_the_field_when_nothing_is_open() {
        let input: DeriveInput = syn::parse_quote! {
            struct Plain {
                name: String,
                seat: u32,
                #[kaleyra(header)]
                photo: MediaUrl,
            }
        };
        let container = container(&input);
        let located = located("plain.json", PLAIN);
        let mut cx = Ctxt::default();
        let mut plan = Plan::empty(&located.definition);
        let misplaced = place_fields(&mut cx, &container, &located, &mut plan);
        let mut open = Open::left_by(&located.definition, &plan);
        suggest_fixes(&mut cx, &container, &located, &misplaced, &mut open);
        assert_eq!(helps(&cx.messages()), ["remove the field `photo`"]);
    }

    #[test]
    fn roles_are_unknown_when_a_field_attribute_failed() {
        let input: DeriveInput = syn::parse_quote! {
            struct Plain { name: String, seat: u32 }
        };
        assert!(roles_known(&container(&input)));
        let input: DeriveInput = syn::parse_quote! {
            struct Plain {
                name: String,
                #[kaleyra(buton = 1)]
                seat: u32,
            }
        };
        let mut cx = Ctxt::default();
        let container = attr::parse(&mut cx, &input).expect("a struct");
        assert!(cx.has_errors(), "the misspelt key is reported when parsed");
        assert!(!roles_known(&container));
    }

    #[test]
    fn report_extra_body_fields_points_a_media_url_at_the_open_header() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                name: String,
                photo: MediaUrl,
                seat: u32,
                #[kaleyra(button = 1)]
                login: String,
            }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let (plan, _, _) = placed(&container, &located);
        let mut open = Open::left_by(&located.definition, &plan);
        let mut cx = Ctxt::default();
        report_extra_body_fields(&mut cx, &located, &plan, &mut open);
        let messages = cx.messages();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].starts_with("one body field too many: `photo`\n= note: `templates/ticket.json` has 2 body placeholders; body fields fill them in the order they are declared (`name`, `photo`, `seat`)"), "{messages:?}");
        assert_eq!(
            helps(&messages),
            ["did you mean to mark it `#[kaleyra(header)]`?"]
        );
        assert!(
            !open.header,
            "the header is claimed, not reported missing too"
        );
    }

    #[test]
    fn report_extra_body_fields_takes_the_last_ones_and_suggests_a_button() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                name: String,
                seat: u32,
                login: String,
                #[kaleyra(header)]
                photo: MediaUrl,
            }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let (plan, _, _) = placed(&container, &located);
        let mut open = Open::left_by(&located.definition, &plan);
        let mut cx = Ctxt::default();
        report_extra_body_fields(&mut cx, &located, &plan, &mut open);
        let messages = cx.messages();
        assert!(
            messages[0].starts_with("one body field too many: `login`"),
            "{messages:?}"
        );
        assert_eq!(
            helps(&messages),
            [
                "did you mean to mark it `#[kaleyra(button = 1)]`? (button 1 is a url button \"Login\" with a dynamic URL (https://example.com/login/{{1}}))"
            ]
        );
        assert_eq!(open.buttons, [0]);
    }

    #[test]
    fn report_missing_body_names_each_open_placeholder_and_where_to_add() {
        let input: DeriveInput = syn::parse_quote! {
            struct Plain { name: String }
        };
        let container = container(&input);
        let located = located("plain.json", PLAIN);
        let (plan, _, _) = placed(&container, &located);
        let open = Open::left_by(&located.definition, &plan);
        let mut cx = Ctxt::default();
        report_missing_body(&mut cx, &container, &located, &plan, &open);
        assert_eq!(
            cx.messages(),
            [
                "no field for body `{{2}}`\n= note: `templates/plain.json` takes 2 body values; `Plain` has 1 (`name`)\n= help: add a field after `name`: body fields fill the placeholders in the order they are declared, starting with `{{2}}`"
            ]
        );

        let input: DeriveInput = syn::parse_quote! {
            struct Plain { name: String, seat: u32 }
        };
        let container = self::container(&input);
        let (plan, _, _) = placed(&container, &located);
        let open = Open::left_by(&located.definition, &plan);
        let mut cx = Ctxt::default();
        report_missing_body(&mut cx, &container, &located, &plan, &open);
        assert!(!cx.has_errors());
    }

    #[test]
    fn report_missing_header_gives_the_type_the_header_takes() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket { name: String }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let (plan, _, _) = placed(&container, &located);
        let mut open = Open::left_by(&located.definition, &plan);
        let mut cx = Ctxt::default();
        report_missing_header(&mut cx, &container, &located, &open);
        assert_eq!(
            cx.messages(),
            [
                "no field for the header\n= note: `templates/ticket.json` has an image header, which each message fills\n= help: add a field `#[kaleyra(header)] header: kaleyra_runtime::MediaUrl`"
            ]
        );
        open.header = false;
        let mut cx = Ctxt::default();
        report_missing_header(&mut cx, &container, &located, &open);
        assert!(!cx.has_errors());
    }

    #[test]
    fn report_missing_buttons_names_only_those_each_message_must_fill() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket { name: String }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let (plan, _, _) = placed(&container, &located);
        let open = Open::left_by(&located.definition, &plan);
        assert_eq!(open.buttons, [1, 0]);
        let mut cx = Ctxt::default();
        report_missing_buttons(&mut cx, &container, &located, &open);
        assert_eq!(
            cx.messages(),
            [
                "no field for button 1\n= note: button 1 of `templates/ticket.json` is a url button \"Login\" with a dynamic URL (https://example.com/login/{{1}}), whose suffix each message fills\n= help: add a field `#[kaleyra(button = 1)] login: String`"
            ]
        );
    }

    #[test]
    fn named_body_orders_the_fields_as_the_body_names_them() {
        let input: DeriveInput = syn::parse_quote! {
            struct Named {
                #[kaleyra(param = "delivery_date")]
                arrives: String,
                order_id: String,
                customer_name: String,
            }
        };
        let container = container(&input);
        let located = located("named.en.json", NAMED);
        let (mut plan, _, errors) = placed(&container, &located);
        assert!(errors.is_empty(), "{errors:?}");
        let mut cx = Ctxt::default();
        named_body(&mut cx, &container, &located, &mut plan);
        assert!(!cx.has_errors(), "{:?}", cx.messages());
        assert_eq!(idents(&plan.body), ["customer_name", "order_id", "arrives"]);
    }

    #[test]
    fn named_body_suggests_the_open_name_for_a_misspelt_field_and_reports_it_once() {
        let input: DeriveInput = syn::parse_quote! {
            struct Named {
                customer_nme: String,
                order_id: String,
            }
        };
        let container = container(&input);
        let located = located("named.en.json", NAMED);
        let (mut plan, _, _) = placed(&container, &located);
        let mut cx = Ctxt::default();
        named_body(&mut cx, &container, &located, &mut plan);
        let messages = cx.messages();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("template `named` has no placeholder `{{customer_nme}}`"),
            "{messages:?}"
        );
        assert!(
            helps(&messages)[0].starts_with("did you mean `customer_name`?"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("no field for body `{{delivery_date}}`"),
            "{messages:?}"
        );
        assert_eq!(idents(&plan.body), ["order_id"]);
    }

    #[test]
    fn check_runs_the_steps_in_order_and_stops_at_unknown_roles() {
        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                name: String,
                #[kaleyra(header)]
                photo: MediaUrl,
                #[kaleyra(header)]
                second: MediaUrl,
            }
        };
        let container = container(&input);
        let located = located("ticket.json", TICKET);
        let mut cx = Ctxt::default();
        let plan = check(&mut cx, &container, &located);
        let headlines: Vec<String> = cx
            .messages()
            .iter()
            .map(|message| message.lines().next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            headlines,
            ["a second `header` field", "no field for button 1",],
            "the second header is offered body `{{{{2}}}}`, so that is not reported missing"
        );
        assert_eq!(idents(&plan.body), ["name"]);

        let input: DeriveInput = syn::parse_quote! {
            struct Ticket {
                #[kaleyra(buton = 1)]
                name: String,
            }
        };
        let mut cx = Ctxt::default();
        let container = attr::parse(&mut cx, &input).expect("a struct");
        let mut cx = Ctxt::default();
        check(&mut cx, &container, &located);
        assert!(
            !cx.has_errors(),
            "nothing missing is reported beside a field of unknown role: {:?}",
            cx.messages()
        );
    }
}
