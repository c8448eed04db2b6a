//! What [`crate::Journal::open`] takes: where the journal is (an SQLite
//! file or a PostgreSQL database) and how to open it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::fingerprint::Fingerprint;

/// How long a PostgreSQL worker's claims last without renewal, unless told.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// Where a journal is kept.
///
/// Parsed from text with [`str::parse`] (or from a command line's path with
/// [`JournalTarget::from_path`]): a `postgres://` or `postgresql://` URL is a
/// PostgreSQL database, anything else a path to an SQLite file. Displayed
/// (and named in errors) as the path, or as the URL with its password
/// replaced by `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JournalTarget {
    /// An SQLite file, used by one process at a time.
    Sqlite(PathBuf),
    /// A PostgreSQL database, shared by any number of workers.
    Postgres(PostgresUrl),
}

impl JournalTarget {
    /// The target a command line's path names: parsed as [`str::parse`]
    /// does when it is UTF-8, and otherwise (no URL is) an SQLite file.
    pub fn from_path(location: &Path) -> Result<JournalTarget, TargetError> {
        match location.to_str() {
            Some(text) => text.parse(),
            None => Ok(JournalTarget::Sqlite(location.to_owned())),
        }
    }

    /// Whether it is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        matches!(self, JournalTarget::Postgres(_))
    }
}

impl FromStr for JournalTarget {
    type Err = TargetError;

    /// A `postgres://` or `postgresql://` URL, or else an SQLite file's path.
    /// Refused: an empty text, and a URL of another scheme (`sqlite://…`,
    /// `mysql://…`), which would otherwise be taken for a file's path.
    fn from_str(location: &str) -> Result<JournalTarget, TargetError> {
        if location.is_empty() {
            return Err(TargetError::Empty);
        }
        match url_scheme(location) {
            None => Ok(JournalTarget::Sqlite(PathBuf::from(location))),
            Some(_) => location.parse().map(JournalTarget::Postgres),
        }
    }
}

impl fmt::Display for JournalTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JournalTarget::Sqlite(path) => path.display().fmt(f),
            JournalTarget::Postgres(url) => url.fmt(f),
        }
    }
}

/// The schemes that name a PostgreSQL database.
const POSTGRES_SCHEMES: [&str; 2] = ["postgres", "postgresql"];

/// The scheme of `location` when it reads as a URL, `<scheme>://…`: a
/// letter, then letters, digits, `+`, `-` or `.` (RFC 3986). One letter
/// alone is a Windows drive (`C://journal.db`), not a scheme.
fn url_scheme(location: &str) -> Option<&str> {
    let (scheme, _) = location.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && scheme.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// The URL of a PostgreSQL journal. It may hold a password: its
/// [`Debug`](fmt::Debug) and [`Display`](fmt::Display) show `***` in its
/// place, and nothing public gives the URL as written.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresUrl {
    /// As given: what the driver connects with.
    url: String,
    /// With the password replaced: how the journal is named.
    redacted: String,
}

impl PostgresUrl {
    /// The URL as given, password included: for connecting only.
    pub(crate) fn connect_str(&self) -> &str {
        &self.url
    }
}

impl FromStr for PostgresUrl {
    type Err = TargetError;

    /// A `postgres://` or `postgresql://` URL that [`url::Url`] can read.
    fn from_str(text: &str) -> Result<PostgresUrl, TargetError> {
        let Some(scheme) = url_scheme(text) else {
            return Err(TargetError::InvalidUrl {
                reason: "it does not start with postgres:// or postgresql://".to_owned(),
            });
        };
        if !POSTGRES_SCHEMES
            .iter()
            .any(|known| scheme.eq_ignore_ascii_case(known))
        {
            return Err(TargetError::UnknownScheme {
                scheme: scheme.to_owned(),
            });
        }
        // The parser's errors say what is wrong without quoting the text.
        let mut parsed = url::Url::parse(text).map_err(|error| TargetError::InvalidUrl {
            reason: error.to_string(),
        })?;
        if parsed.password().is_some() {
            // Only a URL that cannot have a host refuses a password, and a
            // `postgres://` URL always has one.
            let _ = parsed.set_password(Some("***"));
        }
        Ok(PostgresUrl {
            url: text.to_owned(),
            redacted: parsed.to_string(),
        })
    }
}

impl fmt::Display for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PostgresUrl").field(&self.redacted).finish()
    }
}

/// Why a text names no journal. It never quotes the text, which may be a
/// URL with a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// Nothing was given.
    #[error("the journal is empty: give an SQLite file or a postgres:// URL")]
    Empty,
    /// A URL whose scheme is not PostgreSQL's.
    #[error(
        "the journal is a `{scheme}://` URL: give an SQLite file's path, or a postgres:// (or postgresql://) URL"
    )]
    UnknownScheme {
        /// The scheme given, such as `sqlite`.
        scheme: String,
    },
    /// A `postgres://` URL that cannot be read.
    #[error(
        "the journal's postgres:// URL cannot be read: {reason} (the URL is not repeated here, since it may hold a password)"
    )]
    InvalidUrl {
        /// What is wrong with it, such as `invalid port number`.
        reason: String,
    },
}

/// How [`crate::Journal::open`] opens a journal: for a campaign to send
/// ([`JournalOptions::campaign`]), or an existing one to report on
/// ([`JournalOptions::existing`]) or to record statuses in while another
/// process sends ([`JournalOptions::statuses`]); and, on PostgreSQL, the
/// lease of this worker's claims ([`JournalOptions::lease`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct JournalOptions {
    /// The campaign to send, or `None` for an existing journal, opened with
    /// the fingerprint it recorded.
    pub(crate) campaign: Option<Fingerprint>,
    /// Whether the sender may have the journal open too: an SQLite journal
    /// is then neither locked nor migrated, and rows being sent are left
    /// as they are.
    pub(crate) beside_sender: bool,
    pub(crate) lease: Duration,
}

impl JournalOptions {
    /// To send the campaign `fingerprint` names: the journal is created if
    /// missing, its schema brought up to date, and an SQLite journal locked
    /// (through `<path>.lock`) so no other process sends it at once.
    ///
    /// A journal recorded with another fingerprint is refused with
    /// [`crate::JournalError::Mismatch`]. Rows a stopped run left `sending`
    /// in an SQLite journal become `unknown`: their request may have
    /// reached Kaleyra.
    pub fn campaign(fingerprint: Fingerprint) -> JournalOptions {
        JournalOptions {
            campaign: Some(fingerprint),
            beside_sender: false,
            lease: DEFAULT_LEASE,
        }
    }

    /// To report on an existing, loaded journal, with the fingerprint it
    /// recorded: migrated and locked as [`JournalOptions::campaign`] does,
    /// and refused with [`crate::JournalError::NotLoaded`] when there is no
    /// such SQLite file or no campaign was loaded into it. On PostgreSQL it
    /// joins as a worker that claims nothing.
    pub fn existing() -> JournalOptions {
        JournalOptions {
            campaign: None,
            beside_sender: false,
            lease: DEFAULT_LEASE,
        }
    }

    /// To record status callbacks with [`crate::Journal::record_status`]
    /// in an existing journal while `kaleyra send` (or [`crate::send`]) may
    /// be sending from it: an SQLite journal is neither locked nor migrated
    /// (the sender does that before loading), and rows being sent are left
    /// as they are. [`crate::JournalError::NotLoaded`] until a campaign is
    /// loaded into it.
    pub fn statuses() -> JournalOptions {
        JournalOptions {
            campaign: None,
            beside_sender: true,
            lease: DEFAULT_LEASE,
        }
    }

    /// How long this worker's claims on a PostgreSQL journal last without
    /// renewal ([`DEFAULT_LEASE`] unless told); renewed in the background
    /// while the journal is open. Unused by SQLite.
    pub fn lease(mut self, lease: Duration) -> JournalOptions {
        self.lease = lease;
        self
    }

    /// Whether the journal must exist already (and hold a campaign).
    pub fn must_exist(&self) -> bool {
        self.campaign.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "s3cret-pass";

    #[test]
    fn a_postgres_url_is_a_database_and_anything_else_a_file() {
        let url = "postgres://kaleyra@db.example:5432/campaigns";
        let target: JournalTarget = url.parse().unwrap();
        assert!(target.is_postgres());
        assert_eq!(target.to_string(), url);
        let long: JournalTarget = "postgresql://db.example/campaigns".parse().unwrap();
        assert!(long.is_postgres());
        for file in [
            "campaign.journal.db",
            "/data/run 1/campaign.db",
            "postgres.db",
            "C://journal.db",
            "जर्नल.db",
        ] {
            assert_eq!(
                file.parse::<JournalTarget>().unwrap(),
                JournalTarget::Sqlite(PathBuf::from(file)),
                "{file}"
            );
        }
    }

    #[test]
    fn a_text_that_names_no_journal_is_refused_saying_why() {
        assert_eq!("".parse::<JournalTarget>(), Err(TargetError::Empty));
        assert_eq!(
            "sqlite://campaign.db".parse::<JournalTarget>(),
            Err(TargetError::UnknownScheme {
                scheme: "sqlite".into()
            })
        );
        let error = "postgres://kaleyra:pw@db.example:99999/campaigns"
            .parse::<JournalTarget>()
            .unwrap_err();
        assert_eq!(
            error,
            TargetError::InvalidUrl {
                reason: "invalid port number".into()
            }
        );
        assert!(error.to_string().contains("invalid port number"), "{error}");
        assert!(matches!(
            "https://db.example/x".parse::<PostgresUrl>(),
            Err(TargetError::UnknownScheme { .. })
        ));
    }

    #[test]
    fn a_urls_password_is_never_shown() {
        let url = format!("postgres://kaleyra:{SECRET}@db.example:5432/campaigns");
        let target: JournalTarget = url.parse().unwrap();
        let JournalTarget::Postgres(postgres) = &target else {
            panic!("{target:?}");
        };
        assert_eq!(postgres.connect_str(), url, "connects with the password");
        let redacted = "postgres://kaleyra:***@db.example:5432/campaigns";
        assert_eq!(target.to_string(), redacted);
        assert_eq!(postgres.to_string(), redacted);
        for shown in [
            format!("{target:?}"),
            format!("{target:#?}"),
            format!("{postgres:?}"),
            format!("{:?}", JournalTarget::from_path(Path::new(&url))),
        ] {
            assert!(!shown.contains(SECRET), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
        // Nor when the URL is refused.
        for refused in [
            format!("postgres://kaleyra:{SECRET}@db.example:99999/campaigns"),
            format!("postgres://kaleyra:{SECRET}@[bad/campaigns"),
            format!("mysql://kaleyra:{SECRET}@db.example/campaigns"),
        ] {
            let error = refused.parse::<JournalTarget>().unwrap_err();
            for shown in [error.to_string(), format!("{error:?}")] {
                assert!(!shown.contains(SECRET), "{shown}");
            }
        }
    }

    #[test]
    fn a_url_is_named_without_its_password() {
        let named = |url: &str| url.parse::<PostgresUrl>().map(|url| url.to_string());
        let with_password = named("postgres://kaleyra:s3cret-pass@db.example:5432/campaigns");
        let with_password = with_password.unwrap();
        assert!(!with_password.contains("s3cret-pass"), "{with_password}");
        assert_eq!(
            with_password,
            "postgres://kaleyra:***@db.example:5432/campaigns"
        );
        assert_eq!(
            named("postgres://kaleyra@db.example/campaigns").unwrap(),
            "postgres://kaleyra@db.example/campaigns"
        );
        // An unreadable URL is refused, and not quoted.
        let refused = named("postgres://a:b@[bad").unwrap_err();
        assert!(!refused.to_string().contains(":b@"), "{refused}");
    }

    #[test]
    fn a_non_utf8_path_is_a_file() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"journal-\xff.db"));
        assert_eq!(
            JournalTarget::from_path(path).unwrap(),
            JournalTarget::Sqlite(path.to_owned())
        );
    }

    #[test]
    fn options_say_whether_the_journal_must_exist() {
        let fingerprint = Fingerprint::new("t", "en", "d", "s", 1, "h", "m");
        assert!(!JournalOptions::campaign(fingerprint).must_exist());
        assert!(JournalOptions::existing().must_exist());
        assert!(JournalOptions::statuses().must_exist());
        assert_eq!(JournalOptions::existing().lease, DEFAULT_LEASE);
        let lease = Duration::from_secs(3);
        assert_eq!(JournalOptions::existing().lease(lease).lease, lease);
    }
}
