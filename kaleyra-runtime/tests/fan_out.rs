//! A send to many v2 recipients (one request each) keeps at most the
//! client's `max_in_flight` requests in flight, and still gives one receipt
//! entry per recipient, in order.

use std::time::Duration;

use futures::StreamExt;
use kaleyra_runtime::{Api, Client, Pod, TemplateMessage};
use kaleyra_test_support::CountingKaleyra;

const V2: Api = Api::V2(Pod::In);

fn recipients(count: usize) -> Vec<String> {
    (0..count).map(|i| format!("+9198765{i:05}")).collect()
}

fn message() -> TemplateMessage {
    TemplateMessage::new("booking_confirm")
        .language("en")
        .param("Ada")
        .param("4711")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_v2_recipients_never_have_more_than_the_default_bound_in_flight() {
    let server = CountingKaleyra::start(Duration::from_millis(20)).await;
    let client = server.client(V2);
    assert_eq!(client.max_in_flight(), Client::DEFAULT_MAX_IN_FLIGHT);
    let to = recipients(200);

    let receipt = client.send(&message(), &to).await.unwrap();

    assert_eq!(server.requests(), 200, "one request per recipient");
    let most = server.most_in_flight();
    assert!(
        most <= Client::DEFAULT_MAX_IN_FLIGHT,
        "{most} requests were in flight at once"
    );
    assert!(most > 1, "the requests still overlap: {most}");
    let ids: Vec<&str> = receipt.message_ids().collect();
    let expected: Vec<String> = to
        .iter()
        .map(|number| format!("wamid.{}", number.trim_start_matches('+')))
        .collect();
    assert_eq!(
        ids, expected,
        "one message per recipient, in the order given"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_bound_is_set_on_the_client_builder() {
    let server = CountingKaleyra::start(Duration::from_millis(10)).await;
    let client = server.client_builder(V2).max_in_flight(3).build().unwrap();
    assert_eq!(client.max_in_flight(), 3);

    let receipt = client.send(&message(), recipients(40)).await.unwrap();

    assert_eq!(receipt.messages().len(), 40);
    assert!(server.most_in_flight() <= 3, "{}", server.most_in_flight());
}

#[tokio::test]
async fn a_bound_of_zero_is_taken_as_one() {
    let server = CountingKaleyra::start(Duration::from_millis(5)).await;
    let client = server.client_builder(V2).max_in_flight(0).build().unwrap();
    assert_eq!(client.max_in_flight(), 1);

    client.send(&message(), recipients(5)).await.unwrap();

    assert_eq!(server.most_in_flight(), 1);
    assert_eq!(server.requests(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn send_many_defaults_to_the_clients_bound() {
    let server = CountingKaleyra::start(Duration::from_millis(10)).await;
    let client = server.client_builder(V2).max_in_flight(5).build().unwrap();
    let inputs = recipients(60).into_iter().map(|to| (message(), to));

    let results: Vec<_> = client.send_many(inputs).into_stream().collect().await;

    assert_eq!(results.len(), 60);
    assert!(results.iter().all(|outcome| outcome.result.is_ok()));
    assert!(server.most_in_flight() <= 5, "{}", server.most_in_flight());
}

#[tokio::test]
async fn v1_sends_many_recipients_in_one_request() {
    let server = CountingKaleyra::start(Duration::ZERO).await;
    let receipt = server
        .client(Api::V1)
        .send(&message(), recipients(200))
        .await
        .unwrap();
    assert_eq!(server.requests(), 1);
    assert_eq!(receipt.messages().len(), 200);
}
