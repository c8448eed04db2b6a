//! Collects every error of one derive, so one compile shows them all.

use std::fmt::Display;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The errors found so far.
#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Option<syn::Error>,
}

impl Ctxt {
    /// Records an error spanning `tokens`.
    pub(crate) fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Records an error.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    /// How many errors have been recorded.
    pub(crate) fn error_count(&self) -> usize {
        self.errors
            .as_ref()
            .map_or(0, |errors| errors.into_iter().count())
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors.is_some()
    }

    /// The `compile_error!`s of every error recorded.
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.errors
            .map(|errors| errors.to_compile_error())
            .unwrap_or_default()
    }
}

/// An error message in rustc's shape: a short first line saying what is
/// wrong, then `= note:` lines with the facts and `= help:` lines with the fix.
/// (A proc macro cannot attach real notes on stable, so they are lines of the
/// message.)
pub(crate) struct Message {
    text: String,
}

impl Message {
    pub(crate) fn new(headline: impl Display) -> Message {
        Message {
            text: headline.to_string(),
        }
    }

    pub(crate) fn note(mut self, note: impl Display) -> Message {
        self.text.push_str(&format!("\n= note: {note}"));
        self
    }

    pub(crate) fn help(mut self, help: impl Display) -> Message {
        self.text.push_str(&format!("\n= help: {help}"));
        self
    }

    /// A `help:` line when there is one.
    pub(crate) fn maybe_help(self, help: Option<impl Display>) -> Message {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }
}

impl Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
impl Ctxt {
    /// Each error's message, in the order recorded.
    pub(crate) fn messages(&self) -> Vec<String> {
        self.errors
            .iter()
            .flat_map(|errors| errors.into_iter())
            .map(|error| error.to_string())
            .collect()
    }
}
