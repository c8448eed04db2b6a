//! Showing a run's progress: a bar on a terminal, a line every few seconds
//! otherwise (a log, a CI job).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use kaleyra_campaign::RunProgress;

/// How often a plain progress line is printed.
const LINE_EVERY: Duration = Duration::from_secs(2);

/// Where progress goes: stderr, so stdout keeps only the summary.
pub enum Progress {
    /// A bar, on a terminal.
    Bar(ProgressBar),
    /// Lines, when stderr is not a terminal.
    Lines {
        /// When the run started.
        started: Instant,
        /// When the last line was printed.
        last: Mutex<Instant>,
    },
}

impl Progress {
    /// A bar for `total` rows when stderr is a terminal, lines otherwise.
    pub fn new(total: u64) -> Progress {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} rows, {per_sec}, ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            Progress::Bar(bar)
        } else {
            let now = Instant::now();
            Progress::Lines {
                started: now,
                last: Mutex::new(now),
            }
        }
    }

    /// Shows `progress`.
    pub fn update(&self, progress: RunProgress) {
        match self {
            Progress::Bar(bar) => {
                bar.set_position(progress.done());
                bar.set_message(format!(
                    "(sent {}, failed {}, unknown {})",
                    progress.sent, progress.failed, progress.unknown
                ));
            }
            Progress::Lines { started, last } => {
                let mut last = last
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if last.elapsed() < LINE_EVERY {
                    return;
                }
                *last = Instant::now();
                let elapsed = started.elapsed().as_secs_f64().max(f64::EPSILON);
                eprintln!(
                    "progress: {}/{} rows: sent {}, failed {}, unknown {} ({:.0} msg/s)",
                    progress.done(),
                    progress.total,
                    progress.sent,
                    progress.failed,
                    progress.unknown,
                    progress.done() as f64 / elapsed
                );
            }
        }
    }

    /// Removes the bar, if any.
    pub fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
