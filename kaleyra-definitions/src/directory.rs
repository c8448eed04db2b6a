//! A directory of definition files, such as `templates/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{DefinitionError, Problem};
use crate::model::TemplateDefinition;

/// The JSON Schema file kept beside the definitions; it is not a definition.
pub const SCHEMA_FILE_NAME: &str = "schema.json";

/// The definition files in `dir`: every `*.json` but [`SCHEMA_FILE_NAME`], sorted.
pub fn definition_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_json = path.extension().is_some_and(|ext| ext == "json");
        let is_schema = path
            .file_name()
            .is_some_and(|name| name == SCHEMA_FILE_NAME);
        if is_json && !is_schema && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Every definition in a directory, by template name.
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    definitions: BTreeMap<String, TemplateDefinition>,
}

impl TemplateSet {
    /// Loads every definition in `dir`; fails with every broken file's problems.
    pub fn load_dir(dir: &Path) -> Result<Self, Vec<DefinitionError>> {
        let files = definition_files(dir).map_err(|error| {
            vec![DefinitionError::single(
                dir,
                Problem::in_file(format!("cannot list the template directory: {error}")),
            )]
        })?;
        let mut definitions = BTreeMap::new();
        let mut errors = Vec::new();
        for file in files {
            match TemplateDefinition::from_file(&file) {
                Ok(definition) => {
                    definitions.insert(definition.name.clone(), definition);
                }
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            Ok(TemplateSet { definitions })
        } else {
            Err(errors)
        }
    }

    /// A set of the given definitions.
    pub fn from_definitions(definitions: impl IntoIterator<Item = TemplateDefinition>) -> Self {
        TemplateSet {
            definitions: definitions
                .into_iter()
                .map(|definition| (definition.name.clone(), definition))
                .collect(),
        }
    }

    /// The definition named `name`.
    pub fn get(&self, name: &str) -> Option<&TemplateDefinition> {
        self.definitions.get(name)
    }

    /// Every definition, by name.
    pub fn iter(&self) -> impl Iterator<Item = &TemplateDefinition> {
        self.definitions.values()
    }

    /// The names closest to a misspelled `name`.
    pub fn suggest(&self, name: &str) -> Vec<&str> {
        crate::did_you_mean(name, self.definitions.keys().map(String::as_str))
    }

    /// How many definitions the set has.
    pub fn len(&self) -> usize {
        self.definitions.len()
    }

    /// Whether the set has no definitions.
    pub fn is_empty(&self) -> bool {
        self.definitions.is_empty()
    }
}
