//! `kaleyra`: send a campaign of approved WhatsApp templates from a CSV,
//! through a journal that makes a rerun after a crash safe.

mod callbacks;
mod columns;
mod failure;
mod progress;
mod recipient;
mod report;
mod row;
mod send;
mod templates;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::failure::{Failure, code};

/// Send approved WhatsApp templates through Kaleyra.
#[derive(Debug, Parser)]
#[command(name = "kaleyra", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send a template to every row of a CSV; rerun to resume after a crash.
    Send(send::SendArgs),
    /// Read a campaign's journal.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// The account's templates: pull them into `templates/`, check the files against the account, import a saved list; write, lint, push, follow and delete templates as code.
    #[command(subcommand)]
    Templates(templates::TemplatesCommand),
}

#[derive(Debug, Subcommand)]
enum JournalCommand {
    /// Write one CSV line per row: line, phone, state, message id, last status, attempts, error, the phone as written, the failed status's code and title.
    Report(report::ReportArgs),
    /// Record Kaleyra's status callbacks (delivered, read, failed) in the journal.
    ServeCallbacks(callbacks::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(code::INTERNAL);
        }
    };
    let result: Result<u8, Failure> = runtime.block_on(async {
        match cli.command {
            Command::Send(args) => send::run(args).await,
            Command::Journal(JournalCommand::Report(args)) => report::run(args).await,
            Command::Journal(JournalCommand::ServeCallbacks(args)) => callbacks::run(args).await,
            Command::Templates(command) => templates::run(command).await,
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit_code()
        }
    }
}
