//! `#[derive(Card)]`: one card of a carousel template. The struct names the
//! carousel template; its fields are checked against the template's cards
//! as a template struct's are against a template (each card is read as a
//! template of its own: `CarouselCard::as_template`), and it gets the
//! `Card` impl a carousel struct's `#[kaleyra(cards)]` array is read through.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::attr::{self, Role};
use crate::check;
use crate::ctxt::{Ctxt, Message};
use crate::expand::{button_values, param_values, runtime, template_header, track};
use crate::locate::{self, LanguageFile, Located};

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let Some(container) = attr::parse(&mut cx, input) else {
        return failed(cx, input, &runtime(None), &[]);
    };
    let runtime = runtime(container.krate.as_ref());
    let Some(template) = &container.template else {
        if !container.struct_attribute_failed {
            cx.error_spanned_by(
                &input.ident,
                Message::new("missing #[kaleyra(template = \"name\")]")
                    .note("a card type fills the cards of one carousel template")
                    .help("name the carousel template above the struct: `#[kaleyra(template = \"name\")]`"),
            );
        }
        return failed(cx, input, &runtime, &[]);
    };
    let located = match locate::load(
        template,
        container.language.as_ref(),
        container.dir.as_ref(),
    ) {
        Ok(located) => located,
        Err(error) => {
            cx.push(error);
            return failed(cx, input, &runtime, &[]);
        }
    };
    let files: Vec<PathBuf> = located.paths().map(Path::to_path_buf).collect();
    for field in &container.fields {
        let key = match field.role {
            Role::Language { span } => Some(("language", span)),
            Role::OfferExpiry { span } => Some(("offer_expiry", span)),
            Role::FlowData { span } => Some(("flow_data", span)),
            Role::Cards { span } => Some(("cards", span)),
            _ => None,
        };
        if let Some((key, span)) = key {
            cx.push(syn::Error::new(
                span,
                Message::new(format!("a card has no `{key}`"))
                    .note(
                        "a card's fields fill its header, its body's placeholders and its buttons",
                    )
                    .help(format!("give `{key}` on the carousel template's struct")),
            ));
        }
    }
    let Some(card) = card_template(&mut cx, &located, template.span()) else {
        return failed(cx, input, &runtime, &files);
    };
    if cx.has_errors() {
        return failed(cx, input, &runtime, &files);
    }
    let plan = check::check(&mut cx, &container, &card);
    if cx.has_errors() {
        return failed(cx, input, &runtime, &files);
    }
    let Some((field, kind)) = plan.header else {
        // The check reports a missing header field; every card's header takes one.
        return failed(cx, input, &runtime, &files);
    };
    let header = template_header(field, kind, None);
    let params = param_values(&plan);
    let buttons = button_values(&plan);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let name = &located.definition.name;
    let track = track(&files);
    quote! {
        // Paths into the runtime are written at the user's spans so errors
        // point at their fields; where the user imported the item (say
        // `MultiProduct`), rustc would call the generated path unnecessary.
        #[allow(unused_qualifications)]
        const _: () = {
            #runtime
            #track

            #[automatically_derived]
            impl #impl_generics _kaleyra::Card for #ident #ty_generics #where_clause {
                const TEMPLATE: &'static str = #name;

                fn card_values(&self) -> _kaleyra::CarouselCard<'_> {
                    _kaleyra::CarouselCard::derived(
                        #header,
                        ::std::vec![#(#params),*],
                        ::std::vec![#(#buttons),*],
                    )
                }
            }
        };
    }
}

/// The carousel's first card as a template of its own, to check the fields
/// against; every card of every language on file must take what it takes.
fn card_template(cx: &mut Ctxt, located: &Located, span: proc_macro2::Span) -> Option<Located> {
    let definition = &located.definition;
    let name = &definition.name;
    let first = match definition.card_takes() {
        None => {
            cx.push(syn::Error::new(
                span,
                Message::new(format!("template `{name}` has no carousel"))
                    .note(format!(
                        "`{}` has no CAROUSEL component, so it has no cards to fill",
                        located.shown
                    ))
                    .help("derive `Template` for the template itself, or name a carousel template"),
            ));
            return None;
        }
        Some(Err(differ)) => {
            cx.push(syn::Error::new(
                span,
                Message::new(format!(
                    "the cards of template `{name}` take different values, so one card type cannot fill them all"
                ))
                .note(format!("in `{}`, {differ}", located.shown))
                .help("build this carousel's message by hand with `TemplateMessage::card`"),
            ));
            return None;
        }
        Some(Ok(takes)) => takes,
    };
    for language in &located.languages {
        if let Some(Ok(takes))
        | Some(Err(kaleyra_definitions::carousel::CardsDiffer { other: takes, .. })) =
            language.definition.card_takes()
            && takes != first
        {
            cx.push(syn::Error::new(
                span,
                Message::new(format!(
                    "the cards of template `{name}` take other values in `{}`",
                    language.shown
                ))
                .note(format!(
                    "every language's cards must take what `{}`'s take",
                    located.shown
                ))
                .help("name one language with `#[kaleyra(language = \"..\")]`"),
            ));
            return None;
        }
    }
    let card = definition
        .carousel
        .as_ref()?
        .cards
        .first()?
        .as_template(definition);
    let file = located.languages.first()?;
    Some(Located {
        definition: card.clone(),
        languages: vec![LanguageFile {
            definition: card,
            path: file.path.clone(),
            shown: file.shown.clone(),
        }],
        shown: located.shown.clone(),
        subject: format!("each card of `{}`", located.shown),
    })
}

/// The errors, and a `Card` impl whose body never runs (the crate does not
/// compile), so the carousel's struct is not an error too.
fn failed(cx: Ctxt, input: &DeriveInput, runtime: &TokenStream, paths: &[PathBuf]) -> TokenStream {
    let errors = cx.into_compile_errors();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let track = track(paths);
    quote! {
        #errors
        // Paths into the runtime are written at the user's spans so errors
        // point at their fields; where the user imported the item (say
        // `MultiProduct`), rustc would call the generated path unnecessary.
        #[allow(unused_qualifications)]
        const _: () = {
            #runtime
            #track
            impl #impl_generics _kaleyra::Card for #ident #ty_generics #where_clause {
                const TEMPLATE: &'static str = "";
                fn card_values(&self) -> _kaleyra::CarouselCard<'_> {
                    ::core::panic!("#[derive(Card)] failed; see the compile errors")
                }
            }
        };
    }
}
