//! The enum of a template's tappable buttons, and the code that recognises a
//! customer's tap on one of them in an inbound event.

use kaleyra_definitions::{Button, ButtonType, TemplateDefinition};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use crate::attr::Container;

/// The buttons a customer can tap and the business hears about: quick
/// replies of approved templates, and every button of a `reply` message.
fn tappable(definition: &TemplateDefinition) -> Vec<&Button> {
    let mut buttons: Vec<&Button> = definition
        .buttons
        .iter()
        .filter(|button| {
            matches!(
                button.button_type(),
                ButtonType::QuickReply | ButtonType::Reply
            )
        })
        .collect();
    buttons.sort_by_key(|button| button.index);
    buttons
}

/// The enum (outside the derive's `const _` block, so it can be named) and
/// its impl (inside, where `_kaleyra` is in scope); nothing when the template
/// has no tappable button.
pub(crate) fn button_enum(
    container: &Container<'_>,
    definition: &TemplateDefinition,
) -> Option<(TokenStream, TokenStream)> {
    let buttons = tappable(definition);
    if buttons.is_empty() {
        return None;
    }
    let input = container.input;
    let vis = &input.vis;
    let name = format_ident!("{}Button", input.ident);
    let variants = variant_names(&buttons);
    let docs = buttons.iter().map(|button| {
        let label = button.label().unwrap_or_default();
        match button.button_type() {
            ButtonType::Reply => format!(
                "Button {}: the reply button \"{label}\" (id `{}`).",
                button.index,
                button.id.as_deref().unwrap_or_default()
            ),
            _ => format!(
                "Button {}: the quick-reply button \"{label}\".",
                button.index
            ),
        }
    });
    let enum_doc = format!(
        "The buttons of `{}` a customer can tap, for recognising their taps in callbacks with [`{name}::from_event`].",
        definition.name
    );
    let declaration = quote! {
        #[doc = #enum_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #vis enum #name {
            #( #[doc = #docs] #variants, )*
        }
    };

    let indices = buttons.iter().map(|button| button.index);
    let labels: Vec<&str> = buttons
        .iter()
        .map(|button| button.label().unwrap_or_default())
        .collect();
    let ids: Vec<TokenStream> = buttons
        .iter()
        .map(|button| match &button.id {
            Some(id) => quote!(::core::option::Option::Some(#id)),
            None => quote!(::core::option::Option::None),
        })
        .collect();
    // `from_event` hands the buttons' texts and ids to one function of the
    // runtime: its own matching code (two closures through iterator
    // adapters) made each enum instantiate them anew, ~1.5 s of a clean
    // build of 200 derived templates (BENCHMARKS.md §3).
    let implementation = quote! {
        impl #name {
            /// Every button, in index order.
            pub const ALL: &'static [Self] = &[#(Self::#variants),*];

            /// The button's index in the template.
            pub fn index(self) -> u8 {
                match self { #(Self::#variants => #indices,)* }
            }

            /// The text the customer sees on the button.
            pub fn text(self) -> &'static str {
                match self { #(Self::#variants => #labels,)* }
            }

            /// The id a reply button reports; quick replies have none.
            pub fn id(self) -> ::core::option::Option<&'static str> {
                match self { #(Self::#variants => #ids,)* }
            }

            /// The button `event` is a tap on, if it is a tap on one of these:
            /// matched by a reply button's id, or by the button's text (which
            /// is also a quick reply's payload when the message gave none).
            pub fn from_event(event: &_kaleyra::Event) -> ::core::option::Option<Self> {
                let position = _kaleyra::tapped_button(event, &[#((#labels, #ids)),*])?;
                Self::ALL.get(position).copied()
            }
        }
    };
    Some((declaration, implementation))
}

/// `UpperCamelCase` names from each button's text (or id, or index), unique.
fn variant_names(buttons: &[&Button]) -> Vec<Ident> {
    let mut names: Vec<String> = Vec::new();
    for button in buttons {
        let candidates = [button.label(), button.id.as_deref()];
        let name = candidates
            .into_iter()
            .flatten()
            .map(camel_case)
            .find(|name| is_identifier(name))
            .unwrap_or_else(|| format!("Button{}", button.index));
        let name = if names.contains(&name) {
            format!("{name}{}", button.index)
        } else {
            name
        };
        names.push(name);
    }
    names
        .into_iter()
        .map(|name| format_ident!("{name}"))
        .collect()
}

/// `"Track my order!"` → `TrackMyOrder`; a leading digit gets `Button` before it.
fn camel_case(text: &str) -> String {
    let mut name = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.extend(chars);
        }
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Button");
    }
    name
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty() && syn::parse_str::<Ident>(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_camel_case_and_valid() {
        assert_eq!(camel_case("Track my order!"), "TrackMyOrder");
        assert_eq!(camel_case("first button title"), "FirstButtonTitle");
        assert_eq!(camel_case("24h support"), "Button24hSupport");
        assert_eq!(camel_case("¡Sí!"), "S");
        assert!(!is_identifier(&camel_case("self")));
        assert!(!is_identifier(&camel_case("???")));
    }
}
