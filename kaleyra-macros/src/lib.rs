//! `#[derive(Template)]`, re-exported by `kaleyra-runtime`: see its docs.
//!
//! The derive reads `templates/<name>.json` or every
//! `templates/<name>.<language>.json` (relative to the crate's `Cargo.toml`)
//! through `kaleyra-definitions`, checks the struct against it, and generates
//! the code that sends it. The work happens in three phases, each in its own
//! module: `attr` parses the `#[kaleyra(...)]` attributes, `check` matches
//! the fields with the definition (after `locate` found it and `sendable`
//! checked its status and parts), and `expand` writes the code and its
//! documentation, with `language`'s enum when the language is chosen at run
//! time. Errors from every phase are collected in a
//! `ctxt::Ctxt` and reported together.

mod attr;
mod buttons;
mod card;
mod cards;
mod check;
mod ctxt;
mod docs;
mod expand;
mod language;
mod locate;
mod offer_flow;
mod sendable;

/// One card of a carousel template; see `kaleyra_runtime::Card`.
#[proc_macro_derive(Card, attributes(kaleyra))]
pub fn derive_card(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    card::derive(&input).into()
}

/// Typed messages for an approved template; see `kaleyra_runtime::Template`.
#[proc_macro_derive(Template, attributes(kaleyra))]
pub fn derive_template(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
