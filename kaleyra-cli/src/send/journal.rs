//! The campaign's journal: opened by the campaign's fingerprint (so another
//! campaign's is refused and a moved folder resumes), loaded with every
//! row's verdict in one transaction, or resumed when it is loaded already.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kaleyra_campaign::{Fingerprint, Journal, JournalError, JournalOptions, JournalTarget, Loader};
use kaleyra_definitions::TemplateDefinition;

use super::check::Verdict;
use super::source;
use crate::columns::Columns;
use crate::failure::Failure;
use crate::row::RowValues;

/// The `error_kind` of a row skipped because it is invalid.
const INVALID: &str = "invalid";
/// The `error_kind` of a row skipped because an earlier row has its number.
const DUPLICATE: &str = "duplicate";

/// A campaign's journal, open for this run.
pub struct CampaignJournal {
    /// The journal.
    pub journal: Journal,
    /// Where it is, as given or beside the CSV.
    path: PathBuf,
    /// Whether this run created its file (removed again if the load is refused).
    created: bool,
    /// The campaign's id, from its fingerprint.
    campaign_id: String,
    /// The CSV as this run's fingerprint names it.
    source: String,
}

impl CampaignJournal {
    /// Opens the journal at `journal` (or beside `csv`) for the campaign of
    /// `csv`, `definition` in `language` and `columns`; refused if it is
    /// another campaign's.
    pub async fn open(
        journal: Option<&Path>,
        csv: &Path,
        definition: &TemplateDefinition,
        language: &str,
        columns: &Columns<'_>,
        lease: Duration,
    ) -> Result<CampaignJournal, Failure> {
        let path = journal.map_or_else(|| default_journal(csv), Path::to_owned);
        let target = JournalTarget::from_path(&path).map_err(Failure::journal_target)?;
        let fingerprint = fingerprint(csv, definition, language, columns, target.is_postgres())?;
        let campaign_id = fingerprint.campaign_id();
        let source = fingerprint.source.clone();
        let created = !target.is_postgres() && !path.exists();
        let options = JournalOptions::campaign(fingerprint).lease(lease);
        let journal = Journal::open(target, options)
            .await
            .map_err(Failure::journal)?;
        Ok(CampaignJournal {
            journal,
            path,
            created,
            campaign_id,
            source,
        })
    }

    /// The campaign's id, the first part of each row's `ref`.
    pub fn campaign_id(&self) -> &str {
        &self.campaign_id
    }

    /// A loader of the campaign's rows, or `None` when they are loaded
    /// already. Workers starting together on PostgreSQL: one loads, the
    /// others wait for it and find the rows loaded.
    pub async fn loader(&self) -> Result<Option<Loader>, Failure> {
        if self.journal.is_loaded().await.map_err(Failure::journal)? {
            return Ok(None);
        }
        match self.journal.loader().await {
            Ok(loader) => Ok(Some(loader)),
            Err(JournalError::AlreadyLoaded { .. }) => Ok(None),
            Err(error) => Err(Failure::journal(error)),
        }
    }

    /// Closes a journal whose load was refused, and removes it if this run
    /// created it, so a refused campaign leaves nothing behind.
    pub async fn discard(self, loader: Loader) {
        drop(loader);
        self.journal.close().await;
        let CampaignJournal {
            journal,
            path,
            created,
            ..
        } = self;
        drop(journal);
        if created {
            remove_journal(&path);
        }
    }

    /// Says the campaign resumes, with its counts so far, and where its rows
    /// were loaded from when that is not where this run read the CSV.
    pub async fn resume(&self) -> Result<(), Failure> {
        let summary = self.journal.summary().await.map_err(Failure::journal)?;
        eprintln!(
            "campaign {}: resuming {}: {summary}",
            self.campaign_id,
            self.journal.target()
        );
        let loaded_from = &self.journal.fingerprint().source;
        if *loaded_from != self.source {
            eprintln!(
                "note: its rows were loaded from {loaded_from}; {} has the same content, so it is the same campaign",
                self.source
            );
        }
        Ok(())
    }
}

/// Records a row's `verdict` in the journal `loader` loads: a valid row
/// pending, the others skipped with why.
pub async fn keep(loader: &mut Loader, verdict: Verdict) -> Result<(), Failure> {
    match verdict {
        Verdict::Valid {
            line,
            recipient,
            values,
        } => {
            loader
                .add(line, &recipient, &payload_of(&values, line)?)
                .await
        }
        Verdict::Repeat {
            line,
            recipient,
            reason,
            values,
        } => {
            let payload = payload_of(&values, line)?;
            loader
                .skip(line, &recipient, &payload, DUPLICATE, &reason)
                .await
        }
        Verdict::Invalid {
            line,
            values,
            reason,
        } => {
            let payload = match values {
                Some(values) => payload_of(&values, line)?,
                None => "{}".to_owned(),
            };
            loader.skip(line, "", &payload, INVALID, &reason).await
        }
    }
    .map_err(Failure::journal)
}

/// A row's values as the journal keeps them.
fn payload_of(values: &RowValues, line: u64) -> Result<String, Failure> {
    serde_json::to_string(values)
        .map_err(|error| Failure::internal(format!("encoding line {line}: {error}")))
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
    fn the_journal_is_beside_the_csv_named_after_it() {
        assert_eq!(
            default_journal(Path::new("/data/june.csv")),
            Path::new("/data/june.journal.db")
        );
        assert_eq!(
            default_journal(Path::new("list")),
            Path::new("list.journal.db")
        );
    }

    fn definition() -> TemplateDefinition {
        let json = r#"{"name":"ticket","language":"en","status":"APPROVED","category":"UTILITY","parameter_format":"POSITIONAL","components":[{"type":"BODY","text":"Hi {{1}}"}]}"#;
        TemplateDefinition::from_slice(json.as_bytes(), Path::new("ticket.en.json")).unwrap()
    }

    /// A CSV `june.csv` in `dir`.
    fn csv(dir: &Path) -> PathBuf {
        let csv = dir.join("june.csv");
        std::fs::write(&csv, "phone,1\n+919811111114,Asha\n").unwrap();
        csv
    }

    fn values(param: &str) -> RowValues {
        RowValues {
            params: vec![param.to_owned()],
            header: None,
            buttons: Vec::new(),
            phone_as_written: None,
        }
    }

    #[tokio::test]
    async fn valid_rows_are_loaded_pending_and_the_others_skipped_with_why() {
        let dir = tempfile::tempdir().unwrap();
        let definition = definition();
        let headers = ["phone".to_owned(), "1".to_owned()];
        let columns = Columns::resolve(&headers, &definition, &[]).unwrap();
        let csv = csv(dir.path());
        let lease = Duration::from_secs(30);
        let campaign = CampaignJournal::open(None, &csv, &definition, "en", &columns, lease)
            .await
            .unwrap();
        let mut loader = campaign.loader().await.unwrap().expect("not loaded yet");
        let verdicts = [
            Verdict::Valid {
                line: 2,
                recipient: "+919811111114".to_owned(),
                values: values("Asha"),
            },
            Verdict::Repeat {
                line: 3,
                recipient: "+919811111114".to_owned(),
                reason: "+919811111114 is also on line 2".to_owned(),
                values: values("Ravi"),
            },
            Verdict::Invalid {
                line: 4,
                values: None,
                reason: "has 1 fields, the header has 2".to_owned(),
            },
        ];
        for verdict in verdicts {
            keep(&mut loader, verdict).await.unwrap();
        }
        loader.commit().await.unwrap();
        let summary = campaign.journal.summary().await.unwrap();
        assert_eq!((summary.pending, summary.skipped), (1, 2));
        let rows = campaign.journal.rows(0, 10).await.unwrap();
        let kept = rows
            .iter()
            .map(|row| (row.line, row.error_kind.as_deref(), row.error.as_deref()))
            .collect::<Vec<_>>();
        assert_eq!(
            kept,
            [
                (2, None, None),
                (3, Some(DUPLICATE), Some("+919811111114 is also on line 2")),
                (4, Some(INVALID), Some("has 1 fields, the header has 2")),
            ]
        );
        campaign.journal.close().await;
        drop(campaign); // and its lock

        let reopened = CampaignJournal::open(None, &csv, &definition, "en", &columns, lease)
            .await
            .unwrap();
        assert!(reopened.loader().await.unwrap().is_none(), "it resumes");
        reopened.journal.close().await;
    }

    #[tokio::test]
    async fn a_refused_load_leaves_no_journal_behind() {
        let dir = tempfile::tempdir().unwrap();
        let definition = definition();
        let headers = ["phone".to_owned(), "1".to_owned()];
        let columns = Columns::resolve(&headers, &definition, &[]).unwrap();
        let csv = csv(dir.path());
        let campaign = CampaignJournal::open(
            None,
            &csv,
            &definition,
            "en",
            &columns,
            Duration::from_secs(30),
        )
        .await
        .unwrap();
        let loader = campaign.loader().await.unwrap().unwrap();
        campaign.discard(loader).await;
        let left = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect::<Vec<_>>();
        assert_eq!(left, ["june.csv"]);
    }

    #[test]
    fn a_shared_journal_names_the_csv_by_its_file_name_only() {
        let dir = tempfile::tempdir().unwrap();
        let definition = definition();
        let csv = csv(dir.path());
        let headers = ["phone".to_owned(), "1".to_owned()];
        let columns = Columns::resolve(&headers, &definition, &[]).unwrap();
        let shared = fingerprint(&csv, &definition, "en", &columns, true).unwrap();
        assert_eq!(shared.source, "june.csv");
        let local = fingerprint(&csv, &definition, "en", &columns, false).unwrap();
        assert!(local.source.ends_with("june.csv") && local.source.len() > "june.csv".len());
        assert_eq!(
            shared.campaign_id(),
            local.campaign_id(),
            "the campaign is its content, not where the CSV is"
        );
    }
}
