//! `kaleyra send`: a campaign from a CSV, through a journal that makes a
//! rerun safe.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use std::time::Duration;

use kaleyra_campaign::{
    ClaimedRow, Fingerprint, Journal, JournalError, JournalOptions, JournalTarget, SendOptions,
    StopHandle, Summary,
};
use kaleyra_definitions::{Sendability, TemplateDefinition, TemplateSet, did_you_mean_sentence};
use kaleyra_runtime::{CallbackSecret, CallbackUrl, Client, Region, TemplateMessage};

use crate::columns::Columns;
use crate::failure::{Failure, code};
use crate::progress::Progress;
use crate::recipient::{self, Numbers};
use crate::row::RowValues;
use crate::source::{self, Checked, Template};

/// The arguments of `kaleyra send`.
#[derive(Debug, Args)]
#[command(after_long_help = SEND_HELP)]
pub struct SendArgs {
    /// The approved template to send, by name (`templates/NAME.json` or `templates/NAME.LANGUAGE.json`).
    #[arg(long, env = "KALEYRA_TEMPLATE")]
    pub template: String,
    /// The template's language code; the definition's language when not given.
    #[arg(long)]
    pub language: Option<String>,
    /// The CSV of recipients: a header line, then one row per recipient.
    #[arg(long)]
    pub csv: PathBuf,
    /// The journal: an SQLite file (`<csv stem>.journal.db` beside the CSV
    /// when not given), or a `postgres://` URL that several workers share.
    #[arg(long, env = "KALEYRA_JOURNAL")]
    pub journal: Option<PathBuf>,
    /// With a PostgreSQL journal: how long the rows this worker claims stay
    /// its own without a renewal (renewed every third of it while it runs).
    /// When a worker dies, the others take its rows after this long.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub lease_secs: u64,
    /// At most this many messages per second.
    #[arg(long, value_parser = parse_rate)]
    pub rate: Option<f64>,
    /// How many requests are in flight at once.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: Option<u16>,
    /// Check every row and print the first request as curl; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send the valid rows even if some are invalid (they are listed).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Send again the rows whose earlier request may have reached Kaleyra:
    /// they may get the message twice.
    #[arg(long)]
    pub resend_unknown: bool,
    /// Read a template value from a column of another name: `--map
    /// mobile=to`, `--map first_name=1`, `--map ticket=header`, `--map code=button1`.
    #[arg(long = "map", value_name = "COLUMN=VALUE", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
    /// Where Kaleyra posts each message's statuses, to record them with
    /// `kaleyra journal serve-callbacks`: the public URL of its path. When
    /// KALEYRA_CALLBACK_SECRET is set, the secret is its last segment.
    #[arg(long, env = "KALEYRA_CALLBACK_URL")]
    pub callback_url: Option<String>,
    /// The directory of template definitions.
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
    /// The country of numbers written without a country code, by its two
    /// letters: with `IN`, `98111 11114` and `098111 11114` are sent as
    /// +919811111114. Without it such numbers are refused.
    #[arg(long, value_name = "CODE", env = "KALEYRA_DEFAULT_COUNTRY", value_parser = recipient::parse_country)]
    pub default_country: Option<Region>,
}

const SEND_HELP: &str = "\
Columns: `phone` or `to` is the recipient (such as +919876543210, or 98765 43210 with
--default-country IN); `1`, `2`, ... are the body's placeholders; `header` is the header's value (its text placeholder or media URL);
`button0`, `button1`, ... are the buttons' values (a URL suffix, or a quick-reply payload).
Other columns are ignored. --map COLUMN=VALUE reads a value from a column of another name.

A number in E.164 form (+919876543210) is sent as written. Any other form is read with
libphonenumber's rules and sent in E.164 form: with its + and country code (+91 98765-43210),
or without one in the --default-country. Numbers that fit no country's numbering plan are
refused; without --default-country, so is a number with no country code, with what it would be
in the business number's (KALEYRA_FROM) country. `kaleyra journal report` shows each number
as sent and as written.

Every row is checked before the first message is sent; bad rows are listed by line, and
nothing is sent unless --skip-invalid is given.

The journal records every row before and after its request. Rerunning the same command
resumes: sent rows are never sent again; pending and failed rows are; rows whose request may
have reached Kaleyra (a timeout, a crash mid-request) are `unknown` and are sent again only
with --resend-unknown. A journal is refused with another template, CSV or column mapping.

With --journal postgres://USER@HOST/DATABASE (one database per campaign), start the same
command on as many machines as you like: the first loads the CSV into the database, and each
worker claims rows in batches that no other worker gets. A worker that dies keeps its rows
for --lease-secs; then the rows it had not started go to the others, and the ones it was
sending become `unknown`. Every worker needs a copy of the same CSV file and templates.
Ctrl-C stops gracefully: no new row starts, and the requests in flight are recorded.

The client is configured from KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM, and optionally
KALEYRA_API (v1 or v2), KALEYRA_POD and KALEYRA_BASE_URL.

Exit codes:
  0  every row was sent
  1  the run finished, but some rows failed or may not have been sent (unknown)
  2  the command line is wrong
  3  the template, the CSV or its rows were refused; nothing was sent
  4  the journal was refused (another campaign's, in use) or failed
  5  the environment does not configure a client
  70 an internal error

Example:
  export KALEYRA_SID=HXAP... KALEYRA_API_KEY=... KALEYRA_FROM=+911234567890
  kaleyra send --template booking_confirm --csv examples/campaign.csv --rate 50
  # name,phone,booking    ->  --map name=1 --map booking=2
";

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err(format!(
            "`{text}` is not a rate: give messages per second, such as 50 or 0.5"
        )),
    }
}

fn parse_map(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((column, value)) if !column.trim().is_empty() && !value.trim().is_empty() => {
            Ok((column.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not COLUMN=VALUE, such as `mobile=to` or `first_name=1`"
        )),
    }
}

/// Runs `kaleyra send`; the exit code when it finished.
pub async fn run(args: SendArgs) -> Result<u8, Failure> {
    let definition = Arc::new(load_definition(
        &args.dir,
        &args.template,
        args.language.as_deref(),
    )?);
    let language = args
        .language
        .clone()
        .or_else(|| definition.language.clone())
        .ok_or_else(|| {
            Failure::input(format!(
                "template `{}` names no language; give one with --language",
                definition.name
            ))
        })?;
    let client = Client::from_env().map_err(|error| Failure::config(error.to_string()))?;
    let numbers = Numbers::new(args.default_country, client.from_number());
    let callback_url = args.callback_url.as_deref().map(callback_url).transpose()?;

    let (mut reader, headers) = source::open(&args.csv)?;
    let columns = Columns::resolve(&headers, &definition, &args.map).map_err(|problems| {
        Failure::input(format!(
            "{}:\n  {}",
            args.csv.display(),
            problems.join("\n  ")
        ))
    })?;
    if !columns.ignored.is_empty() {
        eprintln!("note: ignoring columns {}", columns.ignored.join(", "));
    }

    if args.dry_run {
        let template = Template {
            definition: &definition,
            language: &language,
            // The refs a real run would give depend on the whole
            // fingerprint; a dry run shows the shape with a placeholder id.
            campaign_id: "dry-run",
            numbers,
        };
        return dry_run(&args, &mut reader, &columns, &template, &client).await;
    }

    let journal_path = args
        .journal
        .clone()
        .unwrap_or_else(|| default_journal(&args.csv));
    let target = JournalTarget::from_path(&journal_path).map_err(Failure::journal_target)?;
    let fingerprint = fingerprint(
        &args.csv,
        &definition,
        &language,
        &columns,
        target.is_postgres(),
    )?;
    let campaign_id = fingerprint.campaign_id();
    let created = !target.is_postgres() && !journal_path.exists();
    let options = JournalOptions::campaign(fingerprint).lease(Duration::from_secs(args.lease_secs));
    let journal = Journal::open(target, options)
        .await
        .map_err(Failure::journal)?;

    // Workers starting together on PostgreSQL: one loads, the others wait
    // for it and find the rows loaded.
    let loader = if journal.is_loaded().await.map_err(Failure::journal)? {
        None
    } else {
        match journal.loader().await {
            Ok(loader) => Some(loader),
            Err(JournalError::AlreadyLoaded { .. }) => None,
            Err(error) => return Err(Failure::journal(error)),
        }
    };
    if let Some(mut loader) = loader {
        let template = Template {
            definition: &definition,
            language: &language,
            campaign_id: &campaign_id,
            numbers,
        };
        let checked =
            source::check_rows(&mut reader, &columns, &template, &client, Some(&mut loader))
                .await?;
        if let Some(refusal) = refusal(&args, &checked) {
            drop(loader);
            journal.close().await;
            drop(journal);
            if created {
                remove_journal(&journal_path);
            }
            return Err(refusal);
        }
        loader.commit().await.map_err(Failure::journal)?;
        report_skipped(&args, &checked);
        report_rewritten(&args, &checked);
        eprintln!("checked {} rows into {}", checked.valid, journal.target());
    } else {
        let summary = journal.summary().await.map_err(Failure::journal)?;
        eprintln!("resuming {}: {summary}", journal.target());
    }

    let options = SendOptions::new(
        args.concurrency.map(usize::from),
        args.rate,
        args.resend_unknown,
    );
    stop_on_ctrl_c(&options.stop);
    let progress = Progress::new(
        journal
            .to_send(args.resend_unknown)
            .await
            .map_err(Failure::journal)?,
    );
    let build = {
        let (definition, language) = (definition.clone(), language.clone());
        move |row: &ClaimedRow| -> Result<TemplateMessage, String> {
            let values: RowValues = serde_json::from_str(&row.payload).map_err(|error| {
                format!(
                    "the journal's values for line {} cannot be read: {error}",
                    row.line
                )
            })?;
            let message = values.message(
                &definition,
                &language,
                source::reference(&campaign_id, row.line),
            )?;
            Ok(match &callback_url {
                Some(url) => message.callback_url(url),
                None => message,
            })
        }
    };
    let summary = kaleyra_campaign::send(&journal, &client, &options, build, |run| {
        progress.update(run)
    })
    .await;
    progress.finish();
    let summary = summary.map_err(Failure::journal)?;
    journal.close().await;
    if options.stop.is_stopped() {
        println!("stopped; rerun the same command to send the rest");
    }
    Ok(report(&definition.name, &summary, args.resend_unknown))
}

/// The callback URL each message names: `base/<secret>` when
/// KALEYRA_CALLBACK_SECRET is set, else `base` itself.
fn callback_url(base: &str) -> Result<CallbackUrl, Failure> {
    if std::env::var_os("KALEYRA_CALLBACK_SECRET").is_none() {
        eprintln!(
            "warning: KALEYRA_CALLBACK_SECRET is not set, so anyone who learns {base} can post statuses to it"
        );
        return Ok(CallbackUrl::from(base));
    }
    CallbackSecret::from_env()
        .and_then(|secret| secret.callback_url(base))
        .map_err(|error| Failure::config(format!("--callback-url {base}: {error}")))
}

/// The first Ctrl-C stops the run gracefully: no new row starts, the
/// requests in flight finish and are recorded. A second one quits at once
/// (rows in flight are then `unknown`).
fn stop_on_ctrl_c(stop: &StopHandle) {
    let stop = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        eprintln!("stopping: finishing the requests in flight (Ctrl-C again to quit now)");
        stop.stop();
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(130);
        }
    });
}

async fn dry_run(
    args: &SendArgs,
    reader: &mut csv::Reader<std::fs::File>,
    columns: &Columns,
    template: &Template<'_>,
    client: &Client,
) -> Result<u8, Failure> {
    let checked = source::check_rows(reader, columns, template, client, None).await?;
    if let Some(refusal) = refusal(args, &checked) {
        return Err(refusal);
    }
    report_skipped(args, &checked);
    report_rewritten(args, &checked);
    println!("{} valid rows; nothing sent (dry run)", checked.valid);
    if let Some(first) = &checked.first {
        println!("the first request:\n{}", first.to_curl());
    }
    Ok(code::SENT)
}

/// Why the rows are refused: some are bad and --skip-invalid was not given,
/// or none is left to send.
fn refusal(args: &SendArgs, checked: &Checked) -> Option<Failure> {
    if checked.valid + checked.invalid == 0 {
        return Some(Failure::input(format!(
            "{} has a header but no rows",
            args.csv.display()
        )));
    }
    if checked.invalid > 0 && !args.skip_invalid {
        return Some(Failure::input(format!(
            "{}: {} of {} rows are invalid; nothing was sent (give --skip-invalid to send the {} valid ones):\n{}",
            args.csv.display(),
            checked.invalid,
            checked.invalid + checked.valid,
            checked.valid,
            list_problems(checked)
        )));
    }
    if checked.valid == 0 {
        return Some(Failure::input(format!(
            "{}: no row is valid; nothing was sent:\n{}",
            args.csv.display(),
            list_problems(checked)
        )));
    }
    None
}

fn report_skipped(args: &SendArgs, checked: &Checked) {
    if checked.invalid > 0 {
        eprintln!(
            "{}: skipping {} invalid rows:\n{}",
            args.csv.display(),
            checked.invalid,
            list_problems(checked)
        );
    }
}

/// Numbers are not sent as written without saying so: how many, one
/// example, and where to see each.
fn report_rewritten(args: &SendArgs, checked: &Checked) {
    let Some((line, written, sent)) = &checked.first_rewritten else {
        return;
    };
    let country = args
        .default_country
        .map(|region| format!(" (--default-country {})", region.as_ref()))
        .unwrap_or_default();
    eprintln!(
        "note: {} numbers are sent in E.164 form, not as written{country}, such as line {line}: `{written}` as {sent}; `kaleyra journal report` lists each as written",
        checked.rewritten
    );
}

fn list_problems(checked: &Checked) -> String {
    let mut lines = checked
        .problems
        .iter()
        .map(|(line, reason)| format!("  line {line}: {reason}"))
        .collect::<Vec<_>>();
    let unlisted = checked.invalid - checked.problems.len() as u64;
    if unlisted > 0 {
        lines.push(format!("  and {unlisted} more invalid rows"));
    }
    lines.join("\n")
}

/// Prints the journal's counts; the exit code they mean.
fn report(template: &str, summary: &Summary, resend_unknown: bool) -> u8 {
    println!("{template}: {summary}");
    if summary.unknown > 0 && !resend_unknown {
        println!(
            "{} rows may have reached Kaleyra (unknown) and were not sent again; check them in Kaleyra's reports, or rerun with --resend-unknown to send them again (they may get the message twice)",
            summary.unknown
        );
    }
    if summary.failed > 0 {
        println!(
            "{} rows failed; rerun the same command to send them again",
            summary.failed
        );
    }
    if summary.is_complete() {
        code::SENT
    } else {
        code::INCOMPLETE
    }
}

/// The definition of template `name` in `language` (or its only language),
/// from its files in `dir`: `<name>.json` or `<name>.<language>.json`.
fn load_definition(
    dir: &Path,
    name: &str,
    language: Option<&str>,
) -> Result<TemplateDefinition, Failure> {
    let set = TemplateSet::load_template(dir, name).map_err(|errors| {
        Failure::input(
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    if set.is_empty() {
        let everything = TemplateSet::load_dir(dir).unwrap_or_default();
        let hint = did_you_mean_sentence(&everything.suggest(name))
            .map(|sentence| format!("; {sentence}"))
            .unwrap_or_default();
        return Err(Failure::input(format!(
            "no template `{name}` in {}: no file `{name}.json` or `{name}.<language>.json`{hint} (give the templates' directory with --dir)",
            dir.display()
        )));
    }
    let languages = set.languages_of(name);
    let definition = match (language, languages) {
        (None, [only]) => only,
        (None, several) => {
            return Err(Failure::input(format!(
                "template `{name}` has {} languages ({}); choose one with --language",
                several.len(),
                several
                    .iter()
                    .filter_map(|definition| definition.language.as_deref())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        (Some(_), _) => match set.select(name, language) {
            Ok(found) => found[0],
            // Its own file names no language: sent in the one given.
            Err(_) if languages.len() == 1 && languages[0].language.is_none() => &languages[0],
            Err(error) => return Err(Failure::input(error.to_string())),
        },
    };
    if !definition.kind.is_approved_template() {
        return Err(Failure::input(format!(
            "`{name}` is a `{}` message, not an approved template; `kaleyra send` sends approved templates",
            definition.kind
        )));
    }
    if let Some(part) = definition.unsupported.first() {
        return Err(Failure::input(format!(
            "template `{name}` has a part this tool cannot send yet: {part}"
        )));
    }
    if let (Some(status), Sendability::Never | Sendability::NotNow) =
        (&definition.status, definition.sendability())
    {
        return Err(Failure::input(format!(
            "template `{name}` is {status} in its file, so Kaleyra would refuse every row; \
             if that has changed, update the file with `kaleyra templates pull`"
        )));
    }
    Ok(definition.clone())
}

/// What ties a journal to this campaign: the template, its definition, the
/// CSV's path and content, and the column mapping. A journal `shared` by
/// workers on several machines keeps only the CSV's file name: each has its
/// own copy, wherever it is.
fn fingerprint(
    csv: &Path,
    definition: &TemplateDefinition,
    language: &str,
    columns: &Columns,
    shared: bool,
) -> Result<Fingerprint, Failure> {
    let (size, hash) = source::size_and_hash(csv)?;
    let source = std::fs::canonicalize(csv)
        .map_err(|error| Failure::input(format!("cannot resolve {}: {error}", csv.display())))?;
    let source = match source.file_name() {
        Some(name) if shared => PathBuf::from(name),
        _ => source,
    };
    let definition_json = serde_json::to_vec(definition)
        .map_err(|error| Failure::internal(format!("encoding the definition: {error}")))?;
    Ok(Fingerprint::new(
        definition.name.clone(),
        language,
        kaleyra_campaign::sha256_hex(&definition_json),
        source.display().to_string(),
        size,
        hash,
        columns.describe(),
    ))
}

/// `campaign.csv` → `campaign.journal.db`, beside it.
fn default_journal(csv: &Path) -> PathBuf {
    let stem = csv
        .file_stem()
        .map_or_else(|| "campaign".into(), |stem| stem.to_os_string());
    let mut name = stem;
    name.push(".journal.db");
    csv.with_file_name(name)
}

/// Removes a journal this run created and did not load, with SQLite's and
/// the lock's side files; what cannot be removed is left.
fn remove_journal(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}
