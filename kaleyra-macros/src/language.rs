//! The enum of a template's languages, generated when a struct chooses its
//! language at run time with a `#[kaleyra(language)]` field.
//!
//! Its name is the struct's followed by `Language` (`OrderUpdate` →
//! `OrderUpdateLanguage`), and each variant is its language code in
//! `UpperCamelCase` (`en` → `En`, `pt_BR` → `PtBr`), so a language the
//! template does not have cannot be named.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use crate::attr::Container;
use crate::locate::Located;

/// The enum's name: `<Struct>Language`.
pub(crate) fn enum_ident(container: &Container<'_>) -> Ident {
    format_ident!("{}Language", container.input.ident)
}

/// The language codes on file, sorted as the files are.
pub(crate) fn codes(located: &Located) -> Vec<String> {
    located
        .languages
        .iter()
        .filter_map(|language| language.definition.language.clone())
        .collect()
}

/// The enum and its impl, for a struct with a language field.
pub(crate) fn language_enum(container: &Container<'_>, located: &Located) -> TokenStream {
    let vis = &container.input.vis;
    let name = enum_ident(container);
    let template = &located.definition.name;
    let codes = codes(located);
    let variants = variant_names(&codes);
    let docs = located.languages.iter().map(|language| {
        let code = language.definition.language.as_deref().unwrap_or_default();
        let status = language
            .definition
            .status
            .as_ref()
            .map(|status| format!(", status `{status}`"))
            .unwrap_or_default();
        format!("`{code}`: `{}`{status}.", language.shown)
    });
    let statuses = located.languages.iter().map(|language| {
        crate::sendable::status_const(container, language.definition.status.as_ref())
    });
    let status_type = crate::sendable::status_type(container);
    let enum_doc = format!(
        "The languages template `{template}` is on file in, one variant per language: the value of the `#[kaleyra(language)]` field of [`{}`] chooses the one a message is sent in.",
        container.input.ident
    );
    quote! {
        #[doc = #enum_doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #vis enum #name {
            #( #[doc = #docs] #variants, )*
        }

        impl #name {
            /// Every language, sorted by code.
            pub const ALL: &'static [Self] = &[#(Self::#variants),*];

            /// The language's code, as approved: `en`, `pt_BR`.
            pub const fn code(self) -> &'static str {
                match self { #(Self::#variants => #codes,)* }
            }

            /// The template's status in this language, as its file gives it
            /// (`APPROVED`, `PAUSED`, ..); `None` when the file gives none.
            pub const fn status(self) -> ::core::option::Option<#status_type> {
                match self { #(Self::#variants => #statuses,)* }
            }

            /// The language whose code is `code`, compared without regard to
            /// case and with `-` read as `_` (`pt-br` is `pt_BR`); `None` when
            /// the template is not on file in that language.
            pub fn from_code(code: &str) -> ::core::option::Option<Self> {
                Self::ALL.iter().copied().find(|language| {
                    let own = language.code().as_bytes();
                    let asked = code.as_bytes();
                    own.len() == asked.len()
                        && own.iter().zip(asked).all(|(own, asked)| {
                            let asked = if *asked == b'-' { b'_' } else { *asked };
                            own.eq_ignore_ascii_case(&asked)
                        })
                })
            }
        }

        impl ::core::fmt::Display for #name {
            /// Writes the language's code.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.code())
            }
        }
    }
}

/// `UpperCamelCase` names from the codes (`pt_BR` → `PtBr`), unique.
pub(crate) fn variant_names(codes: &[String]) -> Vec<Ident> {
    let mut names: Vec<String> = Vec::new();
    for (position, code) in codes.iter().enumerate() {
        let name = camel_case(code);
        let valid = !name.is_empty() && syn::parse_str::<Ident>(&name).is_ok();
        let name = if valid && !names.contains(&name) {
            name
        } else {
            format!("Language{position}")
        };
        names.push(name);
    }
    names
        .into_iter()
        .map(|name| format_ident!("{name}"))
        .collect()
}

/// `pt_BR` → `PtBr`, `en` → `En`, `zh-Hant` → `ZhHant`.
fn camel_case(code: &str) -> String {
    let mut name = String::new();
    for part in code
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'L');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_upper_camel_case_variants() {
        assert_eq!(camel_case("en"), "En");
        assert_eq!(camel_case("pt_BR"), "PtBr");
        assert_eq!(camel_case("en_US"), "EnUs");
        assert_eq!(camel_case("zh-Hant"), "ZhHant");
    }

    #[test]
    fn clashing_or_invalid_names_fall_back_to_the_position() {
        let names = variant_names(&["en_us".to_owned(), "en_US".to_owned(), "??".to_owned()]);
        let names: Vec<String> = names.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["EnUs", "Language1", "Language2"]);
    }
}
