//! Phase three: the code a derived struct gets. On any error, the errors plus
//! a stub of the same items, so the user sees the errors and not a cascade
//! from every call site.

use kaleyra_definitions::{ButtonParameter, HeaderType, TemplateDefinition, TemplateKind};
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::attr::{self, Container, Field, is_text};
use crate::check::{self, Plan};
use crate::ctxt::{Ctxt, Message};
use crate::docs;
use crate::locate::{self, Located};
use crate::sendable;

pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let Some(container) = attr::parse(&mut cx, input) else {
        return failed(cx, input, &runtime(None), &[], TokenStream::new());
    };
    let runtime = runtime(container.krate.as_ref());
    let Some(template) = &container.template else {
        if container.struct_attribute_failed {
            // The attribute that should have named it has its own error already.
            return failed(cx, input, &runtime, &[], language_stub(&container));
        }
        cx.error_spanned_by(
            &input.ident,
            Message::new("missing #[kaleyra(template = \"name\")]")
                .note("the derive sends one approved template, defined in `templates/<name>.json`")
                .help("name it above the struct: `#[kaleyra(template = \"name\")]`"),
        );
        return failed(cx, input, &runtime, &[], language_stub(&container));
    };
    let located = match locate::load(
        template,
        container.language.as_ref(),
        container.dir.as_ref(),
    ) {
        Ok(located) => located,
        Err(error) => {
            cx.push(error);
            // Rebuild when a broken file is fixed, if one exists.
            let files = locate::TemplateDir::of(container.dir.as_ref())
                .and_then(|dir| {
                    kaleyra_definitions::template_files(&dir.path, &template.value()).ok()
                })
                .unwrap_or_default();
            let stub = language_stub(&container);
            return failed(cx, input, &runtime, &files, stub);
        }
    };
    sendable::check(&mut cx, &located, template, container.language.as_ref());
    let plan = check::check(&mut cx, &container, &located);
    if cx.has_errors() {
        let files: Vec<_> = located.paths().map(Path::to_path_buf).collect();
        // The language enum, so that the field naming it is not an error too.
        let languages = if has_language_field(&container) {
            crate::language::language_enum(&container, &located)
        } else {
            TokenStream::new()
        };
        return failed(cx, input, &runtime, &files, languages);
    }
    generate(&container, &runtime, &located, &plan)
}

fn has_language_field(container: &Container<'_>) -> bool {
    container
        .fields
        .iter()
        .any(|field| matches!(field.role, attr::Role::Language { .. }))
}

/// An empty `<Struct>Language` enum, when a field names it but the template
/// could not be read, so that the field's type is not an error too.
fn language_stub(container: &Container<'_>) -> TokenStream {
    if !has_language_field(container) {
        return TokenStream::new();
    }
    let vis = &container.input.vis;
    let name = crate::language::enum_ident(container);
    quote! {
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #vis enum #name {}
    }
}

/// The one import every generated item names the runtime through:
/// `kaleyra_runtime::__private`, or the `__private` of the path given with
/// `#[kaleyra(crate = "...")]` (whose errors then point at that string).
pub(crate) fn runtime(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(path) => quote!(use #path::__private as _kaleyra;),
        None => quote!(
            use ::kaleyra_runtime::__private as _kaleyra;
        ),
    }
}

/// `include_bytes!` of each definition file, so cargo rebuilds when one changes.
pub(crate) fn track(paths: &[PathBuf]) -> TokenStream {
    paths
        .iter()
        .filter_map(|path| path.to_str())
        .map(|path| {
            quote!(
                const _: &[u8] = ::core::include_bytes!(#path);
            )
        })
        .collect()
}

/// The errors, and the items the derive would have made, with bodies that
/// never run (the crate does not compile).
fn failed(
    cx: Ctxt,
    input: &DeriveInput,
    runtime: &TokenStream,
    paths: &[PathBuf],
    languages: TokenStream,
) -> TokenStream {
    let errors = cx.into_compile_errors();
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let track = track(paths);
    quote! {
        #errors
        #languages
        // Paths into the runtime are written at the user's spans so errors
        // point at their fields; where the user imported the item (say
        // `MultiProduct`), rustc would call the generated path unnecessary.
        #[allow(unused_qualifications)]
        const _: () = {
            #runtime
            #track
            impl #impl_generics _kaleyra::Template for #ident #ty_generics #where_clause {
                const NAME: &'static str = "";
                const KIND: _kaleyra::TemplateKind = _kaleyra::TemplateKind::Template;
                const PARAMS: usize = 0;
                const LANGUAGE: ::core::option::Option<&'static str> = ::core::option::Option::None;
                fn to_message(&self) -> _kaleyra::AnyMessage {
                    ::core::panic!("#[derive(Template)] failed; see the compile errors")
                }
            }
            impl #impl_generics #ident #ty_generics #where_clause {
                #[allow(missing_docs)]
                pub fn prepare(
                    &self,
                    _client: &_kaleyra::Client,
                    _to: impl _kaleyra::Recipients,
                ) -> ::core::result::Result<_kaleyra::PreparedRequest, _kaleyra::Error> {
                    ::core::panic!("#[derive(Template)] failed; see the compile errors")
                }
                #[allow(missing_docs)]
                pub async fn send(
                    &self,
                    _client: &_kaleyra::Client,
                    _to: impl _kaleyra::Recipients,
                ) -> ::core::result::Result<_kaleyra::Receipt, _kaleyra::Error> {
                    ::core::panic!("#[derive(Template)] failed; see the compile errors")
                }
            }
        };
    }
}

fn generate(
    container: &Container<'_>,
    runtime: &TokenStream,
    located: &Located,
    plan: &Plan<'_>,
) -> TokenStream {
    let input = container.input;
    let definition = &located.definition;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let paths: Vec<PathBuf> = located.paths().map(Path::to_path_buf).collect();
    let track = track(&paths);
    let name = &definition.name;
    let kind = match definition.kind {
        TemplateKind::Template => quote!(Template),
        TemplateKind::MediaTemplate => quote!(MediaTemplate),
        TemplateKind::Reply => quote!(Reply),
        TemplateKind::CtaUrl => quote!(CtaUrl),
    };
    // rustdoc shows `KIND`'s value as written, so it is written
    // `TemplateKind::X`, imported in the derive's block; unless the struct or
    // a generic parameter has that name, which the import would shadow.
    let (kind_import, kind) = if names_template_kind(input) {
        (TokenStream::new(), quote!(_kaleyra::TemplateKind::#kind))
    } else {
        (
            quote!(
                use _kaleyra::TemplateKind;
            ),
            quote!(TemplateKind::#kind),
        )
    };
    // Unsuffixed, so the page shows `2`, not `2usize`.
    let params = proc_macro2::Literal::usize_unsuffixed(definition.param_count());
    // A struct that chooses its language at run time has no one language.
    let language = match (&definition.language, plan.language) {
        (Some(language), None) => quote!(::core::option::Option::Some(#language)),
        _ => quote!(::core::option::Option::None),
    };
    let languages = crate::language::codes(located);
    let status_type = sendable::status_type(container);
    // A struct that chooses its language at run time has no one status.
    let status = sendable::status_const(
        container,
        definition
            .status
            .as_ref()
            .filter(|_| !located.has_several_languages()),
    );
    let language_enum = plan
        .language
        .map(|_| crate::language::language_enum(container, located));
    let mut docs = docs::render(&docs::Page {
        container,
        located,
        plan,
    });
    let runtime_text = docs::runtime_path_text(container);
    let prepare_doc = format!(
        "Builds the request that sends `{name}` to `to`, exactly as it would be sent, without sending it. See [`{runtime_text}::Client::prepare`]."
    );
    let (button_enum, button_impl) = crate::buttons::button_enum(container, definition).unzip();
    if button_enum.is_some() {
        docs.push_str(&format!(
            "A customer's taps on its buttons are recognised in callbacks with [`{ident}Button::from_event`].\n"
        ));
    }
    let send_doc = format!(
        "Sends `{name}` to `to` through `client` and returns Kaleyra's receipt. See [`{runtime_text}::Client::send`]."
    );
    // Approved templates send their values borrowed from the fields (and
    // copy them only for `to_message`); the interactive kinds send the
    // message their texts were filled into.
    let (to_message, values_method, message_ref) = match definition.kind {
        TemplateKind::Template | TemplateKind::MediaTemplate => {
            let values = derived_values(container, located, plan);
            let (params, buttons) = match plan.code {
                // The code, as the body parameter and as its button's.
                Some(_) => (1, 1),
                None => (plan.body.len(), text_buttons(plan).count()),
            };
            (
                quote!(_kaleyra::AnyMessage::from(
                    self.__kaleyra_values().into_message()
                )),
                quote! {
                    #[doc(hidden)]
                    fn __kaleyra_values(&self) -> _kaleyra::DerivedValues<'_, #params, #buttons> {
                        #values
                    }
                },
                quote!(&self.__kaleyra_values().parts()),
            )
        }
        TemplateKind::Reply | TemplateKind::CtaUrl => {
            let message = match definition.kind {
                TemplateKind::Reply => reply_message(definition, plan),
                _ => cta_message(definition, plan),
            };
            (
                quote!(_kaleyra::AnyMessage::from(#message)),
                TokenStream::new(),
                quote!(&<Self as _kaleyra::Template>::to_message(self)),
            )
        }
    };

    let (cards_check, cards_accessor) = plan
        .cards
        .and_then(|field| cards_items(field, definition))
        .unzip();

    quote! {
        #button_enum
        #language_enum

        // Paths into the runtime are written at the user's spans so errors
        // point at their fields; where the user imported the item (say
        // `MultiProduct`), rustc would call the generated path unnecessary.
        #[allow(unused_qualifications)]
        const _: () = {
            #runtime
            #track
            #button_impl
            #cards_check

            #kind_import

            #[automatically_derived]
            impl #impl_generics _kaleyra::Template for #ident #ty_generics #where_clause {
                const NAME: &'static str = #name;
                const KIND: _kaleyra::TemplateKind = #kind;
                const PARAMS: usize = #params;
                const LANGUAGE: ::core::option::Option<&'static str> = #language;
                const LANGUAGES: &'static [&'static str] = &[#(#languages),*];
                const STATUS: ::core::option::Option<#status_type> = #status;

                fn to_message(&self) -> _kaleyra::AnyMessage {
                    #to_message
                }
            }

            #[doc = #docs]
            impl #impl_generics #ident #ty_generics #where_clause {
                #values_method
                #cards_accessor

                #[doc = #prepare_doc]
                pub fn prepare(
                    &self,
                    client: &_kaleyra::Client,
                    to: impl _kaleyra::Recipients,
                ) -> ::core::result::Result<_kaleyra::PreparedRequest, _kaleyra::Error> {
                    client.prepare(#message_ref, to)
                }

                #[doc = #send_doc]
                pub async fn send(
                    &self,
                    client: &_kaleyra::Client,
                    to: impl _kaleyra::Recipients,
                ) -> ::core::result::Result<_kaleyra::Receipt, _kaleyra::Error> {
                    client.send(#message_ref, to).await
                }
            }
        };
    }
}

/// For a carousel's cards field `[T; N]`: a `const` check that `T` fills
/// this template's cards, and the accessor the cards are read through,
/// typed with the approved count (so a length written as a `const` is
/// checked by the compiler too).
fn cards_items(
    field: &Field<'_>,
    definition: &TemplateDefinition,
) -> Option<(TokenStream, TokenStream)> {
    let syn::Type::Array(array) = field.ty else {
        return None;
    };
    let card_type = crate::cards::card_type_for_const(field)?;
    let element = &array.elem;
    let ident = field.ident;
    let name = &definition.name;
    let count = proc_macro2::Literal::usize_unsuffixed(definition.card_count());
    let message = format!(
        "the type of `{ident}` fills the cards of another carousel template; derive `Card` for it with `#[kaleyra(template = \"{name}\")]`"
    );
    let check = quote!(
        const _: () = ::core::assert!(
            // Empty when the card's own derive failed, which says why.
            <#card_type as _kaleyra::Card>::TEMPLATE.is_empty()
                || _kaleyra::same_name(<#card_type as _kaleyra::Card>::TEMPLATE, #name),
            #message
        );
    );
    // Spanned at the card type, so a type that is not a card is reported there.
    let is_card = quote_spanned!(element.span()=> _kaleyra::is_card::<#element>(););
    let accessor = quote_spanned!(field.ty.span()=>
        #[doc(hidden)]
        fn __kaleyra_cards(&self) -> &[#element; #count] {
            #is_card
            &self.#ident
        }
    );
    Some((check, accessor))
}

/// Whether the struct or one of its generic parameters is named `TemplateKind`.
fn names_template_kind(input: &DeriveInput) -> bool {
    input.ident == "TemplateKind"
        || input.generics.params.iter().any(|param| match param {
            syn::GenericParam::Type(ty) => ty.ident == "TemplateKind",
            syn::GenericParam::Const(constant) => constant.ident == "TemplateKind",
            syn::GenericParam::Lifetime(_) => false,
        })
}

/// `&self.field`, spanned at the field's type so a missing `Display` points there.
pub(crate) fn field_ref(field: &Field<'_>) -> TokenStream {
    let ident = field.ident;
    quote_spanned!(field.ty.span()=> &self.#ident)
}

fn to_string(field: &Field<'_>) -> TokenStream {
    let value = field_ref(field);
    quote_spanned!(field.ty.span()=> ::std::string::ToString::to_string(#value))
}

/// The field's value as a parameter's text, a `Cow<str>`: borrowed when the
/// field's type is text already (`&str`, `String`, `Cow<str>`, as written),
/// formatted with `Display` otherwise. Either way the text is the same.
fn param_text(field: &Field<'_>) -> TokenStream {
    let value = field_ref(field);
    if is_text(field.ty) {
        quote_spanned!(field.ty.span()=> ::std::borrow::Cow::Borrowed(::core::convert::AsRef::<str>::as_ref(#value)))
    } else {
        quote_spanned!(field.ty.span()=> _kaleyra::display_text(#value))
    }
}

/// The media in a header field (which must hold a `MediaUrl`, a `MediaId`
/// or a `Media`).
fn media(field: &Field<'_>) -> TokenStream {
    let value = field_ref(field);
    quote_spanned!(field.ty.span()=> _kaleyra::AsMedia::to_media(#value))
}

/// The struct's `DerivedValues`, built once for `to_message`, `prepare` and
/// `send`. Only a header text and values that are not text are copied.
fn derived_values(container: &Container<'_>, located: &Located, plan: &Plan<'_>) -> TokenStream {
    let definition = &located.definition;
    let shape = if plan.code.is_some() {
        quote!(_kaleyra::Shape::Authentication)
    } else if definition.kind == TemplateKind::MediaTemplate {
        // A Meta object is a media template exactly when its header takes a
        // value or it has buttons (see the definitions' reader).
        quote!(_kaleyra::Shape::Media)
    } else {
        quote!(_kaleyra::Shape::Plain)
    };
    let language = match plan.language {
        Some(field) => {
            let ident = field.ident;
            let languages = crate::language::enum_ident(container);
            quote_spanned!(field.ty.span()=> ::core::option::Option::Some(#languages::code(self.#ident)))
        }
        None => quote!(<Self as _kaleyra::Template>::LANGUAGE),
    };
    let texts = texts(container, located, plan);
    if let Some((field, index)) = plan.code {
        let label = field.ident.to_string();
        let text = param_text(field);
        return quote! {
            _kaleyra::DerivedValues {
                name: <Self as _kaleyra::Template>::NAME,
                shape: #shape,
                language: #language,
                params: [_kaleyra::Param::named(#label, #text)],
                header: ::core::option::Option::None,
                buttons: [_kaleyra::ButtonValue { index: #index, takes: _kaleyra::ButtonParameter::UrlSuffix, value: #text }],
                products: ::core::option::Option::None,
                offer_expiry: ::core::option::Option::None,
                flow_action_data: ::core::option::Option::None,
                cards: ::std::vec::Vec::new(),
                texts: #texts,
            }
        };
    }
    let params = param_values(plan);
    let header = match plan.header {
        Some((field, kind)) => {
            let header = template_header(field, kind, definition.header_parameter_name());
            quote!(::core::option::Option::Some(#header))
        }
        None => quote!(::core::option::Option::None),
    };
    let buttons = button_values(plan);
    let products = plan
        .buttons
        .iter()
        .find(|(_, _, value)| *value == ButtonParameter::ProductSections);
    let products = match products {
        Some((field, index, _)) => {
            let value = field_ref(field);
            let products = quote_spanned!(field.ty.span()=>
                ::std::borrow::Cow::Borrowed(::core::borrow::Borrow::<_kaleyra::MultiProduct>::borrow(#value))
            );
            quote!(::core::option::Option::Some(_kaleyra::ProductsButton { index: #index, products: #products }))
        }
        None => quote!(::core::option::Option::None),
    };
    // Any type that converts into a `SystemTime` (chrono's and time's do).
    let offer_expiry = match plan.offer_expiry {
        Some(field) => {
            let value = field_ref(field);
            quote_spanned!(field.ty.span()=> ::core::option::Option::Some(
                ::core::convert::Into::<::std::time::SystemTime>::into(::core::clone::Clone::clone(#value))
            ))
        }
        None => quote!(::core::option::Option::None),
    };
    let flow_action_data = match plan.flow_data {
        Some(field) => {
            let value = field_ref(field);
            quote_spanned!(field.ty.span()=> _kaleyra::AsFlowActionData::as_flow_action_data(#value))
        }
        None => quote!(::core::option::Option::None),
    };
    let cards = match plan.cards {
        // Through an accessor typed with the approved count, so a length
        // written as a `const` is checked too.
        Some(_) => {
            quote!(
                self.__kaleyra_cards()
                    .iter()
                    .map(_kaleyra::Card::card_values)
                    .collect()
            )
        }
        None => quote!(::std::vec::Vec::new()),
    };
    quote! {
        _kaleyra::DerivedValues {
            name: <Self as _kaleyra::Template>::NAME,
            shape: #shape,
            language: #language,
            params: [#(#params),*],
            header: #header,
            buttons: [#(#buttons),*],
            products: #products,
            offer_expiry: #offer_expiry,
            flow_action_data: #flow_action_data,
            cards: #cards,
            texts: #texts,
        }
    }
}

/// The body fields' values, as `Param`s in placeholder order.
pub(crate) fn param_values(plan: &Plan<'_>) -> Vec<TokenStream> {
    plan.body
        .iter()
        .map(|field| {
            let label = field.ident.to_string();
            let text = param_text(field);
            if plan.named {
                let parameter = field.parameter_name();
                quote!(_kaleyra::Param::placeholder(#label, #parameter, #text))
            } else {
                quote!(_kaleyra::Param::named(#label, #text))
            }
        })
        .collect()
}

/// The button fields' values that are one text, as `ButtonValue`s by index.
pub(crate) fn button_values(plan: &Plan<'_>) -> Vec<TokenStream> {
    text_buttons(plan).map(|(field, index, value)| {
        let text = param_text(field);
        match value {
            ButtonParameter::UrlSuffix => quote!(
                _kaleyra::ButtonValue { index: #index, takes: _kaleyra::ButtonParameter::UrlSuffix, value: #text }
            ),
            ButtonParameter::Payload => quote!(
                _kaleyra::ButtonValue { index: #index, takes: _kaleyra::ButtonParameter::Payload, value: #text }
            ),
            ButtonParameter::CouponCode => quote!(
                _kaleyra::ButtonValue { index: #index, takes: _kaleyra::ButtonParameter::CouponCode, value: #text }
            ),
            ButtonParameter::ProductThumbnail => quote!(
                _kaleyra::ButtonValue { index: #index, takes: _kaleyra::ButtonParameter::ProductThumbnail, value: #text }
            ),
            // Not text: `products` below.
            ButtonParameter::ProductSections => quote!(),
            ButtonParameter::FlowToken => quote!(
                _kaleyra::ButtonValue { index: #index, takes: _kaleyra::ButtonParameter::FlowToken, value: #text }
            ),
        }
    }).collect()
}

/// The button fields whose value is one text (a `ButtonValue`): all but a
/// multi-product button's products.
fn text_buttons<'p, 'a>(
    plan: &'p Plan<'a>,
) -> impl Iterator<Item = &'p (&'a Field<'a>, u8, ButtonParameter)> {
    plan.buttons
        .iter()
        .filter(|(_, _, value)| *value != ButtonParameter::ProductSections)
}

/// The definition's texts as a `&'static TemplateTexts`, for the filled-text
/// rules at run time: one `static` per language on file, the one sent chosen
/// by the language field when there is one.
fn texts(container: &Container<'_>, located: &Located, plan: &Plan<'_>) -> TokenStream {
    let literal = |definition: &TemplateDefinition| {
        let texts = definition.texts();
        let text = |text: Option<&str>| match text {
            Some(text) => quote!(::core::option::Option::Some(::std::borrow::Cow::Borrowed(#text))),
            None => quote!(::core::option::Option::None),
        };
        let body = text(texts.body.as_deref());
        let header = text(texts.header.as_deref());
        let urls = texts.urls.iter().map(|(index, url)| {
            let url = &**url;
            quote!((#index, ::std::borrow::Cow::Borrowed(#url)))
        });
        let named = texts.named;
        let button_count = texts.button_count;
        let cards = texts.cards;
        quote!(_kaleyra::TemplateTexts {
            body: #body,
            header: #header,
            urls: ::std::borrow::Cow::Borrowed(&[#(#urls),*]),
            named: #named,
            button_count: #button_count,
            cards: #cards,
        })
    };
    match plan.language {
        Some(field) => {
            let ident = field.ident;
            let languages = crate::language::enum_ident(container);
            let variants = crate::language::variant_names(&crate::language::codes(located));
            let texts = located
                .languages
                .iter()
                .map(|language| literal(&language.definition));
            let count = located.languages.len();
            let positions = 0..count;
            quote!({
                static TEXTS: [_kaleyra::TemplateTexts; #count] = [#(#texts),*];
                &TEXTS[match self.#ident { #(#languages::#variants => #positions,)* }]
            })
        }
        None => {
            let texts = literal(&located.definition);
            quote!({
                static TEXTS: _kaleyra::TemplateTexts = #texts;
                &TEXTS
            })
        }
    }
}

/// The `TemplateHeader` a header field makes.
pub(crate) fn template_header(
    field: &Field<'_>,
    kind: HeaderType,
    named: Option<&str>,
) -> TokenStream {
    match kind {
        HeaderType::Text if named.is_some() => {
            let text = to_string(field);
            quote!(_kaleyra::TemplateHeader::NamedText {
                name: ::std::borrow::Cow::Borrowed(#named),
                value: #text,
            })
        }
        HeaderType::Text => {
            let text = to_string(field);
            quote!(_kaleyra::TemplateHeader::Text(#text))
        }
        HeaderType::Image => {
            let media = media(field);
            quote!(_kaleyra::TemplateHeader::Image(#media))
        }
        HeaderType::Video => {
            let media = media(field);
            quote!(_kaleyra::TemplateHeader::Video(#media))
        }
        HeaderType::Document => {
            let media = media(field);
            quote!(_kaleyra::TemplateHeader::Document(#media))
        }
        // The paths at the derive's span (only the field at its own), so a
        // user who imported `Product` is not told the path is too long.
        HeaderType::Product => {
            let value = field_ref(field);
            let borrow = quote!(::core::borrow::Borrow::<_kaleyra::Product>::borrow);
            quote!(_kaleyra::TemplateHeader::Product(::core::clone::Clone::clone(#borrow(#value))))
        }
        HeaderType::Location => {
            let value = field_ref(field);
            let borrow = quote!(::core::borrow::Borrow::<_kaleyra::Location>::borrow);
            quote!(_kaleyra::TemplateHeader::Location(::core::clone::Clone::clone(#borrow(#value))))
        }
    }
}

/// The definition's `text` with its placeholders filled from `fields`.
fn filled(text: &str, fields: &[&Field<'_>]) -> TokenStream {
    if fields.is_empty() {
        return quote!(::std::string::String::from(#text));
    }
    let values = fields.iter().map(|field| to_string(field));
    quote!(_kaleyra::fill(#text, &[#(#values),*]))
}

fn interactive_header(definition: &TemplateDefinition, plan: &Plan<'_>) -> Option<TokenStream> {
    let header = definition.header.as_ref()?;
    let value = match (header.kind, plan.header) {
        (HeaderType::Text, field) => {
            let fields: Vec<&Field<'_>> = field.map(|(field, _)| field).into_iter().collect();
            filled(header.text.as_deref().unwrap_or_default(), &fields)
        }
        (_, Some((field, _))) => media(field),
        (_, None) => return None,
    };
    let variant = match header.kind {
        HeaderType::Text => quote!(Text),
        HeaderType::Image => quote!(Image),
        HeaderType::Video => quote!(Video),
        HeaderType::Document => quote!(Document),
        // The rules allow a product header on templates only.
        HeaderType::Product => return None,
        // The definitions' rules allow no location header on an
        // interactive message.
        HeaderType::Location => return None,
    };
    Some(quote!(_kaleyra::InteractiveHeader::#variant(#value)))
}

fn reply_message(definition: &TemplateDefinition, plan: &Plan<'_>) -> TokenStream {
    let body = filled(definition.body.as_deref().unwrap_or_default(), &plan.body);
    let mut buttons: Vec<_> = definition.buttons.iter().collect();
    buttons.sort_by_key(|button| button.index);
    let buttons = buttons.into_iter().map(|button| {
        let id = button.id.as_deref().unwrap_or_default();
        let title = button.title.as_deref().unwrap_or_default();
        quote!(.button(#id, #title))
    });
    let header = interactive_header(definition, plan).map(|header| quote!(.header(#header)));
    let footer = definition
        .footer
        .as_ref()
        .map(|footer| quote!(.footer(#footer)));
    quote! {
        _kaleyra::ReplyButtons::new(#body)
            #header
            #(#buttons)*
            #footer
    }
}

fn cta_message(definition: &TemplateDefinition, plan: &Plan<'_>) -> TokenStream {
    let body = filled(definition.body.as_deref().unwrap_or_default(), &plan.body);
    let button = definition.buttons.first();
    let display_text = button
        .and_then(|button| button.text.as_deref())
        .unwrap_or_default();
    let url_fields: Vec<&Field<'_>> = plan.buttons.iter().map(|(field, _, _)| *field).collect();
    let url = filled(
        button
            .and_then(|button| button.url.as_deref())
            .unwrap_or_default(),
        &url_fields,
    );
    let header = definition.header.as_ref().map(|header| {
        let fields: Vec<&Field<'_>> = plan.header.map(|(field, _)| field).into_iter().collect();
        let text = filled(header.text.as_deref().unwrap_or_default(), &fields);
        quote!(.header_text(#text))
    });
    let footer = definition
        .footer
        .as_ref()
        .map(|footer| quote!(.footer(#footer)));
    quote! {
        _kaleyra::CtaUrl::new(#body, #display_text, #url)
            #header
            #footer
    }
}
