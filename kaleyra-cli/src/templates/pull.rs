//! `kaleyra templates pull`: the account's templates into the templates directory.

use std::path::PathBuf;

use clap::Args;

use super::account::{self, AccountArgs};
use super::output::{SyncOutput, print_sync};
use super::{code, sync};
use crate::failure::Failure;

/// The arguments of `kaleyra templates pull`.
#[derive(Debug, Args)]
#[command(after_long_help = PULL_HELP)]
pub struct PullArgs {
    /// The directory of template definitions (created if missing).
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
    /// Also delete the files in Meta's shape of templates the account no
    /// longer lists (never `schema.json`, nor files in this project's format).
    #[arg(long)]
    pub prune: bool,
    /// Print one JSON document instead of lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub account: AccountArgs,
}

const PULL_HELP: &str = "\
Example:
  KALEYRA_API=v2 KALEYRA_WABA_ID=102290129340398 kaleyra templates pull --dir templates

Writes one file per template and language, <name>.<language>.json, holding the
account's template object byte for byte. Rejected, disabled and deleted (or
being deleted) templates, templates with a status this tool does not know, and
templates with parts this library cannot send (a component or button type it does not know)
are skipped and listed with why. Paused, pending, in-appeal and limit-exceeded
templates are written, with their status shown: they exist and may be sendable
again without an edit (`check` reports them as drift).

Exit codes: 0 written, 2 could not list or write (nothing in the directory is
touched when the list cannot be read).";

/// Runs `kaleyra templates pull`.
pub async fn run(args: PullArgs) -> Result<u8, Failure> {
    let list = account::list(&args.account).await?;
    let report = sync::sync(&args.dir, list.templates(), args.prune)?;
    print_sync(
        &SyncOutput {
            command: "pull",
            dir: &args.dir,
            pages: list.pages(),
            report: &report,
        },
        args.json,
    );
    Ok(code::OK)
}
