//! The long help of `kaleyra send`: what it does, with every figure and
//! code it names read from where it lives.

use kaleyra_campaign::{MAX_PASSES, STATUS_POLL, STOP_AFTER_REFUSALS, pace};
use kaleyra_definitions::codes;
use kaleyra_definitions::failures::{FAILURE_CODES, FailureAction};
use kaleyra_definitions::limits::TESTED_MESSAGES_PER_SECOND;

use super::source::MAX_ROW_BYTES;
use crate::callbacks::MAKE_A_SECRET;
use crate::failure::code;

/// The long help of `kaleyra send`, with the figures it names from where they live.
pub(super) fn send_help() -> String {
    format!(
        "\
Columns: `phone` or `to` is the recipient (such as +919876543210, or 98765 43210 with
--default-country IN); `1`, `2`, ... are the body's placeholders; `header` is the header's
value (its text placeholder or media URL);
`button0`, `button1`, ... are the buttons' values (a URL suffix, or a quick-reply payload).
Other columns are ignored. --map COLUMN=VALUE reads a value from a column of another name.
Columns are separated by the most frequent of comma, semicolon and tab in the header line,
or by --delimiter. A row longer than {max_row} MiB, with invalid UTF-8 or a NUL byte is a bad row.

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
KALEYRA_API (v1 or v2), KALEYRA_POD and KALEYRA_BASE_URL. --dry-run needs none of the first
three: the request it prints shows a stand-in for those not set.

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
        max_row = MAX_ROW_BYTES >> 20,
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_help_lists_every_exit_code() {
        let help = send_help();
        for exit in [
            code::SENT,
            code::INCOMPLETE,
            code::INPUT,
            code::JOURNAL,
            code::CONFIG,
            code::BLOCKED,
            code::INTERNAL,
            code::INTERRUPTED,
        ] {
            assert!(
                help.lines()
                    .any(|line| line.trim_start().starts_with(&format!("{exit} "))),
                "exit code {exit} is in the help"
            );
        }
    }
}
