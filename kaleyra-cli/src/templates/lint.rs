//! `kaleyra templates lint [NAME...]`: each template file in Meta's shape,
//! read as the derive reads it and reviewed as Meta's review would
//! ([`kaleyra_definitions::review`]), before it is submitted.

use std::path::{Path, PathBuf};

use clap::Args;
use kaleyra_definitions::TemplateDefinition;
use kaleyra_definitions::review::{self, Severity};
use serde_json::Value;

use super::{code, could_not};
use crate::failure::Failure;

/// The arguments of `kaleyra templates lint`.
#[derive(Debug, Args)]
#[command(after_long_help = LINT_HELP)]
pub struct LintArgs {
    /// Only these templates (every language of each); all when none is given.
    pub names: Vec<String>,
    /// The directory of template definitions.
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
}

const LINT_HELP: &str = "\
Example:
  kaleyra templates lint diwali_offer

Reviews each file in Meta's shape as Meta's review reads it: placeholders at the
body's start or end or side by side, an example for every placeholder, a media
header's sample, line breaks and formatting in headers and footers, too many
placeholders for the text, a utility template that reads as marketing. Each
finding names its rule, the fix and where the rule is written. Files in this
project's own format are not submitted, so they are not reviewed.

Exit codes: 0 nothing Meta refuses (warnings may be printed), 1 a finding Meta
refuses, 2 the directory or a file could not be read.";

/// Runs `kaleyra templates lint`.
pub fn run(args: LintArgs) -> Result<u8, Failure> {
    let files = template_files(&args.dir, &args.names)?;
    if files.is_empty() {
        return Err(could_not(format!(
            "no template files{} in {}",
            if args.names.is_empty() {
                String::new()
            } else {
                format!(" named {}", args.names.join(", "))
            },
            args.dir.display()
        )));
    }
    let mut refused = 0;
    let mut warnings = 0;
    for path in &files {
        let reviewed = review_file(path)?;
        for line in reviewed.lines() {
            println!("{line}");
        }
        refused += reviewed.refused;
        warnings += reviewed.warnings;
    }
    println!(
        "{} file(s) reviewed: {refused} finding(s) Meta refuses, {warnings} warning(s)",
        files.len()
    );
    Ok(if refused > 0 {
        code::FINDINGS
    } else {
        code::OK
    })
}

/// One file, read as the derive reads it and reviewed as Meta's review would.
pub struct Reviewed {
    /// The template object, when the file is JSON in Meta's shape.
    pub object: Option<Value>,
    /// Each finding, as printed: the file, where, what, the rule and the fix.
    pub findings: Vec<String>,
    /// A note when the file is not reviewed (this project's own format).
    pub skipped: Option<String>,
    /// How many findings Meta refuses (a file that does not read counts as one).
    pub refused: usize,
    /// How many findings are warnings.
    pub warnings: usize,
}

impl Reviewed {
    /// What to print about the file.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.skipped
            .iter()
            .chain(&self.findings)
            .map(String::as_str)
    }
}

/// Reviews the file at `path`; an error only when it cannot be read.
pub fn review_file(path: &Path) -> Result<Reviewed, Failure> {
    let shown = path.display();
    let mut reviewed = Reviewed {
        object: None,
        findings: Vec::new(),
        skipped: None,
        refused: 0,
        warnings: 0,
    };
    let bytes =
        std::fs::read(path).map_err(|error| could_not(format!("cannot read {shown}: {error}")))?;
    let Ok(object) = serde_json::from_slice::<Value>(&bytes) else {
        reviewed
            .findings
            .push(format!("{shown}: not JSON [definition, refused]"));
        reviewed.refused += 1;
        return Ok(reviewed);
    };
    if object.get("components").is_none() {
        reviewed.skipped = Some(format!(
            "{shown}: skipped: this project's own format, which is not submitted to Meta"
        ));
        return Ok(reviewed);
    }
    if let Err(error) = TemplateDefinition::from_slice(&bytes, path) {
        reviewed
            .findings
            .push(format!("{error} [definition, refused]"));
        reviewed.refused += 1;
    }
    for finding in review::review(&object) {
        let severity = match finding.rule.severity {
            Severity::Refused => {
                reviewed.refused += 1;
                "refused"
            }
            Severity::Warning => {
                reviewed.warnings += 1;
                "warning"
            }
        };
        reviewed.findings.push(format!(
            "{shown}: {}: {} [{}, {severity}]\n  fix: {}\n  rule: {}",
            finding.path, finding.message, finding.rule.id, finding.rule.fix, finding.rule.source
        ));
    }
    reviewed.object = Some(object);
    Ok(reviewed)
}

/// The definition files of `dir`, of templates in `names` when some are
/// given, sorted.
pub fn template_files(dir: &Path, names: &[String]) -> Result<Vec<PathBuf>, Failure> {
    let unreadable =
        |error: std::io::Error| could_not(format!("cannot read {}: {error}", dir.display()));
    if names.is_empty() {
        return kaleyra_definitions::definition_files(dir).map_err(unreadable);
    }
    let mut files = Vec::new();
    for name in names {
        files.extend(kaleyra_definitions::template_files(dir, name).map_err(unreadable)?);
    }
    Ok(files)
}
