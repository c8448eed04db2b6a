//! `kaleyra templates check`: whether the definitions on disk still match
//! the account, for CI.

use std::path::PathBuf;

use clap::Args;
use kaleyra_definitions::{Drift, DriftKind, TemplateSet, diff};
use serde::Serialize;

use super::account::{self, AccountArgs};
use super::output::print_json;
use super::{code, could_not};
use crate::failure::Failure;

/// The arguments of `kaleyra templates check`.
#[derive(Debug, Args)]
#[command(after_long_help = CHECK_HELP)]
pub struct CheckArgs {
    /// The directory of template definitions.
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
    /// Print one JSON document instead of lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub account: AccountArgs,
}

const CHECK_HELP: &str = "\
Example (CI):
  KALEYRA_API=v2 KALEYRA_WABA_ID=102290129340398 kaleyra templates check

Compares each approved-template definition in the directory with the account's
template of the same name and language: missing in the account, language
missing, status not APPROVED (PAUSED, REJECTED, ...), body parameters (count,
names), header, buttons, and the body text. Templates in the account with no
file are listed as notes and do not fail the check.

Exit codes: 0 in sync, 1 drift (each difference printed), 2 could not check
(network, credentials, a v1 number, a broken definition file).";

/// `check --json`.
#[derive(Debug, Serialize)]
struct CheckOutput {
    in_sync: bool,
    /// Differences that make sends fail.
    drift: Vec<DriftEntry>,
    /// Templates in the account that have no file.
    not_on_disk: Vec<DriftEntry>,
    /// The account's elements that could not be read and match a file on disk.
    unreadable: Vec<DriftEntry>,
}

#[derive(Debug, Serialize)]
struct DriftEntry {
    name: Option<String>,
    language: Option<String>,
    kind: &'static str,
    message: String,
}

impl DriftEntry {
    fn of(drift: &Drift) -> Self {
        DriftEntry {
            name: Some(drift.name.clone()),
            language: drift.language.clone(),
            kind: kind_name(&drift.kind),
            message: drift.to_string(),
        }
    }
}

fn kind_name(kind: &DriftKind) -> &'static str {
    match kind {
        DriftKind::MissingInAccount => "missing_in_account",
        DriftKind::LanguageMissing { .. } => "language_missing",
        DriftKind::NotOnDisk { .. } => "not_on_disk",
        DriftKind::NotApproved { .. } => "not_approved",
        DriftKind::ParametersDiffer { .. } => "parameters_differ",
        DriftKind::HeaderDiffers { .. } => "header_differs",
        DriftKind::ButtonsDiffer { .. } => "buttons_differ",
        DriftKind::OfferDiffers { .. } => "offer_differs",
        DriftKind::CardsDiffer { .. } => "cards_differ",
        DriftKind::BodyChanged { .. } => "body_changed",
        _ => "other",
    }
}

/// Runs `kaleyra templates check`.
pub async fn run(args: CheckArgs) -> Result<u8, Failure> {
    let local = TemplateSet::load_dir(&args.dir).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        could_not(format!(
            "cannot check: the definitions in {} do not load:\n{}",
            args.dir.display(),
            lines.join("\n")
        ))
    })?;
    let list = account::list(&args.account).await?;
    let account = list.definitions();

    // An account element that does not parse is reported as itself, not as
    // a template missing from the account.
    let unreadable: Vec<DriftEntry> = list
        .unreadable()
        .filter(|listed| {
            listed.name().is_some_and(|name| {
                local.languages_of(name).iter().any(|ours| {
                    ours.language.is_none() || ours.language.as_deref() == listed.language()
                })
            })
        })
        .map(|listed| DriftEntry {
            name: listed.name().map(str::to_owned),
            language: listed.language().map(str::to_owned),
            kind: "unreadable",
            message: listed.definition().err().map_or_else(String::new, |error| {
                format!("the account's template cannot be read: {error}")
            }),
        })
        .collect();
    let is_unreadable = |drift: &Drift| {
        unreadable.iter().any(|entry| {
            entry.name.as_deref() == Some(drift.name.as_str())
                && (drift.language.is_none() || entry.language == drift.language)
        })
    };
    let mut output = CheckOutput {
        in_sync: true,
        drift: Vec::new(),
        not_on_disk: Vec::new(),
        unreadable: Vec::new(),
    };
    for drift in diff(&local, &account) {
        let missing = matches!(
            drift.kind,
            DriftKind::MissingInAccount | DriftKind::LanguageMissing { .. }
        );
        if missing && is_unreadable(&drift) {
            continue;
        }
        if drift.breaks_sends() {
            output.drift.push(DriftEntry::of(&drift));
        } else {
            output.not_on_disk.push(DriftEntry::of(&drift));
        }
    }
    output.unreadable = unreadable;
    output.in_sync = output.drift.is_empty() && output.unreadable.is_empty();

    if args.json {
        print_json(&output);
    } else {
        for entry in output.drift.iter().chain(&output.unreadable) {
            println!("drift: {}", entry.message);
        }
        for entry in &output.not_on_disk {
            println!("note: {}", entry.message);
        }
        let compared = local
            .iter()
            .filter(|definition| definition.kind.is_approved_template())
            .count();
        if output.in_sync {
            println!(
                "check: {} agrees with the account ({compared} template file(s) compared)",
                args.dir.display()
            );
        } else {
            println!(
                "check: {} difference(s) between {} and the account; update the files (`kaleyra templates pull`) or the account",
                output.drift.len() + output.unreadable.len(),
                args.dir.display()
            );
        }
    }
    Ok(if output.in_sync {
        code::OK
    } else {
        code::DRIFT
    })
}
