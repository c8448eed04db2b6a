//! `kaleyra send`: a campaign from a CSV, through a journal that makes a
//! rerun safe.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use std::time::{Duration, Instant};

use kaleyra_campaign::{
    Blocked, ClaimedRow, FailureCount, Fingerprint, Journal, JournalError, JournalOptions,
    JournalTarget, MAX_PASSES, RunProgress, STATUS_POLL, STOP_AFTER_REFUSALS, SendOptions,
    StopHandle, Summary, pace,
};
use kaleyra_definitions::codes::{self, AnswerCode};
use kaleyra_definitions::failures::{FAILURE_CODES, FailureAction};
use kaleyra_definitions::limits::TESTED_MESSAGES_PER_SECOND;
use kaleyra_definitions::{
    HeaderType, Sendability, TemplateDefinition, TemplateSet, did_you_mean_sentence,
};
use kaleyra_runtime::callbacks::{CallbackSecret, CallbackUrl};
use kaleyra_runtime::{ApiVersion, Client, Region, TemplateMessage};

use crate::callbacks::{MAKE_A_SECRET, secret_problem};
use crate::columns::Columns;
use crate::failure::{Failure, code};
use crate::progress::Progress;
use crate::recipient::{self, Numbers};
use crate::row::RowValues;
use crate::source::{self, Checked, Repeats, Template};

/// The arguments of `kaleyra send`.
#[derive(Debug, Args)]
#[command(after_long_help = send_help())]
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
    /// At most this many messages per second, or `off` for no limit.
    /// Kaleyra's tested rate, 20, unless given. The campaign slows down on
    /// its own when Kaleyra answers 429 or 503 (or Meta says 130429), and
    /// speeds back up to this.
    #[arg(long, env = "KALEYRA_RATE", value_name = "PER_SECOND", value_parser = parse_rate)]
    pub rate: Option<Rate>,
    /// How many requests are in flight at once.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub concurrency: Option<u16>,
    /// Check every row and print the first request as curl; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send the valid rows even if some are invalid (they are listed, and
    /// kept in the journal as `skipped` with why).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Send to a number as often as rows give it. Without this or --dedupe,
    /// a number on two rows (compared in E.164 form) is refused, listing
    /// the lines, and nothing is sent.
    #[arg(long, conflicts_with = "dedupe")]
    pub allow_duplicates: bool,
    /// Send to each number once: the first row that gives it is sent, later
    /// ones are kept in the journal as `skipped`, naming the line sent.
    #[arg(long)]
    pub dedupe: bool,
    /// Send again the rows whose earlier request may have reached Kaleyra:
    /// they may get the message twice.
    #[arg(long)]
    pub resend_unknown: bool,
    /// Read a template value from a column of another name: `--map
    /// mobile=to`, `--map first_name=1`, `--map ticket=header`, `--map code=button1`.
    #[arg(long = "map", value_name = "COLUMN=VALUE", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
    /// Where Kaleyra posts each message's statuses, to record them with
    /// `kaleyra journal serve-callbacks`: the public URL of its path. Needs
    /// KALEYRA_CALLBACK_SECRET, which becomes its last segment.
    #[arg(long, env = "KALEYRA_CALLBACK_URL")]
    pub callback_url: Option<String>,
    /// Give --callback-url as it is, without KALEYRA_CALLBACK_SECRET: for
    /// `serve-callbacks --allow-unauthenticated` behind a gateway that
    /// authenticates Kaleyra itself (anyone else who learns the URL can
    /// post fake statuses).
    #[arg(long)]
    pub allow_unauthenticated_callbacks: bool,
    /// The directory of template definitions.
    #[arg(long, default_value = "templates", env = "KALEYRA_TEMPLATES_DIR")]
    pub dir: PathBuf,
    /// Before the first row, check the SID and API key with one harmless
    /// request: the account's template list (v2 only; needs --waba-id).
    #[arg(long)]
    pub check_credentials: bool,
    /// The WhatsApp business account (WABA) id, for --check-credentials
    /// (read only then, so a KALEYRA_WABA_ID set for `templates pull` is harmless).
    #[arg(long, env = "KALEYRA_WABA_ID")]
    pub waba_id: Option<String>,
    /// The country of numbers written without a country code, by its two
    /// letters: with `IN`, `98111 11114` and `098111 11114` are sent as
    /// +919811111114. Without it such numbers are refused. It applies when
    /// the CSV is loaded into the journal, which keeps each row's E.164
    /// number: resuming a loaded campaign with another value changes nothing.
    #[arg(long, value_name = "CODE", env = "KALEYRA_DEFAULT_COUNTRY", value_parser = recipient::parse_country)]
    pub default_country: Option<Region>,
}

/// The long help of `kaleyra send`, with the figures it names from where they live.
fn send_help() -> String {
    format!(
        "\
Columns: `phone` or `to` is the recipient (such as +919876543210, or 98765 43210 with
--default-country IN); `1`, `2`, ... are the body's placeholders; `header` is the header's
value (its text placeholder or media URL);
`button0`, `button1`, ... are the buttons' values (a URL suffix, or a quick-reply payload).
Other columns are ignored. --map COLUMN=VALUE reads a value from a column of another name.

A number in E.164 form (+919876543210) is sent as written. Any other form is read with
libphonenumber's rules and sent in E.164 form: with its + and country code (+91 98765-43210),
or without one in the --default-country. Numbers that fit no country's numbering plan are
refused; without --default-country, so is a number with no country code, with what it would be
in the business number's (KALEYRA_FROM) country. `kaleyra journal report` shows each number
as sent and as written.

Every row is checked before the first message is sent; bad rows are listed by line, and
nothing is sent unless --skip-invalid is given. A number that two rows give (compared in
E.164 form) is refused the same way, unless --dedupe (send it once, from its first row) or
--allow-duplicates (send every row). Rows skipped either way are kept in the journal as
`skipped`, with why, so `kaleyra journal report` lists every line of the CSV.

The journal records every row before and after its request. Rerunning the same command
resumes: sent rows are never sent again; pending and failed rows are; rows whose request may
have reached Kaleyra (a timeout, a crash mid-request) are `unknown` and are sent again only
with --resend-unknown. A journal is refused with another template, CSV content or column
mapping; where the CSV is does not matter, so a folder moved with its journal resumes.

With --journal postgres://USER@HOST/DATABASE (one database per campaign), start the same
command on as many machines as you like: the first loads the CSV into the database, and each
worker claims rows in batches that no other worker gets. A worker that dies keeps its rows
for --lease-secs; then the rows it had not started go to the others, and the ones it was
sending become `unknown`. Every worker needs a copy of the same CSV file and templates.
Ctrl-C stops gracefully: no new row starts, and the requests in flight are recorded.

--check-credentials checks the SID and API key before the first row with the one harmless
authenticated request Kaleyra documents, the account's template list (v2 only, so it needs
KALEYRA_API=v2 and --waba-id or KALEYRA_WABA_ID); it does not check KALEYRA_FROM, which only a
send can. No message is ever sent to find out.

When Kaleyra refuses a request for a reason no row can succeed with, the campaign stops after
{refusals} such refusals and exits {blocked}: the rows not sent, and those refused so, stay pending
(never failed), so the same command sends them once the cause is fixed. Until Kaleyra has
accepted one message, requests go one at a time, so a wrong key costs at most {refusals} requests.
The codes that stop a campaign:
{stoppers}

The pace: at most --rate messages per second (KALEYRA_RATE), {tested} unless given, which is
the rate Kaleyra names as tested on its capacity page; `--rate off` sends as fast as
--concurrency allows. When Kaleyra answers 429 (rate limiting) or 503 (load shedding), or Meta
says 130429, no new request starts for the answer's Retry-After ({halt} without one, at most
{max_halt}) and the rate halves; every {recover} messages accepted raise it by half again, up to
--rate. A row answered 429 was not sent: it goes back to pending and is sent again after the
others, in up to {passes} passes, so no row is lost; a row answered 503 may have been sent and is
`unknown`, as any server error is.

Failures after the send: with --callback-url, `kaleyra journal serve-callbacks` records each
`failed` status with Meta's code and title, which `kaleyra journal report` lists (error_code,
error_title) and the summary groups by code. While it sends, the campaign reads them every
{poll}: a status that says the template is paused or disabled stops it as a refusal does
(exit {blocked}); throughput failures slow it down. A failed status never makes a row be sent
again: Kaleyra accepted it. The codes:
{failure_codes}

--callback-url needs KALEYRA_CALLBACK_SECRET (the same for `kaleyra journal serve-callbacks`),
which becomes the URL's last segment so nobody else can post statuses; without it the send is
refused before anything is sent. Make one with
  {MAKE_A_SECRET}

The client is configured from KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_FROM, and optionally
KALEYRA_API (v1 or v2), KALEYRA_POD and KALEYRA_BASE_URL.

Exit codes:
  {sent}  every row was sent
  {incomplete}  the run finished, but some rows failed or may not have been sent (unknown)
  2  the command line is wrong
  {input}  the template, the CSV or its rows were refused; nothing was sent
  {journal}  the journal was refused (another campaign's, in use) or failed
  {config}  the environment does not configure a client, or --callback-url has no secret
  {blocked}  Kaleyra refused requests for a reason no row can succeed with; the campaign stopped
  {internal} an internal error
  {interrupted} stopped by Ctrl-C; the requests in flight were recorded, rerun to send the rest

Example:
  export KALEYRA_SID=HXAP... KALEYRA_API_KEY=... KALEYRA_FROM=+911234567890
  kaleyra send --template booking_confirm --csv examples/campaign.csv --rate 50
  # name,phone,booking    ->  --map name=1 --map booking=2
",
        refusals = STOP_AFTER_REFUSALS,
        stoppers = campaign_stoppers(),
        tested = TESTED_MESSAGES_PER_SECOND,
        halt = crate::progress::elapsed(pace::DEFAULT_HALT),
        max_halt = crate::progress::elapsed(pace::MAX_HALT),
        recover = pace::RECOVER_EVERY,
        passes = MAX_PASSES,
        poll = crate::progress::elapsed(STATUS_POLL),
        failure_codes = failure_codes(),
        sent = code::SENT,
        incomplete = code::INCOMPLETE,
        input = code::INPUT,
        journal = code::JOURNAL,
        config = code::CONFIG,
        blocked = code::BLOCKED,
        internal = code::INTERNAL,
        interrupted = code::INTERRUPTED,
    )
}

/// One line per code of Meta's failures table, with what the campaign does.
fn failure_codes() -> String {
    FAILURE_CODES
        .iter()
        .map(|row| {
            let action = match row.action {
                FailureAction::StopCampaign(_) => "stops the campaign",
                FailureAction::SlowDown => "slows the campaign down",
                FailureAction::NotAtOnce => "not sent again at once",
                _ => "final for that message",
            };
            format!("  {} {}: {action}", row.code, row.title)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line per code that stops a campaign, from Kaleyra's table.
fn campaign_stoppers() -> String {
    codes::KALEYRA_CODES
        .iter()
        .chain(&codes::META_TEMPLATE_CODES)
        .filter(|row| row.stops_campaign)
        .map(|row| {
            let origin = match row.origin {
                codes::CodeOrigin::Meta => "Meta's ",
                _ => "",
            };
            format!("  {origin}{}: {}", row.code, row.meaning)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `--rate`: messages per second, or none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    /// At most this many messages per second.
    PerSecond(f64),
    /// No limit (`off`): as fast as the concurrency allows, until Kaleyra
    /// says it is too fast.
    Off,
}

impl Rate {
    /// The limit `--rate` gives: Kaleyra's tested rate when it is not given.
    pub fn limit(rate: Option<Rate>) -> Option<f64> {
        match rate.unwrap_or(Rate::PerSecond(TESTED_MESSAGES_PER_SECOND)) {
            Rate::PerSecond(rate) => Some(rate),
            Rate::Off => None,
        }
    }
}

fn parse_rate(text: &str) -> Result<Rate, String> {
    if text.trim().eq_ignore_ascii_case("off") {
        return Ok(Rate::Off);
    }
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(Rate::PerSecond(rate)),
        _ => Err(format!(
            "`{text}` is not a rate: give messages per second, such as 50 or 0.5, or `off` for no limit"
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
    let callback_url = args
        .callback_url
        .as_deref()
        .map(|base| callback_url(base, args.allow_unauthenticated_callbacks))
        .transpose()?;

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

    if args.check_credentials {
        check_credentials(&client, args.waba_id.as_deref()).await?;
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
    let source = fingerprint.source.clone();
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
        let checked = source::check_rows(
            &mut reader,
            &columns,
            &template,
            &client,
            repeats(&args),
            Some(&mut loader),
        )
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
        eprintln!(
            "campaign {campaign_id}: checked {} rows into {}",
            checked.valid,
            journal.target()
        );
    } else {
        let summary = journal.summary().await.map_err(Failure::journal)?;
        eprintln!(
            "campaign {campaign_id}: resuming {}: {summary}",
            journal.target()
        );
        let loaded_from = &journal.fingerprint().source;
        if *loaded_from != source {
            eprintln!(
                "note: its rows were loaded from {loaded_from}; {source} has the same content, so it is the same campaign"
            );
        }
    }

    let options = SendOptions::new(
        args.concurrency.map(usize::from),
        Rate::limit(args.rate),
        args.resend_unknown,
    );
    stop_on_ctrl_c(&options.stop);
    let started = Instant::now();
    let progress = Progress::new(
        journal
            .to_send(args.resend_unknown)
            .await
            .map_err(Failure::journal)?,
    );
    let build = {
        let (definition, language) = (definition.clone(), language.clone());
        let campaign_id = campaign_id.clone();
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
    let last = std::sync::Mutex::new(None::<RunProgress>);
    let summary = kaleyra_campaign::send(&journal, &client, &options, build, |run| {
        progress.update(run);
        *last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(run);
    })
    .await;
    progress.finish();
    let last = last
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(run) = last.filter(|run| run.throttles > 0) {
        eprintln!("{}", describe_throttles(&run, options.rate_limit));
    }
    let failures = journal.failures_by_code().await.map_err(Failure::journal);
    let summary = match summary {
        Ok(summary) => summary,
        Err(JournalError::Blocked(blocked)) => {
            journal.close().await;
            println!("{}: {}", definition.name, blocked.summary);
            print_failures(&failures?);
            return Err(Failure::blocked(describe_blocked(&blocked)));
        }
        Err(error) => return Err(Failure::journal(error)),
    };
    journal.close().await;
    let exit = report(
        &definition.name,
        &summary,
        args.resend_unknown,
        options.stop.is_stopped(),
    );
    print_failures(&failures?);
    eprintln!(
        "campaign {campaign_id}: this run took {}",
        crate::progress::elapsed(started.elapsed())
    );
    if options.stop.is_stopped() && !summary.is_complete() {
        println!("stopped; rerun the same command to send the rest");
        return Ok(code::INTERRUPTED);
    }
    Ok(exit)
}

/// The callback URL each message names: `base/<secret>`. Without
/// KALEYRA_CALLBACK_SECRET it is refused, before anything is sent: every
/// status would get 404 from `serve-callbacks` and be lost. `base` itself
/// only when `unauthenticated` is asked for.
fn callback_url(base: &str, unauthenticated: bool) -> Result<CallbackUrl, Failure> {
    if unauthenticated {
        eprintln!(
            "warning: --allow-unauthenticated-callbacks: anyone who learns {base} can post statuses to it"
        );
        return Ok(CallbackUrl::from(base));
    }
    let secret = CallbackSecret::from_env().map_err(|error| {
        Failure::config(format!(
            "--callback-url {base} needs a callback secret, and {}; nothing was sent.\n  \
             Without it `kaleyra journal serve-callbacks` refuses every status, so none would be recorded.\n  \
             Make one and give the same to both commands:\n    \
             export {}=$({MAKE_A_SECRET})\n  \
             (or --allow-unauthenticated-callbacks, with `serve-callbacks --allow-unauthenticated`)",
            secret_problem(&error),
            CallbackSecret::ENV_VAR
        ))
    })?;
    secret
        .callback_url(base)
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
    columns: &Columns<'_>,
    template: &Template<'_>,
    client: &Client,
) -> Result<u8, Failure> {
    let checked =
        source::check_rows(reader, columns, template, client, repeats(args), None).await?;
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
    if checked.repeated > 0 && !args.dedupe {
        return Some(Failure::input(format!(
            "{}: {} rows give a number an earlier row gives; nothing was sent, so no customer gets the message twice \
             (give --dedupe to send each number once, from its first row, or --allow-duplicates to send every row):\n{}",
            args.csv.display(),
            checked.repeated,
            list_repeats(checked)
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
    if checked.repeated > 0 {
        eprintln!(
            "{}: sending each number once (--dedupe), skipping {} rows:\n{}",
            args.csv.display(),
            checked.repeated,
            list_repeats(checked)
        );
    }
}

/// What to do with a number that two rows give, as the flags say.
fn repeats(args: &SendArgs) -> Repeats {
    if args.allow_duplicates {
        Repeats::Send
    } else if args.dedupe {
        Repeats::SkipLater
    } else {
        Repeats::Refuse
    }
}

fn list_repeats(checked: &Checked) -> String {
    let mut lines = checked
        .repeats
        .iter()
        .map(|(line, number, earlier)| format!("  line {line}: {number} is also on line {earlier}"))
        .collect::<Vec<_>>();
    let unlisted = checked.repeated - checked.repeats.len() as u64;
    if unlisted > 0 {
        lines.push(format!("  and {unlisted} more rows"));
    }
    lines.join("\n")
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

/// `--check-credentials`: lists the account's templates, the one harmless
/// authenticated request Kaleyra documents (v2), before anything is sent.
async fn check_credentials(client: &Client, waba_id: Option<&str>) -> Result<(), Failure> {
    if client.api().version() != ApiVersion::V2 {
        return Err(Failure::config(format!(
            "--check-credentials reads the account's template list, which Kaleyra documents on v2 only \
             (KALEYRA_API=v2); on v1 leave it out: the first requests go one at a time, so a wrong key \
             costs at most {STOP_AFTER_REFUSALS} refused requests"
        )));
    }
    let waba_id = waba_id.ok_or_else(|| {
        Failure::config(
            "--check-credentials needs the WhatsApp business account id: --waba-id or KALEYRA_WABA_ID",
        )
    })?;
    match client.list_templates(waba_id).await {
        Ok(list) => {
            eprintln!(
                "credentials checked: Kaleyra listed {} templates of business account {waba_id}",
                list.templates().len()
            );
            Ok(())
        }
        Err(error) => Err(match error.stops_campaign() {
            Some(code) => Failure::blocked(format!(
                "--check-credentials: Kaleyra refused the template list with {} ({}); nothing was sent.\n  \
                 what to do: {}\n  the answer: {error}",
                code.code,
                code.meaning,
                what_to_do(code)
            )),
            None => Failure::config(format!(
                "--check-credentials: the template list failed, so the credentials are not checked; nothing was sent: {error}"
            )),
        }),
    }
}

/// How often the run slowed down, and how fast it ended.
fn describe_throttles(run: &RunProgress, limit: Option<f64>) -> String {
    let now = match run.rate {
        Some(rate) => crate::progress::rate(rate),
        None => "no limit".to_owned(),
    };
    let limit = match limit {
        Some(rate) => crate::progress::rate(rate),
        None => "no limit (--rate off)".to_owned(),
    };
    format!(
        "note: Kaleyra said the campaign sent too fast (429, 503 or Meta's 130429) and it slowed down {} time(s), \
         honouring Retry-After; it ended at {now}, with --rate at {limit}",
        run.throttles
    )
}

/// The failed statuses recorded so far, by code: Meta's title, how many
/// rows, and what to do for the codes Meta's table lists.
fn print_failures(failures: &[FailureCount]) {
    if failures.is_empty() {
        return;
    }
    let rows: u64 = failures.iter().map(|group| group.rows).sum();
    println!("{rows} messages failed after the send (failed statuses), by code:");
    for group in failures {
        let title = group
            .title
            .as_deref()
            .or(group.known().map(|row| row.title))
            .unwrap_or("a code this tool does not know");
        let remedy = group
            .known()
            .map(|row| format!("; {}", row.remedy))
            .unwrap_or_default();
        println!(
            "  {} {title}: {} rows (first on line {}){remedy}",
            group.code, group.rows, group.first_line
        );
    }
    println!("  `kaleyra journal report` lists each row's error_code and error_title");
}

/// Why the campaign stopped, what to do, and where its rows are.
fn describe_blocked(blocked: &Blocked) -> String {
    let code = blocked.code;
    if let Some(line) = blocked.status_line {
        return format!(
            "a status callback said {} ({}) for line {line}'s message: no row can be sent until that is fixed, so the campaign stopped.\n  \
             what to do: {}\n  \
             the {} unsent rows are pending, none counted as failed: rerun the same command once it is fixed (rows already sent are not sent again)\n  \
             the status: {}",
            code.code,
            code.meaning,
            what_to_do(code),
            blocked.summary.pending + blocked.summary.sending,
            blocked.first_error
        );
    }
    format!(
        "Kaleyra refused {} request(s) with {} ({}): no row can be sent until that is fixed, so the campaign stopped.\n  \
         what to do: {}\n  \
         the {} unsent rows are pending, none counted as failed: rerun the same command once it is fixed (rows already sent are not sent again)\n  \
         first refusal: {}",
        blocked.refusals,
        code.code,
        code.meaning,
        what_to_do(code),
        blocked.summary.pending + blocked.summary.sending,
        blocked.first_error
    )
}

/// What to change for `code`, in this command's terms where it has them.
fn what_to_do(code: &AnswerCode) -> &'static str {
    if *code == codes::RBC001 {
        "check KALEYRA_SID and KALEYRA_API_KEY"
    } else if *code == codes::WA401 || *code == codes::E13008 {
        "check KALEYRA_FROM: it must be a business number of the account, in E.164"
    } else if *code == codes::WA_401 {
        "check KALEYRA_API (v1 or v2): KALEYRA_FROM is bound to the other API version, or the API is not enabled for the account"
    } else if *code == codes::META_132001 {
        "check --template and --language against the account (`kaleyra templates check`)"
    } else {
        code.remedy
    }
}

/// Prints the journal's counts; the exit code they mean.
fn report(template: &str, summary: &Summary, resend_unknown: bool, stopped: bool) -> u8 {
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
    if summary.pending > 0 && !stopped {
        println!(
            "{} rows are still pending: Kaleyra kept answering 429 through {MAX_PASSES} passes; rerun the same command later to send them",
            summary.pending
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
    if definition
        .limited_time_offer
        .as_ref()
        .is_some_and(|offer| offer.has_expiration)
    {
        return Err(Failure::input(format!(
            "template `{name}` has a limited-time offer whose expiry each message gives, and `kaleyra send` has no column for it yet; send it from code with `TemplateMessage::offer_expires_at` or a derived struct's `#[kaleyra(offer_expiry)]` field"
        )));
    }
    // A place is four values (latitude, longitude, name, address); a CSV
    // has one `header` column, and guessing how to split it could send the
    // wrong place.
    if definition
        .header
        .as_ref()
        .is_some_and(|header| header.kind == HeaderType::Location)
    {
        return Err(Failure::input(format!(
            "template `{name}` has a location header, which `kaleyra send` cannot fill from a file's columns; send it with the library's `TemplateHeader::Location`"
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
    columns: &Columns<'_>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_the_tested_one_unless_given_and_off_removes_it() {
        assert_eq!(Rate::limit(None), Some(TESTED_MESSAGES_PER_SECOND));
        assert_eq!(parse_rate("50"), Ok(Rate::PerSecond(50.0)));
        assert_eq!(Rate::limit(Some(parse_rate("0.5").unwrap())), Some(0.5));
        assert_eq!(parse_rate("OFF"), Ok(Rate::Off));
        assert_eq!(Rate::limit(Some(Rate::Off)), None);
        for bad in ["NaN", "inf", "0", "-3", "fast", ""] {
            let error = parse_rate(bad).unwrap_err();
            assert!(error.contains("is not a rate"), "{bad}: {error}");
        }
    }

    #[test]
    fn the_help_lists_every_failure_code_with_what_the_campaign_does() {
        let help = send_help();
        for row in &FAILURE_CODES {
            assert!(
                help.contains(&format!("{} {}", row.code, row.title)),
                "{}",
                row.code
            );
        }
        assert!(help.contains("132015 Template is Paused: stops the campaign"));
        assert!(help.contains("130429 Rate limit hit: slows the campaign down"));
        assert!(help.contains(&format!("{TESTED_MESSAGES_PER_SECOND} unless given")));
    }
}
