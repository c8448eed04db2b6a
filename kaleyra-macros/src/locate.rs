//! Finding and reading the definition a struct names.

use std::path::{Path, PathBuf};

use kaleyra_definitions::{
    TemplateDefinition, definition_files, did_you_mean, did_you_mean_sentence, limits,
};
use syn::LitStr;

use crate::ctxt::Message;

/// The default template directory, relative to the crate's `Cargo.toml`.
pub(crate) const DEFAULT_DIR: &str = "templates";

/// A definition and where it was read from.
pub(crate) struct Located {
    pub(crate) definition: TemplateDefinition,
    /// The absolute path, for `include_bytes!` (so cargo rebuilds when it changes).
    pub(crate) path: PathBuf,
    /// The path as users know it, relative to the crate: `templates/x.json`.
    pub(crate) shown: String,
}

/// Every environment variable the derive reads goes through here.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Reads the definition named by `template`, from `dir` or `templates/`.
/// Errors point at the `template = "..."` string (or at `dir = "..."`).
pub(crate) fn load(template: &LitStr, dir: Option<&LitStr>) -> syn::Result<Located> {
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
    let manifest_dir = env_var("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                template.span(),
                Message::new("CARGO_MANIFEST_DIR is not set")
                    .note("`templates/` is found beside the crate's Cargo.toml, which cargo names")
                    .help("build with cargo"),
            )
        })?;
    let dir_text = dir.map_or_else(|| DEFAULT_DIR.to_owned(), LitStr::value);
    let dir_shown = dir_text.trim_end_matches('/');
    let dir_path = manifest_dir.join(dir_shown);
    let dir_span = dir.map_or_else(|| template.span(), LitStr::span);
    if !dir_path.is_dir() {
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
    let path = dir_path.join(format!("{name}.json"));
    let shown = format!("{dir_shown}/{name}.json");
    if !path.is_file() {
        return Err(syn::Error::new(
            template.span(),
            not_found(&name, &dir_path, dir_shown),
        ));
    }
    let definition = TemplateDefinition::from_file_shown_as(&path, Path::new(&shown))
        .map_err(|error| syn::Error::new(template.span(), error.to_string()))?;
    Ok(Located {
        definition,
        path,
        shown,
    })
}

fn not_found(name: &str, dir: &Path, dir_shown: &str) -> Message {
    let available: Vec<String> = definition_files(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|file| file.file_stem()?.to_str().map(str::to_owned))
        .collect();
    let message = Message::new(format!("no template `{name}`")).note(format!(
        "searched `{dir_shown}/` (beside this crate's Cargo.toml) for `{name}.json`"
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
