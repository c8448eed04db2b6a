//! `kaleyra templates delete NAME [--language L]`: deletes a template from
//! the account, every language of it unless one is given, after asking.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use kaleyra_runtime::template_management::TemplateDeletion;

use super::account::{self, AccountArgs};
use super::status::account_templates;
use super::{code, could_not};
use crate::failure::Failure;

/// The arguments of `kaleyra templates delete`.
#[derive(Debug, Args)]
#[command(after_long_help = DELETE_HELP)]
pub struct DeleteArgs {
    /// The template to delete.
    pub name: String,
    /// Only this language (by the template's id); every language when not given.
    #[arg(long)]
    pub language: Option<String>,
    /// Delete without asking (needed without a terminal, as in CI).
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub account: AccountArgs,
}

const DELETE_HELP: &str = "\
Example:
  kaleyra templates delete diwali_offer --language hi

Deletes the template from the account: by name, Kaleyra deletes every language
of it; with --language, only that one (named by its id, which the account's
list gives). Asks to type the name first, unless --yes; without a terminal and
without --yes it refuses. Files in the templates directory are left alone.

Exit codes: 0 deleted, 1 not confirmed or nothing of that name in the account,
2 the account could not be listed or refused the deletion.";

/// Runs `kaleyra templates delete`.
pub async fn run(args: DeleteArgs) -> Result<u8, Failure> {
    let client = account::client("delete a template")?;
    let account = account_templates(&account::list_with(&client, &args.account).await?);
    let matching: Vec<_> = account
        .iter()
        .filter(|template| template.name == args.name)
        .filter(|template| {
            args.language
                .as_ref()
                .is_none_or(|language| *language == template.language)
        })
        .collect();
    let what = match &args.language {
        Some(language) => format!("{} ({language})", args.name),
        None => format!("{} in every language", args.name),
    };
    if matching.is_empty() {
        println!("the account lists no template {what}; nothing deleted");
        return Ok(code::FINDINGS);
    }
    let deletion = match &args.language {
        None => TemplateDeletion::every_language(&args.name),
        Some(_) => {
            let Some(id) = matching[0].id.as_deref() else {
                return Err(could_not(format!(
                    "the account lists {what} without an id; delete every language instead"
                )));
            };
            TemplateDeletion::one(&args.name, id)
        }
    }
    .map_err(|error| could_not(error.to_string()))?;
    let languages: Vec<&str> = matching
        .iter()
        .map(|template| template.language.as_str())
        .collect();
    if !args.yes && !confirmed(&args.name, &what, &languages)? {
        println!("not confirmed; nothing deleted");
        return Ok(code::FINDINGS);
    }
    client
        .delete_template(&args.account.waba_id, &deletion)
        .await
        .map_err(|error| could_not(format!("cannot delete {what}: {error}")))?;
    println!("deleted {what} ({})", languages.join(", "));
    Ok(code::OK)
}

/// Asks on the terminal to type `name`; refuses without a terminal.
fn confirmed(name: &str, what: &str, languages: &[&str]) -> Result<bool, Failure> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(could_not(format!(
            "refusing to delete {what} without confirmation: there is no terminal to ask on; pass --yes to delete without asking"
        )));
    }
    let mut stderr = std::io::stderr();
    // A prompt that cannot be shown is not a confirmation.
    write!(
        stderr,
        "delete {what} ({}) from the account? This cannot be undone. Type `{name}` to confirm: ",
        languages.join(", ")
    )
    .and_then(|()| stderr.flush())
    .map_err(|error| could_not(format!("cannot ask for confirmation: {error}")))?;
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|error| could_not(format!("cannot read the confirmation: {error}")))?;
    Ok(answer.trim() == name)
}
