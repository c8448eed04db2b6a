//! Faults on demand, driven through the project's `Client`: each kind of
//! fault becomes the documented typed error or status, and a retry policy
//! resends only where it says it may, so no customer gets a message twice
//! unless the policy opted in.

mod common;

use std::time::Duration;

use common::{Receiver, TO, TO_2, V1, V2, client, start, wait_for_message};
use kaleyra_emulator::{DeliveryStatus, FaultAction, FaultRule, RunningEmulator};
use kaleyra_runtime::error::{ApiCode, TransportErrorKind};
use kaleyra_runtime::{Api, ApiVersion, Client, Error, RetryPolicy, Text};
use serde_json::{Value, json};

/// A client for `api` with `policy`, quick to back off and to give up.
fn client_with(emulator: &RunningEmulator, api: Api, policy: RetryPolicy) -> Client {
    emulator
        .client_builder(api)
        .retry_policy(
            policy
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(50)),
        )
        .request_timeout(Duration::from_millis(400))
        .build()
        .unwrap()
}

fn hello() -> Text {
    Text::new("Your order has shipped")
}

#[tokio::test]
async fn a_429_with_retry_after_is_a_retryable_api_error_carrying_the_delay() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(
            1,
            FaultAction::error("WA429").retry_after(Duration::from_secs(7)),
        ))
        .unwrap();
    let error = client(&emulator, V2).send(&hello(), TO).await.unwrap_err();
    match &error {
        Error::Api {
            status: 429,
            code: ApiCode::TooManyRequests,
            retry_after,
            ..
        } => assert_eq!(*retry_after, Some(Duration::from_secs(7))),
        other => panic!("expected WA429, got {other:?}"),
    }
    assert!(error.is_retryable());
    assert!(!error.may_have_been_sent());
    assert!(emulator.messages().is_empty());

    let refused = emulator.refused();
    assert_eq!(refused.len(), 1);
    assert_eq!(
        (refused[0].code.as_str(), refused[0].http_status),
        ("WA429", 429)
    );
    let fault = refused[0]
        .fault
        .as_ref()
        .expect("the refusal names its fault");
    assert_eq!(fault.fault_id, "fault-1");
    assert_eq!(fault.summary, "error WA429 (HTTP 429, Retry-After 7 s)");
    assert!(
        emulator.faults().is_empty(),
        "a fault for one request is used up"
    );
}

#[tokio::test]
async fn a_safe_policy_retries_429s_and_sends_the_message_once() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(
            2,
            FaultAction::error("WA429").retry_after(Duration::from_secs(1)),
        ))
        .unwrap();
    let client = client_with(&emulator, V1, RetryPolicy::safe(3));
    client
        .send(&hello(), TO)
        .await
        .expect("the third try is accepted");
    assert_eq!(emulator.refused().len(), 2);
    assert_eq!(emulator.messages().len(), 1, "sent once");
}

#[tokio::test]
async fn a_server_error_is_not_retried_by_a_safe_policy_as_it_may_have_been_sent() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(3, FaultAction::error("WA500")))
        .unwrap();
    let error = client_with(&emulator, V2, RetryPolicy::safe(3))
        .send(&hello(), TO)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Api {
                status: 500,
                code: ApiCode::ServerError,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.may_have_been_sent());
    assert_eq!(emulator.refused().len(), 1, "tried once");
    assert_eq!(emulator.faults()[0].remaining, Some(2));
}

#[tokio::test]
async fn account_wide_refusals_are_typed_and_stop_a_campaign() {
    let emulator = start().await;
    let cases = [
        (V1, FaultAction::error("E110"), 400, ApiCode::LowBalance),
        (
            V2,
            FaultAction::error("RBC001"),
            401,
            ApiCode::InvalidCredentials,
        ),
        (
            V2,
            FaultAction::error_with_status("WAV2101", 403),
            403,
            ApiCode::DailyLimitReached,
        ),
    ];
    for (api, action, status, code) in cases {
        emulator.add_fault(FaultRule::next(1, action)).unwrap();
        let error = client(&emulator, api).send(&hello(), TO).await.unwrap_err();
        match &error {
            Error::Api {
                status: got_status,
                code: got,
                ..
            } => assert_eq!((*got_status, got), (status, &code)),
            other => panic!("expected {code}, got {other:?}"),
        }
        assert_eq!(
            error.stops_campaign().map(|row| row.code),
            code.info().map(|row| row.code),
            "{code}"
        );
        assert!(!error.may_have_been_sent(), "{code}");
    }
    assert!(emulator.messages().is_empty());
}

#[tokio::test]
async fn a_code_outside_kaleyras_table_is_answered_at_the_status_given() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(
            1,
            FaultAction::error_with_status("WA503", 503),
        ))
        .unwrap();
    let error = client(&emulator, V2).send(&hello(), TO).await.unwrap_err();
    match &error {
        Error::Api {
            status: 503,
            code: ApiCode::Other(code),
            ..
        } => assert_eq!(code, "WA503"),
        other => panic!("expected WA503, got {other:?}"),
    }
    assert!(error.may_have_been_sent(), "a 5xx may have been sent");
}

#[tokio::test]
async fn a_held_answer_times_out_and_a_safe_policy_does_not_send_twice() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(
            1,
            FaultAction::hang(Duration::from_secs(2)),
        ))
        .unwrap();
    let error = client_with(&emulator, V2, RetryPolicy::safe(3))
        .send(&hello(), TO)
        .await
        .unwrap_err();
    match &error {
        Error::Transport(transport) => assert_eq!(transport.kind(), TransportErrorKind::Timeout),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(error.may_have_been_sent());
    let messages = emulator.messages();
    assert_eq!(messages.len(), 1, "the slow Kaleyra sent it, once");
    let fault = messages[0].fault.as_ref().unwrap();
    assert_eq!(fault.summary, "answer held 2000 ms");
}

#[tokio::test]
async fn a_policy_that_opts_in_resends_after_a_timeout_and_the_customer_gets_it_twice() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(
            1,
            FaultAction::hang(Duration::from_secs(2)),
        ))
        .unwrap();
    let policy = RetryPolicy::safe(3).retry_even_if_possibly_sent();
    client_with(&emulator, V2, policy)
        .send(&hello(), TO)
        .await
        .expect("the retry is answered");
    assert_eq!(emulator.messages().len(), 2, "the documented duplicate");
}

#[tokio::test]
async fn a_reset_before_sending_is_an_interrupted_transport_error_and_is_not_retried() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(3, FaultAction::reset()))
        .unwrap();
    let error = client_with(&emulator, V1, RetryPolicy::safe(3))
        .send(&hello(), TO)
        .await
        .unwrap_err();
    match &error {
        Error::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Interrupted);
        }
        other => panic!("expected a reset, got {other:?}"),
    }
    assert!(
        error.may_have_been_sent(),
        "the client cannot tell it was not"
    );
    assert!(emulator.messages().is_empty());
    let refused = emulator.refused();
    assert_eq!(refused.len(), 1, "tried once");
    assert_eq!(
        (refused[0].code.as_str(), refused[0].http_status),
        ("reset", 0)
    );
    assert!(
        refused[0].request.body.contains("Your+order"),
        "{:?}",
        refused[0].request
    );
}

#[tokio::test]
async fn a_reset_after_sending_leaves_one_message_and_no_retry() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(1, FaultAction::reset_after_accepting()))
        .unwrap();
    let error = client_with(&emulator, V2, RetryPolicy::safe(3))
        .send(&hello(), TO)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport(t) if t.kind() == TransportErrorKind::Interrupted),
        "{error:?}"
    );
    let messages = emulator.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0].fault.as_ref().unwrap().summary,
        "connection reset after the message was sent"
    );
    assert!(emulator.refused().is_empty());
    // The emulator still serves other connections.
    client(&emulator, V2).send(&hello(), TO).await.unwrap();
}

#[tokio::test]
async fn an_accepted_v2_message_fails_later_with_metas_error_object() {
    let emulator = start().await;
    let receiver = Receiver::start().await;
    emulator
        .add_fault(FaultRule::next(1, FaultAction::fail_later("131026")))
        .unwrap();
    let receipt = client(&emulator, V2)
        .send(&hello().callback_url(&receiver.url), TO)
        .await
        .expect("accepted");
    let id = receipt.message_id().unwrap().to_owned();

    let statuses: Vec<Value> = [receiver.next().await, receiver.next().await]
        .iter()
        .map(|callback| callback.json()["meta_object"]["value"]["statuses"][0].clone())
        .collect();
    assert_eq!(statuses[0]["status"], "sent");
    assert_eq!(statuses[1]["status"], "failed");
    assert_eq!(statuses[1]["id"], id.as_str());
    assert_eq!(
        statuses[1]["errors"][0]["code"],
        json!(131_026),
        "Meta writes the code as a number"
    );
    assert_eq!(statuses[1]["errors"][0]["title"], "Message Undeliverable");
    assert!(
        receiver
            .gets_anything_within(Duration::from_millis(100))
            .await
            .is_none(),
        "nothing after failed"
    );
    let stored = wait_for_message(&emulator, &id, |m| m.callbacks.len() == 2).await;
    assert_eq!(stored.status, DeliveryStatus::Failed);
}

#[tokio::test]
async fn a_v1_failure_carries_error_and_error_code_for_the_scoped_recipient_only() {
    let emulator = start().await;
    let receiver = Receiver::start().await;
    emulator
        .add_fault(FaultRule::next(1, FaultAction::fail_later("130429")).to(TO_2))
        .unwrap();
    let receipt = client(&emulator, V1)
        .send(&hello().callback_url(&receiver.url), [TO, TO_2])
        .await
        .expect("accepted");
    assert_eq!(receipt.messages().len(), 2);
    let mut failed = Vec::new();
    for _ in 0..4 {
        let callback = receiver.next().await;
        if callback.form_field("status").as_deref() == Some("failed") {
            failed.push(callback);
        }
    }
    assert_eq!(failed.len(), 1);
    assert_eq!(
        failed[0].form_field("mobile").as_deref(),
        Some("919876543211")
    );
    assert_eq!(
        failed[0].form_field("error_code").as_deref(),
        Some("130429")
    );
    assert_eq!(
        failed[0].form_field("error").as_deref(),
        Some("Rate limit hit")
    );
    let to_first = emulator
        .messages()
        .into_iter()
        .find(|m| m.to == TO)
        .unwrap();
    assert!(to_first.fault.is_none());
}

#[tokio::test]
async fn a_scoped_fault_leaves_other_recipients_and_apis_alone() {
    let emulator = start().await;
    emulator
        .add_fault(
            FaultRule::next(1, FaultAction::error("WA500"))
                .to(TO_2)
                .api(ApiVersion::V2),
        )
        .unwrap();
    client(&emulator, V2).send(&hello(), TO).await.unwrap();
    client(&emulator, V1).send(&hello(), TO_2).await.unwrap();
    assert_eq!(emulator.faults()[0].remaining, Some(1));
    assert!(client(&emulator, V2).send(&hello(), TO_2).await.is_err());
    assert!(emulator.faults().is_empty());
}

/// Which of `sends` sequential sends fail under a 30% WA500 rate from `seed`.
async fn failures_with_seed(seed: u64, sends: usize) -> (Vec<bool>, u64) {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::random(0.3, seed, FaultAction::error("WA500")))
        .unwrap();
    let client = client(&emulator, V1);
    let mut failed = Vec::new();
    for _ in 0..sends {
        failed.push(client.send(&hello(), TO).await.is_err());
    }
    let failures = failed.iter().filter(|failed| **failed).count();
    assert_eq!(emulator.refused().len(), failures);
    assert_eq!(emulator.messages().len(), sends - failures);
    (failed, emulator.faults()[0].applied)
}

#[tokio::test]
async fn a_seeded_failure_rate_fails_the_same_sends_on_every_run() {
    let (first, applied) = failures_with_seed(2026, 40).await;
    let (again, _) = failures_with_seed(2026, 40).await;
    let (other, _) = failures_with_seed(7, 40).await;
    assert_eq!(first, again);
    assert_ne!(first, other);
    let failures = first.iter().filter(|failed| **failed).count();
    assert_eq!(applied, failures as u64);
    assert!((3..25).contains(&failures), "{failures} of 40 at 30%");
}

async fn post_json(http: &reqwest::Client, url: &str, body: &Value) -> (u16, Value) {
    let response = http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn the_control_route_sets_lists_and_clears_faults_and_names_a_bad_field() {
    let emulator = start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/emulator/faults", emulator.base_url());
    let (status, set) = post_json(
        &http,
        &url,
        &json!({"action": {"kind": "error", "code": "WA429", "retry_after_secs": 3}, "times": 2, "to": "919876543210"}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(set["id"], "fault-1");
    assert_eq!(set["rule"]["to"], "+919876543210");
    assert_eq!(set["remaining"], 2);

    let error = client(&emulator, V2).send(&hello(), TO).await.unwrap_err();
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3)));

    let listed = http.get(&url).send().await.unwrap().bytes().await.unwrap();
    let listed: Value = serde_json::from_slice(&listed).unwrap();
    assert_eq!(listed[0]["remaining"], 1);
    assert_eq!(listed[0]["applied"], 1);

    for (body, field) in [
        (
            json!({"action": {"kind": "error", "code": "NOPE"}}),
            "action.code",
        ),
        (json!({"action": {"kind": "reset"}, "rate": 0.1}), "seed"),
        (
            json!({"action": {"kind": "hang", "for_ms": 0}}),
            "action.for_ms",
        ),
    ] {
        let (status, refused) = post_json(&http, &url, &body).await;
        assert_eq!(status, 400);
        assert_eq!(refused["field"], field, "{refused}");
    }
    let (status, unreadable) =
        post_json(&http, &url, &json!({"action": {"kind": "explode"}})).await;
    assert_eq!(status, 400);
    assert!(
        unreadable["error"].as_str().unwrap().contains("explode"),
        "{unreadable}"
    );

    let one = http.delete(format!("{url}/fault-1")).send().await.unwrap();
    assert_eq!(one.status(), 204);
    let missing = http.delete(format!("{url}/fault-1")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    emulator
        .add_fault(FaultRule::next(1, FaultAction::reset()))
        .unwrap();
    assert_eq!(http.delete(&url).send().await.unwrap().status(), 204);
    assert!(emulator.faults().is_empty());
    client(&emulator, V2).send(&hello(), TO).await.unwrap();
}

#[tokio::test]
async fn a_request_the_emulator_refuses_uses_up_no_fault() {
    let emulator = start().await;
    emulator
        .add_fault(FaultRule::next(1, FaultAction::error("WA500")))
        .unwrap();
    let raw = common::Raw::new(&emulator);
    let answer = raw.v2(&json!({"messaging_object": {"to": "12"}})).await;
    assert_eq!(answer.code(), "WA400");
    assert_eq!(emulator.faults()[0].remaining, Some(1));
}

#[tokio::test]
async fn the_runtimes_callback_parser_reads_each_failed_status_with_its_code() {
    use kaleyra_runtime::callbacks::{DeliveryState, Event};

    let emulator = start().await;
    for (api, code) in [(V1, "131049"), (V2, "132015")] {
        let receiver = Receiver::start().await;
        emulator
            .add_fault(FaultRule::next(1, FaultAction::fail_later(code)))
            .unwrap();
        client(&emulator, api)
            .send(&hello().callback_url(&receiver.url), TO)
            .await
            .unwrap();
        let _sent = receiver.next().await;
        let failed = receiver.next().await;
        let events = Event::parse_request(Some(&failed.content_type), None, &failed.body).unwrap();
        let [Event::Status(status)] = events.as_slice() else {
            panic!("one status expected: {events:?}");
        };
        assert_eq!(status.status, DeliveryState::Failed, "{api:?}");
        let error = format!("{:?}", status.error);
        assert!(error.contains(code), "{api:?}: {error}");
    }
}
