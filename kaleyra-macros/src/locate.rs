//! Finding and reading the definition a struct names.

use std::path::{Path, PathBuf};

use kaleyra_definitions::{
    TemplateDefinition, definition_files, did_you_mean, did_you_mean_sentence, limits,
};
use syn::LitStr;

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
            format!(
                "`{name}` is not a template name: lowercase letters, digits and `_`, at most {} characters",
                limits::TEMPLATE_NAME
            ),
        ));
    }
    let manifest_dir = env_var("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                template.span(),
                "CARGO_MANIFEST_DIR is not set, so `templates/` cannot be found; build with cargo",
            )
        })?;
    let dir_text = dir.map_or_else(|| DEFAULT_DIR.to_owned(), LitStr::value);
    let dir_shown = dir_text.trim_end_matches('/');
    let dir_path = manifest_dir.join(dir_shown);
    let dir_span = dir.map_or_else(|| template.span(), LitStr::span);
    if !dir_path.is_dir() {
        return Err(syn::Error::new(
            dir_span,
            format!(
                "the template directory `{dir_shown}/` does not exist beside this crate's Cargo.toml; create it with one `<name>.json` per approved template, or point #[kaleyra(dir = \"...\")] at yours"
            ),
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

fn not_found(name: &str, dir: &Path, dir_shown: &str) -> String {
    let available: Vec<String> = definition_files(dir)
        .unwrap_or_default()
        .iter()
        .filter_map(|file| file.file_stem()?.to_str().map(str::to_owned))
        .collect();
    let mut message = format!(
        "no template `{name}`: searched `{dir_shown}/` (beside this crate's Cargo.toml) for `{name}.json`"
    );
    if let Some(suggestion) =
        did_you_mean_sentence(&did_you_mean(name, available.iter().map(String::as_str)))
    {
        message.push_str("\nhelp: ");
        message.push_str(&suggestion);
    }
    const LISTED: usize = 10;
    match available.len() {
        0 => message.push_str(&format!(
            "\nnote: `{dir_shown}/` has no template definitions yet"
        )),
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
            message.push_str(&format!(
                "\nnote: `{dir_shown}/` has {}{more}",
                shown.join(", ")
            ));
        }
    }
    message
}
