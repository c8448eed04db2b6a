//! Why a definition file cannot be used: every problem found, each with where it is.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// Everything wrong with one definition file.
///
/// Its `Display` prints one line per problem, prefixed with the file and,
/// where known, the line and column:
/// `templates/imt_dynamic.json:4:3: unknown key `parms`; did you mean `params`?`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    file: PathBuf,
    problems: Vec<Problem>,
}

/// One problem in a definition file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// The line and column (both from 1) the problem is at, where known.
    pub position: Option<(usize, usize)>,
    /// The JSON path of the value at fault, such as `buttons[1].url`, where there is one.
    pub path: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Problem {
    /// A problem with the value at `path`.
    pub fn at_path(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            position: None,
            path: Some(path.into()),
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub fn in_file(message: impl Into<String>) -> Self {
        Problem {
            position: None,
            path: None,
            message: message.into(),
        }
    }

    /// The same problem, located at `line` and `column`.
    pub fn with_position(mut self, position: Option<(usize, usize)>) -> Self {
        self.position = position;
        self
    }
}

impl DefinitionError {
    /// An error with `problems` (at least one) in `file`.
    pub fn new(file: impl Into<PathBuf>, problems: Vec<Problem>) -> Self {
        debug_assert!(!problems.is_empty());
        DefinitionError {
            file: file.into(),
            problems,
        }
    }

    /// An error with a single problem.
    pub fn single(file: impl Into<PathBuf>, problem: Problem) -> Self {
        Self::new(file, vec![problem])
    }

    /// The file, as the caller named it.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Every problem found, in the order of the file.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for DefinitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{}", self.file.display())?;
            if let Some((line, column)) = problem.position {
                write!(f, ":{line}:{column}")?;
            }
            f.write_str(": ")?;
            if let Some(path) = &problem.path {
                write!(f, "`{path}`: ")?;
            }
            // A value quoted in a message may hold a line break; escaping
            // control characters keeps one problem to one line.
            for c in problem.message.chars() {
                if c.is_control() {
                    write!(f, "{}", c.escape_default())?;
                } else {
                    f.write_char(c)?;
                }
            }
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionError {}

/// serde_json appends " at line L column C"; the position is printed separately.
pub(crate) fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}
