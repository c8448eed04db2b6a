//! Sending many messages: bounded concurrency, an optional rate limit,
//! optional v1 batching, progress, and exactly one result per input.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::api::ApiVersion;
use crate::client::Client;
use crate::error::Error;
use crate::message::Message;
use crate::receipt::Receipt;
use crate::recipients::Recipients;

/// The slowest rate [`SendMany::rate_limit`] paces at: one message a day.
const SLOWEST_PERIOD: Duration = Duration::from_secs(86_400);

/// The result for one input of [`Client::send_many`].
#[derive(Debug)]
#[non_exhaustive]
pub struct BulkResult {
    /// The input's position, from 0.
    pub index: usize,
    /// Its receipt, or why it was not sent.
    pub result: Result<Receipt, Error>,
}

/// How far a bulk send has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Inputs sent.
    pub sent: usize,
    /// Inputs that failed.
    pub failed: usize,
    /// How many inputs there are, when known in advance.
    pub total: Option<usize>,
}

impl Progress {
    /// Inputs finished, sent or failed.
    pub fn done(&self) -> usize {
        self.sent + self.failed
    }
}

type ProgressHook = Arc<dyn Fn(Progress) + Send + Sync>;

/// A bulk send being configured; see [`Client::send_many`]. Turn it into the
/// stream of results with [`SendMany::into_stream`].
#[must_use = "nothing is sent until the stream from `into_stream` is polled"]
pub struct SendMany<S> {
    client: Client,
    inputs: S,
    total: Option<usize>,
    concurrency: usize,
    per_second: Option<f64>,
    batch_size: usize,
    progress: Option<ProgressHook>,
}

impl Client {
    /// Sends each `(message, recipient)`, [`Client::max_in_flight`] at a time
    /// unless [`SendMany::concurrency`] says otherwise,
    /// and yields one [`BulkResult`] per input, tagged with its index, as
    /// each finishes (not in input order).
    ///
    /// Every input ends as exactly one success or one error: none is dropped,
    /// and none is sent twice (beyond what the client's
    /// [`crate::RetryPolicy`] allows).
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// use kaleyra_runtime::{Client, TemplateMessage};
    ///
    /// # async fn run(client: Client, customers: Vec<(String, String)>) {
    /// let messages = customers
    ///     .into_iter()
    ///     .map(|(name, phone)| (TemplateMessage::new("booking_confirm").language("en").param(name).param("4711"), phone));
    /// let mut results = client.send_many(messages).concurrency(32).rate_limit(100.0).into_stream();
    /// while let Some(outcome) = results.next().await {
    ///     if let Err(error) = outcome.result {
    ///         eprintln!("input {} failed: {error}", outcome.index);
    ///     }
    /// }
    /// # }
    /// ```
    pub fn send_many<I, M, R>(&self, inputs: I) -> SendMany<stream::Iter<I::IntoIter>>
    where
        I: IntoIterator<Item = (M, R)>,
    {
        let inputs = inputs.into_iter();
        let total = match inputs.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(lower),
            _ => None,
        };
        let mut send = self.send_many_stream(stream::iter(inputs));
        send.total = total;
        send
    }

    /// [`Client::send_many`] for inputs that arrive as a stream, such as
    /// messages read from a queue.
    pub fn send_many_stream<S, M, R>(&self, inputs: S) -> SendMany<S>
    where
        S: Stream<Item = (M, R)>,
    {
        SendMany {
            client: self.clone(),
            inputs,
            total: None,
            concurrency: self.max_in_flight(),
            per_second: None,
            batch_size: 1,
            progress: None,
        }
    }
}

impl<S, M, R> SendMany<S>
where
    S: Stream<Item = (M, R)> + Send + 'static,
    M: Message + PartialEq + Send + 'static,
    R: Recipients + Send + Sync + 'static,
{
    /// How many inputs may be in flight at once; the client's
    /// [`Client::max_in_flight`] unless set, and 0 is taken as 1.
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// At most `messages_per_second` messages start per second (evenly
    /// spaced); unlimited unless set.
    ///
    /// Any number is accepted and none panics: `f64::INFINITY` means no limit;
    /// a rate slower than one message a day, zero, a negative rate and NaN
    /// all pace at one message a day; a rate faster than one per nanosecond
    /// paces at one per nanosecond.
    pub fn rate_limit(mut self, messages_per_second: f64) -> Self {
        self.per_second = Some(messages_per_second);
        self
    }

    /// v1 only: consecutive inputs with the same message are sent in one
    /// request of up to `recipients` recipients (`to` joined with `,`), and
    /// each input gets its own recipient's message id from the answer. Off
    /// (1) unless set; ignored on v2, which takes one recipient per request.
    /// Clamped to 1..=[`Client::MAX_V1_BATCH_SIZE`].
    pub fn v1_batch_size(mut self, recipients: usize) -> Self {
        self.batch_size = recipients.clamp(1, Client::MAX_V1_BATCH_SIZE);
        self
    }

    /// Calls `hook` after every input finishes.
    pub fn on_progress(mut self, hook: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(hook));
        self
    }

    /// Starts sending as the stream is polled; yields one result per input.
    pub fn into_stream(self) -> BoxStream<'static, BulkResult> {
        let SendMany {
            client,
            inputs,
            total,
            concurrency,
            per_second,
            batch_size,
            progress,
        } = self;
        let limiter = per_second.and_then(rate_limiter);
        let batch_size = if client.api().version() == ApiVersion::V1 {
            batch_size
        } else {
            1
        };
        let counts = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));

        let results: BoxStream<'static, BulkResult> = if batch_size > 1 {
            inputs
                .enumerate()
                .map(|(index, (message, to))| Input { index, message, to })
                .chunks(batch_size)
                .flat_map(|chunk| stream::iter(group_equal(chunk)))
                .map(move |batch| {
                    let (client, limiter) = (client.clone(), limiter.clone());
                    async move {
                        pace(limiter.as_deref(), batch.len()).await;
                        run_batch(&client, batch).await
                    }
                })
                .buffer_unordered(concurrency)
                .flat_map(stream::iter)
                .boxed()
        } else {
            // One request per input, built as the input is taken: the future
            // in flight holds only the request, not the message and
            // recipients too (a smaller future is cheaper to allocate and
            // move, per message). It waits for the rate limit, if any, first.
            inputs
                .enumerate()
                .map(move |(index, (message, to))| {
                    let (client, limiter) = (client.clone(), limiter.clone());
                    let outgoing = client.prepare_send(&message, to);
                    async move {
                        pace(limiter.as_deref(), 1).await;
                        // Borrowed, not moved out: a moved copy would take
                        // room of its own in the future.
                        let result = match outgoing {
                            Ok(ref outgoing) => client.send_outgoing(outgoing).await,
                            Err(error) => Err(error),
                        };
                        BulkResult { index, result }
                    }
                })
                .buffer_unordered(concurrency)
                .boxed()
        };
        results
            .inspect(move |outcome| {
                let (sent, failed) = &*counts;
                match outcome.result {
                    Ok(_) => sent.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                };
                if let Some(hook) = &progress {
                    hook(Progress {
                        sent: sent.load(Ordering::Relaxed),
                        failed: failed.load(Ordering::Relaxed),
                        total,
                    });
                }
            })
            .boxed()
    }
}

/// The limiter for `per_second`, clamped as [`SendMany::rate_limit`]
/// documents; `None` for no limit.
fn rate_limiter(per_second: f64) -> Option<Arc<DefaultDirectRateLimiter>> {
    if per_second == f64::INFINITY {
        return None;
    }
    // `try_from_secs_f64` refuses NaN, negative and overflowing periods
    // instead of panicking as `from_secs_f64` does.
    let period = Duration::try_from_secs_f64(1.0 / per_second)
        .ok()
        .filter(|period| !per_second.is_nan() && *period <= SLOWEST_PERIOD)
        .unwrap_or(SLOWEST_PERIOD)
        .max(Duration::from_nanos(1));
    let quota = Quota::with_period(period)?.allow_burst(NonZeroU32::MIN);
    Some(Arc::new(RateLimiter::direct(quota)))
}

struct Input<M, R> {
    index: usize,
    message: M,
    to: R,
}

/// Splits a chunk into runs of consecutive inputs with equal messages and
/// distinct recipients (a batch names each recipient once).
fn group_equal<M: PartialEq, R: Recipients>(chunk: Vec<Input<M, R>>) -> Vec<Vec<Input<M, R>>> {
    let digits = |input: &Input<M, R>| -> Vec<String> {
        input
            .to
            .recipient_list()
            .iter()
            .map(|number| number.trim_start_matches('+').to_owned())
            .collect()
    };
    let mut groups: Vec<Vec<Input<M, R>>> = Vec::new();
    for input in chunk {
        let joins_last = groups.last().is_some_and(|group| {
            let taken: Vec<String> = group.iter().flat_map(digits).collect();
            group[0].message == input.message
                && digits(&input).iter().all(|number| !taken.contains(number))
        });
        match groups.last_mut() {
            Some(group) if joins_last => group.push(input),
            _ => groups.push(vec![input]),
        }
    }
    groups
}

/// Waits until the rate limit lets `messages` more start.
async fn pace(limiter: Option<&DefaultDirectRateLimiter>, messages: usize) {
    if let Some(limiter) = limiter {
        for _ in 0..messages {
            limiter.until_ready().await;
        }
    }
}

/// Sends a run of inputs with equal messages (v1); a run of one is sent alone.
async fn run_batch<M: Message, R: Recipients>(
    client: &Client,
    mut job: Vec<Input<M, R>>,
) -> Vec<BulkResult> {
    if job.len() == 1 {
        let input = job.remove(0);
        let to: Vec<String> = input
            .to
            .recipient_list()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let result = client.send(&input.message, to).await;
        return vec![BulkResult {
            index: input.index,
            result,
        }];
    }
    // An input the batch would refuse fails alone, before anything is sent.
    let mut outcomes = Vec::new();
    job.retain(|input| match client.prepare(&input.message, &input.to) {
        Ok(_) => true,
        Err(error) => {
            outcomes.push(BulkResult {
                index: input.index,
                result: Err(error),
            });
            false
        }
    });
    if job.is_empty() {
        return outcomes;
    }
    // A v1 batch: one request to every input's recipients.
    let mut recipients: Vec<String> = Vec::new();
    let mut owned_by: Vec<(usize, Vec<String>)> = Vec::new();
    for input in &job {
        let numbers: Vec<String> = input
            .to
            .recipient_list()
            .into_iter()
            .map(str::to_owned)
            .collect();
        recipients.extend(numbers.iter().cloned());
        owned_by.push((input.index, numbers));
    }
    match client.send(&job[0].message, &recipients).await {
        Ok(receipt) => outcomes.extend(owned_by.into_iter().map(|(index, numbers)| BulkResult {
            index,
            result: receipt_for(&receipt, &numbers),
        })),
        Err(error) => {
            let error = Arc::new(error);
            outcomes.extend(owned_by.into_iter().map(|(index, _)| BulkResult {
                index,
                result: Err(Error::BatchFailed {
                    recipients: recipients.len(),
                    error: error.clone(),
                }),
            }));
        }
    }
    outcomes
}

/// The part of a batch's receipt for `numbers` (Kaleyra writes v1 recipients without `+`).
fn receipt_for(receipt: &Receipt, numbers: &[String]) -> Result<Receipt, Error> {
    let digits = |number: &str| number.trim_start_matches('+').to_owned();
    let mut messages = Vec::new();
    for number in numbers {
        let sent = receipt
            .messages()
            .iter()
            .find(|sent| digits(&sent.recipient) == digits(number));
        match sent {
            Some(sent) => messages.push(sent.clone()),
            None => {
                return Err(Error::Decode {
                    status: 200,
                    reason: format!("Kaleyra's answer to the batch lists no message for {number}"),
                    body: String::new(),
                });
            }
        }
    }
    Ok(Receipt::new(messages))
}
