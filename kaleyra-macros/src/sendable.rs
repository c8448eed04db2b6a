//! Whether a template can be derived at all: its status in the account, and
//! the parts of it this library cannot send yet.
//!
//! A status that means the template can never be sent (`REJECTED`,
//! `DISABLED`, `DELETED`, `PENDING_DELETION`) is a compile error. A status that
//! can pass without anyone editing the template (`PENDING`, `PAUSED`,
//! `IN_APPEAL`, `LIMIT_EXCEEDED`) derives, so a three-hour pause does not break
//! every build: sends fail until it passes, and the struct's page says so. So
//! does a status this library does not know, or none (a Meta object saved
//! without `status`): the account, not the build, decides.

use kaleyra_definitions::{Sendability, TemplateStatus};
use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

use crate::attr::Container;
use crate::ctxt::{Ctxt, Message};
use crate::locate::Located;

/// A definition's status as a `const` expression of type
/// `Option<TemplateStatus>`, named through the runtime's `definitions`
/// (`Template::STATUS` and the language enum's `status()` both use it).
pub(crate) fn status_const(
    container: &Container<'_>,
    status: Option<&TemplateStatus>,
) -> TokenStream {
    let Some(status) = status else {
        return quote!(::core::option::Option::None);
    };
    let status_type = status_type(container);
    // Meta's spelling, which `from_static` reads back as the same status.
    let text = status.as_str();
    quote!(::core::option::Option::Some(#status_type::from_static(#text)))
}

/// `TemplateStatus`, through the runtime's public path (the language enum
/// is outside the block that imports the runtime's `__private`).
pub(crate) fn status_type(container: &Container<'_>) -> TokenStream {
    match &container.krate {
        Some(path) => quote!(#path::definitions::TemplateStatus),
        None => quote!(::kaleyra_runtime::definitions::TemplateStatus),
    }
}

/// Reports each language that can never be sent, and the unsupported parts,
/// at the `language = "..."` string or else the `template = "..."` string.
pub(crate) fn check(
    cx: &mut Ctxt,
    located: &Located,
    template: &LitStr,
    language: Option<&LitStr>,
) {
    let span = language.map_or_else(|| template.span(), LitStr::span);
    let name = &located.definition.name;
    let several = located.has_several_languages();
    for file in &located.languages {
        let definition = &file.definition;
        let Some(status) = &definition.status else {
            continue;
        };
        if status.sendability() != Sendability::Never {
            continue;
        }
        let in_language = definition
            .language
            .as_deref()
            .map(|code| format!(" in `{code}`"))
            .unwrap_or_default();
        let message = Message::new(format!(
            "template `{name}`{in_language} is {status} in the account: it can never be sent"
        ))
        .note(format!("`{}` has `\"status\": \"{status}\"`", file.shown))
        .help(
            "send another template; or, if it was approved again, pull the account's templates again (`kaleyra templates pull`)",
        );
        let message = if several {
            message.help(format!(
                "to send its other languages, delete `{}`",
                file.shown
            ))
        } else {
            message
        };
        cx.push(syn::Error::new(span, message));
    }
    let parts: Vec<String> = located
        .languages
        .iter()
        .flat_map(|file| {
            file.definition
                .unsupported
                .iter()
                .map(move |part| format!("{} at `{}` in `{}`", part.what, part.path, file.shown))
        })
        .collect();
    if !parts.is_empty() {
        let mut message = Message::new(format!(
            "template `{name}` has {} not supported yet",
            if parts.len() == 1 {
                "a part that is"
            } else {
                "parts that are"
            }
        ));
        for part in &parts {
            message = message.note(part);
        }
        message = message
            .note("the library cannot build a message for it yet, so no struct can send it")
            .help("derive from a template without these parts");
        cx.push(syn::Error::new(template.span(), message));
    }
}
