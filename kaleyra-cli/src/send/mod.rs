//! `kaleyra send`: a campaign from a CSV, through a journal that makes a
//! rerun safe.
//!
//! The run goes one way, a stage per module: the [`template`] and the
//! [`account`] it is sent from; the CSV read ([`source`]); each row checked
//! ([`check`]) and its verdict loaded into the [`journal`] in the same pass;
//! the journal's rows sent ([`deliver`]); and what came of it said
//! ([`outcome`]). [`args`] and [`help`] are the command line.
//!
//! Where each concern lives: the credentials, the callback secret and what
//! to change after a refusal in [`account`]; the delimiter, the bound on a
//! row and bad bytes in [`source`]; numbers as written and repeated numbers
//! in [`check`]; resuming by content and skipped rows kept in [`journal`];
//! the pace, progress and Ctrl-C in [`deliver`]; the refusals, the counts,
//! failures by code and the exit code in [`outcome`].

mod account;
mod args;
mod check;
mod deliver;
mod help;
mod journal;
mod outcome;
mod source;
mod template;

use std::time::Duration;

use kaleyra_campaign::{Loader, SendOptions};
use kaleyra_definitions::TemplateDefinition;

use self::account::Account;
use self::args::Rate;
pub use self::args::SendArgs;
use self::check::{Checked, Checker, RowMessages};
use self::deliver::Messages;
use self::journal::CampaignJournal;
use self::source::CsvFile;
use crate::columns::Columns;
use crate::failure::{Failure, code};
use crate::recipient::Numbers;

/// Runs `kaleyra send`; the exit code when it finished.
pub async fn run(args: SendArgs) -> Result<u8, Failure> {
    let chosen = template::choose(&args.dir, &args.template, args.language.as_deref())?;
    let definition = &*chosen.definition;
    let account = Account::from_env(args.dry_run)?;
    let client = &account.client;
    let callback_url = args
        .callback_url
        .as_deref()
        .map(|base| account::callback_url(base, args.allow_unauthenticated_callbacks))
        .transpose()?;

    let mut csv = CsvFile::open(&args.csv, args.delimiter)?;
    let columns = columns(&csv, definition, &args.map)?;
    let messages = |campaign_id| RowMessages {
        definition,
        language: &chosen.language,
        campaign_id,
        numbers: Numbers::new(args.default_country, account.business_number()),
    };

    if args.dry_run {
        // The refs a real run would give depend on the whole fingerprint;
        // a dry run shows their shape with a placeholder id.
        let checker = Checker::new(&columns, messages("dry-run"), client, args.repeats());
        let checked = check_rows(&mut csv, checker, None).await?;
        return dry_run(&args, &account, &csv, &checked);
    }
    if args.check_credentials {
        account::check_credentials(client, args.waba_id.as_deref()).await?;
    }

    let campaign = CampaignJournal::open(
        args.journal.as_deref(),
        &args.csv,
        definition,
        &chosen.language,
        &columns,
        Duration::from_secs(args.lease_secs),
    )
    .await?;
    let campaign = match campaign.loader().await? {
        Some(mut loader) => {
            let checker = Checker::new(
                &columns,
                messages(campaign.campaign_id()),
                client,
                args.repeats(),
            );
            let checked = check_rows(&mut csv, checker, Some(&mut loader)).await?;
            load(&args, &csv, campaign, loader, &checked).await?
        }
        None => {
            campaign.resume().await?;
            campaign
        }
    };

    let options = SendOptions::new(
        args.concurrency.map(usize::from),
        Rate::limit(args.rate),
        args.resend_unknown,
    );
    let messages = Messages {
        definition: chosen.definition.clone(),
        language: chosen.language.clone(),
        campaign_id: campaign.campaign_id().to_owned(),
        callback_url,
    };
    let delivery = deliver::send(&campaign.journal, client, options, messages).await?;
    outcome::finish(campaign, delivery, &definition.name, args.resend_unknown).await
}

/// The columns that fill the template's values; every problem with them
/// in one error, with a hint when the delimiter looks wrong.
fn columns<'d>(
    csv: &CsvFile,
    definition: &'d TemplateDefinition,
    map: &[(String, String)],
) -> Result<Columns<'d>, Failure> {
    let columns = Columns::resolve(&csv.headers, definition, map).map_err(|mut problems| {
        problems.extend(csv.delimiter_hint());
        Failure::input(format!(
            "{} ({}):\n  {}",
            csv.path().display(),
            csv.separated(),
            problems.join("\n  ")
        ))
    })?;
    if !columns.ignored.is_empty() {
        eprintln!("note: ignoring columns {}", columns.ignored.join(", "));
    }
    Ok(columns)
}

/// Commits the rows `loader` was given, unless the check refuses them: then
/// the journal is discarded and nothing is sent.
async fn load(
    args: &SendArgs,
    csv: &CsvFile,
    campaign: CampaignJournal,
    loader: Loader,
    checked: &Checked,
) -> Result<CampaignJournal, Failure> {
    if let Some(refusal) = outcome::refusal(args, checked) {
        campaign.discard(loader).await;
        return Err(refusal);
    }
    loader.commit().await.map_err(Failure::journal)?;
    outcome::report_skipped(args, checked);
    outcome::report_rewritten(args, checked);
    eprintln!(
        "campaign {}: checked {} rows of {} ({}) into {}",
        campaign.campaign_id(),
        checked.valid,
        csv.path().display(),
        csv.separated(),
        campaign.journal.target()
    );
    Ok(campaign)
}

/// Reads every row of `csv`, checks it, and records its verdict with
/// `loader` when given, in one pass: rows are not kept, so memory stays flat.
async fn check_rows(
    csv: &mut CsvFile,
    mut checker: Checker<'_>,
    mut loader: Option<&mut Loader>,
) -> Result<Checked, Failure> {
    while let Some(row) = csv.next_row()? {
        let verdict = checker.check(row);
        if let Some(loader) = loader.as_deref_mut() {
            journal::keep(loader, verdict).await?;
        }
    }
    Ok(checker.finish())
}

/// `--dry-run`: what the check found, and the first request as curl.
fn dry_run(
    args: &SendArgs,
    account: &Account,
    csv: &CsvFile,
    checked: &Checked,
) -> Result<u8, Failure> {
    if let Some(refusal) = outcome::refusal(args, checked) {
        return Err(refusal);
    }
    outcome::report_skipped(args, checked);
    outcome::report_rewritten(args, checked);
    println!(
        "{} valid rows ({}); nothing sent (dry run)",
        checked.valid,
        csv.separated()
    );
    if let Some(first) = &checked.first {
        if let Some(note) = account.stand_in_note() {
            eprintln!("{note}");
        }
        println!("the first request:\n{}", first.to_curl());
    }
    Ok(code::SENT)
}
