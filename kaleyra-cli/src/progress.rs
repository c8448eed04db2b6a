//! Showing a run's progress: a bar on a terminal, a line every few seconds
//! otherwise (a log, a CI job).

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
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
                // The bar takes what the terminal's width leaves, so the
                // line never wraps; the rate is rounded like the lines'.
                ProgressStyle::with_template(
                    "{wide_bar} {pos}/{len} rows, {rate}, ETA {eta} {msg}",
                )
                .map(|style| {
                    style.with_key(
                        "rate",
                        |state: &ProgressState, out: &mut dyn std::fmt::Write| {
                            let _ = out.write_str(&rate(state.per_sec()));
                        },
                    )
                })
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
                    "progress: {}/{} rows: sent {}, failed {}, unknown {} ({})",
                    progress.done(),
                    progress.total,
                    progress.sent,
                    progress.failed,
                    progress.unknown,
                    rate(progress.done() as f64 / elapsed)
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

/// Messages per second as a person reads them: `49/s`, `2.5/s` below ten.
pub fn rate(per_second: f64) -> String {
    if !per_second.is_finite() {
        return "-/s".to_owned();
    }
    if per_second < 10.0 {
        format!("{per_second:.1}/s")
    } else {
        format!("{per_second:.0}/s")
    }
}

/// A duration as a person reads it: `850ms`, `41.2s`, `12m 5s`, `2h 3m`.
pub fn elapsed(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0 => format!("{}ms", duration.as_millis()),
        1..60 => format!("{:.1}s", duration.as_secs_f64()),
        60..3600 => format!("{}m {}s", seconds / 60, seconds % 60),
        _ => format!("{}h {}m", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_rounded_for_reading() {
        assert_eq!(rate(49.2054), "49/s");
        assert_eq!(rate(2.46), "2.5/s");
        assert_eq!(rate(f64::NAN), "-/s");
        assert_eq!(rate(f64::INFINITY), "-/s");
    }

    #[test]
    fn durations_are_shown_in_their_largest_units() {
        assert_eq!(elapsed(Duration::from_millis(850)), "850ms");
        assert_eq!(elapsed(Duration::from_millis(41_230)), "41.2s");
        assert_eq!(elapsed(Duration::from_secs(725)), "12m 5s");
        assert_eq!(elapsed(Duration::from_secs(7_380)), "2h 3m");
    }
}
