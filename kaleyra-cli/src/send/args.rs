//! The command line of `kaleyra send`: its flags, and how `--rate` and
//! `--map` are read.

use std::path::PathBuf;

use clap::Args;
use kaleyra_definitions::limits::TESTED_MESSAGES_PER_SECOND;
use kaleyra_runtime::Region;

use super::check::Repeats;
use super::help::send_help;
use super::source::{Delimiter, parse_delimiter};
use crate::recipient;

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
    /// What separates the CSV's columns: one character (`,` `;` `|`) or
    /// `tab`. Detected from the header line when not given: the most
    /// frequent of comma, semicolon and tab.
    #[arg(long, value_name = "CHARACTER", value_parser = parse_delimiter)]
    pub delimiter: Option<Delimiter>,
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

pub(super) fn parse_rate(text: &str) -> Result<Rate, String> {
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

impl SendArgs {
    /// What to do with a number that two rows give, as the flags say.
    pub fn repeats(&self) -> Repeats {
        if self.allow_duplicates {
            Repeats::Send
        } else if self.dedupe {
            Repeats::SkipLater
        } else {
            Repeats::Refuse
        }
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
    fn a_map_is_column_equals_value_trimmed() {
        assert_eq!(
            parse_map(" mobile = to "),
            Ok(("mobile".to_owned(), "to".to_owned()))
        );
        for bad in ["mobile", "=to", "mobile=", " = "] {
            assert!(
                parse_map(bad).unwrap_err().contains("is not COLUMN=VALUE"),
                "{bad}"
            );
        }
    }
}
