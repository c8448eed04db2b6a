//! `Client::send_many`: one result per input (none dropped, none sent twice),
//! bounded concurrency, a rate limit, v1 batching that maps every recipient to
//! its message id, and progress.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use kaleyra_runtime::bulk::{BulkResult, Progress};
use kaleyra_runtime::{Api, Error, Pod, TemplateMessage, Text};
use kaleyra_test_support::CountingKaleyra;

fn number(i: usize) -> String {
    format!("+9198765{i:05}")
}

fn offer() -> TemplateMessage {
    TemplateMessage::new("booking_confirm")
        .language("en")
        .param("Ada")
        .param("4711")
}

async fn collect(stream: futures::stream::BoxStream<'static, BulkResult>) -> Vec<BulkResult> {
    stream.collect().await
}

#[tokio::test]
async fn every_input_ends_as_exactly_one_result() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let inputs: Vec<(Text, String)> = (0..300)
        .map(|i| {
            (
                Text::new(format!("hi {i}")),
                if i % 30 == 7 {
                    "+12".to_owned()
                } else {
                    number(i)
                },
            )
        })
        .collect();
    let results = collect(
        server
            .client(Api::V2(Pod::In))
            .send_many(inputs)
            .concurrency(8)
            .into_stream(),
    )
    .await;

    assert_eq!(results.len(), 300);
    let indices: HashSet<usize> = results.iter().map(|result| result.index).collect();
    assert_eq!(indices, (0..300).collect(), "each index exactly once");
    for result in &results {
        match &result.result {
            Ok(receipt) => {
                let expected = format!("wamid.{}", number(result.index).trim_start_matches('+'));
                assert_eq!(
                    receipt.message_id(),
                    Some(expected.as_str()),
                    "input {}",
                    result.index
                );
            }
            Err(Error::Invalid { field, .. }) => {
                assert_eq!(result.index % 30, 7);
                assert_eq!(field, "to");
            }
            Err(other) => panic!("input {}: {other:?}", result.index),
        }
    }
    assert_eq!(
        server.requests(),
        290,
        "the 10 invalid inputs were not sent; the rest were sent once"
    );
}

#[tokio::test]
async fn concurrency_is_bounded() {
    let server = CountingKaleyra::start(Duration::from_millis(30)).await;
    let inputs: Vec<(Text, String)> = (0..24).map(|i| (Text::new("hi"), number(i))).collect();
    let results = collect(
        server
            .client(Api::V2(Pod::In))
            .send_many(inputs)
            .concurrency(4)
            .into_stream(),
    )
    .await;
    assert!(results.iter().all(|result| result.result.is_ok()));
    let most = server.most_in_flight();
    assert!(
        (2..=4).contains(&most),
        "at most 4 in flight, and more than one: {most}"
    );
}

#[tokio::test]
async fn the_rate_limit_spaces_messages() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let inputs: Vec<(Text, String)> = (0..21).map(|i| (Text::new("hi"), number(i))).collect();
    let started = Instant::now();
    let results = collect(
        server
            .client(Api::V2(Pod::In))
            .send_many(inputs)
            .rate_limit(100.0)
            .into_stream(),
    )
    .await;
    let elapsed = started.elapsed();
    assert_eq!(results.len(), 21);
    assert!(
        elapsed >= Duration::from_millis(190),
        "21 messages at 100/s take 200 ms: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn v1_batches_map_each_recipient_to_its_message_id() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let mut inputs: Vec<(TemplateMessage, String)> =
        (0..25).map(|i| (offer(), number(i))).collect();
    // A different message in the middle ends a batch.
    inputs[12].0 = TemplateMessage::new("booking_confirm")
        .language("en")
        .param("Bob")
        .param("1");
    let results = collect(
        server
            .client(Api::V1)
            .send_many(inputs)
            .v1_batch_size(10)
            .into_stream(),
    )
    .await;

    assert_eq!(results.len(), 25);
    for result in &results {
        let receipt = result.result.as_ref().unwrap();
        let digits = number(result.index).trim_start_matches('+').to_owned();
        assert_eq!(receipt.messages().len(), 1);
        assert_eq!(receipt.messages()[0].recipient, digits);
        assert_eq!(receipt.message_id(), Some(format!("req:{digits}").as_str()));
    }
    // Chunks of 10: [0..10) one batch; [10..20) split by input 12 into 10-11, 12, 13-19; [20..25) one.
    assert_eq!(server.requests(), 5);
}

#[tokio::test]
async fn a_batch_names_each_recipient_once_and_skips_invalid_inputs() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let inputs = vec![
        (offer(), number(1)),
        (offer(), number(1)),
        (offer(), "12".to_owned()),
        (offer(), number(2)),
    ];
    let mut results = collect(
        server
            .client(Api::V1)
            .send_many(inputs)
            .v1_batch_size(10)
            .into_stream(),
    )
    .await;
    results.sort_by_key(|result| result.index);
    assert!(results[0].result.is_ok() && results[1].result.is_ok() && results[3].result.is_ok());
    assert!(matches!(results[2].result, Err(Error::Invalid { .. })));
    assert_eq!(
        server.requests(),
        2,
        "the repeated recipient starts a second batch"
    );
}

#[tokio::test]
async fn a_failed_batch_fails_each_of_its_inputs() {
    let server = CountingKaleyra::refusing().await;
    let inputs: Vec<(TemplateMessage, String)> = (0..5).map(|i| (offer(), number(i))).collect();
    let results = collect(
        server
            .client(Api::V1)
            .send_many(inputs)
            .v1_batch_size(5)
            .into_stream(),
    )
    .await;
    assert_eq!(results.len(), 5);
    for result in results {
        match result.result {
            Err(Error::BatchFailed { recipients, error }) => {
                assert_eq!(recipients, 5);
                assert!(matches!(*error, Error::Api { status: 400, .. }));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn v2_ignores_the_batch_size() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let inputs: Vec<(TemplateMessage, String)> = (0..6).map(|i| (offer(), number(i))).collect();
    let results = collect(
        server
            .client(Api::V2(Pod::In))
            .send_many(inputs)
            .v1_batch_size(6)
            .into_stream(),
    )
    .await;
    assert!(results.iter().all(|result| result.result.is_ok()));
    assert_eq!(server.requests(), 6);
}

#[tokio::test]
async fn progress_counts_every_input_and_knows_the_total() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let seen: Arc<std::sync::Mutex<Vec<Progress>>> = Arc::default();
    let record = seen.clone();
    let inputs: Vec<(Text, String)> = (0..40)
        .map(|i| {
            (
                Text::new("hi"),
                if i == 3 { "bad".into() } else { number(i) },
            )
        })
        .collect();
    collect(
        server
            .client(Api::V2(Pod::In))
            .send_many(inputs)
            .on_progress(move |progress| record.lock().unwrap().push(progress))
            .into_stream(),
    )
    .await;
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 40);
    let last = seen.last().unwrap();
    assert_eq!((last.sent, last.failed, last.total), (39, 1, Some(40)));
    assert!(
        seen.windows(2)
            .all(|pair| pair[1].done() == pair[0].done() + 1)
    );
}

#[tokio::test]
async fn inputs_can_come_as_a_stream() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    for i in 0..10 {
        sender.send((Text::new("queued"), number(i))).unwrap();
    }
    drop(sender);
    let inputs = tokio_stream_from(receiver);
    let results = collect(
        server
            .client(Api::V2(Pod::In))
            .send_many_stream(inputs)
            .into_stream(),
    )
    .await;
    assert_eq!(results.len(), 10);
    assert_eq!(server.requests(), 10);
}

fn tokio_stream_from<T: Send + 'static>(
    mut receiver: tokio::sync::mpsc::UnboundedReceiver<T>,
) -> impl futures::Stream<Item = T> + Send {
    futures::stream::poll_fn(move |context| receiver.poll_recv(context))
}
