//! Sending the journal's rows: at the pace `--rate` sets, with progress on
//! stderr, until every row is done, Ctrl-C stops it, or Kaleyra refuses
//! what no row can succeed with.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use kaleyra_campaign::{
    ClaimedRow, Journal, JournalError, RunProgress, SendOptions, StopHandle, Summary,
};
use kaleyra_definitions::TemplateDefinition;
use kaleyra_runtime::callbacks::CallbackUrl;
use kaleyra_runtime::{Client, TemplateMessage};

use super::check::reference;
use crate::failure::Failure;
use crate::progress::Progress;
use crate::row::RowValues;

/// How each claimed row's message is built from the values the journal keeps.
pub struct Messages {
    /// The template's definition.
    pub definition: Arc<TemplateDefinition>,
    /// The language sent.
    pub language: String,
    /// The campaign's id, the first part of each `ref`.
    pub campaign_id: String,
    /// Where Kaleyra posts each message's statuses, if anywhere.
    pub callback_url: Option<CallbackUrl>,
}

impl Messages {
    /// The message of the row at `line`, from its `payload`.
    pub fn message(&self, line: u64, payload: &str) -> Result<TemplateMessage, String> {
        let values: RowValues = serde_json::from_str(payload).map_err(|error| {
            format!("the journal's values for line {line} cannot be read: {error}")
        })?;
        let message = values.message(
            &self.definition,
            &self.language,
            reference(&self.campaign_id, line),
        )?;
        Ok(match &self.callback_url {
            Some(url) => message.callback_url(url),
            None => message,
        })
    }
}

/// How the send ended.
pub struct Delivery {
    /// The journal's counts, or why the campaign stopped.
    pub result: Result<Summary, JournalError>,
    /// Whether Ctrl-C stopped it.
    pub stopped: bool,
    /// How long it took.
    pub took: Duration,
}

/// Sends the rows of `journal` still to send, building each with `messages`.
pub async fn send(
    journal: &Journal,
    client: &Client,
    options: SendOptions,
    messages: Messages,
) -> Result<Delivery, Failure> {
    stop_on_ctrl_c(&options.stop);
    let started = Instant::now();
    let progress = Progress::new(
        journal
            .to_send(options.resend_unknown)
            .await
            .map_err(Failure::journal)?,
    );
    let build = move |row: &ClaimedRow| messages.message(row.line, &row.payload);
    let last = Mutex::new(None::<RunProgress>);
    let result = kaleyra_campaign::send(journal, client, &options, build, |run| {
        progress.update(run);
        *last.lock().unwrap_or_else(PoisonError::into_inner) = Some(run);
    })
    .await;
    progress.finish();
    let last = last.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Some(run) = last.filter(|run| run.throttles > 0) {
        eprintln!(
            "{}",
            describe_throttles(run.throttles, run.rate, options.rate_limit)
        );
    }
    Ok(Delivery {
        result,
        stopped: options.stop.is_stopped(),
        took: started.elapsed(),
    })
}

/// The first Ctrl-C stops the run gracefully: no new row starts, the
/// requests in flight finish and are recorded. A second one quits at once
/// (rows in flight are then `unknown`).
fn stop_on_ctrl_c(stop: &StopHandle) {
    let stop = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        eprintln!("stopping: finishing the requests in flight (Ctrl-C again to quit now)");
        stop.stop();
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(130);
        }
    });
}

/// How often the run slowed down, and how fast it ended.
fn describe_throttles(throttles: u64, rate: Option<f64>, limit: Option<f64>) -> String {
    let now = match rate {
        Some(rate) => crate::progress::rate(rate),
        None => "no limit".to_owned(),
    };
    let limit = match limit {
        Some(rate) => crate::progress::rate(rate),
        None => "no limit (--rate off)".to_owned(),
    };
    format!(
        "note: Kaleyra said the campaign sent too fast (429, 503 or Meta's 130429) and it slowed down {throttles} time(s), \
         honouring Retry-After; it ended at {now}, with --rate at {limit}"
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn messages(callback_url: Option<CallbackUrl>) -> Messages {
        let json = r#"{"name":"ticket","language":"en","status":"APPROVED","category":"UTILITY","parameter_format":"POSITIONAL","components":[{"type":"BODY","text":"Hi {{1}}"}]}"#;
        let definition =
            TemplateDefinition::from_slice(json.as_bytes(), Path::new("ticket.en.json")).unwrap();
        Messages {
            definition: Arc::new(definition),
            language: "en".to_owned(),
            campaign_id: "c1".to_owned(),
            callback_url,
        }
    }

    #[test]
    fn a_row_is_sent_with_its_values_and_its_ref() {
        let message = messages(Some(CallbackUrl::from("https://example.com/s")))
            .message(7, r#"{"params":["Asha"]}"#)
            .unwrap();
        let shown = format!("{message:?}");
        assert!(shown.contains("Asha"), "{shown}");
        assert!(shown.contains("c1:7"), "{shown}");
        assert!(shown.contains("https://example.com/s"), "{shown}");
    }

    #[test]
    fn values_that_do_not_read_name_their_line() {
        let refused = messages(None).message(9, "not json").unwrap_err();
        assert!(
            refused.starts_with("the journal's values for line 9 cannot be read"),
            "{refused}"
        );
    }

    #[test]
    fn the_throttle_note_says_how_often_and_the_rate_it_ended_at() {
        let note = describe_throttles(2, Some(5.0), Some(20.0));
        assert!(note.contains("slowed down 2 time(s)"), "{note}");
        assert!(
            note.contains("ended at 5.0/s, with --rate at 20/s"),
            "{note}"
        );
    }
}
