//! The trait `#[derive(Template)]` implements.

use crate::message::AnyMessage;
pub use kaleyra_definitions::TemplateKind;

/// A struct whose fields fill one definition in `templates/`.
///
/// Implemented by `#[derive(Template)]`, which also adds inherent `send` and
/// `prepare` methods and checks the struct against the definition at compile
/// time.
pub trait Template {
    /// The template's name, as approved in Kaleyra.
    const NAME: &'static str;
    /// Which kind of message the definition sends.
    const KIND: TemplateKind;
    /// How many body values the template takes.
    const PARAMS: usize;
    /// The template's language code, if the definition gives one.
    const LANGUAGE: Option<&'static str>;

    /// The message these values make: a [`crate::TemplateMessage`] for approved
    /// templates, or a [`crate::ReplyButtons`] or [`crate::CtaUrl`] whose texts
    /// the definition's placeholders were filled into.
    fn to_message(&self) -> AnyMessage;
}
