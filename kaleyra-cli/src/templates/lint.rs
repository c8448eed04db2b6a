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
        let shown = path.display();
        let bytes = std::fs::read(path)
            .map_err(|error| could_not(format!("cannot read {shown}: {error}")))?;
        let Ok(object) = serde_json::from_slice::<Value>(&bytes) else {
            println!("{shown}: not JSON [definition, refused]");
            refused += 1;
            continue;
        };
        if object.get("components").is_none() {
            println!("{shown}: skipped: this project's own format, which is not submitted to Meta");
            continue;
        }
        if let Err(error) = TemplateDefinition::from_slice(&bytes, path) {
            println!("{error} [definition, refused]");
            refused += 1;
        }
        for finding in review::review(&object) {
            let severity = match finding.rule.severity {
                Severity::Refused => {
                    refused += 1;
                    "refused"
                }
                Severity::Warning => {
                    warnings += 1;
                    "warning"
                }
            };
            println!(
                "{shown}: {}: {} [{}, {severity}]\n  fix: {}\n  rule: {}",
                finding.path,
                finding.message,
                finding.rule.id,
                finding.rule.fix,
                finding.rule.source
            );
        }
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

/// The definition files of `dir`, of templates in `names` when some are
/// given, sorted.
fn template_files(dir: &Path, names: &[String]) -> Result<Vec<PathBuf>, Failure> {
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
