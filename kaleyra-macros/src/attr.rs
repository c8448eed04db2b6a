//! Phase one: the struct and its `#[kaleyra(...)]` attributes, as a small AST.

use kaleyra_definitions::{did_you_mean, did_you_mean_sentence};
use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitInt, LitStr, Path, Type};

use crate::ctxt::{Ctxt, Message};

/// The derive's input: the struct, its template and its fields.
pub(crate) struct Container<'a> {
    pub(crate) input: &'a DeriveInput,
    /// Whether the struct's own `#[kaleyra(...)]` had an error (already reported).
    pub(crate) struct_attribute_failed: bool,
    /// `template = "name"`.
    pub(crate) template: Option<LitStr>,
    /// `dir = "path"`, relative to the crate's `Cargo.toml`.
    pub(crate) dir: Option<LitStr>,
    /// `language = "code"`: send the template in this one language.
    pub(crate) language: Option<LitStr>,
    /// `crate = "path"`: where the runtime is, for crates that re-export it.
    pub(crate) krate: Option<Path>,
    pub(crate) fields: Vec<Field<'a>>,
}

/// One field and what it fills.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) role: Role,
    /// `param = "name"`: the named placeholder a body field fills, when it
    /// is not the field's own name.
    pub(crate) param: Option<LitStr>,
}

impl Field<'_> {
    /// The named placeholder this field fills as a body field: `param`, or
    /// the field's name (without a raw identifier's `r#`).
    pub(crate) fn parameter_name(&self) -> String {
        self.param.as_ref().map_or_else(
            || self.ident.to_string().trim_start_matches("r#").to_owned(),
            LitStr::value,
        )
    }

    /// Where a wrong parameter name is reported: the `param` string, or the field.
    pub(crate) fn parameter_span(&self) -> Span {
        self.param
            .as_ref()
            .map_or_else(|| self.ident.span(), LitStr::span)
    }
}

/// What a field fills.
pub(crate) enum Role {
    /// The next body placeholder (fields without attributes, in order).
    Body,
    /// The header: a media URL, or the header text's placeholder. `span` is
    /// the `header` key's, where a misplaced header is reported.
    Header { span: Span },
    /// The value of the button at `index` (not yet checked against the
    /// template, so any number); `literal` is where a wrong index is reported.
    Button { index: u64, literal: LitInt },
    /// The language the message is sent in, chosen at run time: a value of
    /// the generated `<Struct>Language` enum. `span` is the key's.
    Language { span: Span },
    /// When the limited-time offer expires: a `SystemTime`, or a type that
    /// converts into one. `span` is the key's.
    OfferExpiry { span: Span },
    /// The flow button's initial data: a `FlowActionData`, or an `Option`
    /// of one. `span` is the key's.
    FlowData { span: Span },
    /// A carousel's cards: an array of the approved number of a type that
    /// derives `Card`. `span` is the key's.
    Cards { span: Span },
    /// Unknown: its attribute has an error (already reported), so the field is
    /// left out of the checks rather than guessed at.
    Invalid,
}

const STRUCT_KEYS: &[&str] = &["template", "language", "dir", "crate"];
const FIELD_KEYS: &[&str] = &[
    "header",
    "button",
    "param",
    "language",
    "offer_expiry",
    "flow_data",
    "cards",
];

/// Reads the struct; `None` when it is not a struct with named fields (or a
/// unit struct), after recording why.
pub(crate) fn parse<'a>(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Container<'a>> {
    let errors_before = cx.error_count();
    let StructAttributes {
        template,
        language,
        dir,
        krate,
    } = struct_attributes(cx, input);
    let struct_attribute_failed = cx.error_count() > errors_before;
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named
                .named
                .iter()
                .map(|field| parse_field(cx, field))
                .collect(),
            Fields::Unit => Vec::new(),
            Fields::Unnamed(_) => {
                cx.error_spanned_by(
                    &input.ident,
                    Message::new("#[derive(Template)] needs named fields")
                        .note("the fields' names name the template's placeholders")
                        .help("write `struct Name { field: Type }`"),
                );
                return None;
            }
        },
        Data::Enum(data) => {
            cx.push(syn::Error::new(data.enum_token.span(), only_structs()));
            return None;
        }
        Data::Union(data) => {
            cx.push(syn::Error::new(data.union_token.span(), only_structs()));
            return None;
        }
    };
    Some(Container {
        input,
        struct_attribute_failed,
        template,
        language,
        dir,
        krate,
        fields,
    })
}

fn only_structs() -> Message {
    Message::new("#[derive(Template)] works on structs only")
        .note("one struct per template, one field per value")
}

/// The struct's `#[kaleyra(...)]` keys.
#[derive(Default)]
struct StructAttributes {
    template: Option<LitStr>,
    language: Option<LitStr>,
    dir: Option<LitStr>,
    krate: Option<Path>,
}

fn struct_attributes(cx: &mut Ctxt, input: &DeriveInput) -> StructAttributes {
    let mut template: Option<LitStr> = None;
    let mut language: Option<LitStr> = None;
    let mut dir: Option<LitStr> = None;
    let mut krate: Option<LitStr> = None;
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("kaleyra"))
    {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("template") {
                set_once(cx, &mut template, &meta, "template")
            } else if meta.path.is_ident("language") {
                if meta.input.peek(syn::Token![=]) {
                    set_once(cx, &mut language, &meta, "language")
                } else {
                    Err(meta.error(
                        Message::new("`language` on the struct names one language: `language = \"hi\"`")
                            .help("to choose the language at run time, mark a field `#[kaleyra(language)]` instead"),
                    ))
                }
            } else if meta.path.is_ident("dir") {
                set_once(cx, &mut dir, &meta, "dir")
            } else if meta.path.is_ident("crate") {
                set_once(cx, &mut krate, &meta, "crate")
            } else if ["header", "button", "param"]
                .iter()
                .any(|key| meta.path.is_ident(key))
            {
                Err(meta.error(
                    Message::new(format!(
                        "`{}` goes on a field, not on the struct",
                        path_text(&meta)
                    ))
                    .help("move it to the field that fills it"),
                ))
            } else {
                Err(unknown_key(&meta, STRUCT_KEYS, "on a struct"))
            }
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    let krate = krate.and_then(|literal| match runtime_path(&literal) {
        Ok(path) => Some(path),
        Err(error) => {
            cx.push(error);
            None
        }
    });
    StructAttributes {
        template,
        language,
        dir,
        krate,
    }
}

/// The path in `crate = "..."`, spanned at the string, so that a path that
/// does not resolve is reported there by the compiler.
fn runtime_path(literal: &LitStr) -> syn::Result<Path> {
    literal.parse_with(Path::parse_mod_style).map_err(|error| {
        syn::Error::new(
            literal.span(),
            Message::new(format!(
                "`crate` takes a path, and `{}` is not one",
                literal.value()
            ))
            .note(error)
            .help(
                "name the runtime as your crate re-exports it, like `crate = \"my_sdk::kaleyra\"`",
            ),
        )
    })
}

fn set_once(
    cx: &mut Ctxt,
    slot: &mut Option<LitStr>,
    meta: &ParseNestedMeta<'_>,
    key: &str,
) -> syn::Result<()> {
    let value: LitStr = meta.value()?.parse()?;
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            Message::new(format!("duplicate `{key}`")).help(format!("give `{key}` once")),
        );
    } else {
        *slot = Some(value);
    }
    Ok(())
}

fn parse_field<'a>(cx: &mut Ctxt, field: &'a syn::Field) -> Field<'a> {
    let ident = field.ident.as_ref().expect("named fields have names");
    let mut role: Option<Role> = None;
    let mut param: Option<LitStr> = None;
    let mut failed = false;
    for attr in field
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("kaleyra"))
    {
        let result = attr.parse_nested_meta(|meta| {
            let parsed = if meta.path.is_ident("header") {
                Role::Header {
                    span: meta.path.span(),
                }
            } else if meta.path.is_ident("button") {
                let literal: LitInt = meta.value()?.parse()?;
                let index = literal.base10_parse::<u64>()?;
                Role::Button { index, literal }
            } else if meta.path.is_ident("param") {
                let literal: LitStr = meta.value()?.parse()?;
                if param.is_some() {
                    failed = true;
                    cx.error_spanned_by(
                        &meta.path,
                        Message::new("duplicate `param`").help("give `param` once"),
                    );
                } else {
                    param = Some(literal);
                }
                return Ok(());
            } else if meta.path.is_ident("language") && !meta.input.peek(syn::Token![=]) {
                Role::Language {
                    span: meta.path.span(),
                }
            } else if meta.path.is_ident("offer_expiry") {
                Role::OfferExpiry {
                    span: meta.path.span(),
                }
            } else if meta.path.is_ident("flow_data") {
                Role::FlowData {
                    span: meta.path.span(),
                }
            } else if meta.path.is_ident("cards") {
                Role::Cards {
                    span: meta.path.span(),
                }
            } else if STRUCT_KEYS.iter().any(|key| meta.path.is_ident(key)) {
                return Err(meta.error(
                    Message::new(format!(
                        "`{}` goes on the struct, not on a field",
                        path_text(&meta)
                    ))
                    .help("move it to the `#[kaleyra(...)]` above the struct"),
                ));
            } else {
                return Err(unknown_key(&meta, FIELD_KEYS, "on a field"));
            };
            if role.is_some() {
                failed = true;
                cx.error_spanned_by(
                    &meta.path,
                    Message::new("a field fills one thing")
                        .help("keep one `header`, `button = N` or `language` on this field"),
                );
            } else {
                role = Some(parsed);
            }
            Ok(())
        });
        if let Err(error) = result {
            failed = true;
            cx.push(error);
        }
    }
    let role = role.unwrap_or(Role::Body);
    if let (Some(literal), false) = (&param, matches!(role, Role::Body)) {
        failed = true;
        cx.error_spanned_by(
            literal,
            Message::new("`param` names the body placeholder a field fills")
                .note("this field fills the header, a button or the language, not the body")
                .help("remove `param`, or the other key"),
        );
    }
    Field {
        ident,
        ty: &field.ty,
        role: if failed { Role::Invalid } else { role },
        param,
    }
}

fn path_text(meta: &ParseNestedMeta<'_>) -> String {
    meta.path.to_token_stream().to_string().replace(' ', "")
}

fn unknown_key(meta: &ParseNestedMeta<'_>, known: &[&str], place: &str) -> syn::Error {
    let key = path_text(meta);
    let listed: Vec<String> = known.iter().map(|key| format!("`{key}`")).collect();
    let message = Message::new(format!("unknown key `{key}` in #[kaleyra(...)]"))
        .note(format!("the keys {place} are {}", listed.join(", ")))
        .maybe_help(did_you_mean_sentence(&did_you_mean(
            &key,
            known.iter().copied(),
        )));
    meta.error(message)
}

/// Whether `ty` is written as `&str`, `String` or `Cow<str>` (as serde
/// decides what to borrow). A type alias is not seen through, which only
/// costs a copy.
pub(crate) fn is_text(ty: &Type) -> bool {
    let is_str = |ty: &Type| matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident("str"));
    match ty {
        Type::Reference(reference) => is_str(&reference.elem),
        Type::Group(group) => is_text(&group.elem),
        Type::Paren(paren) => is_text(&paren.elem),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return false;
            };
            match &last.arguments {
                syn::PathArguments::None => last.ident == "String",
                syn::PathArguments::AngleBracketed(arguments) => last.ident == "Cow"
                    && arguments.args.iter().any(
                        |argument| matches!(argument, syn::GenericArgument::Type(ty) if is_str(ty)),
                    ),
                syn::PathArguments::Parenthesized(_) => false,
            }
        }
        _ => false,
    }
}
