//! What `kaleyra send` says of a campaign: the rows the check refused or
//! skipped, the numbers sent in another form than written, and at the end
//! the journal's counts, the failures by code, and the exit code they mean.

use kaleyra_campaign::{Blocked, FailureCount, JournalError, MAX_PASSES, Summary};

use super::account::what_to_do;
use super::args::SendArgs;
use super::check::Checked;
use super::deliver::Delivery;
use super::journal::CampaignJournal;
use crate::failure::{Failure, code};

/// Says how the send ended, from `delivery` and the journal's counts;
/// closes the journal; the exit code.
pub async fn finish(
    campaign: CampaignJournal,
    delivery: Delivery,
    template: &str,
    resend_unknown: bool,
) -> Result<u8, Failure> {
    let journal = &campaign.journal;
    let failures = journal.failures_by_code().await.map_err(Failure::journal);
    let summary = match delivery.result {
        Ok(summary) => summary,
        Err(JournalError::Blocked(blocked)) => {
            journal.close().await;
            println!("{template}: {}", blocked.summary);
            print_failures(&failures?);
            return Err(Failure::blocked(describe_blocked(&blocked)));
        }
        Err(error) => return Err(Failure::journal(error)),
    };
    journal.close().await;
    let exit = report(template, &summary, resend_unknown, delivery.stopped);
    print_failures(&failures?);
    eprintln!(
        "campaign {}: this run took {}",
        campaign.campaign_id(),
        crate::progress::elapsed(delivery.took)
    );
    if delivery.stopped && !summary.is_complete() {
        println!("stopped; rerun the same command to send the rest");
        return Ok(code::INTERRUPTED);
    }
    Ok(exit)
}

/// Why the rows are refused: some are bad and --skip-invalid was not given,
/// or none is left to send.
pub fn refusal(args: &SendArgs, checked: &Checked) -> Option<Failure> {
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

pub fn report_skipped(args: &SendArgs, checked: &Checked) {
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
pub fn report_rewritten(args: &SendArgs, checked: &Checked) {
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        args: SendArgs,
    }

    fn args(flags: &[&str]) -> SendArgs {
        let command = ["send", "--template", "ticket", "--csv", "june.csv"];
        Command::parse_from(command.iter().chain(flags)).args
    }

    fn checked(valid: u64, invalid: &[u64], repeats: &[(u64, u64)]) -> Checked {
        Checked {
            valid,
            invalid: invalid.len() as u64,
            problems: invalid
                .iter()
                .map(|line| (*line, "invalid to".to_owned()))
                .collect(),
            repeated: repeats.len() as u64,
            repeats: repeats
                .iter()
                .map(|(line, earlier)| (*line, "+919811111114".to_owned(), *earlier))
                .collect(),
            ..Checked::default()
        }
    }

    #[test]
    fn a_header_without_rows_is_refused() {
        let refused = refusal(&args(&[]), &checked(0, &[], &[])).unwrap();
        assert_eq!(refused.message, "june.csv has a header but no rows");
    }

    #[test]
    fn invalid_rows_are_refused_by_line_unless_skip_invalid() {
        let refused = refusal(&args(&[]), &checked(2, &[4], &[])).unwrap();
        assert!(
            refused.message.contains("1 of 3 rows are invalid"),
            "{refused}"
        );
        assert!(
            refused.message.contains("\n  line 4: invalid to"),
            "{refused}"
        );
        assert!(refusal(&args(&["--skip-invalid"]), &checked(2, &[4], &[])).is_none());
        let none_valid = refusal(&args(&["--skip-invalid"]), &checked(0, &[4], &[])).unwrap();
        assert!(
            none_valid.message.contains("no row is valid"),
            "{none_valid}"
        );
    }

    #[test]
    fn repeated_numbers_are_refused_with_both_lines_unless_dedupe() {
        let refused = refusal(&args(&[]), &checked(2, &[], &[(5, 2)])).unwrap();
        assert!(
            refused
                .message
                .contains("line 5: +919811111114 is also on line 2"),
            "{refused}"
        );
        assert!(refusal(&args(&["--dedupe"]), &checked(2, &[], &[(5, 2)])).is_none());
    }

    #[test]
    fn the_exit_code_says_whether_every_row_was_sent() {
        let mut summary = Summary::default();
        summary.sent = 3;
        summary.skipped = 1;
        assert_eq!(report("ticket", &summary, false, false), code::SENT);
        summary.failed = 1;
        assert_eq!(report("ticket", &summary, false, false), code::INCOMPLETE);
    }
}
