//! The field of a carousel's cards (`#[kaleyra(cards)]`), against the
//! template: an array of exactly the approved number of cards, on a
//! carousel template only, and one on every carousel template.

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::ToTokens;

use crate::attr::{Container, Field, Role};
use crate::ctxt::{Ctxt, Message};
use crate::locate::Located;

/// WhatsApp's answer to a carousel with another number of cards, for notes.
const WRONG_COUNT_NOTE: &str = "WhatsApp sends a carousel with exactly the cards it was approved with, and refuses another number with error 132012";

/// Finds the cards field, reporting one on a template without a carousel,
/// one that is not an array of the approved length, a second one, and a
/// carousel template without one.
pub(crate) fn place<'a>(
    cx: &mut Ctxt,
    container: &'a Container<'a>,
    located: &Located,
) -> Option<&'a Field<'a>> {
    let definition = &located.definition;
    let name = &definition.name;
    let count = definition.card_count();
    let mut placed: Option<&'a Field<'a>> = None;
    for field in &container.fields {
        let Role::Cards { span } = field.role else {
            continue;
        };
        if count == 0 {
            cx.push(syn::Error::new(
                span,
                Message::new(format!("template `{name}` has no carousel"))
                    .note(format!("`{}` has no CAROUSEL component", located.shown))
                    .help(format!("remove `cards`, or the field `{}`", field.ident)),
            ));
            continue;
        }
        if let Some(first) = placed {
            cx.push(syn::Error::new(
                span,
                Message::new("a second `cards` field")
                    .note(format!("`{}` holds the carousel's cards", first.ident)),
            ));
            continue;
        }
        let syn::Type::Array(array) = field.ty else {
            cx.error_spanned_by(
                field.ty,
                Message::new("the `cards` field holds the carousel's cards as an array")
                    .note(format!(
                        "template `{name}` was approved with {count} cards, and each message fills every one"
                    ))
                    .help(format!(
                        "write `{}: [YourCard; {count}]`, with `YourCard` a struct that derives `Card`",
                        field.ident
                    )),
            );
            continue;
        };
        // A length that is not a literal (a `const`) is checked by the
        // compiler against the generated accessor instead.
        if let Some(length) = literal_length(&array.len)
            && length != count
        {
            let element = array.elem.to_token_stream().to_string();
            cx.error_spanned_by(
                &array.len,
                Message::new(format!(
                    "template `{name}` was approved with {count} cards, and this array holds {length}"
                ))
                .note(WRONG_COUNT_NOTE)
                .help(format!("write `[{element}; {count}]`")),
            );
            continue;
        }
        placed = Some(field);
    }
    let invalid = container
        .fields
        .iter()
        .any(|field| matches!(field.role, Role::Invalid | Role::Cards { .. }));
    if count > 0 && placed.is_none() && !invalid {
        cx.error_spanned_by(
            &container.input.ident,
            Message::new(format!("no field for the cards of carousel template `{name}`"))
                .note(format!(
                    "`{}` is a carousel of {count} cards, which each message fills",
                    located.shown
                ))
                .help(format!(
                    "add a field `#[kaleyra(cards)] cards: [YourCard; {count}]`, with `YourCard` a struct that derives `Card`"
                )),
        );
    }
    placed
}

/// The array's length, when it is written as an integer literal.
fn literal_length(length: &syn::Expr) -> Option<usize> {
    match length {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(literal),
            ..
        }) => literal.base10_parse().ok(),
        _ => None,
    }
}

/// The card type of a cards field (`T` of `[T; N]`), with every lifetime
/// made `'static`, so that a `const` outside the struct's generics can name
/// it (its `Card::TEMPLATE` does not depend on lifetimes).
pub(crate) fn card_type_for_const(field: &Field<'_>) -> Option<TokenStream> {
    let syn::Type::Array(array) = field.ty else {
        return None;
    };
    Some(static_lifetimes(array.elem.to_token_stream()))
}

fn static_lifetimes(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(punct) if punct.as_char() == '\'' => {
                // `'a` is a `'` joined to an identifier: replace both.
                if let Some(TokenTree::Ident(_)) = tokens.peek() {
                    tokens.next();
                    out.extend(quote::quote_spanned!(punct.span()=> 'static));
                } else {
                    out.push(TokenTree::Punct(punct));
                }
            }
            TokenTree::Group(group) => {
                let mut replaced = Group::new(group.delimiter(), static_lifetimes(group.stream()));
                replaced.set_span(group.span());
                out.push(TokenTree::Group(replaced));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}
