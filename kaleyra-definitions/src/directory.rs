//! A directory of definition files, such as `templates/`, and finding a
//! template in it by name and language.
//!
//! A template approved in several languages has one file per language,
//! `<name>.<language>.json` (`order_update.hi.json`); a template in one
//! language may also be `<name>.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{DefinitionError, Problem};
use crate::model::{ButtonType, HeaderType, TemplateDefinition};

/// The JSON Schema file kept beside the definitions; it is not a definition.
pub const SCHEMA_FILE_NAME: &str = "schema.json";

/// The definition files in `dir`: every `*.json` but [`SCHEMA_FILE_NAME`], sorted.
pub fn definition_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    definition_files_where(dir, |_| true)
}

/// The files in `dir` that can hold template `name`: `<name>.json` and
/// `<name>.<language>.json`, sorted.
pub fn template_files(dir: &Path, name: &str) -> std::io::Result<Vec<PathBuf>> {
    definition_files_where(dir, |stem| {
        stem.to_str()
            .is_some_and(|stem| stem.split('.').next() == Some(name))
    })
}

/// The definition files in `dir` whose stem `keep` accepts, sorted. Names are
/// matched before anything touches the file: the derive looks up one
/// template per struct, and a stat and sort of every file for each would
/// make a crate's build quadratic in its number of templates.
fn definition_files_where(
    dir: &Path,
    keep: impl Fn(&std::ffi::OsStr) -> bool,
) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let file_name = entry?.file_name();
        let name = Path::new(&file_name);
        let is_json = name.extension().is_some_and(|ext| ext == "json");
        if !is_json || file_name == SCHEMA_FILE_NAME {
            continue;
        }
        if !name.file_stem().is_some_and(&keep) {
            continue;
        }
        let path = dir.join(name);
        if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Every definition in a directory, by template name and language.
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    /// By name; each name's definitions sorted by language.
    definitions: BTreeMap<String, Vec<TemplateDefinition>>,
}

/// Why [`TemplateSet::select`] found no usable definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    /// No definition has this name.
    #[error("no template `{name}`{}", suggestion(.suggestions))]
    UnknownTemplate {
        /// The name asked for.
        name: String,
        /// The closest names in the set, best first.
        suggestions: Vec<String>,
    },
    /// The template exists, but not in this language.
    #[error("template `{name}` has no language `{language}`; it has {}", list(.available))]
    UnknownLanguage {
        /// The template's name.
        name: String,
        /// The language asked for.
        language: String,
        /// The languages it has.
        available: Vec<String>,
    },
    /// Two of the template's languages take different values, so one struct
    /// cannot send both.
    #[error("the languages of template `{name}` disagree: {difference}")]
    LanguagesDiffer {
        /// The template's name.
        name: String,
        /// One language.
        first: String,
        /// Another language, which differs from `first`.
        second: String,
        /// What differs, naming both languages.
        difference: String,
    },
}

fn suggestion(suggestions: &[String]) -> String {
    let names: Vec<&str> = suggestions.iter().map(String::as_str).collect();
    crate::did_you_mean_sentence(&names).map_or_else(String::new, |s| format!("; {s}"))
}

fn list(languages: &[String]) -> String {
    let quoted: Vec<String> = languages.iter().map(|l| format!("`{l}`")).collect();
    quoted.join(", ")
}

impl TemplateSet {
    /// Loads every definition in `dir`; fails with every broken file's problems.
    pub fn load_dir(dir: &Path) -> Result<Self, Vec<DefinitionError>> {
        let files = definition_files(dir).map_err(|error| vec![unlistable(dir, &error)])?;
        Self::load_files(&files)
    }

    /// Loads every language of template `name` from `dir` (its files
    /// `<name>.json` and `<name>.<language>.json`), without reading the other
    /// templates' files. The set is empty when there are none.
    pub fn load_template(dir: &Path, name: &str) -> Result<Self, Vec<DefinitionError>> {
        let files = template_files(dir, name).map_err(|error| vec![unlistable(dir, &error)])?;
        Self::load_files(&files)
    }

    fn load_files(files: &[PathBuf]) -> Result<Self, Vec<DefinitionError>> {
        let mut set = TemplateSet::default();
        let mut errors = Vec::new();
        // Which file each (name, language) came from, to name both on a clash.
        let mut origin: BTreeMap<(String, Option<String>), &Path> = BTreeMap::new();
        for file in files {
            let definition = match TemplateDefinition::from_file(file) {
                Ok(definition) => definition,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let key = (definition.name.clone(), definition.language.clone());
            if let Some(first) = origin.get(&key) {
                errors.push(DefinitionError::single(
                    file,
                    Problem::at_path(
                        "language",
                        format!(
                            "template `{}` in {} is also defined by `{}`; keep one file per name and language",
                            key.0,
                            key.1.as_deref().map_or("no language".to_owned(), |l| format!("language `{l}`")),
                            first.display()
                        ),
                    ),
                ));
                continue;
            }
            origin.insert(key, file);
            set.insert(definition);
        }
        for (name, definitions) in &set.definitions {
            if definitions.len() > 1 && definitions.iter().any(|d| d.language.is_none()) {
                let file = origin
                    .iter()
                    .find(|((n, language), _)| n == name && language.is_none())
                    .map_or_else(PathBuf::new, |(_, file)| file.to_path_buf());
                errors.push(DefinitionError::single(
                    file,
                    Problem::at_path(
                        "language",
                        format!("template `{name}` has several languages, so each of its files must give its `language`"),
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// A set of the given definitions; a later definition replaces an
    /// earlier one of the same name and language.
    pub fn from_definitions(definitions: impl IntoIterator<Item = TemplateDefinition>) -> Self {
        let mut set = TemplateSet::default();
        for definition in definitions {
            set.insert(definition);
        }
        set
    }

    fn insert(&mut self, definition: TemplateDefinition) {
        let languages = self.definitions.entry(definition.name.clone()).or_default();
        languages.retain(|other| other.language != definition.language);
        let at = languages.partition_point(|other| other.language < definition.language);
        languages.insert(at, definition);
    }

    /// The definition named `name`, when it has exactly one language; use
    /// [`TemplateSet::select`] for a template with several.
    pub fn get(&self, name: &str) -> Option<&TemplateDefinition> {
        match self.definitions.get(name)?.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }

    /// Every language of template `name`, sorted by language code; empty
    /// when there is no such template.
    pub fn languages_of(&self, name: &str) -> &[TemplateDefinition] {
        self.definitions.get(name).map_or(&[], Vec::as_slice)
    }

    /// The definition(s) a struct sending template `name` uses:
    /// with `language`, that one language (compared without regard to case);
    /// without, every language, after checking they take the same values.
    ///
    /// ```
    /// use std::path::Path;
    /// use kaleyra_definitions::{LookupError, TemplateDefinition, TemplateSet};
    ///
    /// let en = br#"{"name":"order_update","kind":"template","language":"en","body":"Order {{1}} is on its way"}"#;
    /// let hi = r#"{"name":"order_update","kind":"template","language":"hi","body":"ऑर्डर {{1}} रास्ते में है"}"#;
    /// let set = TemplateSet::from_definitions([
    ///     TemplateDefinition::from_slice(en, Path::new("order_update.en.json"))?,
    ///     TemplateDefinition::from_slice(hi.as_bytes(), Path::new("order_update.hi.json"))?,
    /// ]);
    /// assert_eq!(set.select("order_update", None).unwrap().len(), 2);
    /// assert_eq!(set.select("order_update", Some("hi")).unwrap()[0].language.as_deref(), Some("hi"));
    /// let error = set.select("order_update", Some("fr")).unwrap_err();
    /// assert_eq!(error.to_string(), "template `order_update` has no language `fr`; it has `en`, `hi`");
    /// # Ok::<(), kaleyra_definitions::DefinitionError>(())
    /// ```
    pub fn select(
        &self,
        name: &str,
        language: Option<&str>,
    ) -> Result<Vec<&TemplateDefinition>, LookupError> {
        let all = self.languages_of(name);
        if all.is_empty() {
            return Err(LookupError::UnknownTemplate {
                name: name.to_owned(),
                suggestions: self.suggest(name).into_iter().map(str::to_owned).collect(),
            });
        }
        if let Some(language) = language {
            return all
                .iter()
                .find(|definition| {
                    definition
                        .language
                        .as_deref()
                        .is_some_and(|own| own.eq_ignore_ascii_case(language))
                })
                .map(|definition| vec![definition])
                .ok_or_else(|| LookupError::UnknownLanguage {
                    name: name.to_owned(),
                    language: language.to_owned(),
                    available: all
                        .iter()
                        .filter_map(|definition| definition.language.clone())
                        .collect(),
                });
        }
        let (first, others) = all.split_first().unwrap_or_else(|| unreachable!());
        for other in others {
            if let Some(difference) = values_difference(first, other) {
                return Err(LookupError::LanguagesDiffer {
                    name: name.to_owned(),
                    first: language_of(first).to_owned(),
                    second: language_of(other).to_owned(),
                    difference,
                });
            }
        }
        Ok(all.iter().collect())
    }

    /// Every definition, by name, then language.
    pub fn iter(&self) -> impl Iterator<Item = &TemplateDefinition> {
        self.definitions.values().flatten()
    }

    /// Every template name, once each.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.definitions.keys().map(String::as_str)
    }

    /// The names closest to a misspelled `name`.
    pub fn suggest(&self, name: &str) -> Vec<&str> {
        crate::did_you_mean(name, self.names())
    }

    /// How many definitions the set has (one per name and language).
    pub fn len(&self) -> usize {
        self.definitions.values().map(Vec::len).sum()
    }

    /// Whether the set has no definitions.
    pub fn is_empty(&self) -> bool {
        self.definitions.is_empty()
    }
}

fn unlistable(dir: &Path, error: &std::io::Error) -> DefinitionError {
    DefinitionError::single(
        dir,
        Problem::in_file(format!("cannot list the template directory: {error}")),
    )
}

fn language_of(definition: &TemplateDefinition) -> &str {
    definition.language.as_deref().unwrap_or("(none)")
}

/// What differs between the values two languages of one template take (the
/// parameters, header and buttons a message fills), naming both languages;
/// `None` when one struct can send both. Texts may differ: they are translations.
pub fn values_difference(a: &TemplateDefinition, b: &TemplateDefinition) -> Option<String> {
    let (la, lb) = (language_of(a), language_of(b));
    let differ = |what: &str, x: String, y: String| {
        (x != y).then(|| format!("`{la}` {what} {x}, `{lb}` {what} {y}"))
    };
    differ("is kind", a.kind.to_string(), b.kind.to_string())
        .or_else(|| {
            differ(
                "has parameter format",
                a.parameter_format.as_str().to_owned(),
                b.parameter_format.as_str().to_owned(),
            )
        })
        .or_else(|| {
            differ(
                "has body parameters:",
                body_parameters(a),
                body_parameters(b),
            )
        })
        .or_else(|| differ("has header", header_value(a), header_value(b)))
        .or_else(|| differ("has buttons", button_values(a), button_values(b)))
        .or_else(|| {
            differ(
                "is an authentication template:",
                a.authentication().is_some().to_string(),
                b.authentication().is_some().to_string(),
            )
        })
}

pub(crate) fn body_parameters(definition: &TemplateDefinition) -> String {
    let names = definition.body_parameter_names();
    if names.is_empty() {
        definition.param_count().to_string()
    } else {
        names
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(crate) fn header_value(definition: &TemplateDefinition) -> String {
    match &definition.header {
        None => "none".to_owned(),
        Some(header) if header.kind == HeaderType::Text && header.takes_value() => {
            match definition.header_parameter_name() {
                Some(name) => format!("text with `{{{{{name}}}}}`"),
                None => "text with `{{1}}`".to_owned(),
            }
        }
        Some(header) if header.kind == HeaderType::Text => "fixed text".to_owned(),
        Some(header) => header.kind.as_str().to_owned(),
    }
}

pub(crate) fn button_values(definition: &TemplateDefinition) -> String {
    let described: Vec<String> = definition
        .buttons
        .iter()
        .map(|button| {
            let value = match button.button_type() {
                ButtonType::Url if button.has_dynamic_url() => " (URL suffix)",
                ButtonType::CopyCode | ButtonType::Otp => " (code)",
                ButtonType::Catalog => " (thumbnail product)",
                ButtonType::MultiProduct => " (products)",
                ButtonType::Flow => " (flow token)",
                _ => "",
            };
            // How an OTP button hands the code over is part of what was
            // approved: a one-tap template is not a copy-code one.
            let otp = button
                .otp_type
                .map(|otp| format!(" {}", otp.as_str()))
                .unwrap_or_default();
            format!(
                "{} {}{otp}{value}",
                button.index,
                button.button_type().as_str()
            )
        })
        .collect();
    if described.is_empty() {
        "none".to_owned()
    } else {
        format!("[{}]", described.join(", "))
    }
}
