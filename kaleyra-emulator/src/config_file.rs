//! `--config FILE`: the binary's settings from a TOML file, under the names
//! of its flags (`port = 0`, `v2-number = "+912025550101"`,
//! `callback-header = ["X-Token=…"]`). A flag or an environment variable
//! wins over the file, and the file over the defaults. Paths in the file
//! (`templates`, `faults`) are read from the file's directory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgMatches, Command};

/// The flag that names the file.
pub(crate) const CONFIG: &str = "config";

/// Settings whose value is a path, read from the file's directory.
const PATH_SETTINGS: [&str; 2] = ["templates", "faults"];

/// `argv` with the settings of the `--config` file that `matches` (parsed
/// from `argv`) names added as flags, for every flag that neither the
/// command line nor the environment sets. Without `--config`, `argv` as is.
pub(crate) fn with_file_settings(
    command: &Command,
    matches: &ArgMatches,
    mut argv: Vec<OsString>,
) -> Result<Vec<OsString>, String> {
    let Some(path) = matches.get_one::<PathBuf>(CONFIG) else {
        return Ok(argv);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the config file `{}`: {error}", path.display()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|error| format!("the config file `{}` is not TOML: {error}", path.display()))?;
    let base = path.parent().unwrap_or_else(|| Path::new("."));
    for (key, value) in &table {
        let name = key.replace('_', "-");
        let Some(arg) = command
            .get_arguments()
            .find(|arg| arg.get_long() == Some(name.as_str()) && name != CONFIG)
        else {
            return Err(format!(
                "the config file `{}`: `{key}` is not a setting; the settings are the flags' names ({})",
                path.display(),
                setting_names(command).join(", ")
            ));
        };
        let id = arg.get_id().as_str();
        if matches!(
            matches.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        ) {
            continue;
        }
        let many = arg
            .get_num_args()
            .is_some_and(|range| range.max_values() > 1)
            || matches!(arg.get_action(), clap::ArgAction::Append);
        let values = match value {
            toml::Value::Array(items) if many => items
                .iter()
                .map(|item| scalar(item).ok_or(()))
                .collect::<Result<Vec<_>, ()>>(),
            toml::Value::Array(_) => Err(()),
            other => scalar(other).map(|text| vec![text]).ok_or(()),
        }
        .map_err(|()| {
            let takes = if many {
                "text, a number, or a list of them"
            } else {
                "one text or number"
            };
            format!(
                "the config file `{}`: `{key}` takes {takes}",
                path.display()
            )
        })?;
        for text in values {
            let text = if PATH_SETTINGS.contains(&name.as_str()) {
                base.join(&text).into_os_string()
            } else {
                OsString::from(text)
            };
            let mut flag = OsString::from(format!("--{name}="));
            flag.push(text);
            argv.push(flag);
        }
    }
    Ok(argv)
}

/// A TOML value as a flag's text; `None` for a table or a list.
fn scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(text) => Some(text.clone()),
        toml::Value::Integer(number) => Some(number.to_string()),
        toml::Value::Boolean(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn setting_names(command: &Command) -> Vec<&str> {
    command
        .get_arguments()
        .filter_map(|arg| arg.get_long())
        .filter(|long| *long != CONFIG && *long != "help" && *long != "version")
        .collect()
}
