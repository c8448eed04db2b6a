//! `kaleyra journal report`: one CSV line per row of a journal.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use kaleyra_campaign::{Journal, JournalOptions, JournalTarget};

use crate::failure::{Failure, code};
use crate::row::RowValues;

/// Opens the journal at `location`, a `postgres://` URL or an SQLite file,
/// as `kaleyra send` loaded it.
pub async fn open_existing(location: &std::path::Path) -> Result<Journal, Failure> {
    let target = JournalTarget::from_path(location).map_err(Failure::journal_target)?;
    Journal::open(target, JournalOptions::existing())
        .await
        .map_err(Failure::journal)
}

/// How many rows are read from the journal at once: memory stays flat.
const PAGE: usize = 1000;

/// The arguments of `kaleyra journal report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The journal of a campaign `kaleyra send` loaded: an SQLite file or a
    /// `postgres://` URL.
    #[arg(long, env = "KALEYRA_JOURNAL")]
    pub journal: PathBuf,
    /// Where to write the report, a CSV file; `-` for stdout. (`--csv`, its
    /// name before, still works.)
    #[arg(long, short, alias = "csv", value_name = "FILE")]
    pub output: PathBuf,
}

/// Writes `line,phone,state,message_id,last_status,attempts,error_kind,error,phone_as_written,error_code,error_title`
/// for every row of the journal, in line order: `phone` is the number sent,
/// `phone_as_written` the CSV's; `error_code` and `error_title` are those of
/// the row's `failed` status (Meta's code, kept as sent when this tool does
/// not know it). The new columns come last, so scripts reading the others by
/// position keep working. Failures are then counted by code on stderr.
pub async fn run(args: ReportArgs) -> Result<u8, Failure> {
    let journal = open_existing(&args.journal).await?;
    let out: Box<dyn Write> = if args.output.as_os_str() == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(File::create(&args.output).map_err(|error| {
            Failure::input(format!("cannot create {}: {error}", args.output.display()))
        })?)
    };
    let mut writer = csv::Writer::from_writer(out);
    match write_rows(&journal, &mut writer).await {
        Ok(()) => {}
        // The reader went away (`| head`): stop quietly, as git and cargo do.
        Err(Stop::Closed) => {
            journal.close().await;
            return Ok(code::SENT);
        }
        Err(Stop::Journal(failure)) => return Err(failure),
        Err(Stop::Write(error)) => {
            return Err(Failure::input(format!(
                "cannot write {}: {error}",
                args.output.display()
            )));
        }
    }
    let summary = journal.summary().await.map_err(Failure::journal)?;
    eprintln!("{}: {summary}", journal.fingerprint().template);
    for group in journal.failures_by_code().await.map_err(Failure::journal)? {
        eprintln!(
            "failed with {} ({}): {} rows",
            group.code,
            group
                .title
                .as_deref()
                .unwrap_or("a code this tool does not know"),
            group.rows
        );
    }
    journal.close().await;
    Ok(code::SENT)
}

/// Why writing the report stopped early.
enum Stop {
    /// Whoever reads the output closed it.
    Closed,
    /// The output could not be written.
    Write(std::io::Error),
    /// The journal could not be read.
    Journal(Failure),
}

impl From<csv::Error> for Stop {
    fn from(error: csv::Error) -> Self {
        match error.into_kind() {
            csv::ErrorKind::Io(error) => Stop::from(error),
            other => Stop::Write(std::io::Error::other(format!("{other:?}"))),
        }
    }
}

impl From<std::io::Error> for Stop {
    fn from(error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            Stop::Closed
        } else {
            Stop::Write(error)
        }
    }
}

/// The header and every row of `journal`, in line order.
async fn write_rows(
    journal: &Journal,
    writer: &mut csv::Writer<Box<dyn Write>>,
) -> Result<(), Stop> {
    writer.write_record([
        "line",
        "phone",
        "state",
        "message_id",
        "last_status",
        "attempts",
        "error_kind",
        "error",
        "phone_as_written",
        "error_code",
        "error_title",
    ])?;
    let mut after = 0;
    loop {
        let rows = journal
            .rows(after, PAGE)
            .await
            .map_err(|error| Stop::Journal(Failure::journal(error)))?;
        let Some(last) = rows.last() else { break };
        after = last.line;
        for row in &rows {
            // A payload that does not read (another tool's journal) has no
            // other form: the number was sent as written.
            let written = serde_json::from_str::<RowValues>(&row.payload)
                .ok()
                .and_then(|values| values.phone_as_written);
            writer.write_record([
                row.line.to_string().as_str(),
                &row.recipient,
                row.state.as_str(),
                row.message_id.as_deref().unwrap_or_default(),
                row.last_status.as_deref().unwrap_or_default(),
                row.attempts.to_string().as_str(),
                row.error_kind.as_deref().unwrap_or_default(),
                row.error.as_deref().unwrap_or_default(),
                written.as_deref().unwrap_or(&row.recipient),
                row.error_code.as_deref().unwrap_or_default(),
                row.error_title.as_deref().unwrap_or_default(),
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}
