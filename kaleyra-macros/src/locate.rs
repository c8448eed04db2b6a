//! Finding and reading the definition a struct names.

use std::path::{Path, PathBuf};

use kaleyra_definitions::{
    DefinitionError, LookupError, TemplateDefinition, TemplateSet, definition_files, did_you_mean,
    did_you_mean_sentence, limits, template_files,
};
use syn::LitStr;

use crate::ctxt::Message;

/// The default template directory, relative to the crate's `Cargo.toml`.
pub(crate) const DEFAULT_DIR: &str = "templates";

/// The definition(s) a struct sends and where they were read from.
pub(crate) struct Located {
    /// The definition the struct is checked against: its one language, or
    /// the first of several (which take the same values, or the lookup fails).
    pub(crate) definition: TemplateDefinition,
    /// Every language the struct can send, sorted by code; one entry for a
    /// template in one language (or none named).
    pub(crate) languages: Vec<LanguageFile>,
    /// The file of `definition` as users know it, relative to the crate:
    /// `templates/x.json` or `templates/x.hi.json`.
    pub(crate) shown: String,
    /// What the compile errors' notes call the definition: its file in
    /// backticks, or, for a carousel's card, each card of that file.
    pub(crate) subject: String,
}

/// One language of the template, and its file.
pub(crate) struct LanguageFile {
    pub(crate) definition: TemplateDefinition,
    /// The absolute path, for `include_bytes!` (so cargo rebuilds when it changes).
    pub(crate) path: PathBuf,
    /// The path as users know it, relative to the crate.
    pub(crate) shown: String,
}

impl Located {
    /// Whether the language is chosen at run time, from the languages on file.
    pub(crate) fn has_several_languages(&self) -> bool {
        self.languages.len() > 1
    }

    /// Every file read, for `include_bytes!`.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &Path> {
        self.languages
            .iter()
            .map(|language| language.path.as_path())
    }
}

/// Every environment variable the derive reads goes through here.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The directory definitions are read from, and how it is shown in messages.
pub(crate) struct TemplateDir {
    pub(crate) path: PathBuf,
    /// `templates`, as the user wrote it (without a trailing `/`).
    pub(crate) shown: String,
}

impl TemplateDir {
    /// `dir`, or `templates/`, beside the crate's `Cargo.toml`; `None` when
    /// cargo does not say where that is.
    pub(crate) fn of(dir: Option<&LitStr>) -> Option<TemplateDir> {
        let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
        let text = dir.map_or_else(|| DEFAULT_DIR.to_owned(), LitStr::value);
        let shown = text.trim_end_matches('/').to_owned();
        Some(TemplateDir {
            path: manifest_dir.join(&shown),
            shown,
        })
    }

    /// `file` (in this directory) as users know it: `templates/x.json`.
    fn show(&self, file: &Path) -> String {
        if file == self.path {
            return self.shown.clone();
        }
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        format!("{}/{name}", self.shown)
    }
}

/// Reads the definition(s) named by `template`, from `dir` or `templates/`:
/// `<name>.json` and every `<name>.<language>.json`. With `language`, only
/// that language; without, every language, which must take the same values.
/// Errors point at the `template = "..."` string (or at `dir` or `language`).
pub(crate) fn load(
    template: &LitStr,
    language: Option<&LitStr>,
    dir: Option<&LitStr>,
) -> syn::Result<Located> {
    let name = template.value();
    if !limits::is_template_name(&name) {
        return Err(syn::Error::new(
            template.span(),
            Message::new(format!("`{name}` is not a template name")).note(format!(
                "a template name is lowercase letters, digits and `_`, at most {} characters",
                limits::TEMPLATE_NAME
            )),
        ));
    }
    let dir_span = dir.map_or_else(|| template.span(), LitStr::span);
    let dir = TemplateDir::of(dir).ok_or_else(|| {
        syn::Error::new(
            template.span(),
            Message::new("CARGO_MANIFEST_DIR is not set")
                .note("`templates/` is found beside the crate's Cargo.toml, which cargo names")
                .help("build with cargo"),
        )
    })?;
    let dir_shown = dir.shown.as_str();
    if !dir.path.is_dir() {
        return Err(syn::Error::new(
            dir_span,
            Message::new(format!(
                "no template directory `{dir_shown}/` beside this crate's Cargo.toml"
            ))
            .help(format!(
                "create `{dir_shown}/` with one `<name>.json` per approved template, or point #[kaleyra(dir = \"...\")] at yours"
            )),
        ));
    }
    let set = TemplateSet::load_template(&dir.path, &name).map_err(|errors| {
        let mut combined: Option<syn::Error> = None;
        for error in errors {
            // Name the file as the user knows it, not by its absolute path.
            let shown = DefinitionError::new(dir.show(error.file()), error.problems().to_vec());
            let error = syn::Error::new(template.span(), shown.to_string());
            match &mut combined {
                Some(combined) => combined.combine(error),
                None => combined = Some(error),
            }
        }
        combined.unwrap_or_else(|| syn::Error::new(template.span(), "cannot read the template"))
    })?;
    let selected = set
        .select(&name, language.map(LitStr::value).as_deref())
        .map_err(|error| lookup_error(&error, template, language, &dir))?;
    let files = template_files(&dir.path, &name).map_err(|error| {
        syn::Error::new(dir_span, format!("cannot list `{dir_shown}/`: {error}"))
    })?;
    let languages: Vec<LanguageFile> = selected
        .into_iter()
        .map(|definition| {
            let path = files
                .iter()
                .find(|file| file_holds(file, definition))
                .cloned()
                .unwrap_or_else(|| dir.path.join(definition.file_name()));
            LanguageFile {
                shown: dir.show(&path),
                definition: definition.clone(),
                path,
            }
        })
        .collect();
    let first = languages
        .first()
        .ok_or_else(|| syn::Error::new(template.span(), not_found(&name, &dir)))?;
    Ok(Located {
        definition: first.definition.clone(),
        shown: first.shown.clone(),
        subject: format!("`{}`", first.shown),
        languages,
    })
}

/// Whether `file` is the one `definition` was read from: `<name>.<language>.json`,
/// or `<name>.json` (which may give any language).
fn file_holds(file: &Path, definition: &TemplateDefinition) -> bool {
    let Some(file_name) = file.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    file_name == definition.file_name() || file_name == format!("{}.json", definition.name)
}

/// The lookup's error, at the string that is wrong.
fn lookup_error(
    error: &LookupError,
    template: &LitStr,
    language: Option<&LitStr>,
    dir: &TemplateDir,
) -> syn::Error {
    match error {
        LookupError::UnknownTemplate { name, .. } => {
            syn::Error::new(template.span(), not_found(name, dir))
        }
        LookupError::UnknownLanguage {
            name,
            language: asked,
            available,
        } => {
            let listed: Vec<String> = available.iter().map(|code| format!("`{code}`")).collect();
            let message = Message::new(format!("template `{name}` has no language `{asked}`"))
                .note(if listed.is_empty() {
                    format!("its definition in `{}/` names no language", dir.shown)
                } else {
                    format!(
                        "`{}/` has it in {}",
                        dir.shown,
                        listed.join(", ")
                    )
                })
                .maybe_help(did_you_mean_sentence(&did_you_mean(
                    asked,
                    available.iter().map(String::as_str),
                )));
            syn::Error::new(language.map_or_else(|| template.span(), LitStr::span), message)
        }
        LookupError::LanguagesDiffer {
            name,
            first,
            second,
            difference,
        } => syn::Error::new(
            template.span(),
            Message::new(format!(
                "the languages `{first}` and `{second}` of template `{name}` take different values"
            ))
            .note(difference)
            .note("one struct sends every language on file, so they must take the same values")
            .help(format!(
                "pick one with `#[kaleyra(template = \"{name}\", language = \"{first}\")]`, or pull the templates again if one is out of date"
            )),
        ),
        other => syn::Error::new(template.span(), other.to_string()),
    }
}

fn not_found(name: &str, dir: &TemplateDir) -> Message {
    let dir_shown = dir.shown.as_str();
    // Template names, once each: `order_update.hi.json` is `order_update`.
    let mut available: Vec<String> = definition_files(&dir.path)
        .unwrap_or_default()
        .iter()
        .filter_map(|file| {
            let stem = file.file_stem()?.to_str()?;
            stem.split('.').next().map(str::to_owned)
        })
        .collect();
    available.dedup();
    let message = Message::new(format!("no template `{name}`")).note(format!(
        "searched `{dir_shown}/` (beside this crate's Cargo.toml) for `{name}.json` and `{name}.<language>.json`"
    ));
    let suggestion =
        did_you_mean_sentence(&did_you_mean(name, available.iter().map(String::as_str)));
    const LISTED: usize = 10;
    let message = match available.len() {
        0 => message.note(format!("`{dir_shown}/` has no template definitions yet")),
        count => {
            let shown: Vec<String> = available
                .iter()
                .take(LISTED)
                .map(|n| format!("`{n}`"))
                .collect();
            let more = if count > LISTED {
                format!(" and {} more", count - LISTED)
            } else {
                String::new()
            };
            message.note(format!("`{dir_shown}/` has {}{more}", shown.join(", ")))
        }
    };
    message.maybe_help(suggestion)
}
