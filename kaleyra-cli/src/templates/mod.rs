//! `kaleyra templates pull | check | import | new | lint | push | status |
//! delete`: the account's templates in `templates/`, whether the definitions
//! there still match the account, and templates as code: written, reviewed,
//! submitted, followed and deleted.
//!
//! Exit codes: 0 done (for `check`: in sync), 1 `check` found drift,
//! `lint` a finding Meta's review refuses, or `push` left a template not
//! done (or rejected), 2 the
//! templates could not be listed, read or written (network, credentials, a
//! v1 number, a bad answer, a bad file); nothing in the directory is touched
//! then. Clap's own usage errors are 2 as well.

mod account;
mod check;
mod delete;
mod import;
mod lint;
mod new;
mod output;
mod pull;
mod push;
mod status;
mod sync;

use clap::Subcommand;

use crate::failure::Failure;

/// The exit codes of `kaleyra templates`.
pub mod code {
    /// Done; for `check`, the definitions agree with the account.
    pub const OK: u8 = 0;
    /// `check` found definitions that differ from the account.
    pub const DRIFT: u8 = 1;
    /// `lint` found what Meta's review refuses.
    pub const FINDINGS: u8 = 1;
    /// The templates could not be listed, read or written.
    pub const COULD_NOT: u8 = 2;
}

/// `kaleyra templates ...`.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the account's templates into the templates directory, one file
    /// per name and language, in Meta's shape as the account returned them.
    Pull(pull::PullArgs),
    /// Compare the templates directory with the account: exit 0 in sync, 1 on drift.
    Check(check::CheckArgs),
    /// Write the templates of a saved list answer (Kaleyra's envelope or
    /// Meta's `{"data","paging"}`), offline, as `pull` would.
    Import(import::ImportArgs),
    /// Scaffold a template to submit, in Meta's create shape, that the
    /// derive reads before it is approved.
    New(new::NewArgs),
    /// Review template files as Meta's review would, before submitting
    /// them: exit 0 clean, 1 a finding Meta refuses.
    Lint(lint::LintArgs),
    /// Submit the template files on v2: create what the account lacks, edit
    /// what changed when Kaleyra allows it; `--dry-run` prints the requests.
    Push(push::PushArgs),
    /// Show each template's state in the account, with a rejection's reason.
    Status(status::StatusArgs),
    /// Delete a template from the account (every language, or one), after asking.
    Delete(delete::DeleteArgs),
}

/// Runs one `kaleyra templates` command.
pub async fn run(command: TemplatesCommand) -> Result<u8, Failure> {
    match command {
        TemplatesCommand::Pull(args) => pull::run(args).await,
        TemplatesCommand::Check(args) => check::run(args).await,
        TemplatesCommand::Import(args) => import::run(args),
        TemplatesCommand::New(args) => new::run(args),
        TemplatesCommand::Lint(args) => lint::run(args),
        TemplatesCommand::Push(args) => push::run(args).await,
        TemplatesCommand::Status(args) => status::run(args).await,
        TemplatesCommand::Delete(args) => delete::run(args).await,
    }
}

/// A failure that stops a `templates` command with exit code 2.
fn could_not(message: impl Into<String>) -> Failure {
    Failure {
        code: code::COULD_NOT,
        message: message.into(),
    }
}
