//! The trait `#[derive(Template)]` implements.

use crate::message::AnyMessage;
pub use kaleyra_definitions::TemplateKind;
use kaleyra_definitions::TemplateStatus;

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
    /// The template's language code, if the definition gives one; `None`
    /// also when the struct chooses among several languages at run time
    /// (with a `#[kaleyra(language)]` field, see [`Template::LANGUAGES`]).
    const LANGUAGE: Option<&'static str>;
    /// Every language the struct can send, sorted by code: the one language
    /// of its definition, or each language on file when a
    /// `#[kaleyra(language)]` field chooses at run time. Empty when the
    /// definition names no language.
    const LANGUAGES: &'static [&'static str] = &[];
    /// The template's status in the account, as its definition file gives it
    /// ([`TemplateStatus::Approved`], [`TemplateStatus::Paused`], ..; a status
    /// this library does not know is [`TemplateStatus::Other`], borrowing the
    /// file's text so that this stays a `const`). `None` for a definition in this
    /// project's format (approved by convention), a Meta object saved without
    /// `status`, and a struct sending several languages (each language's
    /// status is on the generated language enum's `status()`).
    ///
    /// The derive refuses a template that can never be sent (`REJECTED`,
    /// `DISABLED`, `DELETED`, `PENDING_DELETION`) but accepts one that is
    /// `PENDING`, `PAUSED`, `IN_APPEAL` or `LIMIT_EXCEEDED`: Kaleyra refuses
    /// its sends until it is approved or unpaused, and no rebuild is needed
    /// when it is.
    ///
    /// ```
    /// use kaleyra_runtime::Template;
    /// use kaleyra_runtime::definitions::Sendability;
    ///
    /// /// Whether the definition's file says `T` can be sent now (with no
    /// /// status, the account decides).
    /// pub fn sendable_now<T: Template>() -> bool {
    ///     T::STATUS.is_none_or(|status| status.sendability() == Sendability::Sendable)
    /// }
    /// ```
    const STATUS: Option<TemplateStatus> = None;

    /// The message these values make: a [`crate::TemplateMessage`] for approved
    /// templates, or a [`crate::ReplyButtons`] or [`crate::CtaUrl`] whose texts
    /// the definition's placeholders were filled into.
    fn to_message(&self) -> AnyMessage;
}
