//! `kaleyra templates status [NAME]`: each template's state in the account,
//! with a rejection's reason; and the review `push --wait` follows.

use std::time::{Duration, Instant};

use clap::Args;
use kaleyra_definitions::TemplateStatus;
use kaleyra_runtime::Client;
use kaleyra_runtime::account_templates::TemplateList;
use serde_json::Value;

use super::account::{self, AccountArgs};
use super::{code, could_not};
use crate::failure::Failure;

/// The arguments of `kaleyra templates status`.
#[derive(Debug, Args)]
#[command(after_long_help = STATUS_HELP)]
pub struct StatusArgs {
    /// Only this template (every language); all when not given.
    pub name: Option<String>,
    #[command(flatten)]
    pub account: AccountArgs,
}

const STATUS_HELP: &str = "\
Example:
  kaleyra templates status diwali_offer

Prints one line per template and language the account lists: its status
(APPROVED, PENDING, REJECTED, PAUSED, ..) and, for a rejected one, Meta's reason.

Exit codes: 0 listed, 1 the account lists no template of that name, 2 the
account could not be listed.";

/// One template of the account, as `status` and `push` read it.
pub struct AccountTemplate {
    /// Its name.
    pub name: String,
    /// Its language (empty when the account gives none).
    pub language: String,
    /// Its id, when listed.
    pub id: Option<String>,
    /// Its status (`APPROVED` when the account gives none).
    pub status: TemplateStatus,
    /// Meta's `rejected_reason`, when given and not `NONE`.
    pub reason: Option<String>,
    /// The object exactly as listed.
    pub object: Value,
}

/// Every element of `list` that has a name, read from the JSON the account sent.
pub fn account_templates(list: &TemplateList) -> Vec<AccountTemplate> {
    list.templates()
        .iter()
        .filter_map(|listed| serde_json::from_str::<Value>(listed.raw_json()).ok())
        .filter_map(|object| {
            let text = |field: &str| match &object[field] {
                Value::String(text) => Some(text.clone()),
                Value::Number(number) => Some(number.to_string()),
                _ => None,
            };
            Some(AccountTemplate {
                name: text("name")?,
                language: text("language").unwrap_or_default(),
                id: text("id"),
                status: text("status").map_or(TemplateStatus::Approved, |status| {
                    TemplateStatus::parse(&status)
                }),
                reason: text("rejected_reason").filter(|reason| reason != "NONE"),
                object,
            })
        })
        .collect()
}

impl AccountTemplate {
    /// `name (language): STATUS[: reason]`.
    fn line(&self) -> String {
        let mut line = format!(
            "{} ({}): {}",
            self.name,
            self.language,
            self.status.as_str()
        );
        if let Some(reason) = &self.reason {
            line.push_str(": ");
            line.push_str(reason);
        }
        line
    }
}

/// Runs `kaleyra templates status`.
pub async fn run(args: StatusArgs) -> Result<u8, Failure> {
    let list = account::list(&args.account).await?;
    let mut templates: Vec<AccountTemplate> = account_templates(&list)
        .into_iter()
        .filter(|template| args.name.as_ref().is_none_or(|name| *name == template.name))
        .collect();
    templates.sort_by(|a, b| (&a.name, &a.language).cmp(&(&b.name, &b.language)));
    for template in &templates {
        println!("{}", template.line());
    }
    match (&args.name, templates.is_empty()) {
        (Some(name), true) => {
            println!("the account lists no template named {name}");
            Ok(code::FINDINGS)
        }
        _ => Ok(code::OK),
    }
}

/// The first wait between two looks at the account; each is twice the
/// last, up to [`LONGEST_POLL`].
const FIRST_POLL: Duration = Duration::from_millis(250);
/// The longest wait between two looks at the account.
const LONGEST_POLL: Duration = Duration::from_secs(60);

/// Follows the review of each `(name, language)` until it is approved or
/// rejected, printing each outcome (a rejection with its reason), or until
/// `timeout`; answers how many were rejected or are still under review.
pub async fn wait_for_review(
    client: &Client,
    args: &AccountArgs,
    waiting: &[(String, String)],
    timeout: Duration,
) -> Result<usize, Failure> {
    let started = Instant::now();
    let mut waiting: Vec<(String, String)> = waiting.to_vec();
    let mut rejected = 0;
    let mut pause = FIRST_POLL;
    println!("waiting for Meta's review of {} template(s)", waiting.len());
    while !waiting.is_empty() {
        if started.elapsed() >= timeout {
            for (name, language) in &waiting {
                println!(
                    "{name} ({language}): still under review after {}s; see `kaleyra templates status {name}`",
                    timeout.as_secs()
                );
            }
            return Ok(rejected + waiting.len());
        }
        tokio::time::sleep(pause.min(timeout.saturating_sub(started.elapsed()))).await;
        pause = (pause * 2).min(LONGEST_POLL);
        let account = account_templates(&account::list_with(client, args).await?);
        let mut still = Vec::new();
        for (name, language) in waiting {
            let Some(template) = account
                .iter()
                .find(|template| template.name == name && template.language == language)
            else {
                return Err(could_not(format!(
                    "{name} ({language}) was submitted but the account no longer lists it"
                )));
            };
            match template.status {
                TemplateStatus::Approved => println!("{}", template.line()),
                TemplateStatus::Pending | TemplateStatus::InAppeal => {
                    still.push((name, language));
                }
                _ => {
                    rejected += 1;
                    println!("{}", template.line());
                }
            }
        }
        waiting = still;
    }
    Ok(rejected)
}
