//! Why a command stopped, and the exit code it stops with.

use std::fmt;
use std::process::ExitCode;

/// The exit codes of `kaleyra`, as `--help` documents them.
pub mod code {
    /// Every row of the campaign was sent.
    pub const SENT: u8 = 0;
    /// The run finished, but some rows failed or may not have been sent.
    pub const INCOMPLETE: u8 = 1;
    // 2: the command line was wrong, clap's own code.
    /// The template, the CSV or its rows were refused; nothing was sent.
    pub const INPUT: u8 = 3;
    /// The journal was refused (another campaign's, in use) or failed.
    pub const JOURNAL: u8 = 4;
    /// The environment does not configure a client.
    pub const CONFIG: u8 = 5;
    /// Kaleyra refused requests for a reason no row can succeed with (a
    /// wrong key, a number not on the account, the balance, a paused
    /// template): the campaign stopped and the unsent rows are pending.
    pub const BLOCKED: u8 = 6;
    /// A bug or an unexpected failure inside `kaleyra`.
    pub const INTERNAL: u8 = 70;
    /// Stopped by Ctrl-C (SIGINT) before the end: the requests in flight
    /// were recorded, the rest are pending. 128 + SIGINT, as shells report it.
    pub const INTERRUPTED: u8 = 130;
}

/// A command that stopped: what to print, and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// What went wrong, in lines.
    pub message: String,
}

impl Failure {
    /// The template, the CSV or its rows were refused.
    pub fn input(message: impl Into<String>) -> Self {
        Failure {
            code: code::INPUT,
            message: message.into(),
        }
    }

    /// The journal failed.
    pub fn journal(error: kaleyra_campaign::JournalError) -> Self {
        Failure {
            code: code::JOURNAL,
            message: error.to_string(),
        }
    }

    /// The journal given names none (an empty text, a URL that cannot be
    /// read): refused as a journal is, without quoting it, since a
    /// PostgreSQL URL may hold a password.
    pub fn journal_target(error: kaleyra_campaign::TargetError) -> Self {
        Failure {
            code: code::JOURNAL,
            message: error.to_string(),
        }
    }

    /// The environment is wrong.
    pub fn config(message: impl Into<String>) -> Self {
        Failure {
            code: code::CONFIG,
            message: message.into(),
        }
    }

    /// The campaign stopped on a refusal no row can succeed with.
    pub fn blocked(message: impl Into<String>) -> Self {
        Failure {
            code: code::BLOCKED,
            message: message.into(),
        }
    }

    /// Something that should not happen.
    pub fn internal(message: impl Into<String>) -> Self {
        Failure {
            code: code::INTERNAL,
            message: message.into(),
        }
    }

    /// The exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
