//! `kaleyra templates push [NAME...]`: the template files in Meta's shape
//! submitted on v2, each linted first: created when the account lacks them,
//! edited when their category or components changed and Kaleyra's rules
//! allow it ([`kaleyra_definitions::management`]). Templates the directory
//! does not hold are never touched.
//!
//! A template counts as changed when the account's components do not hold
//! every field the file gives with the same value; fields only the account
//! has (filled in by Kaleyra or Meta) are not a change, so they never spend
//! an approved template's edit budget (a decision: neither page says what
//! the account adds).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use clap::Args;
use kaleyra_definitions::TemplateStatus;
use kaleyra_definitions::management::{self, CREATES_PER_HOUR, EDITS_PER_HOUR, RATE_WINDOW};
use kaleyra_runtime::Error;
use kaleyra_runtime::template_management::{NewTemplate, TemplateEdit};
use serde_json::Value;

use super::account::{self, AccountArgs};
use super::lint::{review_file, template_files};
use super::status::{AccountTemplate, account_templates, wait_for_review};
use super::{code, could_not};
use crate::failure::Failure;

/// The arguments of `kaleyra templates push`.
#[derive(Debug, Args)]
#[command(after_long_help = PUSH_HELP)]
pub struct PushArgs {
    /// Only these templates (every language of each); all when none is given.
    pub names: Vec<String>,
    /// The directory of template definitions.
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
    /// Print each request that would be sent (the API key as
    /// `$KALEYRA_API_KEY`), and send none; the account is only listed
    /// (a read, which needs the credentials).
    #[arg(long)]
    pub dry_run: bool,
    /// After submitting, follow each template's review until it is
    /// approved or rejected, printing the rejection's reason.
    #[arg(long, conflicts_with = "dry_run")]
    pub wait: bool,
    /// How long `--wait` follows the reviews before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    pub wait_timeout: u64,
    #[command(flatten)]
    pub account: AccountArgs,
}

const PUSH_HELP: &str = "\
Example:
  kaleyra templates push --dry-run          # on pull requests: what would be sent
  kaleyra templates push --wait             # on main: submit, then follow the review

Reads each template file in Meta's shape (the ones `new` writes and `pull`
writes), lints it as `lint` does (a finding Meta refuses stops that template),
lists the account, then:
  - creates (POST on v2) each template the account lacks in that language;
  - edits (PUT) one whose components changed, and in a separate call one whose
    category changed, when Kaleyra allows it: only APPROVED, REJECTED or PAUSED
    templates, never an approved one's category nor one with a VOICE_CALL
    button (then a new name is needed), an approved one once in 24 hours and
    10 times in 30 days (Kaleyra's refusal says when the next edit is allowed);
  - leaves unchanged ones, and every template the directory does not hold.
Kaleyra allows 100 creations (and 100 edits) per WABA per hour: push stops at
100 in a run, or at Kaleyra's 429, naming when to rerun for the rest.
Only Meta's create fields are sent; the account's own (id, status, ..) are left
out, and named.

Exit codes: 0 every template created, edited or unchanged (with --wait:
approved), 1 a template was not submitted (a lint finding, a refusal, an edit
Kaleyra does not allow, the hourly limit) or was rejected, 2 the account or a
file could not be read.";

/// What push does with one template file.
enum Plan {
    Create(NewTemplate),
    Edit(Vec<TemplateEdit>),
    Unchanged,
    /// Not submitted, and why.
    Blocked(String),
}

/// Runs `kaleyra templates push`.
pub async fn run(args: PushArgs) -> Result<u8, Failure> {
    let files = template_files(&args.dir, &args.names)?;
    for name in &args.names {
        let prefix = format!("{name}.");
        if !files.iter().any(|file| {
            file.file_name()
                .and_then(|file| file.to_str())
                .is_some_and(|file| file.starts_with(&prefix))
        }) {
            return Err(could_not(format!(
                "no template file named {name} in {}",
                args.dir.display()
            )));
        }
    }
    let mut not_done = 0;
    let mut templates = Vec::new();
    for path in &files {
        let reviewed = review_file(path)?;
        for line in reviewed.lines() {
            println!("{line}");
        }
        let Some(object) = reviewed.object.filter(|_| reviewed.refused == 0) else {
            if reviewed.skipped.is_none() {
                println!("{}: not submitted: fix what lint found", path.display());
                not_done += 1;
            }
            continue;
        };
        match NewTemplate::from_object(&object) {
            Ok(template) => templates.push(template),
            Err(error) => {
                println!("{}: not submitted: {error}", path.display());
                not_done += 1;
            }
        }
    }
    let client = account::client("push templates")?;
    let account = account_templates(&account::list_with(&client, &args.account).await?);
    let waba = &args.account.waba_id;
    let mut submitted = Vec::new();
    let mut creations: Vec<SystemTime> = Vec::new();
    let mut edits = 0;
    let mut stopped: Option<String> = None;
    for template in &templates {
        let who = format!("{} ({})", template.name(), template.language());
        if !template.left_out().is_empty() {
            println!(
                "{who}: the account's own fields are not sent: {}",
                template.left_out().join(", ")
            );
        }
        let plan = plan(template, &account);
        match plan {
            Plan::Unchanged => println!("{who}: unchanged"),
            Plan::Blocked(reason) => {
                println!("{who}: not edited: {reason}");
                not_done += 1;
            }
            Plan::Create(_) | Plan::Edit(_) if stopped.is_some() => {
                println!(
                    "{who}: not submitted: {}",
                    stopped.as_deref().unwrap_or_default()
                );
                not_done += 1;
            }
            Plan::Create(new) => {
                if creations.len() == CREATES_PER_HOUR {
                    let rerun = creations[0] + RATE_WINDOW;
                    let reason = format!(
                        "stopped after {CREATES_PER_HOUR} creations, Kaleyra's limit per WABA per hour; rerun after {} for the rest",
                        httpdate::fmt_http_date(rerun)
                    );
                    println!("{who}: not submitted: {reason}");
                    stopped = Some(reason);
                    not_done += 1;
                    continue;
                }
                if args.dry_run {
                    println!(
                        "{who}: would create:\n{}",
                        client.prepare_create_template(waba, &new).map_err(bad)?
                    );
                    creations.push(SystemTime::now());
                    continue;
                }
                match client.create_template(waba, &new).await {
                    Ok(created) => {
                        creations.push(SystemTime::now());
                        println!(
                            "{who}: created, id {}, {}",
                            created.id.as_deref().unwrap_or("not given"),
                            created
                                .status
                                .as_ref()
                                .map_or("PENDING", TemplateStatus::as_str)
                        );
                        submitted.push((new.name().to_owned(), new.language().to_owned()));
                    }
                    Err(error) => {
                        not_done += 1;
                        println!("{who}: not created: {error}");
                        if is_rate_limit(&error) {
                            stopped = Some(limit_reason(&error, "creations", CREATES_PER_HOUR));
                        }
                    }
                }
            }
            Plan::Edit(changes) => {
                for edit in changes {
                    if edits == EDITS_PER_HOUR {
                        stopped = Some(format!(
                            "stopped after {EDITS_PER_HOUR} edits, Kaleyra's limit per WABA per hour; rerun in an hour for the rest"
                        ));
                        println!(
                            "{who}: not edited: {}",
                            stopped.as_deref().unwrap_or_default()
                        );
                        not_done += 1;
                        break;
                    }
                    edits += 1;
                    if args.dry_run {
                        println!(
                            "{who}: would edit:\n{}",
                            client.prepare_edit_template(waba, &edit).map_err(bad)?
                        );
                        continue;
                    }
                    match client.edit_template(waba, &edit).await {
                        Ok(_) => {
                            println!("{who}: edited ({}), back in review", changed(&edit));
                            submitted
                                .push((template.name().to_owned(), template.language().to_owned()));
                        }
                        Err(error) => {
                            not_done += 1;
                            println!("{who}: not edited: {error}");
                            if is_rate_limit(&error) {
                                stopped = Some(limit_reason(&error, "edits", EDITS_PER_HOUR));
                            }
                            break;
                        }
                    }
                }
            }
        }
    }
    submitted.dedup();
    if let Some(reason) = &stopped {
        println!("push stopped: {reason}");
    }
    println!(
        "push: {} template(s) read, {} submitted, {not_done} not done{}",
        templates.len(),
        submitted.len(),
        if args.dry_run {
            " (dry run: nothing sent)"
        } else {
            ""
        }
    );
    if args.wait && !submitted.is_empty() {
        let rejected = wait_for_review(
            &client,
            &args.account,
            &submitted,
            Duration::from_secs(args.wait_timeout),
        )
        .await?;
        not_done += rejected;
    }
    Ok(if not_done > 0 {
        code::FINDINGS
    } else {
        code::OK
    })
}

/// What to do with `template`, given the account.
fn plan(template: &NewTemplate, account: &[AccountTemplate]) -> Plan {
    let Some(existing) = account.iter().find(|existing| {
        existing.name == template.name() && existing.language == template.language()
    }) else {
        return Plan::Create(template.clone());
    };
    let components_change = !holds(&existing.object["components"], template.components());
    let category_changes = existing.object["category"].as_str() != Some(template.category());
    if !components_change && !category_changes {
        return Plan::Unchanged;
    }
    if let Some(refusal) = management::edit_refusal(
        &existing.status,
        &existing.object["components"],
        category_changes,
    ) {
        let next = match existing.status {
            TemplateStatus::Pending | TemplateStatus::InAppeal => {
                "push again once Meta has reviewed it"
            }
            _ => "submit the change under a new name",
        };
        return Plan::Blocked(format!("{refusal}; {next}"));
    }
    let Some(id) = existing.id.as_deref() else {
        return Plan::Blocked("the account lists it without an id, which an edit needs".to_owned());
    };
    let mut changes = Vec::new();
    // Kaleyra takes the category and the components in separate calls.
    if category_changes {
        match TemplateEdit::category(template.name(), id, template.category()) {
            Ok(edit) => changes.push(edit),
            Err(error) => return Plan::Blocked(error.to_string()),
        }
    }
    if components_change {
        match TemplateEdit::components(template.name(), id, template.components().clone()) {
            Ok(edit) => changes.push(edit),
            Err(error) => return Plan::Blocked(error.to_string()),
        }
    }
    Plan::Edit(changes)
}

/// Whether the account's `listed` value holds everything `local` says:
/// each field of an object with the same value, arrays element by element
/// and of the same length, other values equal. Fields the account adds
/// (Kaleyra or Meta may fill some in) do not count as a change, so they
/// never spend an approved template's edit budget.
fn holds(listed: &Value, local: &Value) -> bool {
    match (listed, local) {
        (Value::Object(listed), Value::Object(local)) => local
            .iter()
            .all(|(key, value)| listed.get(key).is_some_and(|listed| holds(listed, value))),
        (Value::Array(listed), Value::Array(local)) => {
            listed.len() == local.len()
                && listed
                    .iter()
                    .zip(local)
                    .all(|(listed, local)| holds(listed, local))
        }
        _ => listed == local,
    }
}

fn changed(edit: &TemplateEdit) -> &'static str {
    if edit.body().get("category").is_some() {
        "category"
    } else {
        "components"
    }
}

fn is_rate_limit(error: &Error) -> bool {
    matches!(error, Error::Api { status: 429, .. })
}

fn limit_reason(error: &Error, what: &str, limit: usize) -> String {
    let when = error
        .retry_after()
        .map(|delay| {
            format!(
                "after {}",
                httpdate::fmt_http_date(SystemTime::now() + delay)
            )
        })
        .unwrap_or_else(|| "in an hour".to_owned());
    format!(
        "Kaleyra refused more {what} this hour (its limit is {limit} per WABA); rerun {when} for the rest"
    )
}

fn bad(error: Error) -> Failure {
    could_not(format!("cannot build the request: {error}"))
}

#[cfg(test)]
mod tests {
    use super::holds;
    use serde_json::json;

    #[test]
    fn fields_only_the_account_has_are_not_a_change_but_a_new_value_is() {
        let local =
            json!([{"type": "BODY", "text": "Hi {{1}}", "example": {"body_text": [["A"]]}}]);
        let listed = json!([{"type": "BODY", "text": "Hi {{1}}", "example": {"body_text": [["A"]]}, "added_by_meta": 1}]);
        assert!(holds(&listed, &local));
        let edited =
            json!([{"type": "BODY", "text": "Hello {{1}}", "example": {"body_text": [["A"]]}}]);
        assert!(!holds(&listed, &edited));
        let footer = json!([{"type": "BODY", "text": "Hi {{1}}", "example": {"body_text": [["A"]]}}, {"type": "FOOTER", "text": "x"}]);
        assert!(!holds(&listed, &footer), "a component added");
    }
}
