//! Sending a journal's rows through `Client::send_many_stream`, recording
//! each row's state before and after its request.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use futures::stream::{self, StreamExt};
use kaleyra_runtime::definitions::codes::AnswerCode;
use kaleyra_runtime::definitions::failures::{FailureAction, FailureCode};
use kaleyra_runtime::{Client, Message};
use tokio::sync::{Semaphore, mpsc};

use crate::blocked::{Blocked, STOP_AFTER_REFUSALS};
use crate::error::JournalError;
use crate::journal::Journal;
use crate::pace::Pace;
use crate::state::{ClaimedRow, FailureCount, RowRecord, Summary};

/// How many results are recorded in one transaction, at most.
const RECORD_BATCH: usize = 1024;

/// How long results gather before they are recorded. One transaction per
/// result costs more than sending it; the price is that a crash leaves the
/// results of this last moment `unknown` rather than `sent`.
const RECORD_WAIT: std::time::Duration = std::time::Duration::from_millis(10);

/// How many claimed rows are started (marked `sending`) at once, at most:
/// one round trip to a PostgreSQL journal per group rather than per row.
/// A worker that dies leaves at most this many rows `unknown` that it had
/// not handed over yet.
const START_BATCH: usize = 16;

/// How a run sends.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SendOptions {
    /// How many requests are in flight at once; the client's
    /// `max_in_flight` when `None`.
    pub concurrency: Option<usize>,
    /// At most this many messages start per second; unlimited when `None`.
    pub rate_limit: Option<f64>,
    /// Whether rows whose earlier request may have reached Kaleyra are sent
    /// again (which may send them twice).
    pub resend_unknown: bool,
    /// How many rows are claimed (marked `sending`) at once. A crash leaves
    /// claimed rows `unknown` even if their request had not left yet, so it
    /// is kept near the concurrency; `None` means twice the concurrency.
    pub claim_batch: Option<usize>,
    /// Stops the run gracefully when triggered: see [`StopHandle`].
    pub stop: StopHandle,
}

/// Asks a run to stop: no more rows are claimed, rows claimed but not
/// started go back to `pending`, and the requests in flight finish and are
/// recorded. Cheap to clone; every clone stops the same run.
#[derive(Debug, Clone, Default)]
pub struct StopHandle(Arc<AtomicBool>);

impl StopHandle {
    /// Asks the run to stop.
    pub fn stop(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the run was asked to stop.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl SendOptions {
    /// Options with the given concurrency, rate and resend choice.
    pub fn new(concurrency: Option<usize>, rate_limit: Option<f64>, resend_unknown: bool) -> Self {
        SendOptions {
            concurrency,
            rate_limit,
            resend_unknown,
            claim_batch: None,
            stop: StopHandle::default(),
        }
    }
}

/// How far a run has got, after each batch of results is recorded.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct RunProgress {
    /// Rows this run sent.
    pub sent: u64,
    /// Rows this run failed to send (certainly not sent).
    pub failed: u64,
    /// Rows this run may or may not have sent.
    pub unknown: u64,
    /// Rows this run set out to send.
    pub total: u64,
    /// How many times the run slowed down because Kaleyra or Meta said it
    /// sent too fast (see [`send`]).
    pub throttles: u64,
    /// The pace now, in messages per second; `None` for unlimited.
    pub rate: Option<f64>,
}

impl RunProgress {
    /// Rows finished.
    pub fn done(&self) -> u64 {
        self.sent + self.failed + self.unknown
    }
}

/// Sends every row of `journal` that is due (see [`Journal::claim`]) with
/// `client`, building each row's message with `build`, and returns the
/// journal's counts at the end.
///
/// Rows are claimed (written `sending`) before their requests start, and
/// each result is written after its request ends, in batches. If the
/// process dies in between, the claimed rows are `unknown` when the journal
/// is next opened: never sent twice unless the caller asks.
///
/// A row `build` refuses (its stored values no longer make a message) is
/// recorded `failed` with the reason, and nothing is sent for it.
///
/// A refusal that no row can succeed with (a wrong key, a business number
/// not on the account or bound to the other API, the balance, the daily
/// limit, a template that does not exist in that language, is paused or
/// disabled: [`kaleyra_runtime::Error::stops_campaign`]) puts its row back
/// to `pending`, not `failed`; after [`STOP_AFTER_REFUSALS`] of them the run
/// stops as [`SendOptions::stop`] would, and `send` returns
/// [`JournalError::Blocked`] with the code, what to do and the counts.
/// Until Kaleyra has accepted one message of the run, requests go one at a
/// time, so a wrong key costs at most that many requests.
///
/// While it sends, the run also reads the failed statuses recorded in the
/// journal (by [`Journal::record_status`], from Kaleyra's callbacks) every
/// [`STATUS_POLL`]: a new one (recorded since the run began) whose code says
/// the template is paused or disabled (`132015`, `132016`) stops it at
/// once, the same way, with [`Blocked::status_line`] naming a row with it.
///
/// The pace adapts (see [`crate::pace`]): a 429 or 503 answer, Meta's
/// `(#130429)` in an answer, or new `130429` failed statuses halt new
/// requests for the answer's `Retry-After` and halve the rate, which climbs
/// back as messages are accepted. A row answered 429 or `(#130429)` was not
/// sent: it goes back to `pending` and is sent again once the rows of this
/// pass are done, in up to [`MAX_PASSES`] passes, so a storm of 429s loses
/// no row. A row answered 503 may have been sent (Kaleyra does not say it
/// was not processed) and is recorded as any 5xx is, `unknown`. A row
/// refused with Meta's `(#131056)` (too many messages to that customer) is
/// recorded `failed` and is not sent again in this run: not at once.
pub async fn send<M, B, P>(
    journal: &Journal,
    client: &Client,
    options: &SendOptions,
    build: B,
    progress: P,
) -> Result<Summary, JournalError>
where
    M: Message + PartialEq + Send + 'static,
    B: Fn(&ClaimedRow) -> Result<M, String> + Send + Sync + 'static,
    P: Fn(RunProgress),
{
    let total = journal.to_send(options.resend_unknown).await?;
    let run = Arc::new(RunState {
        first_acceptance: FirstAcceptance::new(),
        refusals: Refusals::default(),
        pace: Pace::new(options.rate_limit),
        throttled_rows: AtomicU64::new(0),
    });
    let build = Arc::new(build);
    let mut counts = RunProgress {
        sent: 0,
        failed: 0,
        unknown: 0,
        total,
        throttles: 0,
        rate: options.rate_limit,
    };
    let mut watch = StatusWatch::begin(journal).await?;
    for pass in 0..MAX_PASSES {
        run.throttled_rows.store(0, Ordering::Relaxed);
        send_pass(
            journal,
            client,
            options,
            build.clone(),
            &progress,
            &run,
            &mut counts,
            &mut watch,
            pass > 0,
        )
        .await?;
        let halted = options.stop.is_stopped() || run.refusals.halt.is_stopped();
        if halted || run.throttled_rows.load(Ordering::Relaxed) == 0 {
            break;
        }
    }
    let summary = journal.summary().await?;
    match run.refusals.blocked(summary) {
        Some(blocked) => Err(JournalError::Blocked(Box::new(blocked))),
        None => Ok(summary),
    }
}

/// How many passes a run makes at most: the first over every due row, each
/// other over the rows a throttle put back. Past that the rows stay
/// `pending`, for a rerun.
pub const MAX_PASSES: usize = 10;

/// How often a run reads the failed statuses recorded in its journal.
pub const STATUS_POLL: std::time::Duration = std::time::Duration::from_millis(500);

/// What the passes of one run share.
struct RunState {
    first_acceptance: FirstAcceptance,
    refusals: Refusals,
    pace: Pace,
    /// Rows put back to `pending` by a throttle in this pass.
    throttled_rows: AtomicU64,
}

/// The failed statuses a run has seen in its journal. Only those recorded
/// since the run began count: a rerun once a paused template is approved
/// again must not stop on the statuses that stopped the last run.
struct StatusWatch {
    last: Option<tokio::time::Instant>,
    /// Rows failed with each code that stops the run, when it began.
    stopping_before: HashMap<String, u64>,
    /// Rows failed with a code that slows the run (`130429`), when last read.
    slowing_rows: u64,
}

impl StatusWatch {
    /// The failed statuses in `journal` as the run begins.
    async fn begin(journal: &Journal) -> Result<Self, JournalError> {
        let mut watch = StatusWatch {
            last: None,
            stopping_before: HashMap::new(),
            slowing_rows: 0,
        };
        for group in journal.failures_by_code().await? {
            match group.known().map(|row| row.action) {
                Some(FailureAction::StopCampaign(_)) => {
                    watch.stopping_before.insert(group.code, group.rows);
                }
                Some(FailureAction::SlowDown) => watch.slowing_rows += group.rows,
                _ => {}
            }
        }
        Ok(watch)
    }

    /// Every [`STATUS_POLL`]: stops the run on a status saying the template
    /// is paused or disabled, and slows it on new throughput failures.
    async fn check(&mut self, journal: &Journal, run: &RunState) -> Result<(), JournalError> {
        let now = tokio::time::Instant::now();
        if self.last.is_some_and(|last| now - last < STATUS_POLL) {
            return Ok(());
        }
        self.last = Some(now);
        let mut slowing = 0;
        for group in journal.failures_by_code().await? {
            match group.known().map(|row| row.action) {
                Some(FailureAction::StopCampaign(code))
                    if group.rows > self.stopping_before.get(&group.code).copied().unwrap_or(0) =>
                {
                    run.refusals.stop_by_status(code, &group)
                }
                Some(FailureAction::SlowDown) => slowing += group.rows,
                _ => {}
            }
        }
        if slowing > self.slowing_rows {
            run.pace.throttled(None);
        }
        self.slowing_rows = slowing;
        Ok(())
    }
}

/// What a failed request says about the pace.
enum Throttle {
    /// Too fast, and nothing was sent: the row is sent again later.
    NotSent,
    /// Too fast, and it may have been sent (503): recorded as it is.
    MayHaveBeenSent,
}

/// Whether `error` says the run sends too fast: 429, 503, or Meta's
/// throughput code in a refusal.
fn throttle(error: &kaleyra_runtime::Error) -> Option<Throttle> {
    use kaleyra_runtime::Error;
    match error {
        // Kaleyra's error body or a gateway's page: either way a 429 is
        // answered before anything is accepted.
        Error::Api { status: 429, .. } | Error::Decode { status: 429, .. } => {
            Some(Throttle::NotSent)
        }
        Error::Api { status: 503, .. } | Error::Decode { status: 503, .. } => {
            Some(Throttle::MayHaveBeenSent)
        }
        Error::Api {
            status,
            message,
            fields,
            ..
        } if *status < 500 => std::iter::once(message)
            .chain(fields.values())
            .filter_map(|text| FailureCode::written_in(text))
            .any(|row| row.action == FailureAction::SlowDown)
            .then_some(Throttle::NotSent),
        _ => None,
    }
}

/// The `Retry-After` Kaleyra sent with `error`, if any.
fn asked_delay(error: &kaleyra_runtime::Error) -> Option<std::time::Duration> {
    match error {
        kaleyra_runtime::Error::Api { retry_after, .. } => *retry_after,
        _ => None,
    }
}

/// One pass over the due rows: the first over all of them; a later one
/// (`retry`) over the rows a throttle put back to `pending` only.
#[allow(clippy::too_many_arguments)] // One call site, in `send`.
async fn send_pass<M, B, P>(
    journal: &Journal,
    client: &Client,
    options: &SendOptions,
    build: Arc<B>,
    progress: &P,
    run: &Arc<RunState>,
    counts: &mut RunProgress,
    watch: &mut StatusWatch,
    retry: bool,
) -> Result<(), JournalError>
where
    M: Message + PartialEq + Send + 'static,
    B: Fn(&ClaimedRow) -> Result<M, String> + Send + Sync + 'static,
    P: Fn(RunProgress),
{
    let concurrency = options
        .concurrency
        .unwrap_or_else(|| client.max_in_flight())
        .max(1);
    let claim_batch = options.claim_batch.unwrap_or(concurrency * 2).max(1);
    let (results, mut recorded) = mpsc::channel::<(u64, Outcome)>(RECORD_BATCH * 4);
    // Which row each input of the bulk send is: inputs are numbered in the
    // order the stream yields them, and removed when their result comes.
    let lines: Arc<Mutex<HashMap<usize, u64>>> = Arc::default();
    let claim_error: Arc<Mutex<Option<JournalError>>> = Arc::default();

    let inputs = claimed_rows(
        journal.clone(),
        claim_batch,
        Claim {
            resend_unknown: options.resend_unknown,
            pending_only: retry,
        },
        [options.stop.clone(), run.refusals.halt.clone()],
        claim_error.clone(),
    )
    .filter_map({
        let (results, lines) = (results.clone(), lines.clone());
        let run = run.clone();
        let stop = options.stop.clone();
        let mut next_index = 0usize;
        move |row| {
            let built = build(&row);
            let (results, lines) = (results.clone(), lines.clone());
            let (run, stop) = (run.clone(), stop.clone());
            let index = next_index;
            if built.is_ok() {
                next_index += 1;
            }
            async move {
                match built {
                    Ok(message) => {
                        run.pace.wait().await;
                        run.first_acceptance.wait_turn().await;
                        if run.refusals.halt.is_stopped() || stop.is_stopped() {
                            // Stopped while it waited: never sent. Its index
                            // gets no result, which is harmless.
                            let _ = results.send((row.line, Outcome::Release)).await;
                            return None;
                        }
                        lock(&lines).insert(index, row.line);
                        Some((message, row.recipient))
                    }
                    Err(reason) => {
                        let record = RowRecord::Failed {
                            kind: "build".to_owned(),
                            error: reason,
                        };
                        // The receiver lives until every sender is gone.
                        let _ = results.send((row.line, Outcome::Record(record))).await;
                        None
                    }
                }
            }
        }
    });
    // The pace is the run's own (it adapts), not the bulk send's fixed one.
    let mut outcomes = client
        .send_many_stream(inputs)
        .concurrency(concurrency)
        .into_stream();
    let sender = tokio::spawn({
        let (lines, run) = (lines.clone(), run.clone());
        async move {
            while let Some(outcome) = outcomes.next().await {
                run.first_acceptance.answered(outcome.result.is_ok());
                let Some(line) = lock(&lines).remove(&outcome.index) else {
                    continue;
                };
                let result = match &outcome.result {
                    Err(error) => match (error.stops_campaign(), throttle(error)) {
                        (Some(code), _) => {
                            run.refusals.note(code, error);
                            Outcome::Release
                        }
                        (None, Some(throttle)) => {
                            run.pace.throttled(asked_delay(error));
                            match throttle {
                                Throttle::NotSent => {
                                    run.throttled_rows.fetch_add(1, Ordering::Relaxed);
                                    Outcome::Release
                                }
                                Throttle::MayHaveBeenSent => {
                                    Outcome::Record(RowRecord::from_result(&outcome.result))
                                }
                            }
                        }
                        (None, None) => Outcome::Record(RowRecord::from_result(&outcome.result)),
                    },
                    Ok(_) => {
                        run.pace.accepted();
                        Outcome::Record(RowRecord::from_result(&outcome.result))
                    }
                };
                if results.send((line, result)).await.is_err() {
                    // The recorder stopped on an error: stop sending too.
                    break;
                }
            }
        }
    });
    let mut batch = Vec::with_capacity(RECORD_BATCH);
    let (mut records, mut released) = (Vec::new(), Vec::new());
    while recorded.recv_many(&mut batch, RECORD_BATCH).await > 0 {
        // Sleeping, rather than waking at each result that arrives, saves
        // a thread switch per row.
        tokio::time::sleep(RECORD_WAIT).await;
        while batch.len() < RECORD_BATCH {
            let Ok(result) = recorded.try_recv() else {
                break;
            };
            batch.push(result);
        }
        for (line, outcome) in batch.drain(..) {
            match outcome {
                Outcome::Record(record) => records.push((line, record)),
                Outcome::Release => released.push(line),
            }
        }
        let written = match journal.record(&records).await {
            Ok(()) if released.is_empty() => Ok(()),
            Ok(()) => journal.release(&released).await,
            Err(error) => Err(error),
        };
        let written = match written {
            Ok(()) => watch.check(journal, run).await,
            Err(error) => Err(error),
        };
        if let Err(error) = written {
            // Rows not recorded stay `sending`, so `unknown` on the next open.
            sender.abort();
            return Err(error);
        }
        released.clear();
        for (_, record) in records.drain(..) {
            match record {
                RowRecord::Sent { .. } => counts.sent += 1,
                RowRecord::Failed { .. } => counts.failed += 1,
                RowRecord::Unknown { .. } => counts.unknown += 1,
            }
        }
        counts.throttles = run.pace.throttles();
        counts.rate = run.pace.rate();
        progress(*counts);
    }
    sender.await.map_err(|error| JournalError::SenderStopped {
        reason: error.to_string(),
    })?;
    if let Some(error) = lock(&claim_error).take() {
        return Err(error);
    }
    Ok(())
}

/// What becomes of a row after its request (or instead of it).
enum Outcome {
    /// Its result is recorded.
    Record(RowRecord),
    /// It goes back to `pending`: refused for a reason no row can succeed
    /// with, or never sent because the run stopped.
    Release,
}

/// Until Kaleyra has accepted one message of the run, one request at a
/// time: a wrong key is then refused [`STOP_AFTER_REFUSALS`] times, not once
/// per request in flight. The first acceptance opens the way for good.
struct FirstAcceptance {
    turn: Semaphore,
}

impl FirstAcceptance {
    fn new() -> Self {
        FirstAcceptance {
            turn: Semaphore::new(1),
        }
    }

    /// Waits until no other request is waiting for its answer, unless one
    /// was accepted already.
    async fn wait_turn(&self) {
        // Closed once a message is accepted: `acquire` then returns at once.
        if let Ok(permit) = self.turn.acquire().await {
            permit.forget();
        }
    }

    /// A request was answered: the next may go, and every one if it was
    /// accepted.
    fn answered(&self, accepted: bool) {
        if accepted {
            self.turn.close();
        } else if !self.turn.is_closed() {
            self.turn.add_permits(1);
        }
    }
}

/// The refusals no row can succeed with, counted; the run halts at
/// [`STOP_AFTER_REFUSALS`].
#[derive(Default)]
struct Refusals {
    first: Mutex<Option<(&'static AnswerCode, String)>>,
    count: AtomicU64,
    /// The line whose failed status stopped the run, if one did.
    status_line: Mutex<Option<u64>>,
    halt: StopHandle,
}

impl Refusals {
    fn note(&self, code: &'static AnswerCode, error: &kaleyra_runtime::Error) {
        lock(&self.first).get_or_insert_with(|| (code, error.to_string()));
        let count = self.count.fetch_add(1, Ordering::Relaxed) + 1;
        if count >= STOP_AFTER_REFUSALS {
            self.halt.stop();
        }
    }

    /// A failed status said the template is paused or disabled: Meta's
    /// word about the template every row names, so one stops the run.
    fn stop_by_status(&self, code: &'static AnswerCode, failures: &FailureCount) {
        let mut first = lock(&self.first);
        if first.is_none() {
            *first = Some((
                code,
                format!(
                    "line {}'s message failed with {}{}",
                    failures.first_line,
                    failures.code,
                    failures
                        .title
                        .as_deref()
                        .map(|title| format!(" ({title})"))
                        .unwrap_or_default()
                ),
            ));
            *lock(&self.status_line) = Some(failures.first_line);
        }
        self.halt.stop();
    }

    /// Why the run stopped (or left rows pending), if such a refusal came.
    fn blocked(&self, summary: Summary) -> Option<Blocked> {
        let (code, first_error) = lock(&self.first).clone()?;
        Some(Blocked {
            code,
            refusals: self.count.load(Ordering::Relaxed),
            first_error,
            status_line: *lock(&self.status_line),
            summary,
        })
    }
}

/// The rows due, claimed from the journal a batch at a time as the bulk
/// send asks for more, each started (see [`Journal::start`]) as it is
/// handed over. A claim that fails ends the stream and leaves its error in
/// `error`.
/// Which rows a pass claims.
#[derive(Debug, Clone, Copy)]
struct Claim {
    resend_unknown: bool,
    /// Only `pending` ones: a later pass sends again the rows a throttle
    /// put back, not the ones that failed in this run.
    pending_only: bool,
}

fn claimed_rows(
    journal: Journal,
    batch: usize,
    claim: Claim,
    stops: [StopHandle; 2],
    error: Arc<Mutex<Option<JournalError>>>,
) -> impl futures::Stream<Item = ClaimedRow> + Send + 'static {
    let queues = (VecDeque::<ClaimedRow>::new(), VecDeque::<ClaimedRow>::new());
    stream::unfold(
        (journal, queues, 0u64, false),
        move |(journal, (mut claimed, mut started), mut after, mut done)| {
            let (error, stops) = (error.clone(), stops.clone());
            async move {
                // Claimed or started, but never handed over: certainly not sent.
                let release = async |journal: &Journal, queues: [&VecDeque<ClaimedRow>; 2]| {
                    let lines = queues
                        .into_iter()
                        .flatten()
                        .map(|row| row.line)
                        .collect::<Vec<_>>();
                    if let Err(release_error) = journal.release(&lines).await {
                        lock(&error).get_or_insert(release_error);
                    }
                };
                loop {
                    if stops.iter().any(StopHandle::is_stopped) {
                        release(&journal, [&claimed, &started]).await;
                        return None;
                    }
                    if let Some(row) = started.pop_front() {
                        return Some((row, (journal, (claimed, started), after, done)));
                    }
                    if !claimed.is_empty() {
                        let group = claimed
                            .drain(..START_BATCH.min(claimed.len()))
                            .collect::<Vec<_>>();
                        let lines = group.iter().map(|row| row.line).collect::<Vec<_>>();
                        match journal.start(&lines).await {
                            Ok(true) => started.extend(group),
                            Ok(false) => {
                                *lock(&error) = Some(JournalError::LeaseLost {
                                    journal: journal.target().clone(),
                                });
                                release(&journal, [&claimed, &started]).await;
                                return None;
                            }
                            Err(start_error) => {
                                *lock(&error) = Some(start_error);
                                claimed.extend(group);
                                release(&journal, [&claimed, &started]).await;
                                return None;
                            }
                        }
                        continue;
                    }
                    if done {
                        return None;
                    }
                    let claimed_now = if claim.pending_only {
                        journal.claim_pending(after, batch).await
                    } else {
                        journal.claim(after, batch, claim.resend_unknown).await
                    };
                    match claimed_now {
                        Ok(rows) if rows.is_empty() => match journal.wait_for_others().await {
                            // Rows other workers hold may come back.
                            Ok(true) => {}
                            Ok(false) => return None,
                            Err(wait_error) => {
                                *lock(&error) = Some(wait_error);
                                return None;
                            }
                        },
                        Ok(rows) => {
                            // SQLite's cursor moves past every row claimed,
                            // so a short batch is the last one.
                            done = !journal.is_postgres() && rows.len() < batch;
                            if let Some(last) = rows.last() {
                                after = last.line;
                            }
                            claimed.extend(rows);
                        }
                        Err(claim_error) => {
                            *lock(&error) = Some(claim_error);
                            return None;
                        }
                    }
                }
            }
        },
    )
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The maps hold plain data, whole after any panic.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use kaleyra_runtime::definitions::codes;

    use super::*;

    async fn admitted_soon(gate: &FirstAcceptance) -> bool {
        tokio::time::timeout(Duration::from_millis(50), gate.wait_turn())
            .await
            .is_ok()
    }

    #[tokio::test]
    async fn requests_go_one_at_a_time_until_one_is_accepted() {
        let gate = FirstAcceptance::new();
        assert!(admitted_soon(&gate).await, "the first goes at once");
        assert!(
            !admitted_soon(&gate).await,
            "the second waits for its answer"
        );
        gate.answered(false);
        assert!(admitted_soon(&gate).await, "a refusal lets the next go");
        assert!(!admitted_soon(&gate).await);
        gate.answered(true);
        for _ in 0..100 {
            assert!(admitted_soon(&gate).await, "after an acceptance, all go");
        }
    }

    #[test]
    fn the_run_halts_at_the_documented_number_of_refusals() {
        let refusals = Refusals::default();
        let error = |n: usize| kaleyra_runtime::Error::Api {
            status: 401,
            code: kaleyra_runtime::error::ApiCode::InvalidCredentials,
            message: format!("refusal {n}"),
            fields: Default::default(),
            body: String::new(),
            retry_after: None,
        };
        assert!(refusals.blocked(Summary::default()).is_none());
        for n in 1..STOP_AFTER_REFUSALS {
            refusals.note(&codes::RBC001, &error(n as usize));
            assert!(!refusals.halt.is_stopped(), "not after {n}");
        }
        refusals.note(&codes::RBC001, &error(99));
        assert!(refusals.halt.is_stopped());
        let blocked = refusals.blocked(Summary::default()).unwrap();
        assert_eq!(blocked.code, &codes::RBC001);
        assert_eq!(blocked.refusals, STOP_AFTER_REFUSALS);
        assert!(
            blocked.first_error.contains("refusal 1"),
            "{}",
            blocked.first_error
        );
    }
}
